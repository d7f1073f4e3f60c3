// Problem cards as VS Code Markdown, with links to our own commands only.
import vscode = require('vscode');
import { problemCard } from '../core/card';
import type { Problem } from '../core/model';
import { Commands } from '../constants';
import type { FolderIndex } from '../workspace/folderIndex';
import { commandUri, refOf, trustedMarkdown } from './problemRefs';

export const CARD_COMMANDS = [Commands.revealProblem, Commands.openProblem, Commands.showProblemCode] as const;

export function cardMarkdown(folder: FolderIndex, problems: readonly Problem[]): vscode.MarkdownString {
  const index = folder.index!;
  const cards = problems.map((p) => {
    const ref = refOf(folder, p);
    return problemCard(p, index, {
      links: {
        reveal: commandUri(Commands.revealProblem, ref),
        open: commandUri(Commands.openProblem, ref),
        showCode: commandUri(Commands.showProblemCode, ref),
      },
    });
  });
  return trustedMarkdown(cards.join('\n\n---\n\n'), CARD_COMMANDS);
}
