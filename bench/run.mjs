#!/usr/bin/env node
// `npm run bench`: generates bench-data/ when missing (scripts/generate-insights.mjs), bundles the
// benchmarks with esbuild to out/bench/, and runs them:
//   1. bench/bench.ts   the core: load vs JSON.parse and the bare yaml parse, search
//   2. bench/editor.ts  the editor side: hover, CodeLens, tree, link, host stall during a reload
//   3. bench/vscode.mjs in a real VS Code (code-server): activate() time and host stalls
//
//   npm run bench -- [--sizes realistic,large] [--only load|search] [--quick] [--no-cold]
//                    [--no-vscode] [--profile]   (--profile writes V8 CPU profiles to bench-data/profiles/)
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import esbuild from 'esbuild';
import { writeData } from '../scripts/generate-insights.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const profile = args.includes('--profile');
const inVSCode = !args.includes('--no-vscode');
const forwarded = args.filter((a) => a !== '--profile' && a !== '--no-vscode');
const sizesArg = forwarded.includes('--sizes') ? forwarded[forwarded.indexOf('--sizes') + 1] : 'realistic,large,huge';

writeData(path.join(root, 'bench-data'), { log: (s) => console.log(s) });

const outdir = path.join(root, 'out', 'bench');
const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: 'linked', sourcesContent: false, logLevel: 'warning' };
await Promise.all([
  esbuild.build({ ...common, entryPoints: [path.join(root, 'bench', 'bench.ts'), path.join(root, 'bench', 'editor.ts')], outdir }),
  esbuild.build({ ...common, entryPoints: [path.join(root, 'bench', 'hostProbe.ts')], outdir, external: ['vscode'] }),
  // The extension itself (and its parse worker), as the editor benchmark and VS Code load it.
  esbuild.build({ ...common, entryPoints: { extension: path.join(root, 'src', 'extension.ts'), loadWorker: path.join(root, 'src', 'worker', 'loadWorker.ts'), codeWorker: path.join(root, 'src', 'worker', 'codeWorker.ts') }, outdir: path.join(root, 'dist'), external: ['vscode'] }),
]);

const nodeArgs = ['--enable-source-maps'];
if (profile) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${path.join(root, 'bench-data', 'profiles')}`);
let status = 0;
for (const [script, extra] of [['bench.js', forwarded], ['editor.js', ['--sizes', sizesArg]]]) {
  const r = spawnSync(process.execPath, [...nodeArgs, path.join(outdir, script), ...extra], { stdio: 'inherit', cwd: root });
  status ||= r.status ?? 1;
}

if (inVSCode) {
  const { benchInVSCode } = await import('./vscode.mjs');
  console.log('\nIn a real VS Code (code-server 4.100.3, one session per size):');
  const sizes = sizesArg.split(',').filter(Boolean);
  const results = await benchInVSCode(sizes, { log: () => {} });
  const fmt = (v) => (typeof v === 'number' ? v.toFixed(1) : '-');
  console.log(`  ${'size'.padEnd(10)} ${'activate()'.padStart(11)} ${'first load'.padStart(11)} ${'problems'.padStart(9)} ${'stall, reload'.padStart(14)} ${'stall, edit'.padStart(12)}`);
  for (const size of sizes) {
    const r = results[size] ?? {};
    if (r.error) console.log(`  ${size.padEnd(10)} error: ${String(r.error).split('\n')[0]}`);
    else console.log(`  ${size.padEnd(10)} ${fmt(r.activationMs).padStart(11)} ${fmt(r.firstLoadMs).padStart(11)} ${String(r.problems).padStart(9)} ${fmt(r.reloadStallMs).padStart(14)} ${fmt(r.editStallMs).padStart(12)}`);
  }
  console.log('  (ms; stalls: the longest block of the extension host\'s thread during a reload / an unsaved edit, median of 5;');
  console.log('   a file over customerLens.maxFileSizeKB, 5 MB by default, is refused unread and shows 0 problems)');
  for (const size of sizes) {
    const r = results[size] ?? {};
    if (typeof r.activationMs === 'number') console.log(`  activate() at ${size}: ${fmt(r.activationMs)} ms (target < 20 ms: ${r.activationMs < 20 ? 'met' : 'MISSED'})`);
    if (size !== 'huge' && typeof r.reloadStallMs === 'number') {
      const worst = Math.max(r.reloadStallMs, r.editStallMs ?? 0);
      console.log(`  host stall at ${size}: ${fmt(worst)} ms (target < 20 ms: ${worst < 20 ? 'met' : 'MISSED'})`);
    }
  }
}
process.exitCode = status;
