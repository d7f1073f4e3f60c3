// Writing examples/acme-shop/customer-insights.yaml by hand, through VS Code's own commands: quick
// fixes on the checker's findings (vscode.executeCodeActionProvider), completions
// (vscode.executeCompletionItemProvider), Go to Definition of persona and customer ids, document
// links on anchor paths and ticket keys, and the outline (vscode.executeDocumentSymbolProvider).
//
// Misspellings are written into unsaved buffers and undone afterwards; the files on disk are guarded.
import * as assert from 'assert';
import * as vscode from 'vscode';
import {
  activateApi, assertFilesUnchanged, checkFilesOnDisk, describeDiagnostics, disableAutoSave, editBuffer, fileIn, guardFiles,
  INSIGHTS_FILE, lensDiagnostics, lineExactly, lineOf, positionOf, requireFolder, restoreAllBuffers, restoreDocument, waitFor,
} from './helpers';

const labelOf = (item: vscode.CompletionItem) => (typeof item.label === 'string' ? item.label : item.label.label);

async function completionsAt(uri: vscode.Uri, position: vscode.Position, trigger?: string): Promise<vscode.CompletionItem[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, position, trigger);
  return list?.items ?? [];
}

const titles = (actions: readonly vscode.CodeAction[]) => actions.map((a) => `${a.isPreferred ? '*' : ''}${a.title}`).join(' | ') || 'none';

/**
 * The quick fixes at a diagnostic's range. VS Code hands providers the diagnostics its main thread
 * knows, which follow the extension host's a moment later, and TypeScript's own code actions cancel
 * the whole request while its server starts: ask again until an action has `wanted` as its title.
 */
async function actionsFor(uri: vscode.Uri, diagnostic: vscode.Diagnostic, wanted: string | RegExp): Promise<vscode.CodeAction[]> {
  let last: vscode.CodeAction[] = [];
  let asked = 0;
  const matches = (a: vscode.CodeAction) => (typeof wanted === 'string' ? a.title === wanted : wanted.test(a.title));
  const found = await waitFor(`a quick fix "${wanted}"`, async () => {
    asked++;
    // The command does not return the actions' diagnostics: the range tells them apart.
    last = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
    return last.some(matches) ? last : undefined;
  }, 30_000).catch((e: Error) => assert.fail(`${e.message}; actions: ${titles(last)}`));
  if (asked > 1) console.log(`CL-SUITE note: the quick fix "${wanted}" came at request ${asked}`);
  return found;
}

function onlyEdit(action: vscode.CodeAction, uri: vscode.Uri): vscode.TextEdit[] {
  assert.ok(action.edit, `"${action.title}" has no edit`);
  const entries = action.edit.entries();
  assert.strictEqual(entries.length, 1, `"${action.title}" edits ${entries.length} files`);
  assert.strictEqual(entries[0][0].toString(), uri.toString(), `"${action.title}" edits another file`);
  return entries[0][1];
}


describe('authoring the insights file', function () {
  let folder: vscode.WorkspaceFolder;
  let yamlUri: vscode.Uri;
  let csvUri: vscode.Uri;
  let yaml: vscode.TextDocument;

  before(async function () {
    await disableAutoSave();
    await activateApi();
    folder = requireFolder('acme-shop');
    yamlUri = fileIn(folder, INSIGHTS_FILE);
    csvUri = fileIn(folder, 'src/export/csv.ts');
    guardFiles(yamlUri, csvUri);
    yaml = await vscode.workspace.openTextDocument(yamlUri);
  });

  afterEach(async function () {
    await restoreAllBuffers();
    checkFilesOnDisk(this.currentTest?.fullTitle() ?? '?');
  });

  after(async function () {
    await restoreAllBuffers();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assertFilesUnchanged();
  });

  describe('quick fixes', function () {
    it('offers the nearest key, enum value and id, and creates a missing persona in the personas list', async function () {
      await vscode.window.showTextDocument(yaml, { preview: false });
      const status = lineOf(yaml, '    status: in-progress');
      const owner = lineOf(yaml, '    owner: priya');
      const personas = lineOf(yaml, '    personas: [shop-owner]');
      const evidencePersona = lineOf(yaml, '        persona: floor-staff');
      await editBuffer(yamlUri, (e) => {
        e.replace(yamlUri, yaml.lineAt(status).range, '    status: in-progres');
        e.replace(yamlUri, yaml.lineAt(owner).range, '    ownr: priya');
        e.replace(yamlUri, yaml.lineAt(personas).range, '    personas: [shop-ownr]');
        e.replace(yamlUri, yaml.lineAt(evidencePersona).range, '        persona: ops-lead');
      });
      const find = (rule: string, text: string) => () => lensDiagnostics(yamlUri, rule).find((d) => yaml.getText(d.range) === text);
      const wait = (rule: string, text: string) => waitFor(`a ${rule} diagnostic on "${text}"`, find(rule, text), 10_000)
        .catch(() => assert.fail(`no ${rule} on "${text}"; diagnostics:\n${describeDiagnostics(lensDiagnostics(yamlUri))}`));

      // An unknown key: the nearest known key the problem does not have yet.
      const key = await wait('unknown-key', 'ownr');
      const keyFixes = await actionsFor(yamlUri, key, /^Change "ownr"/);
      assert.strictEqual(keyFixes[0]?.title, 'Change "ownr" to "owner"', titles(keyFixes));
      assert.ok(keyFixes[0].isPreferred, titles(keyFixes));
      const keyEdit = onlyEdit(keyFixes[0], yamlUri);
      assert.ok(keyEdit[0].range.isEqual(key.range) && keyEdit[0].newText === 'owner', JSON.stringify(keyEdit));

      // An unknown enum value: the nearest valid one first, preferred.
      const value = await wait('schema', 'in-progres');
      const valueFixes = await actionsFor(yamlUri, value, /^Change status/);
      assert.strictEqual(valueFixes[0]?.title, 'Change status to "in-progress"', titles(valueFixes));
      assert.ok(valueFixes[0].isPreferred && valueFixes.filter((a) => a.isPreferred).length === 1, titles(valueFixes));
      assert.strictEqual(onlyEdit(valueFixes[0], yamlUri)[0].newText, 'in-progress');

      // An unknown persona id in a flow list: the nearest defined id, and creating it.
      const ref = await wait('unknown-reference', 'shop-ownr');
      const refFixes = await actionsFor(yamlUri, ref, /^Create persona/);
      assert.strictEqual(refFixes[0]?.title, 'Change to persona "shop-owner" (Shop owner)', titles(refFixes));
      assert.ok(refFixes[0].isPreferred, titles(refFixes));
      assert.ok(refFixes.some((a) => a.title === 'Create persona "shop-ownr" in this file' && !a.isPreferred), titles(refFixes));

      // A persona nobody defined: create it. The entry lands after the last persona, in its style.
      const missing = await wait('unknown-reference', 'ops-lead');
      const create = (await actionsFor(yamlUri, missing, 'Create persona "ops-lead" in this file')).find((a) => a.title === 'Create persona "ops-lead" in this file')!;
      const lastPersonaJob = lineOf(yaml, '      - Take a first online payment the day they sign up');
      assert.ok(await vscode.workspace.applyEdit(create.edit!), 'VS Code refused the create fix');
      assert.strictEqual(yaml.lineAt(lastPersonaJob + 1).text, '', 'a blank line separates the new persona, as the others are');
      assert.strictEqual(yaml.lineAt(lastPersonaJob + 2).text, '  - id: ops-lead');
      assert.strictEqual(yaml.lineAt(lastPersonaJob + 3).text, '    name: Ops lead');
      assert.strictEqual(yaml.lineAt(lastPersonaJob + 4).text, '', 'the comment block before customers stays apart');
      await waitFor('the ops-lead finding to go', () => (find('unknown-reference', 'ops-lead')() ? undefined : true), 10_000);
      await restoreDocument(yaml);
    });

    it('removes a lost anchor with the Remove Link edit', async function () {
      await vscode.window.showTextDocument(yaml, { preview: false });
      const symbol = lineOf(yaml, '        symbol: StockLedger.lowStock');
      await editBuffer(yamlUri, (e) => e.replace(yamlUri, yaml.lineAt(symbol).range, '        symbol: StockLedger.lowStockGone'));
      const lost = await waitFor('an anchor-lost diagnostic for P-5', () =>
        lensDiagnostics(yamlUri, 'anchor-lost').find((d) => d.message.includes('P-5') && d.range.start.line === symbol - 1), 10_000)
        .catch(() => assert.fail(`no anchor-lost for P-5; diagnostics:\n${describeDiagnostics(lensDiagnostics(yamlUri))}`));
      const title = 'Remove the lost anchor src/inventory/stock.ts StockLedger.lowStockGone from P-5';
      const remove = (await actionsFor(yamlUri, lost, title)).find((a) => a.title === title)!;
      assert.ok(!remove.isPreferred, 'removing is never applied without asking');
      const edits = onlyEdit(remove, yamlUri);
      // P-5's only anchor: the whole `code:` key goes, and nothing else.
      assert.strictEqual(edits.length, 1);
      assert.strictEqual(edits[0].newText, '');
      assert.strictEqual(edits[0].range.start.line, lineExactly(yaml, 'code:', symbol - 3));
      assert.strictEqual(edits[0].range.end.line, symbol + 1);
      await restoreDocument(yaml);
    });

    it('offers the nearest problem id for an @why id in code that names no problem', async function () {
      const csv = await vscode.workspace.openTextDocument(csvUri);
      await vscode.window.showTextDocument(csv, { preview: false });
      const line = lineOf(csv, '// @why P-12, P-14');
      const at = csv.lineAt(line).text.indexOf('P-14');
      await editBuffer(csvUri, (e) => e.replace(csvUri, new vscode.Range(line, at, line, at + 4), 'P-144'));
      const unknown = await waitFor('an unknown-reference diagnostic on P-144', () =>
        lensDiagnostics(csvUri, 'unknown-reference').find((d) => csv.getText(d.range) === 'P-144'), 10_000);
      const actions = (await actionsFor(csvUri, unknown, /^Change to /)).filter((a) => a.title.startsWith('Change to '));
      assert.ok(actions[0]?.title.startsWith('Change to P-14 ('), titles(actions));
      assert.ok(actions[0].isPreferred, titles(actions));
      assert.strictEqual(onlyEdit(actions[0], csvUri)[0].newText, 'P-14');
      await restoreDocument(csv);
    });
  });

  describe('completions', function () {
    it('completes enum values, persona, customer and problem ids where the format wants them', async function () {
      const status = positionOf(yaml, '    status: in-progress', 'in-progress', 0);
      const statuses = (await completionsAt(yamlUri, status)).map(labelOf);
      for (const s of ['hypothesis', 'validated', 'in-progress', 'solved', 'wont-fix']) assert.ok(statuses.includes(s), statuses.join(', '));

      const kind = positionOf(yaml, '      - kind: field-study', 'field-study', 0);
      const kinds = await completionsAt(yamlUri, kind);
      const usage = kinds.find((i) => labelOf(i) === 'usage-data');
      assert.ok(usage, kinds.map(labelOf).join(', '));
      assert.strictEqual(usage.detail, 'observed by default');

      const personas = positionOf(yaml, '    personas: [shop-owner, floor-staff]', 'floor-staff', 0);
      const personaItems = await completionsAt(yamlUri, personas);
      const bookkeeper = personaItems.find((i) => labelOf(i) === 'bookkeeper');
      assert.ok(bookkeeper, personaItems.map(labelOf).join(', '));
      assert.strictEqual(bookkeeper.detail, 'Bookkeeper');
      assert.ok(!personaItems.some((i) => labelOf(i) === 'shop-owner'), 'an id the list already has is offered again');

      const customer = positionOf(yaml, '        customer: globex', 'globex', 0);
      const customers = await completionsAt(yamlUri, customer);
      assert.strictEqual(customers.find((i) => labelOf(i) === 'initech')?.detail, 'Initech Outdoor', customers.map(labelOf).join(', '));

      const related = positionOf(yaml, '    related: [P-14]', 'P-14', 0);
      const problems = await completionsAt(yamlUri, related);
      assert.strictEqual(problems.find((i) => labelOf(i) === 'P-2')?.detail, 'Payouts miss the same-day window and arrive the next day');
      assert.ok(!problems.some((i) => labelOf(i) === 'P-12'), 'P-12 is offered as related to itself');
    });

    it('completes keys a map does not have yet, paths relative to the file and symbols of the anchored file', async function () {
      await vscode.window.showTextDocument(yaml, { preview: false });
      const p6 = lineOf(yaml, '  - id: P-6');
      const owner = lineOf(yaml, '    owner: marco', p6);
      await editBuffer(yamlUri, (e) => e.insert(yamlUri, new vscode.Position(owner + 1, 0), '    \n'));
      const keys = (await completionsAt(yamlUri, new vscode.Position(owner + 1, 4))).filter((i) => i.kind === vscode.CompletionItemKind.Property);
      const labels = keys.map(labelOf);
      for (const k of ['severity', 'customers', 'validated', 'code']) assert.ok(labels.includes(k), labels.join(', '));
      for (const k of ['id', 'title', 'owner', 'evidence']) assert.ok(!labels.includes(k), `${k} is offered although P-6 has it: ${labels.join(', ')}`);
      const severity = keys.find((i) => labelOf(i) === 'severity')!;
      assert.ok(severity.insertText instanceof vscode.SnippetString && severity.insertText.value === 'severity: $0', String(severity.insertText));
      assert.strictEqual(severity.command?.command, 'editor.action.triggerSuggest');
      await restoreDocument(yaml);

      const path = positionOf(yaml, '      - path: src/export/csv.ts', 'src/export/csv.ts', 0);
      const files = (await completionsAt(yamlUri, path)).filter((i) => i.kind === vscode.CompletionItemKind.File).map(labelOf);
      for (const f of ['src/export/csv.ts', 'src/payments/payouts.ts', 'scripts/backfill_payouts.py']) assert.ok(files.includes(f), files.slice(0, 40).join(', '));

      const symbol = positionOf(yaml, '        symbol: PayoutScheduler.nextPayoutWindow', 'PayoutScheduler', 0);
      const symbols = (await waitFor('symbols of src/payments/payouts.ts', async () => {
        const items = await completionsAt(yamlUri, symbol);
        return items.some((i) => labelOf(i) === 'PayoutScheduler.nextPayoutWindow') ? items : undefined;
      }, 10_000)).map(labelOf);
      assert.ok(symbols.includes('PayoutScheduler'), symbols.join(', '));
    });

    it('completes problem ids after @why in code, by impact, with the title', async function () {
      const csv = await vscode.workspace.openTextDocument(csvUri);
      const at = positionOf(csv, '// @why P-12, P-14', 'P-12', 0);
      const items = (await completionsAt(csvUri, at)).filter((i) => i.kind === vscode.CompletionItemKind.Reference);
      const p2 = items.find((i) => labelOf(i) === 'P-2');
      assert.ok(p2, items.map(labelOf).join(', '));
      assert.strictEqual(p2.detail, 'Payouts miss the same-day window and arrive the next day');
      const bySort = [...items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? '')).map(labelOf);
      assert.deepStrictEqual(bySort.slice(0, 2), ['P-2', 'P-8'], bySort.join(', '));
      assert.ok(!items.some((i) => labelOf(i) === 'P-14'), 'an id the tag already lists is offered again');
    });
  });

  describe('navigation', function () {
    it('goes from a persona or customer id to its definition', async function () {
      const persona = positionOf(yaml, '    personas: [shop-owner, bookkeeper]', 'bookkeeper', 2);
      const defs = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', yamlUri, persona);
      const lines = defs.map((d) => ('targetUri' in d ? d.targetSelectionRange ?? d.targetRange : d.range).start.line);
      assert.ok(lines.includes(lineOf(yaml, '  - id: bookkeeper')), `definitions at ${lines.map((l) => l + 1).join(', ')}`);

      const customer = positionOf(yaml, '        customer: globex', 'globex', 1);
      const cdefs = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', yamlUri, customer);
      const clines = cdefs.map((d) => ('targetUri' in d ? d.targetSelectionRange ?? d.targetRange : d.range).start.line);
      assert.ok(clines.includes(lineOf(yaml, '  - id: globex')), `definitions at ${clines.map((l) => l + 1).join(', ')}`);
    });

    it('links anchor paths to the anchored line and ticket keys to the tracker', async function () {
      const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', yamlUri);
      const at = (line: number) => links.filter((l) => l.range.start.line === line);
      const csv = await vscode.workspace.openTextDocument(csvUri);

      const flushPath = lineOf(yaml, '      - path: src/export/csv.ts', lineOf(yaml, '  - id: P-12'));
      const flush = at(flushPath)[0];
      assert.ok(flush?.target, `no link on line ${flushPath + 1}`);
      assert.strictEqual(flush.target.path, csvUri.path);
      assert.strictEqual(flush.target.fragment, `L${lineOf(csv, 'async flush()') + 1}`);

      const tickets = at(lineOf(yaml, '    tickets: [ACME-881, GH-412'));
      const targets = tickets.map((l) => l.target?.toString(true));
      assert.ok(targets.includes('https://acme.example/browse/ACME-881'), targets.join(', '));
      assert.ok(targets.includes('https://github.example/acme/shop/issues/412'), targets.join(', '));
      // A ticket written as a URL is left to the editor's own link detection: linked once, not twice.
      assert.strictEqual(targets.filter((t) => t === 'https://support.example/tickets/52311').length, 1, targets.join(', '));

      assert.strictEqual(at(lineOf(yaml, '      - src/export/**')).length, 0, 'a glob is not a link');
    });

    it('outlines the file: sections, problems with their evidence and code', async function () {
      const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', yamlUri);
      assert.deepStrictEqual(symbols.map((s) => s.name), ['product', 'trackers', 'personas', 'customers', 'problems']);
      const problems = symbols[4];
      const p12 = problems.children.find((c) => c.name === 'P-12 CSV export times out on large reports');
      assert.ok(p12, problems.children.map((c) => c.name).join(' | '));
      assert.strictEqual(p12.selectionRange.start.line, lineOf(yaml, '  - id: P-12'));
      assert.deepStrictEqual(p12.children.map((c) => `${c.name} ${c.children.length}`), ['evidence 4', 'code 3']);
      // The problem's range runs to its last line, so breadcrumbs show it anywhere inside.
      const lastLine = lineOf(yaml, '        note: Above MAX_ROWS');
      assert.ok(p12.range.contains(new vscode.Position(lastLine, 10)), `P-12 ends at ${p12.range.end.line + 1}`);
      assert.strictEqual(symbols[2].children.find((c) => c.name === 'globex'), undefined);
      assert.strictEqual(symbols[3].children.find((c) => c.name === 'globex')?.detail, 'Globex Corp');
    });
  });
});
