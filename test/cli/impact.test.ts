// `customer-lens impact` (dist/cli.js, spawned) on real git repositories made in the system's
// temporary folder: examples/acme-shop copied into `shop/` of a fresh repository, committed on
// `main`, then changed on `feature` by scripted commits (a tagged method edited, a tag removed, an
// anchored line edited, a file renamed). Every format, --head, the working tree, a bad ref, a shallow
// clone, a detached head, no git at all.
//
// Git runs with a fixed identity and dates and without the user's configuration (GIT_CONFIG_GLOBAL
// and GIT_CONFIG_NOSYSTEM, also for the CLI's own git calls), so nothing depends on this machine.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GitRepository } from '../../src/git/gitDiff';
import { ROOT, runCli, TODAY } from './run';
import type { CliRun } from './run';

const GIT_ENV: Record<string, string> = {
  GIT_AUTHOR_NAME: 'Customer Lens Tests', GIT_AUTHOR_EMAIL: 'tests@customer-lens.invalid',
  GIT_COMMITTER_NAME: 'Customer Lens Tests', GIT_COMMITTER_EMAIL: 'tests@customer-lens.invalid',
  GIT_AUTHOR_DATE: '2026-11-01T12:00:00Z', GIT_COMMITTER_DATE: '2026-11-01T12:00:00Z',
  GIT_CONFIG_GLOBAL: os.devNull, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0',
};

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed in ${cwd}: ${r.stderr}`);
  return r.stdout;
}

function edit(file: string, from: string, to: string): void {
  const text = fs.readFileSync(file, 'utf8');
  assert.ok(text.includes(from), `${file} lacks ${JSON.stringify(from)}`);
  fs.writeFileSync(file, text.replace(from, to));
}

interface Touch { file: string; startLine: number; endLine: number; how: string; kind: string; side: string }
interface Problem { id: string; title: string; status: string; severity: string; suspect: boolean; removed?: boolean; touches: Touch[]; evidence: Record<string, unknown> }
interface Report {
  base: { ref: string | null; commit: string; via: string };
  head: { ref: string | null; commit: string; workingTree: boolean };
  files: number;
  problems: Problem[];
  anchorsBroken: { problem: string; status: string; insightsFile: string; line: number; anchor: string; reason: string; fix?: string }[];
  notes: string[];
}

function json(run: CliRun): Report {
  assert.equal(run.status, 0, `exit ${run.status}\n${run.stderr}`);
  assert.equal(run.stderr, '');
  return JSON.parse(run.stdout) as Report;
}

const hows = (p: Problem) => p.touches.map((t) => t.how);

describe('customer-lens impact (real git repositories)', function () {
  this.timeout(60_000);
  let tmp: string;
  let repo: string;
  let shop: string;
  const saved: Record<string, string | undefined> = {};
  const impact = (args: string[], root = shop) => runCli(['impact', '--root', root, '--today', TODAY, ...args], { timeoutMs: 30_000 });

  before(() => {
    // The CLI's own git calls must not read this machine's git configuration either.
    for (const k of ['GIT_CONFIG_GLOBAL', 'GIT_CONFIG_NOSYSTEM']) {
      saved[k] = process.env[k];
      process.env[k] = GIT_ENV[k];
    }
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-impact-'));
    repo = path.join(tmp, 'repo');
    shop = path.join(repo, 'shop');
    fs.mkdirSync(repo);
    fs.cpSync(path.join(ROOT, 'examples', 'acme-shop'), shop, { recursive: true });
    fs.writeFileSync(path.join(repo, 'README.md'), 'The shop lives in shop/.\n');
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'The shop');
    git(repo, 'checkout', '-q', '-b', 'feature');
    // 1. A tagged method changes (P-2: @why above it and a symbol anchor on it).
    edit(path.join(shop, 'src/payments/payouts.ts'), 'cutoff.setHours(h, m - CUTOFF_MARGIN_MINUTES, 0, 0);', 'cutoff.setHours(h, m - CUTOFF_MARGIN_MINUTES - 5, 0, 0);');
    git(repo, 'commit', '-q', '-am', 'Payouts: five more minutes of margin');
    // 2. A tag goes (P-12 above runExportJob).
    edit(path.join(shop, 'src/export/exportJob.ts'), '// @why P-12\n// GH-412', '// GH-412');
    git(repo, 'commit', '-q', '-am', 'Export job: untag');
    // 3. An anchored line changes (P-8: lines 48-63 of stock.ts, and its tag).
    edit(path.join(shop, 'src/inventory/stock.ts'), '    level.reserved += quantity;', '    level.reserved += Math.max(0, quantity);');
    git(repo, 'commit', '-q', '-am', 'Stock: never reserve a negative quantity');
    // 4. A file is renamed (P-7's symbol anchor names the old path).
    git(repo, 'mv', 'shop/src/auth/sso.ts', 'shop/src/auth/saml.ts');
    git(repo, 'commit', '-q', '-m', 'Auth: sso.ts is saml.ts');
  });

  after(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  describe('the branch against main (the default base: the merge base of HEAD and main)', () => {
    let report: Report;
    before(() => {
      report = json(impact(['--format', 'json']));
    });

    it('names the sides: the merge base with main, and the working tree on HEAD', () => {
      const main = git(repo, 'rev-parse', 'main').trim();
      assert.deepEqual(report.base, { ref: 'main', commit: main, via: 'merge-base' });
      assert.deepEqual(report.head, { ref: null, commit: git(repo, 'rev-parse', 'HEAD').trim(), workingTree: true });
      assert.equal(report.files, 4);
      assert.deepEqual(report.notes, []);
    });

    it('a changed line in a tagged method touches its symbol anchor and its tag, and makes the problem suspect', () => {
      const p2 = report.problems.find((p) => p.id === 'P-2')!;
      assert.ok(p2, JSON.stringify(report.problems.map((p) => p.id)));
      assert.deepEqual(hows(p2), ['symbol PayoutScheduler.nextPayoutWindow', 'tag PayoutScheduler.nextPayoutWindow']);
      assert.ok(p2.touches.every((t) => t.file === 'src/payments/payouts.ts' && t.side === 'head' && t.startLine === 34));
      assert.equal(p2.suspect, true);
    });

    it('a removed tag is a touch of its problem (and the glob over the folder sees the removed line)', () => {
      const p12 = report.problems.find((p) => p.id === 'P-12')!;
      assert.deepEqual(hows(p12).sort(), ['path src/export/**', 'tag removed runExportJob']);
      assert.equal(p12.suspect, false);
    });

    it('an edited line inside an anchored range touches the lines anchor and the tag over the method', () => {
      const p8 = report.problems.find((p) => p.id === 'P-8')!;
      assert.deepEqual(hows(p8).sort(), ['lines 48-63', 'tag StockLedger.reserve']);
      assert.equal(p8.suspect, true);
    });

    it('a renamed file loses the anchors naming its old path, says why, and is not a suspect change', () => {
      const p7 = report.problems.find((p) => p.id === 'P-7')!;
      assert.deepEqual(hows(p7), ['anchor lost']);
      assert.equal(p7.touches[0].file, 'src/auth/saml.ts');
      assert.equal(p7.suspect, false);
      assert.deepEqual(report.anchorsBroken.map((a) => [a.problem, a.status, a.anchor, a.reason]), [
        ['P-7', 'lost', 'src/auth/sso.ts symbol SamlProvider.validateAssertion', "this change renames src/auth/sso.ts to src/auth/saml.ts; update the anchor's path"],
      ]);
      assert.equal(report.anchorsBroken[0].insightsFile, 'customer-insights.yaml');
    });

    it('orders problems by severity, then impact', () => {
      const rank = { critical: 0, high: 1, medium: 2, low: 3 } as Record<string, number>;
      const severities = report.problems.map((p) => rank[p.severity]);
      assert.deepEqual(severities, [...severities].sort((a, b) => a - b));
      assert.deepEqual(report.problems.map((p) => p.id), ['P-2', 'P-8', 'P-12', 'P-7']);
    });

    it('text: the same problems, a line per touch', () => {
      const run = impact([]);
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stderr, '');
      const lines = run.stdout.split('\n');
      assert.match(lines[0], /^Customer impact of the working tree against main \(merge base [0-9a-f]{7}\)$/);
      assert.equal(lines[1], '4 customer problems touched by 4 changed files (2 critical, 2 high); 2 suspect; 1 anchor broken.');
      assert.deepEqual(lines.filter((l) => /^P-\d+ {2}/.test(l)).map((l) => l.split(' ')[0]), report.problems.map((p) => p.id));
      assert.ok(lines.includes('  src/payments/payouts.ts:34  symbol PayoutScheduler.nextPayoutWindow'), run.stdout);
      assert.ok(lines.some((l) => l.startsWith('  customer-insights.yaml:') && l.includes('P-7  src/auth/sso.ts symbol SamlProvider.validateAssertion  lost: this change renames')), run.stdout);
    });

    it('markdown: a pull-request section with the problems by severity, their strongest quote, touches and broken anchors', () => {
      const run = impact(['--format', 'markdown']);
      assert.equal(run.status, 0, run.stderr);
      const md = run.stdout;
      assert.match(md, /^## Customer impact\n/);
      assert.ok(md.indexOf('### Critical') < md.indexOf('### High'), md);
      assert.match(md, /\*\*P-2 · Payouts miss the same-day window and arrive the next day\*\* — in-progress · urgent · ⚠️ \*\*suspect\*\*/);
      assert.match(md, /^> “.+” — (observed|said), /m);
      assert.match(md, /^- src\/payments\/payouts\.ts line 34: symbol PayoutScheduler\.nextPayoutWindow$/m);
      assert.match(md, /^\| P-7 \| customer-insights\.yaml:\d+ \| src/m);
      assert.ok(Buffer.byteLength(md) < 64 * 1024);
    });

    it('github: annotations on the changed lines, paths from the repository root, the most severe first', () => {
      const run = impact(['--format', 'github']);
      assert.equal(run.status, 0, run.stderr);
      const lines = run.stdout.trimEnd().split('\n');
      for (const l of lines) assert.match(l, /^::(warning|notice) [^:]*::\S/, l);
      assert.match(lines[0], /^::warning file=shop\/src\/payments\/payouts\.ts,line=34,endLine=34,title=P-2 \(critical%2C suspect\)%3A Payouts miss/);
      assert.ok(lines.some((l) => /^::warning file=shop\/customer-insights\.yaml,line=\d+,endLine=\d+,title=Anchor of P-7 lost::/.test(l)), run.stdout);
      assert.equal(lines.length, 5);
    });
  });

  describe('the sides', () => {
    it('--head REF compares two commits; --base REF uses its merge base with the head', () => {
      const report = json(impact(['--format', 'json', '--base', 'feature~2', '--head', 'feature~1']));
      assert.equal(report.head.workingTree, false);
      assert.equal(report.head.ref, 'feature~1');
      assert.equal(report.base.commit, git(repo, 'rev-parse', 'feature~2').trim());
      assert.deepEqual(report.problems.map((p) => p.id), ['P-8']);
      assert.equal(report.files, 1);
    });

    it('the working tree counts staged, unstaged and untracked changes', () => {
      edit(path.join(shop, 'src/payments/reconcile.ts'), 'export', '// ACME-877: match by payout id first\nexport');
      fs.writeFileSync(path.join(shop, 'src/export/xlsx.ts'), '// @why P-14\nexport function xlsx(): string {\n  return "";\n}\n');
      try {
        const report = json(impact(['--format', 'json', '--base', 'HEAD']));
        assert.equal(report.files, 2);
        const p4 = report.problems.find((p) => p.id === 'P-4')!;
        assert.ok(p4 && hows(p4).includes('ticket ACME-877'), JSON.stringify(report.problems));
        const p14 = report.problems.find((p) => p.id === 'P-14')!;
        assert.deepEqual(p14.touches.map((t) => `${t.file}:${t.startLine} ${t.how}`), ['src/export/xlsx.ts:1 tag added xlsx']);
      } finally {
        git(repo, 'checkout', '-q', '--', 'shop/src/payments/reconcile.ts');
        fs.rmSync(path.join(shop, 'src/export/xlsx.ts'));
      }
    });

    it('a change to the insights file touches the entries it changes, read from both sides', () => {
      edit(path.join(shop, 'customer-insights.yaml'), '    title: Payouts miss the same-day window and arrive the next day', '    title: Payouts miss the same-day window');
      try {
        const report = json(impact(['--format', 'json', '--base', 'HEAD']));
        assert.deepEqual(report.problems.map((p) => [p.id, p.title, hows(p)]), [['P-2', 'Payouts miss the same-day window', ['insights entry']]]);
      } finally {
        git(repo, 'checkout', '-q', '--', 'shop/customer-insights.yaml');
      }
    });

    it('a detached head in a clone: the default base is the merge base with origin/HEAD\'s branch', () => {
      const clone = path.join(tmp, 'detached');
      git(tmp, 'clone', '-q', repo, clone);
      // The clone's origin/HEAD follows the source's checked-out branch (feature): point it at main.
      git(clone, 'remote', 'set-head', 'origin', 'main');
      git(clone, 'checkout', '-q', '--detach', 'origin/feature~1');
      const report = json(impact(['--format', 'json'], path.join(clone, 'shop')));
      assert.deepEqual([report.base.ref, report.base.commit], ['origin/main', git(repo, 'rev-parse', 'main').trim()]);
      assert.deepEqual(report.problems.map((p) => p.id).sort(), ['P-12', 'P-2', 'P-8']);
    });
  });

  describe('git/gitDiff: reading files at a commit', () => {
    it('reads many files through one cat-file batch: missing, empty, binary and too large ones are undefined', async () => {
      const dir = path.join(tmp, 'blobs');
      fs.mkdirSync(dir);
      git(dir, 'init', '-q', '-b', 'main');
      fs.writeFileSync(path.join(dir, 'a.ts'), 'export const a = 1;\n');
      fs.writeFileSync(path.join(dir, 'empty.ts'), '');
      fs.writeFileSync(path.join(dir, 'bin.dat'), Buffer.from([1, 0, 2, 0]));
      fs.writeFileSync(path.join(dir, 'big.ts'), 'x'.repeat(5000));
      fs.writeFileSync(path.join(dir, 'with space.ts'), '\ufeffconst s = "é";\n');
      fs.writeFileSync(path.join(dir, 'line\nbreak.ts'), 'odd\n');
      git(dir, 'add', '.');
      git(dir, 'commit', '-q', '-m', 'blobs');
      const repo = await GitRepository.open(dir, { env: { ...process.env, ...GIT_ENV } });
      const head = await repo.commit('HEAD');
      const read = await repo.readFiles(head, ['a.ts', 'missing.ts', 'empty.ts', 'bin.dat', 'big.ts', 'with space.ts', 'line\nbreak.ts', 'a.ts'], 1000);
      assert.deepEqual([...read.entries()].sort(), [
        ['a.ts', 'export const a = 1;\n'], ['big.ts', undefined], ['bin.dat', undefined], ['empty.ts', ''],
        ['line\nbreak.ts', 'odd\n'], ['missing.ts', undefined], ['with space.ts', 'const s = "é";\n'],
      ]);
      assert.deepEqual(await repo.listFiles(head), ['a.ts', 'big.ts', 'bin.dat', 'empty.ts', 'line\nbreak.ts', 'with space.ts']);
    });
  });

  describe('errors: a message and exit 2, nothing on stdout', () => {
    const fails = (run: CliRun, message: RegExp) => {
      assert.equal(run.status, 2, `exit ${run.status}\n${run.stdout}\n${run.stderr}`);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, message);
    };

    it('a ref that names nothing', () => {
      fails(impact(['--base', 'no-such-branch']), /^customer-lens: "no-such-branch" names no commit in this repository\.\n$/);
      fails(impact(['--head', 'nope~3']), /"nope~3" names no commit/);
    });

    it('a ref that looks like an option is refused before git sees it', () => {
      fails(impact(['--base=--output=/tmp/x']), /--base needs a branch, tag or commit/);
    });

    it('usage: arguments, formats', () => {
      fails(impact(['extra']), /impact takes no arguments/);
      fails(impact(['--format', 'csv']), /--format must be text, json, markdown or github, not "csv"/);
    });

    it('a folder outside any repository', () => {
      const plain = fs.mkdtempSync(path.join(tmp, 'plain-'));
      fs.copyFileSync(path.join(shop, 'customer-insights.yaml'), path.join(plain, 'customer-insights.yaml'));
      fails(impact([], plain), /is not inside a git repository/);
    });

    it('no git on the PATH', () => {
      const saved = process.env.PATH;
      process.env.PATH = fs.mkdtempSync(path.join(tmp, 'empty-bin-'));
      try {
        fails(impact([]), /^customer-lens: git was not found \(git\): install git, or put it on the PATH\.\n$/);
      } finally {
        process.env.PATH = saved;
      }
    });

    describe('a shallow clone of the feature branch, detached, without main', () => {
      let shallow: string;
      before(() => {
        const bare = path.join(tmp, 'origin.git');
        git(tmp, 'clone', '-q', '--bare', repo, bare);
        git(bare, 'symbolic-ref', 'HEAD', 'refs/heads/main');
        shallow = path.join(tmp, 'shallow');
        git(tmp, 'clone', '-q', '--depth', '1', '--branch', 'feature', `file://${bare}`, shallow);
        git(shallow, 'checkout', '-q', '--detach');
      });

      it('without --base: cannot tell the base, says why and names --base', () => {
        fails(impact([], path.join(shallow, 'shop')),
          /^customer-lens: Cannot tell which branch this change merges into: no origin\/HEAD, and no main or master branch \(HEAD is detached and this is a shallow clone\)\. Name the base with --base REF/);
      });

      it('with a base that was not fetched: says to fetch it', () => {
        fails(impact(['--base', 'origin/main'], path.join(shallow, 'shop')), /"origin\/main" names no commit in this repository\. This is a shallow clone: fetch the branch first/);
      });

      it('with the base fetched shallow too: no merge base, so the base itself, with a note', () => {
        git(shallow, 'fetch', '-q', '--depth', '1', 'origin', 'main:refs/remotes/origin/main');
        const report = json(impact(['--format', 'json', '--base', 'origin/main'], path.join(shallow, 'shop')));
        assert.equal(report.base.via, 'ref');
        assert.match(report.notes[0], /^origin\/main and HEAD have no common ancestor in this clone \(a shallow clone\): the change is compared with origin\/main itself\.$/);
        assert.deepEqual(report.problems.map((p) => p.id), ['P-2', 'P-8', 'P-12', 'P-7']);
        const text = impact(['--base', 'origin/main'], path.join(shallow, 'shop'));
        assert.match(text.stdout, /\nnote: origin\/main and HEAD have no common ancestor/);
      });
    });
  });
});
