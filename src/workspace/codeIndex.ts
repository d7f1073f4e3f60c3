// The workspace reference index: every `@why` tag and recognised ticket key in a folder's code,
// whether its file is open or not. The first scan runs in the code worker (Node's fs for file:
// folders, texts read through workspace.fs otherwise); after that one file at a time is rescanned
// when it is created, changed on disk, edited unsaved, renamed or deleted.
import vscode = require('vscode');
import { CodeReferenceIndex } from '../core/codeRefs';
import type { FileRefs } from '../core/codeRefs';
import { isSkippedPath } from '../core/scanPolicy';
import { readConfig } from '../config';
import { relativePath } from '../adapter/convert';
import type { CodeClient } from '../worker/codeClient';
import type { ScanSettings } from '../worker/codeProtocol';
import type { FolderIndex } from './folderIndex';
import type { FolderFiles } from './files';
import { readText } from './files';

/** Changes on disk are gathered this long before one rescan of the changed files. */
const DISK_DEBOUNCE_MS = 100;
/** Unsaved edits of a code file are rescanned this long after the last keystroke. */
const EDIT_DEBOUNCE_MS = 250;
/** Texts sent to the worker in one message when the folder is not on a local disk. */
const TEXTS_PER_REQUEST = 40;

export type CodeIndexState = 'waiting' | 'scanning' | 'ready';

export class FolderCode implements vscode.Disposable {
  readonly refs = new CodeReferenceIndex();
  state: CodeIndexState = 'waiting';
  /** Grows with every change of `refs`. */
  generation = 0;
  private settingsKey?: string;
  private scan?: Promise<void>;
  private readonly pendingDisk = new Set<string>();
  private diskTimer?: NodeJS.Timeout;
  private readonly editTimers = new Map<string, NodeJS.Timeout>();
  private readonly changed = new vscode.EventEmitter<FolderCode>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private disposed = false;

  constructor(
    readonly insights: FolderIndex,
    private readonly files: FolderFiles,
    private readonly client: CodeClient,
    private readonly progress: (task: (report: (done: number, total: number) => void) => Promise<void>) => Thenable<void>,
    private readonly log: (message: string) => void,
  ) {
    const folder = insights.folder;
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '**/*'));
    const onDisk = (uri: vscode.Uri) => {
      const file = this.relative(uri);
      if (file === undefined) return;
      // An open editor's text wins over the disk until it is saved or closed.
      if (vscode.workspace.textDocuments.some((d) => d.isDirty && d.uri.toString() === uri.toString())) return;
      this.pendingDisk.add(file);
      clearTimeout(this.diskTimer);
      this.diskTimer = setTimeout(() => this.track(this.flushDisk()), DISK_DEBOUNCE_MS);
    };
    this.subscriptions.push(
      watcher, this.changed,
      watcher.onDidCreate(onDisk), watcher.onDidChange(onDisk), watcher.onDidDelete(onDisk),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) this.scheduleEdit(e.document);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        // Closing without saving drops the edits: the disk is the truth again.
        const file = this.relative(doc.uri);
        if (file !== undefined && this.state !== 'waiting') onDisk(doc.uri);
      }),
      insights.onDidChange(() => this.syncSettings()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('customerLens.whyTag', folder)) this.syncSettings();
      }),
    );
    this.syncSettings();
  }

  /**
   * Resolves when nothing is pending: the scan (and any rescan it triggered), edits and disk
   * changes waiting on their debounce, and the rescans of single files they started.
   */
  async whenReady(): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const scan = this.scan;
      await scan;
      await Promise.all([...this.inflight]);
      const waiting = this.editTimers.size > 0 || this.pendingDisk.size > 0;
      if (this.scan === scan && this.inflight.size === 0 && !waiting) return;
      if (waiting) await new Promise((r) => setTimeout(r, DISK_DEBOUNCE_MS));
    }
  }

  /** Rescans of single files under way (for whenReady). */
  private readonly inflight = new Set<Promise<void>>();

  private track(work: Promise<void>): void {
    this.inflight.add(work);
    void work.finally(() => this.inflight.delete(work));
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.diskTimer);
    for (const t of this.editTimers.values()) clearTimeout(t);
    for (const s of this.subscriptions) s.dispose();
  }

  /** The folder-relative path of a code file the index covers (never an insights file). */
  private relative(uri: vscode.Uri): string | undefined {
    const file = relativePath(this.insights.folder.uri, uri);
    return file !== undefined && this.isCode(file) ? file : undefined;
  }

  private isCode(file: string): boolean {
    return file !== '' && !isSkippedPath(file) && !this.insights.isInsightsPath(file);
  }

  private settings(): ScanSettings | undefined {
    return this.insights.index ? scanSettings(this.insights, readConfig(this.insights.folder).whyTag) : undefined;
  }

  /** A new tag or tracker list means every file may say something else: rescan the folder. */
  private syncSettings(): void {
    const settings = this.settings();
    if (!settings) return;
    const key = scanKey(settings);
    if (key === this.settingsKey) return;
    this.settingsKey = key;
    this.scan = this.scanAll(settings);
  }

  private async scanAll(settings: ScanSettings): Promise<void> {
    const first = this.state === 'waiting';
    this.state = 'scanning';
    this.changed.fire(this);
    const started = performance.now();
    const fresh = new CodeReferenceIndex();
    const run = async (report: (done: number, total: number) => void) => {
      const root = this.insights.folder.uri;
      // A worker that cannot scan (it failed; the client logged why) leaves it to workspace.fs.
      const onDisk = root.scheme === 'file'
        && await this.client.scanFolder(root.fsPath, settings, (batch) => batch.forEach((r) => this.isCode(r.file) && fresh.set(r)), report);
      if (!onDisk) await this.scanThroughWorkspace(settings, fresh, report);
    };
    await (first ? this.progress(run) : run(() => {}));
    if (this.disposed || this.settingsKey !== scanKey(settings)) return;
    this.refs.clear();
    for (const file of fresh.files()) this.refs.set(fresh.forFile(file)!);
    // Unsaved editors win over what the scan read from disk.
    const dirty = vscode.workspace.textDocuments.filter((d) => d.isDirty && this.relative(d.uri) !== undefined);
    if (dirty.length > 0) await this.apply(await this.client.scanTexts(dirty.map((d) => ({ file: this.relative(d.uri)!, text: d.getText() })), settings));
    this.state = 'ready';
    this.generation++;
    this.log(`Indexed the code references of ${this.insights.folder.name}: ${this.refs.size} files with tags or tickets, in ${Math.round(performance.now() - started)} ms.`);
    this.changed.fire(this);
  }

  /** The fallback for folders that are not on a local disk: list and read through workspace.fs. */
  private async scanThroughWorkspace(settings: ScanSettings, into: CodeReferenceIndex, report: (done: number, total: number) => void): Promise<void> {
    const files = (await this.files.files()).filter((f) => this.isCode(f));
    const root = this.insights.folder.uri;
    for (let i = 0; i < files.length && !this.disposed; i += TEXTS_PER_REQUEST) {
      const slice = files.slice(i, i + TEXTS_PER_REQUEST);
      const texts = await Promise.all(slice.map(async (file) => ({ file, text: await readText(vscode.Uri.joinPath(root, ...file.split('/'))) })));
      const items = texts.filter((t): t is { file: string; text: string } => t.text !== undefined && mayReference(t.text, settings));
      if (items.length > 0) for (const r of await this.client.scanTexts(items, settings)) into.set(r);
      report(Math.min(i + TEXTS_PER_REQUEST, files.length), files.length);
    }
  }

  private async flushDisk(): Promise<void> {
    const settings = this.settings();
    const paths = [...this.pendingDisk];
    this.pendingDisk.clear();
    if (!settings || paths.length === 0) return;
    await this.scan;
    // A deleted or renamed directory comes as one event for the directory: its indexed files too.
    const indexed = this.refs.files();
    const files = [...new Set([...paths, ...indexed.filter((f) => paths.some((p) => f.startsWith(`${p}/`)))])];
    // A directory created or moved in may come as one event too: scan what it holds.
    const root = this.insights.folder.uri;
    for (const dir of await this.directories(paths)) {
      const inside = await vscode.workspace.findFiles(new vscode.RelativePattern(vscode.Uri.joinPath(root, ...dir.split('/')), '**/*'), undefined, 10_000);
      for (const uri of inside) {
        const file = this.relative(uri);
        if (file !== undefined) files.push(file);
      }
    }
    let refs = root.scheme === 'file' ? await this.client.scanPaths(root.fsPath, files, settings) : undefined;
    if (!refs) {
      const texts = await Promise.all(files.map(async (file) => ({ file, text: await readText(vscode.Uri.joinPath(root, ...file.split('/'))) })));
      refs = await this.client.scanTexts(texts.filter((t): t is { file: string; text: string } => t.text !== undefined), settings);
    }
    await this.apply(refs, files);
  }

  /** Which of these paths are directories now. */
  private async directories(paths: readonly string[]): Promise<string[]> {
    const root = this.insights.folder.uri;
    const found: string[] = [];
    await Promise.all(paths.map(async (p) => {
      try {
        if ((await vscode.workspace.fs.stat(vscode.Uri.joinPath(root, ...p.split('/')))).type & vscode.FileType.Directory) found.push(p);
      } catch {
        // Gone: nothing to scan.
      }
    }));
    return found;
  }

  private scheduleEdit(document: vscode.TextDocument): void {
    const file = this.relative(document.uri);
    if (file === undefined || this.insights.isInsightsFile(document.uri)) return;
    clearTimeout(this.editTimers.get(file));
    this.editTimers.set(file, setTimeout(() => {
      this.editTimers.delete(file);
      const settings = this.settings();
      if (!settings) return;
      this.track(Promise.resolve(this.scan).then(async () => this.apply(await this.client.scanTexts([{ file, text: document.getText() }], settings), [file])));
    }, EDIT_DEBOUNCE_MS));
  }

  /** Replaces what the given files say (files with no answer had nothing, or are gone). */
  private async apply(refs: FileRefs[], files: readonly string[] = []): Promise<void> {
    if (this.disposed) return;
    const answered = new Set(refs.map((r) => r.file));
    let changed = false;
    for (const file of files) {
      if (!answered.has(file) && this.refs.forFile(file)) {
        this.refs.delete(file);
        changed = true;
      }
    }
    for (const r of refs) {
      if (!this.isCode(r.file)) continue;
      const before = this.refs.forFile(r.file);
      if (!before && r.tags.length === 0 && r.tickets.length === 0) continue;
      if (before && JSON.stringify(before) === JSON.stringify(r)) continue;
      this.refs.set(r);
      changed = true;
    }
    if (!changed) return;
    this.generation++;
    this.changed.fire(this);
  }
}

/** What the code worker needs to find references in a folder: the tag and the trackers of its insights files. */
export function scanSettings(folder: FolderIndex, whyTag: string): ScanSettings {
  return { whyTag, trackers: (folder.index?.files ?? []).flatMap((f) => f.trackers).map((t) => ({ ...t })) };
}

function scanKey(settings: ScanSettings): string {
  return JSON.stringify([settings.whyTag, settings.trackers.map((t) => [t.prefix, t.pattern, t.usable])]);
}

/** A cheap look before a text goes to the worker: does it hold the tag or a tracker prefix at all? */
function mayReference(text: string, settings: ScanSettings): boolean {
  if (settings.whyTag && text.includes(settings.whyTag)) return true;
  return settings.trackers.some((t) => t.pattern !== undefined || (t.prefix !== undefined && text.includes(`${t.prefix}-`)));
}
