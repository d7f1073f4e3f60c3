// The sidebar: the Problems tree (grouping, descriptions, group-by, reveal), the This File view, the
// welcome content's "Create customer-insights.yaml" and the starter file it writes.
// The tree is read through the test commands customerLens.test.treeSnapshot (first level and its
// children), customerLens.test.thisFile and customerLens.test.selection.
//
// The grouping checks need the single-folder shape (examples/acme-shop): with two folders the
// first level is one node per folder (see multiroot.test.ts).
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import type { CustomerLensApi } from '../../src/api';
import { parseInsightsFile } from '../../src/core/parse';
import { InsightsIndex } from '../../src/core/workspaceIndex';
import { STARTER_FILE } from '../../src/features/tree/starter';
import {
  activateApi, describeTree, disableAutoSave, fileIn, folderCount, INSIGHTS_FILE, openEditor, requireFolder,
  restoreAllBuffers, treeSnapshot, waitFor,
} from './helpers';
import type { TreeRoot } from './helpers';

const GROUP_BY = 'customerLens.groupBy';

/** The problem ids in a group, from descriptions "P-12 · 14 customers · …". */
function ids(root: TreeRoot | undefined): string[] {
  return (root?.children ?? []).map((c) => (c.description ?? '').split(' \u00b7 ')[0]);
}

describe('tree', function () {
  let api: CustomerLensApi;
  let folder: vscode.WorkspaceFolder;

  before(async function () {
    await disableAutoSave();
    api = await activateApi();
    folder = requireFolder('acme-shop');
  });

  after(async function () {
    await restoreAllBuffers();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  describe('Problems view (single folder)', function () {
    before(function () {
      if (folderCount() !== 1) this.skip();
    });

    afterEach(async function () {
      // Whatever a test did, leave the tree grouped by severity.
      if (vscode.workspace.getConfiguration('customerLens').get('tree.groupBy') !== 'severity') {
        api.testHooks.answer('severity');
        await vscode.commands.executeCommand(GROUP_BY);
      }
    });

    it('groups the first level by severity: Critical, High, Medium, Low, each with its problems', async function () {
      const roots = await treeSnapshot();
      assert.deepStrictEqual(roots.map((r) => r.label), ['Critical', 'High', 'Medium', 'Low'], describeTree(roots));
      const by = new Map(roots.map((r) => [r.label, r]));
      const snapshot = api.snapshot(folder.uri)!;
      for (const severity of ['critical', 'high', 'medium', 'low']) {
        const label = severity[0].toUpperCase() + severity.slice(1);
        const want = snapshot.problems.filter((p) => p.severity === severity).map((p) => p.id).sort();
        assert.deepStrictEqual([...ids(by.get(label))].sort(), want, `group ${label}: ${describeTree(roots)}`);
      }
      assert.ok(ids(by.get('Critical')).includes('P-2') && ids(by.get('High')).includes('P-12') && ids(by.get('Medium')).includes('P-14')
        && ids(by.get('Low')).includes('P-11'), describeTree(roots));
    });

    it('describes a problem as "P-12 · N customers · N tickets · N code links", with "no code yet" for P-6', async function () {
      // Code links are counted in the background after the index loads: wait for the counts.
      const roots = await waitFor('code link counts in the tree', async () => {
        const r = await treeSnapshot();
        const all = r.flatMap((g) => g.children);
        return all.length > 0 && all.every((c) => /code links?|no code yet/.test(c.description ?? '')) ? r : undefined;
      }).catch(async () => assert.fail(`descriptions without code link counts: ${describeTree(await treeSnapshot())}`));
      const all = roots.flatMap((g) => g.children);
      const p12 = all.find((c) => c.description?.startsWith('P-12 '));
      assert.ok(p12, describeTree(roots));
      assert.strictEqual(p12.label, 'CSV export times out on large reports');
      // P-12: impact 14 customers, 52 tickets; code: 3 anchors (src/export/**, CsvWriter.flush,
      // lines 106-108), plus every `@why P-12` tag and every comment mentioning its tickets ACME-881
      // and GH-412, counted from the files on disk.
      const expectedLinks = 3 + countIn(folder, /@why[^\n]*\bP-12\b/g) + countIn(folder, /\/\/[^\n]*\b(?:ACME-881|GH-412)\b/g);
      assert.strictEqual(p12.description, `P-12 \u00b7 14 customers \u00b7 52 tickets \u00b7 ${expectedLinks} code links`);
      assert.strictEqual(p12.contextValue, 'problem');
      const p6 = all.find((c) => c.description?.startsWith('P-6 '));
      assert.ok(p6, describeTree(roots));
      assert.match(p6.description!, /^P-6 \u00b7 0 customers \u00b7 0 tickets \u00b7 .*no code yet$/);
      assert.strictEqual(p6.contextValue, 'problem.noCode');
      for (const c of all) assert.match(c.description!, /^[A-Z]+-\d+ \u00b7 \d+ customers? \u00b7 \d+ tickets? \u00b7 (\d+ code links?|.*no code yet)$/, `description of "${c.label}"`);
    });

    it('customerLens.groupBy (answered "status") regroups by status; answering "severity" restores it', async function () {
      api.testHooks.answer('status');
      await vscode.commands.executeCommand(GROUP_BY);
      assert.strictEqual(vscode.workspace.getConfiguration('customerLens').get('tree.groupBy'), 'status');
      const roots = await treeSnapshot();
      const labels = roots.map((r) => r.label);
      assert.deepStrictEqual(labels, ['Hypotheses', 'Validated', 'In progress', 'Solved', "Won't fix"], describeTree(roots));
      const byLabel = new Map(roots.map((r) => [r.label, r]));
      assert.ok(ids(byLabel.get('In progress')).includes('P-12'), `P-12 is in progress: ${describeTree(roots)}`);
      assert.ok(ids(byLabel.get('Hypotheses')).includes('P-6'), `P-6 is a hypothesis: ${describeTree(roots)}`);

      api.testHooks.answer('severity');
      await vscode.commands.executeCommand(GROUP_BY);
      assert.deepStrictEqual((await treeSnapshot()).map((r) => r.label), ['Critical', 'High', 'Medium', 'Low']);
    });

    it('customerLens.revealProblem {folder, id: P-12} selects P-12 in the tree', async function () {
      const revealed = await vscode.commands.executeCommand('customerLens.revealProblem', { folder: folder.uri.toString(), id: 'P-12' });
      assert.strictEqual(revealed, true, 'revealProblem did not find P-12');
      const selection = await waitFor('P-12 selected', async () => {
        const s = await vscode.commands.executeCommand<string[]>('customerLens.test.selection');
        return s && s.length === 1 && s[0] === 'P-12' ? s : undefined;
      }, 5_000).catch(async () => assert.fail(`selection: ${JSON.stringify(await vscode.commands.executeCommand('customerLens.test.selection'))}`));
      assert.deepStrictEqual(selection, ['P-12']);

      const revealed14 = await vscode.commands.executeCommand('customerLens.revealProblem', { folder: folder.uri.toString(), id: 'P-14' });
      assert.strictEqual(revealed14, true);
      await waitFor('P-14 selected', async () => {
        const s = await vscode.commands.executeCommand<string[]>('customerLens.test.selection');
        return s && s.length === 1 && s[0] === 'P-14' ? s : undefined;
      }, 5_000);
      const unknown = await vscode.commands.executeCommand('customerLens.revealProblem', { folder: folder.uri.toString(), id: 'P-999' });
      assert.strictEqual(unknown, false, 'revealProblem claims to have found P-999');
    });
  });

  describe('This File view', function () {
    it('follows the active editor: csv.ts lists P-12 and P-14, a file without links lists nothing', async function () {
      const thisFile = async () => (await vscode.commands.executeCommand<string[]>('customerLens.test.thisFile')) ?? [];
      await openEditor(fileIn(folder, 'src/export/csv.ts'));
      const forCsv = await waitFor('This File for csv.ts', async () => {
        const list = await thisFile();
        return list.includes('P-12') && list.includes('P-14') ? list : undefined;
      }, 5_000).catch(async () => assert.fail(`This File for csv.ts: ${JSON.stringify(await thisFile())}`));
      assert.deepStrictEqual([...forCsv].sort(), ['P-12', 'P-14']);

      await openEditor(fileIn(folder, 'src/orders/types.ts'));
      await waitFor('This File to empty for types.ts', async () => ((await thisFile()).length === 0 ? true : undefined), 5_000)
        .catch(async () => assert.fail(`This File for src/orders/types.ts: ${JSON.stringify(await thisFile())}`));

      await openEditor(fileIn(folder, 'src/auth/login.ts'));
      const forLogin = await waitFor('This File for login.ts', async () => {
        const list = await thisFile();
        return list.length > 0 ? list : undefined;
      }, 5_000).catch(async () => assert.fail(`This File for login.ts: ${JSON.stringify(await thisFile())}`));
      // login.ts: @why P-3 and the lines anchor of P-3; symbol canSeeReports of P-11 (and maybe more).
      assert.ok(forLogin.includes('P-3') && forLogin.includes('P-11') && !forLogin.includes('P-12'), `This File for login.ts: ${JSON.stringify(forLogin)}`);
    });
  });

  describe('welcome content: Create customer-insights.yaml', function () {
    it('the starter file parses and indexes without errors or warnings', function () {
      const parsed = parseInsightsFile(STARTER_FILE, INSIGHTS_FILE);
      assert.ok(parsed.parsed, `the starter does not parse: ${JSON.stringify(parsed.diagnostics)}`);
      const index = new InsightsIndex([parsed], { today: '2026-11-22', staleAfterDays: 180 });
      const serious = [...parsed.diagnostics, ...index.diagnostics].filter((d) => d.severity === 'error' || d.severity === 'warning');
      assert.deepStrictEqual(serious.map((d) => `${d.rule} ${d.span.line + 1}: ${d.message}`), []);
      assert.ok(index.problems.length >= 1, 'the starter has no example problem');
      assert.ok(/^version: 1$/m.test(STARTER_FILE), 'the starter has no version line');
    });

    it('in a folder that has one, the command opens the existing file and leaves it unchanged', async function () {
      const uri = fileIn(folder, INSIGHTS_FILE);
      const before = fs.readFileSync(uri.fsPath);
      const generation = api.snapshot(folder.uri)?.generation;
      if (folderCount() > 1) api.testHooks.answer(folder.name);
      await vscode.commands.executeCommand('customerLens.createInsightsFile');
      const active = vscode.window.activeTextEditor;
      assert.strictEqual(active?.document.uri.toString(), uri.toString(), `the command did not open ${uri.path}; active: ${active?.document.uri.toString()}`);
      assert.ok(!active.document.isDirty, 'the command changed the open insights file');
      assert.ok(fs.readFileSync(uri.fsPath).equals(before), 'the command overwrote the existing customer-insights.yaml');
      await api.whenIdle();
      const snap = api.snapshot(folder.uri);
      assert.ok(snap && snap.problems.some((p) => p.id === 'P-12'), 'the index lost acme-shop\'s problems');
      assert.ok(snap.generation >= (generation ?? 0));
    });
  });
});

/** How many times a pattern occurs in the folder's src/ and scripts/ files (read from disk). */
function countIn(folder: vscode.WorkspaceFolder, pattern: RegExp): number {
  let n = 0;
  for (const dir of ['src', 'scripts']) {
    const root = vscode.Uri.joinPath(folder.uri, dir).fsPath;
    if (!fs.existsSync(root)) continue;
    for (const f of fs.readdirSync(root, { recursive: true }) as string[]) {
      const full = `${root}/${f}`;
      if (fs.statSync(full).isFile()) n += (fs.readFileSync(full, 'utf8').match(pattern) ?? []).length;
    }
  }
  return n;
}
