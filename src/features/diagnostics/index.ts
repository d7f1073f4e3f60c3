// The Problems panel: every finding about the insights files (syntax, schema, references, lost and
// moved anchors, staleness) at its place, plus `@why` ids anywhere in the code that name no problem
// (from the workspace reference index, so open or not, as `customer-lens check` reports them).
// A moved anchor offers a quick fix that updates its `lines`.
import * as vscode from 'vscode';
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

  const publishFolder = async (folder: FolderIndex) => {
    const generation = folder.generation;
    for (const uri of published.get(folder) ?? []) {
      insights.delete(uri);
      fixes.delete(uri.toString());
    }
    const index = folder.index;
    if (!index || !readConfig(folder.folder).diagnosticsEnabled) {
      published.set(folder, []);
      return;
    }
    const resolved = await resolveAnchors(indexes, folder, index.allAnchors());
    if (folder.generation !== generation) return; // a newer load will publish
    const all: CoreDiagnostic[] = [...index.diagnostics, ...resolved.flatMap(anchorDiagnostics)];
    const byFile = new Map<string, CoreDiagnostic[]>();
    for (const f of folder.insightsFiles) byFile.set(relativePath(folder.folder.uri, f) ?? '', []);
    for (const d of all) (byFile.get(d.file) ?? byFile.set(d.file, []).get(d.file)!).push(d);
    const uris: vscode.Uri[] = [];
    for (const [file, all] of byFile) {
      const uri = fileUri(folder.folder.uri, file);
      const list = capped(all);
      const vs = list.map((d) => {
        const diagnostic = toDiagnostic(d);
        if (d.fix) {
          const entry = fixes.get(uri.toString()) ?? [];
          entry.push({ diagnostic, fix: d.fix });
          fixes.set(uri.toString(), entry);
        }
        return diagnostic;
      });
      insights.set(uri, vs);
      uris.push(uri);
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
      if (folder?.index && file !== undefined && folder.index.anchorsForFile(file).length > 0) void publishFolder(folder);
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

