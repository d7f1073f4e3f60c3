// Grouping problems for the sidebar: by severity, status, persona, customer, horizon or tag. A
// problem with several personas, customers or tags appears in each of their groups.
import { HORIZONS, SEVERITIES, STATUSES } from './model';
import type { Problem, Status } from './model';
import type { InsightsIndex } from './workspaceIndex';

export type GroupBy = 'severity' | 'status' | 'persona' | 'customer' | 'horizon' | 'tag';

export interface ProblemGroup {
  key: string;
  label: string;
  problems: Problem[];
}

/** The groups of one folder's problems; problems keep the index's impact order inside a group. */
export function groupProblems(index: InsightsIndex, by: GroupBy): ProblemGroup[] {
  const groups = new Map<string, ProblemGroup>();
  const add = (key: string, label: string, p: Problem) => {
    const g = groups.get(key) ?? { key, label, problems: [] };
    g.problems.push(p);
    groups.set(key, g);
  };
  const order: string[] = [];
  switch (by) {
    case 'severity':
      order.push(...SEVERITIES);
      for (const p of index.problems) add(p.severity, capitalise(p.severity), p);
      break;
    case 'status':
      order.push(...STATUSES);
      for (const p of index.problems) add(p.status, STATUS_LABEL[p.status], p);
      break;
    case 'horizon':
      order.push(...HORIZONS, '');
      for (const p of index.problems) add(p.horizon ?? '', p.horizon ? capitalise(p.horizon) : 'No horizon', p);
      break;
    case 'persona':
      order.push(...index.personas.map((x) => x.id), '');
      for (const p of index.problems) {
        if (p.personas.length === 0) add('', 'No persona', p);
        for (const ref of p.personas) add(ref.value, index.persona(ref.value)?.name ?? ref.value, p);
      }
      break;
    case 'customer':
      order.push(...index.customers.map((x) => x.id), '');
      for (const p of index.problems) {
        if (p.customers.length === 0) add('', 'No customer', p);
        for (const ref of p.customers) add(ref.value, index.customer(ref.value)?.name ?? ref.value, p);
      }
      break;
    case 'tag': {
      const tags = [...new Set(index.problems.flatMap((p) => p.tags))].sort();
      order.push(...tags, '');
      for (const p of index.problems) {
        if (p.tags.length === 0) add('', 'No tag', p);
        for (const t of p.tags) add(t, t, p);
      }
      break;
    }
  }
  const rank = (key: string) => (order.indexOf(key) === -1 ? order.length : order.indexOf(key));
  return [...groups.values()].sort((a, b) => rank(a.key) - rank(b.key) || a.label.localeCompare(b.label));
}

const STATUS_LABEL: Record<Status, string> = {
  hypothesis: 'Hypotheses',
  validated: 'Validated',
  'in-progress': 'In progress',
  solved: 'Solved',
  'wont-fix': "Won't fix",
};

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

