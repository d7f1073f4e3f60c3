// CodeLens above each anchored symbol and region, and at the top of files a path or glob anchors:
// "Solves P-12 · CSV export times out · 3 customers · 2 tickets".
import * as vscode from 'vscode';
import { readConfig } from '../../config';
import { Commands } from '../../constants';
import type { Services } from '../../services';
import type { Problem } from '../../core/model';
import { lensTitle } from '../../core/card';
import { refOf } from '../../adapter/problemRefs';

export function register(services: Services): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: changed.event,
    async provideCodeLenses(document) {
      if (!readConfig(document.uri).codeLensEnabled) return [];
      const found = await services.links.linksFor(document);
      const index = found?.folder.index;
      if (!found || !index) return [];
      const byLine = new Map<number, Set<Problem>>();
      for (const r of found.links.anchors) {
        if (r.status === 'lost') continue;
        const problem = index.problem(r.anchor.problemId);
        if (!problem) continue;
        const line = r.region?.startLine ?? 0;
        (byLine.get(line) ?? byLine.set(line, new Set()).get(line)!).add(problem);
      }
      return [...byLine].sort(([a], [b]) => a - b).map(([line, set]) => {
        const problems = index.rank([...set]);
        return new vscode.CodeLens(new vscode.Range(line, 0, line, 0), {
          title: lensTitle(problems, index),
          tooltip: problems.map((p) => `${p.id}: ${p.title}`).join('\n'),
          command: Commands.showProblems,
          arguments: [problems.map((p) => refOf(found.folder, p))],
        });
      });
    },
  };
  return vscode.Disposable.from(
    changed,
    vscode.languages.registerCodeLensProvider('*', provider),
    services.indexes.onDidChange(() => changed.fire()),
    services.indexes.onDidChangeFiles(() => changed.fire()),
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('customerLens') && changed.fire()),
  );
}
