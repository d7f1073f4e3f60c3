// Fuzzy search over problems (fuse.js): typo tolerant, several words at once, best match first.
// Tuned for how engineers type into a search box: partial words ("onbord"), typos ("exprot"), and
// a few words that may live in different fields ("slow login": title and tags).
import Fuse from 'fuse.js';
import type { FuseOptionKey, IFuseOptions } from 'fuse.js';
import type { Problem, Severity, Status } from './model';
import type { InsightsIndex } from './workspaceIndex';

export interface SearchRecord {
  id: string;
  title: string;
  description: string;
  tags: string[];
  personas: string[];
  customers: string[];
  tickets: string[];
  quotes: string[];
}

export interface SearchFilter {
  statuses?: readonly Status[];
  severities?: readonly Severity[];
  /** Persona ids; a problem matches when it lists one of them. */
  personas?: readonly string[];
}

export interface SearchHit {
  problem: Problem;
  /** 0 is a perfect match, 1 no match (fuse.js's scale). */
  score: number;
  /** Matched character ranges in the title, inclusive [start, end] pairs, for highlighting. */
  titleMatches: [number, number][];
}

const KEYS: FuseOptionKey<SearchRecord>[] = [
  { name: 'title', weight: 4 },
  { name: 'id', weight: 3 },
  { name: 'tags', weight: 2 },
  { name: 'tickets', weight: 2 },
  { name: 'personas', weight: 1 },
  { name: 'customers', weight: 1 },
  { name: 'description', weight: 0.8 },
  { name: 'quotes', weight: 0.5 },
];

export const SEARCH_OPTIONS: IFuseOptions<SearchRecord> = {
  keys: KEYS,
  includeScore: true,
  includeMatches: true,
  // Words may sit anywhere in a long description or quote.
  ignoreLocation: true,
  threshold: 0.4,
  minMatchCharLength: 2,
  // Several words: each is matched fuzzily on its own, records matching more words rank higher.
  useTokenSearch: true,
  tokenMatch: 'any',
};

export function searchRecord(problem: Problem, index: InsightsIndex): SearchRecord {
  return {
    id: problem.id,
    title: problem.title,
    description: problem.description ?? '',
    tags: problem.tags,
    personas: problem.personas.map((p) => index.persona(p.value)?.name ?? p.value),
    customers: problem.customers.map((c) => index.customer(c.value)?.name ?? c.value),
    tickets: problem.tickets.map((t) => t.value),
    quotes: problem.evidence.flatMap((e) => [e.quote, e.summary].filter((s): s is string => !!s)),
  };
}

export class ProblemSearch {
  private readonly fuse: Fuse<SearchRecord>;
  private readonly problems: readonly Problem[];

  constructor(private readonly index: InsightsIndex) {
    this.problems = index.problems;
    const records = this.problems.map((p) => searchRecord(p, index));
    this.fuse = new Fuse(records, SEARCH_OPTIONS, Fuse.createIndex(KEYS, records));
  }

  /** Ranked hits; an empty query lists every problem by impact. */
  search(query: string, options: { limit?: number; filter?: SearchFilter } = {}): SearchHit[] {
    const limit = options.limit ?? 50;
    const keep = filterFn(options.filter);
    const q = query.trim();
    if (q === '') {
      return this.problems.filter(keep).slice(0, limit).map((problem) => ({ problem, score: 0, titleMatches: [] }));
    }
    const exact = this.index.problem(q) ?? this.problems.find((p) => p.id.toLowerCase() === q.toLowerCase());
    const hits: SearchHit[] = [];
    if (exact && keep(exact)) hits.push({ problem: exact, score: 0, titleMatches: [] });
    for (const r of this.fuse.search(q)) {
      const problem = this.problems[r.refIndex];
      if (problem === exact || !keep(problem)) continue;
      const titleMatches = (r.matches ?? [])
        .filter((m) => m.key === 'title')
        .flatMap((m) => m.indices.map(([a, b]) => [a, b] as [number, number]));
      hits.push({ problem, score: r.score ?? 1, titleMatches });
      if (hits.length >= limit) break;
    }
    return hits;
  }
}

function filterFn(filter: SearchFilter | undefined): (p: Problem) => boolean {
  if (!filter) return () => true;
  const { statuses, severities, personas } = filter;
  return (p) =>
    (!statuses?.length || statuses.includes(p.status))
    && (!severities?.length || severities.includes(p.severity))
    && (!personas?.length || p.personas.some((x) => personas.includes(x.value)));
}
