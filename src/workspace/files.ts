// File access for the extension, always through vscode.workspace.fs so that remote and virtual
// workspaces work: texts (open editors win over disk) and the folder's file listing.
import vscode = require('vscode');
import { relativePath } from '../adapter/convert';
import { isSkippedPath } from '../core/scanPolicy';
import type { CodeClient } from '../worker/codeClient';

export const MAX_CODE_FILE_BYTES = 1024 * 1024;
const decoder = new TextDecoder('utf-8');

/** The text of an open editor for this URI, if one is open. */
export function openDocumentText(uri: vscode.Uri): string | undefined {
  const key = uri.toString();
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === key)?.getText();
}

/** The text of a file (open editor first), or undefined when missing, too large or binary. */
export async function readText(uri: vscode.Uri, maxBytes = MAX_CODE_FILE_BYTES): Promise<string | undefined> {
  const open = openDocumentText(uri);
  if (open !== undefined) return open;
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.type & vscode.FileType.Directory || stat.size > maxBytes) return undefined;
    const bytes = await vscode.workspace.fs.readFile(uri);
    if (bytes.subarray(0, 8192).includes(0)) return undefined;
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * The files of a workspace folder (folder-relative, '/' separators) by the checker's skip policy
 * (dependencies, version control, build output), the same list the CLI walks: a folder on a local
 * disk is listed by the code worker, others through workspace.findFiles (which also honours
 * files.exclude). Cached; a file watcher invalidates it on creation and deletion.
 */
export class FolderFiles implements vscode.Disposable {
  private listing?: Promise<string[]>;
  private readonly watcher: vscode.FileSystemWatcher;
  private readonly changed = new vscode.EventEmitter<{ uri: vscode.Uri; created: boolean }>();
  /** A file was created or deleted somewhere in the folder. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly folder: vscode.WorkspaceFolder, private readonly code?: CodeClient) {
    this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '**/*'), false, true, false);
    const invalidate = (uri: vscode.Uri, created: boolean) => {
      this.listing = undefined;
      this.changed.fire({ uri, created });
    };
    this.watcher.onDidCreate((uri) => invalidate(uri, true));
    this.watcher.onDidDelete((uri) => invalidate(uri, false));
  }

  files(): Promise<string[]> {
    this.listing ??= this.listOnDisk().then((listed) => listed ?? this.listThroughWorkspace());
    return this.listing;
  }

  /** A folder on a local disk is listed by the code worker (the CLI's own walk and policy). */
  private async listOnDisk(): Promise<string[] | undefined> {
    if (this.folder.uri.scheme !== 'file' || !this.code) return undefined;
    return this.code.listFiles(this.folder.uri.fsPath);
  }

  private listThroughWorkspace(): Promise<string[]> {
    return Promise.resolve(vscode.workspace
      .findFiles(new vscode.RelativePattern(this.folder, '**/*'), undefined, 50_000))
      .then((uris) => uris
        .map((u) => relativePath(this.folder.uri, u))
        // The checker's own skip policy, so globs match the same files in the editor and the CLI.
        .filter((f): f is string => f !== undefined && !isSkippedPath(f))
        .sort());
  }

  dispose(): void {
    this.watcher.dispose();
    this.changed.dispose();
  }
}
