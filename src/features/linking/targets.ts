// Where a link goes: the insights file that holds a problem or is nearest the code, the symbol
// under the cursor, the comment syntax for a `@why` line, and paths relative to an insights file.
import * as posix from 'node:path/posix';
import vscode = require('vscode');
import { commentSyntaxFor } from '../../core/comments';
import { dirOf } from '../../core/paths';
import type { FolderIndex } from '../../workspace/folderIndex';
import { relativePath } from '../../adapter/convert';
import type { SymbolNode } from '../../core/anchors';
import { isCoverable } from '../../core/codeRefs';

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
 * holds the cursor, or whose lines are exactly the selected lines (give or take one line above
 * that belongs to no symbol beside it, or a blank line below). A selection of several symbols is
 * none of them. Symbols come from the syntax tree (`symbols`); undefined when the language has no
 * grammar or the selection is on no symbol.
 */
export function symbolAtSelection(document: vscode.TextDocument, selection: vscode.Selection, symbols: readonly SymbolNode[] | undefined): { path: string; node: SymbolNode } | undefined {
  if (!symbols) return undefined;
  const active = selection.active;
  // A selection ending at column 0 of a line does not include that line.
  const last = selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line - 1 : selection.end.line;
  const blank = (line: number) => line < document.lineCount && document.lineAt(line).isEmptyOrWhitespace;
  let best: { path: string; node: SymbolNode } | undefined;
  const walk = (nodes: readonly SymbolNode[], chain: string[], depth: number) => {
    if (depth > 64) return;
    const named = nodes.filter((n) => pathName(n) !== undefined);
    const inSibling = (line: number, self: SymbolNode) => named.some((s) => s !== self && s.startLine <= line && s.endLine >= line);
    const whole = selection.isEmpty ? [] : named.filter((n) =>
      (selection.start.line === n.startLine || (selection.start.line === n.startLine - 1 && !inSibling(n.startLine - 1, n)))
      && (last === n.endLine || (last === n.endLine + 1 && blank(last))));
    for (const node of named) {
      const name = pathName(node)!;
      const here = [...chain, name];
      const onName = node.nameLine === active.line && active.character >= node.nameCol && active.character <= node.nameCol + name.length;
      if (onName || (whole.length === 1 && whole[0] === node)) best = { path: here.join('.'), node };
      walk(node.children, here, depth + 1);
    }
  };
  walk(symbols, [], 0);
  return best;
}

/**
 * Where a `@why` comment for the selection goes and what it will cover (format: a tag directly
 * above a declaration covers the whole declaration; elsewhere its line): above the declaration the
 * selection is (or whose name holds the cursor), else above the first selected line.
 */
export function whyCommentTarget(document: vscode.TextDocument, selection: vscode.Selection, symbols: readonly SymbolNode[] | undefined, firstLine: number):
  { line: number; covers: { startLine: number; endLine: number; declaration?: string } } {
  const symbol = symbolAtSelection(document, selection, symbols);
  if (symbol && isCoverable(symbol.node)) {
    return { line: symbol.node.startLine, covers: { startLine: symbol.node.startLine, endLine: symbol.node.endLine, declaration: symbol.path } };
  }
  return { line: firstLine, covers: { startLine: firstLine, endLine: firstLine } };
}

/** A symbol's name as one part of a dotted path; undefined for anonymous and callback symbols. */
function pathName(node: SymbolNode): string | undefined {
  const name = node.name.replace(/[(<].*$/s, '').trim();
  return name === '' || /[\s.]/.test(name) || /\)\s*callback$/.test(node.name) ? undefined : name;
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
