// The index of one workspace folder: finds its insights files, parses them off-thread, and keeps
// serving the last good version of a file while the current text does not parse.
import vscode = require('vscode');
import { globMatcher } from '../core/paths';
import type { InsightsFile } from '../core/model';
import { oversizeDiagnostic } from '../core/parse';
import { isoDate } from '../core/dates';
import { InsightsIndex } from '../core/workspaceIndex';
import { readConfig } from '../config';
import { relativePath } from '../adapter/convert';
import type { ParseClient } from '../worker/parseClient';
import { readText } from './files';

interface FileState {
  uri: vscode.Uri;
  file: string;
  /** The newest parse, good or not. */
  current: InsightsFile;
  /** The newest parse that could be read; served while `current` is broken. */
  lastGood?: InsightsFile;
  /** The text `current` was parsed from (undefined when the file was refused unread). */
  source?: string;
}

const EXCLUDED = /(^|\/)(node_modules|\.git)(\/|$)/;

export class FolderIndex implements vscode.Disposable {
  /** Undefined until the first load finishes, and while the folder has no insights file. */
  index?: InsightsIndex;
  generation = 0;
  private readonly states = new Map<string, FileState>();
  private queue: Promise<void> = Promise.resolve();
  private readonly changed = new vscode.EventEmitter<FolderIndex>();
  readonly onDidChange = this.changed.event;
  private disposed = false;

  constructor(
    readonly folder: vscode.WorkspaceFolder,
    private readonly parser: ParseClient,
    private readonly log: (message: string) => void,
  ) {}

  dispose(): void {
    this.disposed = true;
    this.changed.dispose();
  }

  /** Insights files of this folder (URIs), in path order. */
  get insightsFiles(): vscode.Uri[] {
    return [...this.states.values()].sort((a, b) => a.file.localeCompare(b.file)).map((s) => s.uri);
  }

  /** The newest parse of one insights file, when it was made from exactly `text`. */
  parsedFrom(uri: vscode.Uri, text: string): InsightsFile | undefined {
    const state = this.states.get(uri.toString());
    return state && state.source === text ? state.current : undefined;
  }

  /** Whether a URI is an insights file of this folder, by the glob setting. */
  isInsightsFile(uri: vscode.Uri): boolean {
    const rel = relativePath(this.folder.uri, uri);
    return rel !== undefined && this.isInsightsPath(rel);
  }

  /** The same, for a folder-relative path. */
  isInsightsPath(rel: string): boolean {
    return !EXCLUDED.test(rel) && this.insightsMatcher()(rel);
  }

  /**
   * The glob setting, compiled once and kept until reloadAll (which a change of the setting
   * triggers): this is asked for every file of a scan, and reading the configuration each time
   * costs milliseconds on the host.
   */
  private insightsMatcher(): (rel: string) => boolean {
    this.matcher ??= globMatcher(readConfig(this.folder).insightsGlob);
    return this.matcher;
  }

  private matcher?: (rel: string) => boolean;

  /** Resolves when every queued load has finished. */
  whenIdle(): Promise<void> {
    return this.queue;
  }

  /** Finds every insights file again and reads them all. */
  reloadAll(): Promise<void> {
    this.matcher = undefined; // the glob setting may have changed
    return this.enqueue(async () => {
      const config = readConfig(this.folder);
      const found = await vscode.workspace.findFiles(new vscode.RelativePattern(this.folder, config.insightsGlob), undefined, 1000);
      const uris = found.filter((u) => this.isInsightsFile(u));
      const keep = new Set(uris.map((u) => u.toString()));
      for (const key of [...this.states.keys()]) if (!keep.has(key)) this.states.delete(key);
      await Promise.all(uris.map((uri) => this.load(uri, undefined)));
    });
  }

  /** Re-reads one insights file: from `text` when given (an unsaved editor), else from disk. */
  update(uri: vscode.Uri, text?: string): Promise<void> {
    return this.enqueue(() => this.load(uri, text));
  }

  remove(uri: vscode.Uri): Promise<void> {
    return this.enqueue(async () => {
      this.states.delete(uri.toString());
    });
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(async () => {
      if (this.disposed) return;
      try {
        await work();
      } catch (e) {
        this.log(`Loading insights in ${this.folder.name} failed: ${(e as Error).stack ?? e}`);
      }
      if (this.disposed) return;
      this.rebuild();
      // Listeners (diagnostics, tree, lenses…) run in a task of their own, not in the one that built the index.
      await new Promise((r) => setImmediate(r));
      if (!this.disposed) this.changed.fire(this);
    });
    return this.queue;
  }

  private async load(uri: vscode.Uri, text: string | undefined): Promise<void> {
    const file = relativePath(this.folder.uri, uri);
    if (file === undefined) return;
    const { maxFileBytes } = readConfig(this.folder);
    let parsed: InsightsFile;
    let source: string | undefined;
    const open = text ?? vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString())?.getText();
    if (open !== undefined) {
      const bytes = Buffer.byteLength(open, 'utf8');
      source = open;
      parsed = await this.parser.parse(file, open, bytes, maxFileBytes);
    } else {
      let size: number;
      try {
        size = (await vscode.workspace.fs.stat(uri)).size;
      } catch {
        this.states.delete(uri.toString());
        return;
      }
      if (size > maxFileBytes) {
        // Refused before reading: a 10 MB file never reaches the parser.
        parsed = { file, parsed: false, trackers: [], personas: [], customers: [], problems: [], diagnostics: [oversizeDiagnostic(file, size, maxFileBytes)] };
      } else {
        const content = await readText(uri, maxFileBytes);
        if (content === undefined) return;
        source = content;
        parsed = await this.parser.parse(file, content, size, maxFileBytes);
      }
    }
    const state = this.states.get(uri.toString());
    this.states.set(uri.toString(), {
      uri, file, current: parsed, source,
      lastGood: parsed.parsed ? parsed : state?.lastGood,
    });
  }

  private rebuild(): void {
    const files: InsightsFile[] = [];
    for (const state of [...this.states.values()].sort((a, b) => a.file.localeCompare(b.file))) {
      const { current, lastGood } = state;
      // A broken file keeps serving its last good content; its diagnostics describe the text now.
      files.push(current.parsed || !lastGood ? current : { ...lastGood, diagnostics: current.diagnostics });
    }
    const config = readConfig(this.folder);
    this.index = files.length > 0 ? new InsightsIndex(files, { today: isoDate(new Date()), staleAfterDays: config.staleAfterDays }) : undefined;
    this.generation++;

  }
}
