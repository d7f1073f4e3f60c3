// Shared helpers for the unit tests (compiled into each test file by esbuild; not a test itself).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LineRegion } from '../../src/core/syntax/types';
import type { CodeAccess, SymbolNode } from '../../src/core/anchors';
import type { Diagnostic, InsightsFile, RuleId, Span } from '../../src/core/model';
import { parseInsightsFile } from '../../src/core/parse';
import type { ParseOptions } from '../../src/core/parse';
import { InsightsIndex } from '../../src/core/workspaceIndex';
import type { IndexOptions } from '../../src/core/workspaceIndex';

export const TODAY = '2026-11-22';

/** The repository root: the nearest directory above this file holding package.json and src/core. */
export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'src', 'core'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no repository root above ${__dirname}`);
    dir = up;
  }
}

/** YAML text from lines, so that a line's index in the call is its 0-based line number. */
export function yml(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

export function parse(text: string, file = 'customer-insights.yaml', options?: ParseOptions): InsightsFile {
  return parseInsightsFile(text, file, options);
}

export function index(files: InsightsFile[], options: Partial<IndexOptions> = {}): InsightsIndex {
  return new InsightsIndex(files, { today: TODAY, ...options });
}

export function byRule(diagnostics: readonly Diagnostic[], rule: RuleId): Diagnostic[] {
  return diagnostics.filter((d) => d.rule === rule);
}

/** The one diagnostic of a rule (fails when there are none or several). */
export function one(diagnostics: readonly Diagnostic[], rule: RuleId): Diagnostic {
  const found = byRule(diagnostics, rule);
  assert.equal(found.length, 1, `expected exactly one ${rule} diagnostic, got ${found.length}:\n${show(diagnostics)}`);
  return found[0];
}

/** Fails unless there are no diagnostics at all. */
export function clean(diagnostics: readonly Diagnostic[]): void {
  assert.equal(diagnostics.length, 0, `expected no diagnostics, got:\n${show(diagnostics)}`);
}

export function span(line: number, col: number, endLine: number, endCol: number): Span {
  return { line, col, endLine, endCol };
}

export function show(diagnostics: readonly Diagnostic[]): string {
  return diagnostics
    .map((d) => `  ${d.file}:${d.span.line}:${d.span.col}-${d.span.endLine}:${d.span.endCol} ${d.severity} ${d.rule}: ${d.message}`)
    .join('\n');
}

/** The text a span covers. */
export function textAt(text: string, s: Span): string {
  const lines = text.split('\n');
  if (s.line === s.endLine) return lines[s.line].slice(s.col, s.endCol);
  return [lines[s.line].slice(s.col), ...lines.slice(s.line + 1, s.endLine), lines[s.endLine].slice(0, s.endCol)].join('\n');
}

/** An in-memory workspace folder for anchor resolution. */
export function memoryCode(files: Record<string, string>, symbols: Record<string, SymbolNode[]> = {}, errors: Record<string, LineRegion[]> = {}): CodeAccess & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    files: () => Object.keys(files).sort(),
    text: (file) => {
      reads.push(file);
      return Object.prototype.hasOwnProperty.call(files, file) ? files[file] : undefined;
    },
    syntax: (file) => (symbols[file] ? { language: 'test', symbols: symbols[file], errors: errors[file] ?? [] } : undefined),
  };
}

/**
 * Runs `fn` and measures it: wall-clock time and the CPU time this process spent (user + system).
 * Time limits are asserted on CPU time, which does not grow when other jobs load the machine.
 */
export function timed<T>(fn: () => T): { value: T; ms: number; cpuMs: number } {
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const value = fn();
  const used = process.cpuUsage(cpu);
  return { value, ms: Number(process.hrtime.bigint() - start) / 1e6, cpuMs: (used.user + used.system) / 1000 };
}
