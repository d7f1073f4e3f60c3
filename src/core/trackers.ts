// Ticket trackers: recognising ticket keys (by prefix or by a pattern from the insights file) and
// building links to them. Patterns come from files in pull requests, so they are checked for
// catastrophic backtracking before use and only ever run on short inputs.
import ret, { types as RetTypes } from 'ret';
import type { Tracker } from './model';

/** Text longer than this is cut before a tracker pattern runs on it (a comment line, a branch name). */
export const MAX_TRACKER_INPUT = 400;

/** Why a tracker pattern cannot be used, or undefined when it can. */
export function checkTrackerPattern(pattern: string): string | undefined {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, 'u');
  } catch (e) {
    return `The tracker pattern is not a valid regular expression: ${(e as Error).message}.`;
  }
  if (pattern.length > 200) return 'The tracker pattern is longer than 200 characters; keep it to the shape of one ticket key.';
  if (regex.test('')) return 'The tracker pattern matches empty text, so it would find tickets everywhere; make it require at least one character.';
  const risk = backtrackingRisk(pattern);
  if (risk) return `The tracker pattern is not used: ${risk} Simplify it, for example "GH-(\\d+)".`;
  return undefined;
}

type RetToken = {
  type: number;
  stack?: RetToken[];
  options?: RetToken[][];
  value?: RetToken | number;
  min?: number;
  max?: number;
};

/**
 * Why a pattern could backtrack catastrophically, or undefined. A repetition without a small bound
 * may not contain another repetition or an alternation (the shapes of "(a+)+" and "(a|a)+"), back
 * references are refused, and at most three unbounded repetitions may follow one another.
 */
export function backtrackingRisk(pattern: string): string | undefined {
  let root: RetToken;
  try {
    root = ret(pattern) as RetToken;
  } catch {
    return 'it uses syntax the safety check cannot read (lookbehind, named groups…).';
  }
  const T = RetTypes;
  const children = (t: RetToken): RetToken[] => [
    ...(t.stack ?? []), ...(t.options ?? []).flat(), ...(typeof t.value === 'object' ? [t.value] : []),
  ];
  const repeats = (t: RetToken) => t.type === T.REPETITION && (t.max === undefined || t.max === null || t.max > 10);
  const contains = (t: RetToken, test: (x: RetToken) => boolean): boolean => children(t).some((c) => test(c) || contains(c, test));
  let unbounded = 0;
  let problem: string | undefined;
  const visit = (t: RetToken) => {
    if (problem) return;
    if (t.type === T.REFERENCE) problem = 'back references (\\1) can take exponential time.';
    else if (repeats(t)) {
      unbounded++;
      const body = t.value as RetToken;
      if (contains(body, repeats) || repeats(body)) problem = 'it repeats a repetition (such as "(a+)+"), which can take exponential time on some text.';
      else if (contains(body, (x) => (x.options?.length ?? 0) > 1) || (body.options?.length ?? 0) > 1) {
        problem = 'it repeats an alternation (such as "(a|aa)+"), which can take exponential time on some text.';
      }
    }
    for (const c of children(t)) visit(c);
  };
  visit(root);
  if (!problem && unbounded > 3) problem = 'it has more than three unbounded repetitions, which can be slow on long comments.';
  return problem;
}

export interface CompiledTracker {
  tracker: Tracker;
  /** Global regex finding this tracker's keys in text. */
  regex: RegExp;
}

export interface TicketMatch {
  key: string;
  start: number;
  end: number;
  tracker: CompiledTracker;
  groups: string[];
}

export function compileTrackers(trackers: readonly Tracker[]): CompiledTracker[] {
  const compiled: CompiledTracker[] = [];
  for (const tracker of trackers) {
    if (!tracker.usable) continue;
    const source = tracker.prefix !== undefined
      ? `(?<![A-Za-z0-9_-])${escapeRegex(tracker.prefix)}-\\d+(?![A-Za-z0-9_])`
      : tracker.pattern!;
    try {
      compiled.push({ tracker, regex: new RegExp(source, 'gu') });
    } catch {
      // Already reported by the parser; a tracker that does not compile recognises nothing.
    }
  }
  return compiled;
}

/** Every ticket key the trackers recognise in `text`, in order; overlapping matches keep the first. */
export function findTicketKeys(text: string, trackers: readonly CompiledTracker[]): TicketMatch[] {
  if (trackers.length === 0 || text.length === 0) return [];
  const input = text.length > MAX_TRACKER_INPUT ? text.slice(0, MAX_TRACKER_INPUT) : text;
  const matches: TicketMatch[] = [];
  for (const tracker of trackers) {
    tracker.regex.lastIndex = 0;
    for (let m = tracker.regex.exec(input); m; m = tracker.regex.exec(input)) {
      if (m[0].length === 0) {
        tracker.regex.lastIndex++;
        continue;
      }
      matches.push({ key: m[0], start: m.index, end: m.index + m[0].length, tracker, groups: m.slice(1).map((g) => g ?? '') });
    }
  }
  matches.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: TicketMatch[] = [];
  for (const m of matches) if (kept.length === 0 || m.start >= kept[kept.length - 1].end) kept.push(m);
  return kept;
}

/** The tracker that recognises `key` as a whole, if any. */
export function recogniseTicket(key: string, trackers: readonly CompiledTracker[]): TicketMatch | undefined {
  return findTicketKeys(key, trackers).find((m) => m.start === 0 && m.end === key.length);
}

/** The web link for a recognised key: {key} is the whole key, {1}.. the pattern's groups (URL-encoded). */
export function ticketUrl(match: TicketMatch): string {
  return match.tracker.tracker.url.replace(/\{(key|\d+)\}/g, (_, name: string) =>
    encodeURIComponent(name === 'key' ? match.key : match.groups[Number(name) - 1] ?? ''));
}

export function isTicketUrl(ticket: string): boolean {
  return /^https?:\/\//i.test(ticket);
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
