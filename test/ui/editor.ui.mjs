// UI scenario: Customer Lens in the editor, as a person sees it on examples/acme-shop/src/export/csv.ts.
//   - Quick Open (Ctrl+P) opens csv.ts; the editor scrolls to the CsvWriter class and its flush method;
//   - moving the mouse over the id in `// @why P-12` shows the problem card (title, badges, tickets);
//   - CodeLens "Solves P-12 · CSV export times out on large reports · 14 customers · 52 tickets" stand
//     above flush and above the `if (rows.length > MAX_ROWS) {` region;
//   - gutter marks run along the anchored regions;
//   - the status bar shows the file's problems, with a tooltip listing them.
// Screenshots (in a dark theme; the session's theme is put back afterwards): hover.png, codelens.png,
// gutter.png, statusbar.png.
// Run by test/runners/offline/run.mjs --ui (npm run test:ui); see that file for the contract.
import fs from 'node:fs';
import path from 'node:path';
import { clip, quickOpen, useTheme } from './lib/workbench.mjs';

export const workspace = 'examples/acme-shop';
export const timeout = 180;

const EDITOR = '.part.editor .editor-instance .monaco-editor';
const P12_TITLE = 'CSV export times out on large reports';

export async function run({ page, assert, log, helpers, screenshotDir, workspace: ws }) {
  const csvText = fs.readFileSync(path.join(ws, 'src', 'export', 'csv.ts'), 'utf8').split('\n');
  const tagLine = csvText.findIndex((l) => l.trim() === '// @why P-12') + 1;
  assert.ok(tagLine > 0, 'csv.ts has no "// @why P-12" line');

  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  // A taller window gives the hover card room for all of it (its height is capped by the editor's).
  const viewport = page.viewportSize();
  const restoreTheme = await useTheme(page, helpers, log, 'Dark Modern');
  await page.setViewportSize({ width: viewport.width, height: 1200 });
  // Sticky scroll (on by default) would pin enclosing declarations over the code in the
  // screenshots: toggled off here, and back on at the end.
  await helpers.runCommand('View: Toggle Editor Sticky Scroll');
  try {
    // 1. Quick Open csv.ts.
    await quickOpen(page, 'csv.ts', 'src/export');
    const editor = page.locator(EDITOR).first();
    await editor.locator('.view-line', { hasText: "from '../orders/types'" }).first().waitFor({ timeout: 30_000 });
    log('csv.ts open');

    // 2. Scroll so that `// @why P-12` is near the top, with the ticket comment and flush below it.
    await scrollToTop(page, helpers, editor, tagLine - 1, log);
    await editor.locator('.view-line', { hasText: 'async flush(' }).first().waitFor({ timeout: 10_000 });

    // 3. CodeLens above flush (they arrive once the index has loaded).
    const lensAboveFlush = editor.locator('.codelens-decoration', { hasText: `Solves P-12 \u00b7 ${P12_TITLE}` });
    await helpers.until(async () => (await lensAboveFlush.count()) > 0, { timeoutMs: 60_000, what: 'the "Solves P-12 · …" CodeLens' });
    const lensText = (await lensAboveFlush.first().textContent()).replace(/\s+/g, ' ').trim();
    assert.match(lensText, /^Solves P-12 · CSV export times out on large reports · 14 customers · 52 tickets/, `CodeLens: ${lensText}`);
    log(`CodeLens: "${lensText}"`);

    // 4. Gutter marks along flush (glyph margin decorations of the severity's icon).
    const marks = editor.locator('.glyph-margin-widgets .cgmr, .margin-view-overlays .cgmr');
    await helpers.until(async () => (await marks.count()) >= 3, { timeoutMs: 20_000, what: 'gutter marks along the anchored regions' });
    log(`${await marks.count()} gutter marks visible; sticky scroll lines: ${await page.locator('.sticky-widget .sticky-line-content').count()}`);
    await page.mouse.move(5, 600); // nothing hovered
    await page.waitForTimeout(300);
    await shootCode(page, screenshotDir, 'codelens', editor, '// @why P-12', 'async close()');

    // 5. The hover card on the id of `// @why P-12`. Its height is capped at a quarter of the
    //    editor's: a very tall window shows the whole card without a scroll bar.
    await page.setViewportSize({ width: viewport.width, height: 2200 });
    await page.waitForTimeout(500);
    const box = await textBox(page, editor, '// @why P-12', 'P-12');
    assert.ok(box, 'cannot find the text "P-12" of "// @why P-12" on screen');
    const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: P12_TITLE });
    await helpers.until(async () => {
      await page.mouse.move(box.x + box.width / 2 - 3, box.y + box.height / 2);
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      return hover.first().isVisible();
    }, { timeoutMs: 20_000, intervalMs: 1_000, what: 'the P-12 hover card' });
    await page.waitForTimeout(400); // the card fades in
    const card = (await hover.first().innerText()).replace(/\s+/g, ' ');
    for (const part of ['P-12', 'in-progress', 'high', 'ACME-881', 'Validated', 'Reveal in sidebar']) assert.ok(card.includes(part), `the card lacks "${part}": ${card}`);
    log(`hover card: ${card.slice(0, 140)}…`);
    const hoverBox = await hover.first().boundingBox();
    const edBox = await editor.boundingBox();
    await shootAround(page, screenshotDir, 'hover', [hoverBox, box, { x: edBox.x + 16, y: box.y, width: 1, height: 1 }], 16);

    // 6. The top of the file: the CodeLens of the glob anchor (src/export/**) on line 1, and the
    //    medium-severity gutter mark of P-14 along `export const COLUMNS = [` (the anchor moved there).
    await page.mouse.move(5, 450);
    await page.keyboard.press('Escape');
    await page.setViewportSize({ width: viewport.width, height: 1200 });
    await page.waitForTimeout(300);
    await scrollToTop(page, helpers, editor, 1, log);
    await goToLine(page, helpers, 15); // the cursor on a blank line: no light bulb in the picture
    const lensP14 = editor.locator('.codelens-decoration', { hasText: 'Solves P-14' });
    await helpers.until(async () => (await lensP14.count()) > 0, { timeoutMs: 10_000, what: 'the CodeLens of P-14 above COLUMNS' });
    await page.waitForTimeout(300);
    await shootCode(page, screenshotDir, 'gutter', editor, "from '../orders/types'", 'export interface CsvSink');

    // 7. The status bar: the file's problems, and their titles in the tooltip.
    const item = page.locator('.statusbar-item', { hasText: 'P-12' }).first();
    await item.waitFor({ timeout: 20_000 });
    const itemText = (await item.innerText()).replace(/\s+/g, ' ').trim();
    assert.match(itemText, /P-12 \+1/, `status bar item: ${itemText}`);
    log(`status bar: "${itemText}"`);
    const itemBox = await item.boundingBox();
    const tooltip = page.locator('.monaco-hover:not(.hidden), .workbench-hover, .custom-hover', { hasText: 'This file solves' });
    await helpers.until(async () => {
      await page.mouse.move(itemBox.x + itemBox.width / 2 - 2, itemBox.y + itemBox.height / 2);
      await page.mouse.move(itemBox.x + itemBox.width / 2, itemBox.y + itemBox.height / 2);
      return tooltip.first().isVisible();
    }, { timeoutMs: 15_000, intervalMs: 1_500, what: 'the status bar tooltip' }).catch(() => log('no status bar tooltip appeared; screenshot without it'));
    await page.waitForTimeout(300);
    const tipBox = (await tooltip.first().isVisible().catch(() => false)) ? await tooltip.first().boundingBox() : null;
    const bar = await page.locator('#workbench\\.parts\\.statusbar').boundingBox();
    await shootAround(page, screenshotDir, 'statusbar', [tipBox, itemBox, { x: bar.x, y: bar.y, width: 520, height: bar.height }], 12);
  } finally {
    await page.mouse.move(700, 400);
    await helpers.runCommand('View: Toggle Editor Sticky Scroll').catch(() => {});
    await restoreTheme();
    await page.setViewportSize(viewport);
  }
}

/** Go to Line (Ctrl+G): the editor reveals the line in its centre. */
async function goToLine(page, helpers, line) {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`:${line}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => {});
  await page.waitForTimeout(200);
}

/** The on-screen box of `needle` inside the rendered editor line whose text is `lineText`. */
async function textBox(page, editor, lineText, needle) {
  const handle = await editor.elementHandle();
  return page.evaluate(({ root, lineText, needle }) => {
    for (const line of root.querySelectorAll('.view-line')) {
      if (line.textContent.replace(/\u00a0/g, ' ').trim() !== lineText) continue;
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const at = n.textContent.replace(/\u00a0/g, ' ').indexOf(needle);
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(n, at);
        range.setEnd(n, at + needle.length);
        const r = range.getBoundingClientRect();
        return { x: r.x, y: r.y, width: r.width, height: r.height };
      }
    }
    return null;
  }, { root: handle, lineText, needle });
}

/** Scrolls the editor line by line (Ctrl+Up/Down) until `line` (1-based) is the first line shown. */
async function scrollToTop(page, helpers, editor, line, log) {
  await goToLine(page, helpers, line);
  let top = await firstVisibleLine(page, editor);
  for (let i = 0; i < 80 && top !== line; i++) {
    await page.keyboard.press(top < line ? 'Control+ArrowDown' : 'Control+ArrowUp');
    await page.waitForTimeout(30);
    top = await firstVisibleLine(page, editor);
  }
  if (top !== line) log(`could not scroll line ${line} to the top (first line shown: ${top})`);
}

/** The number of the first line whose number is fully shown in the editor. */
async function firstVisibleLine(page, editor) {
  const handle = await editor.elementHandle();
  return page.evaluate((root) => {
    const top = root.querySelector('.lines-content')?.closest('.monaco-scrollable-element')?.getBoundingClientRect().top ?? root.getBoundingClientRect().top;
    const numbers = [...root.querySelectorAll('.line-numbers')]
      .filter((n) => n.getBoundingClientRect().top >= top - 1)
      .map((n) => Number(n.textContent.trim()))
      .filter((n) => Number.isFinite(n) && n > 0);
    return Math.min(...numbers);
  }, handle);
}

/** The code from one line to another (gutter to the minimap's edge), with a little room around. */
async function shootCode(page, dir, name, editor, fromText, toText) {
  const from = await editor.locator('.view-line', { hasText: fromText }).first().boundingBox();
  const to = await editor.locator('.view-line', { hasText: toText }).first().boundingBox();
  const ed = await editor.boundingBox();
  const minimap = await editor.locator('.minimap').first().boundingBox().catch(() => null);
  const right = Math.min(minimap ? minimap.x : ed.x + ed.width, ed.x + 860);
  const top = Math.max(ed.y, from.y - from.height - 2);
  await clip(page, dir, name, { x: ed.x, y: top, width: right - ed.x, height: to.y + to.height + 8 - top });
}

/** A screenshot of the region holding every given box, with a margin, inside the page. */
async function shootAround(page, dir, name, boxes, margin) {
  const list = boxes.filter(Boolean);
  const x0 = Math.max(0, Math.min(...list.map((b) => b.x)) - margin);
  const y0 = Math.max(0, Math.min(...list.map((b) => b.y)) - margin);
  const vp = page.viewportSize();
  const x1 = Math.min(vp.width, Math.max(...list.map((b) => b.x + b.width)) + margin);
  const y1 = Math.min(vp.height, Math.max(...list.map((b) => b.y + b.height)) + margin);
  await clip(page, dir, name, { x: x0, y: y0, width: x1 - x0, height: y1 - y0 });
}
