// VS Code's built-in git extension (its public API, version 1), as far as the Customer Impact view
// needs it: which repository holds a folder, its HEAD, events when HEAD, the index or the working
// tree change, `git:` URIs for the base side of a diff, and the git executable the extension found.
// Everything is optional: without the extension (disabled, or no git) the view runs git itself and
// watches files instead.
import vscode = require('vscode');

export interface GitBranch {
  name?: string;
  commit?: string;
}

export interface GitChange {
  uri: vscode.Uri;
  status: number;
}

export interface GitRepositoryState {
  HEAD?: GitBranch;
  indexChanges?: GitChange[];
  workingTreeChanges?: GitChange[];
  untrackedChanges?: GitChange[];
  mergeChanges?: GitChange[];
  onDidChange: vscode.Event<void>;
}

export interface GitExtensionRepository {
  rootUri: vscode.Uri;
  state: GitRepositoryState;
}

export interface GitApi {
  state?: 'uninitialized' | 'initialized';
  git?: { path?: string };
  repositories: GitExtensionRepository[];
  onDidOpenRepository: vscode.Event<GitExtensionRepository>;
  onDidCloseRepository?: vscode.Event<GitExtensionRepository>;
  getRepository(uri: vscode.Uri): GitExtensionRepository | null;
  toGitUri?(uri: vscode.Uri, ref: string): vscode.Uri;
}

interface GitExtensionExports {
  enabled?: boolean;
  getAPI(version: 1): GitApi;
}

/** The git extension's API once it is active; undefined when it is missing or disabled. */
export class GitExtension implements vscode.Disposable {
  private api?: GitApi;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly watched = new Map<GitExtensionRepository, vscode.Disposable>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri | undefined>();
  /**
   * A repository's HEAD, index or working tree changed (its root), or repositories were opened or
   * closed (undefined).
   */
  readonly onDidChange = this.changed.event;
  readonly ready: Promise<void>;

  constructor(private readonly log: (message: string) => void) {
    this.ready = this.connect();
  }

  /** The repository the git extension has open for this URI. */
  repository(uri: vscode.Uri): GitExtensionRepository | undefined {
    try {
      return this.api?.getRepository(uri) ?? undefined;
    } catch {
      return undefined;
    }
  }

  /** The git executable the extension uses (it honours `git.path`), when it found one. */
  gitPath(): string | undefined {
    const p = this.api?.git?.path;
    return typeof p === 'string' && p !== '' ? p : undefined;
  }

  /**
   * A `git:` URI for a file at a commit, served by the git extension; undefined when the extension
   * does not have the file's repository open (its content provider could not read it then).
   */
  toGitUri(file: vscode.Uri, commit: string): vscode.Uri | undefined {
    if (!this.api?.toGitUri || !this.repository(file)) return undefined;
    try {
      return this.api.toGitUri(file, commit);
    } catch {
      return undefined;
    }
  }

  dispose(): void {
    for (const d of this.watched.values()) d.dispose();
    this.watched.clear();
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }

  private async connect(): Promise<void> {
    const extension = vscode.extensions.getExtension<GitExtensionExports>('vscode.git');
    if (!extension) return;
    try {
      const exports = extension.isActive ? extension.exports : await extension.activate();
      if (exports.enabled === false) return;
      this.api = exports.getAPI(1);
    } catch (e) {
      this.log(`The git extension's API is not available (${(e as Error).message}); Customer Impact runs git itself and watches files.`);
      return;
    }
    const watch = (repo: GitExtensionRepository) => {
      if (this.watched.has(repo)) return;
      this.watched.set(repo, repo.state.onDidChange(() => this.changed.fire(repo.rootUri)));
    };
    this.api.repositories.forEach(watch);
    this.subscriptions.push(this.api.onDidOpenRepository((repo) => {
      watch(repo);
      this.changed.fire(undefined);
    }));
    if (this.api.onDidCloseRepository) {
      this.subscriptions.push(this.api.onDidCloseRepository((repo) => {
        this.watched.get(repo)?.dispose();
        this.watched.delete(repo);
        this.changed.fire(undefined);
      }));
    }
  }
}
