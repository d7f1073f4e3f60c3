// Bundles the extension, its load worker and the CLI to CommonJS ('vscode' stays external), and
// compiles the tests. `--production` minifies without sourcemaps; development builds carry sourcemaps.
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const tests = process.argv.includes('--tests');

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Sources import the API as `import vscode = require('vscode')`: a namespace import would bundle
  // to a copy of the whole API at every import site while the extension loads.
  external: ['vscode'],
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'warning',
};

/** Every `*.ts` file below `dir` (recursively). */
function tsFilesUnder(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => path.join(dir, f));
}

const builds = [
  { ...common, entryPoints: { extension: 'src/extension.ts', loadWorker: 'src/worker/loadWorker.ts', codeWorker: 'src/worker/codeWorker.ts' }, outdir: 'dist' },
  { ...common, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
];
if (tests) {
  // Tests are compiled file by file; npm packages stay external so mocha and fixtures load normally.
  builds.push({
    ...common, minify: false, sourcemap: 'inline', packages: 'external',
    entryPoints: [...tsFilesUnder('test/unit'), ...tsFilesUnder('test/cli'), ...tsFilesUnder('test/integration'), ...tsFilesUnder('test/runners')],
    outbase: 'test', outdir: 'out/test', external: ['vscode', '*/extension', 'mocha'],
  });
}

/** The tree-sitter runtime and grammars (WASM), next to the bundles that load them (src/syntax/treeSitter.ts). */
function copyTreeSitterWasm() {
  const from = path.join('node_modules', '@vscode', 'tree-sitter-wasm', 'wasm');
  if (!fs.existsSync(from)) return;
  const to = path.join('dist', 'tree-sitter');
  fs.mkdirSync(to, { recursive: true });
  for (const f of fs.readdirSync(from)) if (f.endsWith('.wasm')) fs.copyFileSync(path.join(from, f), path.join(to, f));
}

async function main() {
  copyTreeSitterWasm();
  const existing = builds.filter((b) => entryExists(b.entryPoints));
  if (watch) {
    for (const b of existing) await (await esbuild.context(b)).watch();
    console.log('[esbuild] watching');
    return;
  }
  await Promise.all(existing.map((b) => esbuild.build(b)));
  if (fs.existsSync('dist/cli.js')) fs.chmodSync('dist/cli.js', 0o755);
}

function entryExists(entries) {
  const list = Array.isArray(entries) ? entries : Object.values(entries);
  return list.length > 0 && list.every((e) => fs.existsSync(e));
}

main().catch((e) => { console.error(e); process.exit(1); });
