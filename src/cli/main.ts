// `customer-lens`: the checker CLI, built from the same core as the extension, for CI and scripts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { checkLinks, loadIndex, sortDiagnostics } from '../core/check';
import { isoDate } from '../core/dates';
import { DEFAULT_MAX_FILE_BYTES, printable } from '../core/parse';
import { DEFAULT_WHY_TAG } from '../core/references';
import { linksForFile } from '../core/fileLinks';
import { ProblemSearch } from '../core/search';
import { DEFAULT_STALE_AFTER_DAYS } from '../core/workspaceIndex';
import type { InsightsIndex } from '../core/workspaceIndex';
import { NodeFolder } from './nodeFolder';
import { LINK_USAGE, runLink } from './link';

const USAGE = `Usage:
  customer-lens check [--root DIR] [--format text|json]
  customer-lens why PATH[:LINE] [--root DIR] [--format text|json]
  customer-lens search QUERY [--root DIR] [--format text|json]
${LINK_USAGE}

Options:
  --root DIR              the workspace folder (default: the current directory)
  --format text|json      output format (default: text)
  --stale-after-days N    problems unconfirmed for longer are stale (default: ${DEFAULT_STALE_AFTER_DAYS})
  --why-tag TAG           the tag that links code to problems (default: ${DEFAULT_WHY_TAG})
  --max-size-kb N         largest insights file read, in KB (default: ${DEFAULT_MAX_FILE_BYTES / 1024})
  --today YYYY-MM-DD      the date staleness is measured from (default: today)
  --symbol NAME           link: anchor a symbol (its dotted path, e.g. CsvWriter.flush) instead of lines
  --ticket KEY            link: add a ticket key or URL to the problem instead of an anchor
  --dry-run               link: print the change as a unified diff and write nothing

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
  help: { type: 'boolean', short: 'h' },
} satisfies ParseArgsConfig['options'];

export class UsageError extends Error {}

export interface CliOptions {
  root: string;
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
    const options = cliOptions(values);
    switch (command) {
      case 'check':
        expectArgs(rest, 0, 'check');
        return check(options, io);
      case 'why':
        expectArgs(rest, 1, 'why PATH[:LINE]');
        return why(rest[0], options, io);
      case 'search':
        if (rest.length === 0) throw new UsageError('search needs a QUERY');
        return search(rest.join(' '), options, io);
      case 'link':
        return runLink(rest, { ...options, symbol: values.symbol, ticket: values.ticket, dryRun: values['dry-run'] === true }, io);
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

function cliOptions(values: Record<string, string | boolean | undefined>): CliOptions {
  const format = (values.format as string | undefined) ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not "${format}"`);
  const root = path.resolve((values.root as string | undefined) ?? '.');
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new Error(`--root ${root} is not a directory`);
  const today = (values.today as string | undefined) ?? isoDate(new Date());
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new UsageError('--today must be written YYYY-MM-DD');
  return {
    root,
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
export function openFolder(options: CliOptions): { folder: NodeFolder; index: InsightsIndex } {
  const folder = new NodeFolder(options.root);
  const files = folder.insightsFiles();
  if (files.length === 0) throw new Error(`no customer-insights.yaml (or .yml) under ${options.root}`);
  const sources = files.map((file) => ({ file, ...folder.readInsights(file) }));
  return { folder, index: loadIndex(sources, options) };
}

function check(options: CliOptions, io: Output): number {
  const { folder, index } = openFolder(options);
  const codeFiles = folder.files().filter((f) => !index.files.some((i) => i.file === f));
  const { diagnostics: linkDiagnostics } = checkLinks(index, folder, codeFiles, options.whyTag);
  const diagnostics = sortDiagnostics([...index.diagnostics, ...linkDiagnostics]);
  const counts = { error: 0, warning: 0, info: 0 };
  for (const d of diagnostics) counts[d.severity]++;
  if (options.json) {
    io.out(JSON.stringify({
      diagnostics: diagnostics.map((d) => ({
        file: d.file, line: d.span.line + 1, column: d.span.col + 1, endLine: d.span.endLine + 1, endColumn: d.span.endCol + 1,
        severity: d.severity, rule: d.rule, message: d.message,
      })),
      files: index.files.map((f) => f.file),
      problems: index.problems.length,
    }, null, 2));
  } else {
    for (const d of diagnostics) io.out(printable(`${d.file}:${d.span.line + 1}:${d.span.col + 1}: ${d.severity}: ${d.message} [${d.rule}]`));
    io.out(`${plural(index.files.length, 'insights file')}, ${plural(index.problems.length, 'problem')}: ` +
      `${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${plural(counts.info, 'info', 'info')}`);
  }
  return counts.error > 0 ? 1 : 0;
}

function why(target: string, options: CliOptions, io: Output): number {
  const m = /^(.*?)(?::(\d+))?$/.exec(target)!;
  const file = m[1].replace(/\\/g, '/').replace(/^\.\//, '');
  const line = m[2] === undefined ? undefined : Number(m[2]);
  if (line !== undefined && line < 1) throw new UsageError('LINE counts from 1');
  const { folder, index } = openFolder(options);
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
    io.out(JSON.stringify({
      file, line: line ?? null,
      problems: problems.map(({ problem, via }) => ({ id: problem.id, title: problem.title, status: problem.status, severity: problem.severity, via })),
    }, null, 2));
    return 0;
  }
  const where = line === undefined ? file : `${file}:${line}`;
  if (problems.length === 0) {
    io.out(`No customer problem is linked to ${where}.`);
    return 0;
  }
  io.out(`${where} serves ${plural(problems.length, 'customer problem')}:`);
  for (const { problem, via } of problems) {
    io.out(`  ${problem.id}  ${problem.title}  (${problem.status}, ${problem.severity}; via ${via.join(', ')})`);
  }
  return 0;
}

function search(query: string, options: CliOptions, io: Output): number {
  const { index } = openFolder(options);
  const hits = new ProblemSearch(index).search(query, { limit: 20 });
  if (options.json) {
    io.out(JSON.stringify({ results: hits.map((h) => ({ id: h.problem.id, title: h.problem.title, score: round(h.score) })) }, null, 2));
    return 0;
  }
  if (hits.length === 0) io.out(`No problem matches "${query}".`);
  for (const h of hits) io.out(`${h.problem.id}\t${round(h.score).toFixed(3)}\t${h.problem.title}`);
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
