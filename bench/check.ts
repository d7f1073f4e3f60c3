// The `customer-lens check` benchmark on real code (bundled by bench/run.mjs to out/bench/check.js).
//
// On bench-data/corpus/ (npm packages installed as a workspace, see bench/corpus.mjs; its second
// step writes 300 `@why` tags, ticket comments and a customer-insights.yaml with 50 problems and
// their symbol, lines and glob anchors) it runs, interleaved so that both see the same machine:
//   - the whole CLI: node dist/cli.js check --root bench-data/corpus (a fresh process each time),
//   - ripgrep: rg -c '@why' bench-data/corpus --no-ignore (the floor: a byte search, nothing more),
//   - ripgrep over what the checker scans: the same with the checker's skipped directories excluded.
// and prints the medians, the ratio check / rg, and the check's peak resident set size, which the CLI
// reports itself (CUSTOMER_LENS_STATS: getrusage's ru_maxrss, the figure /usr/bin/time prints),
// with its phases (listing and insights, anchors, scan).
//
//   node out/bench/check.js [--runs N] [--quick]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SKIPPED_DIRECTORY_NAMES } from '../src/core/scanPolicy';
import { fmt, stats, table } from './timing';
import { CLI, CORPUS, corpusReady, spawnTimed } from './corpusBench';

const RG = ['/usr/bin/rg', 'rg'].find((r) => r === 'rg' || fs.existsSync(r))!;
const RATIO_TARGET = 3;
const RSS_TARGET_MB = 200;
const TODAY = '2026-11-22';

const args = process.argv.slice(2);
const runs = args.includes('--runs') ? Number(args[args.indexOf('--runs') + 1]) : args.includes('--quick') ? 5 : 9;

interface CheckStats {
  phases: Record<string, number>;
  maxRssKB: number;
  files: number;
  scan: { read: number; bytes: number; decoded: number; withRefs: number; parsed: number };
  anchors: number;
  parser?: { parses: number };
}

function corpusSize(): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile()) {
        files++;
        bytes += fs.statSync(full).size;
      }
    }
  };
  walk(CORPUS);
  return { files, bytes };
}

function main(): void {
  if (!corpusReady('check')) return;
  const injected = JSON.parse(fs.readFileSync(path.join(CORPUS, '.insights'), 'utf8').split('\n')[1]) as { files: number; tags: number; problems: number; anchors: number };
  const size = corpusSize();
  const statsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-check-bench-')), 'stats.json');
  const checkArgs = [CLI, 'check', '--root', CORPUS, '--today', TODAY];
  const rgArgs = ['-c', '@why', CORPUS, '--no-ignore'];
  const rgPolicyArgs = [...rgArgs, ...[...SKIPPED_DIRECTORY_NAMES].flatMap((d) => ['-g', `!${d}/`])];

  const checkOnce = () => {
    const r = spawnTimed(process.execPath, checkArgs, { env: { ...process.env, CUSTOMER_LENS_STATS: statsFile } });
    if (r.status !== 0 && r.status !== 1) throw new Error(`check exited ${r.status}: ${r.stderr}`);
    return { ms: r.ms, stats: JSON.parse(fs.readFileSync(statsFile, 'utf8')) as CheckStats, stdout: r.stdout };
  };
  const rgOnce = (argv: string[]) => {
    const r = spawnTimed(RG, argv);
    if (r.status !== 0 && r.status !== 1) throw new Error(`rg exited ${r.status}: ${r.stderr}`);
    return { ms: r.ms, hits: r.stdout.split('\n').filter(Boolean).reduce((n, l) => n + Number(l.slice(l.lastIndexOf(':') + 1)), 0) };
  };

  // Warm-up: the page cache and both programs' first runs.
  const first = checkOnce();
  const rgFirst = rgOnce(rgArgs);
  rgOnce(rgPolicyArgs);

  const check: number[] = [];
  const rg: number[] = [];
  const rgPolicy: number[] = [];
  const rss: number[] = [];
  const phases: Record<string, number[]> = {};
  for (let i = 0; i < runs; i++) {
    const c = checkOnce();
    check.push(c.ms);
    rss.push(c.stats.maxRssKB / 1024);
    for (const [k, v] of Object.entries(c.stats.phases)) (phases[k] ??= []).push(v);
    rg.push(rgOnce(rgArgs).ms);
    rgPolicy.push(rgOnce(rgPolicyArgs).ms);
  }

  const med = (xs: number[]) => stats(xs).median;
  const ratio = med(check) / med(rg);
  const peak = Math.max(...rss);
  const summary = first.stdout.trimEnd().split('\n').pop();
  const load = os.loadavg()[0];
  console.log(`\ncustomer-lens check on bench-data/corpus (${runs} runs each, interleaved; medians):`);
  console.log(`  corpus: ${size.files.toLocaleString('en-US')} files, ${(size.bytes / 1e6).toFixed(0)} MB; ` +
    `${injected.tags} @why tags in ${injected.files} files (rg counts ${rgFirst.hits}), ${injected.problems} problems, ${injected.anchors} anchors`);
  console.log(`  check scans ${first.stats.files.toLocaleString('en-US')} files (the rest are in skipped directories: ${[...SKIPPED_DIRECTORY_NAMES].filter((d) => d === 'dist' || d === 'build').join(', ')}…), ` +
    `reads ${(first.stats.scan.bytes / 1e6).toFixed(0)} MB, decodes ${first.stats.scan.decoded}, parses ${first.stats.parser?.parses ?? 0} anchored files`);
  console.log(`  check says: ${summary}`);
  console.log(table(['', 'median ms', 'min ms', 'p95 ms'], [
    ['customer-lens check (whole process)', fmt(med(check)), fmt(stats(check).min), fmt(stats(check).p95)],
    ...['open', 'anchors', 'scan'].filter((k) => phases[k]).map((k) => [`  ${k === 'open' ? 'listing + insights file' : k === 'anchors' ? 'anchors (reads + tree-sitter)' : 'scan (read, prefilter, tags)'}`, fmt(med(phases[k])), fmt(stats(phases[k]).min), fmt(stats(phases[k]).p95)]),
    [`rg -c '@why' --no-ignore`, fmt(med(rg)), fmt(stats(rg).min), fmt(stats(rg).p95)],
    ['  rg, the checker\'s skipped directories excluded', fmt(med(rgPolicy)), fmt(stats(rgPolicy).min), fmt(stats(rgPolicy).p95)],
  ]).split('\n').map((l) => `  ${l}`).join('\n'));
  console.log(`  ratio check / rg: ${ratio.toFixed(2)}x (target <= ${RATIO_TARGET}x: ${ratio <= RATIO_TARGET ? 'met' : 'MISSED'}); ` +
    `check / rg over the same files: ${(med(check) / med(rgPolicy)).toFixed(2)}x`);
  console.log(`  peak RSS of check: ${peak.toFixed(0)} MB (median ${med(rss).toFixed(0)} MB; target <= ${RSS_TARGET_MB} MB: ${peak <= RSS_TARGET_MB ? 'met' : 'MISSED'})`);
  if (load > os.cpus().length * 0.75) console.log(`  (load average ${load.toFixed(1)} on ${os.cpus().length} cores: other jobs share the machine, wall times are inflated)`);
  fs.rmSync(path.dirname(statsFile), { recursive: true, force: true });
}

main();
