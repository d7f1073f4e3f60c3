// The Search view: a webview in the Customer Lens sidebar with a search box, filters, results that
// update on every keystroke, and the card of the selected problem. The page (media/search/) only
// renders; every search runs here, on SearchEngine. Messages are described in ./protocol.ts.
import { randomBytes } from 'node:crypto';
import vscode = require('vscode');
import { Commands } from '../../constants';
import type { Services } from '../../services';
import { resolveRef } from '../../adapter/problemRefs';
import type { ProblemRef } from '../../adapter/problemRefs';
import { SEVERITIES, STATUSES } from '../../core/model';
import type { SearchEngine } from './engine';
import { cardData, resultItem } from './present';
import { parseViewMessage } from './protocol';
import type { Facets, HostMessage, ViewMessage } from './protocol';

/** Results sent per query; one more is searched to tell whether there are more. */
export const VIEW_RESULT_LIMIT = 100;
/** Index changes are passed on to the page at most this often. */
const REFRESH_DEBOUNCE_MS = 100;

export class SearchViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private viewSubscriptions: vscode.Disposable[] = [];
  private readonly subscriptions: vscode.Disposable[] = [];
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(private readonly services: Services, private readonly engine: SearchEngine) {
    this.subscriptions.push(services.indexes.onDidChange(() => this.scheduleRefresh()));
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    this.disposeView();
    for (const s of this.subscriptions) s.dispose();
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.disposeView();
    this.view = view;
    const media = vscode.Uri.joinPath(this.services.context.extensionUri, 'media');
    // The page (with its content security policy) before the options: options first would render
    // the empty page without a policy, and VS Code warns about it.
    view.webview.html = this.html(view.webview, media);
    view.webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [media] };
    this.viewSubscriptions.push(
      view.webview.onDidReceiveMessage((raw) => void this.onMessage(raw)),
      view.onDidDispose(() => {
        if (this.view === view) this.disposeView();
      }),
    );
  }

  private disposeView(): void {
    for (const s of this.viewSubscriptions) s.dispose();
    this.viewSubscriptions = [];
    this.view = undefined;
  }

  private post(message: HostMessage): void {
    void this.view?.webview.postMessage(message).then(undefined, () => undefined);
  }

  private scheduleRefresh(): void {
    if (!this.view) return;
    clearTimeout(this.refreshTimer);
    // The page answers new facets by querying again and asking for its card again.
    this.refreshTimer = setTimeout(() => this.post({ type: 'facets', facets: this.facets() }), REFRESH_DEBOUNCE_MS);
  }

  private facets(): Facets {
    const folders = this.engine.folders();
    return {
      statuses: STATUSES,
      severities: SEVERITIES,
      personas: this.engine.personas(),
      multiRoot: folders.length > 1,
      empty: folders.length === 0,
    };
  }

  private async onMessage(raw: unknown): Promise<void> {
    const message = parseViewMessage(raw);
    if (!message) {
      this.services.log.warn(`Search view: ignored a malformed message: ${safeDescribe(raw)}`);
      return;
    }
    try {
      await this.handle(message);
    } catch (e) {
      this.services.log.error(`Search view: ${message.type} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async handle(message: ViewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.post({ type: 'facets', facets: this.facets() });
        return;
      case 'query': {
        const multiRoot = this.engine.isMultiRoot();
        const hits = this.engine.search(message.query, message.filter, VIEW_RESULT_LIMIT + 1);
        this.post({
          type: 'results',
          seq: message.seq,
          query: message.query,
          items: hits.slice(0, VIEW_RESULT_LIMIT).map((h) => resultItem(h, multiRoot)),
          more: hits.length > VIEW_RESULT_LIMIT,
        });
        return;
      }
      case 'card':
        this.postCard(message.ref);
        return;
      case 'reveal':
        this.postCard(message.ref);
        await revealInTree(this.services, message.ref);
        return;
      case 'openInFile':
        await vscode.commands.executeCommand(Commands.openProblem, message.ref);
        return;
      case 'openTicket': {
        const found = resolveRef(this.services.indexes, message.ref);
        // Only a ticket the problem lists, through the link its tracker gives.
        const ticket = found?.problem.tickets.find((t) => t.value === message.ticket);
        const url = ticket && found ? found.index.ticketLink(ticket.value) : undefined;
        if (url) await vscode.commands.executeCommand(Commands.openTicket, url);
        return;
      }
    }
  }

  private postCard(ref: ProblemRef): void {
    const found = resolveRef(this.services.indexes, ref);
    this.post({ type: 'card', card: found ? cardData(found.folder, found.index, found.problem, this.engine.isMultiRoot()) : null });
  }

  private html(webview: vscode.Webview, media: vscode.Uri): string {
    // A fresh nonce for every page we render.
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(media, 'search', 'search.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(media, 'search', 'search.css'));
    const csp = [
      "default-src 'none'",
      `style-src ${webview.cspSource} 'nonce-${nonce}'`,
      `script-src 'nonce-${nonce}'`,
      `img-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}" nonce="${nonce}">
<title>Search Customer Problems</title>
</head>
<body>
<main class="search">
  <div class="search-header">
    <div class="search-box">
      <label for="query" class="visually-hidden">Search customer problems</label>
      <input id="query" type="text" role="combobox" aria-autocomplete="list" aria-expanded="false" aria-controls="results"
        aria-describedby="count" autocomplete="off" spellcheck="false" maxlength="200"
        placeholder="Search problems (typos are fine)">
    </div>
    <div class="filters" role="group" aria-label="Filters">
      <label class="filter"><span class="visually-hidden">Filter by status</span>
        <select id="filter-status"><option value="">Status</option></select></label>
      <label class="filter"><span class="visually-hidden">Filter by severity</span>
        <select id="filter-severity"><option value="">Severity</option></select></label>
      <label class="filter"><span class="visually-hidden">Filter by persona</span>
        <select id="filter-persona"><option value="">Persona</option></select></label>
    </div>
    <div id="count" class="count" aria-hidden="true"></div>
  </div>
  <div id="announce" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true"></div>
  <ul id="results" class="results" role="listbox" aria-label="Customer problems"></ul>
  <section id="card" class="card" aria-label="Selected problem" hidden></section>
</main>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
  }
}

/** Reveals a problem in the Problems tree (the tree feature owns that command). */
export async function revealInTree(services: Services, ref: ProblemRef): Promise<void> {
  try {
    await vscode.commands.executeCommand(Commands.revealProblem, ref);
  } catch (e) {
    services.log.warn(`Could not reveal ${ref.id} in the Problems view: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function safeDescribe(raw: unknown): string {
  try {
    return JSON.stringify(raw)?.slice(0, 200) ?? String(raw);
  } catch {
    return typeof raw;
  }
}
