// Compiles test/cli/**/*.ts to out/test/cli/ for `npm run test:cli`. (esbuild.js --tests compiles
// test/unit, test/integration and test/runners only; once it also compiles test/cli, this step can go.)
// npm packages stay external, as in esbuild.js, so mocha and node:* load normally.
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const entryPoints = fs.readdirSync(__dirname, { recursive: true })
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
  .map((f) => path.join(__dirname, f));

esbuild.build({
  entryPoints,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  external: ['vscode', 'mocha'],
  sourcemap: 'inline',
  sourcesContent: false,
  outbase: path.join(root, 'test'),
  outdir: path.join(root, 'out', 'test'),
  logLevel: 'warning',
}).catch((e) => {
  console.error(e);
  process.exit(1);
});
