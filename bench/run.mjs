#!/usr/bin/env node
// `npm run bench`: generates bench-data/ when missing (scripts/generate-insights.mjs), bundles
// bench/bench.ts with esbuild to out/bench/bench.js, and runs it.
//
//   npm run bench -- [--sizes realistic,large] [--only load|search] [--quick] [--no-cold]
//   npm run bench -- --profile [other flags]   also writes V8 CPU profiles to bench-data/profiles/
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import esbuild from 'esbuild';
import { writeData } from '../scripts/generate-insights.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const profile = args.includes('--profile');
const forwarded = args.filter((a) => a !== '--profile');

writeData(path.join(root, 'bench-data'), { log: (s) => console.log(s) });

const outfile = path.join(root, 'out', 'bench', 'bench.js');
await esbuild.build({
  entryPoints: [path.join(root, 'bench', 'bench.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  sourcesContent: false,
  logLevel: 'warning',
});

const nodeArgs = ['--enable-source-maps'];
if (profile) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${path.join(root, 'bench-data', 'profiles')}`);
const r = spawnSync(process.execPath, [...nodeArgs, outfile, ...forwarded], { stdio: 'inherit', cwd: root });
process.exitCode = r.status ?? 1;
