// Loading a folder's insights files into an index, and checking every link of a folder: what the
// CLI's `check` prints and what the editor shows in the Problems panel.
import type { Diagnostic, InsightsFile } from './model';
import { parseInsightsFile } from './parse';
import { anchorDiagnostics, resolveAnchor } from './anchors';
import type { CodeAccess, ResolvedAnchor } from './anchors';
import { referenceDiagnostics, scanWhyTags } from './references';
import { InsightsIndex } from './workspaceIndex';
import type { IndexOptions } from './workspaceIndex';

export interface SourceText {
  /** Relative to the workspace folder, '/' separators. */
  file: string;
  text: string;
  byteSize?: number;
}

export function loadIndex(sources: readonly SourceText[], options: IndexOptions & { maxBytes?: number }): InsightsIndex {
  const files: InsightsFile[] = sources.map((s) => parseInsightsFile(s.text, s.file, { maxBytes: options.maxBytes, byteSize: s.byteSize }));
  return new InsightsIndex(files, options);
}

export interface CheckResult {
  diagnostics: Diagnostic[];
  resolved: ResolvedAnchor[];
}

/**
 * Resolves every anchor and reads every `@why` tag of the given code files. `codeFiles` are the
 * files to scan for tags (the CLI passes every text file it may read).
 */
export function checkLinks(index: InsightsIndex, code: CodeAccess, codeFiles: readonly string[], whyTag?: string): CheckResult {
  const resolved = index.allAnchors().map((a) => resolveAnchor(a, code));
  const diagnostics = resolved.flatMap(anchorDiagnostics);
  for (const file of codeFiles) {
    const text = code.text(file);
    if (text === undefined || (whyTag ?? '@why') === '' || !text.includes(whyTag ?? '@why')) continue;
    diagnostics.push(...referenceDiagnostics(file, scanWhyTags(text, whyTag), index));
  }
  return { diagnostics, resolved };
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

/** Diagnostics in reading order: by file, then position, then severity. */
export function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return list.sort((a, b) =>
    a.file.localeCompare(b.file) || a.span.line - b.span.line || a.span.col - b.span.col
    || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.rule.localeCompare(b.rule));
}
