// The edit engine beyond the golden cases: scalar quoting, ids, diffs, the fall-back paths (a stale
// model, aliases), anchor numbering, and every problem of the example workspaces.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  addAnchor, addEvidence, addProblem, addTicket, applyEdits, removeAnchor, removeTicket, suggestProblemId,
} from '../../src/core/edit';
import type { EditResult } from '../../src/core/edit';
import { diffLines, unifiedDiff } from '../../src/core/editDiff';
import { yamlScalar } from '../../src/core/editText';
import { parseInsightsFile } from '../../src/core/parse';

const ROOT = path.resolve(__dirname, '../../..');

function applied(text: string, r: EditResult): string {
  assert.ok(r.ok && !r.alreadyLinked, JSON.stringify(r));
  return applyEdits(text, r.edits);
}

describe('edit engine: scalars', () => {
  it('writes plain scalars when YAML reads them back unchanged', () => {
    for (const s of ['src/export/csv.ts', 'CsvWriter.flush', 'ACME-881', 'https://acme.example/browse/ACME-1', 'src/export/**',
      '14 tickets in October', 'Initech Outdoor', "don't", 'a-b', '88-104']) {
      assert.equal(yamlScalar(s), s, s);
    }
  });

  it('quotes what YAML would read as something else, or could not read', () => {
    for (const s of ['', ' x', 'x ', 'yes', 'No', 'on', 'null', '~', 'true', '12', '1.5', '1_000', '0x1F', '1:30', '2026-10-01',
      '.inf', '-x', '*.ts', '&a', '!tag', '@scope/x', '%x', '`x`', '#x', "'x'", '"x"', 'a: b', 'a #b', 'a:', 'line\nbreak', 'tab\there',
      '{x}', 'if (x) {', 'a[0]', '? x', '| x', '> x']) {
      const written = yamlScalar(s);
      assert.notEqual(written, s, `"${s}" must be quoted`);
      assert.equal(parseYaml(`k: ${written}`).k, s, `"${s}" reads back`);
    }
  });

  it('quotes commas inside flow lists only', () => {
    assert.equal(yamlScalar('a, b'), 'a, b');
    assert.equal(yamlScalar('a, b', true), '"a, b"');
    assert.deepEqual(parseYaml(`[${yamlScalar('a, b', true)}, x]`), ['a, b', 'x']);
  });
});

describe('edit engine: ids', () => {
  it('suggests the next id of the most used prefix', () => {
    assert.equal(suggestProblemId(['P-2', 'P-8', 'P-12', 'P-14', 'P-9']), 'P-15');
    assert.equal(suggestProblemId(['A-1', 'A-2', 'P-40']), 'A-3');
    assert.equal(suggestProblemId(['ADM-007', 'ADM-008']), 'ADM-009');
    assert.equal(suggestProblemId(['P-9', 'P-10']), 'P-11');
    assert.equal(suggestProblemId([]), 'P-1');
    assert.equal(suggestProblemId(['export-timeout']), 'P-1');
  });
});

describe('edit engine: applyEdits and diffs', () => {
  it('applies edits in any order and refuses overlaps', () => {
    assert.equal(applyEdits('abcdef', [{ start: 4, end: 5, newText: 'E' }, { start: 1, end: 1, newText: '+' }]), 'a+bcdEf');
    assert.throws(() => applyEdits('abc', [{ start: 0, end: 2, newText: '' }, { start: 1, end: 3, newText: '' }]));
  });

  it('prints a unified diff as diff -u does', () => {
    const before = 'a\nb\nc\nd\ne\nf\ng\nh\n';
    const after = 'a\nb\nc\nd\nE\nf\ng\nh\ni\n';
    assert.equal(unifiedDiff(before, after, { fromFile: 'a/x', toFile: 'b/x' }),
      '--- a/x\n+++ b/x\n@@ -2,7 +2,8 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n+i\n');
    assert.equal(unifiedDiff(before, before), '');
    assert.equal(unifiedDiff('x', 'x\ny\n'), '--- a/file\n+++ b/file\n@@ -1 +1,2 @@\n-x\n\\ No newline at end of file\n+x\n+y\n');
    assert.equal(unifiedDiff('', 'x\n'), '--- a/file\n+++ b/file\n@@ -0,0 +1 @@\n+x\n');
    const long = Array.from({ length: 30 }, (_, i) => `l${i}`);
    const changed = [...long];
    changed[2] = 'X';
    changed[25] = 'Y';
    const diff = unifiedDiff(`${long.join('\n')}\n`, `${changed.join('\n')}\n`);
    assert.equal(diff.split('\n').filter((l) => l.startsWith('@@')).join(' '), '@@ -1,6 +1,6 @@ @@ -23,7 +23,7 @@');
  });

  it('shows CRLF files without the carriage returns', () => {
    const d = diffLines('a\r\nb\r\n', 'a\r\nx\r\nb\r\n');
    assert.deepEqual(d, [{ op: ' ', text: 'a' }, { op: '+', text: 'x' }, { op: ' ', text: 'b' }]);
  });
});

describe('edit engine: fall-backs', () => {
  const text = [
    'version: 1',
    'defaults: &owners [shop-owner]',
    'problems:',
    '  - id: P-1',
    '    title: One',
    '    personas: *owners',
    '    code:',
    '      - a.ts',
    '  - id: P-2',
    '    title: Two',
    '',
  ].join('\n');

  it('parses the whole file when the problem uses an alias defined elsewhere', () => {
    const parsed = parseInsightsFile(text, 'customer-insights.yaml');
    const r = addAnchor(text, 'P-1', { path: 'b.ts' }, { parsed });
    assert.deepEqual(r, addAnchor(text, 'P-1', { path: 'b.ts' }));
    assert.equal(applied(text, r), text.replace('      - a.ts\n', '      - a.ts\n      - b.ts\n'));
  });

  it('gives the right edit with a model of another version of the text', () => {
    const stale = parseInsightsFile(text, 'customer-insights.yaml');
    const edited = text.replace('problems:\n', 'problems:\n  # a new comment line moves every problem down\n');
    const r = addTicket(edited, 'P-2', 'ACME-2', { parsed: stale });
    assert.equal(applied(edited, r), edited.replace('    title: Two\n', '    title: Two\n    tickets: [ACME-2]\n'));
  });

  it('refuses a file the model says does not parse, at the error', () => {
    const broken = 'version: 1\nproblems:\n  - id: P-1\n    title: [unclosed\n';
    const parsed = parseInsightsFile(broken, 'customer-insights.yaml');
    const r = addTicket(broken, 'P-1', 'ACME-1', { parsed });
    assert.ok(!r.ok);
    assert.match(r.reason, /does not read as YAML/);
    assert.ok(r.span);
  });
});

describe('edit engine: anchors by index', () => {
  const text = [
    'version: 1',
    'problems:',
    '  - id: P-1',
    '    title: One',
    '    code:',
    '      - a.ts',
    '      - symbol: NoPath',
    '      - path: b.ts',
    '        symbol: B',
    '',
  ].join('\n');

  it('numbers anchors as the parser does (items it cannot read are skipped)', () => {
    const parsed = parseInsightsFile(text, 'customer-insights.yaml');
    assert.deepEqual(parsed.problems[0].code.map((a) => a.index), [0, 1]);
    const r = removeAnchor(text, 'P-1', 1, { parsed });
    assert.equal(applied(text, r), text.replace('      - path: b.ts\n        symbol: B\n', ''));
    assert.match((r as { message: string }).message, /b\.ts B/);
    assert.ok(!removeAnchor(text, 'P-1', 2).ok);
  });

  it('counts an alias item as the anchor it names', () => {
    const aliased = 'version: 1\nproblems:\n  - id: P-1\n    title: One\n    code:\n      - &csv {path: src/csv.ts, symbol: C}\n  - id: P-2\n    title: Two\n    code:\n      - *csv\n      - b.ts\n';
    const parsed = parseInsightsFile(aliased, 'customer-insights.yaml');
    assert.deepEqual(parsed.problems[1].code.map((a) => a.written), ['src/csv.ts', 'b.ts']);
    const r = removeAnchor(aliased, 'P-2', 1, { parsed });
    assert.deepEqual(r, removeAnchor(aliased, 'P-2', 1));
    assert.equal(applied(aliased, r), aliased.replace('      - b.ts\n', ''));
  });

  it('refuses when the model and the text disagree about the anchor', () => {
    const parsed = parseInsightsFile(text, 'customer-insights.yaml');
    const moved = text.replace('      - a.ts\n', '      - a.ts\n      - c.ts\n');
    const r = removeAnchor(moved, 'P-1', 1, { parsed });
    assert.ok(!r.ok);
    assert.match(r.reason, /changed/);
  });
});

describe('edit engine: input checks', () => {
  const text = 'version: 1\nproblems:\n  - id: P-1\n    title: One\n';
  it('refuses invalid anchors, evidence and problems', () => {
    assert.ok(!addAnchor(text, 'P-1', { path: '/abs/x.ts' }).ok);
    assert.ok(!addAnchor(text, 'P-1', { path: 'src\\x.ts' }).ok);
    assert.ok(!addAnchor(text, 'P-1', { path: 'x.ts', symbol: 'A', lines: { start: 1, end: 1 } }).ok);
    assert.ok(!addAnchor(text, 'P-1', { path: 'x.ts', lines: { start: 5, end: 2 } }).ok);
    assert.ok(!addAnchor(text, 'P-1', { path: 'x.ts', text: 'no lines' }).ok);
    assert.ok(!addEvidence(text, 'P-1', { kind: 'interview', date: '2026-01-01' }).ok);
    assert.ok(!addEvidence(text, 'P-1', { kind: 'interview', quote: 'x', date: '2026-02-30' }).ok);
    assert.ok(!addProblem(text, { id: '1-bad', title: 'x' }).ok);
    assert.ok(!addProblem(text, { id: 'P-2', title: '' }).ok);
    assert.ok(!removeTicket(text, 'P-1', 'ACME-1').ok);
  });

  it('refuses a problem written as a flow map, and a code key that is not a list', () => {
    const flow = 'version: 1\nproblems:\n  - {id: P-1, title: One}\n  - id: P-2\n    title: Two\n    code: src/x.ts\n';
    assert.match((addTicket(flow, 'P-1', 'A-1') as { reason: string }).reason, /one line/);
    const r = addAnchor(flow, 'P-2', { path: 'y.ts' });
    assert.ok(!r.ok);
    assert.match(r.reason, /not a list/);
    assert.equal(r.span?.line, 5);
  });
});

describe('edit engine: the example workspaces', () => {
  for (const example of ['acme-shop', 'acme-admin']) {
    it(`adds and removes links on every problem of ${example}, with and without the model`, () => {
      const text = fs.readFileSync(path.join(ROOT, 'examples', example, 'customer-insights.yaml'), 'utf8');
      const parsed = parseInsightsFile(text, 'customer-insights.yaml');
      assert.ok(parsed.problems.length > 0);
      for (const p of parsed.problems) {
        const ops: [string, (o: { parsed?: typeof parsed }) => EditResult][] = [
          ['anchor', (o) => addAnchor(text, p.id, { path: 'src/new/file.ts', lines: { start: 3, end: 9 }, text: 'function x() {' }, o)],
          ['ticket', (o) => addTicket(text, p.id, 'ACME-9999', o)],
          ['evidence', (o) => addEvidence(text, p.id, { kind: 'survey', summary: 'New: 12% said so', date: '2026-11-30', count: 40 }, o)],
        ];
        if (p.code.length > 0) ops.push(['remove', (o) => removeAnchor(text, p.id, p.code.length - 1, o)]);
        if (p.tickets.length > 0) ops.push(['untick', (o) => removeTicket(text, p.id, p.tickets[0].value, o)]);
        for (const [name, op] of ops) {
          const fast = op({ parsed });
          assert.deepEqual(fast, op({}), `${p.id} ${name}: same with and without the model`);
          const after = parseInsightsFile(applied(text, fast), 'customer-insights.yaml');
          assert.equal(after.diagnostics.filter((d) => d.rule === 'yaml-syntax' || d.rule === 'schema').length,
            parsed.diagnostics.filter((d) => d.rule === 'yaml-syntax' || d.rule === 'schema').length, `${p.id} ${name}`);
          assert.equal(after.problems.length, parsed.problems.length);
          const lines = diffLines(text, applied(text, fast));
          assert.ok(lines.filter((l) => l.op === '-').length <= (name === 'remove' ? 6 : 1), `${p.id} ${name}: minimal`);
        }
      }
      const next = suggestProblemId(parsed.problems.map((p) => p.id));
      const r = addProblem(text, { id: next, title: 'A new problem' }, { parsed });
      assert.equal(parseInsightsFile(applied(text, r), 'customer-insights.yaml').problems.at(-1)?.id, next);
    });
  }
});
