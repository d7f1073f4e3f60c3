// "Search Customer Problems…" (customerLens.search): a quick pick on the same search as the view,
// re-searched on every keystroke. Choosing a problem reveals it in the Problems tree and opens it
// in the insights file. The command returns the chosen ProblemRef (undefined when cancelled).
import vscode = require('vscode');
import { Commands } from '../../constants';
import type { PickItem, Services } from '../../services';
import type { ProblemRef } from '../../adapter/problemRefs';
import type { FolderHit, SearchEngine } from './engine';
import { plural } from './present';
import { revealInTree } from './view';

const PICK_LIMIT = 50;
const TITLE = 'Search Customer Problems';
const PLACEHOLDER = 'Search titles, ids, tags, tickets, customers and quotes (typos are fine)';

type ProblemItem = PickItem<ProblemRef>;

function toItem({ folder, index, hit }: FolderHit, multiRoot: boolean): ProblemItem {
  const { problem } = hit;
  const impact = index.impact(problem);
  return {
    id: problem.id,
    label: problem.title,
    description: multiRoot ? `${problem.id} \u00b7 ${folder.folder.name}` : problem.id,
    detail: `${problem.status} \u00b7 ${problem.severity} \u00b7 ${plural(impact.customers, 'customer')}`,
    // The search already filtered: VS Code's own filter must not hide fuzzy (typo) hits.
    alwaysShow: true,
    value: { folder: folder.folder.uri.toString(), id: problem.id },
  };
}

function items(engine: SearchEngine, query: string): ProblemItem[] {
  const multiRoot = engine.isMultiRoot();
  return engine.search(query, undefined, PICK_LIMIT).map((h) => toItem(h, multiRoot));
}

export async function searchCommand(services: Services, engine: SearchEngine): Promise<ProblemRef | undefined> {
  let chosen: ProblemRef | undefined;
  if (services.probes.answers.length > 0) {
    // Integration tests queue answers (api.testHooks.answer(query, id)) instead of typing:
    //   the first answer is the QUERY (undefined cancels), the second chooses a result by problem id
    //   (or by title; undefined cancels), as Prompts.pick does for any other quick pick. With the same
    //   id in two folders, the better-ranked one is chosen.
    const query = await services.prompts.input({ title: TITLE, prompt: PLACEHOLDER });
    if (query === undefined) return undefined;
    chosen = await services.prompts.pick(items(engine, query), { title: TITLE });
  } else {
    chosen = await pickInteractively(engine);
  }
  if (!chosen) return undefined;
  await revealInTree(services, chosen);
  await vscode.commands.executeCommand(Commands.openProblem, chosen);
  return chosen;
}

function pickInteractively(engine: SearchEngine): Promise<ProblemRef | undefined> {
  return new Promise((resolve) => {
    const pick = vscode.window.createQuickPick<ProblemItem>();
    pick.title = TITLE;
    pick.placeholder = PLACEHOLDER;
    // We filter and rank; VS Code only shows. (VS Code still moves items whose label contains the
    // typed text to the top, and orders those among themselves: the stable API has no switch for
    // that yet, microsoft/vscode#73904. Fuzzy-only hits keep our order below them.)
    pick.matchOnDescription = false;
    pick.matchOnDetail = false;
    pick.items = items(engine, '');
    let result: ProblemRef | undefined;
    const subscriptions = [
      pick.onDidChangeValue((value) => {
        pick.items = items(engine, value);
      }),
      pick.onDidAccept(() => {
        const item = pick.selectedItems[0] ?? pick.activeItems[0];
        if (!item) return;
        result = item.value;
        pick.hide();
      }),
      pick.onDidHide(() => {
        for (const s of subscriptions) s.dispose();
        pick.dispose();
        resolve(result);
      }),
    ];
    pick.show();
  });
}
