// The status bar: the problems of the current file, and the problems of the ticket the current
// branch is named after (feature/ACME-881-streaming-export). Clicking lists them.
import vscode = require('vscode');
import { readConfig } from '../../config';
import { Commands } from '../../constants';
import type { Services } from '../../services';
import type { Problem } from '../../core/model';
import { refOf } from '../../adapter/problemRefs';
import type { FolderIndex } from '../../workspace/folderIndex';

export function register(services: Services): vscode.Disposable {
  const { indexes, links, probes, branches } = services;
  const item = vscode.window.createStatusBarItem('customerLens.status', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Customer Lens';
  let updating = 0;

  const update = async () => {
    const run = ++updating;
    const editor = vscode.window.activeTextEditor;
    const uri = editor?.document.uri;
    const folder: FolderIndex | undefined = uri ? indexes.forUri(uri) : indexes.all().find((f) => f.index);
    const index = folder?.index;
    if (!folder || !index || !readConfig(uri ?? folder.folder.uri).statusBarEnabled) return hide(run);
    const fileProblems = editor ? (await links.linksFor(editor.document))?.links.problems() ?? [] : [];
    const branch = branches.branch(uri ?? folder.folder.uri);
    const ticket = branch ? index.findTicketKeys(branch)[0]?.key : undefined;
    const ticketProblems = ticket ? index.problemsForTicket(ticket) : [];
    if (run !== updating) return;
    if (fileProblems.length === 0 && ticketProblems.length === 0) return hide(run);
    const parts: string[] = [];
    if (fileProblems.length > 0) parts.push(`$(lightbulb) ${fileProblems[0].id}${fileProblems.length > 1 ? ` +${fileProblems.length - 1}` : ''}`);
    if (ticket) parts.push(`$(git-branch) ${ticket}${ticketProblems.length > 0 ? ` \u2192 ${ticketProblems.map((p) => p.id).join(', ')}` : ''}`);
    const tooltip = [
      ...(fileProblems.length > 0 ? ['This file solves:', ...fileProblems.map((p) => `  ${p.id}: ${p.title}`)] : []),
      ...(ticket ? [`Branch ${branch} works on ${ticket}:`, ...(ticketProblems.length > 0 ? ticketProblems.map((p) => `  ${p.id}: ${p.title}`) : ['  no problem lists this ticket yet'])] : []),
    ].join('\n');
    const all: Problem[] = index.rank([...new Set([...fileProblems, ...ticketProblems])]);
    item.text = parts.join('  ');
    item.tooltip = tooltip;
    item.command = { title: 'Show customer problems', command: Commands.showProblems, arguments: [all.map((p) => refOf(folder, p))] };
    item.show();
    probes.statusBarState = { text: item.text, tooltip };
  };
  const hide = (run: number) => {
    if (run !== updating) return;
    item.hide();
    probes.statusBarState = undefined;
  };
  const refresh = () => void update();

  return vscode.Disposable.from(
    item,
    vscode.window.onDidChangeActiveTextEditor(refresh),
    indexes.onDidChange(refresh),
    branches.onDidChange(refresh),
    vscode.workspace.onDidChangeTextDocument((e) => e.document === vscode.window.activeTextEditor?.document && e.contentChanges.length > 0 && refresh()),
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('customerLens') && refresh()),
  );
}
