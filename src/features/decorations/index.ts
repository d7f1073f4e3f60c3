// A gutter mark along anchored regions, coloured by severity, with an overview-ruler mark; and
// an Explorer badge on files that solve problems, coloured by their highest severity.
import vscode = require('vscode');
import { readConfig } from '../../config';
import type { Services } from '../../services';
import { SEVERITIES } from '../../core/model';
import type { Problem, Severity } from '../../core/model';
import { relativePath } from '../../adapter/convert';

const RANK = new Map(SEVERITIES.map((s, i) => [s, i]));

export function severityColor(severity: Severity): vscode.ThemeColor {
  return new vscode.ThemeColor(`customerLens.severity.${severity}`);
}

function highest(problems: Iterable<Problem>): Severity | undefined {
  let best: Severity | undefined;
  for (const p of problems) if (best === undefined || RANK.get(p.severity)! < RANK.get(best)!) best = p.severity;
  return best;
}

export function register(services: Services): vscode.Disposable {
  const { indexes, links, probes, context } = services;
  const types = new Map<Severity, vscode.TextEditorDecorationType>(SEVERITIES.map((s) => [s, vscode.window.createTextEditorDecorationType({
    gutterIconPath: vscode.Uri.joinPath(context.extensionUri, 'media', `gutter-${s}.svg`),
    gutterIconSize: 'contain',
    overviewRulerColor: severityColor(s),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
    isWholeLine: true,
  })]));

  const decorate = async (editor: vscode.TextEditor) => {
    const document = editor.document;
    const byLine = new Map<number, Set<Problem>>();
    const found = readConfig(document.uri).gutterEnabled ? await links.linksFor(document) : undefined;
    const index = found?.folder.index;
    if (found && index) {
      for (const r of found.links.anchors) {
        // Lost anchors are not drawn; moved ones are drawn where the code is now.
        if (r.status === 'lost' || !r.region) continue;
        const problem = index.problem(r.anchor.problemId);
        if (!problem) continue;
        for (let l = r.region.startLine; l <= r.region.endLine && l < document.lineCount; l++) {
          (byLine.get(l) ?? byLine.set(l, new Set()).get(l)!).add(problem);
        }
      }
      // A tag marks what it covers: its whole declaration, or its line.
      for (const tag of found.links.refs.tags) {
        const problem = index.problem(tag.id);
        if (!problem) continue;
        for (let l = tag.region.startLine; l <= tag.region.endLine && l < document.lineCount; l++) {
          (byLine.get(l) ?? byLine.set(l, new Set()).get(l)!).add(problem);
        }
      }
    }
    if (editor.document.version !== document.version) return;
    for (const [severity, type] of types) {
      const lines = [...byLine].filter(([, set]) => highest(set) === severity).map(([l]) => l).sort((a, b) => a - b);
      editor.setDecorations(type, lines.map((l) => new vscode.Range(l, 0, l, 0)));
      probes.setDecorations(document.uri, severity, lines);
    }
  };
  const decorateVisible = () => {
    for (const editor of vscode.window.visibleTextEditors) void decorate(editor);
  };
  const timers = new Map<string, NodeJS.Timeout>();
  const decorateSoon = (document: vscode.TextDocument) => {
    const key = document.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(key, setTimeout(() => {
      timers.delete(key);
      for (const editor of vscode.window.visibleTextEditors) if (editor.document === document) void decorate(editor);
    }, 150));
  };

  const badgesChanged = new vscode.EventEmitter<undefined>();
  const badges: vscode.FileDecorationProvider = {
    onDidChangeFileDecorations: badgesChanged.event,
    provideFileDecoration(uri) {
      const folder = indexes.forUri(uri);
      const index = folder?.index;
      if (!folder || !index || !readConfig(uri).explorerBadgesEnabled) return undefined;
      const file = relativePath(folder.folder.uri, uri);
      if (!file) return undefined;
      const tagged = indexes.codeOf(folder.folder)?.refs.forFile(file)?.tags.map((t) => t.id) ?? [];
      const problems = new Set([...index.anchorsForFile(file).map((a) => a.problemId), ...tagged].map((id) => index.problem(id)).filter((p): p is Problem => !!p));
      const severity = highest(problems);
      if (!severity) return undefined;
      const ids = index.rank([...problems]).map((p) => p.id);
      return new vscode.FileDecoration(
        problems.size > 9 ? '9+' : String(problems.size),
        `Solves ${problems.size} customer problem${problems.size === 1 ? '' : 's'}: ${ids.join(', ')}`,
        severityColor(severity),
      );
    },
  };

  return vscode.Disposable.from(
    ...types.values(), badgesChanged,
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
    vscode.window.registerFileDecorationProvider(badges),
    vscode.window.onDidChangeVisibleTextEditors(decorateVisible),
    vscode.workspace.onDidChangeTextDocument((e) => e.contentChanges.length > 0 && decorateSoon(e.document)),
    indexes.onDidChange(() => {
      decorateVisible();
      badgesChanged.fire(undefined);
    }),
    indexes.onDidChangeFiles(decorateVisible),
    indexes.onDidChangeCode(() => badgesChanged.fire(undefined)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('customerLens')) return;
      decorateVisible();
      badgesChanged.fire(undefined);
    }),
  );
}
