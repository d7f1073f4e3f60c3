// Search over problems: typo tolerant, several words at once, best match first, fast enough to run
// on every keystroke of a workspace with thousands of problems.
//
// How it works (figures: `npm run bench`, bench/bench.ts, on its generated files; CPU ms per query):
// - Every field is cut into words once, when the search is built (an inverted index: word -> the
//   problems and fields that hold it). A query word is then looked up among the distinct words of
//   the workspace instead of fuzzy-matching every text of every problem. fuse.js's token search over
//   the problems' texts cost 32 ms a query at 200 problems / 2,000 evidence items and 300 ms at
//   2,000 / 20,000; the best fuse.js-only tuning (title, id, tags and description only, threshold
//   0.34, no field norm) still cost 6 ms and 56 ms, with evidence, tickets, personas and customers
//   no longer searchable. The word index answers in 0.15 ms and 0.4 ms, searching every field.
// - A query word matches a word of the index exactly, as its beginning (what is being typed:
//   "onbo" -> onboarding) or, from 4 letters, with typos (fuse.js bitap over the words, options in
//   FUZZY_WORD_OPTIONS: "exprot" -> export, "onbording" -> onboarding). Exact beats prefix beats typo.
// - Each query word scores the best field it is found in (title > id > tags, tickets > personas,
//   customers > description > evidence), a little more when it is in several fields. A problem's
//   relevance is the mean over the query words, times a coverage factor, so a problem that has every
//   word ("slow" in its description, "login" in its title) beats one with a single word in its title
//   (fuse.js's scoring put "Login page rejects passwords" above the slow-login problem).
//   No field-length norm: a long title is not a worse match for the word it holds.
// - Ties (same words in the same fields) keep the index's order: the higher impact first.
import Fuse from 'fuse.js';
import type { IFuseOptions } from 'fuse.js';
import type { Problem, Severity, Status } from './model';
import type { InsightsIndex } from './workspaceIndex';

/** The texts of a problem that search reads. */
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

/** Fields in bit order, with the weight of a word found there (1 would be a perfect field). */
const FIELDS: readonly (readonly [keyof SearchRecord, number])[] = [
  ['title', 0.85],
  ['id', 0.8],
  ['tags', 0.6],
  ['tickets', 0.6],
  ['personas', 0.35],
  ['customers', 0.35],
  ['description', 0.3],
  ['quotes', 0.2],
];
/** What each further field holding the word adds, as a share of its weight. */
const EXTRA_FIELD_SHARE = 0.15;
/** The score of a word found in the fields of `mask`: the best field, plus a little per other field. */
const FIELD_SCORE = Float64Array.from({ length: 1 << FIELDS.length }, (_, mask) => {
  let best = 0;
  let sum = 0;
  FIELDS.forEach(([, w], bit) => {
    if (mask & (1 << bit)) {
      best = Math.max(best, w);
      sum += w;
    }
  });
  return Math.min(1, best + EXTRA_FIELD_SHARE * (sum - best));
});

/** How close a word of the index is to a query word. */
const EXACT = 1;
const PREFIX_BASE = 0.75; // + up to 0.2 as more of the word is typed
const TYPO_SCALE = 0.8; // times (1 - fuse.js score)
/** Typo matches count this much less when the query word is itself a word of the index ("slow" is
 *  meant as written, not as "show"). */
const TYPO_WHEN_EXACT_EXISTS = 0.5;
/** Query words shorter than this only match exactly or as a prefix (3 letters with a typo match noise). */
const FUZZY_MIN_LENGTH = 4;
/** Words with digits (ids, ticket keys, figures) never match with typos: P-14 is not a typo of P-12. */
const DIGIT = /\d/;

/**
 * fuse.js options for typo matching a query word against the index's words (never whole texts).
 * - threshold 0.34: bitap's score is errors per letter of the query word, so 1 typo in 4-5 letters,
 *   2 from 6 ("exprot" swaps two letters: 2 errors / 6 = 0.33); 0.4 (as before) let 4-letter words
 *   through with 1 typo plus a letter of slack, which is noise.
 * - location 0, distance 4, ignoreLocation false: the match must start at the word's start (a letter
 *   of slack costs 0.25): "login" matches "logins" and "logn", not the middle of "technologies".
 * - isCaseSensitive: words and queries are lower-cased and accent-folded beforehand, so fuse.js
 *   need not lower-case every word on every search.
 * - shouldSort false, ignoreFieldNorm: the words are ranked here; one-word records have no norm.
 */
export const FUZZY_WORD_OPTIONS: IFuseOptions<string> = {
  includeScore: true,
  shouldSort: false,
  isCaseSensitive: true,
  threshold: 0.34,
  location: 0,
  distance: 4,
  ignoreLocation: false,
  ignoreFieldNorm: true,
  minMatchCharLength: 1,
};

/** Words: letters and digits, joined by - _ . or an apostrophe ("sign-on", "p-12", "owner's"). */
const WORD = /[\p{L}\p{N}]+(?:[-_.'’][\p{L}\p{N}]+)*/gu;
const PART = /[\p{L}\p{N}]+/gu;
const JOINER = /[-_.'’]/;
const NON_ASCII = /[^\x00-\x7f]/;
const MARKS = /\p{M}+/gu;

/** Lower case without accents (é -> e), as words are indexed and looked up. */
function fold(word: string): string {
  const lower = word.toLowerCase();
  return NON_ASCII.test(lower) ? lower.normalize('NFD').replace(MARKS, '') : lower;
}

/**
 * Calls `fn` with each folded word of `text`, and with the parts of joined words ("sign-on": sign-on,
 * sign, on). A hand-written scanner for ASCII text (most of it): building the index of thousands of
 * problems is dominated by cutting text into words.
 */
function eachWord(text: string, fn: (word: string) => void): void {
  if (NON_ASCII.test(text)) {
    for (const m of fold(text).matchAll(WORD)) {
      fn(m[0]);
      if (JOINER.test(m[0])) for (const part of m[0].matchAll(PART)) fn(part[0]);
    }
    return;
  }
  const s = text.toLowerCase();
  const n = s.length;
  let i = 0;
  while (i < n) {
    if (!isWordChar(s.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    let partStart = i;
    let joined = false;
    for (;;) {
      while (i < n && isWordChar(s.charCodeAt(i))) i++;
      // A joiner between two word characters continues the word.
      if (i + 1 < n && isJoiner(s.charCodeAt(i)) && isWordChar(s.charCodeAt(i + 1))) {
        if (!joined) joined = true;
        fn(s.slice(partStart, i));
        i++;
        partStart = i;
        continue;
      }
      break;
    }
    if (joined) fn(s.slice(partStart, i));
    fn(s.slice(start, i));
  }
}

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
}

function isJoiner(c: number): boolean {
  return c === 45 || c === 95 || c === 46 || c === 39; // - _ . '
}

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

/** One index word a query word matched, and how well. */
interface Candidate {
  word: number;
  similarity: number;
  /** Matched as the beginning of the word: highlight only the typed letters. */
  prefix: boolean;
}

interface Postings {
  docs: number[];
  masks: number[];
  /** FIELD_SCORE of each mask, filled in when the index is complete. */
  scores?: Float64Array;
}

export class ProblemSearch {
  private readonly problems: readonly Problem[];
  /** Distinct words of every field, sorted (prefix lookups are a binary search). */
  private readonly words: string[];
  private readonly postings: Postings[];
  private readonly wordIds = new Map<string, number>();
  /** fuse.js over the words that start with a given letter, built on first use. */
  private readonly fuzzyByLetter = new Map<string, { fuse: Fuse<string>; ids: number[] }>();
  private wordsByLetter?: Map<string, number[]>;
  /** Candidates per query word: typing repeats the earlier words of the query at every keystroke. */
  private readonly candidateCache = new Map<string, Candidate[]>();

  constructor(private readonly index: InsightsIndex) {
    this.problems = index.problems;
    const byWord = new Map<string, Postings>();
    const add = (word: string, doc: number, bit: number) => {
      let p = byWord.get(word);
      if (!p) byWord.set(word, (p = { docs: [], masks: [] }));
      const last = p.docs.length - 1;
      if (last >= 0 && p.docs[last] === doc) p.masks[last] |= bit;
      else {
        p.docs.push(doc);
        p.masks.push(bit);
      }
    };
    this.problems.forEach((problem, doc) => {
      const record = searchRecord(problem, index);
      FIELDS.forEach(([key], k) => {
        const value = record[key];
        const bit = 1 << k;
        if (typeof value === 'string') eachWord(value, (word) => add(word, doc, bit));
        else for (const text of value) eachWord(text, (word) => add(word, doc, bit));
      });
    });
    this.words = [...byWord.keys()].sort();
    this.postings = this.words.map((w, i) => {
      this.wordIds.set(w, i);
      const p = byWord.get(w)!;
      p.scores = Float64Array.from(p.masks, (m) => FIELD_SCORE[m]);
      return p;
    });
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

    const tokens = [...new Set(Array.from(q.matchAll(WORD), (m) => fold(m[0])))];
    if (tokens.length === 0) return hits;
    const candidates = tokens.map((t) => this.candidates(t));

    // Relevance: each query word scores its best (word, field) in the problem; the mean over the
    // query words, times 0.5 + 0.5 x the share of query words found.
    const n = this.problems.length;
    const total = new Float64Array(n);
    const found = new Uint8Array(n);
    const touched: number[] = [];
    const best = new Float64Array(n);
    for (const list of candidates) {
      const seen: number[] = [];
      for (const { word, similarity } of list) {
        const { docs, scores } = this.postings[word];
        for (let j = 0; j < docs.length; j++) {
          const d = docs[j];
          const v = similarity * scores![j];
          if (v > best[d]) {
            if (best[d] === 0) seen.push(d);
            best[d] = v;
          }
        }
      }
      for (const d of seen) {
        if (found[d] === 0) touched.push(d);
        total[d] += best[d];
        found[d]++;
        best[d] = 0;
      }
    }
    const k = tokens.length;
    const score = (d: number) => 1 - (total[d] / k) * (0.5 + (0.5 * found[d]) / k);
    const scores = new Float64Array(n);
    for (const d of touched) scores[d] = score(d);
    // Best first; equal scores keep the index's order (by impact).
    touched.sort((a, b) => scores[a] - scores[b] || a - b);
    let marks: Map<number, number> | undefined;
    for (const d of touched) {
      if (hits.length >= limit) break;
      const problem = this.problems[d];
      if (problem === exact || !keep(problem)) continue;
      marks ??= highlightLengths(tokens, candidates);
      hits.push({ problem, score: Math.max(0.001, scores[d]), titleMatches: this.titleMatches(problem.title, marks) });
    }
    return hits;
  }

  /** Index words that a query word matches: exactly, as a prefix, or (long enough) with typos. */
  private candidates(token: string): Candidate[] {
    const cached = this.candidateCache.get(token);
    if (cached) return cached;
    const byWord = new Map<number, Candidate>();
    const words = this.words;
    for (let i = lowerBound(words, token); i < words.length && words[i].startsWith(token); i++) {
      const w = words[i];
      byWord.set(i, w.length === token.length
        ? { word: i, similarity: EXACT, prefix: false }
        : { word: i, similarity: PREFIX_BASE + (0.2 * token.length) / w.length, prefix: true });
    }
    if (token.length >= FUZZY_MIN_LENGTH && !DIGIT.test(token)) {
      const scale = TYPO_SCALE * (this.wordIds.has(token) ? TYPO_WHEN_EXACT_EXISTS : 1);
      for (const { fuse, ids } of this.fuzzyFor(token)) {
        for (const r of fuse.search(token)) {
          const word = ids[r.refIndex];
          const similarity = scale * (1 - (r.score ?? 1));
          if (similarity > (byWord.get(word)?.similarity ?? 0)) byWord.set(word, { word, similarity, prefix: false });
        }
      }
    }
    const list = [...byWord.values()];
    if (this.candidateCache.size >= 500) this.candidateCache.clear();
    this.candidateCache.set(token, list);
    return list;
  }

  /**
   * fuse.js instances over the words starting with the query word's first or second letter: a typo
   * may swap the first two letters, but a word whose first letter is wrong is not looked for (it
   * keeps each keystroke to a small share of the workspace's words).
   */
  private fuzzyFor(token: string): { fuse: Fuse<string>; ids: number[] }[] {
    if (!this.wordsByLetter) {
      this.wordsByLetter = new Map();
      this.words.forEach((w, i) => {
        if (DIGIT.test(w)) return;
        const key = w.charAt(0);
        const list = this.wordsByLetter!.get(key);
        if (list) list.push(i);
        else this.wordsByLetter!.set(key, [i]);
      });
    }
    const result: { fuse: Fuse<string>; ids: number[] }[] = [];
    for (const letter of new Set([token.charAt(0), token.charAt(1)])) {
      let entry = this.fuzzyByLetter.get(letter);
      if (!entry) {
        const ids = this.wordsByLetter.get(letter) ?? [];
        const list = ids.map((i) => this.words[i]);
        entry = { fuse: new Fuse(list, FUZZY_WORD_OPTIONS, Fuse.createIndex([], list)), ids };
        this.fuzzyByLetter.set(letter, entry);
      }
      result.push(entry);
    }
    return result;
  }

  /**
   * The title's words that matched a query word, or their typed beginnings, as [start, end] ranges.
   * A joined word ("sign-on") is marked whole when it matched, else by its matching parts.
   */
  private titleMatches(title: string, marks: Map<number, number>): [number, number][] {
    const ranges: [number, number][] = [];
    const mark = (text: string, start: number) => {
      const id = this.wordIds.get(fold(text));
      const length = id === undefined ? undefined : marks.get(id);
      if (length === undefined) return false;
      ranges.push([start, start + Math.min(text.length, length) - 1]);
      return true;
    };
    for (const m of title.matchAll(WORD)) {
      if (mark(m[0], m.index!) || !JOINER.test(m[0])) continue;
      for (const part of m[0].matchAll(PART)) mark(part[0], m.index! + part.index!);
    }
    return ranges;
  }
}

/** Index word -> how many of its letters to highlight (all of them unless only its beginning was typed). */
function highlightLengths(tokens: string[], candidates: Candidate[][]): Map<number, number> {
  const marks = new Map<number, number>();
  candidates.forEach((list, t) => {
    for (const c of list) {
      const length = c.prefix ? tokens[t].length : Infinity;
      if (length > (marks.get(c.word) ?? 0)) marks.set(c.word, length);
    }
  });
  return marks;
}

/** The first index of `sorted` whose word is >= `word`. */
function lowerBound(sorted: readonly string[], word: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < word) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function filterFn(filter: SearchFilter | undefined): (p: Problem) => boolean {
  if (!filter) return () => true;
  const { statuses, severities, personas } = filter;
  return (p) =>
    (!statuses?.length || statuses.includes(p.status))
    && (!severities?.length || severities.includes(p.severity))
    && (!personas?.length || p.personas.some((x) => personas.includes(x.value)));
}
