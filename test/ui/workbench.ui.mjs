// UI scenario: the real workbench (code-server in headless Chromium) opens examples/acme-shop with
// the extension under development, and a person would see Customer Lens at work:
//   - the explorer lists customer-insights.yaml;
//   - the Problems panel lists diagnostics from customer-insights.yaml whose source is "Customer Lens"
//     (the example has a deliberately stale problem and a moved anchor).
// Run by test/runners/offline/run.mjs --ui (npm run test:ui); see that file for the contract.

/** The workspace this scenario needs, relative to the repo root. */
export const workspace = 'examples/acme-shop';
/** Seconds before the runner gives up on this scenario. */
export const timeout = 120;

export async function run({ page, assert, log, helpers }) {
  // 1. The explorer shows the insights file at the folder's root.
  const explorerRow = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'customer-insights.yaml' }).first();
  await explorerRow.waitFor({ timeout: 30_000 });
  log('explorer lists customer-insights.yaml');

  // 2. The Problems panel shows Customer Lens diagnostics for that file (once the extension has
  //    activated and loaded the index; the panel shows diagnostics of files that are not open).
  await openProblems(page, helpers);
  const markers = page.locator('.markers-panel .monaco-list-row');
  const ours = markers.filter({ hasText: 'Customer Lens' });
  const count = await helpers.until(async () => (await ours.count()) || 0,
    { timeoutMs: 60_000, what: 'a diagnostic with source "Customer Lens" in the Problems panel' });
  const fileRow = markers.filter({ hasText: 'customer-insights.yaml' });
  assert.ok(await fileRow.count() > 0, 'the Problems panel has no entry for customer-insights.yaml');
  const sample = (await ours.first().innerText()).replace(/\s+/g, ' ').trim();
  log(`Problems panel: ${count} visible Customer Lens row(s), e.g. "${sample}"`);

  // 3. Information only: the activity bar entry the extension contributes, once it does.
  const activity = page.locator('.activitybar [aria-label^="Customer Lens"]');
  log(`activity bar entry "Customer Lens": ${(await activity.count()) > 0 ? 'present' : 'not (yet) contributed'}`);

  await helpers.screenshot('ui-workbench');
}

async function openProblems(page, helpers) {
  const panel = page.locator('.markers-panel');
  if (await panel.isVisible().catch(() => false)) return;
  try {
    await helpers.runCommand('Problems: Focus on Problems View');
    await panel.waitFor({ state: 'visible', timeout: 10_000 });
  } catch {
    // Fallback: the status bar's problems indicator toggles the panel.
    await page.keyboard.press('Escape');
    await page.locator('.statusbar-item[id="status.problems"]').click();
    await panel.waitFor({ state: 'visible', timeout: 10_000 });
  }
}
