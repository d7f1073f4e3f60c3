// The workspace code index and navigation through VS Code's own API: tags and ticket keys in files
// that are not open; what a tag covers (its whole declaration); files created, edited unsaved and
// deleted; Find All References, Go to Definition, workspace symbols and Rename of a problem id.
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import {
  activateApi, codeLensesFor, describeLenses, disableAutoSave, editBuffer, fileIn, hoverText, hoversAt, lineOf,
  openEditor, positionOf, requireFolder, restoreAllBuffers, restoreDocument, waitFor,
} from './helpers';

interface Child {
  label: string | vscode.TreeItemLabel | undefined;
  description: string | boolean | undefined;
  contextValue?: string;
}

const children = async (id: string) =>
  (await vscode.commands.executeCommand<Child[] | undefined>('customerLens.test.problemChildren', id)) ?? [];
const labelOf = (c: Child) => (typeof c.label === 'string' ? c.label : c.label?.label ?? '');
const where = (l: vscode.Location) => `${vscode.workspace.asRelativePath(l.uri, false)}:${l.range.start.line + 1}`;

describe('code index and navigation', function () {
  let folder: vscode.WorkspaceFolder;
  let yaml: vscode.Uri;
  const created: vscode.Uri[] = [];

  before(async function () {
    await disableAutoSave();
    await activateApi();
    folder = requireFolder('acme-shop');
    yaml = fileIn(folder, 'customer-insights.yaml');
  });

  after(async function () {
    for (const uri of created) fs.rmSync(uri.fsPath, { recursive: true, force: true });
    await restoreAllBuffers();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('lists tags and ticket mentions of files that are not open among a problem\'s code', async function () {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const list = await waitFor('P-12 to list its tags', async () => {
      const c = await children('P-12');
      return c.some((x) => x.contextValue === 'codeTag') ? c : undefined;
    });
    const tags = list.filter((c) => c.contextValue === 'codeTag').map((c) => `${labelOf(c)} ${c.description}`);
    assert.ok(tags.includes('src/export/exportJob.ts:25 tag \u00b7 runExportJob'), tags.join('\n'));
    assert.ok(tags.includes('src/export/csv.ts:63 tag \u00b7 CsvWriter'), tags.join('\n'));
    const tickets = list.filter((c) => c.contextValue === 'codeTicket').map((c) => `${labelOf(c)} ${c.description}`);
    assert.ok(tickets.includes('src/export/csv.ts:73 ticket ACME-881'), tickets.join('\n'));
  });

  it('covers the whole declaration below a tag: hover on its name, CodeLens above it', async function () {
    const uri = fileIn(folder, 'src/search/productSearch.ts');
    const editor = await openEditor(uri);
    const doc = editor.document;
    const hover = await waitFor('a hover on the tagged class name', async () => {
      const hovers = await hoversAt(uri, positionOf(doc, 'export class ProductSearch', 'ProductSearch', 3));
      return hovers.map(hoverText).find((t) => t.includes('P-9'));
    }, 30_000); // the first hover also waits for the TypeScript server to start
    assert.match(hover, /P-9/);
    const classLine = lineOf(doc, 'export class ProductSearch');
    const lenses = await codeLensesFor(uri);
    assert.ok(lenses.some((l) => l.range.start.line === classLine && /P-9/.test(l.command?.title ?? '')), describeLenses(lenses));
  });

  it('reflects a file created on disk, then deleted, without a rescan of the workspace', async function () {
    const dir = fileIn(folder, 'src/zz-code-index-test');
    created.push(dir);
    const file = vscode.Uri.joinPath(dir, 'fresh.ts');
    fs.mkdirSync(dir.fsPath, { recursive: true });
    fs.writeFileSync(file.fsPath, '// @why P-9\nexport function fresh(): number {\n  return 1;\n}\n');
    const found = await waitFor('the new file among P-9\'s code', async () => {
      const c = await children('P-9');
      return c.find((x) => labelOf(x) === 'src/zz-code-index-test/fresh.ts:2');
    }, 5000);
    assert.strictEqual(found.description, 'tag \u00b7 fresh');
    fs.rmSync(dir.fsPath, { recursive: true, force: true });
    await waitFor('the deleted file to leave P-9\'s code', async () => {
      const c = await children('P-9');
      return c.some((x) => labelOf(x).startsWith('src/zz-code-index-test/')) ? undefined : true;
    }, 5000);
  });

  it('follows an unsaved edit that adds a tag', async function () {
    const uri = fileIn(folder, 'src/orders/types.ts');
    const doc = await vscode.workspace.openTextDocument(uri);
    await editBuffer(uri, (e) => e.insert(uri, new vscode.Position(0, 0), '// @why P-4\n'));
    try {
      await waitFor('the unsaved tag among P-4\'s code', async () => {
        const c = await children('P-4');
        return c.find((x) => labelOf(x) === 'src/orders/types.ts:1');
      }, 5000);
    } finally {
      await restoreDocument(doc);
    }
  });

  it('finds all references of a problem from its id in the insights file', async function () {
    const doc = await vscode.workspace.openTextDocument(yaml);
    const at = positionOf(doc, 'id: P-12', 'P-12', 1);
    const locations = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', yaml, at);
    const places = locations.map(where);
    for (const expected of ['customer-insights.yaml', 'src/export/exportJob.ts:23', 'src/export/csv.ts:62', 'src/export/csv.ts:73']) {
      assert.ok(places.some((p) => p.startsWith(expected)), `no ${expected} in\n${places.join('\n')}`);
    }
    // The symbol anchor CsvWriter.flush, at the method's region from the syntax tree.
    const csv = await vscode.workspace.openTextDocument(fileIn(folder, 'src/export/csv.ts'));
    const flush = lineOf(csv, 'async flush()');
    assert.ok(places.includes(`src/export/csv.ts:${flush + 1}`), places.join('\n'));
  });

  it('finds the same references from a @why id in code', async function () {
    const uri = fileIn(folder, 'src/export/exportJob.ts');
    const doc = await vscode.workspace.openTextDocument(uri);
    const locations = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', uri, positionOf(doc, '@why P-12', 'P-12', 1));
    assert.ok(locations.map(where).some((p) => p === 'src/export/csv.ts:73'), locations.map(where).join('\n'));
  });

  it('goes to the problem from a @why id and from a ticket key', async function () {
    const uri = fileIn(folder, 'src/export/csv.ts');
    const doc = await vscode.workspace.openTextDocument(uri);
    const yamlDoc = await vscode.workspace.openTextDocument(yaml);
    const p12 = lineOf(yamlDoc, 'id: P-12');
    for (const at of [positionOf(doc, '// @why P-12\nexport class'.split('\n')[0], 'P-12', 1), positionOf(doc, 'ACME-881: stream', 'ACME-881', 2)]) {
      const defs = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', uri, at);
      const lines = defs.map((d) => ('targetUri' in d ? `${vscode.workspace.asRelativePath(d.targetUri, false)}:${d.targetRange.start.line}` : `${vscode.workspace.asRelativePath(d.uri, false)}:${d.range.start.line}`));
      assert.ok(lines.includes(`customer-insights.yaml:${p12}`), `definition from ${at.line + 1}:${at.character}: ${lines.join(', ')}`);
    }
  });

  it('finds problems as workspace symbols by #id and by title words', async function () {
    const byId = await vscode.commands.executeCommand<vscode.SymbolInformation[]>('vscode.executeWorkspaceSymbolProvider', '#P-12');
    assert.ok(byId.some((s) => s.name.startsWith('#P-12 ')), byId.map((s) => s.name).join('\n'));
    const byTitle = await vscode.commands.executeCommand<vscode.SymbolInformation[]>('vscode.executeWorkspaceSymbolProvider', 'export times out');
    assert.ok(byTitle.some((s) => s.name.startsWith('#P-12 ')), byTitle.map((s) => s.name).join('\n'));
  });

  it('renames a problem id in the insights file and in every tag, as one undoable edit with a preview', async function () {
    const doc = await vscode.workspace.openTextDocument(yaml);
    const at = positionOf(doc, 'id: P-9', 'P-9', 1);
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', yaml, at, 'P-90');
    assert.ok(edit, 'no rename edit');
    const files = edit.entries().map(([uri, edits]) => `${vscode.workspace.asRelativePath(uri, false)} ${edits.length}`);
    assert.ok(files.some((f) => f.startsWith('customer-insights.yaml')), files.join('\n'));
    assert.ok(files.includes('src/search/productSearch.ts 1'), files.join('\n'));
    for (const [, edits] of edit.entries()) for (const e of edits) assert.strictEqual(e.newText, 'P-90');
    const refused = await Promise.resolve(vscode.commands.executeCommand('vscode.executeDocumentRenameProvider', yaml, at, 'P-12')).then(() => 'accepted', (e: Error) => e.message);
    assert.match(String(refused), /already/);
  });
});
