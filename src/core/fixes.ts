// Quick fixes for the findings the checker reports on an insights file (and for unknown `@why` ids
// in code): what to change, as text edits with a title. Pure: the editor hands in the text, the
// model parsed from exactly that text, the folder's index and the diagnostic's rule and span.
//
// Fixes are computed from the model and the diagnostic's place, never from its message: an unknown
// key or enum value is read at the span, with the map around it found by indentation (as completions
// do); an unknown reference or a lost anchor is the model item written at that span. Edits that add
// or remove items go through the edit engine (src/core/edit.ts), so comments and layout survive.
import { distance } from 'fastest-levenshtein';
import type { Anchor, InsightsFile, Located, Problem, RuleId, Span } from './model';
import type { InsightsIndex } from './workspaceIndex';
import { addCustomer, addPersona, removeAnchor } from './edit';
import type { EditResult } from './edit';
import { FORMAT_KEYS } from './parse';
import { enumValues, idScalar, mapAt, textLines } from './completions';
import { LineMap } from './spans';

export interface FixEdit {
  span: Span;
  newText: string;
}

export interface QuickFix {
  title: string;
  /** The rule of the diagnostic it fixes. */
  rule: RuleId;
  edits: FixEdit[];
  /** The fix to apply without asking (a near-certain correction); at most one per diagnostic. */
  preferred: boolean;
}

export interface FixInput {
  /** The insights file's text, exactly as `file` was parsed from. */
  text: string;
  file: InsightsFile;
  /** The folder's index (ids defined in every insights file of the folder). */
  index: InsightsIndex;
}

/** What the editor knows of a diagnostic: its rule (the diagnostic's code) and where it is. */
export interface FixTarget {
  rule: string;
  span: Span;
}

/** At most this many alternatives (nearest first) are offered for a misspelt key, value or id. */
const MAX_SUGGESTIONS = 3;

/** Quick fixes for one diagnostic of an insights file; none when nothing sensible can be offered. */
export function quickFixes(input: FixInput, target: FixTarget): QuickFix[] {
  switch (target.rule) {
    case 'unknown-key': return unknownKeyFixes(input, target.span);
    case 'schema': return enumFixes(input, target.span);
    case 'unknown-reference': return referenceFixes(input, target.span);
    case 'anchor-lost': return lostAnchorFixes(input, target.span);
    default: return [];
  }
}

/** Quick fixes for a `@why` id in code that names no problem: the nearest problem ids. */
export function codeReferenceFixes(id: string, span: Span, index: InsightsIndex): QuickFix[] {
  return nearest(id, index.problems.map((p) => p.id)).map((candidate, i) => ({
    title: `Change to ${candidate} (${clip(index.problem(candidate)?.title ?? '')})`,
    rule: 'unknown-reference',
    edits: [{ span, newText: candidate }],
    preferred: i === 0 && isClose(id, candidate),
  }));
}

// ---- unknown keys and enum values ---------------------------------------------------------------------

function unknownKeyFixes({ text }: FixInput, span: Span): QuickFix[] {
  if (span.line !== span.endLine) return [];
  const doc = textLines(text);
  const line = doc.lineAt(span.line);
  const written = unquote(line.slice(span.col, span.endCol));
  if (!/^[ \t-]*$/.test(line.slice(0, span.col))) return [];
  const map = mapAt(doc, span.line);
  if (!map || !map.keys.has(written)) return [];
  // Keys the map already has would become duplicates (a YAML error): only the missing ones.
  const free = FORMAT_KEYS[map.kind].filter((k) => !map.keys.has(k));
  return nearest(written, free).map((key, i) => ({
    title: `Change "${clip(written)}" to "${key}"`,
    rule: 'unknown-key',
    edits: [{ span, newText: key }],
    preferred: i === 0 && isClose(written, key),
  }));
}

function enumFixes({ text }: FixInput, span: Span): QuickFix[] {
  if (span.line !== span.endLine) return [];
  const doc = textLines(text);
  const map = mapAt(doc, span.line);
  if (!map) return [];
  const line = doc.lineAt(span.line);
  const key = [...map.keys].find(([, v]) => v.line === span.line)?.[0];
  const allowed = key === undefined ? undefined : enumValues(map.kind, key);
  if (!allowed) return [];
  const written = unquote(line.slice(span.col, span.endCol));
  // The span must be the value after `key:` (a schema finding at the key is about something else).
  if (!new RegExp(`(^|[\\s-])["']?${escapeRegExp(key!)}["']?\\s*:\\s*$`).test(line.slice(0, span.col))) return [];
  if (allowed.includes(written)) return [];
  return [...allowed].sort((a, b) => distance(written, a) - distance(written, b)).slice(0, 4).map((value, i) => ({
    title: `Change ${key} to "${value}"`,
    rule: 'schema' as const,
    edits: [{ span, newText: value }],
    preferred: i === 0,
  }));
}

// ---- unknown references ---------------------------------------------------------------------------------

type RefKind = 'persona' | 'customer' | 'problem';

function referenceFixes({ text, file, index }: FixInput, span: Span): QuickFix[] {
  const found = referenceAt(file, span);
  if (!found) return [];
  const { problem, ref, kind, siblings } = found;
  const defined = kind === 'persona' ? index.personas.map((p) => p.id)
    : kind === 'customer' ? index.customers.map((c) => c.id)
      : index.problems.map((p) => p.id).filter((id) => id !== problem.id);
  const taken = new Set(siblings.map((s) => s.value));
  const fixes: QuickFix[] = nearest(ref.value, defined.filter((id) => !taken.has(id))).map((id, i) => ({
    title: `Change to ${kind} "${id}"${describeId(index, kind, id)}`,
    rule: 'unknown-reference' as const,
    edits: [{ span, newText: idScalar(id) }],
    preferred: i === 0 && isClose(ref.value, id),
  }));
  if (kind !== 'problem') {
    const spec = { id: ref.value, name: nameFromId(ref.value) };
    const result = kind === 'persona' ? addPersona(text, spec, { parsed: file }) : addCustomer(text, spec, { parsed: file });
    const edits = editsOf(text, result);
    if (edits) {
      fixes.push({
        title: `Create ${kind} "${ref.value}" in this file`,
        rule: 'unknown-reference',
        edits,
        preferred: false,
      });
    }
  }
  return fixes;
}

/** The reference written at a span: a persona, customer or related id of a problem, or an evidence persona. */
function referenceAt(file: InsightsFile, span: Span): { problem: Problem; ref: Located; kind: RefKind; siblings: Located[] } | undefined {
  for (const problem of file.problems) {
    if (span.line < problem.span.line) continue;
    const lists: [Located[], RefKind][] = [[problem.personas, 'persona'], [problem.customers, 'customer'], [problem.related, 'problem']];
    for (const [list, kind] of lists) {
      const ref = list.find((r) => sameSpan(r.span, span));
      if (ref) return { problem, ref, kind, siblings: list.filter((r) => r !== ref) };
    }
    for (const e of problem.evidence) {
      if (e.persona && sameSpan(e.persona.span, span)) return { problem, ref: e.persona, kind: 'persona', siblings: [] };
    }
  }
  return undefined;
}

function describeId(index: InsightsIndex, kind: RefKind, id: string): string {
  const name = kind === 'persona' ? index.persona(id)?.name : kind === 'customer' ? index.customer(id)?.name : index.problem(id)?.title;
  return name ? ` (${clip(name)})` : '';
}

/** A readable name for a new persona or customer: its id in words, first letter capital ("ops-lead": "Ops lead"). */
export function nameFromId(id: string): string {
  const words = id.replace(/[-_.]+/g, ' ').trim();
  return words === '' ? id : words[0].toUpperCase() + words.slice(1);
}

// ---- lost anchors ----------------------------------------------------------------------------------------

function lostAnchorFixes({ text, file }: FixInput, span: Span): QuickFix[] {
  let owner: Problem | undefined;
  let anchor: Anchor | undefined;
  for (const p of file.problems) {
    anchor = p.code.find((a) => sameSpan(a.span, span));
    if (anchor) {
      owner = p;
      break;
    }
  }
  if (!owner || !anchor) return [];
  const edits = editsOf(text, removeAnchor(text, owner.id, anchor.index, { parsed: file }));
  if (!edits) return [];
  const what = anchor.symbol !== undefined ? `${anchor.written} ${anchor.symbol}`
    : anchor.lines ? `${anchor.written}:${anchor.lines.start === anchor.lines.end ? anchor.lines.start : `${anchor.lines.start}-${anchor.lines.end}`}`
      : anchor.written;
  return [{ title: `Remove the lost anchor ${clip(what)} from ${owner.id}`, rule: 'anchor-lost', edits, preferred: false }];
}

// ---- helpers ----------------------------------------------------------------------------------------------

/** The edit engine's offsets as spans of the text; undefined when it refused or had nothing to do. */
function editsOf(text: string, result: EditResult): FixEdit[] | undefined {
  if (!result.ok || result.edits.length === 0) return undefined;
  const lines = new LineMap(text);
  return result.edits.map((e) => ({ span: lines.span(e.start, e.end), newText: e.newText }));
}

/** The candidates nearest to `written` by edit distance (ties in the given order), at most MAX_SUGGESTIONS. */
function nearest(written: string, candidates: readonly string[]): string[] {
  const lower = written.toLowerCase();
  return candidates
    .map((c, i) => ({ c, i, d: distance(lower, c.toLowerCase()) }))
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .slice(0, MAX_SUGGESTIONS)
    .map((x) => x.c);
}

/** Whether a candidate is close enough to be the intended word (a typo, not another word). */
function isClose(written: string, candidate: string): boolean {
  return distance(written.toLowerCase(), candidate.toLowerCase()) <= Math.max(2, Math.floor(Math.max(written.length, candidate.length) / 3));
}

function sameSpan(a: Span, b: Span): boolean {
  return a.line === b.line && a.col === b.col && a.endLine === b.endLine && a.endCol === b.endCol;
}

function unquote(s: string): string {
  const t = s.trim();
  return t.length >= 2 && (t[0] === '"' || t[0] === '\'') && t[t.length - 1] === t[0] ? t.slice(1, -1) : t;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Titles quote file content: short, and without control characters. */
function clip(s: string, max = 60): string {
  const one = s.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
