// What the search surfaces show of a problem: result rows and the card in the Search view's detail
// pane, as plain data (the webview renders it with textContent), and the quick pick's lines.
import { formatArr, strongestEvidence } from '../../core/card';
import { daysBetween } from '../../core/dates';
import type { Problem } from '../../core/model';
import type { InsightsIndex } from '../../core/workspaceIndex';
import { refOf } from '../../adapter/problemRefs';
import type { FolderIndex } from '../../workspace/folderIndex';
import type { FolderHit } from './engine';
import type { CardData, ResultItem } from './protocol';

const CARD_EVIDENCE = 3;
const DESCRIPTION_CHARS = 600;

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "14 customers · 9 tickets" */
export function reach(index: InsightsIndex, problem: Problem): string {
  const impact = index.impact(problem);
  return `${plural(impact.customers, 'customer')} \u00b7 ${plural(impact.tickets, 'ticket')}`;
}

export function resultItem({ folder, index, hit }: FolderHit, multiRoot: boolean): ResultItem {
  const { problem } = hit;
  const impact = index.impact(problem);
  const length = problem.title.length;
  return {
    ref: refOf(folder, problem),
    folderName: multiRoot ? folder.folder.name : undefined,
    id: problem.id,
    title: problem.title,
    // Only well-formed ranges inside the title reach the page.
    titleMatches: hit.titleMatches.filter(([a, b]) => Number.isInteger(a) && Number.isInteger(b) && a >= 0 && a <= b && b < length),
    status: problem.status,
    severity: problem.severity,
    customers: impact.customers,
    tickets: impact.tickets,
    score: hit.score,
  };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Descriptions are Markdown: the card shows their text without the markup, as one paragraph. */
export function plainText(markdown: string): string {
  return oneLine(markdown
    .replace(/!?\[([^\]\n]*)\]\([^)\n]*\)/g, '$1')
    .replace(/(\*\*|__)(?=\S)([^\n]*?\S)\1/g, '$2')
    .replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?!\w)/g, '$1$2')
    .replace(/(^|[^\w_])_(?=\S)([^_\n]*?\S)_(?!\w)/g, '$1$2')
    .replace(/`([^`\n]*)`/g, '$1')
    .replace(/^\s{0,3}#{1,6}\s+/gm, '')
    .replace(/^\s*(?:[-*+]|\d+[.)])\s+/gm, '\u2022 '));
}

export function cardData(folder: FolderIndex, index: InsightsIndex, problem: Problem, multiRoot: boolean): CardData {
  const impact = index.impact(problem);
  const customers = [plural(impact.customers, 'customer')];
  if (impact.arr !== undefined) customers.push(formatArr(impact.arr));
  const atRisk = problem.customers
    .map((c) => index.customer(c.value))
    .filter((c) => c !== undefined && (c.health === 'at-risk' || c.health === 'churned'))
    .map((c) => `${c!.name} (${c!.health})`);
  const evidence = strongestEvidence(problem).slice(0, CARD_EVIDENCE).map((e) => {
    const customer = e.customer ? index.customer(e.customer.value)?.name ?? e.customer.value : undefined;
    return {
      text: oneLine(e.quote ?? e.summary ?? ''),
      quoted: e.quote !== undefined,
      signal: e.signal,
      source: [e.kind, e.count && e.count > 1 ? `${e.count}\u00d7` : undefined, customer, e.date].filter(Boolean).join(' \u00b7 '),
    };
  }).filter((e) => e.text !== '');
  let confirmed: string | undefined;
  const stale = index.isStale(problem);
  if (impact.lastConfirmed) {
    const days = daysBetween(impact.lastConfirmed, index.today);
    const when = days <= 0 ? 'today' : `${plural(days, 'day')} ago`;
    confirmed = stale
      ? `Stale: last confirmed by a customer ${when} (${impact.lastConfirmed}), more than ${index.staleAfterDays} days.`
      : `Validated ${when}.`;
  } else if (problem.status === 'hypothesis') {
    confirmed = 'Hypothesis: no customer has confirmed this problem yet.';
  }
  // Cut before stripping the markup too: a description may be long.
  const description = problem.description ? plainText(problem.description.slice(0, DESCRIPTION_CHARS * 3)) : undefined;
  return {
    ref: refOf(folder, problem),
    folderName: multiRoot ? folder.folder.name : undefined,
    id: problem.id,
    title: problem.title,
    status: problem.status,
    severity: problem.severity,
    horizon: problem.horizon,
    description: description && description.length > DESCRIPTION_CHARS ? `${description.slice(0, DESCRIPTION_CHARS).trimEnd()}\u2026` : description,
    personas: problem.personas.map((p) => index.persona(p.value)?.name ?? p.value),
    customers: customers.join(' \u00b7 '),
    atRisk,
    evidence,
    tickets: problem.tickets.map((t) => ({ key: t.value, linked: index.ticketLink(t.value) !== undefined })),
    confirmed,
    stale,
  };
}
