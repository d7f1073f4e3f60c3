// The `customer-lens impact` benchmark on real code (bundled by bench/run.mjs to out/bench/impact.js).
//
// bench-data/corpus/ (bench/corpus.mjs: npm packages, 300 injected `@why` tags, an insights file
// with 50 problems and their anchors) becomes a git repository whose .git lies outside it, in the
// system's temporary folder (GIT_DIR and GIT_WORK_TREE), so the corpus itself is never written:
//   base  the corpus as it is, committed;
//   head  a commit made with git's plumbing (hash-object, a temporary index, commit-tree) that
//         changes 40 lines in each of 50 files holding tags: 2,000 changed lines.
// Then, interleaved so that all three see the same machine, it runs:
//   - customer-lens impact --base BASE --head HEAD --format json (a fresh process each time),
//   - git diff --unified=0 -M BASE HEAD, the diff impact starts from (the floor),
//   - customer-lens check on the corpus (what CI runs anyway),
// and prints the medians. The working tree is not measured (it would mean editing the corpus);
// the head is read from git, as in CI with --head.
//
//   node out/bench/impact.js [--runs N] [--quick]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fmt, now, stats, table } from './timing';
import { CLI, CORPUS, corpusReady, spawnTimed } from './corpusBench';

const TODAY = '2026-11-22';
const FILES = 50;
const LINES_PER_FILE = 40;

const args = process.argv.slice(2);
const runs = args.includes('--runs') ? Number(args[args.indexOf('--runs') + 1]) : args.includes('--quick') ? 5 : 9;

function main(): void {
  if (!corpusReady('impact')) return;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-impact-bench-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env, GIT_DIR: path.join(tmp, 'corpus.git'), GIT_WORK_TREE: CORPUS,
    GIT_CONFIG_GLOBAL: os.devNull, GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@customer-lens.invalid', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@customer-lens.invalid',
    GIT_AUTHOR_DATE: '2026-11-01T12:00:00Z', GIT_COMMITTER_DATE: '2026-11-01T12:00:00Z',
  };
  const git = (argv: string[], input?: string, extra: NodeJS.ProcessEnv = {}) => {
    const r = spawnTimed('git', argv, { cwd: CORPUS, env: { ...env, ...extra }, input });
    if (r.status !== 0) throw new Error(`git ${argv.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  try {
    const t0 = now();
    git(['init', '-q', '-b', 'main']);
    git(['add', '-A', '.']);
    git(['commit', '-q', '-m', 'corpus']);
    const base = git(['rev-parse', 'HEAD']).trim();
    const setupMs = now() - t0;

    // 50 tagged files with at least 80 lines; in each, every other line from its first tag on.
    const tagged = git(['grep', '-l', '@why', 'HEAD', '--', '*.js', '*.ts', '*.mjs', '*.cjs']).split('\n').filter(Boolean).map((l) => l.replace(/^HEAD:/, '')).sort();
    const index = path.join(tmp, 'head.index');
    git(['read-tree', base], undefined, { GIT_INDEX_FILE: index });
    let files = 0;
    let lines = 0;
    for (const file of tagged) {
      if (files >= FILES) break;
      const text = fs.readFileSync(path.join(CORPUS, file), 'utf8');
      const all = text.split('\n');
      const start = all.findIndex((l) => l.includes('@why'));
      if (start < 0 || all.length - start < LINES_PER_FILE * 2 + 2) continue;
      for (let k = 0; k < LINES_PER_FILE; k++) all[start + 2 + 2 * k] += ' ';
      const blob = git(['hash-object', '-w', '--stdin', '--path', file], all.join('\n')).trim();
      git(['update-index', '--cacheinfo', `100644,${blob},${file}`], undefined, { GIT_INDEX_FILE: index });
      files++;
      lines += LINES_PER_FILE;
    }
    const tree = git(['write-tree'], undefined, { GIT_INDEX_FILE: index }).trim();
    const head = git(['commit-tree', tree, '-p', base, '-m', 'head']).trim();

    const impactArgs = [CLI, 'impact', '--root', CORPUS, '--base', base, '--head', head, '--format', 'json', '--today', TODAY];
    const diffArgs = ['-c', 'core.quotePath=false', 'diff', '--no-color', '--no-ext-diff', '--no-textconv', '-M', '--unified=0', base, head, '--'];
    const checkArgs = [CLI, 'check', '--root', CORPUS, '--today', TODAY];
    const once = (what: 'impact' | 'diff' | 'check') => {
      const r = what === 'diff' ? spawnTimed('git', diffArgs, { cwd: CORPUS, env }) : spawnTimed(process.execPath, what === 'impact' ? impactArgs : checkArgs, { cwd: CORPUS, env });
      if (r.status !== 0 && !(what === 'check' && r.status === 1)) throw new Error(`${what} exited ${r.status}: ${r.stderr}`);
      return r;
    };

    // Warm-up: the page cache, git's object store and the CLI's first runs.
    const first = once('impact');
    const diffFirst = once('diff');
    once('check');
    const report = JSON.parse(first.stdout) as { files: number; problems: { suspect: boolean; touches: unknown[] }[]; anchorsBroken: unknown[] };

    const impact: number[] = [];
    const diff: number[] = [];
    const check: number[] = [];
    for (let i = 0; i < runs; i++) {
      impact.push(once('impact').ms);
      diff.push(once('diff').ms);
      check.push(once('check').ms);
    }
    const med = (xs: number[]) => stats(xs).median;
    console.log(`\ncustomer-lens impact on bench-data/corpus (${runs} runs each, interleaved; medians):`);
    console.log(`  the change: ${files} files, ${lines.toLocaleString('en-US')} changed lines (git diff: ${(Buffer.byteLength(diffFirst.stdout) / 1024).toFixed(0)} KB); ` +
      `the repository (GIT_DIR outside the corpus) took ${(setupMs / 1000).toFixed(1)} s to commit`);
    console.log(`  impact says: ${report.problems.length} problems touched (${report.problems.filter((p) => p.suspect).length} suspect, ` +
      `${report.problems.reduce((n, p) => n + p.touches.length, 0)} touches), ${report.anchorsBroken.length} anchors broken, in ${report.files} files`);
    console.log(table(['', 'median ms', 'min ms', 'p95 ms'], [
      ['customer-lens impact --head (whole process)', fmt(med(impact)), fmt(stats(impact).min), fmt(stats(impact).p95)],
      ['git diff --unified=0 -M, the same two commits', fmt(med(diff)), fmt(stats(diff).min), fmt(stats(diff).p95)],
      ['customer-lens check, the whole corpus', fmt(med(check)), fmt(stats(check).min), fmt(stats(check).p95)],
    ]).split('\n').map((l) => `  ${l}`).join('\n'));
    console.log(`  impact / git diff: ${(med(impact) / med(diff)).toFixed(1)}x; impact / check: ${(med(impact) / med(check)).toFixed(2)}x`);
    const load = os.loadavg()[0];
    if (load > os.cpus().length * 0.75) console.log(`  (load average ${load.toFixed(1)} on ${os.cpus().length} cores: other jobs share the machine, wall times are inflated)`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main();
