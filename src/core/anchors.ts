// Resolving anchors against the code as it is now (format: "How an anchor resolves"). The caller
// hands in file listings, texts and, in the editor, the language's document symbols.
import { RULE_SEVERITY } from './model';
import type { Anchor, Diagnostic } from './model';
import { pathMatcher } from './paths';
import type { FileSyntax, SymbolNode } from './syntax/types';

export type { SymbolNode } from './syntax/types';

export interface CodeAccess {
  /** Every file of the workspace folder, relative to it ('/' separators). */
  files(): readonly string[];
  /** The text of a folder-relative file, or undefined when it does not exist or cannot be read. */
  text(file: string): string | undefined;
  /**
   * The file's syntax from its language's grammar; undefined when the language has none (a
   * textual search then finds symbols, and reports what it cannot close).
   */
  syntax?(file: string): FileSyntax | undefined;
}

export type AnchorStatus = 'ok' | 'moved' | 'lost';

/** Where an anchor points now. Line numbers are 0-based and inclusive. */
export interface ResolvedAnchor {
  anchor: Anchor;
  status: AnchorStatus;
  /** Files the anchor covers (one for symbol and lines anchors). */
  files: string[];
  /** For symbol and lines anchors: the region in `files[0]`. */
  region?: { startLine: number; endLine: number };
  /** For symbol anchors: where the symbol's name is. */
  name?: { line: number; col: number; length: number };
  /** For moved anchors: how many lines the code moved (positive is down). */
  movedBy?: number;
  /** Why the anchor is lost, or how it moved, in words. */
  reason?: string;
}

export function resolveAnchor(anchor: Anchor, code: CodeAccess): ResolvedAnchor {
  const path = anchor.path;
  if (path === undefined) return lost(anchor, [], 'its path leaves the workspace folder');
  if (anchor.kind === 'path' || anchor.glob) {
    const text = anchor.glob ? undefined : code.text(path);
    if (text !== undefined) return { anchor, status: 'ok', files: [path] };
    const matches = pathMatcher(path, anchor.glob);
    const files = code.files().filter((file) => matches(file));
    if (files.length > 0) return { anchor, status: 'ok', files };
    return lost(anchor, [], anchor.glob ? `no file matches "${anchor.written}"` : `"${anchor.written}" does not exist`);
  }
  const text = code.text(path);
  if (text === undefined) return lost(anchor, [path], `"${anchor.written}" does not exist`);
  if (anchor.kind === 'symbol') return resolveSymbol(anchor, path, text, code.syntax?.(path));
  return resolveLines(anchor, path, text);
}

function lost(anchor: Anchor, files: string[], reason: string): ResolvedAnchor {
  return { anchor, status: 'lost', files, reason };
}

/** Splits text into lines without their line endings. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function resolveLines(anchor: Anchor, path: string, text: string): ResolvedAnchor {
  const { start, end } = anchor.lines!;
  const lines = splitLines(text);
  const startLine = start - 1;
  const endLine = end - 1;
  if (anchor.text === undefined || anchor.text === '') {
    if (endLine < lines.length) return { anchor, status: 'ok', files: [path], region: { startLine, endLine } };
    return lost(anchor, [path], `"${anchor.written}" has ${lines.length} lines, fewer than line ${end}`);
  }
  const wanted = anchor.text;
  const holds = (i: number) => i >= 0 && i < lines.length && lines[i].trim().startsWith(wanted);
  if (holds(startLine)) return { anchor, status: 'ok', files: [path], region: { startLine, endLine } };
  // Outward from the written line, upwards first at equal distance, visiting only lines the file
  // has: a line number far past the end (`lines: 99999999999999`) costs no more than the file.
  let up = Math.min(startLine - 1, lines.length - 1);
  let down = startLine + 1;
  while (up >= 0 || down < lines.length) {
    const i = up >= 0 && (down >= lines.length || startLine - up <= down - startLine) ? up-- : down++;
    if (!holds(i)) continue;
    const movedBy = i - startLine;
    const newEnd = Math.min(endLine + movedBy, lines.length - 1);
    return {
      anchor, status: 'moved', files: [path], region: { startLine: i, endLine: Math.max(i, newEnd) }, movedBy,
      reason: `the code moved from line ${start} to line ${i + 1}`,
    };
  }
  return lost(anchor, [path], `no line of "${anchor.written}" starts with "${clip(wanted)}" any more`);
}

function resolveSymbol(anchor: Anchor, path: string, text: string, syntax: FileSyntax | undefined): ResolvedAnchor {
  const dotted = anchor.symbol!.split('.').map((s) => s.trim()).filter(Boolean);
  let found: SymbolNode | undefined;
  if (syntax?.incomplete) {
    return lost(anchor, [path], `"${anchor.written}" could not be parsed (${syntax.incomplete}), so ${anchor.symbol} cannot be found; nothing is guessed`);
  }
  if (syntax) {
    found = findInSymbols(syntax.symbols, dotted);
    if (!found) {
      // The tree is the authority; a declaration it could not read is reported, never guessed.
      const broken = syntax.errors.find((r) => mentions(text, dotted[dotted.length - 1], r));
      const reason = broken
        ? `${anchor.symbol} is in code that does not parse (lines ${broken.startLine + 1}-${broken.endLine + 1} of "${anchor.written}"); fix the syntax error there`
        : `"${anchor.written}" has no symbol ${anchor.symbol}`;
      return lost(anchor, [path], reason);
    }
  } else {
    const textual = findSymbolInText(text, dotted);
    if (textual === 'unclosed') return lost(anchor, [path], `the end of ${anchor.symbol} in "${anchor.written}" cannot be found without a grammar for its language`);
    found = textual;
  }
  if (!found) return lost(anchor, [path], `"${anchor.written}" has no symbol ${anchor.symbol}`);
  return {
    anchor, status: 'ok', files: [path],
    region: { startLine: found.startLine, endLine: found.endLine },
    name: { line: found.nameLine, col: found.nameCol, length: dotted[dotted.length - 1].length },
  };
}

/** Whether a name occurs in a region of the text (0-based inclusive lines). */
function mentions(text: string, name: string, region: { startLine: number; endLine: number }): boolean {
  const lines = splitLines(text);
  for (let i = region.startLine; i <= region.endLine && i < lines.length; i++) if (lines[i].includes(name)) return true;
  return false;
}

/** Strips what symbol providers add to a name: call signatures, generics and quotes. */
function bareName(name: string): string {
  // Names from the syntax tree are bare already: only editor symbols carry signatures or quotes.
  if (!BARE_NEEDS_WORK.test(name)) return name;
  return name.replace(/^['"]|['"]$/g, '').replace(/[(<].*$/s, '').trim();
}
const BARE_NEEDS_WORK = /['"(<]|^\s|\s$/;

/**
 * Finds a symbol whose chain of containers ends with `path` (namespaces above it may be omitted).
 * When several match (TypeScript's `export const Foo` beside `export interface Foo`, a class and
 * its namespace), the anchor means the code that runs: a callable or class first, then a variable,
 * then a type, then a namespace; among equals, the first in the file, the shortest chain first.
 */
export function findInSymbols(symbols: readonly SymbolNode[], path: readonly string[]): SymbolNode | undefined {
  let best: { node: SymbolNode; rank: number; depth: number } | undefined;
  // Depth-first over an explicit stack, the chain of names kept in one array (files with
  // thousands of declarations are searched for every anchor: nothing is allocated per node).
  const chain: string[] = [];
  const stack: { node: SymbolNode; depth: number }[] = [];
  for (let i = symbols.length - 1; i >= 0; i--) stack.push({ node: symbols[i], depth: 0 });
  const last = path[path.length - 1];
  for (let visited = 0; stack.length > 0 && visited < 500_000; visited++) {
    const { node, depth } = stack.pop()!;
    chain.length = depth;
    const name = bareName(node.name);
    chain.push(name);
    if (name === last && endsWith(chain, path)) {
      const rank = implementationRank(node);
      if (!best || rank < best.rank || (rank === best.rank && chain.length < best.depth)) best = { node, rank, depth: chain.length };
    }
    for (let i = node.children.length - 1; i >= 0; i--) stack.push({ node: node.children[i], depth: depth + 1 });
  }
  return best?.node;
}

/** Lower is more likely what an anchor means: the running code before its types. */
function implementationRank(node: SymbolNode): number {
  switch (node.kind) {
    case undefined: return 0; // an editor symbol or a textual match: no kind to prefer by
    case 'function': case 'method': case 'constructor': case 'class': case 'struct': case 'impl': case 'trait': case 'enum': return 0;
    case 'variable': case 'property': return node.holdsFunction ? 0 : 1;
    case 'type': case 'interface': return 2;
    default: return 3;
  }
}

function endsWith(chain: readonly string[], path: readonly string[]): boolean {
  if (chain.length < path.length) return false;
  const offset = chain.length - path.length;
  return path.every((p, i) => chain[offset + i] === p);
}

const MODIFIERS = String.raw`(?:(?:export|default|public|private|protected|internal|static|async|abstract|override|readonly|declare|get|set|pub(?:\([^)]*\))?|final|virtual|inline|extern|unsafe|open|suspend|fun|synchronized)\s+)*`;
const DECLARERS = String.raw`(?:class|interface|function\*?|def|fn|func|struct|enum|type|trait|impl|module|namespace|let|var|const|val|object|record|sub|protocol|extension)\s+`;

/**
 * The textual fallback: a declaration of the last name, inside declarations of its containers.
 * It covers the common shapes (`class X {`, `flush() {`, `def flush(self):`, `func Flush(`); the
 * language's symbol provider is used whenever the editor has one.
 */
export function findSymbolInText(text: string, path: readonly string[]): SymbolNode | 'unclosed' | undefined {
  const lines = splitLines(text);
  let from = 0;
  let to = lines.length - 1;
  let found: SymbolNode | undefined;
  for (const name of path) {
    const declared = findDeclaration(lines, name, from, to);
    if (declared === undefined || declared === 'unclosed') return declared;
    found = declared;
    from = found.startLine + 1;
    to = found.endLine;
  }
  return found;
}

/** Lines longer than this are not searched for declarations (minified or generated code). */
const MAX_SEARCHED_LINE = 1000;

function findDeclaration(lines: readonly string[], name: string, from: number, to: number): SymbolNode | 'unclosed' | undefined {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // `class X`, `def x(`, `func (r *T) X(`, `const x =`: a declaring keyword says it all.
  const declared = new RegExp(String.raw`^(\s*)${MODIFIERS}${DECLARERS}(?:\([^)]*\)\s*)?(${escaped})\b`);
  // A member, possibly after a return type (`public void flush(`); what follows the name decides.
  const member = new RegExp(String.raw`^(\s*)${MODIFIERS}(?:[\w<>[\],.?]+\s+)?(${escaped})\b(.*)$`);
  for (let i = from; i <= to && i < lines.length; i++) {
    const line = lines[i];
    if (line.length > MAX_SEARCHED_LINE || !line.includes(name)) continue;
    let m = declared.exec(line);
    if (!m) {
      m = member.exec(stripStringsAndComments(line));
      const next = lines.slice(i + 1, i + 4).find((l) => l.trim() !== '') ?? '';
      if (!m || !startsBody(m[3], next)) continue;
    }
    const nameCol = line.indexOf(name, m[1].length);
    const endLine = blockEnd(lines, i);
    if (endLine === undefined) return 'unclosed';
    return { name, startLine: i, endLine, nameLine: i, nameCol, children: [] };
  }
  return undefined;
}

/**
 * Whether the text after a member's name starts its body: `() {` or `(): T {` (the brace may open
 * the next line), or a function value (`= async () =>`, `: function (`). A call such as `flush()`,
 * `flush().then(…)` or `await this.flush()` does not.
 */
function startsBody(rest: string, nextLine: string): boolean {
  const params = String.raw`\s*(?:<[^>]*>\s*)?\(.*\)\s*(?::\s*[^={};]+?)?\s*`;
  if (new RegExp(`^${params}\\{\\s*\\}?\\s*$`).test(rest)) return true;
  if (new RegExp(`^${params}$`).test(rest) && nextLine.trim().startsWith('{')) return true;
  return /^\s*(?::[^=]*)?[:=]\s*(?:async\s*)?(?:function\b|\(.*\)\s*(?::[^=]*)?=>|[A-Za-z_$][\w$]*\s*=>)/.test(rest);
}

/**
 * The last line of the block a declaration opens: matching braces, or indentation after a colon;
 * undefined when the block does not close (the caller reports it rather than guessing).
 */
export function blockEnd(lines: readonly string[], start: number): number | undefined {
  const first = lines[start];
  if (/:\s*(#.*)?$/.test(first) && !first.includes('{')) {
    const indent = indentOf(first);
    let last = start;
    for (let i = start + 1; i < lines.length; i++) {
      if (lines[i].trim() === '') continue;
      if (indentOf(lines[i]) <= indent) break;
      last = i;
    }
    return last;
  }
  let depth = 0;
  let opened = false;
  for (let i = start; i < lines.length && i < start + 5000; i++) {
    for (const ch of stripStringsAndComments(lines[i])) {
      if (ch === '{') {
        depth++;
        opened = true;
      } else if (ch === '}') {
        depth--;
        if (opened && depth <= 0) return i;
      } else if (ch === ';' && !opened && depth === 0) {
        return i;
      }
    }
    if (!opened && i >= start + 3) return start;
  }
  return opened ? undefined : start;
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** The line with string literals and line comments blanked, so braces inside them do not count. */
function stripStringsAndComments(line: string): string {
  return line
    .replace(/(["'`])(?:\\.|(?!\1)[^\\])*\1/g, '""')
    .replace(/\/\/.*$/, '')
    .replace(/\/\*.*?\*\//g, '');
}

function clip(s: string, max = 50): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** The diagnostics a resolution produces: a lost anchor is a warning, a moved one offers a fix. */
export function anchorDiagnostics(resolved: ResolvedAnchor): Diagnostic[] {
  const { anchor } = resolved;
  if (resolved.status === 'lost' && anchor.path !== undefined) {
    return [{
      file: anchor.file, span: anchor.span, severity: RULE_SEVERITY['anchor-lost'], rule: 'anchor-lost',
      message: `The code this anchor of ${anchor.problemId} points at is lost: ${resolved.reason}. Update the anchor or remove it.`,
    }];
  }
  if (resolved.status === 'moved' && resolved.region && anchor.linesSpan) {
    const { startLine, endLine } = resolved.region;
    // A plain scalar: "92-108" needs no quotes in YAML, and a quoted original stays valid replaced.
    const newText = startLine === endLine ? String(startLine + 1) : `${startLine + 1}-${endLine + 1}`;
    return [{
      file: anchor.file, span: anchor.linesSpan, severity: RULE_SEVERITY['anchor-moved'], rule: 'anchor-moved',
      message: `The code this anchor of ${anchor.problemId} points at moved: "${clip(anchor.text ?? '')}" is now at line ${startLine + 1}, not ${anchor.lines!.start}. Update "lines" to ${startLine + 1}${endLine > startLine ? `-${endLine + 1}` : ''}.`,
      fix: { title: `Update lines to ${startLine + 1}${endLine > startLine ? `-${endLine + 1}` : ''}`, span: anchor.linesSpan, newText },
    }];
  }
  return [];
}
