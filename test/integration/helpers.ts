// Shared helpers for the integration tests (bundled into each *.test.ts by esbuild; not a test itself).
// They run inside the real extension host: every call here goes through VS Code's own API.
//
// Rules the tests keep: example files are only ever edited in unsaved buffers (editBuffer), and those
// edits are undone afterwards (restoreDocument, and restoreAllBuffers as a safety net in after hooks).
// Nothing is ever saved: code-server auto-saves after a second by default, so disableAutoSave runs
// first, and the example files are guarded on disk (guardFiles, checkFilesOnDisk).
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import type { CustomerLensApi } from '../../src/api';

export const EXTENSION_ID = 'customer-lens.customer-lens';
export const INSIGHTS_FILE = 'customer-insights.yaml';
export const DIAGNOSTIC_SOURCE = 'Customer Lens';

/**
 * Turns auto save off in the (throwaway) user settings. code-server's default for files.autoSave is
 * "afterDelay" (1 s), unlike VS Code's "off": any edit a test keeps in a buffer for more than a
 * second would otherwise be written to the example files. Left off for the rest of the session.
 */
export async function disableAutoSave(): Promise<void> {
  const files = vscode.workspace.getConfiguration('files');
  if (files.get<string>('autoSave') === 'off') return;
  console.log(`CL-SUITE files.autoSave was ${JSON.stringify(files.get('autoSave'))}: turning it off so that test edits stay unsaved`);
  await files.update('autoSave', 'off', vscode.ConfigurationTarget.Global);
  assert.strictEqual(vscode.workspace.getConfiguration('files').get('autoSave'), 'off', 'could not turn files.autoSave off');
}

/** Activates the extension and waits until every folder's index is loaded. */
export async function activateApi(): Promise<CustomerLensApi> {
  const ext = vscode.extensions.getExtension<CustomerLensApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded (is dist/extension.js built?)`);
  const api = await ext.activate();
  assert.ok(api && typeof api.whenIdle === 'function' && api.testHooks, 'activate() did not return the CustomerLensApi');
  await api.whenIdle();
  return api;
}

// ---------------------------------------------------------------------------------------------
// Workspace folders
// ---------------------------------------------------------------------------------------------

/** The last segment of a folder's path (a .code-workspace may give folders other display names). */
export function dirName(f: vscode.WorkspaceFolder): string {
  return f.uri.path.replace(/\/+$/, '').split('/').pop() ?? '';
}

export function folderNamed(name: string): vscode.WorkspaceFolder | undefined {
  return vscode.workspace.workspaceFolders?.find((f) => dirName(f) === name);
}

export function folderList(): string {
  return (vscode.workspace.workspaceFolders ?? []).map((f) => `${f.name} (${f.uri.toString()})`).join(', ') || 'none';
}

export function folderCount(): number {
  return vscode.workspace.workspaceFolders?.length ?? 0;
}

/** The workspace folder examples/<name>; fails the test when the workspace lacks it. */
export function requireFolder(name: string): vscode.WorkspaceFolder {
  const f = folderNamed(name);
  assert.ok(f, `no workspace folder examples/${name}; folders: ${folderList()}`);
  return f;
}

export function fileIn(folder: vscode.WorkspaceFolder, relative: string): vscode.Uri {
  return vscode.Uri.joinPath(folder.uri, ...relative.split('/'));
}

// ---------------------------------------------------------------------------------------------
// Waiting
// ---------------------------------------------------------------------------------------------

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `probe` until it returns something other than undefined; throws after timeoutMs. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 10_000, intervalMs = 50): Promise<T> {
  const end = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > end) {
      const why = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await sleep(intervalMs);
  }
}

// ---------------------------------------------------------------------------------------------
// Documents and editors
// ---------------------------------------------------------------------------------------------

export async function openEditor(uri: vscode.Uri, column = vscode.ViewColumn.One): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(doc, { viewColumn: column, preview: false, preserveFocus: false });
}

/** The 0-based line whose text contains `needle` (the first from `from`); fails when none does. */
export function lineOf(doc: vscode.TextDocument, needle: string, from = 0): number {
  for (let i = from; i < doc.lineCount; i++) if (doc.lineAt(i).text.includes(needle)) return i;
  assert.fail(`${vscode.workspace.asRelativePath(doc.uri)} has no line containing ${JSON.stringify(needle)} (from line ${from + 1})`);
}

/** The position of `needle` on the first line containing `lineNeedle` (+ `offset` characters into needle). */
export function positionOf(doc: vscode.TextDocument, lineNeedle: string, needle = lineNeedle, offset = 1): vscode.Position {
  const line = lineOf(doc, lineNeedle);
  const col = doc.lineAt(line).text.indexOf(needle);
  assert.ok(col >= 0, `line ${line + 1} of ${doc.uri.path} has no ${JSON.stringify(needle)}`);
  return new vscode.Position(line, col + offset);
}

/** The text each buffer had before a test first edited it, by URI. */
const originals = new Map<string, { doc: vscode.TextDocument; text: string }>();

/**
 * Applies one edit to a buffer without saving it; fails when VS Code refuses it. The buffer's text
 * before the first edit is remembered, so restoreDocument can bring it back. Auto save is turned
 * off first (see disableAutoSave).
 */
export async function editBuffer(uri: vscode.Uri, edit: (e: vscode.WorkspaceEdit) => void): Promise<void> {
  await disableAutoSave();
  const doc = await vscode.workspace.openTextDocument(uri);
  if (!originals.has(uri.toString())) {
    assert.ok(!doc.isDirty, `${uri.path} has unsaved changes before the test edits it`);
    originals.set(uri.toString(), { doc, text: doc.getText() });
  }
  const we = new vscode.WorkspaceEdit();
  edit(we);
  assert.ok(await vscode.workspace.applyEdit(we), `VS Code refused the edit of ${uri.path}`);
}

/**
 * Takes a buffer edited through editBuffer back to its text on disk by undoing the edits in its
 * editor, until the text is the original again and VS Code no longer counts it as dirty. Undo
 * rather than "File: Revert File": undo never touches the disk, whatever the save settings are.
 */
export async function restoreDocument(docOrUri: vscode.TextDocument | vscode.Uri): Promise<void> {
  const uri = docOrUri instanceof vscode.Uri ? docOrUri : docOrUri.uri;
  const entry = originals.get(uri.toString());
  if (!entry) return;
  const { doc, text } = entry;
  for (let i = 0; i < 50 && doc.getText() !== text; i++) {
    const editor = await vscode.window.showTextDocument(doc, { preview: false, preserveFocus: false });
    assert.strictEqual(vscode.window.activeTextEditor, editor, `cannot focus ${uri.path} to undo its edits`);
    const version = doc.version;
    await vscode.commands.executeCommand('undo');
    const changed = await waitFor('undo to change the buffer', () => (doc.version !== version ? true : undefined), 2_000).catch(() => false);
    if (!changed) break;
  }
  if (doc.getText() !== text) {
    console.log(`CL-SUITE WARNING ${uri.path} could not be undone back to its text on disk; it stays unsaved (never saved)`);
    assert.fail(`${uri.path}: undo did not bring back the text on disk`);
  }
  await waitFor(`${uri.path} to be clean after undo`, () => (doc.isDirty ? undefined : true), 5_000);
  originals.delete(uri.toString());
}

/** Safety net for after hooks: restores every buffer edited through editBuffer. */
export async function restoreAllBuffers(): Promise<void> {
  for (const { doc } of [...originals.values()]) {
    await restoreDocument(doc).catch((e) => console.log(`CL-SUITE WARNING could not restore ${doc.uri.path}: ${String(e)}`));
  }
  for (const doc of vscode.workspace.textDocuments) {
    if (doc.isDirty && vscode.workspace.getWorkspaceFolder(doc.uri)) console.log(`CL-SUITE WARNING ${doc.uri.path} has unsaved changes`);
  }
}

// ---------------------------------------------------------------------------------------------
// Hovers and CodeLens
// ---------------------------------------------------------------------------------------------

export async function hoversAt(uri: vscode.Uri, position: vscode.Position): Promise<vscode.Hover[]> {
  return (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position)) ?? [];
}

export function markdownOf(hover: vscode.Hover): vscode.MarkdownString[] {
  return hover.contents.map((c) => (c instanceof vscode.MarkdownString ? c
    : typeof c === 'string' ? new vscode.MarkdownString(c)
      : new vscode.MarkdownString((c as { value: string }).value ?? '')));
}

export function hoverText(hover: vscode.Hover): string {
  return markdownOf(hover).map((m) => m.value).join('\n');
}

/**
 * Whether a hover is a Customer Lens problem card (other providers, e.g. TypeScript, hover too):
 * it links our commands, or it has the card's heading `**Title** · \`P-12\``.
 */
export function isLensHover(hover: vscode.Hover): boolean {
  const text = hoverText(hover);
  return /command:customerLens\./.test(text) || /^\*\*.*\*\* \u00b7 `[A-Za-z][\w.-]*`$/m.test(text);
}

/** Only the Customer Lens hovers at a position. */
export async function lensHoversAt(uri: vscode.Uri, position: vscode.Position): Promise<vscode.Hover[]> {
  return (await hoversAt(uri, position)).filter(isLensHover);
}

/** The command ids a Markdown string links to (`command:xyz?args` or `command:xyz`). */
export function commandLinks(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(\s*<?command:([^?)\s>]+)/g)].map((m) => m[1]);
}

export const LENS_COMMAND = 'customerLens.showProblems';

export async function codeLensesFor(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  const all = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)) ?? [];
  return all.filter((l) => l.command?.command === LENS_COMMAND);
}

export function describeLenses(lenses: readonly vscode.CodeLens[]): string {
  return lenses.map((l) => `${l.range.start.line + 1}: ${l.command?.title}`).join(' | ') || 'none';
}

// ---------------------------------------------------------------------------------------------
// Diagnostics
// ---------------------------------------------------------------------------------------------

export function ruleOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return typeof c === 'object' ? String(c.value) : String(c);
}

export function lensDiagnostics(uri: vscode.Uri, rule?: string): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === DIAGNOSTIC_SOURCE && (!rule || ruleOf(d) === rule));
}

export function describeDiagnostics(list: readonly vscode.Diagnostic[]): string {
  return list.map((d) => `${ruleOf(d)}@${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`).join('\n') || 'none';
}

// ---------------------------------------------------------------------------------------------
// Tree test seams
// ---------------------------------------------------------------------------------------------

export interface TreeChild {
  label: string;
  description?: string;
  contextValue?: string;
}

export interface TreeRoot {
  label: string;
  children: TreeChild[];
}

function labelText(label: unknown): string {
  if (typeof label === 'string') return label;
  if (label && typeof label === 'object' && 'label' in label) return String((label as { label: unknown }).label);
  return String(label ?? '');
}

/** The Problems tree's first level and each first-level node's children (customerLens.test.treeSnapshot). */
export async function treeSnapshot(): Promise<TreeRoot[]> {
  const raw = (await vscode.commands.executeCommand<{ label: unknown; children: { label: unknown; description?: unknown; contextValue?: string }[] }[]>(
    'customerLens.test.treeSnapshot')) ?? [];
  return raw.map((r) => ({
    label: labelText(r.label),
    children: r.children.map((c) => ({
      label: labelText(c.label),
      description: typeof c.description === 'string' ? c.description : undefined,
      contextValue: c.contextValue,
    })),
  }));
}

export function describeTree(roots: readonly TreeRoot[]): string {
  return roots.map((r) => `${r.label} [${r.children.map((c) => c.description ?? c.label).join('; ')}]`).join(' | ') || 'empty';
}

/** The 0-based line whose trimmed text is exactly `text`; fails when none is. */
export function lineExactly(doc: vscode.TextDocument, text: string, from = 0): number {
  for (let i = from; i < doc.lineCount; i++) if (doc.lineAt(i).text.trim() === text) return i;
  assert.fail(`${vscode.workspace.asRelativePath(doc.uri)} has no line that reads ${JSON.stringify(text)}`);
}

/** [from, from+1, ..., to] */
export function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}

// ---------------------------------------------------------------------------------------------
// Guarding example files on disk
// ---------------------------------------------------------------------------------------------

const guarded = new Map<string, Buffer>();
const reachedDisk: string[] = [];

/** Remembers the bytes of files a suite edits in buffers (see checkFilesOnDisk, assertFilesUnchanged). */
export function guardFiles(...uris: vscode.Uri[]): void {
  for (const uri of uris) if (!guarded.has(uri.fsPath)) guarded.set(uri.fsPath, fs.readFileSync(uri.fsPath));
}

function firstDifference(a: string, b: string): string {
  const la = a.split('\n');
  const lb = b.split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return `line ${i + 1}: was ${JSON.stringify(la[i])}, is ${JSON.stringify(lb[i])}`;
  }
  return 'same lines, other bytes';
}

/**
 * For afterEach hooks: when a guarded file changed on disk (a test edit was saved somehow), puts its
 * original bytes back at once and remembers which test it was, for assertFilesUnchanged to report.
 */
export function checkFilesOnDisk(test: string): void {
  for (const [file, bytes] of guarded) {
    const now = fs.readFileSync(file);
    if (now.equals(bytes)) continue;
    const what = `${file} after "${test}" (${firstDifference(bytes.toString('utf8'), now.toString('utf8'))})`;
    console.log(`CL-SUITE WARNING a test edit reached the disk, put back: ${what}`);
    reachedDisk.push(what);
    fs.writeFileSync(file, bytes);
  }
}

/** For after hooks: fails when any guarded file changed on disk during the suite (they were put back). */
export function assertFilesUnchanged(): void {
  checkFilesOnDisk('the last test');
  const list = reachedDisk.splice(0);
  assert.deepStrictEqual(list, [], `test edits reached the disk (the files were put back): ${list.join('; ')}`);
}
