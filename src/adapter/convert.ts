// The adapter layer: core results (spans, diagnostics, paths) into VS Code objects.
import vscode = require('vscode');
import type { Diagnostic, DiagnosticSeverity, Span } from '../core/model';
import { DIAGNOSTIC_SOURCE } from '../constants';

export function toRange(span: Span): vscode.Range {
  return new vscode.Range(span.line, span.col, span.endLine, span.endCol);
}

export function toSpan(range: vscode.Range): Span {
  return { line: range.start.line, col: range.start.character, endLine: range.end.line, endCol: range.end.character };
}

/** A whole-line range over 0-based inclusive lines. */
export function linesRange(startLine: number, endLine: number): vscode.Range {
  return new vscode.Range(startLine, 0, endLine, Number.MAX_SAFE_INTEGER);
}

const SEVERITY: Record<DiagnosticSeverity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export function toDiagnostic(d: Diagnostic): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toRange(d.span), d.message, SEVERITY[d.severity]);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = d.rule;
  return diagnostic;
}

/** A folder-relative path ('/' separators) to a URI inside the folder. */
export function fileUri(folder: vscode.Uri, file: string): vscode.Uri {
  return file === '' ? folder : vscode.Uri.joinPath(folder, ...file.split('/'));
}

/** The folder-relative path of a URI, or undefined when it lies outside the folder. */
export function relativePath(folder: vscode.Uri, uri: vscode.Uri): string | undefined {
  if (uri.scheme !== folder.scheme || uri.authority !== folder.authority) return undefined;
  const base = folder.path.endsWith('/') ? folder.path : `${folder.path}/`;
  return uri.path.startsWith(base) ? uri.path.slice(base.length) : undefined;
}
