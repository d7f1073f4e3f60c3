// How commands name a problem across the API boundary (hover links, CodeLens, the tree, webviews):
// its folder's URI and its id. Arguments from command URIs are untrusted, so they are checked.
import vscode = require('vscode');
import type { Problem } from '../core/model';
import type { Indexes } from '../workspace/indexes';
import type { FolderIndex } from '../workspace/folderIndex';
import type { InsightsIndex } from '../core/workspaceIndex';

export interface ProblemRef {
  folder: string;
  id: string;
}

export interface ResolvedProblem {
  folder: FolderIndex;
  index: InsightsIndex;
  problem: Problem;
}

export function isProblemRef(value: unknown): value is ProblemRef {
  return typeof value === 'object' && value !== null
    && typeof (value as ProblemRef).folder === 'string' && typeof (value as ProblemRef).id === 'string';
}

export function refOf(folder: FolderIndex, problem: Problem): ProblemRef {
  return { folder: folder.folder.uri.toString(), id: problem.id };
}

export function resolveRef(indexes: Indexes, value: unknown): ResolvedProblem | undefined {
  if (!isProblemRef(value)) return undefined;
  const folder = indexes.all().find((f) => f.folder.uri.toString() === value.folder);
  const index = folder?.index;
  const problem = index?.problem(value.id);
  return folder && index && problem ? { folder, index, problem } : undefined;
}

/** A command: URI for Markdown links; the arguments travel as JSON. */
export function commandUri(command: string, ...args: unknown[]): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify(args))}`;
}

/** A MarkdownString that renders theme icons and may run only the listed commands of ours. */
export function trustedMarkdown(value: string, commands: readonly string[]): vscode.MarkdownString {
  const md = new vscode.MarkdownString(value, true);
  md.isTrusted = { enabledCommands: [...commands] };
  md.supportHtml = false;
  return md;
}
