// Where a link goes: the insights file that holds a problem or is nearest the code, the symbol
// under the cursor, the comment syntax for a `@why` line, and paths relative to an insights file.
import * as posix from 'node:path/posix';
import * as vscode from 'vscode';
import { commentSyntaxFor } from '../../core/comments';
import { dirOf } from '../../core/paths';
import type { FolderIndex } from '../../workspace/folderIndex';
import { relativePath } from '../../adapter/convert';
import { documentSymbols } from '../../workspace/links';
import type { SymbolNode } from '../../core/anchors';

/** Insights files of a folder ordered by nearness to a folder-relative code file (nearest first). */
export function insightsFilesByNearness(folder: FolderIndex, codeFile: string | undefined): vscode.Uri[] {
  const files = folder.insightsFiles;
  if (codeFile === undefined) return files;
  const depthShared = (uri: vscode.Uri) => {
    const dir = dirOf(relativePath(folder.folder.uri, uri) ?? '');
    if (dir !== '' && codeFile !== dir && !codeFile.startsWith(`${dir}/`)) return -1;
    return dir === '' ? 0 : dir.split('/').length;
  };
  return [...files].sort((a, b) => depthShared(b) - depthShared(a));
}

/** A code file's path as written in an insights file: relative to that file's directory. */
export function pathFromInsights(folder: FolderIndex, insights: vscode.Uri, codeFile: string): string {
  const dir = dirOf(relativePath(folder.folder.uri, insights) ?? '');
  return dir === '' ? codeFile : posix.relative(dir, codeFile);
}

/**
 * The symbol the selection is on, as a dotted container path: the innermost symbol whose name
 * holds the cursor, or whose range is exactly the selection. Undefined when the language has no
 * symbol provider or the selection is on no symbol.
 */
export async function symbolAtSelection(document: vscode.TextDocument, selection: vscode.Selection): Promise<string | undefined> {
  const symbols = await documentSymbols(document.uri);
  if (!symbols) return undefined;
  const active = selection.active;
  let best: string[] | undefined;
  const walk = (nodes: SymbolNode[], chain: string[]) => {
    for (const node of nodes) {
      const name = node.name.replace(/[(<].*$/s, '').trim();
      const here = [...chain, name];
      const onName = node.nameLine === active.line && active.character >= node.nameCol && active.character <= node.nameCol + name.length;
      const wholeSymbol = !selection.isEmpty && selection.start.line <= node.startLine && selection.end.line >= node.endLine
        && selection.start.line >= node.startLine - 1 && selection.end.line <= node.endLine + 1;
      if (onName || wholeSymbol) best = here;
      walk(node.children, here);
    }
  };
  walk(symbols, []);
  return best?.join('.');
}

/** A `@why` comment line for the language, indented like the line it goes above. */
export function whyCommentLine(document: vscode.TextDocument, line: number, tag: string, problemId: string): string {
  const target = document.lineAt(line);
  const indent = target.text.slice(0, target.firstNonWhitespaceCharacterIndex);
  const syntax = commentSyntaxFor(document.uri.path);
  const body = `${tag} ${problemId}`;
  if (syntax.line.length > 0) return `${indent}${syntax.line[0]} ${body}`;
  const [open, close] = syntax.block[0] ?? ['#', ''];
  return `${indent}${open} ${body}${close ? ` ${close}` : ''}`;
}
