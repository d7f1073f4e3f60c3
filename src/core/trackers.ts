// Ticket trackers: recognising ticket keys (by prefix or by a pattern from the insights file) and
// building links to them. Patterns come from files in pull requests, so they run on RE2 (re2js), a
// linear-time engine: no pattern can backtrack, whatever its shape, and they only ever run on short
// inputs. A prefix is ours to turn into a pattern, escaped.
import { RE2JS } from 're2js';
import type { Tracker } from './model';

/** Text longer than this is cut before a tracker pattern runs on it (a comment line, a branch name). */
export const MAX_TRACKER_INPUT = 400;

/** The longest tracker pattern accepted. */
export const MAX_TRACKER_PATTERN = 200;

/** Why a tracker pattern cannot be used, or undefined when it can. */
export function checkTrackerPattern(pattern: string): string | undefined {
  if (pattern.length > MAX_TRACKER_PATTERN) return `The tracker pattern is longer than ${MAX_TRACKER_PATTERN} characters; keep it to the shape of one ticket key.`;
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(pattern);
  } catch (e) {
    return `The tracker pattern is not a valid regular expression in RE2 syntax (Customer Lens runs patterns on a linear-time engine, so back references and lookaround are not available): ${(e as Error).message}.`;
  }
  if (compiled.matcher('').find()) return 'The tracker pattern matches empty text, so it would find tickets everywhere; make it require at least one character.';
  return undefined;
}

export interface CompiledTracker {
  tracker: Tracker;
  /** Every match in the text, in order: offsets into the text and the groups. */
  matches(text: string): { start: number; end: number; groups: string[] }[];
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
    try {
      compiled.push({ tracker, matches: tracker.prefix !== undefined ? prefixMatcher(tracker.prefix) : patternMatcher(tracker.pattern!) });
    } catch {
      // Already reported by the parser; a tracker that does not compile recognises nothing.
    }
  }
  return compiled;
}

/** `PREFIX-123` as a whole word (not `XPREFIX-1` or `PREFIX-1x`). */
function prefixMatcher(prefix: string): CompiledTracker['matches'] {
  const regex = new RegExp(`(?<![A-Za-z0-9_-])${escapeRegex(prefix)}-\\d+(?![A-Za-z0-9_])`, 'g');
  return (text) => [...text.matchAll(regex)].map((m) => ({ start: m.index!, end: m.index! + m[0].length, groups: [] }));
}

/** A pattern from the insights file, on RE2: linear in the text, whatever the pattern. */
function patternMatcher(pattern: string): CompiledTracker['matches'] {
  const re = RE2JS.compile(pattern);
  return (text) => {
    const found: { start: number; end: number; groups: string[] }[] = [];
    const m = re.matcher(text);
    // At most one match per character (and one more), so even a pattern that can match empty text
    // somewhere ends.
    for (let guard = 0; guard <= text.length && m.find(); guard++) {
      if (m.end() === m.start()) continue;
      const groups: string[] = [];
      for (let g = 1; g <= m.groupCount(); g++) groups.push(m.group(g) ?? '');
      found.push({ start: m.start(), end: m.end(), groups });
    }
    return found;
  };
}

/** Every ticket key the trackers recognise in `text`, in order; overlapping matches keep the first. */
export function findTicketKeys(text: string, trackers: readonly CompiledTracker[]): TicketMatch[] {
  if (trackers.length === 0 || text.length === 0) return [];
  const input = text.length > MAX_TRACKER_INPUT ? text.slice(0, MAX_TRACKER_INPUT) : text;
  const matches: TicketMatch[] = [];
  for (const tracker of trackers) {
    for (const m of tracker.matches(input)) matches.push({ key: input.slice(m.start, m.end), start: m.start, end: m.end, tracker, groups: m.groups });
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
