// One workspace folder's index: the merge of its insights files, with lookups (problem by id,
// problems by ticket, anchors by file), ranking by impact, and the checks that need every file at
// once (duplicate ids, references between items, staleness, unrecognised tickets).
import { closest } from 'fastest-levenshtein';
import { RULE_SEVERITY, SEVERITIES } from './model';
import type { Anchor, Customer, Diagnostic, InsightsFile, Located, Persona, Problem, RuleId, Span } from './model';
import { compileTrackers, findTicketKeys, isTicketUrl, recogniseTicket, ticketUrl } from './trackers';
import type { CompiledTracker, TicketMatch } from './trackers';
import { pathMatcher } from './paths';
import { daysBetween } from './dates';

export const DEFAULT_STALE_AFTER_DAYS = 180;

export interface IndexOptions {
  /** Problems whose newest confirmation is older than this are stale. */
  staleAfterDays?: number;
  /** Today's date, YYYY-MM-DD (passed in so results do not depend on the clock). */
  today: string;
}

export interface ProblemImpact {
  /** Customers affected: the figure people entered, else the customers the problem lists. */
  customers: number;
  /** ARR at stake: the figure people entered, else the sum over listed customers with a known ARR. */
  arr?: number;
  tickets: number;
  /** Newest date a customer confirmed the problem (validated or newest evidence). */
  lastConfirmed?: string;
}

interface PathAnchors {
  exact: Map<string, Anchor[]>;
  /** Globs and directories, checked against each file. */
  patterns: { anchor: Anchor; matches: (file: string) => boolean }[];
}

const SEVERITY_RANK = new Map(SEVERITIES.map((s, i) => [s, i]));

export class InsightsIndex {
  readonly files: readonly InsightsFile[];
  /** All problems, ranked by impact: severity first, then customers, then ARR. */
  readonly problems: readonly Problem[];
  readonly trackers: readonly CompiledTracker[];
  /** Diagnostics of every file plus those of the merge (anchor resolution adds its own later). */
  readonly diagnostics: readonly Diagnostic[];
  readonly staleAfterDays: number;
  readonly today: string;

  private readonly byId = new Map<string, Problem>();
  private readonly personasById = new Map<string, Persona>();
  private readonly customersById = new Map<string, Customer>();
  private readonly byTicket = new Map<string, Problem[]>();
  private readonly impacts = new Map<Problem, ProblemImpact>();
  private readonly anchors: PathAnchors = { exact: new Map(), patterns: [] };

  constructor(files: readonly InsightsFile[], options: IndexOptions) {
    this.files = files;
    this.today = options.today;
    this.staleAfterDays = options.staleAfterDays ?? DEFAULT_STALE_AFTER_DAYS;
    const diagnostics: Diagnostic[] = [];
    for (const f of files) diagnostics.push(...f.diagnostics);
    const report = (file: string, span: Span, rule: RuleId, message: string) =>
      diagnostics.push({ file, span, severity: RULE_SEVERITY[rule], rule, message });

    const problems: Problem[] = [];
    for (const f of files) {
      for (const p of f.personas) addUnique(this.personasById, p, 'persona', report);
      for (const c of f.customers) addUnique(this.customersById, c, 'customer', report);
      for (const p of f.problems) if (addUnique(this.byId, p, 'problem', report)) problems.push(p);
    }
    this.trackers = compileTrackers(files.flatMap((f) => f.trackers));

    for (const p of problems) {
      this.checkReferences(p, report);
      for (const t of p.tickets) {
        const list = this.byTicket.get(t.value);
        if (list) list.push(p);
        else this.byTicket.set(t.value, [p]);
        if (!isTicketUrl(t.value) && !recogniseTicket(t.value, this.trackers)) {
          report(p.file, t.span, 'ticket-unrecognised',
            `No tracker recognises "${t.value}", so it cannot be linked. Add a tracker (a prefix or a pattern) under "trackers", or write the ticket's URL.`);
        }
      }
      for (const a of p.code) this.addAnchor(a);
      const impact = this.computeImpact(p);
      this.impacts.set(p, impact);
      this.checkStale(p, impact, report);
    }
    this.problems = problems.sort((a, b) => this.compareImpact(a, b));
    this.diagnostics = diagnostics;
  }

  problem(id: string): Problem | undefined {
    return this.byId.get(id);
  }

  persona(id: string): Persona | undefined {
    return this.personasById.get(id);
  }

  customer(id: string): Customer | undefined {
    return this.customersById.get(id);
  }

  get personas(): Persona[] {
    return [...this.personasById.values()];
  }

  get customers(): Customer[] {
    return [...this.customersById.values()];
  }

  /** Problems that list this ticket key (or URL), ranked by impact. */
  problemsForTicket(key: string): Problem[] {
    return this.rank(this.byTicket.get(key) ?? []);
  }

  impact(problem: Problem): ProblemImpact {
    return this.impacts.get(problem) ?? this.computeImpact(problem);
  }

  /** Sorts problems by impact, highest first (a stable order for equal impact: by id). */
  rank(problems: readonly Problem[]): Problem[] {
    return [...problems].sort((a, b) => this.compareImpact(a, b));
  }

  /** Every anchor of every problem. */
  allAnchors(): Anchor[] {
    return this.problems.flatMap((p) => p.code);
  }

  /** Anchors that name this folder-relative file: by its path, a glob or a directory that holds it. */
  anchorsForFile(file: string): Anchor[] {
    const result = [...(this.anchors.exact.get(file) ?? [])];
    for (const { anchor, matches } of this.anchors.patterns) if (matches(file)) result.push(anchor);
    return result;
  }

  /** Ticket keys the trackers recognise in a piece of text. */
  findTicketKeys(text: string): TicketMatch[] {
    return findTicketKeys(text, this.trackers);
  }

  /** The web link of a ticket key or URL, when a tracker knows it. */
  ticketLink(ticket: string): string | undefined {
    if (isTicketUrl(ticket)) return ticket;
    const match = recogniseTicket(ticket, this.trackers);
    return match ? ticketUrl(match) : undefined;
  }

  /** Whether the newest customer confirmation is older than staleAfterDays (open problems only). */
  isStale(problem: Problem): boolean {
    const last = this.impact(problem).lastConfirmed;
    return last !== undefined && isStaleStatus(problem) && daysBetween(last, this.today) > this.staleAfterDays;
  }

  private addAnchor(anchor: Anchor): void {
    if (anchor.path === undefined) return;
    if (anchor.glob || anchor.kind === 'path') {
      // A path anchor may name a file or a directory; globs match sets of files.
      if (!anchor.glob) {
        const list = this.anchors.exact.get(anchor.path);
        if (list) list.push(anchor);
        else this.anchors.exact.set(anchor.path, [anchor]);
      }
      const matcher = pathMatcher(anchor.path, anchor.glob);
      const exact = anchor.path;
      this.anchors.patterns.push({ anchor, matches: anchor.glob ? matcher : (f) => f !== exact && matcher(f) });
      return;
    }
    const list = this.anchors.exact.get(anchor.path);
    if (list) list.push(anchor);
    else this.anchors.exact.set(anchor.path, [anchor]);
  }

  private computeImpact(p: Problem): ProblemImpact {
    let arr = p.impact?.arr;
    if (arr === undefined) {
      for (const c of p.customers) {
        const known = this.customersById.get(c.value)?.arr;
        if (known !== undefined) arr = (arr ?? 0) + known;
      }
    }
    let lastConfirmed = p.validated;
    for (const e of p.evidence) if (e.date && (!lastConfirmed || e.date > lastConfirmed)) lastConfirmed = e.date;
    return {
      customers: p.impact?.customers ?? p.customers.length,
      arr,
      tickets: p.impact?.tickets ?? p.tickets.length,
      lastConfirmed,
    };
  }

  private compareImpact(a: Problem, b: Problem): number {
    const ia = this.impact(a);
    const ib = this.impact(b);
    return (SEVERITY_RANK.get(a.severity)! - SEVERITY_RANK.get(b.severity)!)
      || ib.customers - ia.customers
      || (ib.arr ?? 0) - (ia.arr ?? 0)
      || a.id.localeCompare(b.id, undefined, { numeric: true });
  }

  private checkReferences(p: Problem, report: Reporter): void {
    const check = (refs: readonly Located[], map: Map<string, unknown>, what: string) => {
      for (const ref of refs) {
        if (map.has(ref.value)) continue;
        const known = [...map.keys()];
        const hint = known.length > 0 ? ` The nearest ${what} id is "${closest(ref.value, known)}".` : ` This workspace defines no ${what}s.`;
        report(p.file, ref.span, 'unknown-reference', `${p.id} refers to ${what} "${ref.value}", which is not defined.${hint}`);
      }
    };
    check(p.personas, this.personasById, 'persona');
    check(p.customers, this.customersById, 'customer');
    check(p.related, this.byId, 'problem');
    check(p.evidence.flatMap((e) => (e.persona ? [e.persona] : [])), this.personasById, 'persona');
  }

  private checkStale(p: Problem, impact: ProblemImpact, report: Reporter): void {
    if (!isStaleStatus(p) || impact.lastConfirmed === undefined) return;
    const days = daysBetween(impact.lastConfirmed, this.today);
    if (days <= this.staleAfterDays) return;
    report(p.file, p.idSpan, 'stale',
      `${p.id} was last confirmed by a customer ${days} days ago (${impact.lastConfirmed}), more than ${this.staleAfterDays} days. ` +
      'Check it is still true with a customer, then add the evidence or update "validated".');
  }
}

type Reporter = (file: string, span: Span, rule: RuleId, message: string) => void;

/** Solved and won't-fix problems do not go stale: nobody acts on them any more. */
function isStaleStatus(p: Problem): boolean {
  return p.status !== 'solved' && p.status !== 'wont-fix';
}

function addUnique<T extends { id: string; file: string; idSpan: Span }>(
  map: Map<string, T>, item: T, what: string, report: Reporter,
): boolean {
  const first = map.get(item.id);
  if (!first) {
    map.set(item.id, item);
    return true;
  }
  report(item.file, item.idSpan, 'duplicate-id',
    `The ${what} id "${item.id}" is already used at ${first.file}:${first.idSpan.line + 1}. Ids must be unique across the workspace folder; this one is ignored.`);
  return false;
}
