// UI scenario: Customer Lens on real code nobody here wrote: the TypeScript sources of rxjs 7.8.2
// with a small hand-written customer-insights.yaml, `@why` tags above real rxjs functions and
// comments that mention tickets (test/ui/lib/realcode.mjs prepares it in the temp folder).
//   - the Problems tree: "retry() hammers a failing backend with no back-off" (P-7) says
//     "5 code links" once the workspace index is built; expanded, it lists its evidence, its ticket,
//     the `retry` symbol anchor, the lines anchor, the tag above `retryWhen` with the declaration it
//     covers, and the two comments that mention DX-1874;
//   - Go to References (Shift+F12) on P-7's id in the insights file: the peek lists the problem, the
//     problem that names it as related, both anchors, the tag and the ticket mentions, across four
//     files; the preview shows the tag in retryWhen.ts;
//   - the hover on the NAME of `handleUnhandledError` in Subscriber.ts, which `// @why P-9` above it
//     covers, shows P-9's card.
// Screenshots (Dark Modern, like the other docs images; the session's theme is put back afterwards):
// tree-real.png, references.png, hover-tagged.png.
// Run by test/runners/offline/run.mjs --ui (npm run test:ui); see that file for the contract.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { quickOpen, useTheme, clip } from './lib/workbench.mjs';
import { prepareRealCode, FACTS } from './lib/realcode.mjs';
import {
  EDITOR, SIDEBAR, fitted, goToLine, pane, paneBody, resizeSidebar, setExpanded, shootAround, textBox,
} from './lib/views.mjs';

// A short folder name: the peek's title shows the path of the file it previews.
const ROOT = fs.mkdtempSync(path.join(os.tmpdir(), 'rx-'));
const WS = path.join(ROOT, 'rxjs');
let prepared;
try {
  prepared = prepareRealCode(WS);
  // Sticky scroll would pin the enclosing declaration over the code in the screenshots.
  fs.mkdirSync(path.join(WS, '.vscode'), { recursive: true });
  // rxjs's src/ has no tsconfig.json of its own: TypeScript would flag errors everywhere, and its
  // project takes minutes to load on a busy machine (hovers say "(loading...)" meanwhile): its
  // syntax server alone answers at once. Hovers open below the line, so the tag and the CodeLens
  // above the function stay in the picture.
  fs.writeFileSync(path.join(WS, '.vscode', 'settings.json'), `${JSON.stringify({
    'editor.stickyScroll.enabled': false,
    'editor.hover.above': false,
    'files.autoSave': 'off',
    'typescript.validate.enable': false,
    'typescript.tsserver.useSyntaxServer': 'always',
  }, null, 2)}\n`);
} catch (e) {
  // Reported by run(): one failed scenario, not a broken UI stage.
  prepared = { error: e };
  fs.mkdirSync(WS, { recursive: true });
}
process.on('exit', () => fs.rmSync(ROOT, { recursive: true, force: true }));

/** A folder of its own, so no --workspace replaces it. */
export const workspace = WS;
export const timeout = 180;

export async function run({ page, assert, log, helpers, screenshotDir }) {
  if (prepared.error) throw new Error(`could not prepare the rxjs workspace: ${prepared.error.message}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  const viewport = page.viewportSize();
  const restoreTheme = await useTheme(page, helpers, log, 'Dark Modern');
  await page.setViewportSize({ width: viewport.width, height: 1000 });
  try {
    await problemsTree({ page, assert, log, helpers, screenshotDir });
    await references({ page, assert, log, helpers, screenshotDir });
    await hoverOnName({ page, assert, log, helpers, screenshotDir });
  } finally {
    await page.keyboard.press('Escape').catch(() => {});
    await page.mouse.move(700, 400).catch(() => {});
    await restoreTheme();
    await page.setViewportSize(viewport);
  }
}

const text = async (locator) => (await locator.innerText()).replace(/\s+/g, ' ').trim();

/** tree-real.png: P-7 expanded, with the code the index found for it. */
async function problemsTree({ page, assert, log, helpers, screenshotDir }) {
  const sidebar = page.locator(SIDEBAR);
  const activity = page.locator('.activitybar [aria-label^="Customer Lens"]').first();
  await activity.waitFor({ timeout: 60_000 });
  if (!(await pane(sidebar, 'Problems').isVisible().catch(() => false))) await activity.click();
  await pane(sidebar, 'Problems').waitFor({ timeout: 30_000 });
  const restoreWidth = await resizeSidebar(page, 660);
  const toggled = [];
  try {
    // Problems gets the height: every other view of the container is collapsed.
    const titles = (await sidebar.locator('.pane-header .title').allTextContents()).map((t) => t.trim()).filter(Boolean);
    for (const title of titles) {
      const open = title === 'Problems';
      if (await setExpanded(pane(sidebar, title), open)) toggled.push(title);
    }
    if (await setExpanded(pane(sidebar, 'Problems'), true)) toggled.push('Problems');
    log(`views: ${titles.join(', ')}; toggled: ${toggled.join(', ')}`);
    const rows = paneBody(sidebar, 'Problems').locator('.monaco-list-row');
    const p7 = rows.filter({ hasText: FACTS.treeProblemTitle }).first();
    // "5 code links" appears once the workspace index has scanned every file of rxjs.
    await helpers.until(async () => /P-7 · .*5 code links/.test(await text(p7)), { timeoutMs: 90_000, what: 'P-7 with "5 code links" in the Problems tree' });
    log(`P-7 row: ${await text(p7)}`);
    if ((await p7.getAttribute('aria-expanded')) !== 'true') await p7.click();
    // Focus goes to the (empty) editor area: the row keeps a quiet selection, no focus outline.
    await page.locator('#workbench\\.parts\\.editor').click({ position: { x: 400, y: 400 } });
    const wanted = [
      ['src/internal/operators/retryWhen.ts:', 'tag · retryWhen'],
      ['src/internal/operators/retry.ts:', 'retry'],
      ['src/internal/operators/retry.ts:', 'lines'],
      ['src/internal/operators/repeat.ts:', 'ticket DX-1874'],
      ['src/internal/operators/retry.ts:', 'ticket DX-1874'],
      ['DX-1874', 'ticket'],
      ['Northwind Bank', 'at-risk'],
    ];
    let children = [];
    await helpers.until(async () => {
      children = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
      return wanted.every(([a, b]) => children.some((c) => c.includes(a) && c.includes(b)));
    }, { timeoutMs: 20_000, what: 'P-7\'s code in the tree' }).catch((e) => {
      throw new Error(`${e.message}; rows: ${children.join(' | ')}`);
    });
    log(`P-7 expanded: ${children.length} rows; code: ${children.filter((c) => c.startsWith('src/')).join(' | ')}`);
    await page.mouse.move(page.viewportSize().width - 10, 500); // no row hovered
    await helpers.until(async () => (await sidebar.locator('.monaco-list-row:hover').count()) === 0, { timeoutMs: 5_000, what: 'no hovered row' });
    await clip(page, screenshotDir, 'tree-real', await fitted(sidebar, paneBody(sidebar, 'Problems')));
    await p7.click(); // collapse again
  } finally {
    for (const title of toggled.reverse()) await pane(sidebar, title).click().catch(() => {});
    await restoreWidth().catch(() => {});
  }
  // The editor gets the room back: the container's activity bar item closes the sidebar (a key
  // would go to whichever view took the focus, a webview's input box included).
  await activity.click();
  await helpers.until(async () => !(await sidebar.isVisible()), { timeoutMs: 10_000, what: 'the sidebar to close' });
  await page.locator('#workbench\\.parts\\.editor').click({ position: { x: 400, y: 400 } });
}

/** references.png: Go to References on P-7's id in the insights file. */
async function references({ page, assert, log, helpers, screenshotDir }) {
  const lines = fs.readFileSync(path.join(WS, 'customer-insights.yaml'), 'utf8').split('\n');
  const idLine = lines.findIndex((l) => l.trim() === `- id: ${FACTS.referencesProblem}`) + 1;
  assert.ok(idLine > 0, `no "- id: ${FACTS.referencesProblem}" in the insights file`);
  await quickOpen(page, 'customer-insights.yaml', 'customer-insights.yaml');
  const editor = page.locator(EDITOR).first();
  await editor.locator('.view-line', { hasText: 'RxJS: what the people who build on it struggle with' }).first().waitFor({ timeout: 30_000 });
  await goToLine(page, idLine);
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowLeft'); // inside "P-7"
  await page.keyboard.press('Shift+F12');
  const peek = page.locator('.peekview-widget').first();
  await peek.waitFor({ timeout: 30_000 });
  const refRows = peek.locator('.ref-tree .monaco-list-row');
  // Files are the tree's first level, references the second.
  const files = peek.locator('.ref-tree .monaco-list-row[aria-level="1"]');
  const refs = peek.locator('.ref-tree .monaco-list-row[aria-level="2"]');
  let listed = [];
  await helpers.until(async () => /References \((\d+)\)/.test(await text(peek.locator('.peekview-title'))), { timeoutMs: 30_000, what: 'the peek\'s title' });
  const title = await text(peek.locator('.peekview-title'));
  const count = Number(/References \((\d+)\)/.exec(title)[1]);
  assert.ok(count >= 7, `the peek lists ${count} references of P-7, not 7: ${title}`);
  // The peek opens the first file only: open the others too.
  await helpers.until(async () => {
    const closed = files.and(page.locator('[aria-expanded="false"]'));
    if ((await closed.count()) > 0) {
      await closed.first().click();
      return false;
    }
    if ((await refs.count()) !== count) return false;
    listed = (await refRows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    return FACTS.referenceFiles.every((f) => listed.some((r) => r.includes(f))) && listed.length === count + (await files.count());
  }, { timeoutMs: 30_000, intervalMs: 300, what: 'the references of P-7 in four files' }).catch(async (e) => {
    throw new Error(`${e.message}; the peek shows: ${await text(peek).catch(() => '(nothing)')}; rows: ${listed.join(' | ')}`);
  });
  log(`peek: ${title}; ${await files.count()} files, ${await refs.count()} references: ${listed.join(' | ')}`);
  for (const want of ['@why P-7', 'DX-1874: with no delay', 'DX-1874: repeat', 'if (delay != null) {', 'function retry<T>(count?: number)', 'related: [P-7]']) {
    assert.ok(listed.some((r) => r.includes(want)), `the references lack "${want}": ${listed.join(' | ')}`);
  }
  // Show the tag in the preview.
  await refs.filter({ hasText: '@why P-7' }).first().click();
  const preview = peek.locator('.preview .monaco-editor');
  await preview.locator('.view-line', { hasText: '@why P-7' }).first().waitFor({ timeout: 10_000 });
  await page.mouse.move(5, 5);
  const box = await peek.boundingBox();
  const ed = await page.locator('#workbench\\.parts\\.editor').boundingBox();
  const idRow = await editor.locator('.view-line', { hasText: `id: ${FACTS.referencesProblem}` }).first().boundingBox();
  const top = Math.max(ed.y, (idRow?.y ?? box.y) - 2 * (idRow?.height ?? 19));
  await clip(page, screenshotDir, 'references', { x: ed.x, y: top, width: box.x + box.width - ed.x, height: box.y + box.height + 4 - top });
  await page.keyboard.press('Escape');
  await peek.waitFor({ state: 'hidden', timeout: 10_000 });
}

/** hover-tagged.png: the card on the name of a function a tag covers. */
async function hoverOnName({ page, assert, log, helpers, screenshotDir }) {
  const source = fs.readFileSync(path.join(WS, FACTS.hoverFile), 'utf8').split('\n');
  const declLine = source.findIndex((l) => l.startsWith(FACTS.hoverLine)) + 1;
  assert.ok(declLine > 1 && source[declLine - 2].trim() === `// @why ${FACTS.hoverProblem}`, `no "// @why ${FACTS.hoverProblem}" above ${FACTS.hoverLine}`);
  await quickOpen(page, path.basename(FACTS.hoverFile), path.dirname(FACTS.hoverFile));
  const editor = page.locator(EDITOR).first();
  await editor.locator('.view-line', { hasText: "import { isFunction } from './util/isFunction';" }).first().waitFor({ timeout: 30_000 });
  // The cursor on the blank line above the tag: no light bulb, no highlighted line in the picture.
  await goToLine(page, declLine - 2);
  const lens = editor.locator('.codelens-decoration', { hasText: `Solves ${FACTS.hoverProblem}` });
  await helpers.until(async () => (await lens.count()) > 0, { timeoutMs: 60_000, what: `the "Solves ${FACTS.hoverProblem}" CodeLens above ${FACTS.hoverName}` });
  log(`CodeLens: ${(await lens.first().textContent()).replace(/\s+/g, ' ').trim()}`);
  // A tall window: the card's height is capped by the editor's.
  await page.setViewportSize({ width: page.viewportSize().width, height: 1800 });
  const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: FACTS.hoverProblemTitle });
  let name;
  await helpers.until(async () => {
    name = await textBox(page, editor, FACTS.hoverLine, FACTS.hoverName);
    if (!name) return false;
    await page.mouse.move(name.x + name.width / 2 - 3, name.y + name.height / 2);
    await page.mouse.move(name.x + name.width / 2, name.y + name.height / 2);
    return hover.first().isVisible();
  }, { timeoutMs: 30_000, intervalMs: 1_000, what: `the card of ${FACTS.hoverProblem} on the name ${FACTS.hoverName}` });
  // Every provider has answered and the card is whole. TypeScript prefixes its signature with
  // "(loading...)" until its project has loaded; a hover shown meanwhile keeps it, so hover again.
  let card = '';
  await helpers.until(async () => {
    card = await text(hover.first());
    if (card.includes('(loading...)')) {
      await page.mouse.move(5, 500);
      await hover.first().waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => {});
      await page.mouse.move(name.x + name.width / 2 - 3, name.y + name.height / 2);
      await page.mouse.move(name.x + name.width / 2, name.y + name.height / 2);
      await hover.first().waitFor({ timeout: 10_000 }).catch(() => {});
      return false;
    }
    return !/Loading/i.test(card) && card.includes('Reveal in sidebar');
  }, { timeoutMs: 90_000, intervalMs: 2_000, what: 'the hover to finish loading' });
  for (const part of [FACTS.hoverProblem, 'high', 'validated', 'DX-1930', 'Fabrikam Health']) assert.ok(card.includes(part), `the card lacks "${part}": ${card}`);
  log(`hover: ${card.slice(0, 160)}…`);
  const hoverBox = await hover.first().boundingBox();
  const tag = await textBox(page, editor, `// @why ${FACTS.hoverProblem}`, `@why ${FACTS.hoverProblem}`);
  const edBox = await editor.boundingBox();
  await shootAround(page, screenshotDir, 'hover-tagged', [hoverBox, name, tag, { x: edBox.x + 16, y: name.y, width: 1, height: 1 }], 16);
  await page.mouse.move(5, 500);
  await page.setViewportSize({ width: page.viewportSize().width, height: 1000 });
}
