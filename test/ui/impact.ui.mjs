// UI scenario: the Customer Impact view, as a person uses it before opening a pull request.
// The workspace is a throwaway git repository made when this module loads: examples/acme-shop copied
// into the system's temporary folder, committed on `main`, then changed on
// `feature/ACME-881-streaming-export`: a commit (a line of CsvWriter.flush), a staged change (the
// @why P-9 tag removed) and unstaged ones (a line added in SamlProvider.validateAssertion,
// StockLedger.lowStock renamed, which loses P-5's anchor).
//   - the view lists the touched problems by severity, each with its places and "⚠ suspect";
//     the anchors the change breaks come last; the view's message sums it up;
//   - clicking a place opens the diff from the base with the cursor on that line;
//   - its title bar copies the report (the status bar says so);
//   - with the repository gone (.git moved away) and a refresh, the view explains that the folder
//     is not in a git repository.
// Screenshots: impact.png (the view), impact-diff.png (the view and the diff it opened).
// Run by test/runners/offline/run.mjs --ui (npm run test:ui); see that file for the contract.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { clip, useTheme } from './lib/workbench.mjs';
import { SIDEBAR, fitted, pane, paneBody, resizeSidebar, setExpanded } from './lib/views.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Customer Lens Tests', GIT_AUTHOR_EMAIL: 'tests@customer-lens.invalid',
  GIT_COMMITTER_NAME: 'Customer Lens Tests', GIT_COMMITTER_EMAIL: 'tests@customer-lens.invalid',
  GIT_CONFIG_GLOBAL: os.devNull, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0',
};

function git(cwd, ...args) {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed in ${cwd}: ${r.stderr}`);
  return r.stdout;
}

function edit(file, from, to) {
  const text = fs.readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} lacks ${JSON.stringify(from)}`);
  fs.writeFileSync(file, text.replace(from, to));
}

/** The throwaway repository (not named acme-shop: the runner would take the example for it). */
function makeRepository() {
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-impact-ui-')));
  const repo = path.join(tmp, 'shop-branch');
  fs.cpSync(path.join(REPO, 'examples', 'acme-shop'), repo, { recursive: true });
  git(repo, 'init', '--quiet', '--initial-branch=main');
  git(repo, 'add', '-A');
  git(repo, 'commit', '--quiet', '-m', 'acme-shop');
  git(repo, 'checkout', '--quiet', '-b', 'feature/ACME-881-streaming-export');
  edit(path.join(repo, 'src/export/csv.ts'), "const chunk = this.buffer.join('\\n') + '\\n';", "const chunk = this.buffer.join('\\r\\n') + '\\r\\n';");
  git(repo, 'commit', '--quiet', '-am', 'ACME-881: CRLF rows, as the bookkeeping tools expect');
  edit(path.join(repo, 'src/search/productSearch.ts'), '// @why P-9\n', '');
  git(repo, 'add', 'src/search/productSearch.ts');
  edit(path.join(repo, 'src/inventory/stock.ts'), 'lowStock(): StockLevel[] {', 'lowStockLevels(): StockLevel[] {');
  const sso = path.join(repo, 'src/auth/sso.ts');
  const lines = fs.readFileSync(sso, 'utf8').split('\n');
  const method = lines.findIndex((l) => /validateAssertion\s*\(/.test(l) && /\{\s*$/.test(l));
  if (method < 0) throw new Error('sso.ts has no validateAssertion(…) {');
  const indent = /^\s*/.exec(lines[method + 1])[0];
  lines.splice(method + 1, 0, `${indent}// ACME-904: assertions signed with SHA-1 are refused from now on.`);
  fs.writeFileSync(sso, lines.join('\n'));
  return repo;
}

export const workspace = makeRepository();
export const timeout = 240;

const VIEW = 'Customer Impact';
const P12_TITLE = 'CSV export times out on large reports';

export async function run({ page, assert, log, helpers, screenshotDir }) {
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  const viewport = page.viewportSize();
  const restoreTheme = await useTheme(page, helpers, log, 'Dark Modern');
  await page.setViewportSize({ width: viewport.width, height: 1000 });
  const sidebar = page.locator(SIDEBAR);
  let restoreWidth = async () => {};
  try {
    // 1. The Customer Lens container, with Customer Impact open and the other views collapsed.
    const activity = page.locator('.activitybar [aria-label^="Customer Lens"]').first();
    await activity.waitFor({ timeout: 60_000 });
    if (!(await pane(sidebar, VIEW).isVisible().catch(() => false))) await activity.click();
    await pane(sidebar, VIEW).waitFor({ timeout: 30_000 });
    restoreWidth = await resizeSidebar(page, 600);
    for (const [title, open] of [['Search', false], ['Problems', false], ['This File', false], [VIEW, true]]) await setExpanded(pane(sidebar, title), open);
    const body = paneBody(sidebar, VIEW);
    const rows = body.locator('.monaco-list-row');

    // 2. The touched problems, by severity, with their places; the broken anchor last.
    await helpers.until(async () => (await rows.filter({ hasText: P12_TITLE }).count()) > 0, { timeoutMs: 90_000, what: 'P-12 in the Customer Impact view' });
    await helpers.until(async () => (await rows.filter({ hasText: 'Anchors this change breaks' }).count()) > 0, { timeoutMs: 30_000, what: 'the broken anchors' });
    // Each row's label and description, apart.
    const texts = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    log(`rows:\n           ${texts.join('\n           ')}`);
    const p12 = texts.findIndex((t) => t.includes(P12_TITLE));
    assert.match(texts[p12], /P-12 · high · in-progress · ⚠ suspect/);
    assert.ok(texts.some((t) => /^src\/export\/csv\.ts:\d+\s*symbol CsvWriter\.flush$/.test(t)), 'no csv.ts place with symbol CsvWriter.flush');
    assert.ok(texts.some((t) => /^src\/search\/productSearch\.ts:\d+\s*tag removed/.test(t)), 'no productSearch.ts place with "tag removed"');
    assert.ok(texts.some((t) => /^P-5 · src\/inventory\/stock\.ts symbol StockLedger\.lowStock\s*lost/.test(t)), 'no lost anchor of P-5');
    const message = (await body.locator('.message').first().innerText().catch(() => '')).trim();
    log(`message: ${message}`);
    assert.match(message, /customer problems touched by 4 changed files .*Compared: the working tree against main \(merge base [0-9a-f]{7}\)\./);
    // The title bar's actions (copy, refresh) show while the pointer is over the view; no header keeps the focus.
    await page.evaluate(() => document.activeElement?.blur());
    await pane(sidebar, VIEW).hover();
    await page.waitForTimeout(400);
    await clip(page, screenshotDir, 'impact', await fitted(sidebar, body));

    // 3. A place opens the diff at its line.
    const place = rows.filter({ hasText: 'symbol CsvWriter.flush' }).first();
    const line = Number(/csv\.ts:(\d+)/.exec(await place.innerText())[1]);
    await place.click();
    const tab = page.locator('.tabs-container .tab.active');
    await helpers.until(async () => /csv\.ts \(main [0-9a-f]{7}\) ↔ working tree/.test(await tab.innerText().catch(() => '')), { timeoutMs: 20_000, what: 'the diff tab' });
    await helpers.until(async () => new RegExp(`Ln ${line},`).test(await page.locator('#status\\.editor\\.selection').innerText().catch(() => '')),
      { timeoutMs: 10_000, what: `the cursor on line ${line}` });
    log(`diff open: ${(await tab.innerText()).trim()}, cursor on line ${line}`);
    await page.mouse.move(viewport.width - 10, 500);
    await page.waitForTimeout(600);
    await clip(page, screenshotDir, 'impact-diff', { x: 0, y: 0, width: viewport.width, height: 620 });

    // 4. The title bar copies the report.
    await pane(sidebar, VIEW).hover();
    await page.locator('.pane-header', { hasText: VIEW }).locator('.action-label[aria-label="Copy Customer Impact for Pull Request"]').click();
    await helpers.until(async () => /Copied the customer impact \(\d+ problems?\)/.test(await page.locator('#workbench\\.parts\\.statusbar').innerText()),
      { timeoutMs: 10_000, what: 'the status bar message after copying' });
    log('copied');

    // 5. Without the repository, the view says why it is empty.
    fs.renameSync(path.join(workspace, '.git'), path.join(workspace, '.git-away'));
    await pane(sidebar, VIEW).hover();
    await page.locator('.pane-header', { hasText: VIEW }).locator('.action-label[aria-label="Refresh Customer Impact"]').click();
    await helpers.until(async () => /This folder is not in a git repository/.test(await body.innerText()), { timeoutMs: 20_000, what: 'the welcome content without a repository' });
    log('without .git: the welcome says the folder is not in a git repository');
  } finally {
    await restoreWidth().catch(() => {});
    await restoreTheme();
    await page.setViewportSize(viewport);
    fs.rmSync(path.dirname(workspace), { recursive: true, force: true });
  }
}
