// UI scenario: the Customer Lens sidebar, as a person uses it on examples/acme-shop.
//   - the Customer Lens activity bar item opens the container; the Problems view groups problems by
//     severity (Critical, High, Medium, Low) and describes each ("P-12 · 14 customers · …");
//   - clicking "CSV export times out on large reports" expands P-12: its evidence, tickets, code
//     links, personas, customers and related problems;
//   - with src/export/csv.ts in the editor, the This File view lists P-12 and P-14.
// Screenshots (in a dark theme; the session's theme is put back afterwards): tree.png, thisfile.png.
// Run by test/runners/offline/run.mjs --ui (npm run test:ui); see that file for the contract.
import fs from 'node:fs';
import path from 'node:path';
import { clip, quickOpen, useTheme } from './lib/workbench.mjs';

export const workspace = 'examples/acme-shop';
export const timeout = 180;

const SIDEBAR = '#workbench\\.parts\\.sidebar';
const P12_TITLE = 'CSV export times out on large reports';
const P14_TITLE = 'Month-end export lacks the fee and refund columns bookkeepers need';

/**
 * P-12's code links, counted from the example on disk: its 3 anchors (src/export/**,
 * CsvWriter.flush, lines 106-108), every `@why` tag naming it and every comment mentioning its
 * tickets ACME-881 and GH-412 (the workspace code index counts files open or not).
 */
function p12CodeLinks(repo) {
  let n = 3;
  for (const dir of ['src', 'scripts']) {
    const root = path.join(repo, workspace, dir);
    for (const f of fs.readdirSync(root, { recursive: true })) {
      const full = path.join(root, String(f));
      if (!fs.statSync(full).isFile()) continue;
      const text = fs.readFileSync(full, 'utf8');
      n += (text.match(/@why[^\n]*\bP-12\b/g) ?? []).length + (text.match(/\/\/[^\n]*\b(?:ACME-881|GH-412)\b/g) ?? []).length;
    }
  }
  return n;
}

export async function run({ page, assert, log, helpers, screenshotDir, repo }) {
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  const viewport = page.viewportSize();
  const restoreTheme = await useTheme(page, helpers, log, 'Dark Modern');
  await page.setViewportSize({ width: viewport.width, height: 1100 });
  const sidebar = page.locator(SIDEBAR);
  const before = await page.locator('.activitybar .action-item.checked .action-label').first().getAttribute('aria-label').catch(() => null);
  const toggled = [];
  let restoreWidth = async () => {};
  try {
    // 1. The activity bar item opens the Customer Lens container.
    const activity = page.locator('.activitybar [aria-label^="Customer Lens"]').first();
    await activity.waitFor({ timeout: 60_000 });
    const problemsHeader = pane(sidebar, 'Problems');
    if (!(await problemsHeader.isVisible().catch(() => false))) await activity.click();
    await problemsHeader.waitFor({ timeout: 30_000 });
    log('Customer Lens container open');
    // Wide enough for titles and descriptions ("P-12 · 14 customers · 52 tickets · 8 code links").
    restoreWidth = await resizeSidebar(page, 540);
    // Give the tree the height: every other view of the container collapsed (Search, This File,
    // Customer Impact, and any view that joins later), Problems expanded.
    const titles = (await sidebar.locator('.pane-header .title').allTextContents()).map((t) => t.trim()).filter(Boolean);
    for (const title of titles) {
      if (title !== 'Problems' && await setExpanded(pane(sidebar, title), false)) toggled.push(title);
    }
    if (await setExpanded(pane(sidebar, 'Problems'), true)) toggled.push('Problems');

    // 2. Severity groups, then P-12 with its description.
    const problems = paneBody(sidebar, 'Problems');
    const rows = problems.locator('.monaco-list-row');
    await helpers.until(async () => (await rows.filter({ hasText: P12_TITLE }).count()) > 0, { timeoutMs: 60_000, what: 'P-12 in the Problems tree' });
    // First-level rows are the severity groups (the list renders only the rows on screen).
    const groups = (await problems.locator('.monaco-list-row[aria-level="1"] .label-name').allInnerTexts()).map((t) => t.trim());
    const order = ['Critical', 'High', 'Medium', 'Low'];
    assert.ok(groups.length >= 3 && groups.every((g, i) => g === order[i]), `first-level rows: ${groups.join(', ')}`);
    log(`groups on screen: ${groups.join(', ')}`);
    const p12 = rows.filter({ hasText: P12_TITLE }).first();
    const description = `P-12 · 14 customers · 52 tickets · ${p12CodeLinks(repo)} code links`;
    await helpers.until(async () => (await p12.innerText()).includes(description), { timeoutMs: 20_000, what: `the description "${description}"` });
    log(`P-12 row: ${(await p12.innerText()).replace(/\s+/g, ' ')}`);

    // 3. Expand P-12.
    if ((await p12.getAttribute('aria-expanded')) !== 'true') await p12.click();
    await helpers.until(async () => (await p12.getAttribute('aria-expanded')) === 'true', { timeoutMs: 10_000, what: 'P-12 to expand' });
    const child = (text) => rows.filter({ hasText: text }).first();
    await child('ACME-881').waitFor({ timeout: 15_000 });
    await child('src/export/csv.ts').waitFor({ timeout: 15_000 });
    const children = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    for (const want of ['Watched Initech', 'GH-412', 'src/export/csv.ts', 'Bookkeeper', 'Globex Corp', P14_TITLE]) {
      assert.ok(children.some((c) => c.includes(want)), `P-12's children lack "${want}": ${children.join(' | ')}`);
    }
    log(`P-12 expanded: ${children.length} rows in the tree`);
    await page.mouse.move(viewport.width - 10, 500); // no hover on a row
    await page.waitForTimeout(400);
    await clip(page, screenshotDir, 'tree', await fitted(sidebar, problems));

    // 4. This File follows the editor: csv.ts solves P-12 and P-14.
    await p12.click(); // collapse again
    if (await setExpanded(pane(sidebar, 'This File'), true)) toggled.push('This File');
    await quickOpen(page, 'csv.ts', 'src/export');
    const thisFile = paneBody(sidebar, 'This File');
    const fileRows = thisFile.locator('.monaco-list-row');
    await helpers.until(async () => (await fileRows.filter({ hasText: P12_TITLE }).count()) > 0
      && (await fileRows.filter({ hasText: 'Month-end export' }).count()) > 0, { timeoutMs: 20_000, what: 'P-12 and P-14 in This File' });
    const listed = (await fileRows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    assert.strictEqual(listed.length, 2, `This File lists: ${listed.join(' | ')}`);
    log(`This File: ${listed.join(' | ')}`);
    // Collapse Problems so that This File has the room.
    if (await setExpanded(pane(sidebar, 'Problems'), false)) toggled.push('Problems');
    const p12here = fileRows.filter({ hasText: P12_TITLE }).first();
    await p12here.click();
    await helpers.until(async () => (await p12here.getAttribute('aria-expanded')) === 'true', { timeoutMs: 10_000, what: 'P-12 to expand in This File' });
    await fileRows.filter({ hasText: 'src/export/csv.ts' }).first().waitFor({ timeout: 15_000 });
    await page.mouse.move(viewport.width - 10, 500);
    await page.waitForTimeout(400);
    const side = await fitted(sidebar, thisFile);
    const editorPart = await page.locator('#workbench\\.parts\\.editor').boundingBox();
    await clip(page, screenshotDir, 'thisfile', { x: 0, y: side.y, width: Math.min(editorPart.x + 480, viewport.width), height: side.height });
    await p12here.click(); // collapse again
  } finally {
    for (const title of toggled.reverse()) await pane(sidebar, title).click().catch(() => {});
    await restoreWidth().catch(() => {});
    await page.keyboard.press('Escape').catch(() => {});
    if (before && !before.startsWith('Customer Lens')) {
      await page.locator(`.activitybar .action-label[aria-label="${before.replace(/"/g, '\\"')}"]`).first().click().catch(() => {});
    }
    await restoreTheme();
    await page.setViewportSize(viewport);
  }
}

/** Drags the sash on the sidebar's right edge to give it `width` pixels; returns how to undo it. */
async function resizeSidebar(page, width) {
  const side = await page.locator(SIDEBAR).boundingBox();
  const drag = async (from, to) => {
    const y = side.y + side.height / 2;
    await page.mouse.move(from, y);
    await page.mouse.down();
    await page.mouse.move((from + to) / 2, y, { steps: 5 });
    await page.mouse.move(to, y, { steps: 5 });
    await page.mouse.up();
    await page.waitForTimeout(300);
  };
  const edge = side.x + side.width;
  await drag(edge - 1, side.x + width);
  return async () => {
    const now = await page.locator(SIDEBAR).boundingBox();
    await drag(now.x + now.width - 1, edge);
  };
}

/** The sidebar from its top to a little below the last row shown in `body`. */
async function fitted(sidebar, body) {
  const side = await sidebar.boundingBox();
  const rows = body.locator('.monaco-list-row');
  let bottom = side.y + 200;
  for (let i = 0; i < await rows.count(); i++) {
    const b = await rows.nth(i).boundingBox();
    if (b && b.y + b.height <= side.y + side.height) bottom = Math.max(bottom, b.y + b.height);
  }
  return { x: side.x, y: side.y, width: side.width, height: Math.min(side.height, bottom + 12 - side.y) };
}

/** A view's header in the sidebar. */
function pane(sidebar, title) {
  return sidebar.locator('.pane-header', { hasText: new RegExp(`^\\s*${title}`) }).first();
}

/** A view's body: the pane whose header has this title. */
function paneBody(sidebar, title) {
  const header = sidebar.page().locator('.pane-header', { hasText: new RegExp(`^\\s*${title}`) });
  return sidebar.locator('.pane', { has: header }).locator('.pane-body').first();
}

/** Expands or collapses a view; returns whether it had to click. */
async function setExpanded(header, open) {
  if (!(await header.isVisible().catch(() => false))) return false;
  const expanded = (await header.getAttribute('aria-expanded')) === 'true';
  if (expanded === open) return false;
  await header.click();
  return true;
}
