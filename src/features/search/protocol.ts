// The messages between the Search webview (media/search/search.js) and the extension host. Both
// sides check what they receive: the host parses every message with parseViewMessage() and drops
// what does not fit; the webview handles only the host messages it knows and checks their fields.
// Every string in these messages is plain text: the webview puts it into the DOM with textContent.
import { SEVERITIES, STATUSES } from '../../core/model';
import type { Severity, Status } from '../../core/model';
import type { SearchFilter } from '../../core/search';
import { isProblemRef } from '../../adapter/problemRefs';
import type { ProblemRef } from '../../adapter/problemRefs';

export const MAX_QUERY_LENGTH = 200;
const MAX_ID_LENGTH = 200;
const MAX_FILTER_VALUES = 20;

// ---- webview → host ----------------------------------------------------------------------------

export type ViewMessage =
  /** The page loaded (again): send facets; the page then queries. */
  | { type: 'ready' }
  /** Run a search; `seq` increases with every query so late answers can be dropped. */
  | { type: 'query'; seq: number; query: string; filter: SearchFilter }
  /** Show this problem's card in the detail pane (the active result changed). */
  | { type: 'card'; ref: ProblemRef }
  /** Click or Enter: reveal the problem in the Problems tree and show its card. */
  | { type: 'reveal'; ref: ProblemRef }
  /** Open the problem at its place in the insights file. */
  | { type: 'openInFile'; ref: ProblemRef }
  /** Open one of the problem's tickets (the host looks the link up; the page never sends URLs). */
  | { type: 'openTicket'; ref: ProblemRef; ticket: string };

// ---- host → webview ----------------------------------------------------------------------------

export interface Facets {
  statuses: readonly string[];
  severities: readonly string[];
  personas: { id: string; name: string }[];
  /** True when several folders have insights (results then name their folder). */
  multiRoot: boolean;
  /** True when no folder has an insights file (yet). */
  empty: boolean;
}

export interface ResultItem {
  ref: ProblemRef;
  folderName?: string;
  id: string;
  title: string;
  /** Inclusive [start, end] character ranges of `title` to highlight. */
  titleMatches: [number, number][];
  status: string;
  severity: string;
  customers: number;
  tickets: number;
  score: number;
}

export interface CardEvidence {
  text: string;
  quoted: boolean;
  signal: 'observed' | 'said';
  source: string;
}

export interface CardTicket {
  key: string;
  /** Whether the host knows a web link for it (the page then offers to open it). */
  linked: boolean;
}

export interface CardData {
  ref: ProblemRef;
  folderName?: string;
  id: string;
  title: string;
  status: string;
  severity: string;
  horizon?: string;
  description?: string;
  personas: string[];
  /** "14 customers · $38.4K ARR" */
  customers: string;
  atRisk: string[];
  evidence: CardEvidence[];
  tickets: CardTicket[];
  /** "Validated 12 days ago." or the stale warning. */
  confirmed?: string;
  stale: boolean;
}

export type HostMessage =
  | { type: 'facets'; facets: Facets }
  | { type: 'results'; seq: number; query: string; items: ResultItem[]; more: boolean }
  | { type: 'card'; card: CardData | null };

// ---- validation --------------------------------------------------------------------------------

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function shortString(v: unknown, max: number): v is string {
  return typeof v === 'string' && v.length <= max;
}

function refOrUndefined(v: unknown): ProblemRef | undefined {
  return isProblemRef(v) && shortString(v.id, MAX_ID_LENGTH) && shortString(v.folder, 4096)
    ? { folder: v.folder, id: v.id }
    : undefined;
}

function listOf<T extends string>(v: unknown, allowed?: readonly T[]): T[] | undefined {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.length > MAX_FILTER_VALUES) return undefined;
  const out: T[] = [];
  for (const x of v) {
    if (!shortString(x, MAX_ID_LENGTH)) return undefined;
    if (allowed && !allowed.includes(x as T)) return undefined;
    out.push(x as T);
  }
  return out;
}

/** A search filter from untrusted input (a message or a command argument), or undefined when malformed. */
export function parseFilter(v: unknown): SearchFilter | undefined {
  if (v === undefined || v === null) return {};
  if (!isRecord(v)) return undefined;
  const statuses = listOf<Status>(v.statuses, STATUSES);
  const severities = listOf<Severity>(v.severities, SEVERITIES);
  const personas = listOf<string>(v.personas);
  if (!statuses || !severities || !personas) return undefined;
  return { statuses, severities, personas };
}

/** The message when it is one the host knows, with every field checked; otherwise undefined. */
export function parseViewMessage(raw: unknown): ViewMessage | undefined {
  if (!isRecord(raw) || typeof raw.type !== 'string') return undefined;
  switch (raw.type) {
    case 'ready':
      return { type: 'ready' };
    case 'query': {
      const filter = parseFilter(raw.filter);
      if (typeof raw.seq !== 'number' || !Number.isSafeInteger(raw.seq) || raw.seq < 0) return undefined;
      if (!shortString(raw.query, MAX_QUERY_LENGTH) || !filter) return undefined;
      return { type: 'query', seq: raw.seq, query: raw.query, filter };
    }
    case 'card':
    case 'reveal':
    case 'openInFile': {
      const ref = refOrUndefined(raw.ref);
      return ref ? { type: raw.type, ref } : undefined;
    }
    case 'openTicket': {
      const ref = refOrUndefined(raw.ref);
      return ref && shortString(raw.ticket, 2048) ? { type: 'openTicket', ref, ticket: raw.ticket } : undefined;
    }
    default:
      return undefined;
  }
}
