// The real-VS-Code part of `npm run bench`. Each session is a throwaway code-server (the offline
// test runner's) that opens a workspace with the extension under development and bench/hostProbe.ts
// as the test entry; the probe measures inside the extension host and writes JSON.
//
//  - benchInVSCode(sizes): bench-data/<size>/ (one generated insights file): activate() time, and
//    the longest block of the host's thread during a reload and during an unsaved edit of the
//    insights file.
//  - benchCorpusInVSCode(): the real-code corpus (bench/corpus.mjs: 14,148 files of npm packages,
//    ~300 `@why` tags, customer-insights.yaml at its root), then examples/acme-shop for comparison.
//    The extension must not activate before the probe starts measuring, so the session opens a
//    mirror of the corpus, bench-data/corpus-vscode/ (hard links to the corpus's files, rebuilt on
//    every run) without the insights file; the probe copies the insights file in and activates the
//    extension itself. See bench/hostProbe.ts for what it measures.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { ensureCodeServer, checkPrerequisites, CHROMIUM, REPO } from '../test/runners/offline/install.mjs';
import { startCodeServer, prepareUserDataDir, sleep } from '../test/runners/offline/server.mjs';

/** No session may take longer than this (the corpus session takes about a minute on 2 cores). */
const SESSION_TIMEOUT_MS = 300_000;
export const CORPUS_MIRROR = path.join(REPO, 'bench-data', 'corpus-vscode');
/** Files of the corpus root that are not part of the workspace the editor sees. */
const CORPUS_ONLY = new Set(['customer-insights.yaml', '.complete', '.insights']);
/** What the scanner skips (src/core/scanPolicy.ts): the edited file must be one the index covers. */
const SKIPPED_DIRS = new Set(['node_modules', 'bower_components', 'jspm_packages', '.venv', 'venv', '__pycache__', '.git', '.hg', '.svn',
  'dist', 'out', 'build', 'target', '.next', '.nuxt', 'coverage', '.cache']);
const MAX_CODE_FILE_BYTES = 1024 * 1024;
const CODE_FILE = /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/;

async function launch() {
  checkPrerequisites();
  const bin = await ensureCodeServer({ log: () => {} });
  const browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return { bin, browser };
}

/**
 * One code-server session on `workspace` running the probe; resolves with the probe's JSON.
 * `plan` reaches the probe as CUSTOMER_LENS_BENCH_PLAN; `settings` are added to the user settings.
 */
async function session({ bin, browser }, { name, workspace, plan, settings = {}, env: extraEnv = {} }) {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), `customer-lens-bench-${name}-`));
  const resultFile = path.join(runDir, 'bench.json');
  const udd = path.join(runDir, 'udd');
  prepareUserDataDir(udd);
  const settingsFile = path.join(udd, 'User', 'settings.json');
  fs.writeFileSync(settingsFile, JSON.stringify({ ...JSON.parse(fs.readFileSync(settingsFile, 'utf8')), ...settings }, null, 2));
  let server;
  let context;
  try {
    const env = { ...extraEnv, CUSTOMER_LENS_BENCH_RESULT: resultFile };
    if (plan) env.CUSTOMER_LENS_BENCH_PLAN = JSON.stringify(plan);
    server = await startCodeServer({ bin, runDir, userDataDir: udd, extensionsDir: path.join(runDir, 'extensions'), env });
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const exited = new Promise((resolve) => { page.exposeFunction('codeAutomationExit', (code) => resolve(code)).catch(() => {}); });
    await page.goto(server.url({
      workspace,
      extensionDevelopmentPath: REPO,
      extensionTestsPath: path.join(REPO, 'out', 'bench', 'hostProbe'),
    }));
    const code = await Promise.race([exited, sleep(SESSION_TIMEOUT_MS).then(() => 'timeout')]);
    return fs.existsSync(resultFile) ? JSON.parse(fs.readFileSync(resultFile, 'utf8')) : { error: `no result (exit ${code})` };
  } finally {
    await context?.close().catch(() => {});
    await server?.stop();
    fs.rmSync(runDir, { recursive: true, force: true });
  }
}

export async function benchInVSCode(sizes, { log = console.log } = {}) {
  const env = await launch();
  const results = {};
  try {
    for (const size of sizes) {
      results[size] = await session(env, { name: size, workspace: path.join(REPO, 'bench-data', size) });
      log(`  ${size}: done`);
    }
  } finally {
    await env.browser.close();
  }
  return results;
}

/**
 * The corpus session and the example's hover session. Resolves { corpus, example, workspace }:
 * the probe's JSON of each, and what was measured where (files, tags, the edited file).
 */
export async function benchCorpusInVSCode({ log = console.log, profileDir, typescript = false } = {}) {
  const corpusModule = await import('./corpus.mjs');
  if (typeof corpusModule.injectInsights !== 'function') {
    throw new Error('bench/corpus.mjs has no injectInsights(): the corpus has no customer-insights.yaml and tags to measure');
  }
  const corpus = corpusModule.ensureCorpus({ log });
  corpusModule.injectInsights({ log: () => {} });
  const insights = path.join(corpus, 'customer-insights.yaml');
  if (!fs.existsSync(insights)) throw new Error(`${insights} is missing after bench/corpus.mjs`);
  const t0 = Date.now();
  const mirror = mirrorCorpus(corpus, CORPUS_MIRROR);
  log(`  corpus mirror: ${mirror.files} files (${(mirror.bytes / 1e6).toFixed(0)} MB) linked into ${path.relative(REPO, CORPUS_MIRROR)} in ${Date.now() - t0} ms`);
  const target = largestTaggedFile(CORPUS_MIRROR);
  if (!target) throw new Error('no file of the corpus holds a @why tag');
  const defined = new Set([...fs.readFileSync(insights, 'utf8').matchAll(/^\s*- id: (\S+)/gm)].map((m) => m[1]));
  const hover = tagPosition(path.join(CORPUS_MIRROR, target.file), (id) => defined.has(id));
  if (!hover) throw new Error(`${target.file} has no @why tag naming a problem of the insights file`);
  const example = path.join(REPO, 'examples', 'acme-shop');
  const exampleHover = tagPosition(path.join(example, 'src', 'export', 'csv.ts'), (id) => id === 'P-12');
  const editFileAnchored = new RegExp(`^\\s*-?\\s*path: ${target.file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`, 'm').test(fs.readFileSync(insights, 'utf8'));
  const workspace = { files: mirror.files, bytes: mirror.bytes, tags: countTags(CORPUS_MIRROR), editFile: target.file, editBytes: target.bytes, editFileAnchored, hover };

  // VS Code's own TypeScript support shares the extension host: on every edit of a 600 KB file its
  // outline (document symbols) blocks the host for a few hundred milliseconds, and its tsserver
  // loads the corpus as a project. By default it stays out of these sessions, so that the figures
  // are Customer Lens's: code files open as plain text (code-server has no --disable-extension;
  // Customer Lens picks its grammar from the file name, never from the language id). With
  // `typescript` it runs, on its syntax-only server (no project).
  const plain = Object.fromEntries(['*.ts', '*.tsx', '*.mts', '*.cts', '*.js', '*.jsx', '*.mjs', '*.cjs'].map((glob) => [glob, 'plaintext']));
  const settings = typescript ? { 'typescript.tsserver.useSyntaxServer': 'always' } : { 'files.associations': plain };
  const env = await launch();
  try {
    const results = { workspace, typescript };
    results.corpus = await session(env, {
      name: 'corpus', workspace: CORPUS_MIRROR, settings, env: profileDir ? { CUSTOMER_LENS_BENCH_PROFILE: profileDir } : {},
      plan: { mode: 'corpus', insights, editFile: target.file, editFileAnchored: workspace.editFileAnchored, hover: { ...hover, file: target.file } },
    });
    log('  corpus: done');
    results.example = await session(env, {
      name: 'example', workspace: example, settings,
      plan: { mode: 'hover', hover: { ...exampleHover, file: 'src/export/csv.ts' } },
    });
    log('  examples/acme-shop: done');
    // Every figure the probes wrote, for a closer look.
    fs.writeFileSync(path.join(REPO, 'bench-data', 'vscode-corpus.json'), `${JSON.stringify(results, null, 2)}\n`);
    return results;
  } finally {
    await env.browser.close();
    // The insights file the probe copied in: the mirror opens without it next time.
    fs.rmSync(path.join(CORPUS_MIRROR, 'customer-insights.yaml'), { force: true });
  }
}

/** Rebuilds `to` as a tree of hard links to the files of `from` (copies across file systems). */
function mirrorCorpus(from, to) {
  fs.rmSync(to, { recursive: true, force: true });
  fs.mkdirSync(to, { recursive: true });
  let files = 0;
  let bytes = 0;
  const walk = (rel) => {
    for (const entry of fs.readdirSync(path.join(from, rel), { withFileTypes: true })) {
      const r = path.join(rel, entry.name);
      if (rel === '' && CORPUS_ONLY.has(entry.name)) continue;
      const src = path.join(from, r);
      const dst = path.join(to, r);
      if (entry.isDirectory()) {
        fs.mkdirSync(dst);
        walk(r);
      } else if (entry.isSymbolicLink()) {
        fs.symlinkSync(fs.readlinkSync(src), dst);
      } else if (entry.isFile()) {
        try {
          fs.linkSync(src, dst);
        } catch (e) {
          if (e.code !== 'EXDEV') throw e;
          fs.copyFileSync(src, dst);
        }
        files++;
        bytes += fs.statSync(src).size;
      }
    }
  };
  walk('');
  return { files, bytes };
}

/** Code files the index scans (the scanner's skip rules, code extensions only), relative paths. */
function codeFiles(root) {
  const out = [];
  const walk = (rel) => {
    for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory() && !SKIPPED_DIRS.has(entry.name)) walk(r);
      else if (entry.isFile() && CODE_FILE.test(entry.name)) out.push(r);
    }
  };
  walk('');
  return out.sort();
}

const TAG = /@why:?\s+([A-Za-z][\w.-]*)/;

/** The largest code file of at most 1 MB (what the index scans) holding a `@why` tag. */
function largestTaggedFile(root) {
  let best;
  for (const file of codeFiles(root)) {
    const bytes = fs.statSync(path.join(root, file)).size;
    if (bytes > MAX_CODE_FILE_BYTES || (best && bytes <= best.bytes)) continue;
    if (TAG.test(fs.readFileSync(path.join(root, file), 'utf8'))) best = { file, bytes };
  }
  return best;
}

function countTags(root) {
  let tags = 0;
  for (const file of codeFiles(root)) {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    if (text.includes('@why')) tags += text.split('\n').filter((l) => TAG.test(l)).length;
  }
  return tags;
}

/** The first `@why` tag of a file whose id passes `wanted`: 0-based line, a character inside the id, the id. */
function tagPosition(file, wanted) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  for (let line = 0; line < lines.length; line++) {
    const m = TAG.exec(lines[line]);
    if (m && wanted(m[1])) return { line, character: m.index + m[0].length - m[1].length + 1, id: m[1] };
  }
  return undefined;
}

/**
 * `npm run bench`'s corpus part: the core's hover figure (bench/editor.ts at the large size, run
 * quietly: out/bench/editor.js must be built), the corpus and example sessions, and their table.
 * Returns the exit status (1 when a session failed).
 */
export async function runCorpusBench({ nodeArgs = [], profile = false, typescript = false } = {}) {
  console.log('\nIn a real VS Code on the real-code corpus (code-server 4.100.3; bench/hostProbe.ts measures in the extension host):');
  const editor = spawnSync(process.execPath, [...nodeArgs, path.join(REPO, 'out', 'bench', 'editor.js'), '--sizes', 'large'], { cwd: REPO, encoding: 'utf8' });
  const core = /hover at the large size: ([\d.]+) ms/.exec(editor.stdout ?? '');
  let r;
  try {
    const profileDir = profile ? path.join(REPO, 'bench-data', 'profiles') : undefined;
    r = await benchCorpusInVSCode({ log: (s) => console.log(s), profileDir, typescript });
    if (profileDir) console.log(`  CPU profiles of the extension host: ${path.relative(REPO, profileDir)}/corpus-scan.cpuprofile, corpus-edit.cpuprofile`);
  } catch (e) {
    r = { error: e };
  }
  return printCorpus(r, core ? Number(core[1]) : undefined);
}

function printCorpus(r, coreHover) {
  if (r.error) {
    console.log(`  error: ${String(r.error?.stack ?? r.error).split('\n').slice(0, 3).join('\n  ')}`);
    return 1;
  }
  const c = r.corpus ?? {};
  const e = r.example ?? {};
  const w = r.workspace;
  const n = (v, digits = 1) => (typeof v === 'number' ? v.toFixed(digits) : '-');
  const verdict = (v, target) => (typeof v !== 'number' ? '' : v <= target ? 'met' : 'MISSED');
  console.log(`  workspace: ${w.files.toLocaleString('en')} files, ${(w.bytes / 1e6).toFixed(0)} MB, ${w.tags} @why tags, ${c.problems ?? '-'} problems`);
  for (const [name, s] of [['corpus', c], ['examples/acme-shop', e]]) {
    if (s.error) console.log(`  ${name}: error: ${String(s.error).split('\n').slice(0, 4).join('\n    ')}`);
  }
  const rows = [
    ['activate()', n(c.activationMs), ''],
    ['activation -> insights file loaded (api.snapshot)', n(c.insightsLoadedMs, 0), ''],
    ['activation -> Problems tree lists the problems', n(c.treeMs, 0), `target <= 3000 ms: ${verdict(c.treeMs, 3000)}`],
    ['activation -> code index ready (api.whenIdle)', n(c.indexReadyMs, 0), ''],
    ['activation -> every problem in the tree shows its code links', n(c.treeCodeMs, 0), ''],
    ['host block, activation + first code scan', n(c.scanStallMs), `target <= 20 ms: ${verdict(c.scanStallMs, 20)}; on CPU: ${n(c.scanStallCpuMs)} ms`],
    [`host block, unsaved edit of ${path.basename(w.editFile)} (${(w.editBytes / 1024).toFixed(0)} KB), median of 5`, n(c.editStallMs), `target <= 20 ms: ${verdict(c.editStallMs, 20)}; on CPU: ${n(c.editStallCpuMs)} ms`],
    ['  typed line -> gutter marks moved, median of 5', n(c.editMarksMs, 0), ''],
    ['  typed line -> workspace index (Find All References) moved, median of 5', n(c.editIndexMs, 0), ''],
    [`  typed line -> all settled${w.editFileAnchored ? ' (anchors checked again too)' : ''}, median of 5`, n(c.editSettleMs, 0), ''],
    [`hover on @why ${w.hover.id} in ${path.basename(w.editFile)}, median of 20`, n(c.hoverMs, 2), `fastest ${n(c.hoverMinMs, 2)} ms; first after opening: ${n(c.hoverFirstMs, 0)} ms`],
    ['hover on @why P-12 in examples/acme-shop csv.ts, median of 20', n(e.hoverMs, 2), `fastest ${n(e.hoverMinMs, 2)} ms; first after opening: ${n(e.hoverFirstMs, 0)} ms`],
    ['  the same request on an empty line, corpus / example (nothing answers)', `${n(c.hoverEmptyLineMs, 2)} / ${n(e.hoverEmptyLineMs, 2)}`,
      `fastest ${n(c.hoverEmptyLineMinMs, 2)} / ${n(e.hoverEmptyLineMinMs, 2)} ms: VS Code's own round trip`],
    ['hover in the core (bench/editor.ts, large size)', n(coreHover, 3), `target <= 1 ms: ${verdict(coreHover, 1)}`],
  ];
  const width = Math.max(...rows.map((row) => row[0].length));
  for (const [what, value, note] of rows) console.log(`  ${what.padEnd(width)} ${value.padStart(13)} ms  ${note}`);
  const mb = (m) => (m ? `${m.rssMB.toFixed(0)} MB rss, ${m.heapUsedMB.toFixed(0)} MB heap` : '-');
  console.log(`  ${'extension host memory before activation'.padEnd(width)} ${mb(c.memoryBefore)}`);
  console.log(`  ${'extension host memory after the first code scan'.padEnd(width)} ${mb(c.memoryAfterScan)}`);
  console.log(`  (${w.editFile}. Hovers: vscode.executeHoverProvider, every hover provider included. VS Code's TypeScript`);
  console.log(r.typescript ? '   features on, with the syntax-only tsserver.' : '   features off: code opens as plain text (--with-typescript: on); they share the host\'s thread.');
  console.log('   Blocks: the longest gap of a 1 ms timer on the host\'s thread; "on CPU": how much of that gap the thread ran.)');
  if (c.clean === false) console.log('  WARNING: the edited file was not put back as it is on disk');
  if (typeof c.insightsDiagnosticsFewestDuringEdits === 'number' && c.insightsDiagnosticsFewestDuringEdits < c.insightsDiagnostics) {
    console.log(`  NOTE: while the anchors were checked again the Problems panel held ${c.insightsDiagnosticsFewestDuringEdits} of the insights file's ${c.insightsDiagnostics} diagnostics`);
  }
  return c.error || e.error ? 1 : 0;
}
