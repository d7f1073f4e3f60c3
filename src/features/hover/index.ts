// Hovers, only where the why is written: a `@why` id, a ticket key in a comment, the first line of
// a region anchored by lines, and the name of an anchored symbol. Nowhere else.
import * as vscode from 'vscode';
import { readConfig } from '../../config';
import type { Services } from '../../services';
import type { Problem } from '../../core/model';
import { cardMarkdown } from '../../adapter/cards';

export function register(services: Services): vscode.Disposable {
  const provider: vscode.HoverProvider = {
    async provideHover(document, position) {
      if (!readConfig(document.uri).hoverEnabled) return undefined;
      const found = await services.links.linksFor(document);
      if (!found) return undefined;
      const { links, folder } = found;
      const index = folder.index;
      if (!index) return undefined;
      const line = position.line;
      let problems: Problem[] = [];
      let range: vscode.Range | undefined;

      for (const ref of links.refs) {
        if (ref.line !== line || position.character < ref.col || position.character > ref.endCol) continue;
        range = new vscode.Range(ref.line, ref.col, ref.line, ref.endCol);
        problems = ref.kind === 'tag' ? [index.problem(ref.id)].filter((p): p is Problem => !!p) : index.problemsForTicket(ref.key);
        break;
      }
      if (!range) {
        for (const r of links.anchors) {
          if (r.status === 'lost') continue;
          const problem = index.problem(r.anchor.problemId);
          if (!problem) continue;
          if (r.anchor.kind === 'symbol' && r.name && r.name.line === line
            && position.character >= r.name.col && position.character <= r.name.col + r.name.length) {
            range = new vscode.Range(line, r.name.col, line, r.name.col + r.name.length);
            problems.push(problem);
          } else if (r.anchor.kind === 'lines' && r.region?.startLine === line) {
            const text = document.lineAt(line);
            const start = text.firstNonWhitespaceCharacterIndex;
            if (position.character < start) continue;
            range = new vscode.Range(line, start, line, text.range.end.character);
            problems.push(problem);
          }
        }
      }
      const unique = index.rank([...new Set(problems)]);
      if (!range || unique.length === 0) return undefined;
      return new vscode.Hover(cardMarkdown(folder, unique), range);
    },
  };
  return vscode.languages.registerHoverProvider({ scheme: '*' }, provider);
}
