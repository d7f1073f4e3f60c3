// The trace matrix: every link between a problem and code, problem by problem, for `customer-lens
// trace` and for the editor's exports. Built from the index, the resolved anchors and the
// workspace's code references; pure (no I/O): the caller says how many lines a file has.
//
// Rows, in this order for each problem (problems in the order the insights files write them):
//   1. its anchors in the order of its `code` list; a path or glob anchor gives one row per file it
//      covers (sorted), a lost anchor one row without lines;
//   2. its `@why` tags, by file and line;
//   3. the comments that mention its tickets, ticket by ticket in the order the problem lists them.
// Lines are 1-based and inclusive: a symbol anchor's declaration, a lines anchor's range (where the
// code is now, when it moved), a tag's region (its whole declaration, or its line), a ticket
// mention's line, and for a path or glob anchor the whole file, 1 to its line count (no lines when
// the file cannot be read as text: too large, binary, unreadable). Lost anchors have no lines.
import type { ResolvedAnchor } from './anchors';
import type { CodeReferenceIndex } from './codeRefs';
import type { Problem } from './model';
import { printable } from './parse';
import type { InsightsIndex } from './workspaceIndex';

export type TraceKind = 'symbol' | 'lines' | 'path' | 'tag' | 'ticket';
export type TraceStatus = 'ok' | 'moved' | 'lost';

export interface TraceLink {
  /** The problem's id. */
  problem: string;
  kind: TraceKind;
  /** Folder-relative, '/' separators; for a lost path or glob, the path as written, resolved against the folder. */
  file: string;
  /** 1-based, inclusive; absent when unknown (lost anchors, files that cannot be read as text). */
  startLine?: number;
  endLine?: number;
  /** Tags and ticket mentions are always ok: they are where the code says they are. */
  status: TraceStatus;
  /**
   * What the link names: symbol, the dotted symbol; lines, the range as written; path, the path or
   * glob as written; tag, the declaration it covers (absent when it covers its line); ticket, the key.
   */
  detail?: string;
  /** For moved and lost anchors: what happened, in words. */
  reason?: string;
}

export interface TraceGroup {
  problem: Problem;
  links: TraceLink[];
}

/** The number of lines of a folder-relative file, or undefined when it cannot be read as text. */
export type LineCounter = (file: string) => number | undefined;

/**
 * The trace matrix. `resolved` holds the resolved anchors of the index (any order; anchors without
 * a resolution are skipped); `refs` the workspace's tags and ticket mentions.
 */
export function traceMatrix(index: InsightsIndex, resolved: readonly ResolvedAnchor[], refs: CodeReferenceIndex, lineCount: LineCounter): TraceGroup[] {
  const byAnchor = new Map(resolved.map((r) => [r.anchor, r]));
  return problemsInFileOrder(index).map((problem) => {
    const links: TraceLink[] = [];
    for (const anchor of problem.code) {
      const r = byAnchor.get(anchor);
      if (r) links.push(...anchorLinks(problem.id, r, lineCount));
    }
    for (const { file, ref } of refs.tagsOf(problem.id)) {
      const link: TraceLink = { problem: problem.id, kind: 'tag', file, startLine: ref.region.startLine + 1, endLine: ref.region.endLine + 1, status: 'ok' };
      if (ref.declaration) link.detail = ref.declaration.path;
      links.push(link);
    }
    const keys = new Set<string>();
    for (const t of problem.tickets) {
      if (keys.has(t.value)) continue;
      keys.add(t.value);
      for (const { file, ref } of refs.mentionsOf(t.value)) {
        links.push({ problem: problem.id, kind: 'ticket', file, startLine: ref.line + 1, endLine: ref.line + 1, status: 'ok', detail: ref.key });
      }
    }
    return { problem, links };
  });
}

/** Every link of the matrix, problem by problem. */
export function traceLinks(groups: readonly TraceGroup[]): TraceLink[] {
  return groups.flatMap((g) => g.links);
}

/** Problems in the order the insights files write them (files in index order). */
function problemsInFileOrder(index: InsightsIndex): Problem[] {
  const fileOrder = new Map(index.files.map((f, i) => [f.file, i]));
  return [...index.problems].sort((a, b) =>
    (fileOrder.get(a.file) ?? 0) - (fileOrder.get(b.file) ?? 0) || a.span.line - b.span.line || a.span.col - b.span.col);
}

function anchorLinks(problem: string, r: ResolvedAnchor, lineCount: LineCounter): TraceLink[] {
  const { anchor } = r;
  const kind: TraceKind = anchor.glob ? 'path' : anchor.kind;
  const detail = kind === 'symbol' ? anchor.symbol : kind === 'lines' ? linesWritten(r) : anchor.written;
  const base = { problem, kind, status: r.status, ...(detail !== undefined ? { detail } : {}), ...(r.reason && r.status !== 'ok' ? { reason: r.reason } : {}) };
  if (r.status === 'lost') return [{ ...base, file: r.files[0] ?? anchor.path ?? anchor.written }];
  if (kind === 'path') {
    return [...r.files].sort(compareCodeUnits).map((file) => {
      const count = lineCount(file);
      return count === undefined ? { ...base, file } : { ...base, file, startLine: 1, endLine: Math.max(1, count) };
    });
  }
  const file = r.files[0];
  return [r.region ? { ...base, file, startLine: r.region.startLine + 1, endLine: r.region.endLine + 1 } : { ...base, file }];
}

function linesWritten(r: ResolvedAnchor): string | undefined {
  const lines = r.anchor.lines;
  if (!lines) return undefined;
  return lines.start === lines.end ? String(lines.start) : `${lines.start}-${lines.end}`;
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---- formats -----------------------------------------------------------------------------------
// Every value from the insights files or the file system is untrusted: control characters become
// visible escapes (printable) in every format, and each format escapes what is special to it.

/** The JSON document: `{"links": [...]}`, one object per link (lines null when unknown). */
export function traceJson(groups: readonly TraceGroup[]): { links: Record<string, string | number | null>[] } {
  return {
    links: traceLinks(groups).map((l) => ({
      problem: l.problem, kind: l.kind, file: l.file, startLine: l.startLine ?? null, endLine: l.endLine ?? null, status: l.status,
      ...(l.detail !== undefined ? { detail: l.detail } : {}),
      ...(l.reason !== undefined ? { reason: l.reason } : {}),
    })),
  };
}

export const CSV_COLUMNS = ['problem', 'kind', 'file', 'startLine', 'endLine', 'status', 'detail', 'reason'] as const;

/**
 * RFC 4180 CSV: a header row, records separated by CRLF, a field quoted (with its quotes doubled)
 * when it holds a comma, a quote, CR or LF. A field starting with =, +, -, @, tab or CR is prefixed
 * with ' so that a spreadsheet shows it as text instead of running it as a formula (CSV injection).
 */
export function traceCsv(groups: readonly TraceGroup[]): string {
  const rows = [CSV_COLUMNS.map(csvField).join(',')];
  for (const l of traceLinks(groups)) {
    rows.push([l.problem, l.kind, l.file, l.startLine, l.endLine, l.status, l.detail, l.reason].map(csvField).join(','));
  }
  return `${rows.join('\r\n')}\r\n`;
}

export function csvField(value: string | number | undefined): string {
  if (value === undefined) return '';
  let s = printable(String(value));
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Markdown: a heading and a table per problem (a line saying so when it reaches no code). Every
 * value is escaped: the punctuation that means something inside a line or a table cell with a
 * backslash (\ ` * _ [ ] | ~ $), HTML's <, > and & as entities, control characters made visible,
 * line breaks as spaces. (Line-start markup such as # or - cannot occur: every value sits after
 * "## " or "| ".)
 */
export function traceMarkdown(groups: readonly TraceGroup[]): string {
  const out: string[] = ['# Trace: customer problems to code'];
  for (const { problem, links } of groups) {
    out.push('', `## ${markdownText(problem.id)}: ${markdownText(problem.title)}`, '');
    if (links.length === 0) {
      out.push('No code is linked to this problem.');
      continue;
    }
    out.push('| Kind | File | Lines | Status | Detail |', '| --- | --- | --- | --- | --- |');
    for (const l of links) {
      const detail = [l.detail, l.reason].filter((s): s is string => s !== undefined).join(': ');
      out.push(`| ${[l.kind, l.file, lineRange(l), l.status, detail].map(markdownText).join(' | ')} |`);
    }
  }
  return `${out.join('\n')}\n`;
}

/** Text made safe inside Markdown (and a table cell): nothing in it is read as markup. */
export function markdownText(value: string): string {
  return printable(value.replace(/\r\n|\r|\n/g, ' '))
    .replace(/[\\`*_[\]|~$]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** A readable table grouped by problem, for a terminal (every line printable). */
export function traceText(groups: readonly TraceGroup[]): string[] {
  const rows = groups.flatMap((g) => g.links.map((l) => [l.kind, l.file, lineRange(l), l.status, [l.detail, l.reason].filter(Boolean).join(': ')].map(printable)));
  const widths = [0, 1, 2, 3].map((c) => Math.max(0, ...rows.map((r) => r[c].length)));
  const out: string[] = [];
  let row = 0;
  for (const { problem, links } of groups) {
    out.push(printable(`${problem.id}  ${problem.title}`));
    if (links.length === 0) out.push('  (no code linked)');
    for (let i = 0; i < links.length; i++, row++) {
      const cells = rows[row];
      out.push(`  ${cells.slice(0, 4).map((c, k) => c.padEnd(widths[k])).join('  ')}${cells[4] ? `  ${cells[4]}` : ''}`.trimEnd());
    }
  }
  const links = traceLinks(groups);
  const count = (s: TraceStatus) => links.filter((l) => l.status === s).length;
  const unlinked = groups.filter((g) => g.links.length === 0).length;
  out.push('', `${plural(groups.length, 'problem')}, ${plural(links.length, 'link')} (${count('moved')} moved, ${count('lost')} lost); ` +
    `${plural(unlinked, 'problem')} without code`);
  return out;
}

/** "12", "12-30", or "-" when unknown. */
export function lineRange(l: TraceLink): string {
  if (l.startLine === undefined) return '-';
  return l.endLine === undefined || l.endLine === l.startLine ? String(l.startLine) : `${l.startLine}-${l.endLine}`;
}

function plural(n: number, one: string): string {
  return `${n} ${n === 1 ? one : `${one}s`}`;
}
