// Loading a folder's insights files into an index, and the reading order of diagnostics. (Links
// are checked by the CLI's streaming scan and by the editor's reference index.)
import type { Diagnostic, InsightsFile } from './model';
import { parseInsightsFile } from './parse';
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

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

/** Diagnostics in reading order: by file, then position, then severity. */
export function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return list.sort((a, b) =>
    a.file.localeCompare(b.file) || a.span.line - b.span.line || a.span.col - b.span.col
    || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.rule.localeCompare(b.rule));
}
