// Runs inside a real VS Code extension host (the extensionTestsPath of bench/vscode.mjs) and writes
// JSON to CUSTOMER_LENS_BENCH_RESULT. What it measures depends on CUSTOMER_LENS_BENCH_PLAN:
//
//  - none (a bench-data/<size>/ workspace holding one generated insights file): how long activate()
//    held the host, and the longest the host's thread was blocked while the insights were reloaded
//    (as after a `git pull`) and re-read after an unsaved edit (as while a product manager types).
//  - mode "corpus" (the corpus mirror of bench/vscode.mjs, opened WITHOUT its insights file, so the
//    extension is not active yet): the probe copies the insights file in, waits until VS Code has
//    seen it, and activates the extension itself, so every figure counts from activation:
//      (a) activate(); the Problems tree having its problems (the insights file loaded); the code
//          index ready (api.whenIdle(), which waits for the first code scan); the tree showing
//          every problem's code links (anchors resolved, tags counted);
//      (b) the longest block of the host's thread from activation to the end of all that;
//      (e) the extension host's memory (rss, heap) before activation and after the scan;
//      (d) hover latency: vscode.executeHoverProvider on a tag's `@why` id, median of 20 (and the
//          first, cold, answer after the file opened);
//      (c) the longest block of the host's thread during an unsaved edit of the largest tagged code
//          file: a line typed at its top, until the editor's marks and the workspace index (Find
//          All References) both show the tag one line lower; median of 5. The buffer is reverted.
//  - mode "hover" (examples/acme-shop): (d) on the example, for comparison.
//
// Blocks are sampled with a 1 ms timer (see blockMonitor): unlike a setImmediate loop it leaves the
// CPU to the code worker and the rest of VS Code during a scan that lasts seconds. On Linux each gap
// also says how much of it the thread ran (schedstat): on a busy machine the rest is time it waited
// for a CPU. With CUSTOMER_LENS_BENCH_PROFILE (npm run bench -- --profile) the scan and the edits
// are also CPU-profiled. Every wait is for a state (a tree row, a reference, a decoration), never
// for a time; each has a deadline.
import * as fs from 'node:fs';
import * as inspector from 'node:inspector';
import * as vscode from 'vscode';
import type { CustomerLensApi } from '../src/api';
import { maxStall } from './timing';

const EXTENSION_ID = 'customer-lens.customer-lens';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

interface HoverTarget {
  file: string;
  line: number;
  character: number;
  /** The problem id of the tag. */
  id: string;
}

interface Plan {
  mode: 'corpus' | 'hover';
  /** corpus: the insights file to copy to the workspace root before activation. */
  insights?: string;
  /** corpus: the folder-relative code file to edit. */
  editFile?: string;
  /** corpus: whether anchors of the insights file name the edited file. */
  editFileAnchored?: boolean;
  hover: HoverTarget;
}

export async function run(): Promise<void> {
  const out = process.env.CUSTOMER_LENS_BENCH_RESULT;
  const plan = process.env.CUSTOMER_LENS_BENCH_PLAN ? JSON.parse(process.env.CUSTOMER_LENS_BENCH_PLAN) as Plan : undefined;
  const result: Record<string, unknown> = {};
  try {
    if (!plan) await benchSize(result);
    else if (plan.mode === 'corpus') await benchCorpus(plan, result);
    else await benchHover(plan, result);
  } catch (e) {
    result.error = String((e as Error).stack ?? e);
  }
  if (out) fs.writeFileSync(out, JSON.stringify(result, null, 2));
  if (result.error) throw new Error(String(result.error));
}

function extension(): vscode.Extension<CustomerLensApi> {
  const ext = vscode.extensions.getExtension<CustomerLensApi>(EXTENSION_ID);
  if (!ext) throw new Error('Customer Lens is not loaded');
  return ext;
}

async function benchSize(result: Record<string, unknown>): Promise<void> {
  const ext = extension();
  const api = ext.isActive ? ext.exports : await ext.activate();
  const t0 = performance.now();
  await api.whenIdle();
  result.activationMs = api.activationMs;
  result.firstLoadMs = performance.now() - t0;
  const folder = vscode.workspace.workspaceFolders![0];
  result.problems = api.snapshot(folder.uri)?.problems.length ?? 0;
  await new Promise((r) => setTimeout(r, 1500)); // let start-up work (diagnostics, git) settle

  const reload: number[] = [];
  for (let i = 0; i < 5; i++) {
    reload.push(await maxStall(async () => {
      await vscode.commands.executeCommand('customerLens.refresh');
      await api.whenIdle();
    }));
  }
  result.reloadStallMs = median(reload);

  const uri = vscode.Uri.joinPath(folder.uri, 'customer-insights.yaml');
  const document = await vscode.workspace.openTextDocument(uri);
  const edits: number[] = [];
  for (let i = 0; i < 5; i++) {
    edits.push(await maxStall(async () => {
      const edit = new vscode.WorkspaceEdit();
      edit.insert(uri, new vscode.Position(0, 0), `# edit ${i}\n`);
      await vscode.workspace.applyEdit(edit);
      await new Promise((r) => setTimeout(r, 150)); // the debounce
      await api.whenIdle();
    }));
  }
  result.editStallMs = median(edits);
  // Put the buffer back as it was (never saved: auto-save is off in the bench profile).
  const undo = new vscode.WorkspaceEdit();
  undo.delete(uri, new vscode.Range(0, 0, 5, 0));
  await vscode.workspace.applyEdit(undo);
  result.clean = document.getText().startsWith('# edit') === false;
}

/** Where Linux keeps the CPU time of this process's main thread (ns on the CPU, ns waiting for one). */
const schedFd = (() => {
  try {
    return fs.openSync(`/proc/self/task/${process.pid}/schedstat`, 'r');
  } catch {
    return undefined;
  }
})();
const schedBuf = Buffer.alloc(128);

/** Milliseconds the host's main thread has run so far, or undefined off Linux. */
function threadCpuMs(): number | undefined {
  if (schedFd === undefined) return undefined;
  const n = fs.readSync(schedFd, schedBuf, 0, schedBuf.length, 0);
  return Number(schedBuf.toString('latin1', 0, n).split(' ')[0]) / 1e6;
}

interface Block {
  /** When the gap started, ms after the monitor started. */
  at: number;
  /** How long the thread did not turn its event loop. */
  ms: number;
  /** How much of that the thread ran (Linux); the rest it waited for a CPU other processes held. */
  cpu?: number;
}

interface Blocks {
  /** The longest gap. */
  wall: number;
  /** The most CPU time the thread spent in one gap: the longest the extension host's own work held it. */
  cpu?: number;
  /** The longest gaps over 10 ms, in time order. */
  blocks: Block[];
}

/**
 * The longest gap between turns of a 1 ms timer: how long the host's thread was blocked (to within
 * a millisecond). Lighter than a setImmediate loop, which keeps a core busy for as long as it runs.
 * On a busy machine a gap also holds time the thread waited for a CPU: the main thread's CPU time
 * (Linux's schedstat) tells the two apart.
 */
function blockMonitor(): { stop(): Blocks } {
  const start = performance.now();
  let last = start;
  let lastCpu = threadCpuMs();
  let wall = 0;
  let cpu: number | undefined;
  let running = true;
  let timer: NodeJS.Timeout | undefined;
  const blocks: Block[] = [];
  const note = () => {
    const t = performance.now();
    const c = threadCpuMs();
    const gap = t - last;
    const ran = c !== undefined && lastCpu !== undefined ? Math.min(gap, c - lastCpu) : undefined;
    wall = Math.max(wall, gap);
    if (ran !== undefined) cpu = Math.max(cpu ?? 0, ran);
    if (gap > 10) {
      blocks.push({ at: Math.round(last - start), ms: Math.round(gap), cpu: ran === undefined ? undefined : Math.round(ran) });
      blocks.sort((x, y) => y.ms - x.ms).splice(12);
    }
    last = t;
    lastCpu = c;
  };
  const tick = () => {
    note();
    if (running) timer = setTimeout(tick, 1);
  };
  timer = setTimeout(tick, 1);
  return {
    stop() {
      running = false;
      clearTimeout(timer);
      note();
      return { wall, cpu, blocks: blocks.sort((x, y) => x.at - y.at) };
    },
  };
}

/**
 * With CUSTOMER_LENS_BENCH_PROFILE (a folder), a V8 CPU profile of the host's thread while `work`
 * runs, written there as <name>.cpuprofile (open it in Chrome's DevTools or VS Code).
 */
async function profiled<T>(name: string, work: () => Promise<T>): Promise<T> {
  const dir = process.env.CUSTOMER_LENS_BENCH_PROFILE;
  if (!dir) return work();
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object) => new Promise<any>((resolve, reject) => // eslint-disable-line @typescript-eslint/no-explicit-any
    session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 500 });
  await post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await post('Profiler.stop');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(`${dir}/${name}.cpuprofile`, JSON.stringify(profile));
    session.disconnect();
  }
}

/** Polls `check` (every `intervalMs`) until it returns a value; throws after `timeoutMs`. */
async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined, { timeoutMs = 120_000, intervalMs = 20 } = {}): Promise<T> {
  const end = performance.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (performance.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

interface TreeRow { label: unknown; children: { label: unknown; description?: unknown }[] }

const treeRows = async () => (await vscode.commands.executeCommand<TreeRow[]>('customerLens.test.treeSnapshot')) ?? [];
const memory = () => {
  const m = process.memoryUsage();
  return { rssMB: m.rss / 2 ** 20, heapUsedMB: m.heapUsed / 2 ** 20 };
};

async function benchCorpus(plan: Plan, result: Record<string, unknown>): Promise<void> {
  const ext = extension();
  const folder = vscode.workspace.workspaceFolders![0];
  if (ext.isActive) throw new Error('Customer Lens was active before the probe: the workspace must open without its insights file');
  result.memoryBefore = memory();

  // The insights file goes in first, and VS Code must have seen it before the extension starts
  // (else its creation could reach the extension's watchers later as a second load).
  const insightsUri = vscode.Uri.joinPath(folder.uri, 'customer-insights.yaml');
  const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, 'customer-insights.yaml'));
  const seen = new Promise<boolean>((resolve) => {
    watcher.onDidCreate(() => resolve(true));
    watcher.onDidChange(() => resolve(true));
    setTimeout(() => resolve(false), 20_000);
  });
  fs.copyFileSync(plan.insights!, insightsUri.fsPath);
  result.watcherSawInsights = await seen;
  watcher.dispose();

  // (a), (b), (e): activation, the tree, the first code scan.
  // The profiler (with --profile) starts before the monitor: its own start blocks the thread.
  const { api, activated, loaded, treeMs, treeCodeMs, indexReady, scan } = await profiled('corpus-scan', async () => {
    const monitor = blockMonitor();
    const t0 = performance.now();
    const api = await ext.activate();
    const activated = performance.now() - t0;
    let indexReady: number | undefined;
    const idle = api.whenIdle().then(() => { indexReady = performance.now() - t0; });
    // The tree lists what the index holds: the snapshot is cheap to poll (the tree's own test
    // command asks the configuration for every row), the tree is asked once it has problems.
    const loaded = await until('the insights file to load', () => ((api.snapshot(folder.uri)?.problems.length ?? 0) > 0 ? performance.now() - t0 : undefined));
    const treeMs = await until('the Problems tree to list problems', async () =>
      (await treeRows()).some((g) => g.children.length > 0) ? performance.now() - t0 : undefined);
    await idle;
    const treeCodeMs = await until('every problem of the tree to show its code links', async () => {
      const rows = (await treeRows()).flatMap((g) => g.children);
      return rows.length > 0 && rows.every((r) => /code link|no code yet/.test(String(r.description ?? ''))) ? performance.now() - t0 : undefined;
    }, { intervalMs: 100 });
    return { api, activated, loaded, treeMs, treeCodeMs, indexReady, scan: monitor.stop() };
  });
  result.scanStallMs = scan.wall;
  result.scanStallCpuMs = scan.cpu;
  result.scanBlocks = scan.blocks;
  result.activationMs = api.activationMs;
  result.activateCallMs = activated;
  result.insightsLoadedMs = loaded;
  result.treeMs = treeMs;
  result.indexReadyMs = indexReady;
  result.treeCodeMs = treeCodeMs;
  result.memoryAfterScan = memory();
  const snapshot = api.snapshot(folder.uri);
  result.problems = snapshot?.problems.length ?? 0;
  result.insightsGeneration = snapshot?.generation;

  // The tag's references: the index knows the tag (and where).
  const problemPosition = idPosition(fs.readFileSync(insightsUri.fsPath, 'utf8'), plan.hover.id);
  const references = async () => (await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', insightsUri, problemPosition)) ?? [];
  result.references = (await references()).length;

  // (d) Hovers on the tag's id in the largest tagged file.
  const fileUri = vscode.Uri.joinPath(folder.uri, ...plan.editFile!.split('/'));
  const document = await vscode.workspace.openTextDocument(fileUri);
  const editor = await vscode.window.showTextDocument(document, { preview: false });
  Object.assign(result, await hovers(document, plan.hover, api));

  // (c) Unsaved edits of that file: a line typed at its top, until the editor and the index show
  // the tag one line lower.
  const tagLine = plan.hover.line;
  const marks = () => Object.values(api.testHooks.decorations(fileUri)).flat();
  const baseMarks = await until('the gutter marks of the edited file', () => (marks().length > 0 ? marks() : undefined), { timeoutMs: 60_000 });
  const indexShows = async (line: number) => (await references()).some((l) => l.uri.toString() === fileUri.toString() && l.range.start.line === line);
  await until('the tag in Find All References', async () => (await indexShows(tagLine)) || undefined, { timeoutMs: 60_000 });
  // An edited file that anchors name makes the extension check the folder's anchors again and
  // republish the insights file's diagnostics: that is part of what an edit costs, so each edit
  // also waits for it. Meanwhile: the fewest diagnostics the Problems panel was given.
  const insightsDiagnostics = () => vscode.languages.getDiagnostics(insightsUri).length;
  const baseDiagnostics = insightsDiagnostics();
  let diagnosticEvents = 0;
  let fewestDiagnostics = baseDiagnostics;
  const diagnosticWatch = vscode.languages.onDidChangeDiagnostics((e) => {
    if (!e.uris.some((u) => u.toString() === insightsUri.toString())) return;
    diagnosticEvents++;
    fewestDiagnostics = Math.min(fewestDiagnostics, insightsDiagnostics());
  });
  const editStalls: number[] = [];
  const editCpu: number[] = [];
  const editBlocks: Block[][] = [];
  const settle: number[] = [];
  const marksMs: number[] = [];
  const indexMs: number[] = [];
  await profiled('corpus-edit', async () => {
    for (let i = 0; i < 5; i++) {
      const shift = i + 1;
      const events = diagnosticEvents;
      const edit = blockMonitor();
      const t = performance.now();
      await editor.edit((b) => b.insert(new vscode.Position(0, 0), `// typed line ${shift} of the benchmark\n`));
      await Promise.all([
        until(`the marks of edit ${shift}`, () => (marks().length === baseMarks.length && Math.min(...marks()) === Math.min(...baseMarks) + shift) || undefined, { timeoutMs: 60_000 })
          .then(() => marksMs.push(performance.now() - t)),
        until(`the index to see edit ${shift}`, async () => (await indexShows(tagLine + shift)) || undefined, { timeoutMs: 60_000, intervalMs: 50 })
          .then(() => indexMs.push(performance.now() - t)),
        plan.editFileAnchored
          ? until(`the anchors checked again after edit ${shift}`, () => (diagnosticEvents > events && insightsDiagnostics() === baseDiagnostics) || undefined, { timeoutMs: 60_000 })
          : undefined,
      ]);
      await api.whenIdle();
      settle.push(performance.now() - t);
      const blocks = edit.stop();
      editStalls.push(blocks.wall);
      if (blocks.cpu !== undefined) editCpu.push(blocks.cpu);
      editBlocks.push(blocks.blocks);
    }
  });
  result.editStallMs = median(editStalls);
  result.editStalls = editStalls;
  result.editStallCpuMs = editCpu.length ? median(editCpu) : undefined;
  result.editBlocks = editBlocks;
  result.editSettleMs = median(settle);
  result.editMarksMs = median(marksMs);
  result.editIndexMs = median(indexMs);
  diagnosticWatch.dispose();
  result.insightsDiagnostics = baseDiagnostics;
  result.insightsDiagnosticsFewestDuringEdits = fewestDiagnostics;
  result.memoryAfterEdits = memory();

  // Put the buffer back as it is on disk (never saved: auto-save is off in the bench profile).
  await vscode.commands.executeCommand('workbench.action.files.revert');
  await until('the index to see the reverted file', async () => (await indexShows(tagLine)) || undefined, { timeoutMs: 60_000, intervalMs: 50 });
  result.clean = !document.isDirty && document.getText() === fs.readFileSync(fileUri.fsPath, 'utf8');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

async function benchHover(plan: Plan, result: Record<string, unknown>): Promise<void> {
  const ext = extension();
  const api = ext.isActive ? ext.exports : await ext.activate();
  await api.whenIdle();
  const folder = vscode.workspace.workspaceFolders![0];
  const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, ...plan.hover.file.split('/')));
  await vscode.window.showTextDocument(document, { preview: false });
  Object.assign(result, await hovers(document, plan.hover, api));
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** The first hover with the tag's card after the file opened, then the median of 20. */
async function hovers(document: vscode.TextDocument, target: HoverTarget, api: CustomerLensApi): Promise<Record<string, number>> {
  const position = new vscode.Position(target.line, target.character);
  const hoverText = async () => {
    const found = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position)) ?? [];
    return found.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
  };
  const t0 = performance.now();
  await until(`the card of ${target.id} in the hover`, async () => (await hoverText()).includes(target.id) || undefined, { timeoutMs: 60_000 });
  const hoverFirstMs = performance.now() - t0;
  await api.whenIdle();
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    const text = await hoverText();
    times.push(performance.now() - t);
    if (!text.includes(target.id)) throw new Error(`hover ${i + 1} lacks the card of ${target.id}: ${text.slice(0, 200)}`);
  }
  // The same request on an empty line, where no provider has anything to say: what the round trip
  // through VS Code costs by itself.
  const empty = document.getText().split('\n').findIndex((l) => l.trim() === '');
  const baseline: number[] = [];
  for (let i = 0; empty >= 0 && i < 20; i++) {
    const t = performance.now();
    await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(empty, 0));
    baseline.push(performance.now() - t);
  }
  return {
    hoverFirstMs, hoverMs: median(times), hoverMinMs: Math.min(...times),
    hoverEmptyLineMs: baseline.length ? median(baseline) : -1, hoverEmptyLineMinMs: baseline.length ? Math.min(...baseline) : -1,
  };
}

/** The position of a problem's id in `- id: P-12` of an insights file's text. */
function idPosition(text: string, id: string): vscode.Position {
  const lines = text.split('\n');
  for (let line = 0; line < lines.length; line++) {
    const m = /^(\s*-?\s*id:\s*)(\S+)/.exec(lines[line]);
    if (m && m[2] === id) return new vscode.Position(line, m[1].length + 1);
  }
  throw new Error(`no "id: ${id}" in the insights file`);
}
