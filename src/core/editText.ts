// Text helpers of the edit engine: text edits and how to apply them, line endings, line lookups,
// writing scalars the way YAML needs them, and a structural comparison used to verify edits.
// Pure functions on strings: no I/O, no 'vscode'.
import { parse as parseYaml } from 'yaml';
import { LineMap } from './spans';

/** Replace `[start, end)` of the text (UTF-16 offsets into the text as given) with `newText`. */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

/** Applies non-overlapping edits (in any order) to a text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.start < at || e.end < e.start || e.end > text.length) throw new RangeError('overlapping or out-of-range edit');
    out += text.slice(at, e.start) + e.newText;
    at = e.end;
  }
  return out + text.slice(at);
}

/** The file's line break: CRLF when its first line ends with one, LF otherwise (and for one-line files). */
export function detectEol(text: string): '\n' | '\r\n' {
  const i = text.indexOf('\n');
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}

/** Line starts of a text, with lookups by offset; lines exclude their line break. */
export class Lines extends LineMap {
  constructor(readonly text: string) {
    super(text);
  }

  get count(): number {
    return this.lineCount;
  }

  start(line: number): number {
    return this.starts[line];
  }

  /** Offset just past the line's break (the next line's start), or the text's end. */
  next(line: number): number {
    return line + 1 < this.starts.length ? this.starts[line + 1] : this.text.length;
  }

  /** The line's text without its break (and without a BOM on the first line). */
  get(line: number): string {
    let s = this.text.slice(this.starts[line], this.next(line));
    if (s.endsWith('\n')) s = s.slice(0, s.endsWith('\r\n') ? -2 : -1);
    return line === 0 && s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
  }
}

/** Column of an offset: characters since the start of its line. */
export function colOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/** Start of the line holding `offset`. */
export function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/**
 * Where lines can be inserted after the line holding the character before `offset`: the start of the
 * next line, or the end of the text (then the inserted text must begin with a line break).
 */
export function lineEndAfter(text: string, offset: number): { pos: number; needsEol: boolean } {
  if (offset > 0 && text[offset - 1] === '\n') return { pos: offset, needsEol: false };
  const i = text.indexOf('\n', offset);
  return i === -1 ? { pos: text.length, needsEol: true } : { pos: i + 1, needsEol: false };
}

export function indentOf(line: string): number {
  let i = 0;
  while (i < line.length && line[i] === ' ') i++;
  return i;
}

export function isBlank(line: string): boolean {
  return line.trim() === '';
}

export function isCommentLine(line: string): boolean {
  return line.trimStart().startsWith('#');
}

// ---- scalars -----------------------------------------------------------------------------------

const RESERVED_WORDS = new Set([
  '~', 'null', 'true', 'false', 'yes', 'no', 'on', 'off', 'y', 'n', '.inf', '-.inf', '+.inf', '.nan', '<<', '=',
]);

const NUMBER_LIKE = [
  /^[-+]?(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][-+]?\d+)?$/,
  /^[-+]?0[xXoObB][0-9a-fA-F_]+$/,
  /^[-+]?\d[\d_]*(?::[0-5]?\d)+(?:\.[\d_]*)?$/,
  /^\d{4}-\d\d?-\d\d?(?:(?:[Tt]|\s+)\d\d?:\d\d:\d\d(?:\.\d*)?(?:\s*(?:Z|[-+]\d\d?(?::\d\d)?))?)?$/,
];

/**
 * A string written as a YAML scalar: plain when YAML reads it back as the same string (and no reader,
 * YAML 1.1 included, would take it for a number, boolean, null or date), double-quoted otherwise.
 * Brackets and braces are always quoted (code such as `if (x) {` reads better quoted); `flow` is for
 * values inside `[...]` or `{...}`, where a comma needs quotes too.
 */
export function yamlScalar(value: string, flow = false): string {
  return needsQuotes(value, flow) ? JSON.stringify(value) : value;
}

function needsQuotes(value: string, flow: boolean): boolean {
  if (value === '' || value.trim() !== value) return true;
  if (/[\u0000-\u001f\u007f\u0085\u2028\u2029\ufeff]/.test(value)) return true;
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(value)) return true;
  if (/:(\s|$)|\s#/.test(value)) return true;
  if (/[[\]{}]/.test(value) || (flow && value.includes(','))) return true;
  if (RESERVED_WORDS.has(value.toLowerCase())) return true;
  // Numbers, dates and times of any YAML version (1_000, 0x1F, 1:30, 2026-10-01) are quoted.
  if (NUMBER_LIKE.some((re) => re.test(value))) return true;
  try {
    const back = parseYaml(flow ? `[${value}]` : value);
    return flow ? !(Array.isArray(back) && back.length === 1 && back[0] === value) : back !== value;
  } catch {
    return true;
  }
}

/** Deep equality of plain data (objects compared without regard to key order). */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') {
    return typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b);
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => sameData(x, bb[i]));
  }
  if (a instanceof Map || b instanceof Map || a instanceof Set || b instanceof Set) return false;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao);
  if (ak.length !== Object.keys(bo).length) return false;
  return ak.every((k) => Object.prototype.hasOwnProperty.call(bo, k) && sameData(ao[k], bo[k]));
}
