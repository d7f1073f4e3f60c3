// The Problems panel: every finding about the insights files (syntax, schema, references, lost and
// moved anchors, staleness) at its place, plus `@why` ids anywhere in the code that name no problem
// (from the workspace reference index, so open or not, as `customer-lens check` reports them).
// A moved anchor offers a quick fix that updates its `lines`.
import vscode = require('vscode');
import { readConfig } from '../../config';
import { INSIGHTS_DOCUMENTS } from '../../constants';
import type { Services } from '../../services';
import { fileUri, relativePath, toDiagnostic, toRange } from '../../adapter/convert';
import { anchorDiagnostics } from '../../core/anchors';
import { referenceDiagnostics } from '../../core/references';
import type { Diagnostic as CoreDiagnostic, TextFix } from '../../core/model';
import type { FolderIndex } from '../../workspace/folderIndex';
import type { FolderCode } from '../../workspace/codeIndex';
import { resolveAnchors } from '../../workspace/anchorResolver';
import type { ResolvedAnchor } from '../../core/anchors';

const CODE_DEBOUNCE_MS = 400;
/** Findings shown per insights file; a wall of thousands helps nobody and costs the host time. */
const MAX_PER_FILE = 300;
const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

/** The most severe findings first, at most MAX_PER_FILE, and one line saying how many are left out. */
function capped(list: CoreDiagnostic[]): CoreDiagnostic[] {
  if (list.length <= MAX_PER_FILE) return list;
  const kept = [...list].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.span.line - b.span.line).slice(0, MAX_PER_FILE);
  kept.push({
    file: list[0].file, span: { line: 0, col: 0, endLine: 0, endCol: 0 }, severity: 'info', rule: kept[kept.length - 1].rule,
    message: `${list.length - MAX_PER_FILE} more findings in this file are not shown (the most severe ${MAX_PER_FILE} are). Run "customer-lens check" for the full list.`,
  });
  return kept;
}

export function register(services: Services): vscode.Disposable {
  const { indexes } = services;
  const insights = vscode.languages.createDiagnosticCollection('customer-lens');
  const code = vscode.languages.createDiagnosticCollection('customer-lens-code');
  const fixes = new Map<string, { diagnostic: vscode.Diagnostic; fix: TextFix }[]>();
  const published = new Map<FolderIndex, vscode.Uri[]>();
  const timers = new Map<string, NodeJS.Timeout>();

  /** The anchors resolved at the last publication of each folder, for edits of one code file. */
  const lastResolved = new Map<FolderIndex, { generation: number; resolved: ResolvedAnchor[] }>();

  /**
   * Publishes a folder's findings. After an edit of one code file only the anchors that name it are
   * resolved again (its text is all that changed); everything else comes from the last resolution.
   * The new list replaces the old one in one step, so the panel never flickers empty.
   */
  const publishFolder = async (folder: FolderIndex, editedFile?: string) => {
    const generation = folder.generation;
    const index = folder.index;
    let all: CoreDiagnostic[] = [];
    if (index && readConfig(folder.folder).diagnosticsEnabled) {
      const previous = lastResolved.get(folder);
      let resolved: ResolvedAnchor[];
      if (editedFile !== undefined && previous?.generation === generation) {
        const changed = index.allAnchors().filter((a) => a.path === editedFile && !a.glob && a.kind !== 'path');
        const fresh = new Map((await resolveAnchors(indexes, folder, changed)).map((r) => [r.anchor, r]));
        resolved = previous.resolved.map((r) => fresh.get(r.anchor) ?? r);
      } else {
        resolved = await resolveAnchors(indexes, folder, index.allAnchors());
      }
      if (folder.generation !== generation) return; // a newer load will publish
      lastResolved.set(folder, { generation, resolved });
      all = [...index.diagnostics, ...resolved.flatMap(anchorDiagnostics)];
    } else {
      lastResolved.delete(folder);
    }
    const byFile = new Map<string, CoreDiagnostic[]>();
    if (index) for (const f of folder.insightsFiles) byFile.set(relativePath(folder.folder.uri, f) ?? '', []);
    for (const d of all) (byFile.get(d.file) ?? byFile.set(d.file, []).get(d.file)!).push(d);
    const uris: vscode.Uri[] = [];
    const keep = new Set<string>();
    for (const [file, list] of byFile) {
      const uri = fileUri(folder.folder.uri, file);
      const entries: { diagnostic: vscode.Diagnostic; fix: TextFix }[] = [];
      const vs = capped(list).map((d) => {
        const diagnostic = toDiagnostic(d);
        if (d.fix) entries.push({ diagnostic, fix: d.fix });
        return diagnostic;
      });
      fixes.set(uri.toString(), entries);
      insights.set(uri, vs);
      uris.push(uri);
      keep.add(uri.toString());
    }
    for (const uri of published.get(folder) ?? []) {
      if (keep.has(uri.toString())) continue;
      insights.delete(uri);
      fixes.delete(uri.toString());
    }
    published.set(folder, uris);
  };

  const codePublished = new Map<FolderIndex, vscode.Uri[]>();
  /** Unknown `@why` ids in every file the reference index holds. */
  const publishCode = (folder: FolderIndex, refs: FolderCode | undefined) => {
    for (const uri of codePublished.get(folder) ?? []) code.delete(uri);
    const index = folder.index;
    const uris: vscode.Uri[] = [];
    if (index && refs && readConfig(folder.folder).diagnosticsEnabled) {
      for (const file of refs.refs.files()) {
        const found = referenceDiagnostics(file, refs.refs.forFile(file)!.tags, index);
        if (found.length === 0) continue;
        const uri = fileUri(folder.folder.uri, file);
        code.set(uri, found.map(toDiagnostic));
        uris.push(uri);
      }
    }
    codePublished.set(folder, uris);
  };

  const scheduleAnchors = (doc: vscode.TextDocument) => {
    const key = doc.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(key, setTimeout(() => {
      timers.delete(key);
      // Editing anchored code may move or lose anchors: check the folder's anchors again.
      const folder = indexes.forUri(doc.uri);
      const file = folder && relativePath(folder.folder.uri, doc.uri);
      if (folder?.index && file !== undefined && folder.index.anchorsForFile(file).length > 0) void publishFolder(folder, file);
    }, CODE_DEBOUNCE_MS));
  };

  const quickFixes: vscode.CodeActionProvider = {
    provideCodeActions(document, range) {
      return (fixes.get(document.uri.toString()) ?? [])
        .filter(({ diagnostic }) => diagnostic.range.intersection(range))
        .map(({ diagnostic, fix }) => {
          const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
          action.diagnostics = [diagnostic];
          action.isPreferred = true;
          action.edit = new vscode.WorkspaceEdit();
          action.edit.replace(document.uri, toRange(fix.span), fix.newText);
          return action;
        });
    },
  };

  const refreshAll = () => {
    for (const f of indexes.all()) {
      void publishFolder(f);
      publishCode(f, indexes.codeOf(f.folder));
    }
  };

  return vscode.Disposable.from(
    insights, code,
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
    indexes.onDidChange((folder) => {
      void publishFolder(folder);
      publishCode(folder, indexes.codeOf(folder.folder));
    }),
    indexes.onDidChangeCode((refs) => publishCode(refs.insights, refs)),
    indexes.onDidChangeFiles((wf) => {
      const folder = indexes.forFolder(wf);
      if (folder) void publishFolder(folder);
    }),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length > 0 && !indexes.forUri(e.document.uri)?.isInsightsFile(e.document.uri)) scheduleAnchors(e.document);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('customerLens')) refreshAll();
    }),
    vscode.languages.registerCodeActionsProvider(INSIGHTS_DOCUMENTS, quickFixes, {
      providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
    }),
  );
}

