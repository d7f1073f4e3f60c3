// The extension activates on the example workspace and its index answers.
// Runs in both workspace shapes the runners open: examples/acme-shop alone, and
// examples/acme.code-workspace (acme-shop + acme-admin). Tests for the other shape skip themselves:
// `vscode.workspace.workspaceFolders.length` tells which one this run has.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { CustomerLensApi, FolderSnapshot } from '../../src/api';

const EXTENSION_ID = 'customer-lens.customer-lens';
const INSIGHTS_FILE = 'customer-insights.yaml';

/** The last segment of a folder's path (a .code-workspace may give folders other display names). */
function dirName(f: vscode.WorkspaceFolder): string {
  return f.uri.path.replace(/\/+$/, '').split('/').pop() ?? '';
}

/** The workspace folder whose directory is `name` (examples/<name>). */
function folderNamed(name: string): vscode.WorkspaceFolder | undefined {
  return vscode.workspace.workspaceFolders?.find((f) => dirName(f) === name);
}

function folderList(): string {
  return (vscode.workspace.workspaceFolders ?? []).map((f) => `${f.name} (${f.uri.toString()})`).join(', ') || 'none';
}

function folderCount(): number {
  return vscode.workspace.workspaceFolders?.length ?? 0;
}

function ruleOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return typeof c === 'object' ? String(c.value) : String(c);
}

/** Diagnostics can land a moment after the index is idle: poll for a short while. */
async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function customerLensDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Customer Lens');
}

describe('activation', function () {
  let api: CustomerLensApi;

  before(async function () {
    const ext = vscode.extensions.getExtension<CustomerLensApi>(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not loaded (is dist/extension.js built?)`);
    api = await ext.activate();
    assert.ok(ext.isActive, 'extension did not become active');
    assert.ok(api && typeof api.whenIdle === 'function' && typeof api.snapshot === 'function',
      'activate() did not return the CustomerLensApi');
    await api.whenIdle();
  });

  describe('acme-shop (in every workspace shape)', function () {
    let folder: vscode.WorkspaceFolder;
    let snap: FolderSnapshot;

    before(function () {
      const f = folderNamed('acme-shop');
      assert.ok(f, `no workspace folder examples/acme-shop; folders: ${folderList()}`);
      folder = f;
    });

    it('has a snapshot listing customer-insights.yaml', function () {
      const s = api.snapshot(folder.uri);
      assert.ok(s, 'snapshot(acme-shop) is undefined');
      snap = s;
      assert.ok(snap.files.includes(INSIGHTS_FILE), `files: ${JSON.stringify(snap.files)}`);
      assert.ok(snap.generation >= 1, `generation ${snap.generation}: nothing loaded yet`);
    });

    it('indexes at least 10 problems, among them P-12 about CSV export', function () {
      const s = api.snapshot(folder.uri);
      assert.ok(s, 'snapshot(acme-shop) is undefined');
      assert.ok(s.problems.length >= 10, `only ${s.problems.length} problems: ${s.problems.map((p) => p.id).join(', ')}`);
      const p12 = s.problems.find((p) => p.id === 'P-12');
      assert.ok(p12, `P-12 missing; ids: ${s.problems.map((p) => p.id).join(', ')}`);
      assert.match(p12.title, /CSV export/);
    });

    it('publishes diagnostics with source "Customer Lens" on the insights file', async function () {
      const uri = vscode.Uri.joinPath(folder.uri, INSIGHTS_FILE);
      const diags = await waitFor('Customer Lens diagnostics on customer-insights.yaml', () => {
        const d = customerLensDiagnostics(uri);
        return d.length > 0 ? d : undefined;
      });
      assert.ok(diags.length >= 1);
      for (const d of diags) assert.ok(ruleOf(d), `a diagnostic without a rule id: ${d.message}`);
    });

    it('reports the stale problem and the moved anchor by rule id', async function () {
      const uri = vscode.Uri.joinPath(folder.uri, INSIGHTS_FILE);
      const rules = await waitFor('rules stale and anchor-moved', () => {
        const r = new Set(customerLensDiagnostics(uri).map(ruleOf));
        return r.has('stale') && r.has('anchor-moved') ? r : undefined;
      }).catch(() => new Set(customerLensDiagnostics(uri).map(ruleOf)));
      assert.ok(rules.has('stale'), `no "stale" diagnostic; rules seen: ${[...rules].join(', ') || 'none'}`);
      assert.ok(rules.has('anchor-moved'), `no "anchor-moved" diagnostic; rules seen: ${[...rules].join(', ') || 'none'}`);
    });
  });

  describe('two-folder workspace (examples/acme.code-workspace)', function () {
    before(function () {
      if (folderCount() < 2) this.skip();
    });

    it('opens acme-shop and acme-admin', function () {
      const dirs = vscode.workspace.workspaceFolders!.map(dirName).sort();
      assert.deepStrictEqual(dirs, ['acme-admin', 'acme-shop'], `folders: ${folderList()}`);
    });

    it('keeps one index per folder: acme-admin has A-1..A-3 and none of acme-shop\'s problems', function () {
      const shopFolder = folderNamed('acme-shop');
      const adminFolder = folderNamed('acme-admin');
      assert.ok(shopFolder && adminFolder, `folders: ${folderList()}`);
      const shop = api.snapshot(shopFolder.uri);
      const admin = api.snapshot(adminFolder.uri);
      assert.ok(shop, 'snapshot(acme-shop) is undefined');
      assert.ok(admin, 'snapshot(acme-admin) is undefined');
      assert.notStrictEqual(admin.folder, shop.folder);
      assert.ok(admin.files.includes(INSIGHTS_FILE), `acme-admin files: ${JSON.stringify(admin.files)}`);
      const adminIds = admin.problems.map((p) => p.id);
      const shopIds = new Set(shop.problems.map((p) => p.id));
      for (const id of ['A-1', 'A-2', 'A-3']) assert.ok(adminIds.includes(id), `acme-admin lacks ${id}; ids: ${adminIds.join(', ')}`);
      const leaked = adminIds.filter((id) => shopIds.has(id));
      assert.deepStrictEqual(leaked, [], `acme-shop problems in acme-admin's index: ${leaked.join(', ')}`);
      assert.ok(!shop.problems.some((p) => /^A-\d+$/.test(p.id)), 'acme-admin problems in acme-shop\'s index');
    });
  });

  describe('single-folder workspace (examples/acme-shop)', function () {
    before(function () {
      if (folderCount() !== 1) this.skip();
    });

    it('opens exactly acme-shop', function () {
      assert.strictEqual(dirName(vscode.workspace.workspaceFolders![0]), 'acme-shop', `folders: ${folderList()}`);
    });
  });
});
