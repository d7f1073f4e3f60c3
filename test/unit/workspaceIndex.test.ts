// The index of one workspace folder: merging files, checks across files, trackers, ranking, staleness
// and which anchors name a file.
import * as assert from 'node:assert/strict';
import { checkTrackerPattern, compileTrackers, findTicketKeys, recogniseTicket, ticketUrl, MAX_TRACKER_INPUT } from '../../src/core/trackers';
import type { Tracker } from '../../src/core/model';
import { byRule, clean, index, one, parse, show, span, textAt, yml } from './helpers';

const TRACKERS = [
  'trackers:',
  '  - prefix: ACME',
  '    url: https://acme.example/browse/{key}',
  '  - pattern: "GH-(\\\\d+)"',
  '    url: https://github.example/acme/shop/issues/{1}',
];

function tracker(fields: Partial<Tracker>): Tracker {
  const zero = { line: 0, col: 0, endLine: 0, endCol: 0 };
  return { url: 'https://t.example/{key}', span: zero, keySpan: zero, usable: true, ...fields };
}

describe('index: merging files', () => {
  const root = parse(yml(
    'version: 1',
    'personas:',
    '  - id: owner',
    '    name: Owner',
    'problems:',
    '  - id: P-1',
    '    title: Root one',
    '  - id: P-2',
    '    title: Root two',
  ));
  const pkg = parse(yml(
    'version: 1',
    'personas:',
    '  - id: owner',
    '    name: Owner again',
    'customers:',
    '  - id: globex',
    '    name: Globex',
    'problems:',
    '  - id: P-3',
    '    title: Package three',
    '    personas: [owner]',
    '  - id: P-1',
    '    title: Package one',
  ), 'pkg/customer-insights.yaml');
  const idx = index([root, pkg]);

  it('holds the problems, personas and customers of every file', () => {
    assert.deepEqual(idx.problems.map((p) => p.id).sort(), ['P-1', 'P-2', 'P-3']);
    assert.equal(idx.problem('P-3')?.file, 'pkg/customer-insights.yaml');
    assert.equal(idx.customer('globex')?.name, 'Globex');
    assert.deepEqual(idx.personas.map((p) => p.id), ['owner']);
    assert.deepEqual(idx.customers.map((c) => c.id), ['globex']);
    assert.deepEqual(idx.files, [root, pkg]);
  });

  it('reports a duplicate problem id at the second occurrence, naming the first one\'s file:line', () => {
    const dups = byRule(idx.diagnostics, 'duplicate-id');
    const problemDup = dups.find((d) => d.message.includes('problem'));
    assert.ok(problemDup, show(idx.diagnostics));
    assert.equal(problemDup.file, 'pkg/customer-insights.yaml');
    assert.deepEqual(problemDup.span, span(11, 8, 11, 11));
    assert.equal(problemDup.severity, 'error');
    assert.ok(problemDup.message.includes('customer-insights.yaml:6'), problemDup.message);
    assert.ok(problemDup.message.includes('"P-1"'), problemDup.message);
  });

  it('keeps the first of two duplicates', () => {
    assert.equal(idx.problem('P-1')?.title, 'Root one');
    assert.equal(idx.problems.length, 3);
  });

  it('reports duplicate persona ids across files too', () => {
    const d = byRule(idx.diagnostics, 'duplicate-id').find((x) => x.message.includes('persona'));
    assert.ok(d, show(idx.diagnostics));
    assert.equal(d.file, 'pkg/customer-insights.yaml');
    assert.equal(d.span.line, 2);
    assert.ok(d.message.includes('customer-insights.yaml:3'), d.message);
    assert.equal(idx.persona('owner')?.name, 'Owner');
  });

  it('reports duplicates within one file', () => {
    const one1 = parse(yml('version: 1', 'customers:', '  - {id: c, name: C}', '  - {id: c, name: D}'));
    const d = one(index([one1]).diagnostics, 'duplicate-id');
    assert.equal(d.span.line, 3);
    assert.match(d.message, /customer-insights\.yaml:3/);
  });

  it('resolves references across files (P-3 in pkg names a persona of the root file)', () => {
    assert.deepEqual(byRule(idx.diagnostics, 'unknown-reference'), []);
  });

  it('carries over every file\'s own diagnostics', () => {
    const bad = parse(yml('version: 1', 'problems:', '  - id: P-9', '    title: T', '    stauts: x'));
    const i = index([root, bad]);
    assert.ok(i.diagnostics.some((d) => d.rule === 'unknown-key'));
  });
});

describe('index: references', () => {
  const text = yml(
    'version: 1',
    'personas:',
    '  - {id: shop-owner, name: Shop owner}',
    '  - {id: bookkeeper, name: Bookkeeper}',
    'customers:',
    '  - {id: globex, name: Globex}',
    'problems:',
    '  - id: P-12',
    '    title: Export',
    '    personas: [shop-ownr]',
    '    customers: [globx]',
    '    related: [P-14, P-13]',
    '    evidence:',
    '      - kind: interview',
    '        quote: q',
    '        customer: Three florists at a meetup',
    '        persona: bookeeper',
    '  - id: P-14',
    '    title: Columns',
    '    related: [P-12]',
  );
  const idx = index([parse(text)]);
  const refs = byRule(idx.diagnostics, 'unknown-reference');

  it('reports each unknown reference at the reference, as an error', () => {
    assert.deepEqual(refs.map((d) => [d.span.line, d.span.col]), [[9, 15], [10, 16], [11, 20], [16, 17]]);
    for (const d of refs) assert.equal(d.severity, 'error');
  });

  it('names the nearest id of the right kind', () => {
    assert.match(refs[0].message, /persona "shop-ownr".*nearest persona id is "shop-owner"/);
    assert.match(refs[1].message, /customer "globx".*nearest customer id is "globex"/);
    assert.match(refs[2].message, /problem "P-13".*nearest problem id is "P-12"/);
    assert.match(refs[3].message, /persona "bookeeper".*nearest persona id is "bookkeeper"/);
    for (const d of refs) assert.match(d.message, /P-12 refers to/);
  });

  it('allows free text as an evidence customer', () => {
    assert.ok(!refs.some((d) => d.message.includes('florists')));
    assert.equal(idx.problem('P-12')?.evidence[0].customer?.value, 'Three florists at a meetup');
  });

  it('says so when the workspace defines none of that kind', () => {
    const i = index([parse(yml('version: 1', 'problems:', '  - id: P-1', '    title: T', '    customers: [globex]'))]);
    const d = one(i.diagnostics, 'unknown-reference');
    assert.match(d.message, /defines no customers/);
  });
});

describe('index: tickets and trackers', () => {
  const text = yml(
    'version: 1',
    ...TRACKERS,
    'problems:',
    '  - id: P-12',
    '    title: Export',
    '    severity: high',
    '    tickets: [ACME-881, GH-412, "https://support.example/tickets/52311", JIRA-9, XACME-2]',
    '  - id: P-14',
    '    title: Columns',
    '    severity: critical',
    '    tickets: [ACME-881]',
  );
  const idx = index([parse(text)]);

  it('reports tickets no tracker recognises as information, at the ticket, but not URLs', () => {
    const infos = byRule(idx.diagnostics, 'ticket-unrecognised');
    assert.deepEqual(infos.map((d) => [d.span.line, textAt(text, d.span)]), [[10, 'JIRA-9'], [10, 'XACME-2']]);
    assert.ok(infos.every((d) => d.severity === 'info'));
    assert.match(infos[0].message, /"JIRA-9"/);
    assert.match(infos[0].message, /trackers/);
    assert.equal(idx.diagnostics.length, 2, show(idx.diagnostics));
  });

  it('reports every ticket as unrecognised when there are no trackers', () => {
    const i = index([parse(yml('version: 1', 'problems:', '  - id: P-1', '    title: T', '    tickets: [ACME-1, "http://t.example/1"]'))]);
    assert.equal(one(i.diagnostics, 'ticket-unrecognised').span.line, 4);
  });

  it('uses trackers from another file of the folder', () => {
    const withTrackers = parse(yml('version: 1', ...TRACKERS), 'tools/customer-insights.yaml');
    const problems = parse(yml('version: 1', 'problems:', '  - id: P-1', '    title: T', '    tickets: [ACME-1]'));
    clean(index([problems, withTrackers]).diagnostics);
  });

  it('matches a prefix as a whole key only: ACME-881, not XACME-881, ACME-881x or ACME-', () => {
    const keys = (s: string) => idx.findTicketKeys(s).map((m) => m.key);
    assert.deepEqual(keys('ACME-881'), ['ACME-881']);
    assert.deepEqual(keys('see ACME-881, then (ACME-12).'), ['ACME-881', 'ACME-12']);
    assert.deepEqual(keys('XACME-881'), []);
    assert.deepEqual(keys('ACME-881x'), []);
    assert.deepEqual(keys('ACME_1 ACME- ACME-x -ACME-5 acme-5'), []);
    assert.deepEqual(keys('feature/ACME-881-streaming-export'), ['ACME-881']);
  });

  it('reports where each key is, in text order', () => {
    const found = idx.findTicketKeys('GH-7 and ACME-3');
    assert.deepEqual(found.map((m) => [m.key, m.start, m.end]), [['GH-7', 0, 4], ['ACME-3', 9, 15]]);
    assert.deepEqual(found[0].groups, ['7']);
  });

  it('recognises a key only as a whole', () => {
    const trackers = compileTrackers(idx.files[0].trackers);
    assert.ok(recogniseTicket('ACME-881', trackers));
    assert.equal(recogniseTicket('ACME-881 ', trackers), undefined);
    assert.equal(recogniseTicket('x GH-4', trackers), undefined);
  });

  it('builds ticket links: {key} is the key, {1} the first group', () => {
    assert.equal(idx.ticketLink('ACME-881'), 'https://acme.example/browse/ACME-881');
    assert.equal(idx.ticketLink('GH-412'), 'https://github.example/acme/shop/issues/412');
    assert.equal(idx.ticketLink('https://support.example/tickets/52311'), 'https://support.example/tickets/52311');
    assert.equal(idx.ticketLink('XACME-881'), undefined);
    assert.equal(idx.ticketLink('JIRA-9'), undefined);
  });

  it('URL-encodes what it puts into a link, and leaves unknown groups empty', () => {
    const trackers = compileTrackers([tracker({ pattern: 'T#(\\w+)(x)?', url: 'https://t.example/{key}/{1}/{2}/{3}' })]);
    const m = findTicketKeys('see T#abc', trackers)[0];
    assert.equal(ticketUrl(m), 'https://t.example/T%23abc/abc//');
  });

  it('ignores unusable trackers', () => {
    const trackers = compileTrackers([tracker({ prefix: 'ACME', usable: false }), tracker({ prefix: 'OPS' })]);
    assert.deepEqual(findTicketKeys('ACME-1 OPS-2', trackers).map((m) => m.key), ['OPS-2']);
  });

  it('keeps the first of overlapping matches from two trackers', () => {
    const trackers = compileTrackers([tracker({ pattern: 'AB-\\d+' }), tracker({ pattern: 'B-\\d+' })]);
    assert.deepEqual(findTicketKeys('AB-12', trackers).map((m) => m.key), ['AB-12']);
  });

  it('only looks at the first MAX_TRACKER_INPUT characters of a text', () => {
    const trackers = compileTrackers([tracker({ prefix: 'ACME' })]);
    const text = `${' '.repeat(MAX_TRACKER_INPUT)} ACME-1`;
    assert.deepEqual(findTicketKeys(text, trackers), []);
    assert.equal(findTicketKeys(`${' '.repeat(MAX_TRACKER_INPUT - 7)}ACME-1`, trackers).length, 1);
  });

  it('lists the problems of a ticket, ranked by impact; URLs too; nothing for unknown keys', () => {
    assert.deepEqual(idx.problemsForTicket('ACME-881').map((p) => p.id), ['P-14', 'P-12']);
    assert.deepEqual(idx.problemsForTicket('https://support.example/tickets/52311').map((p) => p.id), ['P-12']);
    assert.deepEqual(idx.problemsForTicket('ACME-1'), []);
  });
});

describe('trackers: checking patterns', () => {
  it('accepts ordinary ticket patterns', () => {
    for (const p of ['GH-(\\d+)', '[A-Z]+-\\d+', '#(\\d+)', 'CVE-\\d{4}-\\d{4,}']) assert.equal(checkTrackerPattern(p), undefined, p);
  });

  it('rejects invalid syntax, what RE2 does not have, empty matches and overlong patterns', () => {
    assert.match(checkTrackerPattern('GH-(')!, /not a valid regular expression/);
    assert.match(checkTrackerPattern('(a)\\1')!, /back references and lookaround/);
    assert.match(checkTrackerPattern('(?<=x)GH-\\d+')!, /not a valid regular expression/);
    assert.match(checkTrackerPattern('[A-Z]*')!, /matches empty text/);
    assert.match(checkTrackerPattern(`GH-${'\\d'.repeat(100)}`)!, /longer than 200/);
  });

  // Patterns run on RE2 (linear time): shapes that backtrack exponentially in JavaScript, nested
  // or bounded-nested repetitions and overlapping alternations, are harmless, so they are accepted.
  it('runs the shapes that backtrack in JavaScript in linear time', () => {
    const hostile = ['(a+)+$', '(a*)*b', '(a|a)+$', '(a|aa)+$', '(?:\\d{0,10}){10}X', '(?:\\d+)+X'];
    const inputs = ['a'.repeat(399) + '!', '1'.repeat(400)];
    for (const pattern of hostile) {
      assert.equal(checkTrackerPattern(pattern), undefined, pattern);
      const span = { line: 0, col: 0, endLine: 0, endCol: 0 };
      const trackers = compileTrackers([{ pattern, url: 'https://x.example/{key}', span, keySpan: span, usable: true }]);
      const started = performance.now();
      for (const input of inputs) findTicketKeys(input, trackers);
      assert.ok(performance.now() - started < 200, `${pattern} took ${Math.round(performance.now() - started)} ms`);
    }
  });

  it('accepts linear patterns with an optional group, such as GH-(\\d+)(?:-(\\d+))?', () => {
    assert.equal(checkTrackerPattern('GH-(\\d+)(?:-(\\d+))?'), undefined);
    assert.equal(checkTrackerPattern('(?:ACME|OPS)-\\d+(?:\\.\\d+)?'), undefined);
  });

  it('finds keys with their groups at the right offsets, also after non-ASCII text', () => {
    const span = { line: 0, col: 0, endLine: 0, endCol: 0 };
    const trackers = compileTrackers([{ pattern: 'GH-(\\d+)', url: 'https://x.example/{1}', span, keySpan: span, usable: true }]);
    const text = '\u00e9\ud83d\ude00 fixes GH-12 and GH-7';
    const found = findTicketKeys(text, trackers);
    assert.deepEqual(found.map((m) => [m.key, m.start, m.groups[0]]), [['GH-12', text.indexOf('GH-12'), '12'], ['GH-7', text.indexOf('GH-7'), '7']]);
    assert.equal(ticketUrl(found[0]), 'https://x.example/12');
  });
});

describe('index: ranking by impact', () => {
  const text = yml(
    'version: 1',
    'customers:',
    '  - {id: big, name: Big, arr: 100000}',
    '  - {id: mid, name: Mid, arr: 5000}',
    '  - {id: small, name: Small, arr: 1000}',
    '  - {id: unknown, name: Unknown}',
    'problems:',
    '  - {id: P-low, title: T, severity: low, impact: {customers: 999, arr: 9999999}}',
    '  - {id: P-med-2cust, title: T, customers: [small, mid]}',
    '  - {id: P-med-arr-impact, title: T, customers: [small], impact: {arr: 200000}}',
    '  - {id: P-med-arr-sum, title: T, customers: [big]}',
    '  - {id: P-crit, title: T, severity: critical}',
    '  - {id: P-high-few, title: T, severity: high, impact: {customers: 3}}',
    '  - {id: P-high-many, title: T, severity: high, impact: {customers: 40}}',
    '  - {id: P-10, title: T, severity: low}',
    '  - {id: P-9, title: T, severity: low}',
  );
  const idx = index([parse(text)]);

  it('ranks by severity first, then customers, then ARR, then id (numeric)', () => {
    assert.deepEqual(idx.problems.map((p) => p.id), [
      'P-crit',
      'P-high-many', 'P-high-few',
      'P-med-2cust', 'P-med-arr-impact', 'P-med-arr-sum',
      'P-low', 'P-9', 'P-10',
    ]);
  });

  it('takes customers and ARR from impact when given, else from the listed customers', () => {
    assert.deepEqual(idx.impact(idx.problem('P-med-2cust')!), { customers: 2, arr: 6000, tickets: 0, lastConfirmed: undefined });
    assert.equal(idx.impact(idx.problem('P-med-arr-impact')!).arr, 200000);
    assert.equal(idx.impact(idx.problem('P-med-arr-sum')!).arr, 100000);
    assert.equal(idx.impact(idx.problem('P-low')!).customers, 999);
    assert.equal(idx.impact(idx.problem('P-crit')!).arr, undefined);
  });

  it('leaves ARR unknown when no listed customer has one', () => {
    const i = index([parse(text.replace('[small]', '[unknown]').replace(', impact: {arr: 200000}', ''))]);
    assert.equal(i.impact(i.problem('P-med-arr-impact')!).arr, undefined);
  });

  it('rank() sorts any subset the same way', () => {
    const some = ['P-10', 'P-crit', 'P-med-arr-sum', 'P-high-few'].map((id) => idx.problem(id)!);
    assert.deepEqual(idx.rank(some).map((p) => p.id), ['P-crit', 'P-high-few', 'P-med-arr-sum', 'P-10']);
  });
});

describe('index: stale problems', () => {
  // 2026-11-22 minus 180 days is 2026-05-26.
  const problem = (id: string, status: string, validated?: string, evidenceDate?: string) => [
    `  - id: ${id}`,
    '    title: T',
    `    status: ${status}`,
    ...(validated ? [`    validated: ${validated}`] : []),
    ...(evidenceDate ? ['    evidence:', '      - kind: interview', '        quote: q', `        date: ${evidenceDate}`] : []),
  ];
  const text = yml(
    'version: 1',
    'problems:',
    ...problem('P-old', 'validated', '2026-03-04'),
    ...problem('P-boundary', 'validated', '2026-05-26'),
    ...problem('P-just-over', 'validated', '2026-05-25'),
    ...problem('P-fresh-evidence', 'in-progress', '2026-01-01', '2026-11-01'),
    ...problem('P-old-evidence', 'hypothesis', undefined, '2025-01-01'),
    ...problem('P-solved', 'solved', '2020-01-01'),
    ...problem('P-wont', 'wont-fix', '2020-01-01'),
    ...problem('P-undated', 'validated'),
  );
  const idx = index([parse(text)]);
  const stale = byRule(idx.diagnostics, 'stale');
  const staleIds = stale.map((d) => /^(\S+) was last confirmed/.exec(d.message)?.[1]);

  it('flags open problems last confirmed more than staleAfterDays ago', () => {
    assert.deepEqual(staleIds, ['P-old', 'P-just-over', 'P-old-evidence']);
  });

  it('is not stale at exactly staleAfterDays, and stale one day later', () => {
    assert.equal(idx.isStale(idx.problem('P-boundary')!), false);
    assert.equal(idx.isStale(idx.problem('P-just-over')!), true);
  });

  it('uses the newer of validated and the newest evidence date', () => {
    assert.equal(idx.isStale(idx.problem('P-fresh-evidence')!), false);
    assert.equal(idx.impact(idx.problem('P-fresh-evidence')!).lastConfirmed, '2026-11-01');
    assert.equal(idx.impact(idx.problem('P-old-evidence')!).lastConfirmed, '2025-01-01');
  });

  it('never flags solved or wont-fix problems, nor problems without any date', () => {
    for (const id of ['P-solved', 'P-wont', 'P-undated']) assert.equal(idx.isStale(idx.problem(id)!), false, id);
  });

  it('reports at the problem id, as a warning, with the days and the date', () => {
    const d = stale[0];
    assert.equal(d.severity, 'warning');
    assert.deepEqual(d.span, idx.problem('P-old')!.idSpan);
    assert.match(d.message, /263 days ago \(2026-03-04\), more than 180 days/);
  });

  it('follows the staleAfterDays option', () => {
    const strict = index([parse(text)], { staleAfterDays: 20 });
    // 2026-11-01 is 21 days before today: fine with the default, stale after 20 days.
    assert.equal(strict.isStale(strict.problem('P-fresh-evidence')!), true);
    assert.equal(strict.staleAfterDays, 20);
    const i = index([parse(yml('version: 1', 'problems:', ...problem('P-1', 'validated', '2026-11-01')))], { staleAfterDays: 20 });
    assert.equal(one(i.diagnostics, 'stale').span.line, 2);
    const j = index([parse(yml('version: 1', 'problems:', ...problem('P-1', 'validated', '2026-11-02')))], { staleAfterDays: 20 });
    assert.deepEqual(byRule(j.diagnostics, 'stale'), []);
  });
});

describe('index: anchors for a file', () => {
  const root = parse(yml(
    'version: 1',
    'problems:',
    '  - id: P-1',
    '    title: T',
    '    code:',
    '      - src/export/csv.ts',
    '      - src/export/**',
    '      - src/payments',
    '      - path: src/auth/login.ts',
    '        symbol: login',
    '      - path: src/auth/login.ts',
    '        lines: 3-4',
    '      - "**/*.py"',
    '      - ../outside.ts',
  ));
  const pkg = parse(yml('version: 1', 'problems:', '  - id: P-2', '    title: T', '    code: [lib/a.ts, ../src/export/csv.ts]'), 'pkg/customer-insights.yaml');
  const idx = index([root, pkg]);
  const written = (file: string) => idx.anchorsForFile(file).map((a) => `${a.problemId}:${a.written}`).sort();

  it('finds anchors by exact path, glob and containing directory', () => {
    assert.deepEqual(written('src/export/csv.ts'), ['P-1:src/export/**', 'P-1:src/export/csv.ts', 'P-2:../src/export/csv.ts']);
    assert.deepEqual(written('src/export/pdf.ts'), ['P-1:src/export/**']);
    assert.deepEqual(written('src/payments/fees.ts'), ['P-1:src/payments']);
    assert.deepEqual(written('src/payments/deep/x.ts'), ['P-1:src/payments']);
    assert.deepEqual(written('src/auth/login.ts'), ['P-1:src/auth/login.ts', 'P-1:src/auth/login.ts']);
    assert.deepEqual(written('scripts/backfill.py'), ['P-1:**/*.py']);
    assert.deepEqual(written('pkg/lib/a.ts'), ['P-2:lib/a.ts']);
  });

  it('does not match siblings that share a prefix, nor the directory itself as a file', () => {
    assert.deepEqual(written('src/paymentsx/a.ts'), []);
    assert.deepEqual(written('src/export.ts'), []);
    assert.deepEqual(written('src/exporter/csv.ts'), []);
    assert.deepEqual(written('lib/a.ts'), []);
  });

  it('never indexes anchors that escape the folder', () => {
    assert.deepEqual(written('../outside.ts'), []);
    assert.deepEqual(written('outside.ts'), []);
    assert.equal(idx.allAnchors().length, 9);
  });

  it('lists each anchor once for a file', () => {
    const list = idx.anchorsForFile('src/export/csv.ts');
    assert.equal(new Set(list).size, list.length);
  });
});
