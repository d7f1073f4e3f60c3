#!/usr/bin/env node
// `npm run bench`: generates bench-data/ when missing (scripts/generate-insights.mjs), bundles the
// benchmarks with esbuild to out/bench/, and runs them:
//   1. bench/bench.ts   the core: load vs JSON.parse and the bare yaml parse, search
//   2. bench/editor.ts  the editor side: hover, CodeLens, tree, link, host stall during a reload
//   3. bench/check.ts   `customer-lens check` on the real-code corpus (bench/corpus.mjs) against rg
//   4. bench/impact.ts  `customer-lens impact` on a 50-file, 2,000-line change of the corpus, against
//                       git diff and one check (the corpus made a git repository with GIT_DIR outside it)
//   5. bench/vscode.mjs in a real VS Code (code-server): activate() time and host stalls
//
//   bench/vscode.mjs runCorpusBench(): in a real VS Code on the real-code corpus (bench/corpus.mjs:
//      14,148 files of npm packages, ~300 @why tags, customer-insights.yaml; built on first use),
//      measured in the extension host by bench/hostProbe.ts: activation to the Problems tree listing
//      its problems and to the code index being ready, the longest host block during the first code
//      scan and during an unsaved edit of the largest tagged file, hover latency there and on
//      examples/acme-shop, the extension host's memory after the scan. Last in the output.
//      --only-vscode-corpus runs just that (about two minutes); --no-corpus skips it. VS Code's
//      TypeScript features are off in those sessions unless --with-typescript.
//
//   npm run bench -- [--sizes realistic,large] [--only load|search] [--quick] [--no-cold]
//                    [--only-vscode-corpus] [--no-corpus] [--with-typescript]
//                    [--no-vscode] [--no-check] [--no-impact] [--profile]   (--profile writes V8 CPU profiles to bench-data/profiles/)
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import esbuild from 'esbuild';
import { writeData } from '../scripts/generate-insights.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const profile = args.includes('--profile');
const inVSCode = !args.includes('--no-vscode');
const onlyCorpus = args.includes('--only-vscode-corpus');
const withCorpus = inVSCode && !args.includes('--no-corpus');
const withCheck = !args.includes('--no-check');
const withImpact = !args.includes('--no-impact');
const forwarded = args.filter((a) => a !== '--profile' && a !== '--no-vscode' && a !== '--no-check' && a !== '--no-impact');
const sizesArg = forwarded.includes('--sizes') ? forwarded[forwarded.indexOf('--sizes') + 1] : 'realistic,large,huge';

writeData(path.join(root, 'bench-data'), { log: (s) => console.log(s) });

const outdir = path.join(root, 'out', 'bench');
const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: 'linked', sourcesContent: false, logLevel: 'warning' };
await Promise.all([
  esbuild.build({ ...common, entryPoints: [path.join(root, 'bench', 'bench.ts'), path.join(root, 'bench', 'editor.ts'), path.join(root, 'bench', 'check.ts'), path.join(root, 'bench', 'impact.ts')], outdir }),
  // The CLI, which the check benchmark runs as a child process.
  esbuild.build({ ...common, entryPoints: { cli: path.join(root, 'src', 'cli', 'main.ts') }, outdir: path.join(root, 'dist'), banner: { js: '#!/usr/bin/env node' } }),
  esbuild.build({ ...common, entryPoints: [path.join(root, 'bench', 'hostProbe.ts')], outdir, external: ['vscode'] }),
  // Symbol anchors against the TypeScript compiler, loaded from node_modules as the reference.
  esbuild.build({ ...common, entryPoints: [path.join(root, 'bench', 'symbols.ts')], outdir, external: ['typescript'] }),
  // The extension itself (and its parse worker), as the editor benchmark and VS Code load it.
  esbuild.build({ ...common, entryPoints: { extension: path.join(root, 'src', 'extension.ts'), loadWorker: path.join(root, 'src', 'worker', 'loadWorker.ts'), codeWorker: path.join(root, 'src', 'worker', 'codeWorker.ts') }, outdir: path.join(root, 'dist'), external: ['vscode'] }),
]);

const nodeArgs = ['--enable-source-maps'];
if (profile) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${path.join(root, 'bench-data', 'profiles')}`);
if (onlyCorpus) {
  const { runCorpusBench } = await import('./vscode.mjs');
  process.exit(await runCorpusBench({ nodeArgs, profile, typescript: args.includes('--with-typescript') }));
}
let status = 0;
const scripts = [['bench.js', forwarded], ['editor.js', ['--sizes', sizesArg]]];
if (withCheck) scripts.push(['check.js', forwarded.includes('--quick') ? ['--quick'] : []]);
if (withImpact) scripts.push(['impact.js', forwarded.includes('--quick') ? ['--quick'] : []]);
for (const [script, extra] of scripts) {
  const r = spawnSync(process.execPath, [...nodeArgs, path.join(outdir, script), ...extra], { stdio: 'inherit', cwd: root });
  status ||= r.status ?? 1;
}
// bench/symbols.ts: tree-sitter declarations against the TypeScript compiler on the corpus (bench/corpus.mjs).
status ||= spawnSync(process.execPath, [...nodeArgs, '--expose-gc', path.join(outdir, 'symbols.js'), ...(forwarded.includes('--quick') ? ['--quick'] : [])], { stdio: 'inherit', cwd: root }).status ?? 1;

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
if (withCorpus) {
  const { runCorpusBench } = await import('./vscode.mjs');
  status ||= await runCorpusBench({ nodeArgs, profile, typescript: args.includes('--with-typescript') });
}
process.exitCode = status;
