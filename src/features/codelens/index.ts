// CodeLens above each anchored symbol and region, and at the top of files a path or glob anchors:
// "Solves P-12 · CSV export times out · 3 customers · 2 tickets".
import * as vscode from 'vscode';
import { readConfig } from '../../config';
import { Commands } from '../../constants';
import type { Services } from '../../services';
import type { Problem } from '../../core/model';
import type { InsightsIndex } from '../../core/workspaceIndex';
import { refOf } from '../../adapter/problemRefs';

const TITLE_MAX = 48;

export function lensTitle(problems: readonly Problem[], index: InsightsIndex): string {
  const top = problems[0];
  const impact = index.impact(top);
  const title = top.title.length > TITLE_MAX ? `${top.title.slice(0, TITLE_MAX - 1)}\u2026` : top.title;
  const parts = [
    `Solves ${top.id}${problems.length > 1 ? ` +${problems.length - 1}` : ''}`,
    title,
    `${impact.customers} customer${impact.customers === 1 ? '' : 's'}`,
    `${impact.tickets} ticket${impact.tickets === 1 ? '' : 's'}`,
  ];
  return parts.join(' \u00b7 ');
}

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
