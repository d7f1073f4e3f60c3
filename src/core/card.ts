// The problem card: the Markdown shown in hovers and tree tooltips. Every string from the insights
// file is escaped (it arrives in pull requests); only http(s) links are ever written.
import type { Evidence, Problem } from './model';
import { daysBetween } from './dates';
import type { InsightsIndex } from './workspaceIndex';

/** Backslash-escapes Markdown punctuation and folds line breaks, so text renders as itself. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[\\`*_{}[\]()#+\-.!|<>~&:"'=$%]/g, (c) => `\\${c}`)
    .replace(/^(\s*)(\d+)(\\?\.)/, '$1$2\\.');
}

/** A Markdown link to a web page, or the escaped text alone when the URL is not http(s). */
export function webLink(text: string, url: string | undefined): string {
  if (!url || !/^https?:\/\/[^\s]+$/i.test(url)) return escapeMarkdown(text);
  const safe = url.replace(/[()<>\s"'\\[\]`]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return `[${escapeMarkdown(text)}](${safe})`;
}

export interface CardLinks {
  /** Prebuilt command URIs (the host's own commands only). */
  reveal?: string;
  open?: string;
  showCode?: string;
}

export interface CardOptions {
  links?: CardLinks;
  /** How many evidence items to quote (the strongest first). */
  evidence?: number;
}

const MONEY = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', notation: 'compact', minimumFractionDigits: 0, maximumFractionDigits: 1 });

export function formatArr(arr: number): string {
  return `${MONEY.format(arr)} ARR`;
}

/** Evidence ordered by strength: what we saw people do beats what they said; then reach; then recency. */
export function strongestEvidence(problem: Problem): Evidence[] {
  return [...problem.evidence].sort((a, b) =>
    (a.signal === b.signal ? 0 : a.signal === 'observed' ? -1 : 1)
    || (b.count ?? 1) - (a.count ?? 1)
    || (b.date ?? '').localeCompare(a.date ?? ''));
}

export function problemCard(problem: Problem, index: InsightsIndex, options: CardOptions = {}): string {
  const lines: string[] = [];
  lines.push(`**${escapeMarkdown(problem.title)}** \u00b7 \`${problem.id}\``);
  const badges = [problem.status, problem.severity, problem.horizon].filter(Boolean).map((b) => `\`${b}\``);
  lines.push(badges.join(' '));
  if (problem.status === 'hypothesis') {
    lines.push('$(question) *Hypothesis: no customer has confirmed this problem yet.*');
  }

  const personas = problem.personas.map((p) => escapeMarkdown(index.persona(p.value)?.name ?? p.value));
  if (personas.length > 0) lines.push(`**Who:** ${personas.join(', ')}`);

  const impact = index.impact(problem);
  if (impact.customers > 0 || impact.arr !== undefined) {
    const parts = [`${impact.customers} customer${impact.customers === 1 ? '' : 's'}`];
    if (impact.arr !== undefined) parts.push(formatArr(impact.arr));
    const atRisk = problem.customers
      .map((c) => index.customer(c.value))
      .filter((c) => c && (c.health === 'at-risk' || c.health === 'churned'))
      .map((c) => `${escapeMarkdown(c!.name)} (${c!.health})`);
    if (atRisk.length > 0) parts.push(`$(warning) ${atRisk.join(', ')}`);
    lines.push(`**Customers:** ${parts.join(' \u00b7 ')}`);
  }

  for (const e of strongestEvidence(problem).slice(0, options.evidence ?? 2)) {
    const text = e.quote ? `\u201c${escapeMarkdown(e.quote)}\u201d` : escapeMarkdown(e.summary ?? '');
    const customer = e.customer ? index.customer(e.customer.value)?.name ?? e.customer.value : undefined;
    const source = [e.kind, e.count && e.count > 1 ? `${e.count}\u00d7` : undefined, customer, e.date].filter(Boolean).join(' \u00b7 ');
    // A summary is our words about the evidence, not a customer's: it says so.
    const signal = e.quote
      ? (e.signal === 'observed' ? '$(eye) observed' : '$(comment) said')
      : (e.signal === 'observed' ? '$(eye) summary of what we observed' : '$(note) summary of what customers said');
    lines.push(`> ${text}  \n> \u2014 ${signal} \u00b7 ${webLink(source, e.url)}`);
  }

  if (problem.tickets.length > 0) {
    lines.push(`**Tickets:** ${problem.tickets.map((t) => webLink(t.value, index.ticketLink(t.value))).join(' \u00b7 ')}`);
  }

  if (impact.lastConfirmed) {
    const days = daysBetween(impact.lastConfirmed, index.today);
    const when = days <= 0 ? 'today' : `${days} day${days === 1 ? '' : 's'} ago`;
    // A hypothesis has evidence but no confirmation: its date is the newest evidence, never "validated".
    const hypothesis = problem.status === 'hypothesis';
    lines.push(index.isStale(problem)
      ? `$(warning) **Stale:** ${hypothesis ? 'newest evidence' : 'last confirmed by a customer'} ${when} (${impact.lastConfirmed}), more than ${index.staleAfterDays} days.`
      : hypothesis ? `Newest evidence ${when}.` : `Validated ${when}.`);
  } else if (problem.status !== 'hypothesis') {
    lines.push('*No date says when a customer last confirmed this.*');
  }

  const { links } = options;
  const footer = [
    links?.reveal && `[$(list-tree) Reveal in sidebar](${links.reveal})`,
    links?.open && `[$(go-to-file) Open in insights file](${links.open})`,
    links?.showCode && `[$(code) Show all code](${links.showCode})`,
  ].filter(Boolean);
  if (footer.length > 0) lines.push(footer.join(' \u00a0\u00b7\u00a0 '));
  return lines.join('\n\n');
}

const TITLE_MAX = 48;

/** The CodeLens title: the top problem by impact, `+N` for the others. */
export function lensTitle(problems: readonly Problem[], index: InsightsIndex): string {
  const top = problems[0];
  const impact = index.impact(top);
  const title = top.title.length > TITLE_MAX ? `${top.title.slice(0, TITLE_MAX - 1)}\u2026` : top.title;
  const parts = [
    `Solves ${top.id}${problems.length > 1 ? ` +${problems.length - 1}` : ''}`,
    title,
    `${impact.customers} customer${impact.customers === 1 ? '' : 's'}`,
    `${impact.tickets} ticket${impact.tickets === 1 ? '' : 's'}`,
  ];
  return parts.join(' \u00b7 ');
}
