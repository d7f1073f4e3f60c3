// CodeLens above each anchored symbol and region, and at the top of files a path or glob anchors:
// "Solves P-12 · CSV export times out · 3 customers · 2 tickets".
import vscode = require('vscode');
import { readConfig } from '../../config';
import { ANY_DOCUMENT, Commands } from '../../constants';
import type { Services } from '../../services';
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
      return found.links.lenses().flatMap(({ line, problems, anchors }) => {
        const range = new vscode.Range(line, 0, line, 0);
        const lenses = [new vscode.CodeLens(range, {
          title: lensTitle(problems, index),
          tooltip: problems.map((p) => `${p.id}: ${p.title}`).join('\n'),
          command: Commands.showProblems,
          arguments: [problems.map((p) => refOf(found.folder, p))],
        })];
        // Only links written for this very code are offered for removal here; a glob covers many files.
        const removable = anchors.filter((r) => !r.anchor.glob)
          .map((r) => ({ ...refOf(found.folder, index.problem(r.anchor.problemId)!), anchorIndex: r.anchor.index }));
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
    vscode.languages.registerCodeLensProvider(ANY_DOCUMENT, provider),
    services.indexes.onDidChange(() => changed.fire()),
    services.indexes.onDidChangeFiles(() => changed.fire()),
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('customerLens') && changed.fire()),
  );
}
