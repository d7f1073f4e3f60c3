// `customer-lens link`: writes a code anchor or a ticket into the insights file that holds a problem.
//   customer-lens link PATH:LINE[-LINE] PROBLEM_ID [--root DIR] [--dry-run]   a `lines` anchor with the line's text
//   customer-lens link PATH --symbol NAME PROBLEM_ID [--root DIR] [--dry-run] a `symbol` anchor
//   customer-lens link PATH PROBLEM_ID [--root DIR] [--dry-run]               a path anchor (a file or folder)
//   customer-lens link --ticket KEY PROBLEM_ID [--root DIR] [--dry-run]       a ticket key or URL
// PATH is relative to the root (as in `why`) or absolute inside it; the anchor is written relative to
// the insights file's folder. The edit engine (src/core/edit.ts) computes minimal edits; the file is
// read as bytes and written back with its BOM and line endings untouched. `--dry-run` prints the
// change as a unified diff instead. Exit: 0 written or already linked, 1 refused, 2 usage error.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as posix from 'node:path/posix';
import { closest } from 'fastest-levenshtein';
import { loadIndex } from '../core/check';
import { addAnchor, addTicket, applyEdits } from '../core/edit';
import type { AnchorSpec, EditResult } from '../core/edit';
import { unifiedDiff } from '../core/editDiff';
import type { InsightsFile } from '../core/model';
import { isTicketUrl } from '../core/trackers';
import type { CliOptions, Output } from './main';

export const LINK_USAGE = `  customer-lens link PATH:LINE[-LINE] PROBLEM_ID [--root DIR] [--dry-run]
  customer-lens link PATH --symbol NAME PROBLEM_ID [--root DIR] [--dry-run]
  customer-lens link --ticket KEY PROBLEM_ID [--root DIR] [--dry-run]`;

export interface LinkOptions extends CliOptions {
  /** Anchor this symbol (its dotted container path) instead of lines. */
  symbol?: string;
  /** Add this ticket key or URL instead of an anchor. */
  ticket?: string;
  /** Print the unified diff instead of writing. */
  dryRun?: boolean;
  /** The folder's insights files (NodeFolder.insightsFiles), listed by the caller. */
  insightsFiles: readonly string[];
}

/** An insights file as read from disk: the text without its BOM, and how to write it back. */
interface RawInsights {
  file: string;
  abs: string;
  bytes: Buffer;
  bom: boolean;
  /** The text without its BOM; undefined when the bytes are not UTF-8. */
  text?: string;
}

class LinkUsageError extends Error {}

export function runLink(args: string[], options: LinkOptions, io: Output): number {
  try {
    return link(args, options, io);
  } catch (e) {
    if (!(e instanceof LinkUsageError)) throw e;
    io.err(`customer-lens: ${e.message}\n\nUsage:\n${LINK_USAGE}`);
    return 2;
  }
}

function link(args: string[], options: LinkOptions, io: Output): number {
  const request = parseLinkArgs(args, options);
  const report = new Reporter(options, io, request.problemId);

  const files = options.insightsFiles;
  if (files.length === 0) throw new Error(`no customer-insights.yaml (or .yml) under ${options.root}`);
  const raws = files.map((file) => readInsights(options.root, file));
  const index = loadIndex(raws.map((r) => ({ file: r.file, text: r.text ?? '', byteSize: r.bytes.length })), options);

  const problem = index.problem(request.problemId);
  if (!problem) {
    const ids = index.problems.map((p) => p.id);
    const broken = index.files.filter((f) => !f.parsed);
    if (broken.length > 0) {
      // The problem may well be in a file that does not parse: say so rather than suggest another id.
      const errors = broken.map((f) => {
        const d = f.diagnostics[0];
        return d ? `${f.file}:${d.span.line + 1}:${d.span.col + 1}: ${d.message}` : f.file;
      });
      return report.refused(`There is no problem ${request.problemId} in the insights files that read as YAML. `
        + `Fix ${broken.length === 1 ? 'this file' : 'these files'} first (customer-lens check lists every error):\n  ${errors.join('\n  ')}`);
    }
    let reason = `There is no problem ${request.problemId} in this workspace.`;
    if (ids.length > 0) reason += ` The nearest id is ${closest(request.problemId, ids)}.`;
    return report.refused(reason);
  }
  const raw = raws.find((r) => r.file === problem.file)!;
  if (raw.text === undefined) return report.refused(`${raw.file} is not UTF-8 text, so it was not changed.`);
  const model = index.files.find((f) => f.file === problem.file) as InsightsFile;

  let result: EditResult;
  if (options.ticket !== undefined) {
    const key = options.ticket.trim();
    if (!isTicketUrl(key) && !index.ticketLink(key)) {
      report.warn(`No tracker recognises "${key}", so it will not be linked to the tracker; it is added anyway. Add a tracker (a prefix or a pattern) under "trackers", or write the ticket's URL.`);
    }
    result = addTicket(raw.text, problem.id, key, { parsed: model });
  } else {
    const anchor = codeAnchor(request.target!, options, raw.file, report);
    if (typeof anchor === 'string') return report.refused(anchor);
    result = addAnchor(raw.text, problem.id, anchor, { parsed: model });
  }

  if (!result.ok) {
    const where = result.span ? `${raw.file}:${result.span.line + 1}:${result.span.col + 1}: ` : '';
    return report.refused(`${where}${result.reason}`, raw.file);
  }
  if (result.alreadyLinked) return report.done('already-linked', result.message, raw.file);

  const before = (raw.bom ? '\uFEFF' : '') + raw.text;
  const after = (raw.bom ? '\uFEFF' : '') + applyEdits(raw.text, result.edits);
  const diff = unifiedDiff(before.replace(/^\uFEFF/, ''), after.replace(/^\uFEFF/, ''), { fromFile: `a/${raw.file}`, toFile: `b/${raw.file}` });
  if (options.dryRun) return report.done('dry-run', `${result.message.replace(/\.$/, '')} in ${raw.file} (dry run: nothing was written).`, raw.file, diff);
  // Refuse to overwrite a change made while we were working.
  if (!fs.readFileSync(raw.abs).equals(raw.bytes)) return report.refused(`${raw.file} changed while linking; nothing was written. Run the command again.`, raw.file);
  fs.writeFileSync(raw.abs, Buffer.from(after, 'utf8'));
  return report.done('linked', `${result.message.replace(/\.$/, '')} in ${raw.file}.`, raw.file, diff);
}

function parseLinkArgs(args: string[], options: LinkOptions): { target?: string; problemId: string } {
  if (options.ticket !== undefined) {
    if (options.symbol !== undefined) throw new LinkUsageError('--ticket and --symbol do not go together');
    if (args.length !== 1) throw new LinkUsageError('expected: customer-lens link --ticket KEY PROBLEM_ID');
    if (options.ticket.trim() === '') throw new LinkUsageError('--ticket needs a ticket key, such as ACME-123');
    return { problemId: args[0] };
  }
  if (args.length !== 2) throw new LinkUsageError('expected: customer-lens link PATH:LINE[-LINE] PROBLEM_ID (or --ticket KEY PROBLEM_ID)');
  if (options.symbol !== undefined && options.symbol.trim() === '') throw new LinkUsageError('--symbol needs a name, such as CsvWriter.flush');
  return { target: args[0], problemId: args[1] };
}

/** The anchor for PATH[:LINE[-LINE]] (and --symbol), or why it cannot be written. */
function codeAnchor(target: string, options: LinkOptions, insightsFile: string, report: Reporter): AnchorSpec | string {
  const m = /^(.*?)(?::(\d+)(?:-(\d+))?)?$/.exec(target)!;
  const written = m[1];
  const lines = m[2] === undefined ? undefined : { start: Number(m[2]), end: Number(m[3] ?? m[2]) };
  if (written === '') throw new LinkUsageError('PATH is empty');
  if (lines && (lines.start < 1 || lines.end < lines.start)) {
    throw new LinkUsageError(`${m[2]}${m[3] ? `-${m[3]}` : ''} is not a line range: lines count from 1 and the range must not run backwards`);
  }
  if (lines && options.symbol !== undefined) throw new LinkUsageError('give either :LINE or --symbol, not both');
  const abs = path.resolve(options.root, written);
  const rel = path.relative(options.root, abs);
  if (rel === '') return `${written} is the workspace folder itself; link a file or a folder inside it.`;
  if (rel.startsWith('..') || path.isAbsolute(rel)) {
    return `${written} is outside the workspace folder ${options.root}; anchors must point inside it.`;
  }
  const file = rel.split(path.sep).join('/');
  let stat: fs.Stats;
  try {
    stat = fs.statSync(abs);
  } catch {
    return `${file} does not exist under ${options.root}.`;
  }
  const needsFile = lines !== undefined || options.symbol !== undefined;
  if (needsFile ? !stat.isFile() : !stat.isFile() && !stat.isDirectory()) {
    return `${file} is not a file${needsFile ? '' : ' or a folder'}.`;
  }
  const anchorPath = posix.relative(posix.dirname(insightsFile), file) || '.';
  if (!needsFile) return { path: anchorPath };
  const text = fs.readFileSync(abs, 'utf8').replace(/^\uFEFF/, '');
  const fileLines = text.split(/\r?\n/);
  if (fileLines.length > 1 && fileLines[fileLines.length - 1] === '') fileLines.pop();
  if (lines) {
    if (lines.end > fileLines.length) {
      return `${file} has ${fileLines.length} line${fileLines.length === 1 ? '' : 's'}, so line ${lines.end} does not exist.`;
    }
    return { path: anchorPath, lines, text: fileLines[lines.start - 1].trim() };
  }
  const symbol = options.symbol!.trim();
  const last = symbol.split('.').pop()!;
  if (!new RegExp(`(^|[^\\w$])${last.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w$])`).test(text)) {
    report.warn(`"${last}" does not appear in ${file}; the anchor is written anyway and will show as lost until it does.`);
  }
  return { path: anchorPath, symbol };
}

function readInsights(root: string, file: string): RawInsights {
  const abs = path.join(root, file);
  const bytes = fs.readFileSync(abs);
  let decoded: string | undefined;
  try {
    decoded = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    decoded = undefined;
  }
  const bom = decoded?.charCodeAt(0) === 0xfeff;
  return { file, abs, bytes, bom, text: bom ? decoded!.slice(1) : decoded };
}

/** Prints the outcome as text (messages on stdout, warnings and refusals on stderr) or as one JSON object. */
class Reporter {
  private readonly warnings: string[] = [];

  constructor(private readonly options: LinkOptions, private readonly io: Output, private readonly problemId: string) {}

  warn(message: string): void {
    this.warnings.push(message);
    if (!this.options.json) this.io.err(`customer-lens: warning: ${message}`);
  }

  refused(reason: string, file?: string): number {
    if (this.options.json) this.json({ status: 'refused', problem: this.problemId, file: file ?? null, message: reason });
    else this.io.err(`customer-lens: ${reason}`);
    return 1;
  }

  done(status: 'linked' | 'already-linked' | 'dry-run', message: string, file: string, diff?: string): number {
    if (this.options.json) {
      this.json({ status, problem: this.problemId, file, message, ...(diff !== undefined ? { diff } : {}) });
    } else {
      if (status === 'dry-run' && diff) this.io.out(diff.replace(/\n$/, ''));
      this.io.out(message);
    }
    return 0;
  }

  private json(value: Record<string, unknown>): void {
    this.io.out(JSON.stringify({ ...value, warnings: this.warnings }, null, 2));
  }
}
