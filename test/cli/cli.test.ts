// Golden tests of the `customer-lens` CLI (dist/cli.js, spawned): check, why, trace and search, in
// each of their formats, on examples/acme-shop and on the small folders in test/fixtures/cli.
//
// Each case's output is compared exactly with test/cli/golden/<name>.txt, which records the command,
// the exit code, stdout and stderr. UPDATE_GOLDEN=1 rewrites the files instead; review the diff
// (git diff test/cli/golden) before committing: a golden file is a claim that the output is right.
//
// Two parts of the output are normalised before comparing: the repository's absolute path becomes
// <repo>, and search scores become <score> (the search options are being tuned; the scores are
// checked for shape and order here instead). For usage errors only the message before the usage
// text is recorded; the usage text itself is checked to be there.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, runCli, TODAY } from './run';
import type { CliRun } from './run';

const GOLDEN = path.join(ROOT, 'test', 'cli', 'golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

interface Case {
  name: string;
  args: string[];
  exit: number;
  /** Usage errors: keep only the message before the usage text. */
  usage?: boolean;
  json?: 'check' | 'why' | 'search' | 'trace';
  search?: boolean;
}

const shop = ['--root', 'examples/acme-shop', '--today', TODAY];
const fixture = (name: string) => ['--root', `test/fixtures/cli/${name}`, '--today', TODAY];
const json = ['--format', 'json'];

const CASES: Case[] = [
  // check
  { name: 'check-acme-shop', args: ['check', ...shop], exit: 0 },
  { name: 'check-acme-shop-json', args: ['check', ...shop, ...json], exit: 0, json: 'check' },
  { name: 'check-clean', args: ['check', ...fixture('clean')], exit: 0 },
  { name: 'check-clean-json', args: ['check', ...fixture('clean'), ...json], exit: 0, json: 'check' },
  { name: 'check-errors', args: ['check', ...fixture('errors')], exit: 1 },
  { name: 'check-errors-json', args: ['check', ...fixture('errors'), ...json], exit: 1, json: 'check' },
  { name: 'check-errors-stale-after-400', args: ['check', ...fixture('errors'), '--stale-after-days', '400'], exit: 1 },
  // why
  { name: 'why-in-flush', args: ['why', 'src/export/csv.ts:86', ...shop], exit: 0 },
  { name: 'why-in-flush-json', args: ['why', 'src/export/csv.ts:86', ...shop, ...json], exit: 0, json: 'why' },
  { name: 'why-tag-line', args: ['why', 'src/export/csv.ts:16', ...shop], exit: 0 },
  { name: 'why-tag-line-json', args: ['why', 'src/export/csv.ts:16', ...shop, ...json], exit: 0, json: 'why' },
  { name: 'why-ticket-comment', args: ['why', 'src/export/csv.ts:73', ...shop], exit: 0 },
  { name: 'why-ticket-comment-json', args: ['why', 'src/export/csv.ts:73', ...shop, ...json], exit: 0, json: 'why' },
  { name: 'why-whole-file', args: ['why', 'src/export/csv.ts', ...shop], exit: 0 },
  { name: 'why-whole-file-json', args: ['why', './src/export/csv.ts', ...shop, ...json], exit: 0, json: 'why' },
  { name: 'why-python-tag', args: ['why', 'scripts/backfill_payouts.py:17', ...shop], exit: 0 },
  { name: 'why-no-links', args: ['why', 'src/orders/types.ts', ...shop], exit: 0 },
  { name: 'why-no-links-json', args: ['why', 'src/orders/types.ts', ...shop, ...json], exit: 0, json: 'why' },
  { name: 'why-no-links-line', args: ['why', 'src/orders/types.ts:3', ...shop], exit: 0 },
  { name: 'why-clean-symbol', args: ['why', 'src/receipt.ts:9', ...fixture('clean')], exit: 0 },
  // A line in the body of a method whose `@why P-2` comment sits above it (the syntax tree gives
  // the method's region), and a line of a method inside a tagged class (P-7 via the tag alone).
  { name: 'why-tagged-method', args: ['why', 'src/payments/payouts.ts:39', ...shop], exit: 0 },
  { name: 'why-tagged-method-json', args: ['why', 'src/payments/payouts.ts:39', ...shop, ...json], exit: 0, json: 'why' },
  { name: 'why-in-tagged-class', args: ['why', 'src/auth/sso.ts:40', ...shop], exit: 0 },
  { name: 'why-after-tagged-method', args: ['why', 'src/payments/payouts.ts:44', ...shop], exit: 0 },
  // trace
  { name: 'trace-acme-shop', args: ['trace', ...shop], exit: 0 },
  { name: 'trace-acme-shop-json', args: ['trace', ...shop, ...json], exit: 0, json: 'trace' },
  { name: 'trace-acme-shop-csv', args: ['trace', ...shop, '--format', 'csv'], exit: 0 },
  { name: 'trace-acme-shop-markdown', args: ['trace', ...shop, '--format', 'markdown'], exit: 0 },
  { name: 'trace-errors', args: ['trace', ...fixture('errors')], exit: 0 },
  // search
  { name: 'search-exprot-csv', args: ['search', 'exprot', 'csv', ...shop], exit: 0, search: true },
  { name: 'search-exprot-csv-json', args: ['search', 'exprot csv', ...shop, ...json], exit: 0, json: 'search', search: true },
  { name: 'search-id', args: ['search', 'P-12', ...shop], exit: 0, search: true },
  { name: 'search-nothing', args: ['search', 'qxzqxzqxzqxz', ...shop], exit: 0, search: true },
  { name: 'search-nothing-json', args: ['search', 'qxzqxzqxzqxz', ...shop, ...json], exit: 0, json: 'search', search: true },
  // usage and I/O errors: exit 2
  { name: 'usage-unknown-command', args: ['frobnicate', ...shop], exit: 2, usage: true },
  { name: 'usage-missing-command', args: [...shop], exit: 2, usage: true },
  { name: 'usage-bad-format', args: ['check', ...shop, '--format', 'xml'], exit: 2, usage: true },
  { name: 'usage-bad-today', args: ['check', '--root', 'examples/acme-shop', '--today', '22/11/2026'], exit: 2, usage: true },
  { name: 'usage-why-without-path', args: ['why', ...shop], exit: 2, usage: true },
  { name: 'usage-search-without-query', args: ['search', ...shop], exit: 2, usage: true },
  { name: 'usage-trace-bad-format', args: ['trace', ...shop, '--format', 'xml'], exit: 2, usage: true },
  { name: 'usage-check-csv', args: ['check', ...shop, '--format', 'csv'], exit: 2, usage: true },
  { name: 'usage-trace-with-argument', args: ['trace', 'src', ...shop], exit: 2, usage: true },
  { name: 'error-missing-root', args: ['check', ...fixture('does-not-exist')], exit: 2 },
  { name: 'error-no-insights-file', args: ['check', ...fixture('no-insights')], exit: 2 },
  { name: 'error-why-missing-file', args: ['why', 'src/nope.ts:1', ...shop], exit: 2 },
];

/** The golden text of a run: command, exit code, stdout and stderr, normalised. */
function record(c: Case, run: CliRun): string {
  let stdout = run.stdout;
  let stderr = run.stderr;
  if (c.usage) stderr = `${stderr.split('\n\n')[0]}\n`;
  if (c.search) {
    stdout = stdout.replace(/^([^\t\n]+)\t\d\.\d{3}\t/gm, '$1\t<score>\t').replace(/"score": [0-9.e-]+/g, '"score": "<score>"');
  }
  const norm = (s: string) => s.split(ROOT).join('<repo>');
  return [
    `$ customer-lens ${c.args.map((a) => (/[\s"']/.test(a) ? JSON.stringify(a) : a)).join(' ')}`,
    `exit: ${run.status}`,
    '--- stdout',
    norm(stdout),
    '--- stderr',
    norm(stderr),
  ].join('\n');
}

function checkJsonShape(kind: NonNullable<Case['json']>, stdout: string): void {
  const value = JSON.parse(stdout) as Record<string, unknown>;
  const keys = (o: unknown) => Object.keys(o as object).sort();
  if (kind === 'check') {
    assert.deepEqual(keys(value), ['diagnostics', 'files', 'problems', 'skipped']);
    for (const s of value.skipped as Record<string, unknown>[]) {
      assert.deepEqual(keys(s), ['file', 'kind', 'reason']);
      assert.ok(['unreadable', 'special', 'limit'].includes(s.kind as string), String(s.kind));
    }
    assert.ok(Array.isArray(value.files) && value.files.every((f) => typeof f === 'string'));
    assert.equal(typeof value.problems, 'number');
    for (const d of value.diagnostics as Record<string, unknown>[]) {
      assert.deepEqual(keys(d), ['column', 'endColumn', 'endLine', 'file', 'line', 'message', 'rule', 'severity']);
      for (const k of ['line', 'column', 'endLine', 'endColumn']) assert.ok(Number.isInteger(d[k]) && (d[k] as number) >= 1, `${k}: ${d[k]}`);
      assert.ok(['error', 'warning', 'info'].includes(d.severity as string));
      assert.equal(typeof d.file, 'string');
      assert.equal(typeof d.message, 'string');
    }
  } else if (kind === 'why') {
    assert.deepEqual(keys(value), ['file', 'line', 'problems']);
    assert.ok(value.line === null || Number.isInteger(value.line));
    for (const p of value.problems as Record<string, unknown>[]) {
      assert.deepEqual(keys(p), ['id', 'severity', 'status', 'title', 'via']);
      assert.ok(Array.isArray(p.via) && p.via.length > 0);
      for (const v of p.via as string[]) assert.ok(['tag', 'ticket', 'symbol', 'lines', 'path'].includes(v), v);
    }
  } else if (kind === 'trace') {
    assert.deepEqual(keys(value), ['links']);
    for (const l of value.links as Record<string, unknown>[]) {
      for (const k of ['problem', 'kind', 'file', 'startLine', 'endLine', 'status']) assert.ok(k in l, `${k} in ${JSON.stringify(l)}`);
      for (const k of keys(l)) assert.ok(['problem', 'kind', 'file', 'startLine', 'endLine', 'status', 'detail', 'reason'].includes(k), k);
      assert.ok(['symbol', 'lines', 'path', 'tag', 'ticket'].includes(l.kind as string), String(l.kind));
      assert.ok(['ok', 'moved', 'lost'].includes(l.status as string), String(l.status));
      if (l.kind === 'tag' || l.kind === 'ticket') assert.equal(l.status, 'ok');
      if (l.status === 'lost') assert.deepEqual([l.startLine, l.endLine], [null, null]);
      else if (l.startLine !== null) {
        assert.ok(Number.isInteger(l.startLine) && (l.startLine as number) >= 1, String(l.startLine));
        assert.ok(Number.isInteger(l.endLine) && (l.endLine as number) >= (l.startLine as number), String(l.endLine));
      }
    }
  } else {
    assert.deepEqual(keys(value), ['results']);
    const scores: number[] = [];
    for (const r of value.results as Record<string, unknown>[]) {
      assert.deepEqual(keys(r), ['id', 'score', 'title']);
      assert.ok(typeof r.score === 'number' && r.score >= 0 && r.score <= 1, String(r.score));
      scores.push(r.score as number);
    }
    for (let i = 1; i < scores.length; i++) assert.ok(scores[i - 1] <= scores[i], scores.join(', '));
  }
}

describe('customer-lens CLI: golden output', () => {
  const runs = new Map<string, CliRun>();
  const runOf = (c: Case) => {
    let run = runs.get(c.name);
    if (!run) {
      run = runCli(c.args);
      runs.set(c.name, run);
    }
    return run;
  };

  it('has one golden file per case, and no stale ones', () => {
    if (UPDATE) return;
    // The folder is shared with other suites (link-*.txt belong to link.test.mjs): look at ours only.
    const ours = /^(check|why|trace|search|usage|error)-.*\.txt$/;
    const files = fs.existsSync(GOLDEN) ? fs.readdirSync(GOLDEN).filter((f) => ours.test(f)) : [];
    assert.deepEqual(files.sort(), CASES.map((c) => `${c.name}.txt`).sort());
    for (const c of CASES) assert.match(`${c.name}.txt`, ours, c.name);
  });

  for (const c of CASES) {
    it(`${c.name}: customer-lens ${c.args.join(' ')}`, () => {
      const run = runOf(c);
      assert.equal(run.signal, null, `killed by ${run.signal} after ${run.ms} ms`);
      assert.equal(run.status, c.exit, `exit ${run.status}, expected ${c.exit}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
      if (c.usage) assert.match(run.stderr, /\n\nUsage:\n {2}customer-lens check/, 'usage errors print the usage text');
      if (c.exit === 2) assert.equal(run.stdout, '', 'errors go to stderr only');
      if (c.exit !== 2) assert.equal(run.stderr, '', 'nothing on stderr');
      if (c.json) checkJsonShape(c.json, run.stdout);
      if (c.search && !c.json) {
        for (const line of run.stdout.trimEnd().split('\n')) assert.match(line, /^[A-Za-z][\w.-]*\t\d\.\d{3}\t.+$|^No problem matches "/);
      }
      const actual = record(c, run);
      const file = path.join(GOLDEN, `${c.name}.txt`);
      if (UPDATE) {
        fs.mkdirSync(GOLDEN, { recursive: true });
        fs.writeFileSync(file, actual);
        return;
      }
      assert.ok(fs.existsSync(file), `${file} is missing: run with UPDATE_GOLDEN=1 and review it`);
      assert.equal(actual, fs.readFileSync(file, 'utf8'), `${c.name} differs from test/cli/golden/${c.name}.txt (UPDATE_GOLDEN=1 rewrites it)`);
    });
  }

  describe('consistency between formats', () => {
    const byName = (name: string) => runOf(CASES.find((c) => c.name === name)!);

    for (const [text, asJson] of [['check-acme-shop', 'check-acme-shop-json'], ['check-errors', 'check-errors-json'], ['check-clean', 'check-clean-json']]) {
      it(`${text}: the text lines and the JSON diagnostics agree, in the same order`, () => {
        const lines = byName(text).stdout.trimEnd().split('\n');
        const summary = lines.pop()!;
        const value = JSON.parse(byName(asJson).stdout) as {
          diagnostics: { file: string; line: number; column: number; severity: string; rule: string; message: string }[];
          files: string[]; problems: number;
        };
        assert.deepEqual(lines, value.diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message} [${d.rule}]`));
        const count = (s: string) => value.diagnostics.filter((d) => d.severity === s).length;
        const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
        assert.equal(summary, `${plural(value.files.length, 'insights file')}, ${plural(value.problems, 'problem')}: `
          + `${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${plural(count('info'), 'info', 'info')}`);
      });
    }

    it('why: the text and the JSON name the same problems and ways', () => {
      for (const [text, asJson] of [['why-in-flush', 'why-in-flush-json'], ['why-tag-line', 'why-tag-line-json'], ['why-ticket-comment', 'why-ticket-comment-json']]) {
        const value = JSON.parse(byName(asJson).stdout) as { problems: { id: string; via: string[] }[] };
        const fromText = byName(text).stdout.split('\n').slice(1).filter(Boolean)
          .map((l) => /^ {2}(\S+) .*; via ([^)]+)\)$/.exec(l)!).map((m) => `${m[1]} ${m[2]}`);
        assert.deepEqual(fromText, value.problems.map((p) => `${p.id} ${p.via.join(', ')}`));
      }
    });

    it('search: the text and the JSON list the same results', () => {
      const ids = byName('search-exprot-csv').stdout.trimEnd().split('\n').map((l) => l.split('\t')[0]);
      const value = JSON.parse(byName('search-exprot-csv-json').stdout) as { results: { id: string }[] };
      assert.deepEqual(ids, value.results.map((r) => r.id));
      assert.equal(ids[0], 'P-12');
    });
  });

  describe('behaviour the goldens rely on', () => {
    it('why in CsvWriter.flush names P-12 via its symbol anchor', () => {
      const value = JSON.parse(runOf(CASES.find((c) => c.name === 'why-in-flush-json')!).stdout) as { file: string; line: number; problems: { id: string; via: string[] }[] };
      assert.deepEqual([value.file, value.line], ['src/export/csv.ts', 86]);
      const p12 = value.problems.find((p) => p.id === 'P-12');
      assert.ok(p12 && p12.via.includes('symbol'), JSON.stringify(value));
    });

    it('why on a ticket comment names the ticket\'s problem via ticket', () => {
      const value = JSON.parse(runOf(CASES.find((c) => c.name === 'why-ticket-comment-json')!).stdout) as { problems: { id: string; via: string[] }[] };
      assert.ok(value.problems.some((p) => p.id === 'P-12' && p.via.includes('ticket')), JSON.stringify(value));
    });

    it('why on the @why line names both tagged problems via tag', () => {
      const value = JSON.parse(runOf(CASES.find((c) => c.name === 'why-tag-line-json')!).stdout) as { problems: { id: string; via: string[] }[] };
      for (const id of ['P-12', 'P-14']) assert.ok(value.problems.some((p) => p.id === id && p.via.includes('tag')), id);
    });

    it('why in the body of a tagged method names its problem via tag; the next method is not covered', () => {
      const value = JSON.parse(runOf(CASES.find((c) => c.name === 'why-tagged-method-json')!).stdout) as { problems: { id: string; via: string[] }[] };
      assert.ok(value.problems.some((p) => p.id === 'P-2' && p.via.includes('tag')), JSON.stringify(value));
      assert.match(runOf(CASES.find((c) => c.name === 'why-in-tagged-class')!).stdout, /P-7 .*via tag\)/);
      assert.doesNotMatch(runOf(CASES.find((c) => c.name === 'why-after-tagged-method')!).stdout, /P-2 .*tag/);
    });

    it('trace: the four formats list the same links in the same order', () => {
      const fromJson = (JSON.parse(runOf(CASES.find((c) => c.name === 'trace-acme-shop-json')!).stdout) as { links: Record<string, unknown>[] }).links
        .map((l) => `${l.problem} ${l.kind} ${l.file} ${l.startLine ?? ''}-${l.endLine ?? ''} ${l.status}`);
      const csv = runOf(CASES.find((c) => c.name === 'trace-acme-shop-csv')!).stdout;
      assert.ok(csv.endsWith('\r\n') && !/[^\r]\n/.test(csv), 'CSV records end with CRLF');
      const fromCsv = csv.trimEnd().split('\r\n').slice(1).map((r) => r.split(','))
        .map(([problem, kind, file, start, end, status]) => `${problem} ${kind} ${file} ${start}-${end} ${status}`);
      assert.deepEqual(fromCsv, fromJson);
      const range = (start: unknown, end: unknown) => (start === null ? '-' : start === end ? String(start) : `${start}-${end}`);
      const jsonLinks = (JSON.parse(runOf(CASES.find((c) => c.name === 'trace-acme-shop-json')!).stdout) as { links: Record<string, unknown>[] }).links;
      const textRows = runOf(CASES.find((c) => c.name === 'trace-acme-shop')!).stdout.split('\n').filter((l) => /^ {2}(symbol|lines|path|tag|ticket) /.test(l))
        .map((l) => l.trim().split(/\s+/).slice(0, 4).join(' '));
      assert.deepEqual(textRows, jsonLinks.map((l) => `${l.kind} ${l.file} ${range(l.startLine, l.endLine)} ${l.status}`));
      const mdRows = runOf(CASES.find((c) => c.name === 'trace-acme-shop-markdown')!).stdout.split('\n').filter((l) => /^\| (symbol|lines|path|tag|ticket) /.test(l))
        .map((l) => l.split(' | ').slice(0, 4).map((c) => c.replace(/^\| /, '').replace(/\\(.)/g, '$1')).join(' '));
      assert.deepEqual(mdRows, textRows);
    });

    it('trace: every anchor of the example holds except the one that moved; path anchors span their whole file', () => {
      const links = (JSON.parse(runOf(CASES.find((c) => c.name === 'trace-acme-shop-json')!).stdout) as { links: { problem: string; kind: string; file: string; startLine: number; endLine: number; status: string }[] }).links;
      assert.deepEqual(links.filter((l) => l.status !== 'ok').map((l) => `${l.problem} ${l.kind} ${l.status}`), ['P-14 lines moved']);
      const csvTs = links.find((l) => l.kind === 'path' && l.file === 'src/export/csv.ts')!;
      const lines = fs.readFileSync(path.join(ROOT, 'examples/acme-shop/src/export/csv.ts'), 'utf8').replace(/\n$/, '').split('\n').length;
      assert.deepEqual([csvTs.startLine, csvTs.endLine], [1, lines]);
    });

    it('the --stale-after-days option removes the stale warning', () => {
      assert.match(runOf(CASES.find((c) => c.name === 'check-errors')!).stdout, /\[stale\]/);
      assert.doesNotMatch(runOf(CASES.find((c) => c.name === 'check-errors-stale-after-400')!).stdout, /\[stale\]/);
    });

    // Not a golden: the message comes from node:util parseArgs and differs between Node versions.
    it('rejects an unknown option with exit 2, naming it, and prints the usage', () => {
      const run = runCli(['check', ...shop, '--colour']);
      assert.equal(run.status, 2);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /^customer-lens: .*'--colour'/);
      assert.match(run.stderr, /\n\nUsage:\n/);
    });

    it('prints the usage with --help and exits 0', () => {
      const run = runCli(['--help']);
      assert.equal(run.status, 0);
      assert.match(run.stdout, /^Usage:\n {2}customer-lens check/);
      assert.match(run.stdout, /Exit codes: 0 clean/);
    });

    it('runs from another working directory with --root relative to it', () => {
      const run = runCli(['check', '--root', '.', '--today', TODAY], { cwd: path.join(ROOT, 'test', 'fixtures', 'cli', 'clean') });
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stdout, runOf(CASES.find((c) => c.name === 'check-clean')!).stdout);
    });
  });
});
