// Completions while writing an insights file (keys, enum values, ids, paths relative to the file,
// symbols of the anchored file) and after a `@why` tag in code (problem ids by impact).
import vscode = require('vscode');
import { readConfig } from '../../config';
import { fileUri, relativePath, toRange } from '../../adapter/convert';
import { completionContext, completionItems, whyCompletions } from '../../core/completions';
import type { Completion, CompletionKind, CompletionList, CompletionSources, TextLines } from '../../core/completions';
import { anchorPath, dirOf } from '../../core/paths';
import type { Services } from '../../services';
import { readText } from '../../workspace/files';

/** Characters after which completions are asked for without a keystroke more. */
export const TRIGGER_CHARACTERS = [' ', ':', '[', ',', '/'];

const KINDS: Record<CompletionKind, vscode.CompletionItemKind> = {
  key: vscode.CompletionItemKind.Property,
  enum: vscode.CompletionItemKind.EnumMember,
  persona: vscode.CompletionItemKind.User,
  customer: vscode.CompletionItemKind.User,
  problem: vscode.CompletionItemKind.Reference,
  file: vscode.CompletionItemKind.File,
  folder: vscode.CompletionItemKind.Folder,
  symbol: vscode.CompletionItemKind.Function,
};

const documentLines = (document: vscode.TextDocument): TextLines => ({
  lineCount: document.lineCount,
  lineAt: (n) => document.lineAt(n).text,
});

export function completionProvider(services: Services): vscode.CompletionItemProvider {
  const { indexes } = services;
  return {
    async provideCompletionItems(document, position, token) {
      const folder = indexes.forUri(document.uri);
      if (!folder) return undefined;
      if (!folder.isInsightsFile(document.uri)) {
        const line = document.lineAt(position.line).text;
        const list = whyCompletions(line, position.line, position.character, readConfig(document.uri).whyTag, folder.index);
        return list && toList(list, position);
      }
      const context = completionContext(documentLines(document), position.line, position.character);
      if (!context) return undefined;
      const sources: CompletionSources = {};
      const file = relativePath(folder.folder.uri, document.uri);
      if (context.kind === 'path') {
        sources.files = await indexes.filesOf(folder.folder)?.files() ?? [];
        sources.insightsFile = file;
      } else if (context.kind === 'symbol' && file !== undefined) {
        const target = anchorPath(dirOf(file), context.path);
        if (target.escapes || target.glob) return undefined;
        const text = await readText(fileUri(folder.folder.uri, target.path));
        if (text === undefined || token.isCancellationRequested) return undefined;
        sources.symbols = (await indexes.code.syntax(target.path, text))?.symbols ?? [];
      }
      if (token.isCancellationRequested) return undefined;
      return toList(completionItems(context, folder.index, sources), position);
    },
  };
}

function toList(list: CompletionList, position: vscode.Position): vscode.CompletionList {
  return new vscode.CompletionList(list.items.map((c) => toItem(c, position)), list.incomplete);
}

function toItem(c: Completion, position: vscode.Position): vscode.CompletionItem {
  const item = new vscode.CompletionItem(c.label, KINDS[c.kind]);
  item.insertText = c.snippet ? new vscode.SnippetString(c.insertText) : c.insertText;
  item.filterText = c.filterText;
  item.sortText = c.sortText;
  // Plain strings only: labels, details and documentation may come from the insights file.
  item.detail = c.detail;
  item.documentation = c.documentation;
  item.preselect = c.preselect;
  const range = toRange(c.range);
  item.range = range.contains(position) && range.start.line === position.line
    ? { inserting: new vscode.Range(range.start, position), replacing: range }
    : range;
  if (c.retrigger) item.command = { command: 'editor.action.triggerSuggest', title: 'Suggest' };
  return item;
}
