// `customer-lens check --format github|sarif`: the checker's findings for CI. The formatting is pure
// (src/core/report.ts); this module finds the repository's root (paths in both formats are from it,
// as GitHub resolves them) and reads the lines that SARIF fingerprints hash.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repository, version } from '../../package.json';
import { splitLines } from '../core/anchors';
import type { Diagnostic } from '../core/model';
import { printable } from '../core/parse';
import { githubAnnotations, sarifLog } from '../core/report';
import type { ToolInfo } from '../core/report';
import { RULES } from '../core/rules';
import { readCodeText } from '../scan/nodeScan';
import type { SkippedFile } from '../scan/nodeScan';
import { isInsightsFile } from './nodeFolder';
import type { NodeFolder } from './nodeFolder';
import type { Output } from './main';

export type CiFormat = 'github' | 'sarif';

export const TOOL: ToolInfo = {
  name: 'Customer Lens',
  version,
  informationUri: repository.url.replace(/^git\+/, '').replace(/\.git$/, ''),
};

/** Directories climbed at most looking for the repository's root. */
const MAX_DEPTH = 64;

/**
 * The checked folder relative to the root of the git repository holding it ('/' separators, '' for
 * the root itself): the nearest folder above it with a `.git`. Outside a repository, relative to the
 * current directory when the folder is inside it, else the folder itself.
 */
export function folderInRepository(root: string, cwd = process.cwd()): string {
  const abs = path.resolve(root);
  let dir = abs;
  for (let i = 0; i < MAX_DEPTH; i++) {
    if (fs.existsSync(path.join(dir, '.git'))) return toSlash(path.relative(dir, abs));
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  const fromCwd = path.relative(path.resolve(cwd), abs);
  return fromCwd.startsWith('..') || path.isAbsolute(fromCwd) ? '' : toSlash(fromCwd);
}

function toSlash(p: string): string {
  return p.split(path.sep).join('/');
}

export interface CheckFindings {
  root: string;
  folder: NodeFolder;
  /** Sorted as the text format prints them. */
  diagnostics: Diagnostic[];
  /** Paths that were not scanned, with why. */
  notes: SkippedFile[];
  /** The text format's last line (counts). */
  summary: string;
}

export async function printCiReport(format: CiFormat, findings: CheckFindings, io: Output): Promise<void> {
  const options = { folder: folderInRepository(findings.root) };
  if (format === 'github') {
    for (const line of githubAnnotations(findings.diagnostics, RULES, options)) io.out(printable(line));
    for (const s of findings.notes) io.out(printable(`${s.file}: note: not scanned: ${s.reason}`));
    io.out(printable(findings.summary));
    return;
  }
  const lines = await fileLines(findings);
  const log = sarifLog(findings.diagnostics, RULES, TOOL, (file, line) => lines.get(file)?.[line], options,
    findings.notes.map((s) => ({ file: s.file, message: `Not scanned: ${s.reason}` })));
  // JSON escapes C0 controls but not DEL and C1: each line is made printable too.
  io.out(JSON.stringify(log, null, 2).split('\n').map(printable).join('\n'));
}

/** The lines of every file a diagnostic names (insights files and code), read once each. */
async function fileLines(findings: CheckFindings): Promise<Map<string, string[]>> {
  const files = [...new Set(findings.diagnostics.map((d) => d.file))];
  const lines = new Map<string, string[]>();
  for (const file of files) {
    let text: string | undefined;
    try {
      text = isInsightsFile(file) ? (await findings.folder.readInsights(file)).text : await readCodeText(findings.root, file);
    } catch {
      text = undefined;
    }
    if (text !== undefined && text !== '') lines.set(file, splitLines(text));
  }
  return lines;
}
