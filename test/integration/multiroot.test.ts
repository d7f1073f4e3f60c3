// Two workspace folders (examples/acme.code-workspace: acme-shop first, acme-admin second). Every
// test here skips itself in another workspace shape.
//
// Folders are only ever removed or added after the first one: changing the first folder restarts
// the extension host in VS Code. Removing and adding a folder rewrites the .code-workspace file, so
// its bytes are saved first and put back at the end.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { CustomerLensApi } from '../../src/api';
import {
  activateApi, assertFilesUnchanged, checkFilesOnDisk, describeTree, dirName, disableAutoSave, editBuffer, fileIn,
  folderCount, folderList, guardFiles, hoverText, lensDiagnostics, lensHoversAt, lineExactly, openEditor, positionOf,
  requireFolder, restoreAllBuffers, restoreDocument, ruleOf, sleep, treeSnapshot, waitFor,
} from './helpers';

/** Resolves with the next workspace-folder change after `change()` ran (fails when none comes). */
async function changeFolders(what: string, change: () => boolean): Promise<vscode.WorkspaceFoldersChangeEvent> {
  let resolve!: (e: vscode.WorkspaceFoldersChangeEvent) => void;
  const event = new Promise<vscode.WorkspaceFoldersChangeEvent>((r) => { resolve = r; });
  const sub = vscode.workspace.onDidChangeWorkspaceFolders((e) => resolve(e));
  try {
    assert.ok(change(), `VS Code refused to ${what}`);
    return await Promise.race([event, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no folder change after "${what}"`)), 10_000))]);
  } finally {
    sub.dispose();
  }
}

describe('multi-root (examples/acme.code-workspace)', function () {
  let api: CustomerLensApi;
  let shop: vscode.WorkspaceFolder;
  let admin: vscode.WorkspaceFolder;

  before(async function () {
    if (folderCount() < 2) this.skip();
    await disableAutoSave();
    api = await activateApi();
    shop = requireFolder('acme-shop');
    admin = requireFolder('acme-admin');
    guardFiles(fileIn(admin, 'src/audit/log.ts'));
  });

  afterEach(async function () {
    await restoreAllBuffers();
    checkFilesOnDisk(this.currentTest?.fullTitle() ?? '?');
  });

  after(async function () {
    if (folderCount() < 2) return;
    await restoreAllBuffers();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assertFilesUnchanged();
  });

  it('hovers in acme-admin files show A-* problems, never acme-shop\'s', async function () {
    const log = await vscode.workspace.openTextDocument(fileIn(admin, 'src/audit/log.ts'));
    const tag = lineExactly(log, '// @why A-1');
    const onTag = await lensHoversAt(log.uri, new vscode.Position(tag, log.lineAt(tag).text.indexOf('A-1') + 1));
    assert.strictEqual(onTag.length, 1, '@why A-1 has no card');
    assert.match(hoverText(onTag[0]), /\*\*Agents cannot see who changed a shop\\?'s bank details\*\* \u00b7 `A-1`/, hoverText(onTag[0]));

    const ticket = await lensHoversAt(log.uri, positionOf(log, '// ADM-57:', 'ADM-57', 2));
    assert.strictEqual(ticket.length, 1, 'ticket ADM-57 has no card');
    assert.match(hoverText(ticket[0]), /`A-1`/);

    const approvals = await vscode.workspace.openTextDocument(fileIn(admin, 'src/refunds/approvals.ts'));
    const region = await lensHoversAt(approvals.uri, positionOf(approvals, 'if (shopInGoodStanding && request.amount <= AUTO_APPROVE_LIMIT) {', 'shopInGoodStanding', 1));
    assert.strictEqual(region.length, 1, 'the first line of A-2\'s lines anchor has no card');
    assert.match(hoverText(region[0]), /`A-2`/);
    for (const h of [...onTag, ...ticket, ...region]) {
      assert.doesNotMatch(hoverText(h), /`P-\d+`/, `an acme-shop problem in an acme-admin hover:\n${hoverText(h)}`);
      assert.ok(!hoverText(h).includes('acme.example/browse/ACME'), 'an acme-shop ticket in an acme-admin hover');
    }
  });

  it('a @why of an acme-shop id in an acme-admin file is unknown there: no card, an unknown-reference diagnostic', async function () {
    const uri = fileIn(admin, 'src/audit/log.ts');
    const doc = (await openEditor(uri)).document;
    await editBuffer(uri, (e) => e.insert(uri, new vscode.Position(0, 0), '// @why P-12\n'));
    try {
      assert.deepStrictEqual((await lensHoversAt(uri, new vscode.Position(0, 9))).map(hoverText), [], 'P-12 resolved in acme-admin');
      const d = await waitFor('unknown-reference on the P-12 tag', () => lensDiagnostics(uri, 'unknown-reference').find((x) => x.range.start.line === 0), 5_000)
        .catch(() => assert.fail(`diagnostics on log.ts: ${lensDiagnostics(uri).map((x) => `${ruleOf(x)} ${x.message}`).join(' | ') || 'none'}`));
      assert.ok(d.message.includes('"P-12"'), d.message);
      const shopTag = await vscode.workspace.openTextDocument(fileIn(shop, 'src/export/csv.ts'));
      const line = lineExactly(shopTag, '// @why P-12');
      assert.strictEqual((await lensHoversAt(shopTag.uri, new vscode.Position(line, shopTag.lineAt(line).text.indexOf('P-12') + 1))).length, 1,
        'control: the same tag in acme-shop has a card');
    } finally {
      await restoreDocument(doc);
    }
  });

  it('the Problems tree\'s first level has one node per folder, each grouping its own problems', async function () {
    const roots = await treeSnapshot();
    assert.deepStrictEqual(roots.map((r) => r.label), [shop.name, admin.name], describeTree(roots));
    for (const r of roots) {
      assert.ok(r.children.length > 0, `folder node ${r.label} has no groups`);
      for (const g of r.children) assert.match(g.label, /^(Critical|High|Medium|Low)$/, `${r.label}: group ${g.label}`);
    }
    // acme-admin: A-1 high, A-2 medium, A-3 low.
    assert.deepStrictEqual(roots[1].children.map((g) => `${g.label} ${g.description}`), ['High 1', 'Medium 1', 'Low 1']);
  });

  it('removing acme-admin drops its index and tree node; adding it back restores them (the .code-workspace file is restored)', async function () {
    const workspaceFile = vscode.workspace.workspaceFile;
    const saved = workspaceFile?.scheme === 'file' ? fs.readFileSync(workspaceFile.fsPath) : undefined;
    const at = vscode.workspace.workspaceFolders!.findIndex((f) => f.uri.toString() === admin.uri.toString());
    assert.ok(at >= 1, `acme-admin must not be the first folder: ${folderList()}`);
    const adminUri = admin.uri;
    const adminName = admin.name;
    try {
      const removed = await changeFolders('remove acme-admin', () => vscode.workspace.updateWorkspaceFolders(at, 1));
      assert.deepStrictEqual(removed.removed.map(dirName), ['acme-admin']);
      assert.strictEqual(api.snapshot(adminUri), undefined, 'snapshot(acme-admin) survived the removal');
      assert.ok(api.snapshot(shop.uri)?.problems.some((p) => p.id === 'P-12'), 'acme-shop lost its index');
      const single = await waitFor('the tree without folder nodes', async () => {
        const r = await treeSnapshot();
        return r.length > 0 && r.every((n) => /^(Critical|High|Medium|Low)$/.test(n.label)) ? r : undefined;
      }, 5_000).catch(async () => assert.fail(`tree after removing acme-admin: ${describeTree(await treeSnapshot())}`));
      assert.ok(!single.some((g) => g.children.some((c) => /^A-\d/.test(c.description ?? ''))), 'A-* problems remain in the tree');

      const added = await changeFolders('add acme-admin back', () => vscode.workspace.updateWorkspaceFolders(vscode.workspace.workspaceFolders!.length, 0, { uri: adminUri, name: adminName }));
      assert.deepStrictEqual(added.added.map(dirName), ['acme-admin']);
      const back = await waitFor('snapshot(acme-admin) again', async () => {
        await api.whenIdle();
        const s = api.snapshot(adminUri);
        return s && s.problems.length > 0 ? s : undefined;
      }, 10_000);
      assert.deepStrictEqual(back.problems.map((p) => p.id).sort(), ['A-1', 'A-2', 'A-3']);
      const roots = await waitFor('folder nodes again', async () => {
        const r = await treeSnapshot();
        return r.length === 2 ? r : undefined;
      }, 5_000).catch(async () => assert.fail(`tree after adding acme-admin back: ${describeTree(await treeSnapshot())}`));
      assert.deepStrictEqual(roots.map((r) => r.label), [shop.name, adminName]);
      const log = await vscode.workspace.openTextDocument(fileIn(requireFolder('acme-admin'), 'src/audit/log.ts'));
      const tag = lineExactly(log, '// @why A-1');
      assert.strictEqual((await lensHoversAt(log.uri, new vscode.Position(tag, log.lineAt(tag).text.indexOf('A-1') + 1))).length, 1,
        'no A-1 card after adding acme-admin back');
    } finally {
      if (!folderNamedUri(adminUri)) {
        vscode.workspace.updateWorkspaceFolders(vscode.workspace.workspaceFolders!.length, 0, { uri: adminUri, name: adminName });
      }
      if (saved && workspaceFile) await restoreFile(workspaceFile.fsPath, saved);
    }
  });

  it('a third folder without insights: Create customer-insights.yaml writes a starter that loads without errors', async function () {
    const workspaceFile = vscode.workspace.workspaceFile;
    const saved = workspaceFile?.scheme === 'file' ? fs.readFileSync(workspaceFile.fsPath) : undefined;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-starter-'));
    const uri = vscode.Uri.file(dir);
    const name = path.basename(dir);
    try {
      await changeFolders('add a third folder', () => vscode.workspace.updateWorkspaceFolders(vscode.workspace.workspaceFolders!.length, 0, { uri, name }));
      await api.whenIdle();
      assert.strictEqual(api.snapshot(uri), undefined, 'an empty folder has a snapshot');
      api.testHooks.answer(name);
      const created = await vscode.commands.executeCommand<vscode.Uri>('customerLens.createInsightsFile');
      const file = path.join(dir, 'customer-insights.yaml');
      assert.ok(fs.existsSync(file), `no ${file}; the command returned ${created?.toString()}`);
      const snap = await waitFor('the starter in the index', async () => {
        await api.whenIdle();
        const s = api.snapshot(uri);
        return s && s.problems.length > 0 ? s : undefined;
      }, 10_000);
      assert.deepStrictEqual(snap.files, ['customer-insights.yaml']);
      assert.strictEqual(snap.diagnostics, 0, 'the starter has diagnostics');
      const fileUri = vscode.Uri.file(file);
      const serious = vscode.languages.getDiagnostics(fileUri).filter((d) => d.source === 'Customer Lens' && d.severity <= vscode.DiagnosticSeverity.Warning);
      assert.deepStrictEqual(serious.map((d) => d.message), []);
      assert.strictEqual(vscode.window.activeTextEditor?.document.uri.toString(), fileUri.toString(), 'the new file is not open');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const at = vscode.workspace.workspaceFolders!.findIndex((f) => f.uri.toString() === uri.toString());
      if (at >= 1) await changeFolders('remove the third folder', () => vscode.workspace.updateWorkspaceFolders(at, 1)).catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
      if (saved && workspaceFile) await restoreFile(workspaceFile.fsPath, saved);
    }
  });
});

/**
 * Puts a file's bytes back once VS Code has finished writing it (it rewrites the .code-workspace
 * file a moment after the folder change event), and logs what it had written.
 */
async function restoreFile(file: string, saved: Buffer): Promise<void> {
  let last = fs.readFileSync(file);
  for (let stable = 0, i = 0; stable < 5 && i < 60; i++) {
    await sleep(100);
    const now = fs.readFileSync(file);
    stable = now.equals(last) ? stable + 1 : 0;
    last = now;
  }
  if (!last.equals(saved)) {
    console.log(`CL-SUITE restoring ${path.basename(file)}; VS Code had written: ${last.toString('utf8').replace(/\s+/g, ' ')}`);
    fs.writeFileSync(file, saved);
  }
}

function folderNamedUri(uri: vscode.Uri): vscode.WorkspaceFolder | undefined {
  return vscode.workspace.workspaceFolders?.find((f) => f.uri.toString() === uri.toString());
}
