#!/usr/bin/env node
// Offline integration runner: a real VS Code (code-server 4.100.3 = VS Code 1.100.3 server and web
// workbench, cached in .vscode-test/) in headless Debian Chromium, driven by playwright-core.
//
//  1. The mocha suite (out/test/integration/index.js, compiled from test/integration/*.ts) runs
//     inside the real extension host, once per --workspace, each in its own throwaway code-server.
//     The workbench calls window.codeAutomationExit(code) when the suite ends; the suite writes a
//     JSON result file whose path it gets from the environment (code-server's env reaches the
//     extension host).
//  2. With --ui: UI scenarios (test/ui/*.ui.mjs) drive the live workbench from this process with
//     playwright, in a separate code-server session that loads the extension without a test entry.
//     Each module exports `async function run({ page, server, repo, workspace, screenshotDir, log,
//     assert, helpers })` and throws on failure; an optional `export const workspace = 'examples/...'`
//     picks the workspace it needs (default examples/acme-shop). Each scenario counts as one test.
//
// Usage:
//   node test/runners/offline/run.mjs [--workspace <folder|file.code-workspace>]... [--grep <regex>]
//        [--screenshots <dir>] [--keep] [--timeout <s>] [--ui] [--ui-only] [--summary <file.json>]
//        [--extension <dir>] [--verbose]
//   --workspace   repeatable; relative paths are taken from the repo root; default examples/acme-shop
//   --grep        only tests (full title) / scenarios (file name) matching; reaches the suite as
//                 CUSTOMER_LENS_TEST_GREP
//   --screenshots where to put screenshots (one per run, plus whatever scenarios take); reaches the
//                 suite as CUSTOMER_LENS_SCREENSHOT_DIR
//   --keep        keep the run folders (code-server.log, browser-console.log, result.json); a run that
//                 fails is always kept
//   --extension   extensionDevelopmentPath (default: the repo root)
//   --summary     write {integration:{passed,failed,skipped}, ui:{passed,failed}, exitCode} there
// Prints the suite's per-test lines, then `ui: N passed, N failed` (with --ui) and finally
// `integration: N passed, N failed` (without --ui-only).
// Exit: 0 all passed; 1 a test failed; 2 timeout, crash or harness error.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { ensureCodeServer, checkPrerequisites, CHROMIUM, REPO } from './install.mjs';
import { startCodeServer, prepareUserDataDir, sleep } from './server.mjs';

const USAGE = 'usage: run.mjs [--workspace <folder|.code-workspace>]... [--grep <re>] [--screenshots <dir>] [--keep] [--timeout <s>] [--ui|--ui-only] [--summary <file>] [--extension <dir>] [--verbose]';

function parseArgs(argv) {
  const o = { workspaces: [], grep: undefined, screenshots: undefined, keep: false, timeout: 480, ui: false, mocha: true,
    summary: undefined, extension: REPO, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => { if (i + 1 >= argv.length) throw new Error(`${a} needs a value\n${USAGE}`); return argv[++i]; };
    switch (a) {
      case '--workspace': o.workspaces.push(val()); break;
      case '--grep': o.grep = val(); break;
      case '--screenshots': o.screenshots = path.resolve(val()); break;
      case '--keep': o.keep = true; break;
      case '--timeout': o.timeout = Number(val()); break;
      case '--ui': o.ui = true; break;
      case '--ui-only': o.ui = true; o.mocha = false; break;
      case '--summary': o.summary = path.resolve(val()); break;
      case '--extension': o.extension = path.resolve(val()); break;
      case '--verbose': o.verbose = true; break;
      case '-h': case '--help': console.log(USAGE); process.exit(0); break;
      default: throw new Error(`unknown argument ${a}\n${USAGE}`);
    }
  }
  if (!o.workspaces.length) o.workspaces.push('examples/acme-shop');
  o.workspaces = o.workspaces.map((w) => path.resolve(REPO, w));
  return o;
}

const t0 = Date.now();
const stamp = () => `+${((Date.now() - t0) / 1000).toFixed(1)}s`;
const log = (s) => console.log(`[offline ${stamp()}] ${s}`);
const rel = (p) => (p.startsWith(REPO + path.sep) ? path.relative(REPO, p) : p);
const label = (ws) => path.basename(ws);

/** Cleans the workbench's console formatting: `%c[Extension Host] %ctext color: blue color: `. */
function consoleText(m) {
  return m.text()
    .replace(/^%c\[Extension Host\] %c([\s\S]*?) color: blue color: $/, '[Extension Host] $1')
    .replace(/^%c\s*(TRACE|DEBUG|INFO|WARN|ERR)\s+color: #[0-9a-f]+\s*/i, '$1 ');
}

async function launchBrowser() {
  // Playwright gives Chromium a fresh temporary profile itself.
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** One code-server + one page; `body` gets { server, page, consoleLog, runDir }. */
async function withSession({ opts, bin, browser, name, env, body }) {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), `customer-lens-${name}-`));
  const udd = path.join(runDir, 'udd');
  prepareUserDataDir(udd);
  let server; let context; let ok = false;
  const consoleFile = path.join(runDir, 'browser-console.log');
  const consoleStream = fs.createWriteStream(consoleFile);
  try {
    server = await startCodeServer({ bin, runDir, userDataDir: udd, extensionsDir: path.join(runDir, 'extensions'),
      env: { ...env, CUSTOMER_LENS_TEST_RESULT_FILE: path.join(runDir, 'result.json') } });
    log(`code-server up on ${server.host} in ${server.startMs} ms (run folder ${runDir})`);
    context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (e) => consoleStream.write(`[pageerror] ${e.message}\n`));
    ok = await body({ server, page, runDir, consoleStream });
    return ok;
  } finally {
    await context?.close().catch(() => {});
    await server?.stop();
    consoleStream.end();
    if (opts.keep || !ok) log(`kept ${runDir} (code-server.log, browser-console.log${opts.mocha ? ', result.json' : ''})`);
    else fs.rmSync(runDir, { recursive: true, force: true });
  }
}

async function shoot(page, dir, name) {
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file }).then(() => log(`screenshot ${rel(file)}`), () => {});
}

/** Lines of the run's extension host logs in which VS Code warns about this extension. */
function extensionWarnings(runDir) {
  const found = [];
  const logs = path.join(runDir, 'udd', 'logs');
  if (!fs.existsSync(logs)) return found;
  for (const f of fs.readdirSync(logs, { recursive: true })) {
    if (!/(^|\/)(remote)?exthost\.log$/.test(String(f))) continue;
    for (const line of fs.readFileSync(path.join(logs, String(f)), 'utf8').split('\n')) {
      if (line.includes('customer-lens.customer-lens') && /\[(warning|error)\]|without scheme|content security policy/i.test(line)) found.push(line.trim());
    }
  }
  return found;
}

/** Runs the mocha suite against one workspace; returns { passed, failed, skipped, crashed }. */
async function runSuite({ opts, bin, browser, workspace }) {
  const name = label(workspace);
  const testsPath = path.join(REPO, 'out', 'test', 'integration', 'index');
  const counts = { passed: 0, failed: 0, skipped: 0, crashed: false };
  console.log(`\n== integration suite on ${rel(workspace)}`);
  const env = {};
  if (opts.grep) env.CUSTOMER_LENS_TEST_GREP = opts.grep;
  if (opts.screenshots) env.CUSTOMER_LENS_SCREENSHOT_DIR = opts.screenshots;
  await withSession({ opts, bin, browser, name, env, body: async ({ server, page, runDir, consoleStream }) => {
    const resultFile = path.join(runDir, 'result.json');
    let lastSuiteLine = '';
    page.on('console', (m) => {
      const t = consoleText(m);
      consoleStream.write(`[${m.type()}] ${t}\n`);
      if (/CL-(TEST|SUITE)/.test(t)) lastSuiteLine = t.split('\n')[0];
      const cl = /(?:^|[\s\]])(CL-(?:TEST|STACK|SUITE|RESULT)) ([\s\S]*)$/.exec(t);
      if (cl) {
        const [, kind, rest] = cl;
        if (kind === 'CL-TEST') {
          const [first, ...more] = rest.replace(/^(PASS|FAIL|SKIP) /, (_, s) => `${s} [${name}] `).split('\n');
          console.log([`  ${first}`, ...more.filter((l) => l.trim()).map((l) => `         ${l}`)].join('\n'));
        }
        else if (kind === 'CL-STACK') console.log(rest.split('\n').map((l) => `         ${l.trim()}`).join('\n'));
        else if (opts.verbose || kind === 'CL-SUITE') console.log(`  ${kind.slice(3).toLowerCase()}: ${rest}`);
      } else if (opts.verbose || (m.type() === 'error' && /Extension Host|customer-lens\.customer-lens|Customer Lens/.test(t))) {
        console.log(`  [browser:${m.type()}] ${t.split('\n')[0]}`);
      }
    });
    const exited = new Promise((resolve) => { page.exposeFunction('codeAutomationExit', (code) => resolve(code)).catch(() => {}); });
    const url = server.url({ workspace, extensionDevelopmentPath: opts.extension, extensionTestsPath: testsPath });
    if (opts.verbose) log(`opening ${url}`);
    let code;
    try {
      await page.goto(url);
      await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
      log('workbench rendered; suite running in the extension host');
      code = await Promise.race([exited, sleep(opts.timeout * 1000).then(() => 'timeout')]);
    } catch (e) {
      code = `error: ${e.message.split('\n')[0]}`;
    }
    await shoot(page, opts.screenshots, `integration-${name}`);
    let r;
    try { r = JSON.parse(fs.readFileSync(resultFile, 'utf8')); } catch { r = undefined; }
    if (r) {
      counts.passed = r.passes; counts.failed = r.failures; counts.skipped = r.pending ?? 0;
    }
    if (typeof code !== 'number' || !r) {
      counts.crashed = true;
      counts.failed += 1; // the run itself counts as a failure
      log(`suite on ${name} did not finish properly: exit ${code}${r ? '' : ', no result file'}`);
      if (code === 'timeout') log(`timed out after ${opts.timeout} s (--timeout); last suite line: ${lastSuiteLine || 'none'}`);
    } else if (code !== 0 && r.failures === 0) {
      counts.crashed = true; counts.failed += 1;
      log(`extension host exited ${code} although the suite reported no failure (run() rejected?)`);
    }
    // The extension must not make VS Code complain: a warning from it in the extension host's log
    // (a window-scoped setting read with a resource, a selector without a scheme, a webview without
    // a content security policy…) fails the run.
    const warnings = extensionWarnings(runDir);
    if (warnings.length > 0) {
      counts.failed += 1;
      log(`the extension host log of ${name} has ${warnings.length} warning(s) about Customer Lens:`);
      for (const w of warnings.slice(0, 10)) console.log(`         ${w}`);
    }
    log(`${name}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped (extension host exit ${code})`);
    return counts.failed === 0;
  } });
  return counts;
}

/** Loads test/ui/*.ui.mjs, grouped by the workspace each scenario wants. */
async function loadScenarios(opts) {
  const dir = path.join(REPO, 'test', 'ui');
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.ui.mjs')).sort() : [];
  const groups = new Map();
  for (const f of files) {
    if (opts.grep && !new RegExp(opts.grep).test(f)) continue;
    const mod = await import(pathToFileURL(path.join(dir, f)).href);
    if (typeof mod.run !== 'function') throw new Error(`test/ui/${f} does not export async function run()`);
    // A scenario names the workspace it needs (default: the first --workspace). A --workspace given on
    // the command line with the same base name stands in for it (e.g. a copy elsewhere).
    let ws = mod.workspace ? path.resolve(REPO, mod.workspace) : opts.workspaces[0];
    ws = opts.workspaces.find((w) => path.basename(w) === path.basename(ws)) || ws;
    if (!fs.existsSync(ws)) throw new Error(`test/ui/${f}: workspace ${ws} not found`);
    if (!groups.has(ws)) groups.set(ws, []);
    groups.get(ws).push({ name: f.replace(/\.ui\.mjs$/, ''), file: f, run: mod.run, timeoutMs: (mod.timeout || 120) * 1000 });
  }
  return groups;
}

/** Helpers handed to scenarios. */
function makeHelpers(page, screenshotDir, session) {
  return {
    /** Errors the workbench logged about activating the extension under development. */
    activationErrors: () => [...session.activationErrors],
    /**
     * Runs a command by its title through the command palette (F1). It first clicks the title bar,
     * unless `keepFocus` (the editor keeps its selection and focus, for commands that act on them).
     */
    async runCommand(title, { keepFocus = false } = {}) {
      if (!keepFocus) await page.locator('.monaco-workbench').click({ position: { x: 700, y: 5 } }).catch(() => {});
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(`>${title}`);
      const rows = page.locator('.quick-input-widget .monaco-list-row', { hasText: title });
      await rows.first().waitFor({ timeout: 10_000 });
      // Prefer the row whose label is exactly the title (extensions may add similar titles).
      const labels = await rows.locator('.label-name').allInnerTexts().catch(() => []);
      const exact = labels.findIndex((l) => l.replace(/\s+/g, ' ').trim() === title);
      await rows.nth(exact >= 0 ? exact : 0).click();
    },
    async screenshot(name) { await shoot(page, screenshotDir, name); return path.join(screenshotDir, `${name}.png`); },
    /** Retries fn until it returns truthy or timeoutMs passes (then throws with the last error). */
    async until(fn, { timeoutMs = 30_000, intervalMs = 500, what = 'condition' } = {}) {
      const end = Date.now() + timeoutMs; let last;
      while (Date.now() < end) {
        try { const v = await fn(); if (v) return v; } catch (e) { last = e; }
        // No point waiting for the extension's effects when it failed to activate.
        if (session.activationErrors.length) throw new Error(`${what}: ${session.activationErrors[0]}`);
        await sleep(intervalMs);
      }
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last.message}` : ''}`);
    },
  };
}

async function runUi({ opts, bin, browser }) {
  const counts = { passed: 0, failed: 0, skipped: 0, crashed: false };
  const groups = await loadScenarios(opts);
  if (!groups.size) { log('no UI scenarios (test/ui/*.ui.mjs)'); return counts; }
  for (const [workspace, scenarios] of groups) {
    const name = label(workspace);
    console.log(`\n== UI scenarios on ${rel(workspace)}: ${scenarios.map((s) => s.name).join(', ')}`);
    const screenshotDir = opts.screenshots;
    const env = opts.screenshots ? { CUSTOMER_LENS_SCREENSHOT_DIR: opts.screenshots } : {};
    try {
      await withSession({ opts, bin, browser, name: `ui-${name}`, env, body: async ({ server, page, runDir, consoleStream }) => {
        const session = { activationErrors: [] };
        page.on('console', (m) => {
          const t = consoleText(m);
          consoleStream.write(`[${m.type()}] ${t}\n`);
          if (/Activating extension 'customer-lens\.customer-lens' failed/.test(t)) {
            session.activationErrors.push(t.split('\n')[0]);
            console.log(`  [browser:${m.type()}] ${t.split('\n')[0]}`);
          } else if (opts.verbose) console.log(`  [browser:${m.type()}] ${t.split('\n')[0]}`);
        });
        await page.goto(server.url({ workspace, extensionDevelopmentPath: opts.extension }));
        await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
        log('workbench rendered');
        const dir = screenshotDir || path.join(runDir, 'screenshots');
        let allOk = true;
        for (const s of scenarios) {
          const ts = Date.now();
          const slog = (m) => console.log(`         ${s.name}: ${m}`);
          try {
            await Promise.race([
              s.run({ page, server, repo: REPO, workspace, screenshotDir: dir, log: slog, assert, helpers: makeHelpers(page, dir, session) }),
              sleep(s.timeoutMs).then(() => { throw new Error(`timed out after ${s.timeoutMs / 1000} s`); }),
            ]);
            counts.passed++;
            console.log(`  PASS [ui:${name}] ${s.name} (${Date.now() - ts} ms)`);
          } catch (e) {
            counts.failed++; allOk = false;
            console.log(`  FAIL [ui:${name}] ${s.name}: ${e.message}`);
            if (e.stack) console.log(e.stack.split('\n').slice(1, 5).map((l) => `         ${l.trim()}`).join('\n'));
            await shoot(page, dir, `ui-${s.name}-failure`);
          }
        }
        return allOk;
      } });
    } catch (e) {
      // The session itself broke (code-server or the workbench did not come up): one failure.
      counts.crashed = true; counts.failed += 1;
      log(`UI session on ${name} broke: ${e.message}`);
    }
  }
  return counts;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  for (const ws of opts.workspaces) if (!fs.existsSync(ws)) throw new Error(`workspace not found: ${ws}`);
  if (!fs.existsSync(path.join(opts.extension, 'package.json'))) throw new Error(`no extension at ${opts.extension}`);
  const main = JSON.parse(fs.readFileSync(path.join(opts.extension, 'package.json'), 'utf8')).main;
  if (main && !fs.existsSync(path.resolve(opts.extension, main)) && !fs.existsSync(path.resolve(opts.extension, `${main}.js`))) {
    log(`WARNING: ${main} is missing in ${opts.extension}: run \`npm run build\` first (the extension will not load)`);
  }
  if (opts.mocha && !fs.existsSync(path.join(REPO, 'out', 'test', 'integration', 'index.js'))) {
    throw new Error('out/test/integration/index.js is missing: run `node esbuild.js --tests` first');
  }
  checkPrerequisites({ needBrowser: true });
  const bin = await ensureCodeServer({ log: (s) => log(`code-server install: ${s}`) });
  const browser = await launchBrowser();
  const integration = { passed: 0, failed: 0, skipped: 0, crashed: false };
  let ui;
  try {
    if (opts.mocha) {
      for (const ws of opts.workspaces) {
        const c = await runSuite({ opts, bin, browser, workspace: ws });
        integration.passed += c.passed; integration.failed += c.failed; integration.skipped += c.skipped;
        integration.crashed ||= c.crashed;
      }
    }
    if (opts.ui) ui = await runUi({ opts, bin, browser });
  } finally {
    await browser.close().catch(() => {});
  }
  const crashed = integration.crashed || ui?.crashed;
  const failed = integration.failed + (ui?.failed ?? 0);
  const exitCode = crashed ? 2 : failed > 0 ? 1 : 0;
  console.log('');
  if (opts.mocha && integration.skipped) console.log(`(${integration.skipped} integration test(s) skipped: they need another workspace shape)`);
  if (opts.summary) {
    fs.mkdirSync(path.dirname(opts.summary), { recursive: true });
    fs.writeFileSync(opts.summary, JSON.stringify({ integration: opts.mocha ? integration : undefined, ui, exitCode }, null, 2));
  }
  log(`done, exit ${exitCode}`);
  if (ui) console.log(`ui: ${ui.passed} passed, ${ui.failed} failed`);
  if (opts.mocha) console.log(`integration: ${integration.passed} passed, ${integration.failed} failed`);
  return exitCode;
}

// code-server runs in its own session, out of reach of the terminal's Ctrl-C: exiting runs the
// 'exit' handlers of server.mjs, which kill its process group.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => { console.log(`\n[offline] ${sig}: stopping`); process.exit(130); });
}

main().then((code) => process.exit(code), (e) => {
  console.error(`[offline] ERROR: ${e.message}`);
  process.exit(2);
});
