// Gathering a change's customer impact: git gives the change (gitDiff.ts); each side's insights
// index, anchors and the references of the touched files are read here (the base from git, the head
// from the working tree or from git), and src/core/impact.ts says what the change touches. Only the
// touched files and the files their anchors name are read on either side, never the whole tree.
//
// Shared by the CLI's `impact` (src/cli/impact.ts) and the editor's Customer Impact view
// (src/features/impact/): each says where the working tree's files come from, how insights files
// become an index and where syntax trees come from (the CLI parses on its thread, the editor in its
// worker threads). Node only, never vscode.
import { resolveAnchor } from '../core/anchors';
import type { CodeAccess, ResolvedAnchor } from '../core/anchors';
import { scanCodeText } from '../core/codeRefs';
import type { FileRefs } from '../core/codeRefs';
import { anchorsToResolve, changesInsights, computeImpact, sidePaths } from '../core/impact';
import type { FileDiff, ImpactLabels, ImpactReport, ImpactSide } from '../core/impact';
import type { FileSyntax } from '../core/syntax/types';
import type { InsightsIndex } from '../core/workspaceIndex';
import { decodeText } from './gitDiff';
import type { ChangeSet, DiffLimits, GitRepository } from './gitDiff';

/** Where one side's files come from: the working tree, or a commit. */
export interface SideSource {
  /** Every file of the folder on this side, under the scan policy's skipped directories. */
  list(): Promise<readonly string[]>;
  /** Code texts under the scan policy (1 MiB, not binary); undefined when absent or refused. */
  read(files: readonly string[]): Promise<Map<string, string | undefined>>;
  /** The insights files' texts (refused past maxBytes: the parser reports them). */
  readInsights(file: string, maxBytes: number): Promise<{ text: string; byteSize: number } | undefined>;
}

/** One side at a commit, read through git. */
export class Revision implements SideSource {
  private listing?: Promise<string[]>;

  constructor(private readonly repo: GitRepository, private readonly commit: string) {}

  list(): Promise<readonly string[]> {
    this.listing ??= this.repo.listFiles(this.commit);
    return this.listing;
  }

  read(files: readonly string[]): Promise<Map<string, string | undefined>> {
    return this.repo.readFiles(this.commit, files);
  }

  async readInsights(file: string, maxBytes: number): Promise<{ text: string; byteSize: number } | undefined> {
    const blob = await this.repo.readBlob(this.commit, file, maxBytes + 1);
    if (blob === undefined) return undefined;
    if (blob === 'too-large') return { text: '', byteSize: maxBytes + 2 };
    return { text: decodeText(blob), byteSize: blob.length };
  }
}

/** One side's code as anchors resolve it: the texts read, the listing when globs need it, syntax. */
class SideCode implements CodeAccess {
  constructor(
    private readonly texts: ReadonlyMap<string, string | undefined>,
    private readonly listing: readonly string[],
    private readonly syntaxes: ReadonlyMap<string, FileSyntax | undefined>,
  ) {}

  files(): readonly string[] {
    return this.listing;
  }

  text(file: string): string | undefined {
    return this.texts.get(file);
  }

  syntax(file: string): FileSyntax | undefined {
    return this.syntaxes.get(file);
  }
}

export interface ImpactSettings {
  staleAfterDays: number;
  whyTag: string;
  /** Insights files larger than this are refused (the parser reports them). */
  maxBytes: number;
  /** YYYY-MM-DD. */
  today: string;
}

export interface InsightsSource {
  file: string;
  text: string;
  byteSize: number;
}

/** What the caller provides: the working tree, insights parsing, syntax trees. */
export interface ImpactEnvironment {
  /** The working tree (the head when no head commit is named). */
  workingTree(): Promise<SideSource>;
  /** Whether a folder-relative path is an insights file. */
  isInsightsFile(file: string): boolean;
  /** One side's insights files as an index (also called with none: an empty index). */
  loadIndex(sources: readonly InsightsSource[]): Promise<InsightsIndex>;
  /**
   * Syntax trees of these texts (files with a grammar only), by file; a file left out or undefined
   * has none (tags then cover their line, symbols are searched textually).
   */
  syntax(texts: readonly { file: string; text: string }[]): Promise<ReadonlyMap<string, FileSyntax | undefined>>;
  /** Awaited between files: lets the caller's thread do other work (the editor's extension host). */
  pause?(): Promise<void>;
}

export interface ImpactResult {
  change: ChangeSet;
  report: ImpactReport;
  labels: ImpactLabels;
  /** The folder's path inside the repository: '' or 'sub/dir/'. */
  prefix: string;
}

/** Neither side of the change has an insights file. */
export class NoInsightsError extends Error {}

/** Time to yield after, in a `pause` loop. */
const SLICE_MS = 8;

/**
 * The customer impact of a change of `repo`'s folder: `base` and `head` as `customer-lens impact`
 * takes them (undefined: the merge base with the default branch, and the working tree), the diff
 * read within `limits` (default: gitDiff's). GitError for git problems, NoInsightsError when
 * neither side has an insights file.
 */
export async function gatherImpact(repo: GitRepository, sides: { base?: string; head?: string; limits?: DiffLimits }, settings: ImpactSettings, env: ImpactEnvironment): Promise<ImpactResult> {
  const change = await repo.changes({ base: sides.base, head: sides.head, limits: sides.limits });
  const files = change.files;
  const headSource: SideSource = sides.head === undefined ? await env.workingTree() : new Revision(repo, change.head.commit);
  const baseSource: SideSource = new Revision(repo, change.base.commit);

  let sliceStart = Date.now();
  const breathe = async () => {
    if (!env.pause || Date.now() - sliceStart < SLICE_MS) return;
    await env.pause();
    sliceStart = Date.now();
  };

  const readIndex = async (source: SideSource): Promise<LoadedIndex | undefined> => {
    const insights = (await source.list()).filter((f) => env.isInsightsFile(f));
    const sources: InsightsSource[] = [];
    for (const file of insights) {
      const read = await source.readInsights(file, settings.maxBytes);
      if (read) sources.push({ file, ...read });
    }
    if (sources.length === 0) return undefined;
    return { index: await env.loadIndex(sources), texts: new Map(sources.map((s) => [s.file, s.text])) };
  };

  const headInsights = await readIndex(headSource);
  const baseInsights = changesInsights(files, (f) => env.isInsightsFile(f)) ? await readIndex(baseSource) : headInsights;
  if (!headInsights && !baseInsights) throw new NoInsightsError(`no customer-insights.yaml (or .yml) under ${repo.root}, at the head or at the base`);
  const empty = !headInsights || !baseInsights ? await env.loadIndex([]) : undefined;
  const headIndex = headInsights?.index ?? empty!;
  const baseIndex = baseInsights?.index ?? empty!;

  const side = async (source: SideSource, which: 'base' | 'head', insights: LoadedIndex | undefined, index: InsightsIndex): Promise<ImpactSide> => {
    const texts = insights?.texts ?? new Map<string, string>();
    const anchors = anchorsToResolve(index, files, which, texts);
    const binary = new Set(files.filter((f) => f.binary).map((f) => (which === 'head' ? f.newPath : f.oldPath)));
    const touched = sidePaths(files, which).filter((f) => !binary.has(f) && !env.isInsightsFile(f));
    const named = anchors.filter((a) => !a.glob && a.path !== undefined).map((a) => a.path!);
    const wanted = [...new Set([...touched, ...named])];
    const read = await source.read(wanted);
    // Syntax only where it matters: files symbol anchors name, and touched files where a change can
    // reach what a tag covers.
    const symbolFiles = new Set(anchors.filter((a) => a.kind === 'symbol' && a.path !== undefined).map((a) => a.path!));
    const diffs = new Map(files.map((f) => [which === 'head' ? f.newPath : f.oldPath, f]));
    const needsSyntax = (f: string) => read.get(f) !== undefined
      && (symbolFiles.has(f) || tagRegionsMatter(diffs.get(f), read.get(f)!, which, settings.whyTag));
    const syntaxFiles = wanted.filter(needsSyntax);
    const syntaxes = syntaxFiles.length > 0 ? await env.syntax(syntaxFiles.map((file) => ({ file, text: read.get(file)! }))) : new Map<string, FileSyntax | undefined>();
    // The listing only when an anchor resolves against it (a glob, a directory, a missing path).
    const needsListing = anchors.some((a) => a.path !== undefined && (a.glob || (a.kind === 'path' && read.get(a.path) === undefined)));
    const code = new SideCode(read, needsListing ? await source.list() : [], syntaxes);
    const resolved: ResolvedAnchor[] = [];
    for (const a of anchors) {
      resolved.push(resolveAnchor(a, code));
      await breathe();
    }
    const refs = new Map<string, FileRefs>();
    for (const file of touched) {
      const text = read.get(file);
      if (text === undefined) continue;
      refs.set(file, scanCodeText(text, file, { whyTag: settings.whyTag, trackers: index.trackers, syntax: (f) => code.syntax(f) }));
      await breathe();
    }
    return { index, anchors: resolved, refs, insightsTexts: texts };
  };

  const head = await side(headSource, 'head', headInsights, headIndex);
  const base = await side(baseSource, 'base', baseInsights, baseIndex);
  if (env.pause) await env.pause();
  const report = computeImpact({ files, base, head, whyTag: settings.whyTag });
  const short = (sha: string) => sha.slice(0, 7);
  const labels: ImpactLabels = {
    base: `${change.base.ref ?? 'the base'} (${change.base.via === 'merge-base' ? `merge base ${short(change.base.commit)}` : short(change.base.commit)})`,
    head: change.head.ref === undefined ? 'the working tree' : `${change.head.ref} (${short(change.head.commit)})`,
    notes: [...change.notes, ...(change.truncated ? [change.truncated] : [])],
  };
  return { change, report, labels, prefix: repo.prefix };
}

/**
 * Whether a side's syntax can change what the change touches in this file: a tag covers the
 * declaration below it (never lines above the tag), so only changes at or below the first tag count.
 * At the head, added lines; at the base, what the head cannot see: lines removed outright, and
 * removed lines that may hold a tag (a removed tag is reported with the declaration it covered).
 */
function tagRegionsMatter(f: FileDiff | undefined, text: string, which: 'base' | 'head', whyTag: string): boolean {
  const at = whyTag === '' ? -1 : text.indexOf(whyTag);
  if (at < 0 || !f || f.binary) return false;
  if (f.status === (which === 'head' ? 'added' : 'deleted')) return true;
  let firstTag = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) firstTag++;
  if (which === 'head') return f.hunks.some((h) => h.newLines > 0 && h.newStart + h.newLines - 1 >= firstTag);
  return f.hunks.some((h) => h.oldLines > 0 && h.oldStart + h.oldLines - 1 >= firstTag
    && (h.newLines === 0 || h.removed === undefined || h.removed.some((l) => l.includes(whyTag))));
}

interface LoadedIndex {
  index: InsightsIndex;
  texts: Map<string, string>;
}
