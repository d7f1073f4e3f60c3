// Search: the Search view in the Customer Lens sidebar, the palette's "Search Customer Problems…",
// and customerLens.searchQuery, a hidden command tests use to check ranking through the real host.
// All three run the same SearchEngine (one cached ProblemSearch per folder and index generation).
import vscode = require('vscode');
import { Commands, Views } from '../../constants';
import type { Services } from '../../services';
import { SearchEngine } from './engine';
import { SEARCH_QUERY_COMMAND } from './ids';
import type { SearchQueryResult } from './ids';
import { MAX_QUERY_LENGTH, parseFilter } from './protocol';
import { searchCommand } from './quickPick';
import { SearchViewProvider } from './view';

const QUERY_LIMIT_DEFAULT = 50;
const QUERY_LIMIT_MAX = 1000;

export function register(services: Services): vscode.Disposable {
  const engine = new SearchEngine(services.indexes);
  const provider = new SearchViewProvider(services, engine);

  const searchQuery = async (query: unknown, filter?: unknown, limit?: unknown): Promise<SearchQueryResult[]> => {
    if (typeof query !== 'string' || query.length > MAX_QUERY_LENGTH) throw new Error(`${SEARCH_QUERY_COMMAND}: the query must be a string of at most ${MAX_QUERY_LENGTH} characters`);
    const parsed = parseFilter(filter);
    if (!parsed) throw new Error(`${SEARCH_QUERY_COMMAND}: the filter must be { statuses?, severities?, personas? } with known values`);
    const max = typeof limit === 'number' && Number.isInteger(limit) && limit > 0 ? Math.min(limit, QUERY_LIMIT_MAX) : QUERY_LIMIT_DEFAULT;
    await services.indexes.whenIdle();
    return engine.search(query, parsed, max).map(({ folder, hit }) => ({
      folder: folder.folder.uri.toString(),
      id: hit.problem.id,
      title: hit.problem.title,
      score: hit.score,
    }));
  };

  return vscode.Disposable.from(
    provider,
    vscode.window.registerWebviewViewProvider(Views.search, provider, { webviewOptions: { retainContextWhenHidden: false } }),
    vscode.commands.registerCommand(Commands.search, () => searchCommand(services, engine)),
    vscode.commands.registerCommand(SEARCH_QUERY_COMMAND, searchQuery),
  );
}
