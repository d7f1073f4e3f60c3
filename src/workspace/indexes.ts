// One index per workspace folder (multi-root from the start), kept live: insights files created,
// changed, deleted or edited in an unsaved editor, folders added or removed, settings changed.
import vscode = require('vscode');
import { readConfig } from '../config';
import { Settings } from '../constants';
import type { ParseClient } from '../worker/parseClient';
import type { CodeClient } from '../worker/codeClient';
import { FolderIndex } from './folderIndex';
import { FolderFiles } from './files';
import { FolderCode } from './codeIndex';

/** Shows a long first scan of a folder's code: in the Problems view and in the status bar. */
export type ProgressHost = (folder: vscode.WorkspaceFolder, task: (report: (done: number, total: number) => void) => Promise<void>) => Thenable<void>;

/** Edits to an insights file are re-read this long after the last keystroke. */
const EDIT_DEBOUNCE_MS = 120;

export interface FolderEntry {
  index: FolderIndex;
  files: FolderFiles;
  code: FolderCode;
  watcher: vscode.FileSystemWatcher;
  subscriptions: vscode.Disposable[];
}

export class Indexes implements vscode.Disposable {
  private readonly folders = new Map<string, FolderEntry>();
  private readonly changed = new vscode.EventEmitter<FolderIndex>();
  /** Fires after any folder's index was rebuilt. */
  readonly onDidChange = this.changed.event;
  private readonly codeChanged = new vscode.EventEmitter<FolderCode>();
  /** Fires when a folder's code references changed (a tag or ticket key added, moved or removed). */
  readonly onDidChangeCode = this.codeChanged.event;
  private readonly filesChanged = new vscode.EventEmitter<vscode.WorkspaceFolder>();
  /** Fires when files are created or deleted in a folder (anchors may resolve differently). */
  readonly onDidChangeFiles = this.filesChanged.event;
  private readonly debounces = new Map<string, NodeJS.Timeout>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly parser: ParseClient,
    readonly code: CodeClient,
    private readonly progress: ProgressHost,
    private readonly log: Pick<vscode.LogOutputChannel, 'info' | 'warn' | 'error'>,
  ) {
    this.subscriptions.push(
      this.changed, this.filesChanged, this.codeChanged,
      vscode.workspace.onDidChangeWorkspaceFolders((e) => {
        for (const f of e.removed) this.removeFolder(f);
        for (const f of e.added) this.addFolder(f);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) this.scheduleUpdate(e.document);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        // Closing an editor without saving drops its edits: read the file from disk again.
        const entry = this.entryFor(doc.uri);
        if (entry?.index.isInsightsFile(doc.uri)) void entry.index.update(doc.uri);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        for (const entry of this.folders.values()) {
          const f = entry.index.folder;
          if ([Settings.insightsGlob, Settings.maxFileSizeKB, Settings.staleAfterDays].some((k) => e.affectsConfiguration(`${Settings.section}.${k}`, f))) {
            this.rewatch(entry);
            void entry.index.reloadAll();
          }
        }
      }),
    );
  }

  private firstLoad?: Promise<void>;

  /** Starts indexing every folder; returns at once (loading goes on in the background). */
  start(): void {
    for (const folder of vscode.workspace.workspaceFolders ?? []) this.addFolder(folder);
    this.firstLoad = Promise.all(this.all().map((i) => i.whenIdle())).then(() => undefined);
  }

  /** Resolves once every folder's insights files were read the first time (code scans may go on). */
  whenLoaded(): Promise<void> {
    return this.firstLoad ?? Promise.resolve();
  }

  all(): FolderIndex[] {
    return [...this.folders.values()].map((e) => e.index);
  }

  forFolder(folder: vscode.WorkspaceFolder): FolderIndex | undefined {
    return this.folders.get(folder.uri.toString())?.index;
  }

  /** The index of the folder holding this URI. */
  forUri(uri: vscode.Uri): FolderIndex | undefined {
    return this.entryFor(uri)?.index;
  }

  filesOf(folder: vscode.WorkspaceFolder): FolderFiles | undefined {
    return this.folders.get(folder.uri.toString())?.files;
  }

  /** The code references of a folder (tags and ticket keys in every scanned file). */
  codeOf(folder: vscode.WorkspaceFolder): FolderCode | undefined {
    return this.folders.get(folder.uri.toString())?.code;
  }

  /** Resolves once no folder has a load queued or running (edits waiting on the debounce count). */
  async whenIdle(): Promise<void> {
    for (;;) {
      while (this.debounces.size > 0) await new Promise((r) => setTimeout(r, EDIT_DEBOUNCE_MS));
      const generations = this.all().map((i) => i.generation);
      await Promise.all(this.all().map((i) => i.whenIdle()));
      await Promise.all([...this.folders.values()].map((e) => e.code.whenReady()));
      if (this.debounces.size === 0 && this.all().every((i, n) => i.generation === generations[n])) return;
    }
  }

  dispose(): void {
    for (const t of this.debounces.values()) clearTimeout(t);
    for (const folder of [...this.folders.values()].map((e) => e.index.folder)) this.removeFolder(folder);
    for (const s of this.subscriptions) s.dispose();
  }

  private entryFor(uri: vscode.Uri): FolderEntry | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return folder ? this.folders.get(folder.uri.toString()) : undefined;
  }

  private addFolder(folder: vscode.WorkspaceFolder): void {
    const key = folder.uri.toString();
    if (this.folders.has(key)) return;
    const index = new FolderIndex(folder, this.parser, (m) => this.log.error(m));
    const files = new FolderFiles(folder, this.code);
    const code = new FolderCode(index, files, this.code, (task) => this.progress(folder, task), (m) => this.log.info(m));
    const entry: FolderEntry = { index, files, code, watcher: this.createWatcher(folder, index), subscriptions: [] };
    entry.subscriptions.push(
      code,
      code.onDidChange((c) => this.codeChanged.fire(c)),
      index.onDidChange((i) => this.changed.fire(i)),
      files.onDidChange(({ uri, created }) => {
        // A second look for insights files: the glob watcher can miss a file created together with
        // its new folder (a known race of file watchers on Linux).
        if (created && index.isInsightsFile(uri) && !index.insightsFiles.some((u) => u.toString() === uri.toString())) void index.update(uri);
        this.filesChanged.fire(folder);
      }),
    );
    this.folders.set(key, entry);
    void index.reloadAll();
  }

  private removeFolder(folder: vscode.WorkspaceFolder): void {
    const key = folder.uri.toString();
    const entry = this.folders.get(key);
    if (!entry) return;
    this.folders.delete(key);
    entry.watcher.dispose();
    entry.files.dispose();
    for (const s of entry.subscriptions) s.dispose();
    entry.index.index = undefined;
    this.changed.fire(entry.index);
    entry.index.dispose();
  }

  private createWatcher(folder: vscode.WorkspaceFolder, index: FolderIndex): vscode.FileSystemWatcher {
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, readConfig(folder).insightsGlob));
    const fromDisk = (uri: vscode.Uri) => {
      // An open editor's text wins over the disk until it is saved or closed.
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (doc?.isDirty) return;
      if (index.isInsightsFile(uri)) void index.update(uri);
    };
    watcher.onDidCreate(fromDisk);
    watcher.onDidChange(fromDisk);
    watcher.onDidDelete((uri) => void index.remove(uri));
    return watcher;
  }

  private rewatch(entry: FolderEntry): void {
    entry.watcher.dispose();
    entry.watcher = this.createWatcher(entry.index.folder, entry.index);
  }

  private scheduleUpdate(doc: vscode.TextDocument): void {
    const entry = this.entryFor(doc.uri);
    if (!entry || !entry.index.isInsightsFile(doc.uri)) return;
    const key = doc.uri.toString();
    clearTimeout(this.debounces.get(key));
    this.debounces.set(key, setTimeout(() => {
      this.debounces.delete(key);
      void entry.index.update(doc.uri, doc.getText());
    }, EDIT_DEBOUNCE_MS));
  }
}
