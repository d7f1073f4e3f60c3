// Linking from the command palette: link the selection or a ticket to a problem, create problems,
// add evidence, remove links. Every change to an insights file is a WorkspaceEdit on its text
// document (undoable, works on unsaved buffers) computed by the core edit engine, which changes
// only the lines it adds or the span it replaces.
import vscode = require('vscode');
import { readConfig } from '../../config';
import { Commands } from '../../constants';
import type { PickItem, Services } from '../../services';
import type { Problem } from '../../core/model';
import { EVIDENCE_KINDS, ID_PATTERN, SEVERITIES } from '../../core/model';
import { addAnchor, addEvidence, addProblem, addTicket, removeAnchor, suggestProblemId } from '../../core/edit';
import type { EditResult } from '../../core/edit';
import { isValidDate, isWebUrl } from '../../core/parse';
import { isoDate } from '../../core/dates';
import { ProblemSearch } from '../../core/search';
import { relativePath, toRange } from '../../adapter/convert';
import { resolveRef } from '../../adapter/problemRefs';
import type { FolderIndex } from '../../workspace/folderIndex';
import { insightsFilesByNearness, pathFromInsights, symbolAtSelection, whyCommentLine, whyCommentTarget } from './targets';

const NEW_PROBLEM = 'new';

export function register(services: Services): vscode.Disposable {
  const { indexes, prompts, log, branches } = services;

  /** The folder of the active editor, or the only / chosen folder with insights. */
  const pickFolder = async (uri?: vscode.Uri): Promise<FolderIndex | undefined> => {
    const fromUri = uri && indexes.forUri(uri);
    if (fromUri) return fromUri;
    const folders = indexes.all();
    if (folders.length <= 1) return folders[0];
    return prompts.pick(folders.map((f) => ({ label: f.folder.name, id: f.folder.name, value: f })), { title: 'Which workspace folder?' });
  };

  /** A problem by fuzzy search, ordered by impact, with "New problem…" first when allowed. */
  const pickProblem = async (folder: FolderIndex, title: string, allowNew: boolean): Promise<Problem | typeof NEW_PROBLEM | undefined> => {
    const index = folder.index;
    if (!index) return allowNew ? NEW_PROBLEM : undefined;
    const toItem = (p: Problem): PickItem<Problem> => {
      const impact = index.impact(p);
      return { id: p.id, label: p.title, description: p.id, detail: `${p.status} \u00b7 ${p.severity} \u00b7 ${impact.customers} customers`, value: p, alwaysShow: true };
    };
    const newItem: PickItem<Problem | typeof NEW_PROBLEM> = { id: NEW_PROBLEM, label: '$(add) New problem\u2026', value: NEW_PROBLEM, alwaysShow: true };
    const head = allowNew ? [newItem] : [];
    if (services.probes.answers.length > 0) return prompts.pick<Problem | typeof NEW_PROBLEM>([...head, ...index.problems.map(toItem)], { title });
    // Interactive: our own fuzzy search (typos, partial words) instead of the quick pick's filter.
    const search = new ProblemSearch(index);
    const qp = vscode.window.createQuickPick<PickItem<Problem | typeof NEW_PROBLEM>>();
    qp.title = title;
    qp.placeholder = 'Search customer problems (typos are fine)';
    qp.matchOnDescription = false;
    qp.items = [...head, ...index.problems.map(toItem)];
    qp.onDidChangeValue((q) => {
      qp.items = [...head, ...search.search(q, { limit: 50 }).map((h) => toItem(h.problem))];
    });
    return new Promise((resolve) => {
      let done = false;
      qp.onDidAccept(() => {
        done = true;
        resolve(qp.selectedItems[0]?.value);
        qp.hide();
      });
      qp.onDidHide(() => {
        if (!done) resolve(undefined);
        qp.dispose();
      });
      qp.show();
    });
  };

  /** Applies an edit result to an insights file's document, reporting what happened. */
  const apply = async (uri: vscode.Uri, compute: (text: string) => EditResult, opened?: vscode.TextDocument): Promise<boolean> => {
    const document = opened ?? await vscode.workspace.openTextDocument(uri);
    const result = compute(document.getText());
    if (!result.ok) {
      // Not awaited: a notification's promise settles only when the user closes it, and the
      // command (and whatever awaits it) must not wait for that.
      const open = 'Open at the problem';
      const span = result.span;
      void vscode.window.showErrorMessage(`Customer Lens did not change ${vscode.workspace.asRelativePath(uri)}: ${result.reason}`, ...(span ? [open] : []))
        .then((choice) => (choice === open && span ? vscode.window.showTextDocument(document, { selection: toRange(span) }) : undefined));
      return false;
    }
    if (result.alreadyLinked) {
      void vscode.window.showInformationMessage(`Customer Lens: ${result.message} Nothing changed.`);
      return false;
    }
    const edit = new vscode.WorkspaceEdit();
    for (const e of result.edits) edit.replace(uri, new vscode.Range(document.positionAt(e.start), document.positionAt(e.end)), e.newText);
    if (!(await vscode.workspace.applyEdit(edit))) {
      void vscode.window.showErrorMessage('Customer Lens could not edit the insights file (it changed meanwhile?). Try again.');
      return false;
    }
    if (readConfig(uri).saveAfterEdit) await document.save();
    void vscode.window.setStatusBarMessage(`$(check) ${result.message}`, 4000);
    log.info(result.message);
    return true;
  };

  const problemFile = (folder: FolderIndex, problem: Problem) => folder.insightsFiles.find((u) => relativePath(folder.folder.uri, u) === problem.file);

  const newProblem = async (folderArg?: FolderIndex, codeFile?: string): Promise<{ folder: FolderIndex; id: string; file: vscode.Uri } | undefined> => {
    const folder = folderArg ?? await pickFolder(vscode.window.activeTextEditor?.document.uri);
    if (!folder) return void vscode.window.showWarningMessage('Customer Lens: open a folder with a customer-insights.yaml first.');
    const candidates = insightsFilesByNearness(folder, codeFile);
    if (candidates.length === 0) {
      await vscode.commands.executeCommand(Commands.createInsightsFile);
      return undefined;
    }
    const target = candidates.length === 1 ? candidates[0] : await prompts.pick(
      candidates.map((u, i) => ({ label: vscode.workspace.asRelativePath(u), id: relativePath(folder.folder.uri, u), description: i === 0 ? 'nearest' : undefined, value: u })),
      { title: 'Add the problem to which insights file?' },
    );
    if (!target) return undefined;
    const ids = folder.index?.problems.map((p) => p.id) ?? [];
    const id = await prompts.input({
      title: 'New customer problem (1/4): id', value: suggestProblemId(ids), prompt: 'Letters, digits, ".", "_" and "-", starting with a letter',
      validateInput: (v) => (!ID_PATTERN.test(v) ? 'Start with a letter; use letters, digits, ".", "_" and "-".' : ids.includes(v) ? `${v} is taken.` : undefined),
    });
    if (!id) return undefined;
    const title = await prompts.input({ title: 'New customer problem (2/4): title', prompt: 'The problem in the customer\'s words', validateInput: (v) => (v.trim() ? undefined : 'A title is required.') });
    if (!title) return undefined;
    const severity = await prompts.pick(SEVERITIES.map((s) => ({ label: s, id: s, value: s, picked: s === 'medium' })), { title: 'New customer problem (3/4): severity' });
    if (!severity) return undefined;
    const personas = await pickPersonas(folder);
    if (personas === undefined) return undefined;
    const ok = await apply(target, (text) => addProblem(text, { id, title: title.trim(), severity, personas }));
    if (!ok) return undefined;
    // Show it: the new problem is the last item of the file's problems.
    const document = await vscode.workspace.openTextDocument(target);
    const at = document.getText().lastIndexOf(`id: ${id}`);
    await vscode.window.showTextDocument(document, { selection: at >= 0 ? new vscode.Range(document.positionAt(at), document.positionAt(at + 4 + id.length)) : undefined, preview: false });
    return { folder, id, file: target };
  };

  const pickPersonas = async (folder: FolderIndex): Promise<string[] | undefined> => {
    const personas = folder.index?.personas ?? [];
    if (personas.length === 0) return [];
    if (services.probes.answers.length > 0) {
      const answer = await prompts.input({ title: 'Personas (comma-separated ids)' });
      return answer === undefined ? undefined : answer.split(',').map((s) => s.trim()).filter(Boolean);
    }
    const chosen = await vscode.window.showQuickPick(
      personas.map((p) => ({ label: p.name, description: p.id, id: p.id })),
      { title: 'New customer problem (4/4): who has it?', canPickMany: true },
    );
    return chosen?.map((c) => c.id);
  };

  const linkSelection = async (problemRef?: unknown) => {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return void vscode.window.showWarningMessage('Customer Lens: select the code to link first.');
    const { document, selection } = editor;
    const folder = indexes.forUri(document.uri);
    const codeFile = folder && relativePath(folder.folder.uri, document.uri);
    if (!folder || codeFile === undefined) return void vscode.window.showWarningMessage('Customer Lens: this file is outside the workspace folders.');
    if (folder.isInsightsFile(document.uri)) return void vscode.window.showWarningMessage('Customer Lens: select code in a source file, not in the insights file.');
    let problem: Problem | typeof NEW_PROBLEM | undefined = resolveRef(indexes, problemRef)?.problem;
    problem ??= await pickProblem(folder, 'Link the selection to which customer problem?', true);
    if (!problem) return;
    if (problem === NEW_PROBLEM) {
      const created = await newProblem(folder, codeFile);
      if (!created) return;
      await indexes.whenIdle();
      problem = folder.index?.problem(created.id);
      await vscode.window.showTextDocument(document, { selection });
      if (!problem) return;
    }
    const config = readConfig(document.uri);
    const symbols = (await indexes.code.syntax(codeFile, document.getText()))?.symbols;
    const comment = whyCommentTarget(document, selection, symbols, firstNonBlankLine(document, selection));
    let mode = config.linkMode;
    if (mode === 'ask') {
      const answer = await prompts.pick([
        { label: '$(file-code) Write an anchor into the insights file', id: 'anchor', value: 'anchor' as const, detail: 'The code stays as it is; the link follows the code when it moves.' },
        { label: `$(comment) Insert a ${config.whyTag} comment in the code`, id: 'comment', value: 'comment' as const, detail: `Adds "${config.whyTag} ${problem.id}" above ${coverage(comment.covers)}, linking ${comment.covers.declaration ? 'the whole declaration' : 'that line only'}.` },
      ], { title: `Link to ${problem.id}: how?` });
      if (!answer) return;
      mode = answer;
    }
    if (mode === 'comment') return insertWhyComment(editor, config.whyTag, problem, comment);
    const target = problemFile(folder, problem);
    if (!target) return;
    const path = pathFromInsights(folder, target, codeFile);
    const symbol = symbolAtSelection(document, selection, symbols)?.path;
    const startLine = firstNonBlankLine(document, selection);
    const endLine = selection.isEmpty ? startLine : lastSelectedLine(selection);
    const anchor = symbol
      ? { path, symbol }
      : { path, lines: { start: startLine + 1, end: Math.max(startLine, endLine) + 1 }, text: document.lineAt(startLine).text.trim() || undefined };
    await apply(target, (text) => addAnchor(text, problem.id, anchor, { parsed: folder.parsedFrom(target, text) }));
  };

  const insertWhyComment = async (editor: vscode.TextEditor, tag: string, problem: Problem, target: ReturnType<typeof whyCommentTarget>) => {
    const { line } = target;
    const above = line > 0 ? editor.document.lineAt(line - 1).text : '';
    if (new RegExp(`${escapeRegex(tag)}\\b[^\\n]*\\b${escapeRegex(problem.id)}\\b`).test(above)) {
      return void vscode.window.showInformationMessage(`Customer Lens: this code already says ${tag} ${problem.id}. Nothing changed.`);
    }
    const text = whyCommentLine(editor.document, line, tag, problem.id);
    const eol = editor.document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
    const edit = new vscode.WorkspaceEdit();
    edit.insert(editor.document.uri, new vscode.Position(line, 0), `${text}${eol}`);
    if (!await vscode.workspace.applyEdit(edit)) return;
    // Say what the tag now covers (its lines moved down by the inserted one).
    const { covers } = target;
    void vscode.window.setStatusBarMessage(`Customer Lens: linked ${coverage({ ...covers, startLine: covers.startLine + 1, endLine: covers.endLine + 1 })} to ${problem.id}`, 5000);
  };

  const linkTicket = async (problemRef?: unknown) => {
    const folder = await pickFolder(vscode.window.activeTextEditor?.document.uri);
    const index = folder?.index;
    if (!folder || !index) return void vscode.window.showWarningMessage('Customer Lens: no insights file in this workspace yet.');
    const branch = branches.branch(vscode.window.activeTextEditor?.document.uri ?? folder.folder.uri);
    const fromBranch = branch ? index.findTicketKeys(branch)[0]?.key : undefined;
    const key = (await prompts.input({
      title: 'Link ticket: key', value: fromBranch, prompt: fromBranch ? `From the branch ${branch}` : 'A ticket key such as ACME-881, or a URL',
      validateInput: (v) => (/^\S+$/.test(v.trim()) ? undefined : 'One ticket key or URL, without spaces.'),
    }))?.trim();
    if (!key) return;
    if (!/^https?:\/\//.test(key) && !index.ticketLink(key)) {
      const add = 'Add anyway';
      const choice = services.probes.answers.length > 0 ? await prompts.input({ title: 'Unrecognised ticket: add anyway?' }) === add
        : await vscode.window.showWarningMessage(`No tracker recognises "${key}", so it will not be linked. Add it anyway?`, { modal: true }, add) === add;
      if (!choice) return;
    }
    const chosen = resolveRef(indexes, problemRef)?.problem ?? await pickProblem(folder, `Link ${key} to which customer problem?`, false);
    if (!chosen || chosen === NEW_PROBLEM) return;
    const target = problemFile(folder, chosen);
    if (target) await apply(target, (text) => addTicket(text, chosen.id, key, { parsed: folder!.parsedFrom(target, text) }));
  };

  const addEvidenceCommand = async (problemRef?: unknown) => {
    const folder = await pickFolder(vscode.window.activeTextEditor?.document.uri);
    const index = folder?.index;
    if (!folder || !index) return void vscode.window.showWarningMessage('Customer Lens: no insights file in this workspace yet.');
    const chosen = resolveRef(indexes, problemRef)?.problem ?? await pickProblem(folder, 'Add evidence to which customer problem?', false);
    if (!chosen || chosen === NEW_PROBLEM) return;
    const kind = await prompts.pick(EVIDENCE_KINDS.map((k) => ({
      label: k, id: k, value: k, description: k === 'field-study' || k === 'usage-data' ? 'observed' : 'said',
    })), { title: `Evidence for ${chosen.id} (1/5): where does it come from?` });
    if (!kind) return;
    const text = await prompts.input({ title: `Evidence for ${chosen.id} (2/5): quote or summary`, prompt: 'Put a customer\'s words in "quotes"; anything else is a summary', validateInput: (v) => (v.trim() ? undefined : 'Write what was said or seen.') });
    if (!text) return;
    const customers = index.customers;
    const customer = await prompts.input({
      title: `Evidence for ${chosen.id} (3/5): customer (optional)`,
      prompt: customers.length > 0 ? `A customer id (${customers.slice(0, 5).map((c) => c.id).join(', ')}…) or free text` : 'Free text',
    });
    if (customer === undefined) return;
    const date = await prompts.input({ title: `Evidence for ${chosen.id} (4/5): date`, value: isoDate(new Date()), validateInput: (v) => (isValidDate(v) ? undefined : 'Write the date as YYYY-MM-DD.') });
    if (!date) return;
    const url = await prompts.input({ title: `Evidence for ${chosen.id} (5/5): link (optional)`, validateInput: (v) => (!v || isWebUrl(v) ? undefined : 'A link starts with https:// or http://.') });
    if (url === undefined) return;
    const trimmed = text.trim();
    const quoted = /^["\u201c].*["\u201d]$/s.test(trimmed);
    const target = problemFile(folder, chosen);
    if (!target) return;
    await apply(target, (t) => addEvidence(t, chosen.id, {
      kind, date, url: url || undefined, customer: customer.trim() || undefined,
      ...(quoted ? { quote: trimmed.slice(1, -1) } : { summary: trimmed }),
    }, { parsed: folder!.parsedFrom(target, t) }));
  };

  const removeLink = async (arg?: unknown) => {
    // From the tree: a code-link node; from a CodeLens: a list of {folder, id, anchorIndex}.
    const node = arg as { kind?: string; parent?: { folder: FolderIndex; problem: Problem }; anchorIndex?: number } | undefined;
    let folder: FolderIndex | undefined;
    let problem: Problem | undefined;
    let anchorIndex: number | undefined;
    if (node?.kind === 'detail' && node.parent && typeof node.anchorIndex === 'number') {
      ({ folder, problem } = node.parent);
      anchorIndex = node.anchorIndex;
    } else if (Array.isArray(arg)) {
      const links = arg
        .map((a: { anchorIndex?: unknown }) => ({ found: resolveRef(indexes, a), anchorIndex: a?.anchorIndex }))
        .filter((l): l is { found: NonNullable<typeof l.found>; anchorIndex: number } => !!l.found && typeof l.anchorIndex === 'number');
      const chosen = links.length <= 1 ? links[0] : await prompts.pick(
        links.map((l) => ({ label: l.found.problem.title, id: l.found.problem.id, description: l.found.problem.id, value: l })),
        { title: 'Remove the link to which problem?' },
      );
      folder = chosen?.found.folder;
      problem = chosen?.found.problem;
      anchorIndex = chosen?.anchorIndex;
    }
    if (!folder || !problem || anchorIndex === undefined || !problem.code[anchorIndex]) return;
    const anchor = problem.code[anchorIndex];
    const target = problemFile(folder, problem);
    if (!target) return;
    const what = anchor.symbol ?? (anchor.lines ? `${anchor.written}:${anchor.lines.start}` : anchor.written);
    const confirm = services.probes.answers.length > 0 ? (await prompts.input({ title: 'Confirm removal' })) === 'Remove'
      : (await vscode.window.showWarningMessage(`Remove the link from ${problem.id} to ${what}?`, { modal: true }, 'Remove')) === 'Remove';
    if (!confirm) return;
    const id = problem.id;
    await apply(target, (text) => removeAnchor(text, id, anchorIndex!, { parsed: folder!.parsedFrom(target, text) }));
  };

  // Every command reads the folders' indexes: first wait for loads in flight. Right after start-up
  // the first load may not be done, and without an index Link Selection took the folder for one
  // without insights files and went on to "Create Insights File".
  const afterLoad = <A extends unknown[]>(command: (...args: A) => Promise<unknown>) => async (...args: A) => {
    await indexes.whenIdle();
    return command(...args);
  };

  return vscode.Disposable.from(
    vscode.commands.registerCommand(Commands.linkSelection, afterLoad(() => linkSelection())),
    vscode.commands.registerCommand(Commands.linkSelectionHere, afterLoad((node: { kind?: string; folder?: FolderIndex; problem?: Problem }) =>
      linkSelection(node?.kind === 'problem' && node.folder && node.problem ? { folder: node.folder.folder.uri.toString(), id: node.problem.id } : node))),
    vscode.commands.registerCommand(Commands.linkTicket, afterLoad(linkTicket)),
    vscode.commands.registerCommand(Commands.newProblem, afterLoad(() => newProblem())),
    vscode.commands.registerCommand(Commands.addEvidence, afterLoad(addEvidenceCommand)),
    vscode.commands.registerCommand(Commands.removeLink, afterLoad(removeLink)),
  );
}

function firstNonBlankLine(document: vscode.TextDocument, selection: vscode.Selection): number {
  const last = lastSelectedLine(selection);
  for (let l = selection.start.line; l <= last; l++) if (!document.lineAt(l).isEmptyOrWhitespace) return l;
  return selection.start.line;
}

/** A selection ending at column 0 of a line does not include that line. */
function lastSelectedLine(selection: vscode.Selection): number {
  return selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line - 1 : selection.end.line;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** "CsvWriter.flush (lines 12-30)" or "line 12", 1-based, for messages. */
function coverage(covers: { startLine: number; endLine: number; declaration?: string }): string {
  const lines = covers.endLine > covers.startLine ? `lines ${covers.startLine + 1}-${covers.endLine + 1}` : `line ${covers.startLine + 1}`;
  return covers.declaration ? `${covers.declaration} (${lines})` : lines;
}
