// Linking commands end to end, inside the real extension host: Link Selection (anchor, comment and
// ask modes), Link Ticket, New Problem, Add Evidence and Remove Link (from the CodeLens "Unlink").
// Every prompt is answered through api.testHooks.answer(...), in the order the command asks:
//   linkSelection  problem ('new' for "New problem…") [then the New Problem prompts] [mode, in 'ask' mode]
//   linkTicket     [folder] key [confirmation 'Add anyway', for a key no tracker knows] problem
//   newProblem     [folder] [insights file] id title severity personas (comma-separated)
//   addEvidence    [folder] problem kind text customer date url
//   removeLink     [problem, when the lens holds several] confirmation 'Remove'
// (a folder is asked only when the active editor is in no folder of a multi-root workspace).
//
// Example files are edited only in unsaved buffers (auto save off: code-server's default saves after a
// second), and every test undoes its edits: after each test each touched document has exactly the text
// it had before and is not dirty, and the files on disk are checked. Nothing is saved, except in the
// saveAfterEdit test, which works on a copy in a temporary subfolder (its insights file is deleted
// first, then the folder, so the index and other sessions watching this tree drop it).
// Every command must return within COMMAND_TIMEOUT_MS and use exactly the answers queued for it.
// Settings are written at the user (global) level and put back: a workspace value would write
// .vscode/settings.json into the example folder.
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { parse as parseYaml } from 'yaml';
import type { CustomerLensApi } from '../../src/api';
import {
  activateApi, assertFilesUnchanged, checkFilesOnDisk, codeLensesFor, describeLenses, disableAutoSave, fileIn, folderCount, guardFiles,
  hoverText, INSIGHTS_FILE, lensHoversAt, lineOf, positionOf, range, requireFolder, sleep, waitFor,
} from './helpers';

const PDF = 'src/export/pdf.ts';
const CSV = 'src/export/csv.ts';
const PYTHON = 'scripts/backfill_payouts.py';
/** How long a command may take before the test calls it stuck (a prompt no answer reached, a notification awaited). */
const COMMAND_TIMEOUT_MS = 10_000;
/** The surfaces must show an edit this soon after the command returns. */
const SURFACE_MS = 1_000;

type Mode = 'anchor' | 'comment' | 'ask';

// ---------------------------------------------------------------------------------------------
// Documents: remember the text before a test changes them, undo back to it afterwards
// ---------------------------------------------------------------------------------------------

const touched = new Map<string, { doc: vscode.TextDocument; text: string }>();

/** Opens a document a test is about to change (directly or through a command) and remembers its text. */
async function track(uri: vscode.Uri): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(uri);
  if (!touched.has(uri.toString())) {
    assert.ok(!doc.isDirty, `${vscode.workspace.asRelativePath(uri)} has unsaved changes before the test`);
    touched.set(uri.toString(), { doc, text: doc.getText() });
  }
  return doc;
}

/**
 * Undoes a document's edits in its editor until it has the remembered text and is not dirty, then
 * asserts exactly that. Not "File: Revert File": in this workbench that writes the buffer to disk.
 */
async function restore(doc: vscode.TextDocument): Promise<void> {
  const entry = touched.get(doc.uri.toString());
  if (!entry) return;
  const name = vscode.workspace.asRelativePath(doc.uri);
  for (let i = 0; i < 30 && (doc.getText() !== entry.text || doc.isDirty); i++) {
    const editor = await vscode.window.showTextDocument(doc, { preview: false, preserveFocus: false });
    if (vscode.window.activeTextEditor !== editor) break;
    const version = doc.version;
    await vscode.commands.executeCommand('undo');
    if (!(await waitFor('undo', () => (doc.version !== version ? true : undefined), 2_000).catch(() => false))) break;
  }
  touched.delete(doc.uri.toString());
  assert.strictEqual(doc.getText(), entry.text, `${name}: undo did not bring back its text (it stays unsaved; never saved)`);
  await waitFor(`${name} to be clean after undo`, () => (doc.isDirty ? undefined : true), 3_000);
}

async function restoreAll(): Promise<void> {
  const failures: string[] = [];
  for (const { doc } of [...touched.values()]) {
    await restore(doc).catch((e: unknown) => failures.push(e instanceof Error ? e.message : String(e)));
  }
  assert.deepStrictEqual(failures, [], failures.join('; '));
}

function linesOf(text: string): string[] {
  return text.split(/\r?\n/);
}

/**
 * The one block of lines that differs between two texts: where it starts (0-based line in both),
 * the lines it had and the lines it has (for a replaced line; insertions and removals are checked
 * exactly with assertInserted and assertRemoved). Fails when the texts are equal.
 */
function changedBlock(before: string, after: string): { at: number; removed: string[]; added: string[] } {
  const a = linesOf(before);
  const b = linesOf(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  assert.ok(head < a.length || head < b.length, 'the text did not change');
  return { at: head, removed: a.slice(head, a.length - tail), added: b.slice(head, b.length - tail) };
}

const show = (l: readonly string[]) => l.map((x) => `  |${x}`).join('\n');

/** Fails with the first differing line when two line arrays differ. */
function assertSameLines(actual: string[], expected: string[], what: string): void {
  for (let i = 0; i < Math.max(actual.length, expected.length); i++) {
    if (actual[i] !== expected[i]) {
      assert.fail(`${what}: line ${i + 1} is ${JSON.stringify(actual[i])}, expected ${JSON.stringify(expected[i])}; around it now:\n${show(actual.slice(Math.max(0, i - 3), i + 4))}`);
    }
  }
}

/** Asserts that `after` is `before` with exactly `count` lines inserted before line `at` (0-based); returns them. */
function assertInserted(before: string, after: string, at: number, count: number, what: string): string[] {
  const a = linesOf(before);
  const b = linesOf(after);
  const added = b.slice(at, at + count);
  assert.strictEqual(b.length - a.length, count, `${what}: ${b.length - a.length} lines more, expected ${count}; the change:\n${show(changedBlock(before, after).added)}`);
  assertSameLines(b, [...a.slice(0, at), ...added, ...a.slice(at)], `${what} (${count} lines inserted before line ${at + 1})`);
  return added;
}

/** Asserts that `after` is `before` without its lines at..at+count-1 (0-based); returns them. */
function assertRemoved(before: string, after: string, at: number, count: number, what: string): string[] {
  const a = linesOf(before);
  const removed = a.slice(at, at + count);
  assertSameLines(linesOf(after), [...a.slice(0, at), ...a.slice(at + count)], `${what} (lines ${at + 1}-${at + count} removed)`);
  return removed;
}

/** Reads inserted YAML list-item lines back as data (the indentation removed). */
function yamlOf(lines: string[]): unknown {
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return parseYaml(lines.map((l) => l.slice(indent)).join('\n'));
}

/** The 0-based line after the last line of a problem's key block (`code:`, `evidence:`...) that starts at `keyLine`. */
function endOfBlock(doc: vscode.TextDocument, keyLine: number): number {
  const indent = (l: string) => l.length - l.trimStart().length;
  const keyIndent = indent(doc.lineAt(keyLine).text);
  let last = keyLine;
  for (let i = keyLine + 1; i < doc.lineCount; i++) {
    const t = doc.lineAt(i).text;
    if (t.trim() === '') continue;
    if (indent(t) <= keyIndent && !(indent(t) === keyIndent && t.trimStart().startsWith('- '))) break;
    last = i;
  }
  return last + 1;
}

/** The 0-based line of `key:` in the problem with this id. */
function keyLineOf(doc: vscode.TextDocument, problemId: string, key: string): number {
  const idLine = lineOf(doc, `- id: ${problemId}`);
  const keyCol = doc.lineAt(idLine).text.indexOf('id:');
  for (let i = idLine + 1; i < doc.lineCount; i++) {
    const t = doc.lineAt(i).text;
    if (/^\s*- id: /.test(t)) break;
    if (t.startsWith(`${' '.repeat(keyCol)}${key}:`)) return i;
  }
  assert.fail(`${problemId} has no ${key}: key`);
}

// ---------------------------------------------------------------------------------------------
// Commands, answers, settings
// ---------------------------------------------------------------------------------------------

let api: CustomerLensApi;

/** The queue of answers behind api.testHooks (Probes.answers), to check that every answer was used. */
function answerQueue(): (string | undefined)[] {
  const queue = (api.testHooks as unknown as { answers?: (string | undefined)[] }).answers;
  assert.ok(Array.isArray(queue), 'api.testHooks has no answers queue');
  return queue;
}

/**
 * Runs a command with these answers queued, fails when it does not return within COMMAND_TIMEOUT_MS,
 * and asserts that it used every answer (it asked exactly as many questions as the test answered).
 */
async function run(command: string, answers: (string | undefined)[], ...args: unknown[]): Promise<unknown> {
  answerQueue().length = 0;
  if (answers.length > 0) api.testHooks.answer(...answers);
  let timer: NodeJS.Timeout | undefined;
  const stuck = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${command} did not return within ${COMMAND_TIMEOUT_MS} ms `
      + `(${answerQueue().length} of ${answers.length} answers unused): it waits on a prompt no answer reached, or on a notification`)), COMMAND_TIMEOUT_MS);
  });
  try {
    const result = await Promise.race([Promise.resolve(vscode.commands.executeCommand(command, ...args)), stuck]);
    const left = answerQueue();
    assert.strictEqual(left.length, 0, `${command} left answers unused: ${JSON.stringify(left)} (of ${JSON.stringify(answers)})`);
    return result;
  } catch (e) {
    // Whatever UI the command left open must not catch the next test's answers or keystrokes.
    answerQueue().length = 0;
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

async function setSetting(key: string, value: unknown): Promise<void> {
  const config = vscode.workspace.getConfiguration('customerLens');
  await config.update(key, value, vscode.ConfigurationTarget.Global);
}

async function setMode(mode: Mode): Promise<void> {
  await setSetting('linking.mode', mode);
  assert.strictEqual(vscode.workspace.getConfiguration('customerLens', firstFolderUri()).get('linking.mode'), mode, 'the linking.mode setting did not take');
}

function firstFolderUri(): vscode.Uri {
  return vscode.workspace.workspaceFolders![0].uri;
}

/** Opens a code file in the first column with this selection (anchor → active). */
async function select(uri: vscode.Uri, anchor: vscode.Position, active: vscode.Position = anchor): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preview: false, preserveFocus: false });
  editor.selection = new vscode.Selection(anchor, active);
  assert.strictEqual(vscode.window.activeTextEditor?.document.uri.toString(), uri.toString(), 'the code file is not the active editor');
  return editor;
}

/** Waits until the language's symbol provider knows `name` in the document (the TS server starts lazily). */
async function waitForSymbol(uri: vscode.Uri, name: string): Promise<void> {
  const has = (list: vscode.DocumentSymbol[] | undefined): boolean => !!list?.some((s) => s.name === name || has(s.children));
  await waitFor(`the symbol provider to list ${name} in ${vscode.workspace.asRelativePath(uri)}`, async () => {
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', uri);
    return has(symbols) ? true : undefined;
  }, 30_000, 250);
}

async function allLenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)) ?? [];
}

/** Polls for SURFACE_MS until a Customer Lens CodeLens at this 0-based line mentions the problem. */
async function lensAt(uri: vscode.Uri, line: number, problemId: string): Promise<vscode.CodeLens> {
  let seen: vscode.CodeLens[] = [];
  return waitFor(`a CodeLens at line ${line + 1} of ${vscode.workspace.asRelativePath(uri)} naming ${problemId}`, async () => {
    seen = await codeLensesFor(uri);
    return seen.find((l) => l.range.start.line === line && new RegExp(`\\b${problemId}\\b`).test(l.command?.title ?? ''));
  }, SURFACE_MS).catch((e: Error) => assert.fail(`${e.message}; lenses: ${describeLenses(seen)}`));
}

// ---------------------------------------------------------------------------------------------

describe('linking', function () {
  this.timeout(60_000);
  let shop: vscode.WorkspaceFolder;
  let yamlUri: vscode.Uri;
  let pdfUri: vscode.Uri;
  let csvUri: vscode.Uri;
  let pyUri: vscode.Uri;
  let savedMode: Mode | undefined;
  let savedSave: boolean | undefined;

  before(async function () {
    await disableAutoSave();
    api = await activateApi();
    shop = requireFolder('acme-shop');
    yamlUri = fileIn(shop, INSIGHTS_FILE);
    pdfUri = fileIn(shop, PDF);
    csvUri = fileIn(shop, CSV);
    pyUri = fileIn(shop, PYTHON);
    guardFiles(yamlUri, pdfUri, csvUri, pyUri);
    const config = vscode.workspace.getConfiguration('customerLens', shop.uri);
    for (const key of ['linking.mode', 'linking.saveAfterEdit']) {
      const i = config.inspect(key);
      assert.ok(i?.workspaceValue === undefined && i?.workspaceFolderValue === undefined,
        `${key} is set for the workspace (${JSON.stringify(i)}); the tests set it globally and would not take effect`);
    }
    savedMode = config.inspect<Mode>('linking.mode')?.globalValue;
    savedSave = config.inspect<boolean>('linking.saveAfterEdit')?.globalValue;
    // The TypeScript server starts on the first symbol request and can take seconds: not inside a command.
    await waitForSymbol(pdfUri, 'StatementBuilder');
  });

  afterEach(async function () {
    answerQueue().length = 0;
    await vscode.commands.executeCommand('notifications.clearAll');
    try {
      await restoreAll();
    } finally {
      checkFilesOnDisk(this.currentTest?.fullTitle() ?? '?');
    }
  });

  after(async function () {
    await restoreAll().catch((e) => console.log(`CL-SUITE WARNING ${String(e)}`));
    await setSetting('linking.mode', savedMode);
    await setSetting('linking.saveAfterEdit', savedSave);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assertFilesUnchanged();
  });

  describe('Link Selection, anchor mode (acme-shop)', function () {
    before(async function () {
      await setMode('anchor');
    });

    it('writes one lines+text anchor under the problem\'s code:, nothing else; CodeLens and hover show it within 1 s', async function () {
      const yaml = await track(yamlUri);
      const before = yaml.getText();
      const version = yaml.version;
      const pdf = await vscode.workspace.openTextDocument(pdfUri);
      // Lines 50-53: `return (` ... `);` in StatementBuilder.summary, no declaration among them.
      const first = lineOf(pdf, 'return (');
      const last = lineOf(pdf, ');', first);
      assert.ok(last - first === 3, `unexpected layout of pdf.ts around line ${first + 1}`);
      await select(pdfUri, new vscode.Position(first, 0), new vscode.Position(last + 1, 0));
      const insertAt = endOfBlock(yaml, keyLineOf(yaml, 'P-4', 'code'));

      await run('customerLens.linkSelection', ['P-4']);

      assert.ok(yaml.version > version && yaml.isDirty, 'the insights document did not change, or was saved');
      const added = assertInserted(before, yaml.getText(), insertAt, 3, 'P-4 code');
      assert.match(added[0], /^ {6}- path: src\/export\/pdf\.ts$/, added.join('\n'));
      assert.match(added[1], /^ {8}lines: 50-53$/, added.join('\n'));
      assert.match(added[2], /^ {8}text: /, added.join('\n'));
      assert.deepStrictEqual(yamlOf(added), [{ path: PDF, lines: `${first + 1}-${last + 1}`, text: 'return (' }]);
      assert.ok(!(await vscode.workspace.openTextDocument(pdfUri)).isDirty, 'the code file was changed');

      const lens = await lensAt(pdfUri, first, 'P-4');
      assert.match(lens.command!.title, /^Solves P-4 \u00b7 Reconciling payouts/, lens.command!.title);
      const hovers = await lensHoversAt(pdfUri, new vscode.Position(first, 6));
      assert.ok(hovers.some((h) => hoverText(h).includes('`P-4`')), `no P-4 card on the first linked line: ${hovers.map(hoverText).join(' || ') || 'no hover'}`);
      const unlink = (await allLenses(pdfUri)).find((l) => l.range.start.line === first && l.command?.title === 'Unlink');
      assert.ok(unlink, 'no Unlink lens for the new link');
    });

    it('the cursor on a method name writes a symbol anchor with the dotted path', async function () {
      await waitForSymbol(pdfUri, 'StatementBuilder');
      const yaml = await track(yamlUri);
      const before = yaml.getText();
      const pdf = await vscode.workspace.openTextDocument(pdfUri);
      const onName = positionOf(pdf, 'private summary(', 'summary', 3);
      await select(pdfUri, onName);
      const insertAt = endOfBlock(yaml, keyLineOf(yaml, 'P-4', 'code'));

      await run('customerLens.linkSelection', ['P-4']);

      const added = assertInserted(before, yaml.getText(), insertAt, 2, 'P-4 code');
      assert.deepStrictEqual(added, ['      - path: src/export/pdf.ts', '        symbol: StatementBuilder.summary']);
      await lensAt(pdfUri, onName.line, 'P-4');
    });

    it('symbol or lines: a whole declaration is its symbol; several declarations, or code in a callback, are lines', async function () {
      const yaml = await track(yamlUri);
      const pdf = await vscode.workspace.openTextDocument(pdfUri);
      const insertAt = () => endOfBlock(yaml, keyLineOf(yaml, 'P-4', 'code'));
      const link = async (anchor: vscode.Position, active: vscode.Position, count: number, what: string) => {
        const before = yaml.getText();
        const at = insertAt();
        await select(pdfUri, anchor, active);
        await run('customerLens.linkSelection', ['P-4']);
        return yamlOf(assertInserted(before, yaml.getText(), at, count, what));
      };
      const gross = lineOf(pdf, 'const gross = ');
      const refunds = lineOf(pdf, 'const refunds = ');
      const summary = lineOf(pdf, 'private summary(');
      const summaryEnd = lineOf(pdf, '  }', summary);

      // The three lines zero/gross/fees (ending at column 0 of the next line): no one of them.
      assert.deepStrictEqual(await link(new vscode.Position(gross - 1, 0), new vscode.Position(gross + 2, 0), 3, 'three declarations'),
        [{ path: PDF, lines: `${gross}-${gross + 2}`, text: pdf.lineAt(gross - 1).text.trim() }]);
      // The whole line of `const refunds = orders.reduce((sum, o) => ..., zero);`: a local variable
      // inside a method body is not a symbol (the syntax tree's declarations stop at bodies, as the
      // CLI's do), so it is a lines anchor with its text, and it resolves: a CodeLens shows.
      assert.deepStrictEqual(await link(new vscode.Position(refunds, 0), new vscode.Position(refunds + 1, 0), 3, 'a local variable'),
        [{ path: PDF, lines: refunds + 1, text: pdf.lineAt(refunds).text.trim() }]);
      await lensAt(pdfUri, refunds, 'P-4');
      // Inside the callback of `rows` (`formatMoney(o.fees),`): lines.
      const fees = lineOf(pdf, 'formatMoney(o.fees),');
      assert.deepStrictEqual(await link(new vscode.Position(fees, 8), new vscode.Position(fees, 12), 3, 'code in a callback'),
        [{ path: PDF, lines: fees + 1, text: 'formatMoney(o.fees),' }]);
      // The method from the blank line above it to its closing brace: the method.
      assert.deepStrictEqual(await link(new vscode.Position(summary - 1, 0), new vscode.Position(summaryEnd, 3), 2, 'a whole method'),
        [{ path: PDF, symbol: 'StatementBuilder.summary' }]);
    });

    it('linking what is already linked changes nothing (an existing symbol anchor; the same lines twice)', async function () {
      await waitForSymbol(pdfUri, 'StatementBuilder');
      const yaml = await track(yamlUri);
      const original = yaml.getText();
      const pdf = await vscode.workspace.openTextDocument(pdfUri);
      // P-14 has `path: src/export/pdf.ts, symbol: StatementBuilder.build`.
      await select(pdfUri, positionOf(pdf, 'build(month: string', 'build', 2));
      const version = yaml.version;
      await run('customerLens.linkSelection', ['P-14']);
      assert.strictEqual(yaml.getText(), original, 'linking StatementBuilder.build to P-14 again changed the file');
      assert.strictEqual(yaml.version, version, 'the insights document was edited');
      assert.ok(!yaml.isDirty, 'the insights document is dirty');

      const line = lineOf(pdf, 'return renderer.render(blocks);');
      await select(pdfUri, new vscode.Position(line, 4), new vscode.Position(line, 20));
      await run('customerLens.linkSelection', ['P-12']);
      const once = yaml.getText();
      assert.notStrictEqual(once, original, 'the first link of the line did nothing');
      const versionOnce = yaml.version;
      // Once before the index has read the edited buffer, once after.
      await run('customerLens.linkSelection', ['P-12']);
      assert.strictEqual(yaml.getText(), once, 'linking the same lines twice added a second anchor');
      await sleep(300);
      await select(pdfUri, new vscode.Position(line, 4), new vscode.Position(line, 20));
      await run('customerLens.linkSelection', ['P-12']);
      assert.strictEqual(yaml.getText(), once, 'linking the same lines twice added a second anchor');
      assert.strictEqual(yaml.version, versionOnce, 'the second link edited the document');
    });

    it('one undo on the insights file takes a link back exactly', async function () {
      const yaml = await track(yamlUri);
      const original = yaml.getText();
      const pdf = await vscode.workspace.openTextDocument(pdfUri);
      const line = lineOf(pdf, 'const gross = ');
      await select(pdfUri, new vscode.Position(line, 0), new vscode.Position(line + 2, 0));
      await run('customerLens.linkSelection', ['P-2']);
      assert.notStrictEqual(yaml.getText(), original, 'the link did nothing');

      const editor = await vscode.window.showTextDocument(yaml, { preview: false, preserveFocus: false });
      assert.strictEqual(vscode.window.activeTextEditor, editor, 'the insights file is not the active editor');
      await vscode.commands.executeCommand('undo');
      await waitFor('one undo to bring back the text', () => (yaml.getText() === original ? true : undefined), 2_000)
        .catch(() => assert.fail(`after one undo: ${JSON.stringify(changedBlock(original, yaml.getText()))}`));
      await waitFor('the insights file to be clean after undo', () => (yaml.isDirty ? undefined : true), 2_000);
    });

    it('keeps an unrelated unsaved edit of the insights file and adds the link to it', async function () {
      const yaml = await track(yamlUri);
      const original = yaml.getText();
      const note = '# an unsaved note, not yet saved by its author';
      const edit = new vscode.WorkspaceEdit();
      edit.insert(yamlUri, new vscode.Position(0, 0), `${note}\n`);
      assert.ok(await vscode.workspace.applyEdit(edit));
      const dirty = yaml.getText();
      const insertAt = endOfBlock(yaml, keyLineOf(yaml, 'P-7', 'code'));
      const pdf = await vscode.workspace.openTextDocument(pdfUri);
      const line = lineOf(pdf, 'return blocks;');
      await select(pdfUri, new vscode.Position(line, 4), new vscode.Position(line, 10));

      await run('customerLens.linkSelection', ['P-7']);

      const text = yaml.getText();
      assert.strictEqual(linesOf(text)[0], note, 'the unsaved note is gone');
      const added = assertInserted(dirty, text, insertAt, 3, 'P-7 code, after an unsaved edit');
      assert.deepStrictEqual(yamlOf(added), [{ path: PDF, lines: line + 1, text: 'return blocks;' }]);
      assert.strictEqual(linesOf(text).length, linesOf(original).length + 4);
    });

    it('into an insights buffer that does not read as YAML writes nothing and returns', async function () {
      const yaml = await track(yamlUri);
      const edit = new vscode.WorkspaceEdit();
      const at = keyLineOf(yaml, 'P-4', 'code');
      edit.insert(yamlUri, new vscode.Position(at, 0), '    notes: [unclosed, flow\n');
      assert.ok(await vscode.workspace.applyEdit(edit));
      const broken = yaml.getText();
      const version = yaml.version;
      const pdf = await vscode.workspace.openTextDocument(pdfUri);
      const line = lineOf(pdf, 'return blocks;');
      await select(pdfUri, new vscode.Position(line, 0), new vscode.Position(line, 5));

      // At once (the index has not read the broken buffer yet) and after it has.
      await run('customerLens.linkSelection', ['P-4']);
      assert.strictEqual(yaml.getText(), broken, 'the broken buffer was changed');
      await api.whenIdle();
      await select(pdfUri, new vscode.Position(line, 0), new vscode.Position(line, 5));
      await run('customerLens.linkSelection', ['P-4']);
      assert.strictEqual(yaml.getText(), broken, 'the broken buffer was changed');
      assert.strictEqual(yaml.version, version, 'the broken buffer was edited');
    });

    it('into a flow list `code: [..]` keeps it flow, on its own line', async function () {
      const yaml = await track(yamlUri);
      const before = yaml.getText();
      const codeLine = lineExact(yaml, '    code: [src/search/**]');
      const pdf = await vscode.workspace.openTextDocument(pdfUri);
      const line = lineOf(pdf, 'return renderer.render(blocks);');
      await select(pdfUri, new vscode.Position(line, 0), new vscode.Position(line + 1, 0));
      await run('customerLens.linkSelection', ['P-9']);
      const block = changedBlock(before, yaml.getText());
      assert.strictEqual(block.at, codeLine, `another line changed: ${JSON.stringify(block)}`);
      assert.deepStrictEqual(block.removed, ['    code: [src/search/**]']);
      assert.strictEqual(block.added.length, 1, `P-9's code list is no longer one line: ${JSON.stringify(block.added)}`);
      assert.match(block.added[0], /^ {4}code: \[src\/search\/\*\*, \{.*\}\]$/, block.added[0]);
      assert.deepStrictEqual(parseYaml(block.added[0].trim()), { code: ['src/search/**', { path: PDF, lines: line + 1, text: 'return renderer.render(blocks);' }] });
      await lensAt(pdfUri, line, 'P-9');
    });

    it('"New problem…" creates the problem with the answers and links the selection to it', async function () {
      const yaml = await track(yamlUri);
      const before = yaml.getText();
      const pdf = await vscode.workspace.openTextDocument(pdfUri);
      const line = lineOf(pdf, 'return blocks;');
      await select(pdfUri, new vscode.Position(line, 4), new vscode.Position(line, 10));

      await run('customerLens.linkSelection', ['new', 'P-70', 'Statements split tables every forty rows', 'low', '']);

      const end = linesOf(before).length - 1; // the text ends with a line break
      const added = assertInserted(before, yaml.getText(), end, 8, 'a problem appended at the end');
      assert.deepStrictEqual(added, [
        '', // the file separates its problems with a blank line
        '  - id: P-70',
        '    title: Statements split tables every forty rows',
        '    severity: low',
        '    code:',
        '      - path: src/export/pdf.ts',
        `        lines: ${line + 1}`,
        '        text: return blocks;',
      ]);
      assert.strictEqual(vscode.window.activeTextEditor?.document.uri.toString(), pdfUri.toString(), 'the code is not shown again after the problem was created');
      await waitFor('P-70 in the index', () => (api.snapshot(shop.uri)?.problems.some((p) => p.id === 'P-70') ? true : undefined), SURFACE_MS);
      await lensAt(pdfUri, line, 'P-70');
    });

    it('refuses a selection in the insights file itself, without asking anything', async function () {
      const yaml = await track(yamlUri);
      const original = yaml.getText();
      await select(yamlUri, new vscode.Position(keyLineOf(yaml, 'P-4', 'code'), 4));
      await run('customerLens.linkSelection', []);
      assert.strictEqual(yaml.getText(), original);
      assert.ok(!yaml.isDirty);
    });
  });

  describe('Link Selection, comment mode (acme-shop)', function () {
    before(async function () {
      await setMode('comment');
    });

    it('inserts `// @why P-4` above the selection in TypeScript, indented like it; the insights file stays as it is', async function () {
      const yaml = await track(yamlUri);
      const yamlVersion = yaml.version;
      const pdf = await track(pdfUri);
      const before = pdf.getText();
      const line = lineOf(pdf, 'const gross = ');
      await select(pdfUri, new vscode.Position(line, 10), new vscode.Position(line + 1, 12));

      await run('customerLens.linkSelection', ['P-4']);

      const added = assertInserted(before, pdf.getText(), line, 1, 'pdf.ts');
      assert.deepStrictEqual(added, ['    // @why P-4']);
      assert.strictEqual(yaml.version, yamlVersion, 'the insights file was edited in comment mode');

      // The code below now says so: a second link changes nothing.
      const after = pdf.getText();
      await select(pdfUri, new vscode.Position(line + 1, 10), new vscode.Position(line + 2, 12));
      await run('customerLens.linkSelection', ['P-4']);
      assert.strictEqual(pdf.getText(), after, 'a second @why P-4 was inserted');
    });

    it('selecting a whole method puts the comment above it, and the tag then covers the whole method', async function () {
      const pdf = await track(pdfUri);
      const before = pdf.getText();
      const summary = lineOf(pdf, 'private summary(');
      let end = -1;
      for (let i = summary + 1; i < pdf.lineCount && end < 0; i++) if (pdf.lineAt(i).text === '  }') end = i;
      await select(pdfUri, new vscode.Position(summary, 0), new vscode.Position(end, 3));
      await run('customerLens.linkSelection', ['P-4']);
      assert.deepStrictEqual(assertInserted(before, pdf.getText(), summary, 1, 'pdf.ts'), ['  // @why P-4']);
      // The method moved one line down; its body is now linked: the gutter marks every line of it,
      // and a CodeLens stands above it.
      const method = range(summary + 1, end + 1);
      const marked = await waitFor('gutter marks along the tagged method', () => {
        const d = api.testHooks.decorations(pdfUri);
        const lines = new Set(Object.values(d).flat());
        return method.every((l) => lines.has(l)) ? lines : undefined;
      }, 10_000).catch(() => assert.fail(`gutter on pdf.ts: ${JSON.stringify(api.testHooks.decorations(pdfUri))}`));
      assert.ok(marked.has(end + 1), 'the closing brace of the method is marked');
      const lenses = await codeLensesFor(pdfUri);
      assert.ok(lenses.some((l) => l.range.start.line === summary + 1 && /P-4/.test(l.command?.title ?? '')), describeLenses(lenses));
    });

    it('uses `#` in Python, indented like the selected line; a @why already above is not repeated', async function () {
      const py = await track(pyUri);
      const before = py.getText();
      const line = lineOf(py, 'if row["status"] in LATE_STATUSES');
      await select(pyUri, new vscode.Position(line, 8), new vscode.Position(line + 1, 0));

      await run('customerLens.linkSelection', ['P-2']);

      const added = assertInserted(before, py.getText(), line, 1, 'backfill_payouts.py');
      assert.deepStrictEqual(added, ['        # @why P-2']);

      const withComment = py.getText();
      const tagged = lineOf(py, 'LATE_STATUSES = {');
      assert.match(py.lineAt(tagged - 1).text, /^# @why P-2\b/, 'the example lost its @why P-2 above LATE_STATUSES');
      await select(pyUri, new vscode.Position(tagged, 0), new vscode.Position(tagged, 5));
      await run('customerLens.linkSelection', ['P-2']);
      assert.strictEqual(py.getText(), withComment, '@why P-2 was written twice');
    });
  });

  describe('Link Selection, ask mode (acme-shop)', function () {
    before(async function () {
      await setMode('ask');
    });

    it('answering "anchor" writes an anchor; answering "comment" inserts a comment', async function () {
      const yaml = await track(yamlUri);
      const pdf = await track(pdfUri);
      const yamlBefore = yaml.getText();
      const pdfBefore = pdf.getText();
      const line = lineOf(pdf, 'formatMoney(o.total),');
      await select(pdfUri, new vscode.Position(line, 8), new vscode.Position(line, 20));
      const insertAt = endOfBlock(yaml, keyLineOf(yaml, 'P-4', 'code'));

      await run('customerLens.linkSelection', ['P-4', 'anchor']);

      const added = assertInserted(yamlBefore, yaml.getText(), insertAt, 3, 'P-4 code');
      assert.deepStrictEqual(yamlOf(added), [{ path: PDF, lines: line + 1, text: 'formatMoney(o.total),' }]);
      assert.strictEqual(pdf.getText(), pdfBefore, 'the code changed in anchor mode');

      const yamlAfter = yaml.getText();
      await select(pdfUri, new vscode.Position(line, 8), new vscode.Position(line, 20));
      await run('customerLens.linkSelection', ['P-4', 'comment']);
      assert.deepStrictEqual(assertInserted(pdfBefore, pdf.getText(), line, 1, 'pdf.ts'), ['        // @why P-4']);
      assert.strictEqual(yaml.getText(), yamlAfter, 'the insights file changed in comment mode');

      // Cancelling the question changes nothing.
      const both = pdf.getText();
      await select(pdfUri, new vscode.Position(line + 1, 4), new vscode.Position(line + 1, 10));
      await run('customerLens.linkSelection', ['P-2', undefined]);
      assert.strictEqual(pdf.getText(), both);
      assert.strictEqual(yaml.getText(), yamlAfter);
    });
  });

  describe('Link Ticket (acme-shop)', function () {
    it('adds a recognised key to the problem\'s tickets, keeping the flow list flow', async function () {
      const yaml = await track(yamlUri);
      const before = yaml.getText();
      await select(pdfUri, new vscode.Position(0, 0));
      const line = keyLineOf(yaml, 'P-12', 'tickets');
      assert.strictEqual(yaml.lineAt(line).text, '    tickets: [ACME-881, GH-412, "https://support.example/tickets/52311"]');

      await run('customerLens.linkTicket', ['ACME-999', 'P-12']);

      const block = changedBlock(before, yaml.getText());
      assert.strictEqual(block.at, line);
      assert.deepStrictEqual(block.removed, ['    tickets: [ACME-881, GH-412, "https://support.example/tickets/52311"]']);
      assert.deepStrictEqual(block.added, ['    tickets: [ACME-881, GH-412, "https://support.example/tickets/52311", ACME-999]']);

      // Again: already listed, nothing changes.
      const once = yaml.getText();
      const version = yaml.version;
      await run('customerLens.linkTicket', ['ACME-999', 'P-12']);
      assert.strictEqual(yaml.getText(), once);
      assert.strictEqual(yaml.version, version);
    });

    it('asks before adding a key no tracker recognises: not added when declined, added when confirmed', async function () {
      const yaml = await track(yamlUri);
      const before = yaml.getText();
      await select(pdfUri, new vscode.Position(0, 0));
      const version = yaml.version;

      await run('customerLens.linkTicket', ['ZZZ-1', undefined]);
      await run('customerLens.linkTicket', ['ZZZ-1', 'No']);
      assert.strictEqual(yaml.getText(), before, 'an unconfirmed unrecognised ticket was added');
      assert.strictEqual(yaml.version, version);

      await run('customerLens.linkTicket', ['ZZZ-1', 'Add anyway', 'P-8']);
      const block = changedBlock(before, yaml.getText());
      assert.deepStrictEqual(block.removed, ['    tickets: [ACME-921]']);
      assert.deepStrictEqual(block.added, ['    tickets: [ACME-921, ZZZ-1]']);
    });

    it('a URL needs no confirmation; a key with spaces is refused by the input box', async function () {
      const yaml = await track(yamlUri);
      const before = yaml.getText();
      await select(pdfUri, new vscode.Position(0, 0));
      await run('customerLens.linkTicket', ['https://support.example/tickets/777', 'P-14']);
      const block = changedBlock(before, yaml.getText());
      assert.deepStrictEqual(block.removed, ['    tickets: [ACME-889]']);
      assert.strictEqual(block.added.length, 1, block.added.join('\n'));
      assert.deepStrictEqual(parseYaml(block.added[0].trim()), { tickets: ['ACME-889', 'https://support.example/tickets/777'] }, block.added[0]);
      await assert.rejects(run('customerLens.linkTicket', ['ACME 1']), /invalid: One ticket key or URL, without spaces/);
    });
  });

  describe('New Problem (acme-shop)', function () {
    it('appends the problem with exactly the answered fields, shows it, and the index has it within 1 s', async function () {
      const yaml = await track(yamlUri);
      const before = yaml.getText();
      await select(pdfUri, new vscode.Position(0, 0));
      const title = 'Bookkeepers cannot tell "gross" from net in the statement';

      await run('customerLens.newProblem', ['P-41', title, 'high', 'bookkeeper, shop-owner']);

      const start = Date.now();
      const snapshotHas = () => api.snapshot(shop.uri)?.problems.find((p) => p.id === 'P-41');
      const indexed = await waitFor('P-41 in api.snapshot', snapshotHas, SURFACE_MS);
      assert.deepStrictEqual(indexed, { id: 'P-41', title, status: 'hypothesis', severity: 'high' });
      assert.ok(Date.now() - start <= SURFACE_MS + 100);

      const block = changedBlock(before, yaml.getText());
      assert.deepStrictEqual(block.removed, [], JSON.stringify(block));
      // The blank line the engine writes first lines up with the old text's last (empty) line.
      assert.strictEqual(block.at, linesOf(before).length, 'the problem is not at the end of problems');
      assert.ok(yaml.getText().startsWith(`${before}\n  - id: P-41\n`), 'a blank line does not separate the new problem, as it does the others');
      assert.match(block.added[0], /^ {2}- id: P-41$/, block.added.join('\n'));
      assert.deepStrictEqual(yamlOf(block.added), [{ id: 'P-41', title, severity: 'high', personas: ['bookkeeper', 'shop-owner'] }], block.added.join('\n'));

      const editor = vscode.window.activeTextEditor;
      assert.strictEqual(editor?.document.uri.toString(), yamlUri.toString(), 'the insights file is not shown');
      assert.strictEqual(editor.document.getText(editor.selection), 'id: P-41', 'the new problem is not selected');
    });

    it('refuses a taken id, and a cancelled prompt adds nothing', async function () {
      const yaml = await track(yamlUri);
      const before = yaml.getText();
      await select(pdfUri, new vscode.Position(0, 0));
      await assert.rejects(run('customerLens.newProblem', ['P-12']), /invalid: P-12 is taken/);
      await run('customerLens.newProblem', ['P-42', 'A title', undefined]);
      await run('customerLens.newProblem', ['P-42', 'A title', 'low', undefined]);
      assert.strictEqual(yaml.getText(), before);
      assert.ok(!yaml.isDirty);
    });
  });

  describe('Add Evidence (acme-shop)', function () {
    it('a "quoted" text becomes quote:, other text summary:, with the customer, date and url', async function () {
      const yaml = await track(yamlUri);
      const original = yaml.getText();
      await select(pdfUri, new vscode.Position(0, 0));
      const insertAt = endOfBlock(yaml, keyLineOf(yaml, 'P-12', 'evidence'));

      await run('customerLens.addEvidence', ['P-12', 'interview', '"It took me: an hour, every Monday."', 'globex', '2026-11-20', 'https://research.example/s/1']);

      const quoted = assertInserted(original, yaml.getText(), insertAt, 5, 'P-12 evidence');
      assert.match(quoted[0], /^ {6}- kind: interview$/);
      assert.deepStrictEqual(yamlOf(quoted), [{
        kind: 'interview', quote: 'It took me: an hour, every Monday.', customer: 'globex', date: '2026-11-20', url: 'https://research.example/s/1',
      }], quoted.join('\n'));

      const once = yaml.getText();
      await run('customerLens.addEvidence', ['P-12', 'usage-data', 'Exports over 5k rows fail 30% of the time', '', '2026-11-21', '']);
      const summary = assertInserted(once, yaml.getText(), insertAt + 5, 3, 'P-12 evidence');
      assert.deepStrictEqual(yamlOf(summary), [{ kind: 'usage-data', summary: 'Exports over 5k rows fail 30% of the time', date: '2026-11-21' }], summary.join('\n'));
    });

    it('rejects a bad date and a bad url, and adds nothing when cancelled', async function () {
      const yaml = await track(yamlUri);
      const before = yaml.getText();
      await select(pdfUri, new vscode.Position(0, 0));
      await assert.rejects(run('customerLens.addEvidence', ['P-12', 'survey', 'x', '', '20-11-2026']), /Write the date as YYYY-MM-DD/);
      await assert.rejects(run('customerLens.addEvidence', ['P-12', 'survey', 'x', '', '2026-11-20', 'ftp://x']), /A link starts with https:\/\//);
      await run('customerLens.addEvidence', ['P-12', 'survey', 'x', undefined]);
      await run('customerLens.addEvidence', [undefined]);
      assert.strictEqual(yaml.getText(), before);
      assert.ok(!yaml.isDirty);
    });
  });

  describe('Remove Link (acme-shop)', function () {
    it('the CodeLens "Unlink" with "Remove" confirmed removes exactly that anchor\'s lines; declined, nothing', async function () {
      const yaml = await track(yamlUri);
      const before = yaml.getText();
      const csv = await vscode.workspace.openTextDocument(csvUri);
      await waitForSymbol(csvUri, 'CsvWriter');
      const flushLine = lineOf(csv, 'async flush(');
      const unlink = await waitFor('an Unlink lens at async flush()', async () =>
        (await allLenses(csvUri)).find((l) => l.range.start.line === flushLine && l.command?.title === 'Unlink'), 5_000);
      const args = unlink.command!.arguments!;
      assert.deepStrictEqual(args, [[{ folder: shop.uri.toString(), id: 'P-12', anchorIndex: 1 }]], JSON.stringify(args));
      // A glob anchor (src/export/** of P-12) covers many files: no Unlink at the top of the file.
      assert.ok(!(await allLenses(csvUri)).some((l) => l.range.start.line === 0 && l.command?.title === 'Unlink'), 'an Unlink lens for the glob anchor');

      await run('customerLens.removeLink', [undefined], ...args);
      await run('customerLens.removeLink', ['No'], ...args);
      assert.strictEqual(yaml.getText(), before, 'removed without confirmation');

      await run('customerLens.removeLink', ['Remove'], ...args);
      const symbolLine = lineExact(yaml, '        symbol: CsvWriter.flush', 0, before);
      assert.deepStrictEqual(assertRemoved(before, yaml.getText(), symbolLine - 1, 3, 'the CsvWriter.flush anchor of P-12'), [
        '      - path: src/export/csv.ts',
        '        symbol: CsvWriter.flush',
        '        note: Rows are flushed in chunks of 500 so the response starts streaming at once.',
      ]);
      await waitFor('the flush() lenses to go', async () => {
        const lenses = await allLenses(csvUri);
        return lenses.some((l) => l.range.start.line === flushLine) ? undefined : true;
      }, SURFACE_MS).catch(async () => assert.fail(`lenses still at flush(): ${describeLenses(await allLenses(csvUri))}`));
    });
  });

  describe('saveAfterEdit (a copy in a temporary subfolder of acme-shop)', function () {
    let dir: vscode.Uri;

    /** Whether the index has any problem of the temporary file (their ids start with T-). */
    const indexed = () => api.snapshot(shop.uri)?.problems.some((p) => /^T-\d+$/.test(p.id)) ?? false;

    /** Waits briefly for the file watcher, then reloads the insights (the test is not about the watcher). */
    async function settle(what: string, done: () => boolean): Promise<void> {
      if (await waitFor(what, () => (done() ? true : undefined), 3_000).then(() => true, () => false)) return;
      console.log(`CL-SUITE WARNING the index did not see ${what} within 3 s; reloading the insights`);
      await vscode.commands.executeCommand('customerLens.refresh');
      await api.whenIdle();
      assert.ok(done(), `${what}: not even after Reload Insights`);
    }

    before(async function () {
      dir = fileIn(shop, `tmp-linking-${process.pid}-${Date.now().toString(36)}`);
      fs.mkdirSync(`${dir.fsPath}/src`, { recursive: true });
      fs.writeFileSync(`${dir.fsPath}/src/tmp.ts`, 'export function tmp(): number {\n  const a = 1;\n  return a + 1;\n}\n');
      fs.writeFileSync(`${dir.fsPath}/${INSIGHTS_FILE}`, [
        '# A copy for the linking tests; deleted when they end.',
        'version: 1',
        'problems:',
        '  - id: T-1',
        '    title: A temporary problem',
        '    tickets: [ACME-1]',
        '',
      ].join('\n'));
      await settle('the temporary insights file', indexed);
      await setMode('anchor');
      await setSetting('linking.saveAfterEdit', true);
    });

    after(async function () {
      await setSetting('linking.saveAfterEdit', savedSave);
      for (const doc of vscode.workspace.textDocuments.filter((d) => d.uri.toString().startsWith(`${dir.toString()}/`))) {
        await vscode.window.showTextDocument(doc, { preview: false });
        await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      }
      // The insights file first, then the folder: other sessions on this tree watch it too.
      fs.rmSync(`${dir.fsPath}/${INSIGHTS_FILE}`, { force: true });
      await settle('the temporary insights file deleted', () => !indexed()).catch((e) => console.log(`CL-SUITE WARNING ${String(e)}`));
      fs.rmSync(dir.fsPath, { recursive: true, force: true });
    });

    it('saves the insights file after the edit; paths are relative to that file; "New problem…" offers the nearest file first', async function () {
      const insights = fileIn(shop, `${vscode.workspace.asRelativePath(dir, false)}/${INSIGHTS_FILE}`);
      const code = await vscode.workspace.openTextDocument(fileIn(shop, `${vscode.workspace.asRelativePath(dir, false)}/src/tmp.ts`));
      await select(code.uri, new vscode.Position(1, 2), new vscode.Position(2, 15));

      await run('customerLens.linkSelection', ['T-1']);

      const doc = await vscode.workspace.openTextDocument(insights);
      const disk = fs.readFileSync(insights.fsPath, 'utf8');
      assert.ok(!doc.isDirty, 'the insights file was not saved');
      assert.strictEqual(disk, doc.getText(), 'the file on disk is not the edited text');
      assert.match(disk, /    code:\n      - path: src\/tmp\.ts\n        lines: 2-3\n        text: const a = 1;\n$/, disk);

      // New problem from the same code: the file prompt lists the nearest insights file first.
      const rel = vscode.workspace.asRelativePath(insights, false);
      await select(code.uri, new vscode.Position(0, 0), new vscode.Position(0, 6));
      await run('customerLens.linkSelection', ['new', rel, 'T-2', 'Second temporary problem', 'medium', '']);
      const after = fs.readFileSync(insights.fsPath, 'utf8');
      assert.ok(!doc.isDirty, 'not saved after New problem');
      assert.match(after, /  - id: T-2\n    title: Second temporary problem\n    severity: medium\n    code:\n      - path: src\/tmp\.ts\n        lines: 1\n        text: "export function tmp\(\): number \{"\n$/, after);
      const root = await vscode.workspace.openTextDocument(yamlUri);
      assert.ok(!root.isDirty && !root.getText().includes('T-2'), 'the root insights file was changed');
    });
  });

  describe('two folders (examples/acme.code-workspace)', function () {
    before(async function () {
      if (folderCount() < 2) this.skip();
      await setMode('anchor');
    });

    it('a selection in acme-admin links into acme-admin\'s insights file only; the pick offers only its problems', async function () {
      const admin = requireFolder('acme-admin');
      const adminYaml = await track(fileIn(admin, INSIGHTS_FILE));
      const shopYaml = await track(yamlUri);
      const shopText = shopYaml.getText();
      const shopVersion = shopYaml.version;
      const before = adminYaml.getText();
      const logUri = fileIn(admin, 'src/audit/log.ts');
      guardFiles(adminYaml.uri, logUri);
      const log = await vscode.workspace.openTextDocument(logUri);
      const line = lineOf(log, 'return `${entry.at.toISOString()}');
      await select(logUri, new vscode.Position(line, 4), new vscode.Position(line, log.lineAt(line).text.length));

      await assert.rejects(run('customerLens.linkSelection', ['P-12']), (e: Error) => {
        assert.match(e.message, /Test answer "P-12" matches no item of: new, A-1, A-2, A-3$/, e.message);
        return true;
      });
      assert.strictEqual(adminYaml.getText(), before);

      await select(logUri, new vscode.Position(line, 4), new vscode.Position(line, log.lineAt(line).text.length));
      await run('customerLens.linkSelection', ['A-3']);
      const added = assertInserted(before, adminYaml.getText(), linesOf(before).length - 1, 3, 'A-3 code');
      assert.deepStrictEqual(yamlOf(added), [{ path: 'src/audit/log.ts', lines: line + 1, text: log.lineAt(line).text.trim() }]);
      assert.strictEqual(shopYaml.getText(), shopText, 'acme-shop\'s insights file changed');
      assert.strictEqual(shopYaml.version, shopVersion, 'acme-shop\'s insights file was edited');
      await lensAt(logUri, line, 'A-3');

      // Ticket and evidence from an acme-admin editor go to acme-admin's file too.
      const linked = adminYaml.getText();
      await run('customerLens.linkTicket', ['ADM-70', 'A-2']);
      const ticket = changedBlock(linked, adminYaml.getText());
      assert.deepStrictEqual([ticket.removed, ticket.added], [['    tickets: [ADM-61]'], ['    tickets: [ADM-61, ADM-70]']]);
      await assert.rejects(run('customerLens.addEvidence', ['P-12']), /matches no item of: A-1, A-2, A-3$/);
      assert.strictEqual(shopYaml.getText(), shopText, 'acme-shop\'s insights file changed');
    });
  });
});

/** The 0-based line whose text is exactly `text` (in `source` when given, else in the document). */
function lineExact(doc: vscode.TextDocument, text: string, from = 0, source?: string): number {
  const lines = linesOf(source ?? doc.getText());
  const i = lines.indexOf(text, from);
  assert.ok(i >= 0, `${vscode.workspace.asRelativePath(doc.uri)} has no line ${JSON.stringify(text)}`);
  return i;
}

