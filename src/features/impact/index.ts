// The Customer Impact view: for each workspace folder in a git repository, the customer problems
// the branch's changes touch (the working tree, staged and unstaged, against the merge base with the
// default branch, as `customer-lens impact` computes it), ranked by severity and impact, each with
// the places it is touched (click: the diff at that line) and the anchors the change breaks. It
// follows saves, file changes and the git extension's repository events (or a watcher on the git
// directory), debounced, only while the view is visible; git runs in child processes and parsing in
// worker threads. Its title bar copies the Markdown report for a pull request.
import * as path from 'node:path';
import vscode = require('vscode');
import { Commands, ContextKeys, IMPACT_BASE_SCHEME, TestCommands, Views } from '../../constants';
import { impactMarkdown, impactText } from '../../core/impact';
import { GitError, GitRepository } from '../../git/gitDiff';
import { NoInsightsError } from '../../git/impactGather';
import type { Services } from '../../services';
import { ParseClient } from '../../worker/parseClient';
import { BaseContentProvider, baseUri } from './baseContent';
import { folderImpact } from './gather';
import { GitExtension } from './gitApi';
import { brokenGroupItem, brokenItem, folderItem, hasItems, orderedTouches, problemItem, touchItem } from './model';
import type { BrokenGroupNode, ChangeTarget, FolderEntry, FolderNode, ImpactNode, ProblemNode } from './model';

/** How long the view waits after the last change before comparing again. */
const DEBOUNCE_MS = 500;
/** How long a comparison waits for the git extension to come up (its git path, its repositories), and for the insights to load. */
const GIT_EXTENSION_WAIT_MS = 5_000;
/** Up to this many touched problems are shown expanded. */
const EXPANDED_PROBLEMS = 5;

type ViewState = FolderEntry['state'] | 'folders' | 'noFolder';

/** Folder states the welcome content explains when every folder is in it (the tree is then empty). */
const WELCOME_STATES = new Set<ViewState>(['computing', 'unsupported', 'noGit', 'noRepository', 'noInsights']);

interface FolderWatch {
  disposables: vscode.Disposable[];
  /** A watcher on the git directory, when the git extension does not report this repository. */
  gitDir?: vscode.Disposable;
  gitDirPath?: string;
  /** The git extension's view of the repository when last compared (HEAD and changed files). */
  gitSignature?: string;
  /** What the last result was, to tell the tree only about real changes. */
  signature?: string;
}

class ImpactController implements vscode.Disposable {
  /** By folder URI, in workspace order. */
  entries = new Map<string, FolderEntry>();
  private readonly watches = new Map<string, FolderWatch>();
  private readonly dirty = new Set<string>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private waiting = 0;
  private visible = false;
  private viewState?: ViewState;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  /** The last comparison of each folder, in milliseconds (for tests and the log). */
  readonly durations = new Map<string, number>();
  view?: vscode.TreeView<ImpactNode>;

  /**
   * The git extension's API (its git path, its repositories), for a few seconds at most, and the
   * first load of the insights files (whose parses the comparison reuses).
   */
  private readonly ready: Promise<unknown>;

  constructor(private readonly services: Services, readonly git: GitExtension, private readonly parser: () => ParseClient) {
    const waited = (p: Promise<unknown>) => Promise.race([p, new Promise((r) => setTimeout(r, GIT_EXTENSION_WAIT_MS))]).catch(() => undefined);
    this.ready = Promise.all([waited(git.ready), waited(services.indexes.whenLoaded())]);
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const w of this.watches.values()) {
      for (const d of w.disposables) d.dispose();
      w.gitDir?.dispose();
    }
    this.watches.clear();
    this.changed.dispose();
  }

  /** Follows the workspace's folders: new ones are compared, removed ones forgotten. */
  syncFolders(): void {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const next = new Map<string, FolderEntry>();
    for (const folder of folders) {
      const key = folder.uri.toString();
      const entry = this.entries.get(key) ?? { folder, state: 'computing', generation: 0 };
      entry.folder = folder;
      next.set(key, entry);
      if (!this.watches.has(key)) {
        this.watches.set(key, { disposables: this.watchFolder(folder) });
        this.dirty.add(key);
      }
    }
    for (const [key, w] of this.watches) {
      if (next.has(key)) continue;
      for (const d of w.disposables) d.dispose();
      w.gitDir?.dispose();
      this.watches.delete(key);
      this.dirty.delete(key);
    }
    this.entries = next;
    this.updateView();
    this.changed.fire();
    this.schedule([], 0);
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible && this.dirty.size > 0) this.schedule([], 0);
  }

  /** Marks folders for a new comparison (by URI string; 'all' for every folder) and starts one after the debounce, if the view is visible. */
  schedule(keys: Iterable<string> | 'all', delayMs = DEBOUNCE_MS): void {
    for (const key of keys === 'all' ? this.entries.keys() : keys) if (this.entries.has(key)) this.dirty.add(key);
    if (this.dirty.size === 0 || (!this.visible && this.waiting === 0)) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.kick();
    }, delayMs);
  }

  /** Compares every folder marked for it now, and resolves when none is left (also with the view hidden). */
  async fresh(): Promise<void> {
    this.waiting++;
    try {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.kick();
      while (this.running) await this.running;
    } finally {
      this.waiting--;
    }
  }

  /** Whether a comparison is running or due. */
  get busy(): boolean {
    return this.running !== undefined || this.timer !== undefined;
  }

  private kick(): void {
    if (this.running || this.dirty.size === 0) return;
    this.running = Promise.resolve(vscode.window.withProgress({ location: { viewId: Views.impact } }, async () => {
      while (this.dirty.size > 0) {
        const keys = [...this.dirty];
        this.dirty.clear();
        for (const key of keys) {
          const entry = this.entries.get(key);
          if (entry) await this.compare(entry);
        }
      }
    })).catch((e: unknown) => {
      this.services.log.error(`Customer Impact: ${(e as Error)?.stack ?? e}`);
    }).finally(() => {
      this.running = undefined;
      // Marked while the last folder was being compared: compare again (after the debounce).
      if (this.dirty.size > 0) this.schedule([]);
    });
  }

  private async compare(entry: FolderEntry): Promise<void> {
    const { folder } = entry;
    const key = folder.uri.toString();
    const started = performance.now();
    const timings: Record<string, number> = {};
    let next: Pick<FolderEntry, 'state' | 'message' | 'result'>;
    if (folder.uri.scheme !== 'file') {
      next = { state: 'unsupported', message: `${folder.name} is not on this machine's disk: git cannot compare it here.` };
    } else {
      try {
        await this.ready;
        const gitPath = this.git.gitPath();
        const result = await folderImpact(this.services, folder, { git: gitPath, parser: this.parser }, timings);
        const { report, labels } = result;
        const lines = impactText(report, labels);
        const message = [`${lines[1]} Compared: ${labels.head} against ${labels.base}.`, ...(labels.notes ?? [])].join(' ');
        next = { state: report.problems.length > 0 || report.anchorsBroken.length > 0 ? 'ready' : 'clean', message, result };
      } catch (e) {
        if (e instanceof GitError) {
          next = e.kind === 'git-missing' ? { state: 'noGit', message: e.message }
            : e.kind === 'not-a-repository' ? { state: 'noRepository', message: e.message }
              // The CLI's advice names --base; the view always compares with the default branch.
              : { state: 'gitError', message: e.kind === 'no-base' ? `${e.message} The view compares with the merge base of HEAD and origin/HEAD, main or master: run customer-lens impact --base REF for another base.` : e.message };
        } else if (e instanceof NoInsightsError) {
          next = { state: 'noInsights', message: `${folder.name} has no customer-insights.yaml, in the working tree or at the base.` };
        } else {
          this.services.log.error(`Customer Impact of ${folder.name} failed: ${(e as Error)?.stack ?? e}`);
          next = { state: 'gitError', message: `Customer Impact could not compare ${folder.name}: ${(e as Error)?.message ?? e}` };
        }
      }
    }
    // The git directory is looked for again only when the folder's state changes (each look is two git processes).
    if (next.state !== entry.state || entry.generation === 0) {
      await this.watchGitDir(folder, this.git.gitPath(), next.state !== 'unsupported' && next.state !== 'noGit' && next.state !== 'noRepository');
    }
    const ms = performance.now() - started;
    this.durations.set(key, ms);
    if (this.entries.get(key) !== entry) return; // the folder left the workspace meanwhile
    const watch = this.watches.get(key);
    if (watch) watch.gitSignature = this.gitSignature(folder);
    const signature = JSON.stringify([next.state, next.message, next.result?.report, next.result?.change.base.commit]);
    if (watch?.signature === signature) return;
    if (watch) watch.signature = signature;
    entry.state = next.state;
    entry.message = next.message;
    entry.result = next.result;
    entry.generation++;
    const parts = Object.entries(timings).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ');
    this.services.log.info(`Customer Impact of ${folder.name}: ${next.state} (${ms.toFixed(0)} ms${parts ? `; ${parts}` : ''})`);
    this.updateView();
    this.changed.fire();
  }

  /** The view's state for the welcome content, and its message line. */
  updateView(): void {
    const entries = [...this.entries.values()];
    let state: ViewState;
    if (entries.length === 0) state = 'noFolder';
    else if (entries.length === 1) state = entries[0].state;
    else {
      const states = new Set(entries.map((e) => e.state));
      const only = [...states][0];
      state = states.size === 1 && WELCOME_STATES.has(only) ? only : 'folders';
    }
    if (state !== this.viewState) {
      this.viewState = state;
      void vscode.commands.executeCommand('setContext', ContextKeys.impactState, state);
    }
    // A message hides the welcome content: only states the welcome does not explain have one.
    if (this.view) this.view.message = entries.length === 1 && (state === 'ready' || state === 'clean' || state === 'gitError') ? entries[0].message : undefined;
  }

  get state(): ViewState | undefined {
    return this.viewState;
  }

  private watchFolder(folder: vscode.WorkspaceFolder): vscode.Disposable[] {
    const key = folder.uri.toString();
    if (folder.uri.scheme !== 'file') return [];
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '**/*'));
    const onFile = (uri: vscode.Uri) => {
      // Git's own files: the git extension's events, or the git directory's watcher, say what matters.
      if (/\/\.git(\/|$)/.test(uri.path)) return;
      this.schedule([key]);
    };
    return [watcher, watcher.onDidCreate(onFile), watcher.onDidChange(onFile), watcher.onDidDelete(onFile)];
  }

  /**
   * Without the git extension's events for this repository, a watcher on the git directory sees
   * commits, checkouts and staging (HEAD, the index, refs). Follows the folder's git directory as
   * it changes; none for a folder in no repository, or one the git extension reports.
   */
  private async watchGitDir(folder: vscode.WorkspaceFolder, gitPath: string | undefined, inRepository: boolean): Promise<void> {
    const key = folder.uri.toString();
    const watch = this.watches.get(key);
    if (!watch) return;
    let dir: string | undefined;
    if (inRepository && folder.uri.scheme === 'file' && !this.git.repository(folder.uri)) {
      try {
        const r = await (await GitRepository.open(folder.uri.fsPath, { git: gitPath })).run(['rev-parse', '--absolute-git-dir']);
        dir = r.code === 0 && r.stdout.trim() !== '' ? r.stdout.trim() : undefined;
      } catch {
        dir = undefined;
      }
    }
    if (this.watches.get(key) !== watch || dir === watch.gitDirPath) return;
    watch.gitDir?.dispose();
    watch.gitDir = undefined;
    watch.gitDirPath = dir;
    if (!dir) return;
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dir), '{HEAD,index,packed-refs,refs/**}'));
    const onGit = () => this.schedule([key]);
    watch.gitDir = vscode.Disposable.from(watcher, watcher.onDidCreate(onGit), watcher.onDidChange(onGit), watcher.onDidDelete(onGit));
  }

  /** What the git extension says about a folder's repository: HEAD and the changed files. */
  private gitSignature(folder: vscode.WorkspaceFolder): string | undefined {
    const repo = this.git.repository(folder.uri);
    if (!repo) return undefined;
    const s = repo.state;
    const changes = (list: { uri: vscode.Uri; status: number }[] | undefined) => (list ?? []).map((c) => `${c.status}:${c.uri.path}`).sort().join('|');
    return [s.HEAD?.name ?? '', s.HEAD?.commit ?? '', changes(s.indexChanges), changes(s.workingTreeChanges), changes(s.untrackedChanges), changes(s.mergeChanges)].join('\n');
  }

  /** The git extension reports a change in a repository (undefined: repositories opened or closed). */
  onGitChange(root: vscode.Uri | undefined): void {
    if (!root) return this.schedule('all');
    const rootPath = root.fsPath.replace(/[\\/]+$/, '');
    for (const [key, entry] of this.entries) {
      if (entry.folder.uri.scheme !== 'file') continue;
      const folderPath = entry.folder.uri.fsPath;
      const inside = folderPath === rootPath || folderPath.startsWith(rootPath + path.sep) || rootPath.startsWith(folderPath + path.sep);
      if (!inside) continue;
      // The extension reports every status run; compare again only when HEAD or the set of changed files moved.
      const watch = this.watches.get(key);
      const signature = this.gitSignature(entry.folder);
      if (watch && signature !== undefined && signature === watch.gitSignature) continue;
      this.schedule([key]);
    }
  }
}

class ImpactTree implements vscode.TreeDataProvider<ImpactNode> {
  private readonly changed = new vscode.EventEmitter<undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly controller: ImpactController) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.changed.dispose();
  }

  getChildren(node?: ImpactNode): ImpactNode[] {
    if (!node) {
      const entries = [...this.controller.entries.values()];
      if (entries.length === 1) return this.folderChildren(entries[0]);
      const state = this.controller.state;
      if (state !== 'folders') return [];
      return entries.map((entry): FolderNode => ({ kind: 'folder', entry }));
    }
    switch (node.kind) {
      case 'folder': return this.folderChildren(node.entry, node);
      case 'problem': return orderedTouches(node.problem.touches).map((touch) => ({ kind: 'touch', entry: node.entry, touch, parent: node }));
      case 'brokenGroup': return (node.entry.result?.report.anchorsBroken ?? []).map((anchor) => ({ kind: 'broken', entry: node.entry, anchor, parent: node }));
      default: return [];
    }
  }

  private folderChildren(entry: FolderEntry, parent?: FolderNode): ImpactNode[] {
    if (!hasItems(entry)) return [];
    const report = entry.result!.report;
    const nodes: ImpactNode[] = report.problems.map((problem): ProblemNode => ({ kind: 'problem', entry, problem, parent }));
    if (report.anchorsBroken.length > 0) nodes.push({ kind: 'brokenGroup', entry, parent } satisfies BrokenGroupNode);
    return nodes;
  }

  getParent(node: ImpactNode): ImpactNode | undefined {
    return node.kind === 'folder' ? undefined : node.parent;
  }

  getTreeItem(node: ImpactNode): vscode.TreeItem {
    switch (node.kind) {
      case 'folder': return folderItem(node.entry);
      case 'problem': return problemItem(node, (node.entry.result?.report.problems.length ?? 0) <= EXPANDED_PROBLEMS);
      case 'touch': return touchItem(node);
      case 'brokenGroup': return brokenGroupItem(node);
      case 'broken': return brokenItem(node);
    }
  }
}

function isChangeTarget(v: unknown): v is ChangeTarget {
  const t = v as Partial<ChangeTarget> | undefined;
  return typeof t?.folder === 'string' && typeof t.file === 'string' && (t.side === 'head' || t.side === 'base')
    && typeof t.line === 'number' && Number.isInteger(t.line) && t.line >= 1;
}

export function register(services: Services): vscode.Disposable {
  const { log, prompts } = services;
  const git = new GitExtension((m) => log.info(m));
  let parseClient: ParseClient | undefined;
  const parser = () => parseClient ??= new ParseClient(path.join(services.context.extensionPath, 'dist', 'loadWorker.js'), (m) => log.warn(m));
  const controller = new ImpactController(services, git, parser);
  const tree = new ImpactTree(controller);
  const view = vscode.window.createTreeView(Views.impact, { treeDataProvider: tree, showCollapseAll: true });
  controller.view = view;

  /** Opens a touched place: the diff from the base to the working file at its line. */
  const openChange = async (arg: unknown) => {
    if (!isChangeTarget(arg)) return;
    const entry = controller.entries.get(arg.folder);
    const change = entry?.result?.change;
    // Only a place the current report names (a command link cannot open anything else).
    if (!entry || !change || !entry.result!.report.problems.some((p) => p.touches.some((t) => t.file === arg.file && t.side === arg.side))) return;
    const folder = entry.folder;
    const diff = change.files.find((f) => (arg.side === 'head' ? f.newPath : f.oldPath) === arg.file);
    const at = new vscode.Position(arg.line - 1, 0);
    const selection = new vscode.Range(at, at);
    const commit = change.base.commit;
    const base = (file: string) => git.toGitUri(vscode.Uri.joinPath(folder.uri, ...file.split('/')), commit) ?? baseUri(folder, commit, file);
    const name = arg.file.slice(arg.file.lastIndexOf('/') + 1);
    const baseName = `${change.base.ref ?? 'base'} ${commit.slice(0, 7)}`;
    if (arg.side === 'base') {
      // A file the change deletes: it is only at the base.
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(base(arg.file)), { selection, preview: true });
      return;
    }
    const uri = vscode.Uri.joinPath(folder.uri, ...arg.file.split('/'));
    if (!diff?.oldPath) {
      // Added (or untracked) here, or a place the diff does not hold (the line of an anchor in an unchanged insights file).
      await vscode.window.showTextDocument(uri, { selection, preview: true });
      return;
    }
    await vscode.commands.executeCommand('vscode.diff', base(diff.oldPath), uri, `${name} (${baseName}) \u2194 working tree`, { selection, preview: true });
  };

  /** Copies a folder's report: the folder node's (context menu), the folder whose URI is given, the only one, or the one picked. */
  const copyImpact = async (folder?: unknown): Promise<string | undefined> => {
    await controller.fresh();
    const compared = [...controller.entries.values()].filter((e) => e.result && (e.state === 'ready' || e.state === 'clean'));
    let entry: FolderEntry | undefined = typeof folder === 'string' ? controller.entries.get(folder)
      : (folder as FolderNode | undefined)?.kind === 'folder' ? controller.entries.get((folder as FolderNode).entry.folder.uri.toString()) : undefined;
    if (!entry || !entry.result) {
      if (compared.length === 0) {
        const why = [...controller.entries.values()].map((e) => e.message).find(Boolean);
        void vscode.window.showWarningMessage(`Customer Lens: no customer impact to copy${why ? `: ${why}` : '.'}`);
        return undefined;
      }
      entry = compared.length === 1 ? compared[0] : await prompts.pick(
        compared.map((e) => ({ label: e.folder.name, id: e.folder.name, description: e.message, value: e })),
        { title: 'Copy the customer impact of which folder?' },
      );
    }
    if (!entry?.result) return undefined;
    const markdown = impactMarkdown(entry.result.report, entry.result.labels);
    await vscode.env.clipboard.writeText(markdown);
    const n = entry.result.report.problems.length;
    void vscode.window.setStatusBarMessage(`Copied the customer impact (${n} problem${n === 1 ? '' : 's'}) as Markdown for a pull request`, 4000);
    return markdown;
  };

  const refreshImpact = async () => {
    controller.schedule('all', 0);
    await controller.fresh();
  };

  const snapshot = async (options?: unknown) => {
    if ((options as { fresh?: unknown } | undefined)?.fresh === true) await controller.fresh();
    const describe = (node: ImpactNode): Record<string, unknown> => {
      const item = tree.getTreeItem(node);
      return {
        kind: node.kind,
        label: typeof item.label === 'string' ? item.label : item.label?.label,
        description: item.description,
        contextValue: item.contextValue,
        ...(item.command ? { command: { command: item.command.command, arguments: item.command.arguments } } : {}),
        children: tree.getChildren(node).map(describe),
      };
    };
    return {
      state: controller.state,
      message: view.message,
      busy: controller.busy,
      folders: [...controller.entries.values()].map((e) => ({
        name: e.folder.name, uri: e.folder.uri.toString(), state: e.state, message: e.message, generation: e.generation,
        ms: controller.durations.get(e.folder.uri.toString()),
      })),
      roots: tree.getChildren().map(describe),
    };
  };

  controller.syncFolders();
  controller.setVisible(view.visible);
  return vscode.Disposable.from(
    controller, tree, view, git,
    { dispose: () => parseClient?.dispose() },
    controller.onDidChange(() => tree.refresh()),
    view.onDidChangeVisibility((e) => controller.setVisible(e.visible)),
    git.onDidChange((root) => controller.onGitChange(root)),
    vscode.workspace.onDidChangeWorkspaceFolders(() => controller.syncFolders()),
    vscode.workspace.onDidSaveTextDocument((doc) => {
      const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
      if (folder) controller.schedule([folder.uri.toString()]);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('customerLens')) controller.schedule('all');
    }),
    vscode.workspace.registerTextDocumentContentProvider(IMPACT_BASE_SCHEME, new BaseContentProvider(() => git.gitPath())),
    vscode.commands.registerCommand(Commands.openImpactChange, openChange),
    vscode.commands.registerCommand(Commands.copyImpact, copyImpact),
    vscode.commands.registerCommand(Commands.refreshImpact, refreshImpact),
    // Test seam: the view's state, message, folders and items ({ fresh: true } compares first).
    vscode.commands.registerCommand(TestCommands.impactSnapshot, snapshot),
  );
}
