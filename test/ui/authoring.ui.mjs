// UI scenario: a typo in the insights file, found and fixed as a person does it, through the real
// Problems panel and the real quick fix menu (the integration tests call the providers directly):
//   - customer-insights.yaml open; the Problems panel (View: Focus Problems) lists the example's own
//     findings (an anchor whose code moved, a stale problem) and nothing about severity;
//   - in an unsaved edit, P-12's `severity: high` becomes `severity: hgih`; the panel then lists
//     `"severity" must be one of critical, high, medium, low (found "hgih"; nearest: "high").` from
//     Customer Lens at Ln 242, Col 15;
//   - Enter on that row puts the cursor on the error in the editor (it selects "hgih"); Ctrl+. opens
//     the quick fix menu, whose first (focused) entry is `Change severity to "high"`, then the other
//     values;
//   - Enter applies it: line 242 reads `severity: high` again, the panel lists exactly the rows it
//     listed before the typo (the example's own findings), and nothing was written to disk.
// It runs on a copy of examples/acme-shop in the temp folder with auto save off, so the example is
// never written. Screenshot (Dark Modern, like the other docs images; the session's theme is put
// back afterwards): problems-quickfix.png, the quick fix menu over the YAML above the Problems panel
// with the finding.
// Run by test/runners/offline/run.mjs --ui (npm run test:ui); see that file for the contract.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { clip, quickOpen, useTheme } from './lib/workbench.mjs';
import { EDITOR, goToLine } from './lib/views.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const COPY = fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-authoring-ui-'));
fs.cpSync(path.join(REPO, 'examples', 'acme-shop'), COPY, { recursive: true });
fs.mkdirSync(path.join(COPY, '.vscode'), { recursive: true });
// Auto save off: the typo stays in the buffer. Sticky scroll off: nothing pinned over the YAML. No
// forwarded ports: no badge on the panel's Ports tab in the picture.
fs.writeFileSync(path.join(COPY, '.vscode', 'settings.json'), `${JSON.stringify({
  'files.autoSave': 'off',
  'editor.stickyScroll.enabled': false,
  'remote.autoForwardPorts': false,
}, null, 2)}\n`);
const INSIGHTS = 'customer-insights.yaml';
const ON_DISK = fs.readFileSync(path.join(COPY, INSIGHTS), 'utf8');
process.on('exit', () => fs.rmSync(COPY, { recursive: true, force: true }));

/** A copy of examples/acme-shop in the temp folder (its own name, so no --workspace replaces it). */
export const workspace = COPY;
export const timeout = 150;

const PANEL = '#workbench\\.parts\\.panel';
const MARKERS = `${PANEL} .markers-panel`;
const FINDING = /"severity" must be one of critical, high, medium, low \(found "hgih"; nearest: "high"\)/;
const FIX = 'Change severity to "high"';

export async function run({ page, assert, log, helpers, screenshotDir }) {
  // The line of P-12's severity, from the file itself.
  const lines = ON_DISK.split('\n');
  const p12 = lines.findIndex((l) => l.trim() === '- id: P-12');
  const line = lines.findIndex((l, i) => i > p12 && /^ {4}severity: high$/.test(l)) + 1;
  assert.ok(p12 >= 0 && line > 0, `no "severity: high" under P-12 in ${INSIGHTS}`);
  const column = lines[line - 1].indexOf('high') + 1;

  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  const viewport = page.viewportSize();
  const restoreTheme = await useTheme(page, helpers, log, 'Dark Modern');
  // Wide enough for the finding's whole message in the panel beside the sidebar; not so tall that
  // the picture is mostly empty panel.
  await page.setViewportSize({ width: 1440, height: 860 });
  try {
    // 1. The insights file, and the Problems panel with the example's own findings.
    await quickOpen(page, INSIGHTS, INSIGHTS);
    const editor = page.locator(EDITOR).first();
    await editor.locator('.view-line', { hasText: 'version: 1' }).first().waitFor({ timeout: 30_000 });
    await helpers.runCommand('View: Focus Problems');
    const markers = page.locator(MARKERS);
    await markers.waitFor({ timeout: 15_000 });
    const rows = markers.locator('.monaco-list-row');
    const texts = async () => (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    let seen = [];
    await helpers.until(async () => {
      seen = await texts();
      return seen.some((t) => /moved/.test(t)) && seen.some((t) => /last confirmed by a customer/.test(t));
    }, { timeoutMs: 60_000, what: 'the example\'s own findings in the Problems panel' }).catch((e) => {
      throw new Error(`${e.message}; rows: ${seen.join(' | ')}`);
    });
    assert.ok(!seen.some((t) => /"severity"/.test(t)), `a severity finding before the typo: ${seen.join(' | ')}`);
    const before = seen;
    log(`Problems panel before the typo: ${seen.join(' | ')}`);

    // 2. The typo, unsaved: `severity: high` becomes `severity: hgih`.
    await editor.click({ position: { x: 300, y: 100 } });
    await goToLine(page, line);
    await page.keyboard.press('End');
    for (let i = 0; i < 4; i++) await page.keyboard.press('Backspace');
    await page.keyboard.type('hgih');
    await page.keyboard.press('Escape'); // a suggestion list, if any
    await helpers.until(async () => (await page.locator('.tabs-container .tab.dirty', { hasText: INSIGHTS }).count()) > 0,
      { timeoutMs: 5_000, what: `${INSIGHTS} to be dirty` });
    assert.strictEqual(await lineText(page, helpers, line), '    severity: hgih');

    // 3. The panel lists the finding, from Customer Lens, at its place.
    const finding = rows.filter({ hasText: FINDING });
    await helpers.until(async () => (await finding.count()) > 0, { timeoutMs: 30_000, what: 'the "hgih" finding in the Problems panel' }).catch(async (e) => {
      throw new Error(`${e.message}; rows: ${(await texts()).join(' | ')}`);
    });
    const row = (await finding.first().innerText()).replace(/\s+/g, ' ').trim();
    assert.match(row, /customer-lens|Customer Lens/i, `the finding's source: ${row}`);
    assert.match(row, new RegExp(`\\[Ln ${line}, Col ${column}\\]`), `the finding's place: ${row}`);
    log(`finding: ${row}`);

    // 4. Enter on the row: the editor, cursor on the error; Ctrl+. opens the quick fix menu.
    await finding.first().click();
    await page.keyboard.press('Enter');
    const cursor = page.locator('.statusbar-item', { hasText: /^Ln \d+, Col \d+/ }).first();
    // The editor selects the finding's span, "hgih", and the cursor ends after it.
    const selected = `Ln ${line}, Col ${column + 4} (4 selected)`;
    await helpers.until(async () => (await cursor.innerText()).replace(/\s+/g, ' ').trim() === selected
      && (await page.locator(`${EDITOR}.focused`).count()) > 0,
    { timeoutMs: 10_000, what: `"${selected}" in the focused editor` }).catch(async (e) => {
      throw new Error(`${e.message}; status bar: ${await cursor.innerText().catch(() => '?')}`);
    });
    await page.keyboard.press('Control+Period');
    const menu = page.locator('.action-widget');
    const actions = menu.locator('.monaco-list-row.action');
    let offered = [];
    await helpers.until(async () => {
      offered = (await actions.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
      return offered.includes(FIX);
    }, { timeoutMs: 15_000, what: `the quick fix menu with "${FIX}"` }).catch((e) => {
      throw new Error(`${e.message}; menu: ${offered.join(' | ')}`);
    });
    log(`quick fixes: ${offered.join(' | ')}`);
    assert.strictEqual(offered[0], FIX, `the first fix is not "${FIX}": ${offered.join(' | ')}`);
    for (const other of ['critical', 'medium', 'low']) {
      assert.ok(offered.includes(`Change severity to "${other}"`), `no fix to "${other}": ${offered.join(' | ')}`);
    }
    const focused = menu.locator('.monaco-list-row.action.focused');
    await helpers.until(async () => ((await focused.innerText().catch(() => '')).replace(/\s+/g, ' ').trim() === FIX),
      { timeoutMs: 5_000, what: `"${FIX}" focused in the menu` });

    // 5. The screenshot: the YAML with the menu, above the panel with the finding.
    await page.mouse.move(5, 5);
    const ed = await page.locator('#workbench\\.parts\\.editor').boundingBox();
    const lastRow = await rows.last().boundingBox();
    const errorRow = await editor.locator('.view-line', { hasText: 'severity: hgih' }).first().boundingBox();
    const top = Math.max(ed.y, errorRow.y - 6 * errorRow.height);
    await clip(page, screenshotDir, 'problems-quickfix', { x: ed.x, y: top, width: ed.width, height: lastRow.y + lastRow.height + 8 - top });

    // 6. Enter applies the fix: the value is right again and the finding leaves the panel.
    await page.keyboard.press('Enter');
    await menu.waitFor({ state: 'hidden', timeout: 10_000 });
    await helpers.until(async () => (await lineText(page, helpers, line)) === '    severity: high',
      { timeoutMs: 10_000, what: `line ${line} to read "severity: high"` });
    // The panel is back to exactly what it listed before the typo (the example's own findings).
    let after = [];
    await helpers.until(async () => {
      after = await texts();
      return (await finding.count()) === 0 && after.join('\n') === before.join('\n');
    }, { timeoutMs: 30_000, what: 'the Problems panel to list what it did before the typo' }).catch((e) => {
      throw new Error(`${e.message}; before: ${before.join(' | ')}; now: ${after.join(' | ')}`);
    });
    const dirty = (await page.locator('.tabs-container .tab.dirty', { hasText: INSIGHTS }).count()) > 0;
    log(`after the fix: line ${line} "${(await lineText(page, helpers, line)).trim()}" (${dirty ? 'unsaved' : 'clean'}); the panel lists the ${after.length - 1} findings it did before`);
    assert.strictEqual(fs.readFileSync(path.join(COPY, INSIGHTS), 'utf8'), ON_DISK, `${INSIGHTS} changed on disk`);
    log('nothing was written to disk');
  } finally {
    await page.keyboard.press('Escape').catch(() => {});
    await page.mouse.move(700, 400).catch(() => {});
    await restoreTheme();
    await page.setViewportSize(viewport);
  }
}

/** The text of line `n` (1-based) of the active editor, as rendered (the line must be on screen). */
async function lineText(page, helpers, n) {
  const editor = '.editor-group-container.active .editor-instance .monaco-editor';
  return helpers.until(async () => {
    const lines = await page.locator(`${editor} .view-lines .view-line`).evaluateAll((els) => els.map((e) => ({
      top: parseFloat(e.style.top || '0'), text: (e.textContent || '').replace(/\u00a0/g, ' '),
    })));
    const numbers = await page.locator(`${editor} .margin-view-overlays .line-numbers`).evaluateAll((els) => els.map((e) => ({
      top: parseFloat(e.parentElement?.style.top || '0'), n: Number((e.textContent || '').trim()),
    })));
    const number = numbers.find((x) => x.n === n);
    const hit = number && lines.find((l) => Math.abs(l.top - number.top) < 2);
    return hit ? hit.text : undefined;
  }, { timeoutMs: 10_000, what: `line ${n} on screen` });
}
