// References written in code, with what each covers (format: "References in code"), and the
// workspace-wide index of them that the tree, This File, Show All Code, navigation and `trace` read.
//
// A `@why` tag covers a whole declaration when it sits in the comment directly above it (only
// comments, decorators or attributes between) or at the end of the declaration's first line;
// anywhere else it covers its own line. Declarations come from the language's syntax tree; a file
// whose language has no grammar has no declarations, so its tags cover their lines.
import { commentRanges } from './comments';
import { scanTicketKeys, scanWhyTags } from './references';
import type { TicketReference, WhyReference } from './references';
import { LineMap } from './spans';
import type { CompiledTracker } from './trackers';
import type { FileSyntax, LineRegion, SymbolNode } from './syntax/types';

/** A declaration a tag covers: its dotted path and where its name is. */
export interface CoveredDeclaration {
  /** Dotted container path, e.g. `CsvWriter.flush`. */
  path: string;
  nameLine: number;
  nameCol: number;
  nameLength: number;
}

export interface TagRef extends WhyReference {
  /** The lines the tag links to its problem. */
  region: LineRegion;
  /** Set when the tag covers a whole declaration. */
  declaration?: CoveredDeclaration;
}

/** Everything one code file says about problems. Lines and columns are 0-based. */
export interface FileRefs {
  file: string;
  tags: TagRef[];
  tickets: TicketReference[];
}

export interface ScanOptions {
  /** The tag (a setting; default `@why`). An empty tag finds nothing. */
  whyTag: string;
  /** The trackers that recognise ticket keys (none: no ticket is looked for). */
  trackers: readonly CompiledTracker[];
  /** The file's syntax, asked for only when the file holds a tag. */
  syntax?: (file: string, text: string) => FileSyntax | undefined;
}

/** How far below a tag the comment block above a declaration may reach (a bound on odd input). */
const MAX_COMMENT_BLOCK_LINES = 400;

/** Every tag (with what it covers) and every recognised ticket key in comments of one file. */
export function scanCodeText(text: string, file: string, options: ScanOptions): FileRefs {
  const lines = new LineMap(text);
  const whys = options.whyTag && text.includes(options.whyTag) ? scanWhyTags(text, options.whyTag, lines) : [];
  const tickets = options.trackers.length > 0 ? scanTicketKeys(text, file, options.trackers, lines) : [];
  const tags = whys.length > 0 ? coverTags(text, file, whys, options.syntax?.(file, text), lines) : [];
  return { file, tags, tickets };
}

/** What each tag covers, by the format's rule. */
export function coverTags(text: string, file: string, whys: readonly WhyReference[], syntax: FileSyntax | undefined, lines = new LineMap(text)): TagRef[] {
  if (!syntax || syntax.symbols.length === 0) return whys.map((w) => ({ ...w, region: { startLine: w.line, endLine: w.line } }));
  const declarations = coverableDeclarations(syntax.symbols);
  const comments = new CommentLines(text, file, lines);
  return whys.map((w) => {
    const found = declarationFor(w, declarations, comments);
    if (!found) return { ...w, region: { startLine: w.line, endLine: w.line } };
    const { node, path } = found;
    return {
      ...w,
      region: { startLine: node.startLine, endLine: node.endLine },
      declaration: { path, nameLine: node.nameLine, nameCol: node.nameCol, nameLength: node.name.length },
    };
  });
}

interface Declared {
  node: SymbolNode;
  path: string;
}

const COVERABLE = new Set(['class', 'interface', 'struct', 'trait', 'impl', 'enum', 'type', 'function', 'method', 'constructor']);

/** Whether a tag above this declaration covers it: class-likes, callables, variables holding a function. */
export function isCoverable(node: SymbolNode): boolean {
  if (node.kind === undefined) return false;
  return COVERABLE.has(node.kind) || ((node.kind === 'variable' || node.kind === 'property') && node.holdsFunction === true);
}

/** Coverable declarations by their first line. */
function coverableDeclarations(symbols: readonly SymbolNode[]): Map<number, Declared> {
  const byLine = new Map<number, Declared>();
  const stack: { node: SymbolNode; prefix: string }[] = symbols.map((node) => ({ node, prefix: '' })).reverse();
  for (let visited = 0; stack.length > 0 && visited < 200_000; visited++) {
    const { node, prefix } = stack.pop()!;
    const path = prefix ? `${prefix}.${node.name}` : node.name;
    // The outermost declaration starting on a line wins, unless an inner one spans exactly the same
    // lines (a Go method under the container named after its receiver): that one is more specific.
    const first = byLine.get(node.startLine);
    if (isCoverable(node) && (!first || first.node.endLine === node.endLine)) byLine.set(node.startLine, { node, path });
    // An overloaded function's later signatures and its implementation start it too.
    if (isCoverable(node)) for (const line of node.signatureLines ?? []) if (!byLine.has(line)) byLine.set(line, { node, path });
    for (let i = node.children.length - 1; i >= 0; i--) stack.push({ node: node.children[i], prefix: path });
  }
  return byLine;
}

function declarationFor(tag: WhyReference, declarations: Map<number, Declared>, comments: CommentLines): Declared | undefined {
  const tagOffset = comments.offset(tag.line, tag.col);
  const comment = comments.containing(tagOffset);
  // A tag outside any comment (in a string, in code) covers its line.
  if (!comment) return undefined;
  // On a declaration's first line: `function f() { // @why P-12`, or after its decorator.
  const onLine = declarations.get(tag.line);
  if (onLine) return onLine;
  // Code before the comment on any other line: the tag is about that line.
  if (!comments.startsLine(comment[0]) || !comments.onlyWhitespaceAfter(comment[1])) return undefined;
  // In the comment block directly above a declaration: skip the rest of the block.
  let line = comments.lineOf(comment[1] - 1);
  for (let n = 0; n < MAX_COMMENT_BLOCK_LINES; n++) {
    const next = line + 1;
    if (next >= comments.lineCount) return undefined;
    const declared = declarations.get(next);
    if (declared) return declared;
    const below = comments.commentOnlyLineEnd(next);
    if (below === undefined) return undefined;
    line = below;
  }
  return undefined;
}

/** Comment spans of one file, and questions about the lines they sit on. */
class CommentLines {
  private readonly ranges: [number, number][];

  constructor(private readonly text: string, file: string, private readonly lines: LineMap) {
    this.ranges = commentRanges(text, file);
  }

  get lineCount(): number {
    return this.lines.lineCount;
  }

  offset(line: number, col: number): number {
    return this.lines.lineStart(line) + col;
  }

  lineOf(offset: number): number {
    return this.lines.lineOf(offset);
  }

  /** The comment span holding an offset (binary search: the ranges are sorted and disjoint). */
  containing(offset: number): [number, number] | undefined {
    let lo = 0;
    let hi = this.ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const [start, end] = this.ranges[mid];
      if (offset < start) hi = mid - 1;
      else if (offset >= end) lo = mid + 1;
      else return this.ranges[mid];
    }
    return undefined;
  }

  /** Whether only whitespace stands before this offset on its line. */
  startsLine(offset: number): boolean {
    for (let i = offset - 1; i >= 0; i--) {
      const ch = this.text.charCodeAt(i);
      if (ch === 10) return true;
      if (ch !== 32 && ch !== 9 && ch !== 13) return false;
    }
    return true;
  }

  /** Whether only whitespace follows this offset up to the end of its line. */
  onlyWhitespaceAfter(offset: number): boolean {
    for (let i = offset; i < this.text.length; i++) {
      const ch = this.text.charCodeAt(i);
      if (ch === 10) return true;
      if (ch !== 32 && ch !== 9 && ch !== 13) return false;
    }
    return true;
  }

  /**
   * When a line holds nothing but comments, the last line those comments reach (a block comment may
   * go on below); undefined for a blank line or a line with code.
   */
  commentOnlyLineEnd(line: number): number | undefined {
    const start = this.lines.lineStart(line);
    let at = start;
    while (at < this.text.length && (this.text[at] === ' ' || this.text[at] === '\t' || this.text[at] === '\r')) at++;
    if (at >= this.text.length || this.text[at] === '\n') return undefined;
    let last = line;
    for (let guard = 0; guard < 64; guard++) {
      const comment = this.containing(at);
      if (!comment) return undefined;
      last = this.lineOf(comment[1] - 1);
      at = comment[1];
      while (at < this.text.length && (this.text[at] === ' ' || this.text[at] === '\t' || this.text[at] === '\r')) at++;
      if (at >= this.text.length || this.text[at] === '\n') return last;
    }
    return undefined;
  }
}

export interface TagLocation {
  file: string;
  ref: TagRef;
}

export interface TicketLocation {
  file: string;
  ref: TicketReference;
}

/**
 * Every reference in a workspace folder's code, file by file, with lookups by problem id and ticket
 * key. Updated one file at a time, so a change never rescans the workspace.
 */
export class CodeReferenceIndex {
  private readonly byFile = new Map<string, FileRefs>();
  private readonly filesById = new Map<string, Set<string>>();
  private readonly filesByKey = new Map<string, Set<string>>();

  /** How many files hold at least one reference. */
  get size(): number {
    return this.byFile.size;
  }

  files(): string[] {
    return [...this.byFile.keys()].sort();
  }

  forFile(file: string): FileRefs | undefined {
    return this.byFile.get(file);
  }

  /** Replaces what a file says; a file with no reference is dropped. */
  set(refs: FileRefs): void {
    this.delete(refs.file);
    if (refs.tags.length === 0 && refs.tickets.length === 0) return;
    this.byFile.set(refs.file, refs);
    for (const t of refs.tags) addTo(this.filesById, t.id, refs.file);
    for (const t of refs.tickets) addTo(this.filesByKey, t.key, refs.file);
  }

  delete(file: string): void {
    const old = this.byFile.get(file);
    if (!old) return;
    this.byFile.delete(file);
    for (const t of old.tags) removeFrom(this.filesById, t.id, file);
    for (const t of old.tickets) removeFrom(this.filesByKey, t.key, file);
  }

  clear(): void {
    this.byFile.clear();
    this.filesById.clear();
    this.filesByKey.clear();
  }

  /** Every tag naming a problem id, by file then line. */
  tagsOf(id: string): TagLocation[] {
    const out: TagLocation[] = [];
    for (const file of sorted(this.filesById.get(id))) {
      for (const ref of this.byFile.get(file)!.tags) if (ref.id === id) out.push({ file, ref });
    }
    return out;
  }

  /** Every mention of a ticket key in comments, by file then line. */
  mentionsOf(key: string): TicketLocation[] {
    const out: TicketLocation[] = [];
    for (const file of sorted(this.filesByKey.get(key))) {
      for (const ref of this.byFile.get(file)!.tickets) if (ref.key === key) out.push({ file, ref });
    }
    return out;
  }

  /** Problem ids tagged anywhere (for checks of unknown ids). */
  taggedIds(): string[] {
    return [...this.filesById.keys()];
  }
}

function addTo(map: Map<string, Set<string>>, key: string, file: string): void {
  const set = map.get(key);
  if (set) set.add(file);
  else map.set(key, new Set([file]));
}

function removeFrom(map: Map<string, Set<string>>, key: string, file: string): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(file);
  if (set.size === 0) map.delete(key);
}

function sorted(set: Set<string> | undefined): string[] {
  return set ? [...set].sort() : [];
}
