// Read-only documents of a file at the base commit, for the left side of a diff when the git
// extension cannot serve a `git:` URI (disabled, or it does not have the repository open, as with a
// folder inside a repository it was not asked to open). The text comes from `git show` through
// src/git/gitDiff.ts (a child process, argument arrays, bounded), never from a shell.
import vscode = require('vscode');
import { IMPACT_BASE_SCHEME } from '../../constants';
import { GitRepository } from '../../git/gitDiff';

interface BaseFile {
  /** The workspace folder's path on disk. */
  root: string;
  commit: string;
  /** Folder-relative, '/' separators. */
  file: string;
}

/** The URI of a folder-relative file at a commit, in this provider's scheme. */
export function baseUri(folder: vscode.WorkspaceFolder, commit: string, file: string): vscode.Uri {
  const query: BaseFile = { root: folder.uri.fsPath, commit, file };
  // The path ends with the file's name, so the editor picks its language and shows its name.
  return vscode.Uri.from({ scheme: IMPACT_BASE_SCHEME, path: `/${file}`, query: JSON.stringify(query) });
}

/** What a URI of this scheme names, when it is well formed and inside a workspace folder on disk. */
function parse(uri: vscode.Uri): BaseFile | undefined {
  let value: unknown;
  try {
    value = JSON.parse(uri.query);
  } catch {
    return undefined;
  }
  const v = value as Partial<BaseFile>;
  if (typeof v?.root !== 'string' || typeof v.commit !== 'string' || typeof v.file !== 'string') return undefined;
  if (!/^[0-9a-f]{40,64}$/.test(v.commit)) return undefined;
  if (v.file === '' || v.file.startsWith('/') || /[\0\r\n\\]/.test(v.file) || v.file.split('/').some((s) => s === '..' || s === '.' || s === '')) return undefined;
  const inWorkspace = (vscode.workspace.workspaceFolders ?? []).some((f) => f.uri.scheme === 'file' && f.uri.fsPath === v.root);
  return inWorkspace ? { root: v.root, commit: v.commit, file: v.file } : undefined;
}

export class BaseContentProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly gitPath: () => string | undefined) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const base = parse(uri);
    if (!base) return '';
    try {
      const repo = await GitRepository.open(base.root, { git: this.gitPath() });
      return await repo.readFile(base.commit, base.file) ?? '';
    } catch {
      return '';
    }
  }
}
