// Broken and hostile insights files (test/fixtures/hostile): the parser never throws, reports the
// expected rule at the expected line, and stays fast. `npm run test:cli` runs the same corpus
// through `customer-lens check`.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hostileCases } from '../fixtures/hostile/corpus';
import { parseInsightsFile } from '../../src/core/parse';
import { compileTrackers, findTicketKeys } from '../../src/core/trackers';
import { index, repoRoot, show, timed } from './helpers';

const DIR = path.join(repoRoot(), 'test', 'fixtures', 'hostile');
const LIMIT_MS = 2000;

describe('hostile files', () => {
  const cases = hostileCases(DIR);

  it('cover every fixture file in the folder', () => {
    const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.yaml'));
    assert.deepEqual(files.filter((f) => !cases.some((c) => c.name === f)), []);
    assert.ok(cases.length >= 15);
  });

  for (const c of cases) {
    describe(c.name, () => {
      // Loaded when the case runs and released after it, so the big generated texts do not pile up.
      let bytes: Buffer | undefined;
      let parsed: ReturnType<typeof parseInsightsFile> | undefined;
      before(() => {
        bytes = c.bytes();
      });
      after(() => {
        bytes = undefined;
        parsed = undefined;
      });
      const read = () => parsed ?? parseInsightsFile(bytes!.toString('utf8'), 'customer-insights.yaml', { byteSize: bytes!.length });

      it(`is parsed without throwing in under ${LIMIT_MS} ms of CPU`, () => {
        const text = bytes!.toString('utf8');
        const run = timed(() => parseInsightsFile(text, 'customer-insights.yaml', { byteSize: bytes!.length }));
        parsed = run.value;
        assert.ok(run.cpuMs < LIMIT_MS, `parsing took ${run.cpuMs.toFixed(0)} ms of CPU (${run.ms.toFixed(0)} ms wall)`);
      });

      it(`reports ${c.rule} at line ${c.line}${c.column ? `, column ${c.column}` : ''}`, () => {
        const r = read();
        const at = r.diagnostics.filter((d) => d.rule === c.rule && d.span.line + 1 === c.line
          && (c.column === undefined || d.span.col + 1 === c.column));
        assert.ok(at.length > 0, `no ${c.rule} diagnostic at ${c.line}:${c.column ?? '*'}; got:\n${show(r.diagnostics.slice(0, 20))}`);
        if (c.message) assert.ok(at.some((d) => c.message!.test(d.message)), `no message matches ${c.message}:\n${show(at)}`);
        for (const d of r.diagnostics) {
          assert.equal(d.file, 'customer-insights.yaml');
          assert.ok(d.span.line >= 0 && d.span.col >= 0 && d.span.endLine >= d.span.line, `bad span ${JSON.stringify(d.span)}`);
        }
        if (c.unparsed) {
          assert.equal(r.parsed, false);
          assert.deepEqual([r.trackers, r.personas, r.customers, r.problems], [[], [], [], []]);
        }
      });

      it('can be indexed without throwing', () => {
        const r = read();
        // A tracker that would hang the index (a ticket is matched against every usable tracker)
        // must have been rejected first; this assertion fails fast instead of hanging.
        if (c.unsafeTracker) {
          assert.ok(r.trackers.length > 0);
          assert.deepEqual(r.trackers.map((t) => t.usable), r.trackers.map(() => false), 'the unsafe tracker was accepted');
        }
        if (c.linearTracker) assert.deepEqual(r.trackers.map((t) => t.usable), r.trackers.map(() => true), 'a pattern RE2 runs in linear time was refused');
        const run = timed(() => index([r]));
        assert.ok(run.cpuMs < LIMIT_MS, `indexing took ${run.cpuMs.toFixed(0)} ms of CPU`);
        if (c.linearTracker) {
          // The adversarial input for the pattern, far longer than any comment line: still fast.
          const scan = timed(() => run.value.findTicketKeys(`${'a'.repeat(100_000)}!`));
          assert.ok(scan.cpuMs < 100, `findTicketKeys took ${scan.cpuMs.toFixed(0)} ms`);
        }
        if (c.unsafeTracker) {
          const idx = run.value;
          assert.equal(idx.trackers.length, 0, 'an unusable tracker was compiled');
          const scan = timed(() => idx.findTicketKeys(`${'a'.repeat(100_000)}!`));
          assert.deepEqual(scan.value, []);
          assert.ok(scan.cpuMs < 100, `findTicketKeys took ${scan.cpuMs.toFixed(0)} ms`);
        }
      });
    });
  }

  describe('specific cases', () => {
    const byName = (name: string) => {
      const c = cases.find((x) => x.name === name);
      assert.ok(c, name);
      return c.bytes().toString('utf8');
    };

    it('refuses the 10 MB file with the default limit, saying how to split it and naming the setting', () => {
      const text = byName('ten-megabytes.yaml (generated)');
      assert.ok(text.length > 10 * 1024 * 1024 - 1);
      const r = parseInsightsFile(text, 'customer-insights.yaml');
      assert.equal(r.parsed, false);
      assert.equal(r.diagnostics.length, 1);
      const d = r.diagnostics[0];
      assert.equal(d.severity, 'error');
      assert.match(d.message, /10\.0 MB/);
      assert.match(d.message, /5\.0 MB/);
      assert.match(d.message, /[Ss]plit/);
      assert.match(d.message, /several customer-insights\.yaml files/);
      assert.match(d.message, /customerLens\.maxFileSizeKB/);
      assert.match(d.message, /--max-size-kb/);
    });

    it('reads the same content when it is under the limit (so the refusal is the size, not the content)', () => {
      const text = byName('ten-megabytes.yaml (generated)');
      const cut = text.lastIndexOf('\n  - id: ', 200_000);
      const r = parseInsightsFile(text.slice(0, cut + 1), 'customer-insights.yaml');
      assert.equal(r.parsed, true);
      assert.deepEqual(r.diagnostics, []);
      assert.ok(r.problems.length > 100);
    });

    it('keeps right-to-left text, bidi controls, combining marks and emoji exactly', () => {
      const r = parseInsightsFile(byName('unicode-rtl.yaml'), 'customer-insights.yaml');
      assert.equal(r.product?.name, 'חנות \u202eevil\u202c متجر');
      assert.equal(r.problems[0].title, 'תשלומים מתעכבים — المدفوعات تتأخر 🚀 cafe\u0301');
      // An id in another script is not an id: reported, and the problem is dropped.
      const bad = r.diagnostics.find((d) => d.rule === 'schema');
      assert.ok(bad && bad.span.line === 8, show(r.diagnostics));
      assert.deepEqual(r.problems.map((p) => p.id), ['P-1']);
    });

    it('reports every wrong type in wrong-types.yaml, each at its own line', () => {
      const r = parseInsightsFile(byName('wrong-types.yaml'), 'customer-insights.yaml');
      const lines = new Set(r.diagnostics.filter((d) => d.rule === 'schema').map((d) => d.span.line + 1));
      for (const line of [2, 4, 5, 6, 9, 10, 11, 13, 17, 18, 19, 20, 21, 22, 23]) assert.ok(lines.has(line), `no schema diagnostic at line ${line}:\n${show(r.diagnostics)}`);
      assert.deepEqual(r.problems.map((p) => p.id), ['P-2']);
    });

    it('reports absurd nesting in a few readable diagnostics, not hundreds of "Maximum call stack size exceeded"', () => {
      const r = parseInsightsFile(byName('deep-flow.yaml'), 'customer-insights.yaml');
      assert.ok(r.diagnostics.length > 0);
      assert.ok(r.diagnostics.length <= 10, `${r.diagnostics.length} diagnostics for one problem`);
      for (const d of r.diagnostics) assert.doesNotMatch(d.message, /Maximum call stack size exceeded/);
    });

    it('never expands the billion laughs: a handful of diagnostics, not millions', () => {
      for (const name of ['billion-laughs-problems.yaml', 'billion-laughs-product.yaml', 'billion-laughs-tags.yaml']) {
        const r = parseInsightsFile(byName(name), 'customer-insights.yaml');
        assert.ok(r.diagnostics.length <= 20, `${name}: ${r.diagnostics.length} diagnostics`);
        assert.deepEqual(r.problems.flatMap((p) => p.tags), []);
      }
    });

    it('a catastrophic pattern never runs: findTicketKeys with only safe trackers is fast on long input', () => {
      const safe = compileTrackers([{ pattern: 'GH-(\\d+)', url: 'https://gh.example/{1}', usable: true, span: { line: 0, col: 0, endLine: 0, endCol: 0 }, keySpan: { line: 0, col: 0, endLine: 0, endCol: 0 } }]);
      const run = timed(() => findTicketKeys(`${'a'.repeat(1_000_000)}!`, safe));
      assert.deepEqual(run.value, []);
      assert.ok(run.cpuMs < 200, `${run.cpuMs} ms`);
    });
  });
});
