// UI scenario: linking as a person does it, through the real quick picks and the real confirmation
// dialog (the integration tests answer these prompts through test hooks and never see them):
//   - in pdf.ts, lines 50-53 selected, "Customer Lens: Link Selection to Customer Problem…" opens our
//     quick pick: "New problem…" first, then problems; typing with a typo ("reconcle payouts") puts P-4
//     right below "New problem…"; choosing it asks how (customerLens.linking.mode is "ask"), and
//     "Write an anchor" adds `- path: src/export/pdf.ts / lines: 50-53 / text: return (` under P-4 in
//     the (unsaved) insights file; the CodeLens "Solves P-4 · …" appears at line 50; one Ctrl+Z in the
//     insights file takes it back (not dirty any more, the lens goes);
//   - in csv.ts, the CodeLens "Unlink" above `async flush()` asks in a modal dialog; "Remove" removes
//     the CsvWriter.flush anchor of P-12 from the unsaved insights file; Ctrl+Z takes it back.
// It runs on a copy of examples/acme-shop in the temp folder, with workspace settings for the mode and
// auto save off (code-server saves after a second by default): nothing of the repository is edited,
// and the copy's files are checked unchanged on disk at the end. Screenshots: linking-pick.png (the
// problem pick after typing), linking-how.png (the mode question), linking-lens.png (the new lens),
// linking-unlink.png (the dialog).
// Run by test/runners/offline/run.mjs --ui (npm run test:ui); see that file for the contract.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const COPY = fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-linking-ui-'));
fs.cpSync(path.join(REPO, 'examples', 'acme-shop'), COPY, { recursive: true });
fs.mkdirSync(path.join(COPY, '.vscode'), { recursive: true });
fs.writeFileSync(path.join(COPY, '.vscode', 'settings.json'), `${JSON.stringify({
  'files.autoSave': 'off',
  'customerLens.linking.mode': 'ask',
  'customerLens.linking.saveAfterEdit': false,
}, null, 2)}\n`);
const ON_DISK = new Map(['customer-insights.yaml', 'src/export/pdf.ts', 'src/export/csv.ts']
  .map((f) => [f, fs.readFileSync(path.join(COPY, f), 'utf8')]));
// Runs when the scenario never does (the session did not come up) and after it.
process.on('exit', () => fs.rmSync(COPY, { recursive: true, force: true }));

/** A copy of examples/acme-shop in the temp folder (its own name, so no --workspace replaces it). */
export const workspace = COPY;
export const timeout = 180;

const ELLIPSIS = '\u2026';

export async function run({ page, assert, log, helpers }) {
  try {
    await linkWithTheQuickPicks({ page, assert, log, helpers });
    await unlinkFromTheLens({ page, assert, log, helpers });
    for (const [file, text] of ON_DISK) {
      assert.strictEqual(fs.readFileSync(path.join(COPY, file), 'utf8'), text, `${file} changed on disk`);
    }
    log('nothing was written to disk');
  } finally {
    await page.keyboard.press('Escape').catch(() => {});
  }
}

async function linkWithTheQuickPicks({ page, assert, log, helpers }) {
  await openFile(page, helpers, 'pdf.ts', 'src/export');
  await goToLine(page, helpers, 50);
  // The selection must be in place before the command reads it: keys pressed while the editor is
  // still taking the focus are lost, and the link would go to whatever line the cursor is on.
  for (let i = 0; i < 4; i++) await page.keyboard.press('Shift+ArrowDown');
  await helpers.until(async () => /Ln 54, Col \d+ \(\d+ selected\)/.test(await cursorStatus(page)),
    { timeoutMs: 10_000, what: `lines 50-54 selected (status bar: "${await cursorStatus(page)}")` });
  await helpers.runCommand(`Customer Lens: Link Selection to Customer Problem${ELLIPSIS}`, { keepFocus: true });

  // Our quick pick: title, "New problem…" first, our fuzzy search on every keystroke.
  const widget = page.locator('.quick-input-widget');
  await helpers.until(async () => /Link the selection to which customer problem\?/.test(await widget.locator('.quick-input-title').innerText().catch(() => '')),
    { timeoutMs: 30_000, what: 'the problem pick' });
  const rows = widget.locator('.monaco-list-row');
  await helpers.until(async () => (await rows.count()) > 5, { timeoutMs: 10_000, what: 'problems in the pick' });
  assert.match(await rowText(rows.nth(0)), /New problem/, 'the first row is not "New problem…"');
  await widget.locator('input').pressSequentially('reconcle payouts', { delay: 30 });
  await helpers.until(async () => /Reconciling payouts against orders/.test(await rowText(rows.nth(1))),
    { timeoutMs: 10_000, what: 'P-4 right after "New problem…" for "reconcle payouts"' });
  assert.match(await rowText(rows.nth(0)), /New problem/, '"New problem…" is no longer first while searching');
  assert.match(await rowText(rows.nth(1)), /P-4/, `the second row does not describe P-4: ${await rowText(rows.nth(1))}`);
  log(`"reconcle payouts": ${await rowText(rows.nth(1))}`);
  await helpers.screenshot('linking-pick');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');

  // Mode "ask": how to link.
  await helpers.until(async () => /Link to P-4: how\?/.test(await widget.locator('.quick-input-title').innerText().catch(() => '')),
    { timeoutMs: 10_000, what: 'the question how to link' });
  assert.match(await rowText(rows.nth(0)), /Write an anchor into the insights file/);
  assert.match(await rowText(rows.nth(1)), /Insert a @why comment in the code/);
  await helpers.screenshot('linking-how');
  await page.keyboard.press('Enter');
  await widget.waitFor({ state: 'hidden', timeout: 10_000 });

  // The CodeLens at line 50 of pdf.ts.
  const lens = page.locator('.monaco-editor .codelens-decoration', { hasText: 'Solves P-4' });
  await helpers.until(async () => (await lens.count()) > 0, { timeoutMs: 10_000, what: 'the CodeLens "Solves P-4" in pdf.ts' });
  log(`lens: ${(await lens.first().innerText()).replace(/\s+/g, ' ').trim()}`);
  await helpers.screenshot('linking-lens');

  // The unsaved insights file has the anchor under P-4.
  await openFile(page, helpers, 'customer-insights.yaml');
  await helpers.until(async () => (await dirtyTab(page, 'customer-insights.yaml')), { timeoutMs: 5_000, what: 'the insights file to be dirty' });
  await goToLine(page, helpers, 375);
  const text = await editorText(page, 'customer-insights.yaml');
  assert.match(text, /note: Matches on bank reference first, then amount; explains differences\.\n {6}- path: src\/export\/pdf\.ts\n {8}lines: 50-53\n {8}text: return \(\n\n {2}- id: P-14/, text);
  log('customer-insights.yaml: the anchor is under P-4, unsaved');

  // One undo takes it back.
  await page.keyboard.press('Control+z');
  await helpers.until(async () => !(await dirtyTab(page, 'customer-insights.yaml')), { timeoutMs: 5_000, what: 'the insights file to be clean after Ctrl+Z' });
  assert.doesNotMatch(await editorText(page, 'customer-insights.yaml'), /lines: 50-53/, 'the anchor is still there after Ctrl+Z');
  await openFile(page, helpers, 'pdf.ts', 'src/export');
  await helpers.until(async () => (await lens.count()) === 0, { timeoutMs: 10_000, what: 'the CodeLens "Solves P-4" to go' });
  log('Ctrl+Z took the link back; the lens went');
}

async function unlinkFromTheLens({ page, assert, log, helpers }) {
  await openFile(page, helpers, 'csv.ts', 'src/export');
  await goToLine(page, helpers, 80);
  const unlink = page.locator('.monaco-editor .codelens-decoration a', { hasText: /^Unlink$/ });
  // Several lenses say Unlink; the one in the view zone just above `async flush()` (a symbol anchor:
  // it shows once the TypeScript server knows the file's symbols).
  const target = await helpers.until(async () => lensAbove(page, unlink, await lineNumberOf(page, helpers, 'csv.ts', 'async flush()')),
    { timeoutMs: 60_000, what: 'the Unlink lens right above async flush()' });
  await target.click();

  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', timeout: 10_000 });
  const message = (await dialog.innerText()).replace(/\s+/g, ' ');
  assert.match(message, /Remove the link from P-12 to CsvWriter\.flush\?/, message);
  await helpers.screenshot('linking-unlink');
  await dialog.locator('.monaco-button', { hasText: /^Remove$/ }).click();
  await dialog.waitFor({ state: 'hidden', timeout: 10_000 });

  await openFile(page, helpers, 'customer-insights.yaml');
  await helpers.until(async () => (await dirtyTab(page, 'customer-insights.yaml')), { timeoutMs: 5_000, what: 'the insights file to be dirty after Remove' });
  await goToLine(page, helpers, 286);
  const text = await editorText(page, 'customer-insights.yaml');
  assert.match(text, /- src\/export\/\*\* +# everything in the export feature\n {6}- path: src\/export\/csv\.ts\n {8}lines: 106-108/, text);
  assert.doesNotMatch(text, /symbol: CsvWriter\.flush/, 'the CsvWriter.flush anchor is still there');
  log('Remove took the CsvWriter.flush anchor out of P-12, unsaved');
  await page.keyboard.press('Control+z');
  await helpers.until(async () => !(await dirtyTab(page, 'customer-insights.yaml')), { timeoutMs: 5_000, what: 'the insights file to be clean after Ctrl+Z' });
  assert.match(await editorText(page, 'customer-insights.yaml'), /symbol: CsvWriter\.flush/, 'Ctrl+Z did not bring the anchor back');
}

// ---------------------------------------------------------------------------------------------

async function rowText(row) {
  return (await row.innerText().catch(() => '')).replace(/\s+/g, ' ').trim();
}

/** Quick Open (the palette without ">") and the row of this file. */
async function openFile(page, helpers, name, dir) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(dir ? `${dir}/${name}` : name);
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first();
  await row.waitFor({ timeout: 15_000 });
  await row.click();
  await helpers.until(async () => (await page.locator('.tabs-container .tab.active', { hasText: name }).count()) > 0,
    { timeoutMs: 10_000, what: `${name} as the active editor` });
  // Quick Open leaves the focus in the editor (no click: sticky scroll may cover any corner of it).
}

async function goToLine(page, helpers, line) {
  // Go to Line through the palette; on a busy machine the first Enter can reach the palette before
  // it reads the line, so the action is repeated until the status bar shows the cursor there.
  const there = async () => new RegExp(`^Ln ${line}, `).test(await cursorStatus(page));
  for (let attempt = 1; attempt <= 3; attempt++) {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(`:${line}`);
    await helpers.until(async () => /line \d+|Go to line|Current Line/i.test(await page.locator('.quick-input-widget').innerText().catch(() => '')),
      { timeoutMs: 5_000, what: 'the palette to read the line number' }).catch(() => {});
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => {});
    const ok = await helpers.until(there, { timeoutMs: 5_000, what: `the cursor on line ${line}` }).then(() => true, () => false);
    if (ok) return;
    await page.keyboard.press('Escape').catch(() => {});
  }
  throw new Error(`the cursor did not reach line ${line} (status bar: "${await cursorStatus(page)}")`);
}

/** The status bar's cursor item ("Ln 54, Col 1 (120 selected)"), or '' while there is none. */
async function cursorStatus(page) {
  return (await page.locator('[id="status.editor.selection"]').innerText().catch(() => '')).replace(/\s+/g, ' ').trim();
}

async function dirtyTab(page, name) {
  return (await page.locator('.tabs-container .tab.dirty', { hasText: name }).count()) > 0;
}

/** The rendered lines of the active editor of this file, top to bottom (only what is on screen). */
async function editorText(page, name) {
  const lines = page.locator(`.editor-group-container.active .monaco-editor[data-uri$="${name}"] .view-lines .view-line`);
  const rows = await lines.evaluateAll((els) => els
    .map((e) => ({ top: parseFloat(e.style.top || '0'), text: (e.textContent || '').replace(/\u00a0/g, ' ') }))
    .sort((a, b) => a.top - b.top)
    .map((r) => r.text));
  return rows.join('\n');
}

/** The 1-based number of the first rendered line containing `needle` (from the line-number gutter). */
async function lineNumberOf(page, helpers, name, needle) {
  const editor = `.editor-group-container.active .monaco-editor[data-uri$="${name}"]`;
  return helpers.until(async () => {
    const lines = await page.locator(`${editor} .view-lines .view-line`).evaluateAll((els) => els.map((e) => ({
      top: parseFloat(e.style.top || '0'), text: (e.textContent || '').replace(/\u00a0/g, ' '),
    })));
    const numbers = await page.locator(`${editor} .margin-view-overlays .line-numbers`).evaluateAll((els) => els.map((e) => ({
      top: parseFloat(e.parentElement?.style.top || '0'), n: Number((e.textContent || '').trim()),
    })));
    const hit = lines.find((l) => l.text.includes(needle));
    const number = hit && numbers.find((x) => Math.abs(x.top - hit.top) < 2);
    return number ? { line: number.n, top: hit.top } : undefined;
  }, { timeoutMs: 10_000, what: `the line "${needle}" on screen` });
}

/** The lens link whose view zone sits right above the line at `top` (pixels in the editor's lines layer). */
async function lensAbove(page, links, target) {
  const box = await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().boundingBox();
  if (!box) return undefined;
  const lineTop = box.y + target.top;
  let best;
  for (let i = 0; i < await links.count(); i++) {
    const b = await links.nth(i).boundingBox();
    if (!b) continue;
    const gap = lineTop - (b.y + b.height);
    if (gap >= -2 && gap < 30 && (!best || gap < best.gap)) best = { gap, link: links.nth(i) };
  }
  return best?.link;
}
