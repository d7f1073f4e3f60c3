// Editor and sidebar helpers for UI scenarios: go to a line, find a word on screen, shoot the region
// around some boxes, and the sidebar's views (headers, bodies, expanding, width).
import { clip } from './workbench.mjs';

export const SIDEBAR = '#workbench\\.parts\\.sidebar';
export const EDITOR = '.part.editor .editor-instance .monaco-editor';

/** Go to Line (Ctrl+G): the editor puts the cursor at the start of the line and reveals it. */
export async function goToLine(page, line) {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`:${line}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
}

/** The number of the first line whose number is fully shown in the editor. */
export async function firstVisibleLine(page, editor) {
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

/**
 * Scrolls the editor line by line (Ctrl+Up/Down, the cursor stays) until `line` (1-based) is the
 * first line shown; each step waits for the editor to show the next line first.
 */
export async function scrollToTop(page, editor, line) {
  let top = await firstVisibleLine(page, editor);
  for (let i = 0; i < 200 && top !== line; i++) {
    const before = top;
    await page.keyboard.press(top < line ? 'Control+ArrowDown' : 'Control+ArrowUp');
    for (let j = 0; j < 50 && top === before; j++) top = await firstVisibleLine(page, editor);
  }
  return top === line;
}

/** The on-screen box of `needle` inside the rendered editor line whose trimmed text starts with `lineStart`. */
export async function textBox(page, editor, lineStart, needle) {
  const handle = await editor.elementHandle();
  return page.evaluate(({ root, lineStart, needle }) => {
    for (const line of root.querySelectorAll('.view-line')) {
      if (!line.textContent.replace(/\u00a0/g, ' ').trim().startsWith(lineStart)) continue;
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
  }, { root: handle, lineStart, needle });
}

/** A screenshot of the region holding every given box, with a margin, inside the page. */
export async function shootAround(page, dir, name, boxes, margin) {
  const list = boxes.filter(Boolean);
  const x0 = Math.max(0, Math.min(...list.map((b) => b.x)) - margin);
  const y0 = Math.max(0, Math.min(...list.map((b) => b.y)) - margin);
  const vp = page.viewportSize();
  const x1 = Math.min(vp.width, Math.max(...list.map((b) => b.x + b.width)) + margin);
  const y1 = Math.min(vp.height, Math.max(...list.map((b) => b.y + b.height)) + margin);
  await clip(page, dir, name, { x: x0, y: y0, width: x1 - x0, height: y1 - y0 });
}

/** A view's header in the sidebar. */
export function pane(sidebar, title) {
  return sidebar.locator('.pane-header', { hasText: new RegExp(`^\\s*${title}`) }).first();
}

/** A view's body: the pane whose header has this title. */
export function paneBody(sidebar, title) {
  const header = sidebar.page().locator('.pane-header', { hasText: new RegExp(`^\\s*${title}`) });
  return sidebar.locator('.pane', { has: header }).locator('.pane-body').first();
}

/** Expands or collapses a view; returns whether it had to click. */
export async function setExpanded(header, open) {
  if (!(await header.isVisible().catch(() => false))) return false;
  const expanded = (await header.getAttribute('aria-expanded')) === 'true';
  if (expanded === open) return false;
  await header.click();
  return true;
}

/** Drags the sash on the sidebar's right edge to give it `width` pixels; returns how to undo it. */
export async function resizeSidebar(page, width) {
  const side = await page.locator(SIDEBAR).boundingBox();
  const drag = async (from, to) => {
    const y = side.y + side.height / 2;
    await page.mouse.move(from, y);
    await page.mouse.down();
    await page.mouse.move((from + to) / 2, y, { steps: 5 });
    await page.mouse.move(to, y, { steps: 5 });
    await page.mouse.up();
  };
  const edge = side.x + side.width;
  await drag(edge - 1, side.x + width);
  return async () => {
    const now = await page.locator(SIDEBAR).boundingBox();
    await drag(now.x + now.width - 1, edge);
  };
}

/** The sidebar from its top to a little below the last row shown in `body`. */
export async function fitted(sidebar, body) {
  const side = await sidebar.boundingBox();
  const rows = body.locator('.monaco-list-row');
  let bottom = side.y + 200;
  for (let i = 0; i < await rows.count(); i++) {
    const b = await rows.nth(i).boundingBox();
    if (b && b.y + b.height <= side.y + side.height) bottom = Math.max(bottom, b.y + b.height);
  }
  return { x: side.x, y: side.y, width: side.width, height: Math.min(side.height, bottom + 12 - side.y) };
}
