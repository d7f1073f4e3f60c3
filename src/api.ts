// The API `activate()` returns. Integration tests use it to wait for the index and to look inside
// the surfaces (decorations, status bar) that VS Code does not expose to extensions.
import type * as vscode from 'vscode';

export interface ProblemSummary {
  id: string;
  title: string;
  status: string;
  severity: string;
}

export interface FolderSnapshot {
  folder: string;          // the workspace folder's URI, as a string
  files: string[];         // insights files, relative to the folder
  problems: ProblemSummary[];
  diagnostics: number;     // how many diagnostics the last load produced
  generation: number;      // increases with every successful reload
}

export interface CustomerLensApi {
  /** Resolves once every workspace folder's index has finished its current load. */
  whenIdle(): Promise<void>;
  /** The index of one workspace folder, or undefined when it has no insights file. */
  snapshot(folder: vscode.Uri): FolderSnapshot | undefined;
  /** How long activate() held the extension host, in milliseconds (measured by activate itself). */
  readonly activationMs: number;
  /** Test hooks: answers for quick picks and input boxes, consumed in order. */
  readonly testHooks: TestHooks;
}

export interface TestHooks {
  /** Queue answers for the next prompts (quick pick item labels or ids, input box values); `undefined` cancels. */
  answer(...answers: (string | undefined)[]): void;
  /** Decorations currently applied, by editor URI: kind -> 0-based start lines. */
  decorations(uri: vscode.Uri): Record<string, number[]>;
  /** Status bar item text and tooltip, or undefined when hidden. */
  statusBar(): { text: string; tooltip: string } | undefined;
}
