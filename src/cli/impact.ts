// `customer-lens impact`: which customer problems a branch, a pull request or the working tree
// touches. src/git/impactGather.ts gathers it (shared with the editor's Customer Impact view): git
// gives the change, each side's insights index, anchors and the references of the touched files are
// read (the base from git, the head from the working tree here or from git), and src/core/impact.ts
// says what the change touches. Here: the options, the working tree on disk, parsing on this thread.
//
//   customer-lens impact [--base REF] [--head REF] [--root DIR] [--format text|json|markdown|github]
//
// Exit: 0 with a report (whatever it says), 2 for usage, git and I/O errors.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadIndex } from '../core/check';
import { isoDate } from '../core/dates';
import { impactGithub, impactJson, impactMarkdown, impactText } from '../core/impact';
import { DEFAULT_MAX_FILE_BYTES, printable } from '../core/parse';
import { DEFAULT_WHY_TAG } from '../core/references';
import { DEFAULT_STALE_AFTER_DAYS } from '../core/workspaceIndex';
import { GitError, GitRepository } from '../git/gitDiff';
import { gatherImpact } from '../git/impactGather';
import type { ImpactResult, SideSource } from '../git/impactGather';
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

/** Everything `impact` prints: the change from git, both sides read, the report computed. */
export async function collectImpact(options: ImpactOptions, io: Output): Promise<ImpactResult> {
  const repo = await GitRepository.open(options.root);
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
  return gatherImpact(repo, options, options, {
    workingTree: async () => new WorkingTree(await NodeFolder.open(options.root)),
    isInsightsFile,
    loadIndex: async (sources) => loadIndex(sources, options),
    syntax: async (texts) => {
      const parsed = texts.filter((t) => grammarFor(t.file) !== undefined);
      const p = parsed.length > 0 ? await syntaxParser() : undefined;
      if (!p) return new Map();
      await p.prepare(parsed.map((t) => t.file));
      return new Map(parsed.map((t) => [t.file, p.syntaxOf(t.file, t.text)]));
    },
  });
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
