// Workbench helpers shared by the UI scenarios: clipped screenshots and switching the colour theme
// (and putting the previous one back).
import fs from 'node:fs';
import path from 'node:path';

/** A screenshot of one region of the page into dir/name.png (nothing without a dir). */
export async function clip(page, dir, name, region) {
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  const r = { x: Math.round(region.x), y: Math.round(region.y), width: Math.round(region.width), height: Math.round(region.height) };
  await page.screenshot({ path: path.join(dir, `${name}.png`), clip: r });
}

/**
 * Switches to a colour theme through "Preferences: Color Theme" when another one is in use, and
 * returns a function that puts the previous one back.
 */
export async function useTheme(page, helpers, log, theme) {
  const current = await currentTheme(page, helpers, log);
  if (current === theme) return async () => {};
  await pickTheme(page, helpers, theme);
  log(`theme ${theme} (was ${current ?? 'unknown'})`);
  return async () => {
    if (current) await pickTheme(page, helpers, current);
  };
}

/**
 * The theme in use: the row the theme picker focuses when it opens. Retried, as the picker can
 * open before the themes are listed just after start; undefined (logged) when it never tells.
 */
async function currentTheme(page, helpers, log) {
  let seen = '';
  for (let attempt = 1; attempt <= 4; attempt++) {
    await helpers.runCommand('Preferences: Color Theme');
    const input = page.locator('.quick-input-widget input');
    const rows = page.locator('.quick-input-widget .monaco-list-row');
    // The theme picker (no longer the command palette), with its list.
    await helpers.until(async () => /theme/i.test((await input.getAttribute('placeholder')) ?? '') && (await rows.count()) > 3,
      { timeoutMs: 10_000, what: 'the theme picker' }).catch(() => {});
    const focused = page.locator('.quick-input-widget .monaco-list-row.focused .label-name').first();
    const name = (await focused.textContent({ timeout: 5_000 }).catch(() => '')) ?? '';
    seen = `placeholder ${JSON.stringify(await input.getAttribute('placeholder').catch(() => null))}, ${await rows.count()} rows, focused ${JSON.stringify(name)}`;
    await page.keyboard.press('Escape');
    if (name.trim()) return name.replace(/\s+/g, ' ').trim();
    await page.waitForTimeout(1_000);
  }
  log(`could not tell the current theme (${seen}); it will not be put back`);
  return undefined;
}

/** Picks a theme in "Preferences: Color Theme"; retried, as the list can still be loading just after start. */
async function pickTheme(page, helpers, name) {
  for (let attempt = 1; ; attempt++) {
    await helpers.runCommand('Preferences: Color Theme');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(name);
    const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first();
    try {
      await row.waitFor({ timeout: 5_000 });
      await row.click();
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => {});
      await page.waitForTimeout(500);
      return;
    } catch (e) {
      await page.keyboard.press('Escape');
      if (attempt >= 4) throw e;
      await page.waitForTimeout(1_000);
    }
  }
}

/** Opens a file by name with Quick Open; picks the row whose path contains `folderHint`. */
export async function quickOpen(page, name, folderHint) {
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 5 } }).catch(() => {});
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(name);
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: folderHint }).filter({ hasText: name }).first();
  await row.waitFor({ timeout: 15_000 });
  // Enter opens the focused row; make it the one we want first.
  const rows = page.locator('.quick-input-widget .monaco-list-row');
  const first = (await rows.first().innerText()).includes(folderHint);
  if (first) await page.keyboard.press('Enter');
  else await row.click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => {});
  await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ timeout: 15_000 });
}
