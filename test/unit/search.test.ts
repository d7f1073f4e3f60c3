// Search over the problems of examples/acme-shop. The search options are being tuned, so these
// tests assert what must hold whatever the tuning: clear queries find their problem first, ids
// win outright, filters filter, and highlight ranges stay inside the title. No exact scores.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadIndex } from '../../src/core/check';
import { ProblemSearch, searchRecord } from '../../src/core/search';
import type { SearchHit } from '../../src/core/search';
import { repoRoot, TODAY } from './helpers';

describe('search on examples/acme-shop', () => {
  const text = fs.readFileSync(path.join(repoRoot(), 'examples', 'acme-shop', 'customer-insights.yaml'), 'utf8');
  const idx = loadIndex([{ file: 'customer-insights.yaml', text }], { today: TODAY });
  const search = new ProblemSearch(idx);
  const first = (query: string) => search.search(query)[0]?.problem.id;
  const idsOf = (hits: SearchHit[]) => hits.map((h) => h.problem.id);

  it('works on a file that has the problems these tests name', () => {
    for (const id of ['P-1', 'P-2', 'P-7', 'P-12', 'P-14']) assert.ok(idx.problem(id), id);
    assert.ok(idx.problems.length >= 10);
  });

  it('puts an exact id first with a perfect score, in any case', () => {
    for (const q of ['P-12', 'p-12', ' P-12 ']) {
      const [hit] = search.search(q);
      assert.equal(hit.problem.id, 'P-12', q);
      assert.equal(hit.score, 0);
    }
    assert.equal(first('P-1'), 'P-1');
    assert.equal(first('P-14'), 'P-14');
  });

  it('lists an exact id only once', () => {
    const hits = idsOf(search.search('P-12'));
    assert.equal(hits.filter((id) => id === 'P-12').length, 1);
  });

  it('finds the problem for clear queries, typos included', () => {
    assert.equal(first('exprot csv'), 'P-12');
    assert.equal(first('csv export'), 'P-12');
    assert.equal(first('onbording'), 'P-1');
    assert.equal(first('sso'), 'P-7');
  });

  it('finds nothing for nonsense', () => {
    assert.deepEqual(search.search('qxzqxzqxzqxz'), []);
  });

  it('ranks hits from best to worst, scores between 0 and 1', () => {
    for (const q of ['exprot csv', 'export', 'payout', 'login']) {
      const scores = search.search(q).map((h) => h.score);
      assert.ok(scores.length > 0, q);
      for (const s of scores) assert.ok(s >= 0 && s <= 1, `${q}: score ${s}`);
      for (let i = 1; i < scores.length; i++) assert.ok(scores[i - 1] <= scores[i], `${q}: ${scores.join(', ')}`);
    }
  });

  it('lists every problem by impact for an empty or blank query', () => {
    const all = idx.problems.map((p) => p.id);
    assert.deepEqual(idsOf(search.search('')), all);
    assert.deepEqual(idsOf(search.search('   ')), all);
    for (const h of search.search('')) {
      assert.equal(h.score, 0);
      assert.deepEqual(h.titleMatches, []);
    }
    assert.equal(all[0], 'P-2', 'the critical problem with the most customers leads');
  });

  it('respects the limit', () => {
    assert.deepEqual(idsOf(search.search('', { limit: 3 })), idx.problems.slice(0, 3).map((p) => p.id));
    assert.ok(search.search('e', { limit: 2 }).length <= 2);
  });

  it('filters by status, severity and persona, with or without a query', () => {
    const solvedOrWont = idx.problems.filter((p) => p.status === 'solved' || p.status === 'wont-fix').map((p) => p.id);
    assert.ok(solvedOrWont.length >= 2);
    assert.deepEqual(idsOf(search.search('', { filter: { statuses: ['solved', 'wont-fix'] } })), solvedOrWont);

    const critical = idx.problems.filter((p) => p.severity === 'critical').map((p) => p.id);
    assert.deepEqual(idsOf(search.search('', { filter: { severities: ['critical'] } })), critical);

    const forBookkeepers = search.search('export', { filter: { personas: ['bookkeeper'] } });
    assert.ok(forBookkeepers.length > 0);
    for (const h of forBookkeepers) assert.ok(h.problem.personas.some((p) => p.value === 'bookkeeper'), h.problem.id);
    assert.equal(forBookkeepers[0].problem.id, 'P-12');

    const both = search.search('', { filter: { statuses: ['in-progress'], severities: ['high'] } });
    assert.ok(both.length > 0);
    for (const h of both) assert.deepEqual([h.problem.status, h.problem.severity], ['in-progress', 'high']);
  });

  it('applies filters to an exact id too', () => {
    assert.ok(!idsOf(search.search('P-12', { filter: { statuses: ['solved'] } })).includes('P-12'));
  });

  it('treats empty filter lists as no filter', () => {
    assert.equal(search.search('', { filter: { statuses: [], severities: [], personas: [] } }).length, idx.problems.length);
  });

  it('returns title highlight ranges that lie inside the title', () => {
    let ranges = 0;
    for (const q of ['exprot csv', 'export', 'payout', 'login', 'bank verification', 'sso', 'P-12', 'tablet']) {
      for (const h of search.search(q)) {
        for (const [a, b] of h.titleMatches) {
          ranges++;
          assert.ok(Number.isInteger(a) && Number.isInteger(b), `${q}: ${a}-${b}`);
          assert.ok(a >= 0 && a <= b && b < h.problem.title.length, `${q}: ${a}-${b} outside "${h.problem.title}"`);
        }
      }
    }
    assert.ok(ranges > 0, 'no title ranges at all');
  });

  it('highlights the matched word in the title', () => {
    const hit = search.search('export').find((h) => h.problem.id === 'P-12');
    assert.ok(hit);
    const start = hit.problem.title.indexOf('export');
    assert.ok(hit.titleMatches.some(([a, b]) => a <= start + 5 && b >= start), JSON.stringify(hit.titleMatches));
  });

  it('searches names, not ids, of personas and customers, and the quotes', () => {
    const r = searchRecord(idx.problem('P-12')!, idx);
    assert.ok(r.personas.includes('Bookkeeper'));
    assert.ok(r.customers.includes('Globex Corp'));
    assert.ok(r.tickets.includes('ACME-881'));
    assert.ok(r.quotes.some((q) => q.startsWith('Every Monday the export spins')));
    assert.ok(r.tags.includes('export'));
  });
});
