// The editor's side of gathering a folder's customer impact (src/git/impactGather.ts, shared with
// the CLI): the working tree is read from disk (as git sees it, never unsaved buffers); insights
// files are parsed off the extension host's thread (the folder's index already holds the parse of
// an unchanged file; others go to a parse worker) and code is parsed in the code worker; git runs
// in child processes. What stays on this thread (resolving anchors, finding tags, the comparison)
// yields between files.
import * as fs from 'node:fs';
import * as path from 'node:path';
import vscode = require('vscode');
import { readConfig } from '../../config';
import { isoDate } from '../../core/dates';
import type { InsightsFile } from '../../core/model';
import { globMatcher } from '../../core/paths';
import { isSkippedPath } from '../../core/scanPolicy';
import type { FileSyntax } from '../../core/syntax/types';
import { InsightsIndex } from '../../core/workspaceIndex';
import { GitRepository } from '../../git/gitDiff';
import { gatherImpact } from '../../git/impactGather';
import type { ImpactEnvironment, ImpactResult, SideSource } from '../../git/impactGather';
import { readCodeText } from '../../scan/nodeScan';
import type { Services } from '../../services';
import type { ParseClient } from '../../worker/parseClient';

/** Insights files larger than this are not read at all (the parser reports them as too large). */
const MAX_INSIGHTS_READ_BYTES = 64 * 1024 * 1024;
/** Files read from disk at once. */
const READ_CONCURRENCY = 8;
/** Syntax requests in flight at once (the code worker answers one at a time). */
const SYNTAX_CONCURRENCY = 2;
/**
 * The diff the view reads: git's output is parsed on the extension host's thread (20 to 100 ms
 * per MB), so it stops earlier than the CLI (50 MB, 20,000 files); the view then says what it left out.
 */
export const VIEW_DIFF_LIMITS = { maxBytes: 4 * 1024 * 1024, maxFiles: 5_000 };

/** The working tree on disk, listed as the editor lists the folder (files.exclude and the skip policy). */
class WorkingTree implements SideSource {
  constructor(private readonly services: Services, private readonly folder: vscode.WorkspaceFolder) {}

  async list(): Promise<readonly string[]> {
    const files = this.services.indexes.filesOf(this.folder);
    if (files) return files.files();
    const found = await vscode.workspace.findFiles(new vscode.RelativePattern(this.folder, '**/*'), undefined, 50_000);
    const base = this.folder.uri.path.replace(/\/?$/, '/');
    return found.filter((u) => u.path.startsWith(base)).map((u) => u.path.slice(base.length)).filter((f) => !isSkippedPath(f)).sort();
  }

  async read(files: readonly string[]): Promise<Map<string, string | undefined>> {
    const root = this.folder.uri.fsPath;
    const out = new Map<string, string | undefined>();
    let next = 0;
    const lane = async () => {
      while (next < files.length) {
        const file = files[next++];
        out.set(file, await readCodeText(root, file));
      }
    };
    await Promise.all([...Array(Math.min(READ_CONCURRENCY, files.length))].map(lane));
    return out;
  }

  async readInsights(file: string, maxBytes: number): Promise<{ text: string; byteSize: number } | undefined> {
    const abs = path.join(this.folder.uri.fsPath, ...file.split('/'));
    try {
      const byteSize = (await fs.promises.stat(abs)).size;
      // Past the limit the parser refuses the file by its size: its text is never needed.
      if (byteSize > maxBytes || byteSize > MAX_INSIGHTS_READ_BYTES) return { text: '', byteSize };
      const text = await fs.promises.readFile(abs, 'utf8');
      return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, byteSize };
    } catch {
      return undefined;
    }
  }
}

/** A side source that adds the time its reads take to the timings. */
class TimedTree implements SideSource {
  constructor(private readonly tree: SideSource, private readonly timed: <T>(what: string, work: () => Promise<T>) => Promise<T>) {}

  list(): Promise<readonly string[]> {
    return this.timed('list', () => this.tree.list());
  }

  read(files: readonly string[]): Promise<Map<string, string | undefined>> {
    return this.timed('read', () => this.tree.read(files));
  }

  readInsights(file: string, maxBytes: number): Promise<{ text: string; byteSize: number } | undefined> {
    return this.timed('read', () => this.tree.readInsights(file, maxBytes));
  }
}

/** Runs `work` over `items`, `lanes` at a time. */
async function eachLimited<T>(items: readonly T[], lanes: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all([...Array(Math.min(lanes, items.length))].map(lane));
}

export interface GatherOptions {
  /** The git executable (the git extension's), else `git` from the PATH. */
  git?: string;
  /** The parse worker for insights texts the folder's index has not parsed. */
  parser: () => ParseClient;
}

/**
 * The customer impact of a workspace folder's working tree against its base (the merge base with
 * the default branch), as `customer-lens impact` computes it. Throws GitError and NoInsightsError.
 */
export async function folderImpact(services: Services, folder: vscode.WorkspaceFolder, options: GatherOptions, timings: Record<string, number> = {}): Promise<ImpactResult> {
  const timed = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      timings[what] = (timings[what] ?? 0) + performance.now() - started;
    }
  };
  const config = readConfig(folder);
  const root = folder.uri.fsPath;
  const repo = await timed('open', () => GitRepository.open(root, { git: options.git }));
  const isInsights = globMatcher(config.insightsGlob);
  const today = isoDate(new Date());
  const folderIndex = services.indexes.forFolder(folder);

  const env: ImpactEnvironment = {
    workingTree: async () => new TimedTree(new WorkingTree(services, folder), timed),
    isInsightsFile: (file) => !isSkippedPath(file) && isInsights(file),
    loadIndex: (sources) => timed('insights', async () => {
      const files: InsightsFile[] = await Promise.all(sources.map(async (s) => {
        // The folder's index parsed this very text already (the file is unchanged since it loaded).
        const uri = vscode.Uri.joinPath(folder.uri, ...s.file.split('/'));
        return folderIndex?.parsedFrom(uri, s.text) ?? options.parser().parse(s.file, s.text, s.byteSize, config.maxFileBytes);
      }));
      return new InsightsIndex(files, { today, staleAfterDays: config.staleAfterDays });
    }),
    syntax: (texts) => timed('syntax', async () => {
      const out = new Map<string, FileSyntax | undefined>();
      await eachLimited(texts, SYNTAX_CONCURRENCY, async ({ file, text }) => {
        out.set(file, await services.indexes.code.syntax(file, text));
      });
      return out;
    }),
    pause: () => new Promise<void>((resolve) => setImmediate(resolve)),
  };
  return gatherImpact(repo, { limits: VIEW_DIFF_LIMITS }, { staleAfterDays: config.staleAfterDays, whyTag: config.whyTag, maxBytes: config.maxFileBytes, today }, env);
}
