// Internal commands behind hover links, CodeLens and tree items: open a problem at its place in
// the insights file, list problems, show all code of a problem, open a ticket.
import vscode = require('vscode');
import { Commands } from '../../constants';
import type { Services, PickItem } from '../../services';
import { fileUri, toRange } from '../../adapter/convert';
import { isProblemRef, resolveRef } from '../../adapter/problemRefs';
import type { ProblemRef } from '../../adapter/problemRefs';
import { problemCode } from '../../workspace/problemCode';
import type { CodeLink } from '../../workspace/problemCode';

export function register(services: Services): vscode.Disposable {
  const { indexes, prompts } = services;

  const openProblem = async (ref: unknown) => {
    const found = resolveRef(indexes, ref);
    if (!found) return void vscode.window.showWarningMessage('Customer Lens: that problem is no longer in the insights files.');
    const uri = fileUri(found.folder.folder.uri, found.problem.file);
    const range = toRange(found.problem.idSpan);
    await vscode.window.showTextDocument(uri, { selection: range, preview: false });
  };

  const showProblems = async (refs: unknown) => {
    const list = (Array.isArray(refs) ? refs : []).filter(isProblemRef).map((r) => resolveRef(indexes, r)).filter((r) => !!r);
    if (list.length === 0) return;
    if (list.length === 1) return openProblem({ folder: list[0].folder.folder.uri.toString(), id: list[0].problem.id });
    const items: PickItem<ProblemRef>[] = list.map(({ folder, index, problem }) => {
      const impact = index.impact(problem);
      return {
        id: problem.id, label: problem.title, description: problem.id,
        detail: `${problem.status} \u00b7 ${problem.severity} \u00b7 ${impact.customers} customers \u00b7 ${impact.tickets} tickets`,
        value: { folder: folder.folder.uri.toString(), id: problem.id },
      };
    });
    const chosen = await prompts.pick(items, { title: 'Customer problems this code solves', placeHolder: 'Open a problem' });
    if (chosen) await openProblem(chosen);
  };

  /** Every place of code linked to a problem (anchors, tags, ticket mentions); from the palette, a problem is asked for. */
  const showProblemCode = async (ref: unknown) => {
    const found = resolveRef(indexes, ref ?? await pickProblemRef());
    if (!found) return;
    const code = await problemCode(indexes, found.folder, found.problem);
    if (code.links.length === 0) {
      const why = code.lost.length > 0 ? ` Its ${code.lost.length === 1 ? 'anchor is' : `${code.lost.length} anchors are`} lost.` : '';
      const still = code.complete ? '' : ' (the code is still being scanned for tags)';
      return void vscode.window.showInformationMessage(`Customer Lens: no code is linked to ${found.problem.id} yet${still}.${why} Select code and run "Link Selection to Customer Problem…".`);
    }
    const items: PickItem<CodeLink>[] = code.links.map((l) => ({
      id: `${vscode.workspace.asRelativePath(l.uri, false)}:${l.range.start.line + 1}`,
      label: `$(${l.kind === 'tag' ? 'tag' : l.kind === 'ticket' ? 'issues' : 'file-code'}) ${vscode.workspace.asRelativePath(l.uri, false)}${l.kind === 'path' ? '' : `:${l.range.start.line + 1}`}`,
      description: [l.what, l.resolved?.status === 'moved' ? '(moved)' : ''].filter(Boolean).join(' '),
      detail: l.resolved?.anchor.note,
      value: l,
    }));
    const chosen = await prompts.pick(items, { title: `Code for ${found.problem.id}: ${found.problem.title}`, matchOnDescription: true });
    if (chosen) await vscode.window.showTextDocument(chosen.uri, { selection: new vscode.Range(chosen.range.start, chosen.range.start) });
  };

  const pickProblemRef = async (): Promise<ProblemRef | undefined> => {
    const items: PickItem<ProblemRef>[] = indexes.all().flatMap((folder) => (folder.index?.problems ?? []).map((p) => ({
      id: p.id, label: p.title, description: p.id, detail: `${p.status} \u00b7 ${p.severity}`,
      value: { folder: folder.folder.uri.toString(), id: p.id },
    })));
    if (items.length === 0) return void vscode.window.showWarningMessage('Customer Lens: no insights file in this workspace yet.');
    return prompts.pick(items, { title: 'Show all code of which customer problem?', matchOnDescription: true });
  };

  const openTicket = async (url: unknown) => {
    if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) return;
    await vscode.env.openExternal(vscode.Uri.parse(url, true));
  };

  const openLocation = async (uri: unknown, line: unknown) => {
    if (typeof uri !== 'string') return;
    const position = new vscode.Position(typeof line === 'number' && line >= 0 ? line : 0, 0);
    await vscode.window.showTextDocument(vscode.Uri.parse(uri, true), { selection: new vscode.Range(position, position) });
  };

  return vscode.Disposable.from(
    vscode.commands.registerCommand(Commands.openProblem, openProblem),
    vscode.commands.registerCommand(Commands.showProblems, showProblems),
    vscode.commands.registerCommand(Commands.showProblemCode, showProblemCode),
    vscode.commands.registerCommand(Commands.openTicket, openTicket),
    vscode.commands.registerCommand(Commands.openLocation, openLocation),
  );
}
