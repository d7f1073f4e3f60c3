// The Customer Impact view (src/features/impact) in the real VS Code, on examples/acme-shop made the
// work tree of a throwaway git repository whose .git lies in the system's temporary folder
// (GIT_DIR and GIT_WORK_TREE, set in this extension host's environment, which the extension's git
// processes inherit). The example folder itself sits inside this project's own repository, whose
// state is nobody's to fix here, and VS Code refuses to add folders to a single-folder window in
// tests; this way the history is the test's own and nothing under examples/ is ever written.
//
// The example's files on disk are the head. The history is made with git's plumbing: `main` holds
// the example with a few files as they were before (the flush line of CsvWriter, the @why P-9 tag
// missing, a line less in SamlProvider.validateAssertion); `feature` (HEAD) commits the csv.ts
// change, the index stages productSearch.ts, and sso.ts differs unstaged. The environment is put
// back and the temporary repository deleted afterwards.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { activateApi, disableAutoSave, EXTENSION_ID, requireFolder, waitFor } from './helpers';

const VIEW = 'customerLens.impact';
const SNAPSHOT = 'customerLens.test.impactSnapshot';
const COPY = 'customerLens.copyImpactForPullRequest';
const REFRESH = 'customerLens.refreshImpact';

/** The variables this test sets in the extension host's environment (and puts back). */
const ENV_KEYS = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_CEILING_DIRECTORIES', 'GIT_INDEX_FILE'] as const;

/** For the test's own git calls: a fixed identity, no user configuration. */
const GIT_ENV: Record<string, string> = {
  GIT_AUTHOR_NAME: 'Customer Lens Tests', GIT_AUTHOR_EMAIL: 'tests@customer-lens.invalid',
  GIT_COMMITTER_NAME: 'Customer Lens Tests', GIT_COMMITTER_EMAIL: 'tests@customer-lens.invalid',
  GIT_AUTHOR_DATE: '2026-11-01T12:00:00Z', GIT_COMMITTER_DATE: '2026-11-01T12:00:00Z',
  GIT_CONFIG_GLOBAL: os.devNull, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0',
};

interface Item {
  kind: string;
  label: string;
  description?: string;
  contextValue?: string;
  command?: { command: string; arguments?: unknown[] };
  children: Item[];
}

interface FolderState { name: string; uri: string; state: string; message?: string; generation: number; ms?: number }

interface Snapshot {
  state?: string;
  message?: string;
  busy: boolean;
  folders: FolderState[];
  roots: Item[];
}

const snapshot = async (fresh = false) => (await vscode.commands.executeCommand<Snapshot>(SNAPSHOT, { fresh })) as Snapshot;

function describeItems(items: Item[], indent = ''): string {
  return items.map((i) => `${indent}${i.label}${i.description ? ` — ${i.description}` : ''}\n${describeItems(i.children, `${indent}  `)}`).join('');
}

describe('impact view (Customer Impact)', function () {
  this.timeout(120_000);
  let shop: vscode.WorkspaceFolder;
  let tmp: string;
  let extensionPath: string;
  const savedEnv: Partial<Record<(typeof ENV_KEYS)[number], string>> = {};
  let repoEnv: Record<string, string>;

  /** Git in the throwaway repository (cwd: the example folder); `input` goes to stdin. */
  const git = (args: string[], options: { input?: string; index?: string } = {}): string => {
    const env = { ...process.env, ...GIT_ENV, ...repoEnv, ...(options.index ? { GIT_INDEX_FILE: options.index } : {}) };
    const r = spawnSync('git', args, { cwd: shop.uri.fsPath, encoding: 'utf8', input: options.input, env });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout.trim();
  };
  /** A tree: `from` with some files' texts replaced (or added), through a temporary index. */
  const treeWith = (from: string, files: Record<string, string>): string => {
    const index = path.join(tmp, `tree-${Math.random().toString(36).slice(2)}.index`);
    git(['read-tree', from], { index });
    for (const [file, text] of Object.entries(files)) {
      const blob = git(['hash-object', '-w', '--stdin'], { input: text });
      git(['update-index', '--add', '--cacheinfo', `100644,${blob},${file}`], { index });
    }
    return git(['write-tree'], { index });
  };
  const commit = (tree: string, message: string, parent?: string) => git(['commit-tree', tree, ...(parent ? ['-p', parent] : []), '-m', message]);
  const real = (file: string) => fs.readFileSync(path.join(shop.uri.fsPath, file), 'utf8');
  const replaced = (file: string, from: string, to: string) => {
    const text = real(file);
    assert.ok(text.includes(from), `${file} lacks ${JSON.stringify(from)}`);
    return text.replace(from, to);
  };

  const folderOf = (s: Snapshot) => s.folders.find((f) => f.uri === shop.uri.toString());
  /** The shop's problems: the roots with one folder, under its folder node with several. */
  const problems = (s: Snapshot) => (s.roots.find((r) => r.kind === 'folder' && r.label === shop.name)?.children ?? s.roots).filter((c) => c.kind === 'problem');
  const problem = (s: Snapshot, id: string) => problems(s).find((c) => c.description?.startsWith(`${id} `));
  /** Sets the extension host's git environment and compares again. */
  const useEnv = async (env: Partial<Record<(typeof ENV_KEYS)[number], string>>) => {
    for (const key of ENV_KEYS) {
      if (env[key] === undefined) delete process.env[key];
      else process.env[key] = env[key];
    }
    await vscode.commands.executeCommand(REFRESH);
  };

  let baseTree: string;
  let baseCommit: string;

  before(async function () {
    await disableAutoSave();
    await activateApi();
    shop = requireFolder('acme-shop');
    extensionPath = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
    for (const key of ENV_KEYS) if (process.env[key] !== undefined) savedEnv[key] = process.env[key];

    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-impact-')));
    repoEnv = { GIT_DIR: path.join(tmp, 'acme-shop.git'), GIT_WORK_TREE: shop.uri.fsPath };
    git(['init', '--quiet', '--initial-branch=main']);
    // The example as it is on disk, every file.
    const realIndex = path.join(tmp, 'real.index');
    git(['add', '-A'], { index: realIndex });
    const realTree = git(['write-tree'], { index: realIndex });
    // Other tests (in this run, or another engineer's on this machine) may create files in the
    // example meanwhile: files untracked from now on are not part of this test's change.
    fs.mkdirSync(path.join(repoEnv.GIT_DIR, 'info'), { recursive: true });
    fs.writeFileSync(path.join(repoEnv.GIT_DIR, 'info', 'exclude'), '*\n');
    // main: some files as they were before this branch.
    baseTree = treeWith(realTree, {
      'src/export/csv.ts': replaced('src/export/csv.ts', "const chunk = this.buffer.join('\\n') + '\\n';", "const chunk = this.buffer.join('\\n');"),
      'src/search/productSearch.ts': replaced('src/search/productSearch.ts', '// @why P-9\n', ''),
      'src/auth/sso.ts': withoutFirstBodyLine(real('src/auth/sso.ts')),
    });
    baseCommit = commit(baseTree, 'acme-shop');
    git(['update-ref', 'refs/heads/main', baseCommit]);
    // feature: the csv.ts change committed; productSearch.ts staged; sso.ts changed in the working tree.
    const featureTree = treeWith(baseTree, { 'src/export/csv.ts': real('src/export/csv.ts') });
    git(['update-ref', 'refs/heads/feature', commit(featureTree, 'CSV rows end with a line break', baseCommit)]);
    git(['symbolic-ref', 'HEAD', 'refs/heads/feature']);
    git(['read-tree', featureTree]);
    git(['add', '--force', 'src/search/productSearch.ts']);

    await vscode.commands.executeCommand(`${VIEW}.focus`);
    await useEnv(repoEnv);
  });

  after(async function () {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await useEnv(savedEnv);
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('lists the problems the branch touches, ranked, with the places and the suspect flag, as the CLI does', async function () {
    const s = await waitFor('acme-shop compared', async () => {
      const snap = await snapshot(true);
      return problems(snap).length > 0 ? snap : undefined;
    }, 30_000).catch(async () => assert.fail(`impact view: ${JSON.stringify(await snapshot(), null, 1)}`));
    const tree = describeItems(s.roots);
    console.log(`CL-SUITE impact view (${s.message ?? folderOf(s)?.message}):\n${tree}`);

    const p12 = problem(s, 'P-12');
    assert.ok(p12, `P-12 is not listed:\n${tree}`);
    assert.strictEqual(p12.children[0]?.description, 'symbol CsvWriter.flush', 'the changed symbol comes first');
    assert.strictEqual(p12.description, 'P-12 · high · in-progress · ⚠ suspect');
    const flushLine = real('src/export/csv.ts').split('\n').findIndex((l) => l.includes("const chunk = this.buffer.join('\\n') + '\\n';")) + 1;
    assert.ok(p12.children.some((t) => t.label === `src/export/csv.ts:${flushLine}` && t.description === 'symbol CsvWriter.flush'),
      `P-12 lacks src/export/csv.ts:${flushLine} · symbol CsvWriter.flush:\n${tree}`);
    const p9 = problem(s, 'P-9');
    assert.ok(p9?.children.some((t) => t.label.startsWith('src/search/productSearch.ts:') && /^tag added/.test(t.description ?? '')), `P-9 tag added:\n${tree}`);
    assert.doesNotMatch(p9?.description ?? '', /suspect/, 'a new tag does not make P-9 suspect');
    assert.match(problem(s, 'P-7')?.description ?? '', /suspect/, `P-7 (a line added in its symbol, unstaged) is not suspect:\n${tree}`);
    if (s.folders.length === 1) {
      assert.strictEqual(s.state, 'ready');
      assert.match(s.message ?? '', /customer problems? touched by \d+ changed files .*Compared: the working tree against main \(merge base [0-9a-f]{7}\)\./, s.message);
    }

    // The same problems, in the same order, with the same places as `customer-lens impact --format json`.
    const cli = spawnSync(process.execPath, [path.join(extensionPath, 'dist', 'cli.js'), 'impact', '--root', shop.uri.fsPath, '--format', 'json'], { encoding: 'utf8' });
    assert.strictEqual(cli.status, 0, cli.stderr);
    const report = JSON.parse(cli.stdout) as { problems: { id: string; suspect: boolean; touches: { file: string; startLine: number; endLine: number; how: string }[] }[] };
    const listed = problems(s);
    assert.deepStrictEqual(listed.map((p) => p.description!.split(' · ')[0]), report.problems.map((p) => p.id));
    for (const [i, p] of report.problems.entries()) {
      assert.strictEqual(/suspect/.test(listed[i].description!), p.suspect, `${p.id} suspect`);
      // The view lists them as the Markdown report does (changed code first): the same places, in its own order.
      assert.deepStrictEqual(listed[i].children.map((t) => `${t.label} ${t.description}`).sort(),
        p.touches.map((t) => `${t.file}:${t.startLine === t.endLine ? t.startLine : `${t.startLine}-${t.endLine}`} ${t.how}`).sort(), `${p.id} touches`);
    }
  });

  it('clicking a place opens the diff from the base at that line', async function () {
    const s = await snapshot(true);
    const touch = problem(s, 'P-12')!.children.find((t) => t.description === 'symbol CsvWriter.flush')!;
    assert.ok(touch.command, 'the place has no command');
    await vscode.commands.executeCommand(touch.command.command, ...(touch.command.arguments ?? []));
    const line = Number(touch.label.split(':').pop()!.split('-')[0]);
    const file = path.join(shop.uri.fsPath, 'src', 'export', 'csv.ts');
    const editor = await waitFor('the diff editor', () => {
      const e = vscode.window.activeTextEditor;
      return e && e.document.uri.fsPath === file && e.selection.active.line === line - 1 ? e : undefined;
    }, 10_000).catch(() => assert.fail(`active editor: ${vscode.window.activeTextEditor?.document.uri.toString()} line ${vscode.window.activeTextEditor?.selection.active.line}`));
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputTextDiff, `the active tab is not a diff: ${tab?.label}`);
    const original = (tab.input as vscode.TabInputTextDiff).original;
    assert.ok(original.scheme === 'git' || original.scheme === 'customer-lens-base', `base side: ${original.toString()}`);
    const base = await vscode.workspace.openTextDocument(original);
    await waitFor('the base text', () => (base.getText() === git(['show', `${baseCommit}:src/export/csv.ts`]) + '\n' ? true : undefined), 5_000)
      .catch(() => assert.fail(`the base side shows:\n${base.getText().slice(0, 400)}`));
    assert.strictEqual(editor.selection.active.line, line - 1);
  });

  it('its base documents show a file at a commit of a workspace folder, and nothing else', async function () {
    const uri = (file: string, root = shop.uri.fsPath) => vscode.Uri.from({ scheme: 'customer-lens-base', path: `/${file}`, query: JSON.stringify({ root, commit: baseCommit, file }) });
    assert.strictEqual((await vscode.workspace.openTextDocument(uri('src/auth/sso.ts'))).getText(), withoutFirstBodyLine(real('src/auth/sso.ts')));
    for (const bad of [uri('../acme-admin/customer-insights.yaml'), uri('src/auth/sso.ts', os.tmpdir()), uri('-p')]) {
      assert.strictEqual((await vscode.workspace.openTextDocument(bad)).getText(), '', bad.toString());
    }
  });

  it('Copy Customer Impact for Pull Request puts the CLI\'s Markdown report on the clipboard', async function () {
    await vscode.env.clipboard.writeText('');
    const copied = await vscode.commands.executeCommand<string>(COPY, shop.uri.toString());
    const clipboard = await vscode.env.clipboard.readText();
    assert.strictEqual(clipboard, copied);
    assert.match(clipboard, /^## Customer impact\n/);
    assert.match(clipboard, /\*\*P-12 · CSV export times out on large reports\*\* — in-progress · urgent · ⚠️ \*\*suspect\*\*/);
    const cli = spawnSync(process.execPath, [path.join(extensionPath, 'dist', 'cli.js'), 'impact', '--root', shop.uri.fsPath, '--format', 'markdown'], { encoding: 'utf8' });
    assert.strictEqual(cli.status, 0, cli.stderr);
    assert.strictEqual(clipboard.trimEnd(), cli.stdout.trimEnd());
  });

  it('follows the repository: a new base (HEAD and refs moved) shows up by itself, debounced', async function () {
    const before = folderOf(await snapshot(true))!;
    assert.ok(!problem(await snapshot(), 'P-8'), 'P-8 is touched before the change');
    // main gets stock.ts as it was before too (inside reserve(): P-8's lines anchor, critical), and
    // the branch is rebased on it. Only git's files change: the view must notice by itself.
    const base2 = commit(treeWith(baseTree, { 'src/inventory/stock.ts': replaced('src/inventory/stock.ts', 'reserve(sku: string, quantity: number', 'reserve(sku: string, qty: number') }), 'stock', baseCommit);
    const started = Date.now();
    git(['update-ref', 'refs/heads/main', base2]);
    git(['update-ref', 'refs/heads/feature', commit(treeWith(git(['rev-parse', `${base2}^{tree}`]), { 'src/export/csv.ts': real('src/export/csv.ts') }), 'CSV rows end with a line break', base2)]);
    const s = await waitFor('P-8 in the view', async () => {
      const snap = await snapshot();
      return problem(snap, 'P-8') ? snap : undefined;
    }, 20_000).catch(async () => assert.fail(`P-8 never appeared:\n${describeItems((await snapshot()).roots)}`));
    const after = folderOf(s)!;
    console.log(`CL-SUITE impact view: a moved branch shown after ${Date.now() - started} ms (comparison ${after.ms?.toFixed(0)} ms)`);
    assert.ok(after.generation > before.generation);
    assert.match(problems(s)[0].description ?? '', /^P-8 · critical/, `critical first:\n${describeItems(s.roots)}`);
  });

  it('a refresh of a 50-file change keeps the extension host responsive', async function () {
    // 50 tagged files the branch deletes (they are at the base, not on disk): each read from git and
    // parsed for its tags' declarations.
    const generated: Record<string, string> = {};
    for (let i = 0; i < 50; i++) {
      const lines = [`// Generated for the responsiveness check (${i}).`, ''];
      for (let c = 0; c < 8; c++) {
        lines.push(i % 2 === 0 ? '// @why P-12' : '// @why P-14', `export class Module${i}Part${c} {`);
        for (let m = 0; m < 6; m++) lines.push(`  method${m}(value: number): number {`, `    return value * ${m + 1} + ${c};`, '  }', '');
        lines.push('}', '');
      }
      generated[`src/generated/module${i}.ts`] = lines.join('\n');
    }
    const head = git(['rev-parse', 'HEAD']);
    const base3 = commit(treeWith(git(['rev-parse', 'main^{tree}']), generated), 'generated modules', git(['rev-parse', 'main']));
    git(['update-ref', 'refs/heads/main', base3]);
    // The branch merges main: its tree is HEAD's (without the generated files), with both parents.
    git(['update-ref', 'refs/heads/feature', git(['commit-tree', git(['rev-parse', `${head}^{tree}`]), '-p', head, '-p', base3, '-m', 'delete the generated modules'])]);

    /**
     * How long `work` takes, and the longest the thread went without running a 5 ms timer meanwhile:
     * in wall-clock time, and counting only the CPU time this process used in that gap (on a loaded
     * machine the thread also waits for a core: that is not the view holding it).
     */
    const held = async (work: () => Thenable<unknown>) => {
      let last = performance.now();
      let lastCpu = process.cpuUsage();
      let longest = 0;
      let busiest = 0;
      const ticker = setInterval(() => {
        const now = performance.now();
        const cpu = process.cpuUsage(lastCpu);
        longest = Math.max(longest, now - last);
        busiest = Math.max(busiest, Math.min(now - last, (cpu.user + cpu.system) / 1000));
        last = now;
        lastCpu = process.cpuUsage();
      }, 5);
      const started = performance.now();
      try {
        await work();
      } finally {
        clearInterval(ticker);
      }
      return { longest, busiest, total: performance.now() - started };
    };
    // Three refreshes (the first shows the new change): a block of the view's own recurs in each; a
    // pause of another extension's in this host (the git extension runs here too) does not. The
    // median is what is checked; every figure is printed.
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await held(() => vscode.commands.executeCommand(REFRESH)));
    const idle = await held(() => new Promise((r) => setTimeout(r, 1000)));
    const s = await snapshot();
    const folder = folderOf(s)!;
    const changed = git(['diff', '--name-only', base3]).split('\n').filter(Boolean).length;
    const median = runs.map((r) => r.busiest).sort((x, y) => x - y)[1];
    const ms = (values: number[]) => values.map((v) => v.toFixed(0)).join(', ');
    console.log(`CL-SUITE impact view: refresh of a ${changed}-file change took ${ms(runs.map((r) => r.total))} ms (comparison ${folder.ms?.toFixed(0)} ms); `
      + `the extension host's thread was held at most ${ms(runs.map((r) => r.busiest))} ms of CPU at a time (median ${median.toFixed(0)}; `
      + `wall clock ${ms(runs.map((r) => r.longest))} ms; idle for 1 s: ${idle.longest.toFixed(0)} ms; load ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores)`);
    assert.ok(changed >= 50, `the change holds ${changed} files`);
    assert.strictEqual(folder.state, 'ready', folder.message);
    assert.ok(problem(s, 'P-14')?.children.some((t) => t.label === 'src/generated/module1.ts:3' && /^tag removed.* · deleted file$/.test(t.description ?? '')),
      describeItems(s.roots));
    assert.ok(median < 250, `the extension host was blocked for ${median.toFixed(0)} ms of CPU (median of three refreshes) during a refresh`);
  });

  it('without a default branch to compare with, the view says why in its message', async function () {
    const main = git(['rev-parse', 'main']);
    git(['update-ref', '-d', 'refs/heads/main']);
    try {
      await vscode.commands.executeCommand(REFRESH);
      const s = await snapshot();
      const folder = folderOf(s)!;
      assert.strictEqual(folder.state, 'gitError', JSON.stringify(folder));
      assert.match(folder.message ?? '', /^Cannot tell which branch this change merges into.*The view compares with the merge base of HEAD and origin\/HEAD, main or master/);
      if (s.folders.length === 1) {
        assert.strictEqual(s.message, folder.message, 'the message above the tree says why');
        assert.deepStrictEqual(s.roots, []);
      }
    } finally {
      git(['update-ref', 'refs/heads/main', main]);
    }
  });

  it('a folder in no git repository says so: the welcome context key is noRepository', async function () {
    // Git stops looking for a repository at examples/ (GIT_CEILING_DIRECTORIES): acme-shop is then in none.
    await useEnv({ GIT_CEILING_DIRECTORIES: path.dirname(shop.uri.fsPath) });
    const s = await snapshot(true);
    assert.strictEqual(folderOf(s)?.state, 'noRepository', JSON.stringify(s.folders));
    if (s.folders.every((f) => f.state === 'noRepository')) {
      assert.strictEqual(s.state, 'noRepository');
      assert.deepStrictEqual(s.roots, [], 'the tree must be empty for the welcome content to show');
      assert.strictEqual(s.message, undefined, 'a message would hide the welcome content');
    } else {
      assert.strictEqual(s.state, 'folders');
      assert.strictEqual(s.roots.find((r) => r.label === shop.name)?.description, 'not a git repository');
    }
    const welcome = (vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.viewsWelcome as { view: string; when: string; contents: string }[])
      .find((w) => w.view === VIEW && w.when === 'customerLens.impact.state == noRepository');
    assert.match(welcome?.contents ?? '', /not in a git repository/);
  });
});

/** sso.ts without the first code line of SamlProvider.validateAssertion's body (the head adds it back). */
function withoutFirstBodyLine(text: string): string {
  const lines = text.split('\n');
  const method = lines.findIndex((l) => /validateAssertion\s*\(/.test(l) && /\{\s*$/.test(l));
  assert.ok(method >= 0, 'sso.ts has no validateAssertion(…) {');
  lines.splice(method + 1, 1);
  return lines.join('\n');
}
