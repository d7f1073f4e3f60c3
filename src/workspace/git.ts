// The current branch name from VS Code's built-in git extension (its public API, version 1).
import vscode = require('vscode');

interface GitRepository {
  rootUri: vscode.Uri;
  state: { HEAD?: { name?: string }; onDidChange: vscode.Event<void> };
}

interface GitApi {
  repositories: GitRepository[];
  onDidOpenRepository: vscode.Event<GitRepository>;
  getRepository(uri: vscode.Uri): GitRepository | null;
}

export class BranchWatcher implements vscode.Disposable {
  private api?: GitApi;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor() {
    void this.connect();
  }

  /** The branch of the repository holding `uri` (or of the first repository). */
  branch(uri?: vscode.Uri): string | undefined {
    if (!this.api) return undefined;
    const repo = (uri && this.api.getRepository(uri)) ?? this.api.repositories[0];
    return repo?.state.HEAD?.name;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }

  private async connect(): Promise<void> {
    const extension = vscode.extensions.getExtension<{ getAPI(version: 1): GitApi }>('vscode.git');
    if (!extension) return;
    try {
      const exports = extension.isActive ? extension.exports : await extension.activate();
      this.api = exports.getAPI(1);
    } catch {
      return; // git disabled or unavailable: no branch, no ticket
    }
    const watch = (repo: GitRepository) => this.subscriptions.push(repo.state.onDidChange(() => this.changed.fire()));
    this.api.repositories.forEach(watch);
    this.subscriptions.push(this.api.onDidOpenRepository((repo) => {
      watch(repo);
      this.changed.fire();
    }));
    this.changed.fire();
  }
}
