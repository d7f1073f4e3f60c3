// References from code to problems: `@why P-12, P-14` tags anywhere in a line, and ticket keys that a
// tracker recognises inside comments.
import { closest } from 'fastest-levenshtein';
import { RULE_SEVERITY } from './model';
import type { Diagnostic } from './model';
import { commentRanges } from './comments';
import { LineMap } from './spans';
import { findTicketKeys } from './trackers';
import type { CompiledTracker } from './trackers';
import type { InsightsIndex } from './workspaceIndex';

export const DEFAULT_WHY_TAG = '@why';

export interface WhyReference {
  kind: 'tag';
  id: string;
  /** 0-based position of the id. */
  line: number;
  col: number;
  endCol: number;
}

export interface TicketReference {
  kind: 'ticket';
  key: string;
  line: number;
  col: number;
  endCol: number;
}

export type CodeReference = WhyReference | TicketReference;

const ID_LIST = /^[ \t]*:?[ \t]*([A-Za-z][A-Za-z0-9._-]*(?:[ \t]*,[ \t]*[A-Za-z][A-Za-z0-9._-]*)*)/;
const ID = /[A-Za-z][A-Za-z0-9._-]*/g;

/** Every `@why` id in the text (the tag is a setting). */
export function scanWhyTags(text: string, tag = DEFAULT_WHY_TAG, lineMap?: LineMap): WhyReference[] {
  const refs: WhyReference[] = [];
  if (!tag) return refs;
  let lines = lineMap;
  for (let at = text.indexOf(tag); at !== -1; at = text.indexOf(tag, at + tag.length)) {
    const after = at + tag.length;
    // `@whyever` is another word, not the tag.
    if (after < text.length && /[A-Za-z0-9_-]/.test(text[after])) continue;
    const list = ID_LIST.exec(text.slice(after, after + 400).split('\n')[0]);
    if (!list) continue;
    lines ??= new LineMap(text);
    const listStart = after + list[0].length - list[1].length;
    let first = true;
    for (const m of list[1].matchAll(ID)) {
      const id = m[0].replace(/[.]+$/, ''); // "see @why P-12." ends a sentence
      // After the first id, a list goes on only with id-like words: "@why P-12, because…" is prose.
      if (!first && !/[0-9A-Z]/.test(id)) break;
      first = false;
      const pos = lines.position(listStart + m.index!);
      refs.push({ kind: 'tag', id, line: pos.line, col: pos.col, endCol: pos.col + id.length });
    }
  }
  return refs;
}

/** Ticket keys inside comments that the index's trackers recognise. */
export function scanTicketKeys(text: string, file: string, trackers: readonly CompiledTracker[], lineMap?: LineMap): TicketReference[] {
  if (trackers.length === 0) return [];
  const refs: TicketReference[] = [];
  let lines = lineMap;
  for (const [start, end] of commentRanges(text, file)) {
    // Long block comments are scanned line by line so that every key is seen.
    let from = start;
    while (from < end) {
      const nl = text.indexOf('\n', from);
      const to = nl === -1 || nl > end ? end : nl;
      const piece = text.slice(from, to);
      for (const m of findTicketKeys(piece, trackers)) {
        lines ??= new LineMap(text);
        const pos = lines.position(from + m.start);
        refs.push({ kind: 'ticket', key: m.key, line: pos.line, col: pos.col, endCol: pos.col + m.key.length });
      }
      from = to + 1;
    }
  }
  return refs;
}

/** `@why` ids that name no problem: an error in the code file, naming the nearest id. */
export function referenceDiagnostics(file: string, refs: readonly CodeReference[], index: InsightsIndex): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  let ids: string[] | undefined;
  for (const ref of refs) {
    if (ref.kind !== 'tag' || index.problem(ref.id)) continue;
    ids ??= index.problems.map((p) => p.id);
    const hint = ids.length > 0 ? ` The nearest problem id is "${closest(ref.id, ids)}".` : '';
    diagnostics.push({
      file, span: { line: ref.line, col: ref.col, endLine: ref.line, endCol: ref.endCol },
      severity: RULE_SEVERITY['unknown-reference'], rule: 'unknown-reference',
      message: `This code says it solves problem "${ref.id}", which no insights file defines.${hint}`,
    });
  }
  return diagnostics;
}
