// What the benchmarks that run the CLI on the real-code corpus share (bench/check.ts,
// bench/impact.ts): where things are, a timed child process, and getting the corpus ready.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { now } from './timing';

export const ROOT = path.resolve(__dirname, '..', '..');
export const CORPUS = path.join(ROOT, 'bench-data', 'corpus');
export const CLI = path.join(ROOT, 'dist', 'cli.js');

export interface Run {
  ms: number;
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Wall milliseconds of one child process, and what it printed. */
export function spawnTimed(command: string, argv: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): Run {
  const t0 = now();
  const r = spawnSync(command, argv, { cwd: options.cwd ?? ROOT, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, env: options.env ?? process.env, input: options.input });
  const ms = now() - t0;
  if (r.error) throw r.error;
  return { ms, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Builds the corpus when missing and (idempotently) injects the tags and the insights file; false,
 * with the reason printed, when the corpus or the built CLI is not there.
 */
export function corpusReady(benchmark: string): boolean {
  const prepared = spawnSync(process.execPath, [path.join(ROOT, 'bench', 'corpus.mjs')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (prepared.status !== 0 || !fs.existsSync(path.join(CORPUS, 'customer-insights.yaml'))) {
    console.log(`${benchmark} benchmark: skipped, the corpus could not be prepared (node bench/corpus.mjs)`);
    return false;
  }
  if (!fs.existsSync(CLI)) {
    console.log(`${benchmark} benchmark: skipped, ${path.relative(ROOT, CLI)} is missing (npm run build)`);
    return false;
  }
  return true;
}
