// `customer-lens impact`: which customer problems a branch, a pull request or the working tree
// touches. Git gives the change (src/git/gitDiff.ts); each side's insights index, anchors and the
// references of the touched files are read here (the base from git, the head from the working tree
// or from git), and src/core/impact.ts says what the change touches. Only the touched files and the
// files their anchors name are read on either side, never the whole tree.
//
//   customer-lens impact [--base REF] [--head REF] [--root DIR] [--format text|json|markdown|github]
//
// Exit: 0 with a report (whatever it says), 2 for usage, git and I/O errors.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveAnchor } from '../core/anchors';
import type { CodeAccess, ResolvedAnchor } from '../core/anchors';
import { loadIndex } from '../core/check';
import { scanCodeText } from '../core/codeRefs';
import type { FileRefs } from '../core/codeRefs';
import { isoDate } from '../core/dates';
import { anchorsToResolve, changesInsights, computeImpact, impactGithub, impactJson, impactMarkdown, impactText, sidePaths } from '../core/impact';
import type { FileDiff, ImpactLabels, ImpactReport, ImpactSide } from '../core/impact';
import { DEFAULT_MAX_FILE_BYTES, printable } from '../core/parse';
import { DEFAULT_WHY_TAG } from '../core/references';
import type { FileSyntax } from '../core/syntax/types';
import { DEFAULT_STALE_AFTER_DAYS } from '../core/workspaceIndex';
import type { InsightsIndex } from '../core/workspaceIndex';
import { GitError, GitRepository, decodeText } from '../git/gitDiff';
import type { ChangeSet } from '../git/gitDiff';
import { SyntaxParser, defaultWasmDir, grammarFor } from '../syntax/treeSitter';
import type { Output } from './main';
import { isInsightsFile, NodeFolder } from './nodeFolder';

export const IMPACT_USAGE = '  customer-lens impact [--base REF] [--head REF] [--root DIR] [--format text|json|markdown|github]';

export const IMPACT_HELP = `  impact  the customer problems a change touches: changed lines in anchored or tagged code, tags
          added or removed, ticket keys in changed comments, anchors the change breaks, changed
          entries of the insights files. The change is the working tree (or --head REF) against
          --base REF (default: where HEAD branched from the default branch); json, markdown (for a
          pull-request comment) and github (workflow annotations) formats`;

export type ImpactFormat = 'text' | 'json' | 'markdown' | 'github';

export interface ImpactOptions {
  root: string;
  format: ImpactFormat;
  base?: string;
  head?: string;
  staleAfterDays: number;
  whyTag: string;
  maxBytes: number;
  today: string;
}

class ImpactUsageError extends Error {}

/**
 * Runs `customer-lens impact` with the options main.ts parsed (`values`) and the positional
 * arguments after the command (there must be none). Usage errors are printed here (exit 2); git
 * errors too; other errors are thrown for main.ts to report (exit 2).
 */
export async function runImpact(args: readonly string[], values: Record<string, string | boolean | undefined>, io: Output): Promise<number> {
  let options: ImpactOptions;
  try {
    options = impactOptions(args, values);
  } catch (e) {
    if (!(e instanceof ImpactUsageError)) throw e;
    io.err(printable(`customer-lens: ${e.message}`) + `\n\nUsage:\n${IMPACT_USAGE}`);
    return 2;
  }
  try {
    const result = await collectImpact(options, io);
    printReport(result, options, io);
    return 0;
  } catch (e) {
    if (e instanceof GitError) {
      io.err(printable(`customer-lens: ${e.message}`));
      return 2;
    }
    throw e;
  }
}

function impactOptions(args: readonly string[], values: Record<string, string | boolean | undefined>): ImpactOptions {
  if (args.length > 0) throw new ImpactUsageError(`impact takes no arguments (found "${args[0]}"): name the sides with --base and --head`);
  for (const name of ['symbol', 'ticket', 'dry-run']) if (values[name] !== undefined) throw new ImpactUsageError(`--${name} is not an option of impact`);
  const format = (values.format as string | undefined) ?? 'text';
  if (!['text', 'json', 'markdown', 'github'].includes(format)) throw new ImpactUsageError(`--format must be text, json, markdown or github, not "${format}"`);
  const root = path.resolve((values.root as string | undefined) ?? '.');
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new Error(`--root ${root} is not a directory`);
  const today = (values.today as string | undefined) ?? isoDate(new Date());
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new ImpactUsageError('--today must be written YYYY-MM-DD');
  const ref = (name: 'base' | 'head') => {
    const v = values[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v === '' || v.startsWith('-') || /[\0\r\n]/.test(v)) throw new ImpactUsageError(`--${name} needs a branch, tag or commit`);
    return v;
  };
  return {
    root, format: format as ImpactFormat, base: ref('base'), head: ref('head'), today,
    staleAfterDays: wholeNumber(values['stale-after-days'], '--stale-after-days') ?? DEFAULT_STALE_AFTER_DAYS,
    whyTag: (values['why-tag'] as string | undefined) ?? DEFAULT_WHY_TAG,
    maxBytes: (wholeNumber(values['max-size-kb'], '--max-size-kb') ?? DEFAULT_MAX_FILE_BYTES / 1024) * 1024,
  };
}

function wholeNumber(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new ImpactUsageError(`${name} must be a whole number`);
  return n;
}

// ---- the two sides -----------------------------------------------------------------------------

/** Where one side's files come from: the working tree, or a commit. */
interface SideSource {
  /** Every file of the folder on this side, under the scan policy's skipped directories. */
  list(): Promise<readonly string[]>;
  /** Code texts under the scan policy (1 MiB, not binary); undefined when absent or refused. */
  read(files: readonly string[]): Promise<Map<string, string | undefined>>;
  /** The insights files' texts (refused past maxBytes: the parser reports them). */
  readInsights(file: string, maxBytes: number): Promise<{ text: string; byteSize: number } | undefined>;
}

class WorkingTree implements SideSource {
  constructor(private readonly folder: NodeFolder) {}

  async list(): Promise<readonly string[]> {
    return this.folder.files();
  }

  async read(files: readonly string[]): Promise<Map<string, string | undefined>> {
    await this.folder.load(files);
    return new Map(files.map((f) => [f, this.folder.text(f)]));
  }

  async readInsights(file: string): Promise<{ text: string; byteSize: number } | undefined> {
    try {
      return await this.folder.readInsights(file);
    } catch {
      return undefined;
    }
  }
}

class Revision implements SideSource {
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
  private readonly syntaxes = new Map<string, FileSyntax | undefined>();

  constructor(private readonly texts: ReadonlyMap<string, string | undefined>, private readonly listing: readonly string[], private readonly parser?: SyntaxParser) {}

  files(): readonly string[] {
    return this.listing;
  }

  text(file: string): string | undefined {
    return this.texts.get(file);
  }

  syntax(file: string): FileSyntax | undefined {
    if (!this.parser) return undefined;
    if (!this.syntaxes.has(file)) {
      const text = this.texts.get(file);
      this.syntaxes.set(file, text === undefined ? undefined : this.parser.syntaxOf(file, text));
    }
    return this.syntaxes.get(file);
  }
}

export interface ImpactResult {
  change: ChangeSet;
  report: ImpactReport;
  labels: ImpactLabels;
  /** The folder's path inside the repository: '' or 'sub/dir/'. */
  prefix: string;
}

/** Everything `impact` prints: the change from git, both sides read, the report computed. */
export async function collectImpact(options: ImpactOptions, io: Output): Promise<ImpactResult> {
  const repo = await GitRepository.open(options.root);
  const change = await repo.changes({ base: options.base, head: options.head });
  const files = change.files;
  const headSource: SideSource = options.head === undefined ? new WorkingTree(await NodeFolder.open(options.root)) : new Revision(repo, change.head.commit);
  const baseSource: SideSource = new Revision(repo, change.base.commit);

  const headInsights = await readIndex(headSource, options);
  const baseInsights = changesInsights(files, isInsightsFile) ? await readIndex(baseSource, options) : headInsights;
  if (!headInsights && !baseInsights) throw new Error(`no customer-insights.yaml (or .yml) under ${options.root}, at the head or at the base`);
  const empty = loadIndex([], options);
  const headIndex = headInsights?.index ?? empty;
  const baseIndex = baseInsights?.index ?? empty;

  let parser: SyntaxParser | undefined;
  let parserTried = false;
  const syntaxParser = async () => {
    if (!parserTried) {
      parserTried = true;
      try {
        parser = await SyntaxParser.create(defaultWasmDir());
      } catch (e) {
        io.err(printable(`customer-lens: warning: the tree-sitter grammars did not load (${(e as Error).message}); `
          + 'symbols are found by a textual search instead, and @why tags cover only their line.'));
      }
    }
    return parser;
  };

  const side = async (source: SideSource, which: 'base' | 'head', insights: LoadedIndex | undefined, index: InsightsIndex): Promise<ImpactSide> => {
    const texts = insights?.texts ?? new Map<string, string>();
    const anchors = anchorsToResolve(index, files, which, texts);
    const binary = new Set(files.filter((f) => f.binary).map((f) => (which === 'head' ? f.newPath : f.oldPath)));
    const touched = sidePaths(files, which).filter((f) => !binary.has(f) && !isInsightsFile(f));
    const named = anchors.filter((a) => !a.glob && a.path !== undefined).map((a) => a.path!);
    const wanted = [...new Set([...touched, ...named])];
    const read = await source.read(wanted);
    // Syntax only where it matters: files symbol anchors name, and touched files where a change can
    // reach what a tag covers.
    const symbolFiles = new Set(anchors.filter((a) => a.kind === 'symbol' && a.path !== undefined).map((a) => a.path!));
    const diffs = new Map(files.map((f) => [which === 'head' ? f.newPath : f.oldPath, f]));
    const needsSyntax = (f: string) => grammarFor(f) !== undefined && read.get(f) !== undefined
      && (symbolFiles.has(f) || tagRegionsMatter(diffs.get(f), read.get(f)!, which, options.whyTag));
    const syntaxFiles = wanted.filter(needsSyntax);
    const p = syntaxFiles.length > 0 ? await syntaxParser() : undefined;
    if (p) await p.prepare(syntaxFiles);
    // The listing only when an anchor resolves against it (a glob, a directory, a missing path).
    const needsListing = anchors.some((a) => a.path !== undefined && (a.glob || (a.kind === 'path' && read.get(a.path) === undefined)));
    const code = new SideCode(read, needsListing ? await source.list() : [], p);
    const resolved: ResolvedAnchor[] = anchors.map((a) => resolveAnchor(a, code));
    const refs = new Map<string, FileRefs>();
    for (const file of touched) {
      const text = read.get(file);
      if (text === undefined) continue;
      refs.set(file, scanCodeText(text, file, { whyTag: options.whyTag, trackers: index.trackers, syntax: (f) => code.syntax(f) }));
    }
    return { index, anchors: resolved, refs, insightsTexts: texts };
  };

  const head = await side(headSource, 'head', headInsights, headIndex);
  const base = await side(baseSource, 'base', baseInsights, baseIndex);
  const report = computeImpact({ files, base, head, whyTag: options.whyTag });
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

/** One side's insights files as an index (undefined when the side has none). */
async function readIndex(source: SideSource, options: ImpactOptions): Promise<LoadedIndex | undefined> {
  const files = (await source.list()).filter(isInsightsFile);
  const sources: { file: string; text: string; byteSize: number }[] = [];
  for (const file of files) {
    const read = await source.readInsights(file, options.maxBytes);
    if (read) sources.push({ file, ...read });
  }
  if (sources.length === 0) return undefined;
  return { index: loadIndex(sources, options), texts: new Map(sources.map((s) => [s.file, s.text])) };
}

// ---- output ------------------------------------------------------------------------------------

function printReport({ change, report, labels, prefix }: ImpactResult, options: ImpactOptions, io: Output): void {
  switch (options.format) {
    case 'json': {
      const value = {
        base: { ref: change.base.ref ?? null, commit: change.base.commit, via: change.base.via },
        head: { ref: change.head.ref ?? null, commit: change.head.commit, workingTree: change.head.ref === undefined },
        files: report.files,
        ...impactJson(report),
        notes: labels.notes ?? [],
      };
      io.out(JSON.stringify(value, null, 2).split('\n').map(printable).join('\n'));
      break;
    }
    case 'markdown':
      io.out(impactMarkdown(report, labels).replace(/\n$/, ''));
      break;
    case 'github':
      for (const line of impactGithub(report, { pathPrefix: prefix })) io.out(line);
      break;
    default:
      for (const line of impactText(report, labels)) io.out(line);
  }
}
