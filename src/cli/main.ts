// `customer-lens`: the checker CLI, built from the same core as the extension, for CI and scripts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { anchorDiagnostics, resolveAnchor, splitLines } from '../core/anchors';
import type { ResolvedAnchor } from '../core/anchors';
import { loadIndex, sortDiagnostics } from '../core/check';
import { CodeReferenceIndex } from '../core/codeRefs';
import { isoDate } from '../core/dates';
import { linksForFile } from '../core/fileLinks';
import type { Diagnostic } from '../core/model';
import { DEFAULT_MAX_FILE_BYTES, printable } from '../core/parse';
import { DEFAULT_WHY_TAG, referenceDiagnostics } from '../core/references';
import { ProblemSearch } from '../core/search';
import { traceCsv, traceJson, traceMarkdown, traceMatrix, traceText } from '../core/trace';
import { DEFAULT_STALE_AFTER_DAYS } from '../core/workspaceIndex';
import type { InsightsIndex } from '../core/workspaceIndex';
import { NOTEWORTHY_SKIPS, readCodeText, scanFolder } from '../scan/nodeScan';
import type { FolderListing, SkippedFile } from '../scan/nodeScan';
import { SyntaxParser, defaultWasmDir, grammarFor } from '../syntax/treeSitter';
import { isInsightsFile, NodeFolder } from './nodeFolder';
import { LINK_USAGE, runLink } from './link';
import { IMPACT_HELP, IMPACT_USAGE, runImpact } from './impact';
import { printCiReport } from './ciReport';

const USAGE = `Usage:
  customer-lens check [--root DIR] [--format text|json|github|sarif]
  customer-lens why PATH[:LINE] [--root DIR] [--format text|json]
  customer-lens trace [--root DIR] [--format text|json|csv|markdown]
  customer-lens search QUERY [--root DIR] [--format text|json]
${IMPACT_USAGE}
${LINK_USAGE}

  check   every insights file, anchor and @why tag under the root; problems as path:line:col
  why     the problems linked to a file, or to a line (inside an anchored region or a tagged
          declaration), and how
  trace   every link between a problem and code, problem by problem (anchors, tags, tickets
          mentioned in comments), with 1-based lines and whether each anchor holds, moved or is lost
${IMPACT_HELP}

Options:
  --root DIR              the workspace folder (default: the current directory)
  --format FORMAT         text (default) or json; trace also csv (RFC 4180) and markdown; check also
                          github (workflow annotations) and sarif (SARIF 2.1.0 for code scanning)
  --stale-after-days N    problems unconfirmed for longer are stale (default: ${DEFAULT_STALE_AFTER_DAYS})
  --why-tag TAG           the tag that links code to problems (default: ${DEFAULT_WHY_TAG})
  --max-size-kb N         largest insights file read, in KB (default: ${DEFAULT_MAX_FILE_BYTES / 1024})
  --today YYYY-MM-DD      the date staleness is measured from (default: today)
  --symbol NAME           link: anchor a symbol (its dotted path, e.g. CsvWriter.flush) instead of lines
  --ticket KEY            link: add a ticket key or URL to the problem instead of an anchor
  --dry-run               link: print the change as a unified diff and write nothing
  --base REF              impact: the base of the change (default: the merge base of HEAD and the
                          default branch; with REF, the merge base of REF and the head)
  --head REF              impact: the head of the change (default: the working tree)

Exit codes: 0 clean (check: warnings allowed), 1 errors found or edit refused, 2 usage or I/O error.`;

const OPTIONS = {
  root: { type: 'string' },
  format: { type: 'string' },
  'stale-after-days': { type: 'string' },
  'why-tag': { type: 'string' },
  'max-size-kb': { type: 'string' },
  today: { type: 'string' },
  symbol: { type: 'string' },
  ticket: { type: 'string' },
  'dry-run': { type: 'boolean' },
  base: { type: 'string' },
  head: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} satisfies ParseArgsConfig['options'];

export class UsageError extends Error {}

export type Format = 'text' | 'json' | 'csv' | 'markdown' | 'github' | 'sarif';

export interface CliOptions {
  root: string;
  format: Format;
  json: boolean;
  staleAfterDays: number;
  whyTag: string;
  maxBytes: number;
  today: string;
}

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

export async function main(argv: string[], io: Output): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    io.err(`customer-lens: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || command === 'help') {
    io.out(USAGE);
    return 0;
  }
  try {
    if (command === 'impact') return await runImpact(rest, values, io);
    const options = cliOptions(values, command === 'trace', command === 'check');
    switch (command) {
      case 'check':
        expectArgs(rest, 0, 'check');
        return await check(options, io);
      case 'why':
        expectArgs(rest, 1, 'why PATH[:LINE]');
        return await why(rest[0], options, io);
      case 'trace':
        expectArgs(rest, 0, 'trace');
        return await trace(options, io);
      case 'search':
        if (rest.length === 0) throw new UsageError('search needs a QUERY');
        return await search(rest.join(' '), options, io);
      case 'link': {
        const folder = await NodeFolder.open(options.root);
        return runLink(rest, { ...options, symbol: values.symbol, ticket: values.ticket, dryRun: values['dry-run'] === true, insightsFiles: folder.insightsFiles() }, io);
      }
      case undefined:
        throw new UsageError('missing command');
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`customer-lens: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    io.err(`customer-lens: ${(e as Error).message}`);
    return 2;
  }
}

function expectArgs(args: string[], count: number, form: string): void {
  if (args.length !== count) throw new UsageError(`expected: customer-lens ${form}`);
}

function cliOptions(values: Record<string, string | boolean | undefined>, tabular: boolean, ci = false): CliOptions {
  const format = (values.format as string | undefined) ?? 'text';
  if (tabular) {
    if (!['text', 'json', 'csv', 'markdown'].includes(format)) throw new UsageError(`--format must be text, json, csv or markdown, not "${format}"`);
  } else if (ci && (format === 'github' || format === 'sarif')) {
    // check's CI formats (src/cli/ciReport.ts)
  } else if (format !== 'text' && format !== 'json') {
    throw new UsageError(`--format must be text${ci ? ', json, github or sarif' : ' or json'}, not "${format}"${format === 'csv' || format === 'markdown' ? ' (csv and markdown are for trace)' : ''}`);
  }
  const root = path.resolve((values.root as string | undefined) ?? '.');
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new Error(`--root ${root} is not a directory`);
  const today = (values.today as string | undefined) ?? isoDate(new Date());
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new UsageError('--today must be written YYYY-MM-DD');
  return {
    root,
    format: format as Format,
    json: format === 'json',
    staleAfterDays: positiveInt(values['stale-after-days'], '--stale-after-days') ?? DEFAULT_STALE_AFTER_DAYS,
    whyTag: (values['why-tag'] as string | undefined) ?? DEFAULT_WHY_TAG,
    maxBytes: (positiveInt(values['max-size-kb'], '--max-size-kb') ?? DEFAULT_MAX_FILE_BYTES / 1024) * 1024,
    today,
  };
}

function positiveInt(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${name} must be a whole number`);
  return n;
}

/** Reads the folder and its insights files; an I/O or missing-file problem is an Error (exit 2). */
export async function openFolder(options: CliOptions): Promise<{ folder: NodeFolder; index: InsightsIndex }> {
  const folder = await NodeFolder.open(options.root);
  const files = folder.insightsFiles();
  if (files.length === 0) throw new Error(`no customer-insights.yaml (or .yml) under ${options.root}`);
  const sources = await Promise.all(files.map(async (file) => ({ file, ...await folder.readInsights(file) })));
  return { folder, index: loadIndex(sources, options) };
}

/**
 * The tree-sitter parser, loaded once; when the runtime cannot load, a warning on stderr and
 * undefined (symbols are then found by the textual fallback and tags cover their line).
 */
async function syntaxParser(io: Output): Promise<SyntaxParser | undefined> {
  try {
    return await SyntaxParser.create(defaultWasmDir());
  } catch (e) {
    io.err(printable(`customer-lens: warning: the tree-sitter grammars did not load (${(e as Error).message}); ` +
      'symbols are found by a textual search instead, and @why tags cover only their line.'));
    return undefined;
  }
}

/** Resolves every anchor of the index, reading only the files anchors name (and their syntax). */
async function resolveAnchors(index: InsightsIndex, folder: NodeFolder, io: Output, parser?: SyntaxParser): Promise<ResolvedAnchor[]> {
  const anchors = index.allAnchors();
  const named = anchors.filter((a) => !a.glob && a.path !== undefined).map((a) => a.path!);
  // Only symbol anchors ask for syntax: the parser loads when one names a file with a grammar.
  if (!folder.parser && anchors.some((a) => a.kind === 'symbol' && a.path !== undefined && grammarFor(a.path))) {
    folder.parser = parser ?? await syntaxParser(io);
  }
  await folder.load(named);
  return anchors.map((a) => resolveAnchor(a, folder));
}

/** The listing without the insights files, which are read as insights, not scanned as code. */
function codeListing(folder: NodeFolder): FolderListing {
  return { ...folder.listing, files: folder.listing.files.filter((f) => !isInsightsFile(f.file)) };
}

async function check(options: CliOptions, io: Output): Promise<number> {
  const stats = new RunStats();
  const { folder, index } = await stats.phase('open', () => openFolder(options));
  const resolved = await stats.phase('anchors', () => resolveAnchors(index, folder, io));
  const diagnostics: Diagnostic[] = [...index.diagnostics, ...resolved.flatMap(anchorDiagnostics)];
  // Unknown ids need no syntax: tags are scanned without parsing, files streamed one at a time.
  const scan = await stats.phase('scan', () => scanFolder(options.root, {
    whyTag: options.whyTag, trackers: [], listing: codeListing(folder),
    onRefs: (refs) => diagnostics.push(...referenceDiagnostics(refs.file, refs.tags, index)),
  }));
  stats.write({
    files: scan.files.length, scan: scan.stats, anchors: resolved.length,
    parser: folder.parser instanceof SyntaxParser ? folder.parser.stats : undefined,
  });
  const notes = scan.skipped.filter((s) => NOTEWORTHY_SKIPS.has(s.kind));
  sortDiagnostics(diagnostics);
  const counts = { error: 0, warning: 0, info: 0 };
  for (const d of diagnostics) counts[d.severity]++;
  const summary = `${plural(index.files.length, 'insights file')}, ${plural(index.problems.length, 'problem')}: ` +
    `${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${plural(counts.info, 'info', 'info')}` +
    (notes.length > 0 ? `; ${plural(notes.length, 'path')} not scanned` : '');
  if (options.format === 'github' || options.format === 'sarif') {
    await printCiReport(options.format, { root: options.root, folder, diagnostics, notes, summary }, io);
  } else if (options.json) {
    printJson(io, {
      diagnostics: diagnostics.map((d) => ({
        file: d.file, line: d.span.line + 1, column: d.span.col + 1, endLine: d.span.endLine + 1, endColumn: d.span.endCol + 1,
        severity: d.severity, rule: d.rule, message: d.message,
      })),
      files: index.files.map((f) => f.file),
      problems: index.problems.length,
      skipped: notes.map((s) => ({ file: s.file, kind: s.kind, reason: s.reason })),
    });
  } else {
    for (const d of diagnostics) io.out(printable(`${d.file}:${d.span.line + 1}:${d.span.col + 1}: ${d.severity}: ${d.message} [${d.rule}]`));
    for (const s of notes) io.out(printable(noteLine(s)));
    io.out(summary);
  }
  return counts.error > 0 ? 1 : 0;
}

function noteLine(s: SkippedFile): string {
  return `${s.file}: note: not scanned: ${s.reason}`;
}

async function why(target: string, options: CliOptions, io: Output): Promise<number> {
  const m = /^(.*?)(?::(\d+))?$/.exec(target)!;
  const file = m[1].replace(/\\/g, '/').replace(/^\.\//, '');
  const line = m[2] === undefined ? undefined : Number(m[2]);
  if (line !== undefined && line < 1) throw new UsageError('LINE counts from 1');
  const { folder, index } = await openFolder(options);
  // The file's syntax says what its tags cover and where its anchored symbols are.
  if (grammarFor(file)) folder.parser = await syntaxParser(io);
  await folder.load([file]);
  const text = folder.text(file);
  if (text === undefined) throw new Error(`${file} is not a readable text file under ${options.root}`);
  const links = linksForFile(index, file, text, folder, options.whyTag);
  const found = line === undefined ? links.all() : links.at(line - 1);
  const byProblem = new Map<string, { problem: (typeof found)[number]['problem']; via: string[] }>();
  for (const link of found) {
    const entry = byProblem.get(link.problem.id) ?? { problem: link.problem, via: [] };
    if (!entry.via.includes(link.via)) entry.via.push(link.via);
    byProblem.set(link.problem.id, entry);
  }
  const problems = [...byProblem.values()];
  if (options.json) {
    printJson(io, {
      file, line: line ?? null,
      problems: problems.map(({ problem, via }) => ({ id: problem.id, title: problem.title, status: problem.status, severity: problem.severity, via })),
    });
    return 0;
  }
  const where = line === undefined ? file : `${file}:${line}`;
  if (problems.length === 0) {
    io.out(printable(`No customer problem is linked to ${where}.`));
    return 0;
  }
  io.out(printable(`${where} serves ${plural(problems.length, 'customer problem')}:`));
  for (const { problem, via } of problems) {
    io.out(printable(`  ${problem.id}  ${problem.title}  (${problem.status}, ${problem.severity}; via ${via.join(', ')})`));
  }
  return 0;
}

async function trace(options: CliOptions, io: Output): Promise<number> {
  const { folder, index } = await openFolder(options);
  const parser = await syntaxParser(io);
  folder.parser = parser;
  const resolved = await resolveAnchors(index, folder, io, parser);
  const refs = new CodeReferenceIndex();
  await scanFolder(options.root, {
    whyTag: options.whyTag, trackers: index.trackers, parser, listing: codeListing(folder),
    onRefs: (r) => refs.set(r),
  });
  // Path and glob anchors cover whole files: their line counts, read without keeping the texts.
  const wholeFiles = [...new Set(resolved.filter((r) => r.status !== 'lost' && (r.anchor.kind === 'path' || r.anchor.glob)).flatMap((r) => r.files))];
  const lineCounts = new Map<string, number | undefined>();
  let next = 0;
  await Promise.all([...Array(Math.min(8, wholeFiles.length))].map(async () => {
    while (next < wholeFiles.length) {
      const file = wholeFiles[next++];
      const text = await readCodeText(options.root, file);
      lineCounts.set(file, text === undefined ? undefined : splitLines(text).length);
    }
  }));
  const groups = traceMatrix(index, resolved, refs, (file) => lineCounts.get(file));
  switch (options.format) {
    case 'json':
      printJson(io, traceJson(groups));
      break;
    case 'csv':
      // Every field is already made printable; the records keep RFC 4180's CRLF (console adds the LF).
      io.out(traceCsv(groups).replace(/\n$/, ''));
      break;
    case 'markdown':
      for (const l of traceMarkdown(groups).replace(/\n$/, '').split('\n')) io.out(printable(l));
      break;
    default:
      for (const l of traceText(groups)) io.out(printable(l));
  }
  return 0;
}

/**
 * With CUSTOMER_LENS_STATS=FILE, `check` writes what it did there as JSON: milliseconds per phase,
 * the scan's counts, the parser's counts and the process's peak resident set size (bench/check.ts
 * reads it). Nothing is written otherwise.
 */
class RunStats {
  private readonly started = performance.now();
  private readonly phases: Record<string, number> = {};

  async phase<T>(name: string, work: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      return await work();
    } finally {
      this.phases[name] = Math.round(performance.now() - t0);
    }
  }

  write(extra: Record<string, unknown>): void {
    const file = process.env.CUSTOMER_LENS_STATS;
    if (!file) return;
    const sinceStart = Math.round(performance.now());
    fs.writeFileSync(file, JSON.stringify({
      phases: { ...this.phases, total: Math.round(performance.now() - this.started), sinceProcessStart: sinceStart },
      maxRssKB: process.resourceUsage().maxRSS, ...extra,
    }));
  }
}

/** Pretty JSON, each line made printable (JSON escapes C0 controls, not DEL and C1). */
function printJson(io: Output, value: unknown): void {
  io.out(JSON.stringify(value, null, 2).split('\n').map(printable).join('\n'));
}

async function search(query: string, options: CliOptions, io: Output): Promise<number> {
  const { index } = await openFolder(options);
  const hits = new ProblemSearch(index).search(query, { limit: 20 });
  if (options.json) {
    printJson(io, { results: hits.map((h) => ({ id: h.problem.id, title: h.problem.title, score: round(h.score) })) });
    return 0;
  }
  if (hits.length === 0) io.out(printable(`No problem matches "${query}".`));
  for (const h of hits) io.out(`${printable(h.problem.id)}\t${round(h.score).toFixed(3)}\t${printable(h.problem.title)}`);
  return 0;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

if (require.main === module) {
  main(process.argv.slice(2), { out: (s) => console.log(s), err: (s) => console.error(s) })
    .then((code) => { process.exitCode = code; }, (e) => { console.error(e); process.exitCode = 2; });
}
