// The services every feature receives: the per-folder indexes, document links, the log, prompts
// (which integration tests can answer) and the probes tests read surfaces through.
import * as path from 'node:path';
import vscode = require('vscode');
import { ParseClient } from './worker/parseClient';
import { CodeClient } from './worker/codeClient';
import { Views } from './constants';
import { Indexes } from './workspace/indexes';
import { LinkService } from './workspace/links';
import { BranchWatcher } from './workspace/git';
import type { TestHooks } from './api';

export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly indexes: Indexes;
  readonly links: LinkService;
  /** The current git branch (its name may hold a ticket key). */
  readonly branches: BranchWatcher;
  readonly log: vscode.LogOutputChannel;
  readonly prompts: Prompts;
  readonly probes: Probes;
}

export function createServices(context: vscode.ExtensionContext): Services {
  const log = vscode.window.createOutputChannel('Customer Lens', { log: true });
  const parser = new ParseClient(path.join(context.extensionPath, 'dist', 'loadWorker.js'), (m) => log.warn(m));
  const code = new CodeClient(path.join(context.extensionPath, 'dist', 'codeWorker.js'), (m) => log.warn(m));
  const indexes = new Indexes(parser, code, scanProgress, log);
  const links = new LinkService(indexes);
  const probes = new Probes();
  const branches = new BranchWatcher();
  context.subscriptions.push(log, { dispose: () => parser.dispose() }, { dispose: () => code.dispose() }, indexes, links, branches);
  return { context, indexes, links, branches, log, prompts: new Prompts(probes), probes };
}

/**
 * The first scan of a folder's code shows progress in the Problems view (so the sidebar never
 * looks empty while it loads) and, with counts, in the status bar.
 */
function scanProgress(folder: vscode.WorkspaceFolder, task: (report: (done: number, total: number) => void) => Promise<void>): Thenable<void> {
  return vscode.window.withProgress({ location: { viewId: Views.problems } }, () =>
    vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Customer Lens' }, (progress) => {
      let shown = 0;
      return task((done, total) => {
        // A report per percent at most: thousands of files must not flood the status bar.
        if (total === 0 || done !== total && (done - shown) / total < 0.01) return;
        shown = done;
        progress.report({ message: `indexing code of ${folder.name}: ${done}/${total} files` });
      });
    }));
}

/** What features expose so integration tests can see what VS Code does not let them read. */
export class Probes implements TestHooks {
  readonly answers: (string | undefined)[] = [];
  private readonly decorationsByUri = new Map<string, Record<string, number[]>>();
  statusBarState: { text: string; tooltip: string } | undefined;

  answer(...answers: (string | undefined)[]): void {
    this.answers.push(...answers);
  }

  setDecorations(uri: vscode.Uri, kind: string, lines: number[]): void {
    const key = uri.toString();
    const entry = this.decorationsByUri.get(key) ?? {};
    entry[kind] = lines;
    this.decorationsByUri.set(key, entry);
  }

  decorations(uri: vscode.Uri): Record<string, number[]> {
    return this.decorationsByUri.get(uri.toString()) ?? {};
  }

  statusBar(): { text: string; tooltip: string } | undefined {
    return this.statusBarState;
  }
}

export interface PickItem<T> extends vscode.QuickPickItem {
  value: T;
  /** A stable id tests can answer with (a problem id, a command name). */
  id?: string;
}

/** Quick picks and input boxes; when a test queued answers, they are used instead of the UI. */
export class Prompts {
  constructor(private readonly probes: Probes) {}

  private take(): { answered: true; value: string | undefined } | { answered: false } {
    return this.probes.answers.length > 0 ? { answered: true, value: this.probes.answers.shift() } : { answered: false };
  }

  async pick<T>(items: PickItem<T>[] | Promise<PickItem<T>[]>, options: vscode.QuickPickOptions): Promise<T | undefined> {
    const answer = this.take();
    if (answer.answered) {
      const list = await items;
      if (answer.value === undefined) return undefined;
      const found = list.find((i) => i.id === answer.value || i.label === answer.value);
      if (!found) throw new Error(`Test answer "${answer.value}" matches no item of: ${list.map((i) => i.id ?? i.label).join(', ')}`);
      return found.value;
    }
    const chosen = await vscode.window.showQuickPick(items, options);
    return chosen?.value;
  }

  async input(options: vscode.InputBoxOptions): Promise<string | undefined> {
    const answer = this.take();
    if (answer.answered) {
      if (answer.value !== undefined && options.validateInput) {
        const problem = await options.validateInput(answer.value);
        if (problem) throw new Error(`Test answer "${answer.value}" is invalid: ${typeof problem === 'string' ? problem : problem.message}`);
      }
      return answer.value;
    }
    return vscode.window.showInputBox(options);
  }
}
