// UI scenario: the Search view in the Customer Lens sidebar, as a person uses it.
//   - opens the Customer Lens activity bar container; the Search view (a webview) shows a search box;
//   - typing a query with a typo ("exprot csv") lists P-12 first, its matched title characters marked;
//   - ArrowDown / ArrowUp move the active result (aria-activedescendant follows) and show its card;
//   - Enter reveals P-12 in the Problems tree (its row becomes selected) and keeps the card shown;
//   - Escape clears the search;
//   - "Search Customer Problems…" in the command palette lists P-12 first for the same typo.
// Screenshots: search.png (results and filters), search-revealed.png (after Enter), search-dark.png
// (or search-light.png: the other theme kind), search-quickpick.png (the palette's quick pick), plus
// crops of the sidebar (*-sidebar.png; search-tall-sidebar.png with the other views collapsed).
// Run by test/runners/offline/run.mjs --ui (npm run test:ui); see that file for the contract.
import path from 'node:path';

export const workspace = 'examples/acme-shop';
export const timeout = 150;

const SIDEBAR = '#workbench\\.parts\\.sidebar';

export async function run(context) {
  const { page } = context;
  const activity = page.locator('.activitybar [aria-label^="Customer Lens"]').first();
  await activity.waitFor({ timeout: 60_000 });
  // The container shown before (the Explorer) is shown again at the end: scenarios share a session.
  const before = await page.locator('.activitybar .action-item.checked .action-label').first().getAttribute('aria-label').catch(() => null);
  try {
    await scenario(context, activity);
  } finally {
    if (before && !before.startsWith('Customer Lens')) {
      await page.locator(`.activitybar .action-label[aria-label="${before.replace(/"/g, '\\"')}"]`).first().click().catch(() => {});
    }
  }
}

async function scenario({ page, assert, log, helpers, screenshotDir }, activity) {
  // 1. The activity bar entry opens the container.
  const sidebar = page.locator(SIDEBAR);
  const searchHeader = sidebar.locator('.pane-header', { hasText: /^\s*Search/ });
  if (!(await searchHeader.isVisible().catch(() => false))) await activity.click();
  await searchHeader.first().waitFor({ timeout: 30_000 });
  log('Customer Lens container open');

  // 2. The webview: VS Code nests the page in iframe.webview > iframe#active-frame.
  const frame = await helpers.until(() => searchFrame(page), { timeoutMs: 60_000, what: 'the Search view webview with a search box' });
  const input = frame.locator('#query');
  await input.waitFor({ timeout: 30_000 });
  const csp = await frame.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  assert.match(csp ?? '', /default-src 'none'/, `CSP: ${csp}`);
  assert.match(csp ?? '', /script-src 'nonce-[A-Za-z0-9+/=]{16,}'(;|$)/, `CSP: ${csp}`);
  assert.doesNotMatch(csp ?? '', /unsafe-(inline|eval)|\*(?!\.vscode-cdn\.net)/, `CSP: ${csp}`);
  assert.strictEqual(await frame.locator('label[for="query"]').count(), 1, 'the search box has no label');
  assert.strictEqual(await frame.locator('#results[role="listbox"]').count(), 1, 'the results are not a listbox');
  assert.strictEqual(await frame.locator('[aria-live="polite"]').count(), 1, 'no live region announces the result count');
  // The index loads in the background: the empty query lists every problem by impact once it has.
  await helpers.until(async () => (await frame.locator('.result').count()) > 5, { timeoutMs: 60_000, what: 'the problem list' });
  log(`view lists ${await frame.locator('.result').count()} problems before typing`);

  // 3. Type a query with a typo, key by key: results follow every keystroke.
  await input.click();
  await input.pressSequentially('exprot csv', { delay: 40 });
  const first = frame.locator('.result').first();
  await helpers.until(async () => /P-12\b/.test(await first.locator('.id').innerText()), { timeoutMs: 15_000, what: 'P-12 as the first result' });
  const firstTitle = (await first.locator('.title').innerText()).trim();
  assert.match(firstTitle, /CSV export/, `first result title: ${firstTitle}`);
  const marks = await first.locator('mark').allInnerTexts();
  assert.ok(marks.length > 0, 'the first result has no highlighted characters');
  assert.strictEqual(await input.getAttribute('aria-activedescendant'), await first.getAttribute('id'), 'aria-activedescendant is not the first result');
  assert.strictEqual(await first.getAttribute('aria-selected'), 'true');
  const count = (await frame.locator('#count').innerText()).trim();
  log(`"exprot csv": ${count}; first: ${firstTitle} (marked: ${marks.map((m) => JSON.stringify(m)).join(' ')})`);

  // 4. Keyboard navigation: the active result moves and its card shows.
  const total = await frame.locator('.result').count();
  if (total > 1) {
    await input.press('ArrowDown');
    const second = frame.locator('.result').nth(1);
    await helpers.until(async () => (await second.getAttribute('aria-selected')) === 'true', { timeoutMs: 5_000, what: 'ArrowDown to select the second result' });
    assert.strictEqual(await input.getAttribute('aria-activedescendant'), await second.getAttribute('id'));
    await input.press('ArrowUp');
    await helpers.until(async () => (await first.getAttribute('aria-selected')) === 'true', { timeoutMs: 5_000, what: 'ArrowUp to select the first result again' });
  }
  const card = frame.locator('#card');
  await helpers.until(async () => /CSV export/.test(await card.innerText().catch(() => '')), { timeoutMs: 10_000, what: 'the card of P-12' });
  await helpers.screenshot('search');
  await crop(page, screenshotDir, 'search-sidebar');

  // 5. Enter reveals the problem in the Problems tree, and the card stays.
  await input.press('Enter');
  const row = sidebar.locator('.monaco-list-row[aria-selected="true"]', { hasText: 'CSV export' });
  await helpers.until(async () => (await row.count()) > 0 && (await row.first().isVisible()), { timeoutMs: 20_000, what: 'the P-12 row selected in the Problems tree' });
  log(`tree row selected: "${(await row.first().innerText()).replace(/\s+/g, ' ').trim()}"`);
  assert.match(await card.innerText(), /CSV export/, 'the card disappeared');
  await helpers.screenshot('search-revealed');
  await crop(page, screenshotDir, 'search-revealed-sidebar');

  // 6. The same in a theme of the other kind (light <-> dark); the theme is put back afterwards.
  const original = await currentTheme(page, helpers);
  const dark = (await page.locator('.monaco-workbench.vs-dark, .monaco-workbench.hc-black').count()) > 0;
  const other = dark ? 'Light Modern' : 'Dark Modern';
  await pickTheme(page, helpers, other);
  try {
    await helpers.until(async () => ((await page.locator('.monaco-workbench.vs-dark').count()) > 0) !== dark, { timeoutMs: 10_000, what: `the theme ${other}` });
    await input.click();
    await input.press('ArrowDown');
    await input.press('ArrowUp');
    await page.waitForTimeout(300);
    const kind = dark ? 'light' : 'dark';
    await helpers.screenshot(`search-${kind}`);
    await crop(page, screenshotDir, `search-${kind}-sidebar`);
    log(`screenshots in ${other} (the session's theme is ${original ?? 'unknown'})`);
  } finally {
    if (original) await pickTheme(page, helpers, original);
  }

  // 7. Escape clears the search (back to every problem by impact).
  await input.click();
  await input.press('Escape');
  await helpers.until(async () => (await input.inputValue()) === '', { timeoutMs: 5_000, what: 'Escape to clear the search box' });
  await helpers.until(async () => (await frame.locator('.result').count()) > 5, { timeoutMs: 10_000, what: 'the full list after Escape' });
  assert.ok(await card.isHidden(), 'the card is still shown after Escape');
  log('Escape cleared the search');

  // 8. With the other views collapsed the Search view is tall: results and card side by side in height.
  const collapsed = [];
  for (const title of ['Problems', 'This File']) {
    const header = sidebar.locator('.pane-header', { hasText: new RegExp(`^\\s*${title}`) }).first();
    if ((await header.getAttribute('aria-expanded')) === 'true') {
      await header.click();
      collapsed.push(header);
    }
  }
  await input.click();
  await input.pressSequentially('bookeeper export', { delay: 20 });
  await helpers.until(async () => (await frame.locator('.result').count()) > 0, { timeoutMs: 10_000, what: 'results for "bookeeper export"' });
  await input.press('ArrowDown');
  await helpers.until(async () => !(await card.isHidden()), { timeoutMs: 10_000, what: 'the card of the second result' });
  await page.waitForTimeout(300);
  await crop(page, screenshotDir, 'search-tall-sidebar');
  await input.press('Escape');
  for (const header of collapsed) await header.click();

  // 9. The palette's quick pick runs the same search, on every keystroke: typos find P-12 first.
  await helpers.runCommand('Customer Lens: Search Customer Problems\u2026');
  const quickInput = page.locator('.quick-input-widget input');
  await quickInput.waitFor({ state: 'visible', timeout: 10_000 });
  await helpers.until(async () => (await quickInput.getAttribute('placeholder'))?.startsWith('Search titles'), { timeoutMs: 10_000, what: 'the Search Customer Problems quick pick' });
  await quickInput.pressSequentially('exprot csv', { delay: 30 });
  const pickRows = page.locator('.quick-input-widget .monaco-list-row');
  await helpers.until(async () => /CSV export/.test(await pickRows.first().innerText().catch(() => '')), { timeoutMs: 10_000, what: 'P-12 first in the quick pick' });
  assert.match(await pickRows.first().innerText(), /P-12/);
  log(`quick pick: ${await pickRows.count()} rows, first "${(await pickRows.first().innerText()).replace(/\s+/g, ' ').trim()}"`);
  await helpers.screenshot('search-quickpick');
  await page.keyboard.press('Escape');
}

/** The name of the colour theme in use: the row the theme picker focuses when it opens. */
async function currentTheme(page, helpers) {
  await helpers.runCommand('Preferences: Color Theme');
  const focused = page.locator('.quick-input-widget .monaco-list-row.focused .label-name').first();
  const name = await focused.innerText({ timeout: 10_000 }).catch(() => undefined);
  await page.keyboard.press('Escape');
  return name?.replace(/\s+/g, ' ').trim();
}

async function pickTheme(page, helpers, name) {
  await helpers.runCommand('Preferences: Color Theme');
  const input = page.locator('.quick-input-widget input');
  await input.fill(name);
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first();
  await row.waitFor({ timeout: 10_000 });
  await row.click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => {});
}

/** The frame of the Search view's page (the one with the search box), or undefined. */
async function searchFrame(page) {
  for (const f of page.frames()) {
    if (f === page.mainFrame()) continue;
    if (await f.locator('#query').count().catch(() => 0)) {
      if (await f.locator('#results').count().catch(() => 0)) return f;
    }
  }
  return undefined;
}

async function crop(page, dir, name) {
  if (!dir) return;
  const file = path.join(dir, `${name}.png`);
  await page.locator(SIDEBAR).screenshot({ path: file }).catch(() => {});
}
