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
      const byLine = new Map<number, { problems: Set<Problem>; removable: { folder: string; id: string; anchorIndex: number }[] }>();
      for (const r of found.links.anchors) {
        if (r.status === 'lost') continue;
        const problem = index.problem(r.anchor.problemId);
        if (!problem) continue;
        const line = r.region?.startLine ?? 0;
        const entry = byLine.get(line) ?? byLine.set(line, { problems: new Set(), removable: [] }).get(line)!;
        entry.problems.add(problem);
        // Only links written for this very code are offered for removal here; a glob covers many files.
        if (!r.anchor.glob) entry.removable.push({ ...refOf(found.folder, problem), anchorIndex: r.anchor.index });
      }
      return [...byLine].sort(([a], [b]) => a - b).flatMap(([line, { problems: set, removable }]) => {
        const problems = index.rank([...set]);
        const range = new vscode.Range(line, 0, line, 0);
        const lenses = [new vscode.CodeLens(range, {
          title: lensTitle(problems, index),
          tooltip: problems.map((p) => `${p.id}: ${p.title}`).join('\n'),
          command: Commands.showProblems,
          arguments: [problems.map((p) => refOf(found.folder, p))],
        })];
        if (removable.length > 0) {
          lenses.push(new vscode.CodeLens(range, {
            title: 'Unlink', tooltip: 'Remove this link from the insights file', command: Commands.removeLink, arguments: [removable],
          }));
        }
        return lenses;
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
