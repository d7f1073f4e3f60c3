// `customer-lens check --format github|sarif` (dist/cli.js, spawned): golden output on the example and
// on the errors fixture (test/cli/golden/ci-*.txt, same style as cli.test.ts: command, exit code,
// stdout, stderr; UPDATE_GOLDEN=1 rewrites them), the SARIF validated against the official SARIF
// 2.1.0 JSON schema (as shipped in @microsoft/jest-sarif) and against what GitHub code scanning
// needs, fingerprints that survive moved lines, and workflow commands that untrusted text cannot
// break out of.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { RULES } from '../../src/core/rules';
import { ROOT, runCli, TODAY } from './run';
import type { CliRun } from './run';

const GOLDEN = path.join(ROOT, 'test', 'cli', 'golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const SARIF_SCHEMA_FILE = path.join(path.dirname(require.resolve('@microsoft/jest-sarif/package.json', { paths: [ROOT] })), 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');
const PACKAGE_VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

interface Case {
  name: string;
  args: string[];
  exit: number;
}

const shop = ['--root', 'examples/acme-shop', '--today', TODAY];
const errors = ['--root', 'test/fixtures/cli/errors', '--today', TODAY];

const CASES: Case[] = [
  { name: 'ci-check-acme-shop-github', args: ['check', ...shop, '--format', 'github'], exit: 0 },
  { name: 'ci-check-acme-shop-sarif', args: ['check', ...shop, '--format', 'sarif'], exit: 0 },
  { name: 'ci-check-errors-github', args: ['check', ...errors, '--format', 'github'], exit: 1 },
  { name: 'ci-check-errors-sarif', args: ['check', ...errors, '--format', 'sarif'], exit: 1 },
];

/** The golden text: command, exit code, stdout, stderr; the package version becomes <version>. */
function record(c: Case, run: CliRun): string {
  const norm = (s: string) => s.split(ROOT).join('<repo>').split(`"version": "${PACKAGE_VERSION}"`).join('"version": "<version>"')
    .split(`"semanticVersion": "${PACKAGE_VERSION}"`).join('"semanticVersion": "<version>"');
  return [`$ customer-lens ${c.args.join(' ')}`, `exit: ${run.status}`, '--- stdout', norm(run.stdout), '--- stderr', norm(run.stderr)].join('\n');
}

// ---- SARIF as GitHub code scanning reads it -------------------------------------------------------

interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}
interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: SarifRegion } }[];
  partialFingerprints: Record<string, string>;
}
interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  defaultConfiguration: { level: string };
}
interface Sarif {
  $schema: string;
  version: string;
  runs: { tool: { driver: { name: string; informationUri: string; version: string; rules: SarifRule[] } }; results: SarifResult[] }[];
}

let validator: ReturnType<Ajv04['compile']> | undefined;

/** Errors of the official SARIF 2.1.0 JSON schema (draft-04) for `log`, as text; [] when valid. */
function sarifSchemaErrors(log: unknown): string[] {
  if (!validator) {
    // unicodeRegExp: false, because the schema's own `language` pattern is not valid with the u flag.
    const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const schema = JSON.parse(fs.readFileSync(SARIF_SCHEMA_FILE, 'utf8')) as { title: string };
    assert.match(schema.title, /SARIF\) Version 2\.1\.0/);
    validator = ajv.compile(schema);
  }
  return validator(log) ? [] : (validator.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

/** What GitHub code scanning needs beyond the schema (its documented SARIF subset). */
function gitHubProblems(log: Sarif): string[] {
  const problems: string[] = [];
  const need = (ok: boolean, what: string) => { if (!ok) problems.push(what); };
  need(log.version === '2.1.0' && typeof log.$schema === 'string', 'version 2.1.0 and $schema');
  need(log.runs.length === 1, 'one run');
  const run = log.runs[0];
  const driver = run.tool.driver;
  need(driver.name === 'Customer Lens' && /^https?:\/\//.test(driver.informationUri) && driver.version === PACKAGE_VERSION, 'tool.driver name, informationUri, version');
  need(driver.rules.map((r) => r.id).join() === RULES.map((r) => r.id).join(), 'one rule per rule id');
  for (const r of driver.rules) {
    need(/^[A-Z][A-Za-z]+$/.test(r.name), `${r.id}: name`);
    for (const text of [r.shortDescription.text, r.fullDescription.text]) need(text.length > 0 && text.length <= 1024, `${r.id}: descriptions of 1 to 1024 characters`);
    need(r.help.text.length > 0 && r.help.markdown.length > 0, `${r.id}: help text and markdown`);
    need(['error', 'warning', 'note'].includes(r.defaultConfiguration.level), `${r.id}: defaultConfiguration.level`);
  }
  const prints = new Set<string>();
  for (const [i, res] of run.results.entries()) {
    need(driver.rules[res.ruleIndex]?.id === res.ruleId, `result ${i}: ruleIndex names its ruleId`);
    need(res.level === driver.rules[res.ruleIndex]?.defaultConfiguration.level, `result ${i}: level is the rule's`);
    need(res.message.text.length > 0, `result ${i}: message`);
    need(res.locations.length === 1, `result ${i}: one location`);
    const loc = res.locations[0].physicalLocation;
    need(loc.artifactLocation.uriBaseId === '%SRCROOT%' && !/^[a-z]+:|^\/|\.\.\//i.test(loc.artifactLocation.uri), `result ${i}: a relative uri`);
    const r = loc.region;
    need(r.startLine >= 1 && r.startColumn >= 1 && r.endLine >= r.startLine && (r.endLine > r.startLine || r.endColumn >= r.startColumn), `result ${i}: a 1-based region`);
    const print = res.partialFingerprints['customerLensFinding/v1'];
    need(/^[0-9a-f]{32}:\d+$/.test(print ?? ''), `result ${i}: a partial fingerprint`);
    need(!prints.has(print), `result ${i}: a fingerprint of its own`);
    prints.add(print);
  }
  return problems;
}

// ---- helpers for temporary folders ----------------------------------------------------------------

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-ci-'));
}

function copyDir(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true });
}

function sarifOf(run: CliRun): Sarif {
  return JSON.parse(run.stdout) as Sarif;
}

describe('customer-lens check --format github and sarif', function () {
  this.timeout(60_000);
  const runs = new Map<string, CliRun>();
  const runOf = (name: string) => {
    const c = CASES.find((k) => k.name === name)!;
    let run = runs.get(name);
    if (!run) {
      run = runCli(c.args);
      runs.set(name, run);
    }
    return run;
  };

  describe('golden output', () => {
    it('has one golden file per case, and no stale ones', () => {
      if (UPDATE) return;
      const ours = fs.readdirSync(GOLDEN).filter((f) => /^ci-.*\.txt$/.test(f));
      assert.deepEqual(ours.sort(), CASES.map((c) => `${c.name}.txt`).sort());
    });

    for (const c of CASES) {
      it(`${c.name}: customer-lens ${c.args.join(' ')}`, () => {
        const run = runOf(c.name);
        assert.equal(run.signal, null);
        assert.equal(run.status, c.exit, run.stderr);
        assert.equal(run.stderr, '');
        const actual = record(c, run);
        const file = path.join(GOLDEN, `${c.name}.txt`);
        if (UPDATE) {
          fs.writeFileSync(file, actual);
          return;
        }
        assert.ok(fs.existsSync(file), `${file} is missing: run with UPDATE_GOLDEN=1 and review it`);
        assert.equal(actual, fs.readFileSync(file, 'utf8'), `${c.name} differs from test/cli/golden/${c.name}.txt (UPDATE_GOLDEN=1 rewrites it)`);
      });
    }
  });

  describe('SARIF', () => {
    for (const name of ['ci-check-acme-shop-sarif', 'ci-check-errors-sarif']) {
      it(`${name}: valid against the official SARIF 2.1.0 JSON schema`, () => {
        assert.deepEqual(sarifSchemaErrors(JSON.parse(runOf(name).stdout)), []);
      });

      it(`${name}: what GitHub code scanning needs (rules, relative locations, 1-based regions, fingerprints)`, () => {
        assert.deepEqual(gitHubProblems(sarifOf(runOf(name))), []);
      });
    }

    it('the schema check catches a broken log (it is not vacuous)', () => {
      const log = sarifOf(runOf('ci-check-errors-sarif')) as unknown as { runs: { results: { level: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[] };
      log.runs[0].results[0].level = 'fatal';
      log.runs[0].results[1].locations[0].physicalLocation.region.startLine = 0;
      const errors = sarifSchemaErrors(log);
      assert.ok(errors.some((e) => /level/.test(e)) && errors.some((e) => /startLine/.test(e)), errors.join('\n'));
    });

    it('results are the JSON format\'s diagnostics, in the same order, at the same places', () => {
      const json = runCli(['check', ...errors, '--format', 'json']);
      const diagnostics = (JSON.parse(json.stdout) as { diagnostics: { file: string; line: number; column: number; endLine: number; endColumn: number; rule: string; message: string }[] }).diagnostics;
      const results = sarifOf(runOf('ci-check-errors-sarif')).runs[0].results;
      assert.deepEqual(results.map((r) => {
        const { uri } = r.locations[0].physicalLocation.artifactLocation;
        const g = r.locations[0].physicalLocation.region;
        return `${uri} ${g.startLine}:${g.startColumn}-${g.endLine}:${g.endColumn} ${r.ruleId} ${r.message.text}`;
      }), diagnostics.map((d) => `test/fixtures/cli/errors/${d.file} ${d.line}:${d.column}-${d.endLine}:${d.endColumn} ${d.rule} ${d.message}`));
    });

    it('a finding keeps its fingerprint when lines above it are added; its region follows', () => {
      const dir = tempDir();
      try {
        fs.mkdirSync(path.join(dir, '.git'));
        copyDir(path.join(ROOT, 'test', 'fixtures', 'cli', 'errors'), path.join(dir, 'pkg'));
        const args = ['check', '--root', path.join(dir, 'pkg'), '--today', TODAY, '--format', 'sarif'];
        const before = sarifOf(runCli(args)).runs[0].results;
        const file = path.join(dir, 'pkg', 'customer-insights.yaml');
        const text = fs.readFileSync(file, 'utf8');
        fs.writeFileSync(file, text.replace('personas:\n', '# A comment\n# and another\npersonas:\n'));
        const after = sarifOf(runCli(args)).runs[0].results;
        const key = (r: SarifResult) => `${r.ruleId} ${r.partialFingerprints['customerLensFinding/v1']}`;
        // Messages may quote line numbers of other places (an anchor's new line); fingerprints may not.
        assert.deepEqual(after.map(key).sort(), before.map(key).sort());
        const line = (rs: SarifResult[], rule: string) => rs.find((r) => r.ruleId === rule)!.locations[0].physicalLocation.region.startLine;
        assert.equal(line(after, 'path-escapes'), line(before, 'path-escapes') + 2);
        assert.equal(before[0].locations[0].physicalLocation.artifactLocation.uri.startsWith('pkg/'), true);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('equal findings on equal lines get distinct fingerprints', () => {
      const dir = tempDir();
      try {
        fs.mkdirSync(path.join(dir, '.git'));
        fs.writeFileSync(path.join(dir, 'customer-insights.yaml'), 'version: 1\nproblems:\n  - id: P-1\n    title: T\n    tags: [a]\n    stauts: x\n  - id: P-2\n    title: U\n    stauts: x\n');
        const results = sarifOf(runCli(['check', '--root', dir, '--today', TODAY, '--format', 'sarif'])).runs[0].results;
        const prints = results.filter((r) => r.ruleId === 'unknown-key').map((r) => r.partialFingerprints['customerLensFinding/v1']);
        assert.equal(prints.length, 2);
        assert.equal(prints[0].split(':')[0], prints[1].split(':')[0]);
        assert.deepEqual(prints.map((p) => p.split(':')[1]), ['1', '2']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('paths with spaces and other characters are URI references', () => {
      const dir = tempDir();
      try {
        fs.mkdirSync(path.join(dir, '.git'));
        const sub = path.join(dir, 'my docs#1');
        fs.mkdirSync(sub);
        fs.writeFileSync(path.join(sub, 'customer-insights.yaml'), 'version: 2\n');
        const log = JSON.parse(runCli(['check', '--root', dir, '--today', TODAY, '--format', 'sarif']).stdout) as Sarif;
        assert.equal(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, 'my%20docs%231/customer-insights.yaml');
        assert.deepEqual(sarifSchemaErrors(log), []);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('GitHub workflow commands', () => {
    const annotation = /^::(error|warning|notice) file=([^,]*),line=(\d+),col=(\d+),endLine=(\d+),endColumn=(\d+),title=([^,:]*)::(.*)$/;

    it('one annotation per diagnostic, errors first, with the JSON format\'s places and the rule\'s level', () => {
      const json = runCli(['check', ...errors, '--format', 'json']);
      const diagnostics = (JSON.parse(json.stdout) as { diagnostics: { file: string; line: number; column: number; endLine: number; endColumn: number; severity: string; message: string }[] }).diagnostics;
      const lines = runOf('ci-check-errors-github').stdout.trimEnd().split('\n');
      const summary = lines.pop()!;
      assert.match(summary, /^2 insights files, 2 problems: 6 errors, 4 warnings, 1 info$/);
      const level = { error: 'error', warning: 'warning', info: 'notice' } as Record<string, string>;
      const order = { error: 0, warning: 1, info: 2 } as Record<string, number>;
      const expected = diagnostics.map((d, i) => ({ d, i })).sort((a, b) => order[a.d.severity] - order[b.d.severity] || a.i - b.i)
        .map(({ d }) => `${level[d.severity]} test/fixtures/cli/errors/${d.file} ${d.line} ${d.column} ${d.endLine} ${d.endColumn} ${d.message}`);
      assert.deepEqual(lines.map((l) => {
        const m = annotation.exec(l);
        assert.ok(m, l);
        return `${m[1]} ${m[2]} ${m[3]} ${m[4]} ${m[5]} ${m[6]} ${m[8]}`;
      }), expected);
    });

    it('untrusted text cannot break out of its annotation: newlines, %, control characters, and : and , in paths', () => {
      const dir = tempDir();
      try {
        fs.mkdirSync(path.join(dir, '.git'));
        const sub = path.join(dir, 'a,b:c');
        fs.mkdirSync(sub);
        // A duplicate key whose name holds a newline and a %, a status with terminal escapes, an id after
        // @why in code: each message quotes untrusted text.
        fs.writeFileSync(path.join(sub, 'customer-insights.yaml'), [
          'version: 1',
          'problems:',
          '  - id: P-1',
          '    title: T',
          '    "st\\natus%0A::error::x": 1',
          '    status: "\\e[2J\\e[31mdone\\e]0;pwned\\a"',
          '',
        ].join('\n'));
        const run = runCli(['check', '--root', sub, '--today', TODAY, '--format', 'github']);
        assert.equal(run.status, 1, run.stderr);
        const lines = run.stdout.trimEnd().split('\n');
        const annotations = lines.filter((l) => l.startsWith('::'));
        assert.equal(annotations.length, 2, run.stdout);
        for (const l of annotations) {
          assert.match(l, annotation);
          assert.ok(l.includes('file=a%2Cb%3Ac/customer-insights.yaml,'), l);
          assert.doesNotMatch(l, /[\u0000-\u001f\u007f-\u009f]/, 'no control characters reach the log');
        }
        const unknown = annotations.find((l) => l.startsWith('::warning'))!;
        assert.ok(unknown.includes('st%0Aatus%250A::error::x'), unknown);
        assert.equal(lines.filter((l) => /^::/.test(l)).length, 2);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('paths from the repository root', () => {
    it('a folder inside a repository: paths from the folder holding .git, whatever the current directory', () => {
      const dir = tempDir();
      try {
        fs.mkdirSync(path.join(dir, '.git'));
        fs.mkdirSync(path.join(dir, 'packages', 'shop'), { recursive: true });
        fs.writeFileSync(path.join(dir, 'packages', 'shop', 'customer-insights.yaml'), 'version: 2\n');
        for (const cwd of [dir, path.join(dir, 'packages'), os.tmpdir()]) {
          const run = runCli(['check', '--root', path.join(dir, 'packages', 'shop'), '--format', 'github'], { cwd });
          assert.match(run.stdout, /^::error file=packages\/shop\/customer-insights\.yaml,line=1,/, `from ${cwd}`);
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('outside a repository: from the current directory when it holds the folder, else from the folder', () => {
      const dir = tempDir();
      try {
        fs.mkdirSync(path.join(dir, 'shop'));
        fs.writeFileSync(path.join(dir, 'shop', 'customer-insights.yaml'), 'version: 2\n');
        assert.match(runCli(['check', '--root', 'shop', '--format', 'github'], { cwd: dir }).stdout, /^::error file=shop\/customer-insights\.yaml,/);
        assert.match(runCli(['check', '--root', path.join(dir, 'shop'), '--format', 'github'], { cwd: path.join(dir, 'shop') }).stdout, /^::error file=customer-insights\.yaml,/);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  it('refuses other formats for check and these for why', () => {
    const bad = runCli(['check', ...shop, '--format', 'junit']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^customer-lens: --format must be text, json, github or sarif, not "junit"/);
    const why = runCli(['why', 'src/export/csv.ts', ...shop, '--format', 'sarif']);
    assert.equal(why.status, 2);
    assert.match(why.stderr, /^customer-lens: --format must be text or json, not "sarif"/);
  });

  it('the example workflow (docs/ci/customer-insights-check.yml) annotates, writes SARIF and uploads it', () => {
    const workflow = parseYaml(fs.readFileSync(path.join(ROOT, 'docs', 'ci', 'customer-insights-check.yml'), 'utf8')) as {
      permissions: Record<string, string>;
      jobs: { check: { steps: { name?: string; run?: string; uses?: string; if?: string; with?: Record<string, string> }[] } };
    };
    assert.deepEqual(workflow.permissions, { contents: 'read', 'security-events': 'write' });
    const steps = workflow.jobs.check.steps;
    const runs = steps.map((s) => s.run ?? '');
    assert.ok(runs.some((r) => r.startsWith('npx customer-lens check --format github')), runs.join('\n'));
    const sarif = steps.find((s) => /--format sarif/.test(s.run ?? ''))!;
    const upload = steps.find((s) => (s.uses ?? '').startsWith('github/codeql-action/upload-sarif@'))!;
    assert.ok(sarif && upload);
    assert.ok(steps.indexOf(sarif) < steps.indexOf(upload));
    assert.match(sarif.if ?? '', /!cancelled\(\)/);
    assert.match(upload.if ?? '', /!cancelled\(\)/);
    assert.equal(upload.with?.sarif_file, '${{ runner.temp }}/customer-lens.sarif');
    assert.match(sarif.run!, /> "\$RUNNER_TEMP\/customer-lens\.sarif" \|\| test \$\? -eq 1$/);
  });
});
