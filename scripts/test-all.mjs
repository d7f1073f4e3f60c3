#!/usr/bin/env node
// THE test command (`npm test`). Runs, in order:
//   typecheck    npm run typecheck
//   build        npm run build                      (the extension bundle, dist/)
//   unit         npm run test:unit                  (mocha; counted through test/runners/mocha-summary-reporter.cjs)
//   cli          npm run test:cli                   (only if that script exists)
//   integration  offline runner: the mocha suite inside a real VS Code (code-server 4.100.3 in headless
//                Chromium), on examples/acme-shop and on examples/acme.code-workspace
//   ui           offline runner: the UI scenarios test/ui/*.ui.mjs against the live workbench
// code-server is installed into .vscode-test/ on first use (a few minutes, once).
// Prints each stage's counts and, last, one line `N passed, N failed` summed over all stages. A stage
// that fails without counted tests (typecheck, build, a crash) counts as one failed.
// Exit: 0 when everything passed, 1 otherwise.
//
// Options: --skip <stage>[,<stage>...]   e.g. --skip typecheck,ui
//          --only <stage>[,<stage>...]
//          --grep <regex>                passed to the integration suite and UI scenarios
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STAGES = ['typecheck', 'build', 'unit', 'cli', 'integration', 'ui'];

function parseArgs(argv) {
  const o = { skip: new Set(), only: null, grep: undefined };
  for (let i = 0; i < argv.length; i++) {
    const list = () => new Set(String(argv[++i] || '').split(',').filter(Boolean));
    if (argv[i] === '--skip') o.skip = list();
    else if (argv[i] === '--only') o.only = list();
    else if (argv[i] === '--grep') o.grep = argv[++i];
    else { console.error(`unknown argument ${argv[i]}; stages: ${STAGES.join(', ')}`); process.exit(2); }
  }
  for (const s of [...o.skip, ...(o.only || [])]) if (!STAGES.includes(s)) { console.error(`unknown stage ${s}; stages: ${STAGES.join(', ')}`); process.exit(2); }
  return o;
}

const opts = parseArgs(process.argv.slice(2));
const scripts = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).scripts || {};
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-test-all-'));
const results = [];
const t0 = Date.now();

/** Runs a command with output shown live; resolves { code, output }. */
function sh(cmd, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (d) => { output += d; if (output.length > 2_000_000) output = output.slice(-1_000_000); };
    child.stdout.on('data', (d) => { process.stdout.write(d); keep(d); });
    child.stderr.on('data', (d) => { process.stderr.write(d); keep(d); });
    child.on('error', (e) => resolve({ code: 127, output: `${output}\n${e.message}` }));
    child.on('close', (code, sig) => resolve({ code: sig ? 128 : code, output }));
  });
}

/** Counts from a test runner's text output, if it printed any known summary. */
function countsFromOutput(out) {
  const text = out.replace(/\x1b\[[0-9;]*m/g, '');
  let m = [...text.matchAll(/^(?:\w+: )?(\d+) passed, (\d+) failed/gm)].pop();
  if (m) return { passed: +m[1], failed: +m[2] };
  const passing = [...text.matchAll(/^\s*(\d+) passing/gm)].pop();
  if (passing) {
    const failing = [...text.matchAll(/^\s*(\d+) failing/gm)].pop();
    return { passed: +passing[1], failed: failing ? +failing[1] : 0 };
  }
  const pass = [...text.matchAll(/^# pass (\d+)/gm)].pop();
  const fail = [...text.matchAll(/^# fail (\d+)/gm)].pop();
  if (pass || fail) return { passed: pass ? +pass[1] : 0, failed: fail ? +fail[1] : 0 };
  return undefined;
}

function wanted(stage) {
  return !opts.skip.has(stage) && (!opts.only || opts.only.has(stage));
}

async function stage(name, fn) {
  if (!wanted(name)) { results.push({ name, note: 'skipped (option)' }); return; }
  console.log(`\n\u25b6 ${name}`);
  const ts = Date.now();
  let r;
  try {
    r = await fn();
  } catch (e) {
    r = { passed: 0, failed: 1, note: `crashed: ${e.message}` };
  }
  r.seconds = (Date.now() - ts) / 1000;
  results.push({ name, ...r });
  const counted = r.passed !== undefined ? `${r.passed} passed, ${r.failed} failed` : r.failed ? 'FAILED' : r.note || 'ok';
  console.log(`\u25c0 ${name}: ${counted}${r.note && r.passed !== undefined ? ` (${r.note})` : ''} in ${r.seconds.toFixed(1)} s`);
}

/** A stage without test counts: ok, or one failure. */
async function plain(cmd, args) {
  const { code } = await sh(cmd, args);
  return code === 0 ? { ok: true } : { failed: 1, note: `exit ${code}` };
}

/** Counts from a summary file if the runner wrote one, else from its output; a bad exit adds a failure. */
function counted({ code, output }, summaryFile, pick = (j) => j) {
  let c;
  try { c = pick(JSON.parse(fs.readFileSync(summaryFile, 'utf8'))); } catch { c = undefined; }
  if (!c) c = countsFromOutput(output);
  if (!c) return code === 0 ? { passed: 1, failed: 0, note: 'no counts; exit 0' } : { passed: 0, failed: 1, note: `no counts; exit ${code}` };
  const r = { passed: c.passed ?? c.passes ?? 0, failed: c.failed ?? c.failures ?? 0 };
  if (code !== 0 && r.failed === 0) { r.failed = 1; r.note = `exit ${code} without a failed test`; }
  return r;
}

await stage('typecheck', () => plain('npm', ['run', '--silent', 'typecheck']));
let buildOk = true;
await stage('build', async () => { const r = await plain('npm', ['run', '--silent', 'build']); buildOk = !r.failed; return r; });

await stage('unit', async () => {
  if (!scripts['test:unit']) return { note: 'no test:unit script' };
  const summary = path.join(tmp, 'unit.json');
  const res = await sh('npm', ['run', '--silent', 'test:unit', '--', '--reporter', './test/runners/mocha-summary-reporter.cjs'],
    { CUSTOMER_LENS_MOCHA_SUMMARY: summary });
  if (!fs.existsSync(summary) && /No test files found/.test(res.output)) return { passed: 0, failed: 0, note: 'no unit tests found' };
  return counted(res, summary, (j) => ({ passed: j.passes, failed: j.failures }));
});

await stage('cli', async () => {
  if (!scripts['test:cli']) return { note: 'no test:cli script' };
  return counted(await sh('npm', ['run', '--silent', 'test:cli']), path.join(tmp, 'none.json'));
});

const runner = path.join('test', 'runners', 'offline', 'run.mjs');
const grepArgs = opts.grep ? ['--grep', opts.grep] : [];
await stage('integration', async () => {
  if (!buildOk) return { passed: 0, failed: 1, note: 'not run: the build failed' };
  const compiled = await sh('node', ['esbuild.js', '--tests']);
  if (compiled.code !== 0) return { passed: 0, failed: 1, note: 'compiling the tests failed' };
  const summary = path.join(tmp, 'integration.json');
  return counted(await sh('node', [runner, '--workspace', 'examples/acme-shop', '--workspace', 'examples/acme.code-workspace',
    '--summary', summary, ...grepArgs]), summary, (j) => j.integration);
});

await stage('ui', async () => {
  if (!buildOk) return { passed: 0, failed: 1, note: 'not run: the build failed' };
  const summary = path.join(tmp, 'ui.json');
  return counted(await sh('node', [runner, '--ui-only', '--summary', summary, ...grepArgs]), summary, (j) => j.ui);
});

fs.rmSync(tmp, { recursive: true, force: true });
let passed = 0; let failed = 0;
console.log(`\n== test summary (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
for (const r of results) {
  passed += r.passed || 0; failed += r.failed || 0;
  const what = r.passed !== undefined ? `${r.passed} passed, ${r.failed} failed` : r.failed ? 'FAILED' : r.note || 'ok';
  const extra = [r.passed !== undefined ? r.note : undefined, r.failed && r.passed === undefined ? r.note : undefined,
    r.seconds !== undefined ? `${r.seconds.toFixed(1)} s` : undefined].filter(Boolean).join(', ');
  console.log(`  ${r.name.padEnd(12)} ${what}${extra ? `  (${extra})` : ''}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
