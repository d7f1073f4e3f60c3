// Hovers, only where the why is written: a `@why` id, a ticket key in a comment, the first line of
// a region anchored by lines, and the name of an anchored symbol. Nowhere else.
import vscode = require('vscode');
import { readConfig } from '../../config';
import { ANY_DOCUMENT } from '../../constants';
import type { Services } from '../../services';
import { cardMarkdown } from '../../adapter/cards';

export function register(services: Services): vscode.Disposable {
  const provider: vscode.HoverProvider = {
    async provideHover(document, position) {
      if (!readConfig(document.uri).hoverEnabled) return undefined;
      const found = await services.links.linksFor(document);
      if (!found) return undefined;
      const { links, folder } = found;
      if (!folder.index) return undefined;
      const target = links.hoverAt(position.line, position.character, document.lineAt(position.line).text);
      if (!target) return undefined;
      return new vscode.Hover(cardMarkdown(folder, target.problems), new vscode.Range(target.line, target.col, target.line, target.endCol));
    },
  };
  return vscode.languages.registerHoverProvider(ANY_DOCUMENT, provider);
}
