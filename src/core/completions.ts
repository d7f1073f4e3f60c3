// What to offer while someone writes a customer-insights file by hand, and after a `@why` tag in code.
// Pure: it reads the lines around the cursor (by indentation, so a half-written file that does not
// parse still gets answers) and the folder's index; the editor fetches file listings and symbols
// when the context asks for them and turns the answers into completion items.
import * as posix from 'node:path/posix';
import { EVIDENCE_KINDS, HEALTHS, HORIZONS, SEVERITIES, SIGNALS, STATUSES } from './model';
import type { Span } from './model';
import { FORMAT_KEYS, defaultSignal } from './parse';
import type { SymbolNode } from './syntax/types';
import type { InsightsIndex } from './workspaceIndex';

// ---- reading lines ----------------------------------------------------------------------------------

/** The lines of a document: an editor's document or a string (textLines). */
export interface TextLines {
  readonly lineCount: number;
  /** The line's text without its line break. */
  lineAt(line: number): string;
}

export function textLines(text: string): TextLines {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[0].charCodeAt(0) === 0xfeff) lines[0] = lines[0].slice(1);
  return { lineCount: lines.length, lineAt: (n) => lines[n] ?? '' };
}

/** The shape of one YAML line, as far as indentation tells. */
interface Shape {
  /** Column of the first non-space character (the first dash on a list item line). */
  indent: number;
  /** Whether the line starts with a list item's `-`. */
  dash: boolean;
  /** Column of what follows the dashes (the key or scalar); -1 when nothing does. */
  contentCol: number;
  key?: string;
  keyEnd: number;
  /** Column just past the key's colon. */
  colonEnd: number;
  /** The value after the colon (or the scalar after a dash), without a trailing comment, trimmed. */
  value: string;
  /** Column where `value` starts. */
  valueCol: number;
  blank: boolean;
  comment: boolean;
}

const KEY = /^([A-Za-z_][A-Za-z0-9_.-]*|"[^"\n]*"|'[^'\n]*')[ \t]*:(?=[ \t]|$)/;

function shapeOf(line: string): Shape {
  let i = 0;
  while (i < line.length && line[i] === ' ') i++;
  const indent = i;
  const shape: Shape = {
    indent, dash: false, contentCol: -1, keyEnd: -1, colonEnd: -1, value: '', valueCol: -1,
    blank: i >= line.length || line.trim() === '', comment: line[i] === '#',
  };
  if (shape.blank || shape.comment) return shape;
  while (line[i] === '-' && (i + 1 >= line.length || line[i + 1] === ' ' || line[i + 1] === '\t')) {
    shape.dash = true;
    i++;
    while (line[i] === ' ' || line[i] === '\t') i++;
  }
  if (i >= line.length || line[i] === '#') return shape;
  shape.contentCol = i;
  const rest = line.slice(i);
  const m = KEY.exec(rest);
  if (m) {
    shape.key = m[1].replace(/^["']|["']$/g, '');
    shape.keyEnd = i + m[1].length;
    shape.colonEnd = i + m[0].length;
    let v = shape.colonEnd;
    while (line[v] === ' ' || line[v] === '\t') v++;
    shape.valueCol = v;
    shape.value = stripComment(line.slice(v)).trimEnd();
  } else {
    shape.valueCol = i;
    shape.value = stripComment(rest).trimEnd();
  }
  return shape;
}

/** A line's text up to a comment (a `#` after a space, outside quotes). */
function stripComment(s: string): string {
  let quote: string | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === '\'') {
      quote = c;
    } else if (c === '#' && (i === 0 || s[i - 1] === ' ' || s[i - 1] === '\t')) {
      return s.slice(0, i);
    }
  }
  return s;
}

/** Whether a line opens a nested block: `key:` with nothing (or only a comment) after it. */
const opensBlock = (s: Shape) => s.key !== undefined && s.value === '';

/**
 * Where things are, read upward by indentation. A path is the keys from the top, with '-' for a list
 * item: `problems - evidence -` is an evidence item. Undefined when the line is inside a scalar (a
 * `|` description) or the layout cannot be read.
 */
class Reader {
  private readonly shapes = new Map<number, Shape>();

  constructor(readonly doc: TextLines) {}

  shape(line: number): Shape {
    let s = this.shapes.get(line);
    if (!s) {
      s = shapeOf(this.doc.lineAt(line));
      this.shapes.set(line, s);
    }
    return s;
  }

  private skip(s: Shape): boolean {
    return s.blank || s.comment;
  }

  /** The path of the map whose keys sit at column `kc`, for a line below `line`. */
  mapPath(line: number, kc: number): string[] | undefined {
    for (let l = line - 1; l >= 0; l--) {
      const s = this.shape(l);
      if (this.skip(s) || s.indent > kc) continue;
      if (s.dash) {
        // `- key: …` starting this very map: it is a list item.
        if (s.indent < kc && (s.contentCol === kc || s.contentCol === -1)) {
          const list = this.listPath(l, s.indent);
          return list && [...list, '-'];
        }
        if (s.indent >= kc) continue; // an item of a sibling key's list written flush with it
        if (s.contentCol < kc && s.contentCol !== -1 && opensBlock(s)) {
          const list = this.listPath(l, s.indent);
          return list && [...list, '-', s.key!];
        }
        return undefined;
      }
      if (s.indent === kc) {
        if (s.key === undefined) return undefined;
        continue; // a sibling key
      }
      // Less indented: the key this map is the value of.
      if (!opensBlock(s)) return undefined;
      const outer = this.mapPath(l, s.indent);
      return outer && [...outer, s.key!];
    }
    return [];
  }

  /** The path of the list whose items' `-` sits at column `dc`, ending with the list's key. */
  listPath(line: number, dc: number): string[] | undefined {
    for (let l = line - 1; l >= 0; l--) {
      const s = this.shape(l);
      if (this.skip(s) || s.indent > dc) continue;
      if (s.dash && s.indent === dc) continue; // an earlier item
      if (!opensBlock(s) || s.contentCol > dc) return undefined;
      if (s.dash) {
        const list = this.listPath(l, s.indent);
        return list && [...list, '-', s.key!];
      }
      const outer = this.mapPath(l, s.contentCol);
      return outer && [...outer, s.key!];
    }
    return undefined;
  }

  /**
   * The keys of the map at column `kc` that holds `line`, with their values and lines: above up to
   * the map's start, below to its end.
   */
  siblings(line: number, kc: number): Map<string, { value: string; line: number }> {
    const found = new Map<string, { value: string; line: number }>();
    const own = this.shape(line);
    if (own.key !== undefined && own.contentCol === kc) found.set(own.key, { value: own.value, line });
    if (!(own.dash && own.contentCol === kc)) {
      for (let l = line - 1; l >= 0; l--) {
        const s = this.shape(l);
        if (this.skip(s) || s.indent > kc) continue;
        if (s.dash && s.indent >= kc) continue;
        if (s.dash && s.contentCol === kc) {
          if (s.key !== undefined) found.set(s.key, { value: s.value, line: l });
          break;
        }
        if (s.dash || s.indent < kc) break;
        if (s.key !== undefined && !found.has(s.key)) found.set(s.key, { value: s.value, line: l });
      }
    }
    for (let l = line + 1; l < this.doc.lineCount; l++) {
      const s = this.shape(l);
      if (this.skip(s) || s.indent > kc) continue;
      if (s.dash && s.indent === kc) continue;
      if (s.dash || s.indent < kc || s.key === undefined) break;
      if (!found.has(s.key)) found.set(s.key, { value: s.value, line: l });
    }
    return found;
  }
}

// ---- where the cursor is ---------------------------------------------------------------------------

/** The kinds of map the format has (FORMAT_KEYS holds their keys). */
export type MapKind = keyof typeof FORMAT_KEYS;

/** The kind of map a path leads to; undefined for anything else. */
export function mapKindOf(path: readonly string[]): MapKind | undefined {
  const p = path.join(' ');
  switch (p) {
    case '': return 'top';
    case 'product': return 'product';
    case 'trackers -': return 'tracker';
    case 'personas -': return 'persona';
    case 'customers -': return 'customer';
    case 'problems -': return 'problem';
    case 'problems - impact': return 'impact';
    case 'problems - evidence -': return 'evidence';
    case 'problems - code -': return 'anchor';
    default: return undefined;
  }
}

/** What the lists of the format hold, by their path. */
function listKindOf(path: readonly string[]): { items: MapKind } | { ids: IdKind } | { code: true } | undefined {
  const p = path.join(' ');
  switch (p) {
    case 'trackers': return { items: 'tracker' };
    case 'personas': return { items: 'persona' };
    case 'customers': return { items: 'customer' };
    case 'problems': return { items: 'problem' };
    case 'problems - evidence': return { items: 'evidence' };
    case 'problems - code': return { code: true };
    case 'problems - personas': return { ids: 'persona' };
    case 'problems - customers': return { ids: 'customer' };
    case 'problems - related': return { ids: 'problem' };
    default: return undefined;
  }
}

export type IdKind = 'persona' | 'customer' | 'problem';

/** A map of the file at a place: its kind, the keys it already has and the line of its first key. */
export interface MapAt {
  kind: MapKind;
  keys: Map<string, { value: string; line: number }>;
}

/** The map whose key is at `line` (its key starting at column `kc`); undefined when unreadable. */
export function mapAt(doc: TextLines, line: number): MapAt | undefined {
  const reader = new Reader(doc);
  const s = reader.shape(line);
  if (s.key === undefined) return undefined;
  const path = s.dash ? withItem(reader.listPath(line, s.indent)) : reader.mapPath(line, s.contentCol);
  const kind = path && mapKindOf(path);
  return kind ? { kind, keys: reader.siblings(line, s.contentCol) } : undefined;
}

const withItem = (list: string[] | undefined) => list && [...list, '-'];

/** What the cursor is on, and what would complete it. */
export type CompletionContext =
  /** A key of a map (typing a new one, or on an existing one). */
  | { kind: 'key'; map: MapKind; present: string[]; range: Span; /** On a key already written (its colon and value stay): the name alone. */ rename: boolean }
  /** A value of one of the enumerated fields. */
  | { kind: 'enum'; key: EnumKey; range: Span }
  /** An id of a persona, customer or problem: `flow` inside `[…]`, `wrap` when the list is still to write. */
  | { kind: 'id'; ids: IdKind; range: Span; present: string[]; wrap: boolean; flow: boolean; self?: string }
  /** A path relative to the insights file (`path:` of an anchor, or a string entry of `code:`). */
  | { kind: 'path'; range: Span; typed: string; directories: boolean; keys: boolean }
  /** A symbol of the file the sibling `path:` names. */
  | { kind: 'symbol'; range: Span; path: string };

export type EnumKey = 'status' | 'severity' | 'horizon' | 'kind' | 'signal' | 'health';

const ENUMS: Record<EnumKey, readonly string[]> = {
  status: STATUSES, severity: SEVERITIES, horizon: HORIZONS, kind: EVIDENCE_KINDS, signal: SIGNALS, health: HEALTHS,
};

/** Which map each enumerated field belongs to. */
const ENUM_OWNER: Record<EnumKey, MapKind> = {
  status: 'problem', severity: 'problem', horizon: 'problem', kind: 'evidence', signal: 'evidence', health: 'customer',
};

/** The values an enumerated field accepts, when `key` in a `map` is one. */
export function enumValues(map: MapKind, key: string): readonly string[] | undefined {
  return Object.prototype.hasOwnProperty.call(ENUMS, key) && ENUM_OWNER[key as EnumKey] === map ? ENUMS[key as EnumKey] : undefined;
}

const span = (line: number, col: number, endCol: number): Span => ({ line, col, endLine: line, endCol });

/** The token around `col` in `text` (characters `word` accepts), as [start, end). */
function tokenAround(text: string, col: number, word: RegExp): [number, number] {
  let start = col;
  while (start > 0 && word.test(text[start - 1])) start--;
  let end = col;
  while (end < text.length && word.test(text[end])) end++;
  return [start, end];
}

const ID_CHAR = /[A-Za-z0-9._-]/;
const PATH_CHAR = /[^\s"'#,[\]{}]/;

/** Whether `col` is inside a comment of the line. */
function inComment(text: string, col: number): boolean {
  const code = stripComment(text);
  return code.length < text.length && col > code.length;
}

/** What to complete at a position of an insights file; undefined for nothing. */
export function completionContext(doc: TextLines, line: number, col: number): CompletionContext | undefined {
  if (line < 0 || line >= doc.lineCount) return undefined;
  const text = doc.lineAt(line);
  if (col > text.length || inComment(text, col)) return undefined;
  const reader = new Reader(doc);
  const s = reader.shape(line);

  if (s.key !== undefined && col >= s.colonEnd) return valueContext(reader, line, col, s);

  if (s.key !== undefined && col >= s.contentCol && col <= s.keyEnd) {
    // On a key already written: other keys of the same map may replace it.
    const path = s.dash ? withItem(reader.listPath(line, s.indent)) : reader.mapPath(line, s.contentCol);
    const map = path && mapKindOf(path);
    if (!map) return undefined;
    const present = [...reader.siblings(line, s.contentCol).keys()].filter((k) => k !== s.key);
    return { kind: 'key', map, present, range: span(line, s.contentCol, s.keyEnd), rename: true };
  }

  if (s.dash) {
    // `- …` with no key yet: an item of a list.
    if (s.contentCol === -1 ? col <= s.indent + 1 : col < s.contentCol) return undefined;
    const list = reader.listPath(line, s.indent);
    const kind = list && listKindOf(list);
    if (!kind) return undefined;
    const [start, end] = s.contentCol === -1 ? [col, col] : tokenAround(text, col, 'ids' in kind ? ID_CHAR : PATH_CHAR);
    if ('ids' in kind) {
      const self = kind.ids === 'problem' ? problemIdAbove(reader, line, s.indent) : undefined;
      return { kind: 'id', ids: kind.ids, range: span(line, start, end), present: listedIds(reader, line, s.indent), wrap: false, flow: false, self };
    }
    if ('code' in kind) return { kind: 'path', range: span(line, start, end), typed: text.slice(start, col), directories: true, keys: true };
    const [ks, ke] = tokenAround(text, col, ID_CHAR);
    return { kind: 'key', map: kind.items, present: [], range: span(line, ks, ke), rename: false };
  }

  // A line with a word being typed (or nothing yet): a new key of the map at that column.
  if (s.contentCol !== -1 && (col < s.contentCol || /[:[{"'|>]/.test(text.slice(s.contentCol)))) return undefined;
  const kc = s.contentCol === -1 ? col : s.contentCol;
  if (s.contentCol === -1 && text.slice(0, col).trim() !== '') return undefined;
  const path = reader.mapPath(line, kc);
  const map = path && mapKindOf(path);
  if (!map) return undefined;
  const [start, end] = s.contentCol === -1 ? [col, col] : tokenAround(text, col, ID_CHAR);
  const present = [...reader.siblings(line, kc).keys()];
  return { kind: 'key', map, present, range: span(line, start, end), rename: false };
}

function valueContext(reader: Reader, line: number, col: number, s: Shape): CompletionContext | undefined {
  const text = reader.doc.lineAt(line);
  const path = s.dash ? withItem(reader.listPath(line, s.indent)) : reader.mapPath(line, s.contentCol);
  const map = path && mapKindOf(path);
  if (!map) return undefined;
  const key = s.key!;
  // Right after the colon, the value needs its space first.
  if (col === s.colonEnd && text[col - 1] === ':') return undefined;
  const valueStart = s.valueCol;
  const valueEnd = valueStart + s.value.length;
  if (valueEnd < col && s.value !== '') return undefined; // after the value
  // The value as one token: quotes excluded from the range.
  const scalarRange = (): Span => {
    if (s.value === '') return span(line, col, col);
    let a = Math.min(valueStart, col);
    let b = valueEnd;
    const quote = text[a];
    if (quote === '"' || quote === '\'') {
      a++;
      if (b - 1 >= Math.max(a, col) && text[b - 1] === quote) b--;
    }
    return span(line, a, b);
  };
  const values = enumValues(map, key);
  if (values) return { kind: 'enum', key: key as EnumKey, range: scalarRange() };
  if (map === 'evidence' && (key === 'persona' || key === 'customer')) {
    return { kind: 'id', ids: key, range: scalarRange(), present: [], wrap: false, flow: false };
  }
  if (map === 'problem' && (key === 'personas' || key === 'customers' || key === 'related')) {
    const ids: IdKind = key === 'personas' ? 'persona' : key === 'customers' ? 'customer' : 'problem';
    const self = ids === 'problem' ? reader.siblings(line, s.contentCol).get('id')?.value : undefined;
    const open = text.indexOf('[', s.colonEnd);
    if (open !== -1 && open < col) {
      const close = text.indexOf(']', open);
      if (close !== -1 && close < col) return undefined;
      const [start, end] = tokenAround(text, col, ID_CHAR);
      const inner = text.slice(open + 1, close === -1 ? undefined : close);
      const present = inner.split(',').map((x) => x.trim().replace(/^["']|["']$/g, '')).filter((x) => x !== '' && x !== text.slice(start, end));
      return { kind: 'id', ids, range: span(line, start, end), present, wrap: false, flow: true, self };
    }
    if (s.value !== '' && !ID_CHAR.test(s.value[0])) return undefined;
    return { kind: 'id', ids, range: s.value === '' ? span(line, col, col) : span(line, valueStart, valueEnd), present: [], wrap: true, flow: false, self };
  }
  if (map === 'problem' && key === 'code') {
    // `code: [src/search/**, …]`: paths inside the flow list.
    const open = text.indexOf('[', s.colonEnd);
    const close = open === -1 ? -1 : text.indexOf(']', open);
    if (open === -1 || open >= col || (close !== -1 && close < col)) return undefined;
    const [start, end] = tokenAround(text, col, PATH_CHAR);
    return { kind: 'path', range: span(line, start, end), typed: text.slice(start, col), directories: true, keys: false };
  }
  if (map === 'anchor' && key === 'path') {
    const range = scalarRange();
    return { kind: 'path', range, typed: text.slice(range.col, col), directories: false, keys: false };
  }
  if (map === 'anchor' && key === 'symbol') {
    const sibling = reader.siblings(line, s.contentCol).get('path');
    const written = sibling?.value.replace(/^["']|["']$/g, '').trim();
    if (!written) return undefined;
    return { kind: 'symbol', range: scalarRange(), path: written };
  }
  return undefined;
}

/** Ids already listed in a block list (the items around `line` with their `-` at column `dc`). */
function listedIds(reader: Reader, line: number, dc: number): string[] {
  const ids: string[] = [];
  const take = (l: number) => {
    const s = reader.shape(l);
    if (s.blank || s.comment || s.indent > dc) return true;
    if (!s.dash || s.indent !== dc) return false;
    if (l !== line && s.value) ids.push(s.value.replace(/^["']|["']$/g, ''));
    return true;
  };
  for (let l = line - 1; l >= 0 && take(l); l--);
  for (let l = line + 1; l < reader.doc.lineCount && take(l); l++);
  return ids;
}

/** The `id` of the map holding the list whose items' `-` is at column `dc` (a problem, for `related`). */
function problemIdAbove(reader: Reader, line: number, dc: number): string | undefined {
  for (let l = line - 1; l >= 0; l--) {
    const s = reader.shape(l);
    if (s.blank || s.comment || s.indent > dc || (s.dash && s.indent === dc)) continue;
    if (s.key === undefined) return undefined;
    return reader.siblings(l, s.contentCol).get('id')?.value.replace(/^["']|["']$/g, '');
  }
  return undefined;
}

// ---- what to offer -----------------------------------------------------------------------------------

export type CompletionKind = 'key' | 'enum' | 'persona' | 'customer' | 'problem' | 'file' | 'folder' | 'symbol';

export interface Completion {
  label: string;
  kind: CompletionKind;
  /** The text to insert; a snippet (`$1`, `$0`) when `snippet` is set. */
  insertText: string;
  snippet?: boolean;
  /** What the list matches typed text against, when not the label. */
  filterText?: string;
  sortText: string;
  /** Plain text, never Markdown: it may come from the insights file. */
  detail?: string;
  documentation?: string;
  /** The span the completion replaces. */
  range: Span;
  /** Whether to ask for completions again after inserting (a key whose value can be completed). */
  retrigger?: boolean;
  preselect?: boolean;
}

export interface CompletionList {
  items: Completion[];
  /** More would match: ask again as the user types. */
  incomplete: boolean;
}

/** Files and symbols the editor fetched for a `path` or `symbol` context. */
export interface CompletionSources {
  /** Every file of the workspace folder (folder-relative, '/' separators). */
  files?: readonly string[];
  /** The folder-relative path of the insights file being written. */
  insightsFile?: string;
  /** The symbols of the file a `symbol` context names. */
  symbols?: readonly SymbolNode[];
}

/** At most this many paths are offered at once; more make the list incomplete (asked again as the user types). */
export const MAX_PATH_COMPLETIONS = 1000;

const KEY_DOCS: Record<string, string> = {
  version: 'Format version; must be 1.',
  product: 'The product: name and value proposition.',
  trackers: 'How ticket keys are recognised and linked: a prefix or a pattern, and a url with {key}.',
  personas: 'Who you build for.',
  customers: 'Accounts or segments whose evidence you hold.',
  problems: 'The customer problems the code solves.',
  id: 'Required, unique: letters, digits, ".", "_" and "-", starting with a letter.',
  title: 'Required: the problem in the customer\'s words.',
  description: 'Markdown.',
  status: 'hypothesis (default) | validated | in-progress | solved | wont-fix',
  severity: 'critical | high | medium (default) | low',
  horizon: 'urgent | active | strategic',
  tags: 'Free-form tags.',
  impact: 'Figures as entered by people: customers, arr, votes, tickets, as_of.',
  validated: 'YYYY-MM-DD: the last date a real customer confirmed the problem.',
  owner: 'Who owns the problem.',
  related: 'Related problem ids.',
  evidence: 'What customers said or what was observed.',
  tickets: 'Ticket keys or URLs.',
  code: 'Anchors: the code that solves this problem (paths, globs, symbols or line ranges).',
  kind: 'Required: interview | field-study | focus-group | survey | support | sales-call | usage-data | review | other',
  signal: 'said | observed; by default from kind (field-study and usage-data are observed).',
  quote: 'What the customer said, verbatim.',
  summary: 'What was said or seen, in your words.',
  date: 'YYYY-MM-DD',
  url: 'An http(s) link to the source.',
  count: 'How many responses, tickets or sessions this item stands for.',
  path: 'A file, directory or glob, relative to this file\'s folder.',
  symbol: 'A symbol by its dotted container path, such as CsvWriter.flush.',
  lines: 'A 1-based line or range, such as 88-104.',
  text: 'The first line\'s text (trimmed): lets the anchor follow moved code.',
  note: 'Why this code matters for the problem.',
  name: 'Required: a readable name.',
  jobs: 'The jobs this persona needs done.',
  segment: 'enterprise, mid-market, smb…',
  arr: 'Annual recurring revenue, a number.',
  health: 'healthy | at-risk | churned',
  value: 'The value proposition, one sentence.',
  prefix: 'Recognises PREFIX-123 as a ticket key.',
  pattern: 'A regular expression recognising ticket keys.',
  as_of: 'YYYY-MM-DD: when the figures were taken.',
  votes: 'Votes or requests, a number.',
};

const REQUIRED: Partial<Record<MapKind, readonly string[]>> = {
  top: ['version'], persona: ['id', 'name'], customer: ['id', 'name'], problem: ['id', 'title'], evidence: ['kind'], anchor: ['path'],
  tracker: ['url'],
};

/** Keys whose value is completed too: inserting one asks for completions again. */
const COMPLETED_VALUES = new Set(['status', 'severity', 'horizon', 'kind', 'signal', 'health', 'persona', 'customer', 'path', 'symbol']);
/** Problem keys whose inserted text ends where values are completed (ids, a kind, a path). */
const RETRIGGER_IN_PROBLEM = new Set(['personas', 'customers', 'related', 'evidence', 'code']);
/** Keys holding a short list, written `[…]`. */
const FLOW_LISTS = new Set(['personas', 'customers', 'related', 'tags', 'tickets', 'jobs']);

/** The text a key inserts (a snippet), by the map it is in. */
function keySnippet(map: MapKind, key: string): string {
  if (map === 'top') {
    if (key === 'version') return 'version: 1';
    if (key === 'product') return 'product:\n  name: $0';
    if (key === 'trackers') return 'trackers:\n  - prefix: $1\n    url: $0';
    if (key === 'personas' || key === 'customers') return `${key}:\n  - id: $1\n    name: $0`;
    if (key === 'problems') return 'problems:\n  - id: $1\n    title: $0';
  }
  if (map === 'problem') {
    if (key === 'evidence') return 'evidence:\n  - kind: $0';
    if (key === 'code') return 'code:\n  - path: $0';
    if (key === 'impact') return 'impact:\n  customers: $0';
  }
  if (map === 'persona' && key === 'jobs') return 'jobs: [$0]';
  if (FLOW_LISTS.has(key) && map === 'problem') return `${key}: [$0]`;
  return `${key}: $0`;
}

const ENUM_DOCS: Record<string, string> = {
  hypothesis: 'Not yet confirmed by a customer (the default).',
  validated: 'A real customer confirmed it.',
  'in-progress': 'Being worked on.',
  solved: 'Solved: never goes stale.',
  'wont-fix': 'Decided against: never goes stale.',
  critical: 'The most severe.',
  medium: 'The default.',
  urgent: 'The house is on fire.',
  active: 'In development now.',
  strategic: 'Where the product goes.',
  said: 'What customers told us.',
  observed: 'What we saw them do.',
  'at-risk': 'Shown on cards as at risk.',
};

const pad = (n: number) => String(n).padStart(5, '0');

/** The completions for a context, from the index and what the editor fetched. */
export function completionItems(context: CompletionContext, index: InsightsIndex | undefined, sources: CompletionSources = {}): CompletionList {
  const items: Completion[] = [];
  const range = context.range;
  switch (context.kind) {
    case 'key': {
      const known = FORMAT_KEYS[context.map];
      const required = REQUIRED[context.map] ?? [];
      // An anchor points at a symbol or at lines (with their text), never both.
      const excluded = context.map !== 'anchor' ? [] : context.present.includes('symbol') ? ['lines', 'text'] : context.present.includes('lines') ? ['symbol'] : [];
      known.forEach((key, i) => {
        if (context.present.includes(key) || excluded.includes(key)) return;
        const doc = KEY_DOCS[key];
        items.push({
          label: key, kind: 'key', insertText: context.rename ? key : keySnippet(context.map, key), snippet: !context.rename,
          sortText: `${required.includes(key) ? 0 : 1}${pad(i)}`,
          detail: `${required.includes(key) ? 'required ' : ''}${MAP_NAMES[context.map]} key`,
          documentation: doc, range, retrigger: !context.rename && (COMPLETED_VALUES.has(key) || (context.map === 'problem' && RETRIGGER_IN_PROBLEM.has(key))),
        });
      });
      return { items, incomplete: false };
    }
    case 'enum': {
      ENUMS[context.key].forEach((value, i) => {
        items.push({
          label: value, kind: 'enum', insertText: value, sortText: pad(i), range,
          detail: context.key === 'kind' ? `${defaultSignal(value as (typeof EVIDENCE_KINDS)[number])} by default` : undefined,
          documentation: ENUM_DOCS[value],
        });
      });
      return { items, incomplete: false };
    }
    case 'id': {
      if (!index) return { items, incomplete: false };
      const entries: { id: string; detail: string; doc?: string }[] = context.ids === 'persona'
        ? index.personas.map((p) => ({ id: p.id, detail: p.name, doc: p.description }))
        : context.ids === 'customer'
          ? index.customers.map((c) => ({ id: c.id, detail: c.name, doc: [c.segment, c.health, c.arr !== undefined ? `ARR ${c.arr}` : undefined].filter(Boolean).join(' · ') || undefined }))
          : index.problems.map((p) => ({ id: p.id, detail: p.title, doc: `${p.status} · ${p.severity}` }));
      entries.forEach((e, i) => {
        if (context.present.includes(e.id) || e.id === context.self) return;
        items.push({
          label: e.id, kind: context.ids, insertText: context.wrap ? `[${idScalar(e.id)}]` : idScalar(e.id),
          filterText: context.wrap ? e.id : undefined, sortText: pad(i), detail: e.detail, documentation: e.doc, range,
        });
      });
      return { items, incomplete: false };
    }
    case 'path':
      return pathItems(context, sources);
    case 'symbol': {
      symbolPaths(sources.symbols ?? []).forEach((s, i) => {
        items.push({
          label: s.path, kind: 'symbol', insertText: s.path, sortText: pad(i), range,
          detail: `${s.kind ?? 'symbol'}, line ${s.line + 1}`,
        });
      });
      return { items, incomplete: false };
    }
  }
}

const MAP_NAMES: Record<MapKind, string> = {
  top: 'top-level', product: 'product', tracker: 'tracker', persona: 'persona', customer: 'customer', problem: 'problem',
  impact: 'impact', evidence: 'evidence', anchor: 'code anchor',
};

/** An id as written in YAML (ids never need quotes, but a few words read as other values). */
export function idScalar(id: string): string {
  return /^(?:true|false|null|yes|no|on|off|y|n)$/i.test(id) ? `"${id}"` : id;
}

function pathItems(context: Extract<CompletionContext, { kind: 'path' }>, sources: CompletionSources): CompletionList {
  const files = sources.files ?? [];
  const dir = dirOfFile(sources.insightsFile ?? '');
  const items: Completion[] = [];
  if (context.keys) {
    items.push({
      label: 'path', kind: 'key', insertText: 'path: $0', snippet: true, sortText: '0', range: context.range,
      detail: 'code anchor key', documentation: KEY_DOCS.path, retrigger: true,
    });
  }
  const typedDir = context.typed.includes('/') ? context.typed.slice(0, context.typed.lastIndexOf('/') + 1) : '';
  const typedRest = context.typed.slice(typedDir.length).toLowerCase();
  const candidates: { path: string; folder: boolean; outside: boolean }[] = [];
  const folders = new Set<string>();
  for (const file of files) {
    const rel = relativeTo(dir, file);
    if (typedDir && !rel.startsWith(typedDir)) continue;
    candidates.push({ path: rel, folder: false, outside: rel.startsWith('../') });
    if (context.directories) {
      for (let i = rel.indexOf('/'); i !== -1; i = rel.indexOf('/', i + 1)) {
        const d = rel.slice(0, i);
        if (d !== '..' && !d.endsWith('/..') && !folders.has(d)) folders.add(d);
      }
    }
  }
  for (const d of folders) candidates.push({ path: `${d}/**`, folder: true, outside: d.startsWith('../') });
  candidates.sort((a, b) => Number(a.outside) - Number(b.outside) || a.path.localeCompare(b.path));
  let shown = candidates;
  // Too many to list: only those holding the typed characters in order (as the editor filters).
  if (shown.length > MAX_PATH_COMPLETIONS && typedRest !== '') shown = shown.filter((c) => subsequence(typedRest, c.path.toLowerCase()));
  const incomplete = shown.length > MAX_PATH_COMPLETIONS;
  shown.slice(0, MAX_PATH_COMPLETIONS).forEach((c, i) => {
    items.push({
      label: c.path, kind: c.folder ? 'folder' : 'file', insertText: c.path, sortText: `1${pad(i)}`, range: context.range,
      detail: c.folder ? 'every file under this folder' : undefined,
    });
  });
  return { items, incomplete };
}

function subsequence(needle: string, hay: string): boolean {
  let i = 0;
  for (let j = 0; j < hay.length && i < needle.length; j++) if (hay[j] === needle[i]) i++;
  return i === needle.length;
}

function dirOfFile(file: string): string {
  const slash = file.lastIndexOf('/');
  return slash === -1 ? '' : file.slice(0, slash);
}

/** A folder-relative file as written in an insights file living in `dir`. */
function relativeTo(dir: string, file: string): string {
  if (dir === '') return file;
  if (file.startsWith(`${dir}/`)) return file.slice(dir.length + 1);
  return posix.relative(dir, file);
}

/** The dotted paths of a file's declarations (`CsvWriter`, `CsvWriter.flush`), in file order. */
export function symbolPaths(symbols: readonly SymbolNode[]): { path: string; kind?: string; line: number }[] {
  const out: { path: string; kind?: string; line: number }[] = [];
  const walk = (nodes: readonly SymbolNode[], prefix: string, depth: number) => {
    if (depth > 32) return;
    for (const n of nodes) {
      const path = prefix ? `${prefix}.${n.name}` : n.name;
      out.push({ path, kind: n.kind, line: n.nameLine });
      walk(n.children, path, depth + 1);
    }
  };
  walk(symbols, '', 0);
  return out;
}

// ---- @why tags in code -----------------------------------------------------------------------------

const ID_LIST_BEFORE = /^[ \t]*:?[ \t]*(?:[A-Za-z][A-Za-z0-9._-]*[ \t]*,[ \t]*)*[A-Za-z0-9._-]*$/;

/**
 * Problem ids to offer after a `@why` tag in a line of code, ranked by impact (the index's order),
 * with the title as detail; undefined when the cursor is not in a tag's id list.
 */
export function whyCompletions(lineText: string, line: number, col: number, tag: string, index: InsightsIndex | undefined): CompletionList | undefined {
  if (!tag || !index) return undefined;
  const before = lineText.slice(0, col);
  const at = before.lastIndexOf(tag);
  if (at === -1) return undefined;
  const after = at + tag.length;
  // `@whyever` is another word, not the tag.
  if (/[A-Za-z0-9_-]/.test(lineText[after] ?? '')) return undefined;
  const rest = before.slice(after);
  if (rest === '' || !ID_LIST_BEFORE.test(rest)) return undefined;
  const [start, end] = tokenAround(lineText, col, ID_CHAR);
  // Ids the tag already lists, before and after the cursor (the one being written aside).
  const list = /^[ \t]*:?[ \t]*([A-Za-z0-9._-]*(?:[ \t]*,[ \t]*[A-Za-z0-9._-]*)*)/.exec(lineText.slice(after))?.[1] ?? '';
  const listed = new Set(list.split(/[\s,]+/).filter(Boolean));
  listed.delete(lineText.slice(start, end));
  const items: Completion[] = [];
  index.problems.forEach((p, i) => {
    if (listed.has(p.id)) return;
    items.push({
      label: p.id, kind: 'problem', insertText: p.id, sortText: pad(i), range: span(line, start, end),
      detail: p.title, documentation: `${p.status} · ${p.severity}${p.horizon ? ` · ${p.horizon}` : ''}`,
      preselect: i === 0,
    });
  });
  return { items, incomplete: false };
}
