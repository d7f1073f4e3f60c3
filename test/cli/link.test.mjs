// Golden tests of `customer-lens link`, run against the built CLI (dist/cli.js: `npm run build` first)
// in plain Node: `npx mocha test/cli/link.test.mjs`.
// Each case copies test/fixtures/edit/cli-workspace (or examples/acme-shop) to a temp folder, runs the
// command there and compares the exit code, stdout, stderr and the changes to every file with
// test/cli/golden/link-<case>.txt. UPDATE_LINK_GOLDEN=1 rewrites the golden files (review them!).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(REPO, 'dist', 'cli.js');
const WORKSPACE = path.join(REPO, 'test', 'fixtures', 'edit', 'cli-workspace');
const GOLDEN = path.join(REPO, 'test', 'cli', 'golden');
const UPDATE = process.env.UPDATE_LINK_GOLDEN === '1';

const BROKEN = 'version: 1\nproblems:\n  - id: P-1\n    title: "An unclosed quote\n    code: [src/export/csv.ts]\n';

/** name, arguments (after `link`), and an optional change to the workspace before the run. */
const CASES = [
  ['lines', ['src/export/csv.ts:7-10', 'P-2']],
  ['lines-dry-run', ['src/export/csv.ts:7-10', 'P-2', '--dry-run']],
  ['single-line-text-trimmed', ['src/export/csv.ts:12', 'P-1']],
  ['symbol', ['src/export/csv.ts', '--symbol', 'CsvWriter.add', 'P-1']],
  ['symbol-not-in-file', ['src/export/csv.ts', '--symbol', 'CsvReader.parse', 'P-2']],
  ['path-folder', ['src/export', 'P-2']],
  ['absolute-path', ['<root>/src/export/csv.ts:2', 'P-2']],
  ['already-linked-symbol', ['src/export/csv.ts', '--symbol', 'CsvWriter.flush', 'P-1']],
  ['already-linked-lines', ['src/export/csv.ts:7-10', 'P-2'], (dir) => run(dir, ['src/export/csv.ts:7-10', 'P-2'])],
  ['ticket', ['--ticket', 'ACME-902', 'P-1']],
  ['ticket-create', ['--ticket', 'ACME-889', 'P-2', '--dry-run']],
  ['ticket-unrecognised', ['--ticket', 'JIRA-5', 'P-2']],
  ['ticket-already', ['--ticket', 'ACME-881', 'P-1']],
  ['subfolder-crlf-bom', ['packages/admin/src/audit.ts:2-4', 'A-1']],
  ['subfolder-ticket-crlf-bom', ['--ticket', 'ADM-7', 'A-1']],
  ['json', ['src/export/csv.ts:2', 'P-2', '--format', 'json']],
  ['refused-unknown-id', ['src/export/csv.ts:2', 'P-3']],
  ['refused-outside-root', ['../elsewhere.ts:1', 'P-1']],
  ['refused-missing-file', ['src/export/pdf.ts:1', 'P-1']],
  ['refused-line-beyond-end', ['src/export/csv.ts:15-40', 'P-1']],
  ['refused-broken-file', ['src/export/csv.ts:2', 'P-1'], (dir) => fs.writeFileSync(path.join(dir, 'customer-insights.yaml'), BROKEN)],
  ['usage-missing-problem', ['src/export/csv.ts:2']],
  ['usage-line-zero', ['src/export/csv.ts:0', 'P-1']],
  ['usage-ticket-and-symbol', ['--ticket', 'ACME-1', '--symbol', 'X', 'P-1']],
];

function copyDir(from, to) {
  fs.cpSync(from, to, { recursive: true });
}

function run(dir, args) {
  const argv = args.map((a) => a.replace('<root>', dir));
  return spawnSync(process.execPath, [CLI, 'link', ...argv, '--root', dir], { cwd: dir, encoding: 'utf8' });
}

function listFiles(dir, prefix = '') {
  return fs.readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((e) => {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    return e.isDirectory() ? listFiles(dir, rel) : [rel];
  }).sort();
}

/** The changed region of a text, line by line (edits are contiguous): `@@ line N`, then -old and +new lines. */
function changes(before, after) {
  if (before.equals(after)) return '';
  const show = (l) => l.replace(/\r$/, '\\r').replace(/^\uFEFF/, '<BOM>');
  const a = before.toString('utf8').split('\n');
  const b = after.toString('utf8').split('\n');
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  return [`@@ line ${pre + 1}`, ...a.slice(pre, a.length - suf).map((l) => `-${show(l)}`), ...b.slice(pre, b.length - suf).map((l) => `+${show(l)}`)].join('\n');
}

function transcript(args, result, dir, original) {
  const clean = (s) => s.split(dir).join('<root>').replace(/\s+$/, '');
  const parts = [`$ customer-lens link ${args.join(' ')}`, `exit: ${result.status}`, '--- stdout', clean(result.stdout), '--- stderr', clean(result.stderr), '--- changes'];
  for (const file of listFiles(dir)) {
    const before = fs.existsSync(path.join(original, file)) ? fs.readFileSync(path.join(original, file)) : Buffer.alloc(0);
    const diff = changes(before, fs.readFileSync(path.join(dir, file)));
    if (diff) parts.push(`${file}`, diff);
  }
  return `${parts.join('\n')}\n`;
}

describe('customer-lens link (golden)', function () {
  this.timeout(30000);
  let tmp;

  before(() => {
    assert.ok(fs.existsSync(CLI), `${CLI} is missing: run npm run build first`);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-link-'));
  });

  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  for (const [name, args, setup] of CASES) {
    it(name, () => {
      const dir = path.join(tmp, name);
      const original = path.join(tmp, `${name}.original`);
      copyDir(WORKSPACE, dir);
      if (setup) setup(dir);
      copyDir(dir, original);
      const result = run(dir, args);
      const text = transcript(args, result, dir, original);
      const golden = path.join(GOLDEN, `link-${name}.txt`);
      if (UPDATE) fs.writeFileSync(golden, text);
      assert.equal(text, fs.readFileSync(golden, 'utf8'));
    });
  }

  it('keeps the BOM and CRLF line endings of the file it writes, byte for byte elsewhere', () => {
    const dir = path.join(tmp, 'bytes');
    copyDir(WORKSPACE, dir);
    const file = path.join(dir, 'packages/admin/customer-insights.yaml');
    const before = fs.readFileSync(file);
    assert.equal(run(dir, ['packages/admin/src/audit.ts:2', 'A-1']).status, 0);
    const after = fs.readFileSync(file);
    assert.deepEqual([...after.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.ok(!/(^|[^\r])\n/.test(after.toString('utf8')), 'CRLF only');
    assert.ok(after.subarray(0, before.length).equals(before), 'the old bytes are a prefix: the anchor was appended');
  });

  it('links into a copy of the example workspace, and the result checks clean of new errors', () => {
    const dir = path.join(tmp, 'acme-shop');
    copyDir(path.join(REPO, 'examples', 'acme-shop'), dir);
    const check = () => spawnSync(process.execPath, [CLI, 'check', '--root', dir, '--format', 'json', '--today', '2026-11-20'], { encoding: 'utf8' });
    const errors = (r) => JSON.parse(r.stdout).diagnostics.filter((d) => d.severity === 'error').length;
    const before = check();
    const dry = run(dir, ['src/export/csv.ts:1', 'P-14', '--dry-run']);
    assert.equal(dry.status, 0, dry.stderr);
    assert.match(dry.stdout, /^--- a\/customer-insights\.yaml\n\+\+\+ b\/customer-insights\.yaml\n@@ /);
    assert.ok(fs.readFileSync(path.join(dir, 'customer-insights.yaml')).equals(fs.readFileSync(path.join(REPO, 'examples/acme-shop/customer-insights.yaml'))));
    for (const args of [['src/export/csv.ts:1', 'P-14'], ['src/export/pdf.ts', '--symbol', 'StatementBuilder.build', 'P-12'], ['--ticket', 'GH-999', 'P-9']]) {
      const r = run(dir, args);
      assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    }
    const again = run(dir, ['src/export/csv.ts:1', 'P-14']);
    assert.equal(again.status, 0);
    assert.match(again.stdout, /already/);
    const after = check();
    assert.equal(errors(after), errors(before));
    const why = spawnSync(process.execPath, [CLI, 'why', 'src/export/csv.ts:1', '--root', dir, '--format', 'json'], { encoding: 'utf8' });
    assert.ok(JSON.parse(why.stdout).problems.some((p) => p.id === 'P-14'), why.stdout);
  });
});
