// The editor surfaces on examples/acme-shop/src/export/csv.ts, through VS Code's own commands
// (vscode.executeHoverProvider, vscode.executeCodeLensProvider, vscode.executeCodeActionProvider)
// and the test hooks for what VS Code does not expose (gutter decorations, the status bar).
//
// What csv.ts holds (checked by text, not by line number, so the assertions follow the file):
//   `// @why P-12, P-14` above `export const COLUMNS = [` (P-14 anchors lines 13-25 with that text,
//   deliberately moved: the text is 4 lines lower), `// @why P-12` above `class CsvWriter`, an
//   `ACME-881` ticket comment, `async flush()` (symbol anchor CsvWriter.flush of P-12) and
//   `if (rows.length > MAX_ROWS) {` (lines 106-108 with text, P-12). `src/export/**` anchors the
//   whole file to P-12.
//
// Every edit happens in an unsaved buffer and is undone (auto save off); the files are checked on disk.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { CustomerLensApi } from '../../src/api';
import { daysBetween, isoDate } from '../../src/core/dates';
import {
  activateApi, assertFilesUnchanged, checkFilesOnDisk, codeLensesFor, commandLinks, describeDiagnostics, describeLenses,
  disableAutoSave, editBuffer, fileIn, guardFiles, hoversAt, hoverText, INSIGHTS_FILE, isLensHover, lensDiagnostics,
  lensHoversAt, lineExactly, lineOf, markdownOf, openEditor, positionOf, range, requireFolder, restoreAllBuffers,
  restoreDocument, ruleOf, sleep, waitFor,
} from './helpers';

const CSV = 'src/export/csv.ts';
const P12_TITLE = 'CSV export times out on large reports';
/** P-12 in the YAML: impact.customers 14, impact.tickets 52, validated 2026-10-01, in-progress, high, urgent. */
const P12_LENS = /^Solves P-12 \u00b7 CSV export times out on large reports \u00b7 14 customers \u00b7 52 tickets$/;
const P12_VALIDATED = '2026-10-01';

describe('editor (acme-shop)', function () {
  let api: CustomerLensApi;
  let folder: vscode.WorkspaceFolder;
  let csvUri: vscode.Uri;
  let yamlUri: vscode.Uri;
  let csv: vscode.TextDocument;

  before(async function () {
    await disableAutoSave();
    api = await activateApi();
    folder = requireFolder('acme-shop');
    csvUri = fileIn(folder, CSV);
    yamlUri = fileIn(folder, INSIGHTS_FILE);
    guardFiles(csvUri, yamlUri);
    csv = await vscode.workspace.openTextDocument(csvUri);
    assert.ok(api.snapshot(folder.uri)?.problems.some((p) => p.id === 'P-12'), 'acme-shop has no P-12');
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

  /** The one Customer Lens hover at a position (fails when there is none or more than one). */
  async function lensHover(uri: vscode.Uri, pos: vscode.Position, what: string): Promise<vscode.Hover> {
    const all = await hoversAt(uri, pos);
    const ours = all.filter(isLensHover);
    assert.strictEqual(ours.length, 1,
      `${what}: expected one Customer Lens hover at ${pos.line + 1}:${pos.character + 1}, got ${ours.length} (of ${all.length} hovers: ${all.map((h) => hoverText(h).slice(0, 80)).join(' || ') || 'none'})`);
    return ours[0];
  }

  describe('hovers', function () {
    it('a @why id shows the problem card: title, badges, validation, ticket links, only our commands, not fully trusted', async function () {
      const line = lineExactly(csv, '// @why P-12');
      const col = csv.lineAt(line).text.indexOf('P-12');
      const hover = await lensHover(csvUri, new vscode.Position(line, col + 2), '@why P-12');
      assert.ok(hover.range, 'the hover has no range');
      assert.ok(hover.range.isEqual(new vscode.Range(line, col, line, col + 4)),
        `hover range ${JSON.stringify(hover.range)} is not the id P-12 (line ${line + 1}, columns ${col + 1}-${col + 4})`);

      const [md] = markdownOf(hover);
      const text = md.value;
      assert.ok(text.includes(`**${P12_TITLE}** \u00b7 \`P-12\``), `no P-12 heading in:\n${text}`);
      assert.match(text, /`in-progress` `high` `urgent`/, `no status/severity/horizon badges in:\n${text}`);
      const days = daysBetween(P12_VALIDATED, isoDate(new Date()));
      const validated = days > 180 ? /\*\*Stale:\*\* last confirmed by a customer \d+ days ago/ : new RegExp(`Validated ${days <= 0 ? 'today' : `${days} days? ago`}\\.`);
      assert.match(text, validated, `no "Validated ${days} days ago" (or stale) line in:\n${text}`);
      assert.ok(text.includes('](https://acme.example/browse/ACME-881)'), `ticket ACME-881 is not a link to the tracker in:\n${text}`);
      assert.ok(text.includes('](https://github.example/acme/shop/issues/412)'), `ticket GH-412 is not a link to GitHub in:\n${text}`);

      const commands = commandLinks(text);
      assert.ok(commands.length >= 1, `the card links no command:\n${text}`);
      const foreign = commands.filter((c) => !c.startsWith('customerLens.'));
      assert.deepStrictEqual(foreign, [], `the card links commands that are not Customer Lens's: ${foreign.join(', ')}`);

      const trusted = md.isTrusted;
      assert.notStrictEqual(trusted, true, 'the hover Markdown is fully trusted (isTrusted === true): any command link in the YAML would run');
      assert.ok(trusted && typeof trusted === 'object', `isTrusted should be { enabledCommands }, is ${JSON.stringify(trusted)}`);
      const enabled = [...trusted.enabledCommands];
      assert.ok(enabled.length > 0 && enabled.every((c) => c.startsWith('customerLens.')),
        `enabledCommands must all be customerLens.*: ${JSON.stringify(enabled)}`);
      const notEnabled = commands.filter((c) => !enabled.includes(c));
      assert.deepStrictEqual(notEnabled, [], `the card links commands that enabledCommands does not allow: ${notEnabled.join(', ')}`);
      assert.notStrictEqual(md.supportHtml, true, 'the card allows raw HTML');
    });

    it('a ticket key in a comment shows the problem that lists the ticket', async function () {
      const pos = positionOf(csv, '// ACME-881:', 'ACME-881', 3);
      const hover = await lensHover(csvUri, pos, 'ACME-881 in a comment');
      assert.ok(hoverText(hover).includes(`**${P12_TITLE}** \u00b7 \`P-12\``), `not P-12's card:\n${hoverText(hover)}`);
      assert.ok(hover.range && hover.range.start.character === pos.character - 3 && hover.range.end.character === pos.character - 3 + 'ACME-881'.length,
        `hover range ${JSON.stringify(hover.range)} is not the ticket key`);
    });

    it('the name of an anchored symbol (CsvWriter.flush) shows its problem; a call of it does not', async function () {
      const declaration = positionOf(csv, 'async flush(', 'flush', 2);
      const hover = await lensHover(csvUri, declaration, 'the name flush');
      assert.ok(hoverText(hover).includes(`\`P-12\``), `not P-12's card:\n${hoverText(hover)}`);
      assert.ok(hover.range?.isEqual(new vscode.Range(declaration.line, declaration.character - 2, declaration.line, declaration.character + 3)),
        `hover range ${JSON.stringify(hover.range)} is not the name "flush"`);
      const call = positionOf(csv, 'await this.flush();', 'flush', 2);
      assert.deepStrictEqual((await lensHoversAt(csvUri, call)).map(hoverText), [], 'a call of flush() shows a card');
    });

    it('the first line of a lines region shows its problem; the region\'s other lines do not', async function () {
      const first = positionOf(csv, 'if (rows.length > MAX_ROWS) {', 'rows', 1);
      const hover = await lensHover(csvUri, first, 'first line of lines 106-108');
      assert.ok(hoverText(hover).includes(`\`P-12\``), `not P-12's card:\n${hoverText(hover)}`);
      assert.deepStrictEqual((await lensHoversAt(csvUri, first.translate(1, 4))).map(hoverText), [], 'the second line of the region shows a card');
    });

    it('no card on ordinary code: an import line, a plain function, indentation before a region', async function () {
      const spots = [
        new vscode.Position(lineOf(csv, 'import {'), 2),
        positionOf(csv, 'function escapeCell(', 'escapeCell', 2),
        new vscode.Position(lineOf(csv, 'if (rows.length > MAX_ROWS) {'), 0),
      ];
      for (const pos of spots) {
        const ours = await lensHoversAt(csvUri, pos);
        assert.deepStrictEqual(ours.map(hoverText), [], `a card at ${pos.line + 1}:${pos.character + 1} ("${csv.lineAt(pos.line).text.trim()}")`);
      }
    });

    it('no card on a ticket key inside a string literal (the same key in a comment has one)', async function () {
      const end = csv.lineAt(csv.lineCount - 1).range.end;
      await editBuffer(csvUri, (e) => e.insert(csvUri, end, "\nexport const SEE_ALSO = 'ACME-881';\n// ACME-881 once more, in a comment\n"));
      try {
        const inString = positionOf(csv, "SEE_ALSO = 'ACME-881'", 'ACME-881', 3);
        const inComment = positionOf(csv, '// ACME-881 once more', 'ACME-881', 3);
        assert.deepStrictEqual((await lensHoversAt(csvUri, inString)).map(hoverText), [], 'a card on a ticket key inside a string literal');
        const control = await lensHoversAt(csvUri, inComment);
        assert.strictEqual(control.length, 1, 'control: the ticket key in a comment of the same buffer shows no card');
      } finally {
        await restoreDocument(csv);
      }
    });
  });

  describe('CodeLens', function () {
    it('"Solves P-12 · … · N customers · N tickets" above flush, the lines region and at the top of the file (glob)', async function () {
      const lenses = await codeLensesFor(csvUri);
      const at = (line: number) => lenses.filter((l) => l.range.start.line === line);
      const flushLine = lineOf(csv, 'async flush(');
      const ifLine = lineOf(csv, 'if (rows.length > MAX_ROWS) {');
      const columnsLine = lineOf(csv, 'export const COLUMNS = [');
      for (const [line, what] of [[0, 'glob src/export/**'], [flushLine, 'symbol CsvWriter.flush'], [ifLine, 'lines 106-108']] as const) {
        const here = at(line);
        assert.strictEqual(here.length, 1, `${what}: expected one lens at line ${line + 1}; lenses: ${describeLenses(lenses)}`);
        assert.match(here[0].command!.title, P12_LENS, `${what}: lens title`);
        assert.deepStrictEqual(here[0].command!.arguments, [[{ folder: folder.uri.toString(), id: 'P-12' }]], `${what}: lens arguments`);
      }
      const p14 = at(columnsLine);
      assert.strictEqual(p14.length, 1, `moved P-14 anchor: expected a lens at line ${columnsLine + 1} (where the text is now); lenses: ${describeLenses(lenses)}`);
      assert.match(p14[0].command!.title, /^Solves P-14 \u00b7 Month-end export/);
      // `// @why P-12` directly above `export class CsvWriter` covers the class: a lens above it too.
      const classLine = lineOf(csv, 'export class CsvWriter');
      const tagged = at(classLine);
      assert.strictEqual(tagged.length, 1, `tagged class: expected one lens at line ${classLine + 1}; lenses: ${describeLenses(lenses)}`);
      assert.match(tagged[0].command!.title, P12_LENS, 'tagged class: lens title');
      const expected = [0, columnsLine, classLine, flushLine, ifLine].sort((a, b) => a - b);
      assert.deepStrictEqual(lenses.map((l) => l.range.start.line).sort((a, b) => a - b), expected, `unexpected lenses: ${describeLenses(lenses)}`);
    });
  });

  describe('gutter decorations and status bar', function () {
    it('anchored regions carry their problem\'s severity: P-12 high, P-14 (moved) medium', async function () {
      await openEditor(csvUri);
      const flushLine = lineOf(csv, 'async flush(');
      // The method ends at the first line that is just its closing brace (two spaces in).
      let methodEnd = -1;
      for (let i = flushLine + 1; i < csv.lineCount && methodEnd < 0; i++) if (csv.lineAt(i).text === '  }') methodEnd = i;
      assert.ok(methodEnd > flushLine, 'cannot find the end of flush()');
      const ifLine = lineOf(csv, 'if (rows.length > MAX_ROWS) {');
      const columnsLine = lineOf(csv, 'export const COLUMNS = [');
      // Tags count too: `// @why P-12, P-14` above COLUMNS (an array, not a declaration a tag covers)
      // marks its own line; `// @why P-12` above `export class CsvWriter` marks the whole class.
      const tagLine = lineOf(csv, '// @why P-12, P-14');
      const classLine = lineOf(csv, 'export class CsvWriter');
      let classEnd = -1;
      for (let i = classLine + 1; i < csv.lineCount && classEnd < 0; i++) if (csv.lineAt(i).text === '}') classEnd = i;
      const wantHigh = [...new Set([tagLine, ...range(classLine, classEnd), ...range(flushLine, methodEnd), ...range(ifLine, ifLine + 2)])].sort((a, b) => a - b);
      const wantMedium = range(columnsLine, columnsLine + 12); // lines 13-25 moved down to the text
      const decorations = await waitFor('decorations on csv.ts', () => {
        const d = api.testHooks.decorations(csvUri);
        return JSON.stringify(d.high) === JSON.stringify(wantHigh) && JSON.stringify(d.medium) === JSON.stringify(wantMedium) ? d : undefined;
      }, 10_000).catch(() => api.testHooks.decorations(csvUri));
      assert.deepStrictEqual(decorations.high, wantHigh, `high (P-12): lines ${JSON.stringify((decorations.high ?? []).map((l) => l + 1))}`);
      assert.deepStrictEqual(decorations.medium, wantMedium, `medium (P-14): lines ${JSON.stringify((decorations.medium ?? []).map((l) => l + 1))}`);
      assert.deepStrictEqual(decorations.critical ?? [], [], 'critical lines on csv.ts');
      assert.deepStrictEqual(decorations.low ?? [], [], 'low lines on csv.ts');
    });

    it('the status bar shows P-12 for csv.ts and hides (or shows no file problems) for a file without links', async function () {
      await openEditor(csvUri);
      const shown = await waitFor('status bar with P-12', () => {
        const s = api.testHooks.statusBar();
        return s && s.text.includes('P-12') ? s : undefined;
      }).catch(() => assert.fail(`status bar for csv.ts: ${JSON.stringify(api.testHooks.statusBar())}`));
      assert.match(shown.text, /\$\(lightbulb\) P-12 \+1/, `status bar text: ${shown.text}`);
      assert.ok(shown.tooltip.includes(`P-12: ${P12_TITLE}`) && shown.tooltip.includes('P-14: '), `tooltip: ${shown.tooltip}`);

      await openEditor(fileIn(folder, 'src/orders/types.ts'));
      const after = await waitFor('status bar without file problems', () => {
        const s = api.testHooks.statusBar();
        return !s || !s.text.includes('$(lightbulb)') ? { state: s } : undefined;
      }).catch(() => assert.fail(`status bar for src/orders/types.ts still shows file problems: ${JSON.stringify(api.testHooks.statusBar())}`));
      assert.ok(!after.state || !after.state.text.includes('P-12'), `status bar for a file without links: ${JSON.stringify(after.state)}`);
    });
  });

  describe('live updates', function () {
    it('an unsaved edit of the P-12 title reaches the index (target < 300 ms, asserted < 1 s), the hover and the CodeLens', async function () {
      const yaml = (await openEditor(yamlUri)).document;
      const line = lineExactly(yaml, `title: ${P12_TITLE}`);
      const col = yaml.lineAt(line).text.indexOf(P12_TITLE);
      const edited = 'CSV export dies on big months';
      const titleOf = () => api.snapshot(folder.uri)?.problems.find((p) => p.id === 'P-12')?.title;
      // When the extension host saw each edit (applyEdit resolves just after the change event).
      let editSeen = 0;
      const sub = vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === yaml && e.contentChanges.length > 0) editSeen = Date.now();
      });
      const samples: number[] = [];
      try {
        // Three edits in a row, the last one leaving the final title: the first may pay for a cold
        // start (JIT, a busy extension host); the others show the steady path.
        for (const title of [`${edited} (1)`, `${edited} (2)`, edited]) {
          const current = yaml.lineAt(line).text.slice(col);
          await editBuffer(yamlUri, (e) => e.replace(yamlUri, new vscode.Range(line, col, line, col + current.length), title));
          await waitFor(`"${title}" in the index`, () => (titleOf() === title ? true : undefined), 2_000, 2);
          samples.push(Date.now() - editSeen);
          await sleep(200);
        }
        // The target is < 300 ms (120 ms debounce + parse); the machine is shared with other runs, so
        // only a second is asserted and the figures are logged.
        const best = Math.min(...samples);
        console.log(`CL-SUITE live update: unsaved edit -> index in ${samples.join(' ms, ')} ms (best ${best} ms; target < 300 ms ${best < 300 ? 'met' : 'MISSED'})`);
        for (const ms of samples) assert.ok(ms < 1000, `an unsaved edit took ${ms} ms to reach the index (samples ${samples.join(', ')} ms)`);

        const tag = lineExactly(csv, '// @why P-12');
        const hover = await lensHover(csvUri, new vscode.Position(tag, csv.lineAt(tag).text.indexOf('P-12') + 1), '@why P-12 after the edit');
        assert.ok(hoverText(hover).includes(`**${edited}** \u00b7 \`P-12\``), `the hover does not show the edited title:\n${hoverText(hover)}`);
        const lenses = await codeLensesFor(csvUri);
        const flush = lenses.find((l) => l.range.start.line === lineOf(csv, 'async flush('));
        assert.strictEqual(flush?.command?.title, `Solves P-12 \u00b7 ${edited} \u00b7 14 customers \u00b7 52 tickets`, `lenses: ${describeLenses(lenses)}`);
      } finally {
        sub.dispose();
        await restoreDocument(yaml);
      }
      await waitFor('the original title after the undo', () => (titleOf() === P12_TITLE ? true : undefined), 3_000);
    });

    it('moved code: 3 lines inserted above a lines anchor move its decorations and CodeLens, and the YAML gets an anchor-moved fix', async function () {
      await openEditor(csvUri);
      const ifLine = lineOf(csv, 'if (rows.length > MAX_ROWS) {');
      const yaml = await vscode.workspace.openTextDocument(yamlUri);
      const p12Moved = () => lensDiagnostics(yamlUri, 'anchor-moved').filter((d) => d.message.includes('P-12'));
      assert.deepStrictEqual(p12Moved().map((d) => d.message), [], 'P-12 has an anchor-moved diagnostic before the edit');
      try {
        await editBuffer(csvUri, (e) => e.insert(csvUri, new vscode.Position(ifLine, 0), '\n\n\n'));
        const now = ifLine + 3;
        assert.strictEqual(lineOf(csv, 'if (rows.length > MAX_ROWS) {'), now);

        const d = await waitFor('decorations to follow the moved region', () => {
          const dec = api.testHooks.decorations(csvUri);
          const high = dec.high ?? [];
          return [now, now + 1, now + 2].every((l) => high.includes(l)) && ![ifLine, ifLine + 1, ifLine + 2].some((l) => high.includes(l)) ? dec : undefined;
        }, 5_000).catch(() => assert.fail(`high lines after the insert: ${JSON.stringify((api.testHooks.decorations(csvUri).high ?? []).map((l) => l + 1))}, want ${now + 1}-${now + 3}`));
        assert.ok(d.high.includes(now));

        const lenses = await codeLensesFor(csvUri);
        assert.ok(lenses.some((l) => l.range.start.line === now && P12_LENS.test(l.command!.title)), `no P-12 lens at line ${now + 1}: ${describeLenses(lenses)}`);
        assert.ok(!lenses.some((l) => l.range.start.line === ifLine), `a lens stayed at the old line ${ifLine + 1}: ${describeLenses(lenses)}`);

        const newLines = `${now + 1}-${now + 3}`;
        const diagnostic = await waitFor('an anchor-moved diagnostic for P-12 on the YAML', () => p12Moved()[0], 5_000)
          .catch(() => assert.fail(`no anchor-moved for P-12; YAML diagnostics:\n${describeDiagnostics(lensDiagnostics(yamlUri))}`));
        assert.strictEqual(yaml.getText(diagnostic.range), '106-108', `the diagnostic is not on the anchor's lines value: "${yaml.getText(diagnostic.range)}"`);
        assert.ok(diagnostic.message.includes(`line ${now + 1}`), `message: ${diagnostic.message}`);

        const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', yamlUri, diagnostic.range)) ?? [];
        const fixes = actions.filter((a) => a.title === `Update lines to ${newLines}`);
        assert.strictEqual(fixes.length, 1, `expected one quick fix "Update lines to ${newLines}"; actions: ${actions.map((a) => a.title).join(' | ') || 'none'}`);
        const fix = fixes[0];
        assert.ok(fix.kind && vscode.CodeActionKind.QuickFix.contains(fix.kind), `kind ${fix.kind?.value}`);
        assert.ok(fix.edit, 'the quick fix has no edit');
        const entries = fix.edit.entries();
        assert.strictEqual(entries.length, 1, 'the fix edits more than one file');
        const [uri, edits] = entries[0];
        assert.strictEqual(uri.toString(), yamlUri.toString(), 'the fix edits another file');
        assert.strictEqual(edits.length, 1);
        assert.ok(edits[0].range.isEqual(diagnostic.range), `the fix replaces ${JSON.stringify(edits[0].range)}, not the lines value`);
        assert.strictEqual(edits[0].newText, newLines);
        assert.ok(!yaml.isDirty, 'the YAML changed although the fix was not applied');
      } finally {
        await restoreDocument(csv);
      }
      await waitFor('the P-12 anchor-moved diagnostic to go after the undo', () => (p12Moved().length === 0 ? true : undefined), 5_000);
    });

    it('broken YAML in an unsaved buffer: a yaml-syntax diagnostic at the line, and the last good index keeps serving', async function () {
      const yaml = (await openEditor(yamlUri)).document;
      const at = lineExactly(yaml, 'version: 1') + 1;
      const problemsBefore = api.snapshot(folder.uri)?.problems.length;
      try {
        await editBuffer(yamlUri, (e) => e.insert(yamlUri, new vscode.Position(at, 0), ': : :\n'));
        const syntax = await waitFor('a yaml-syntax diagnostic', () => {
          const list = lensDiagnostics(yamlUri, 'yaml-syntax');
          return list.length > 0 ? list : undefined;
        }, 5_000).catch(() => assert.fail(`no yaml-syntax diagnostic; YAML diagnostics:\n${describeDiagnostics(lensDiagnostics(yamlUri))}`));
        assert.ok(syntax.some((d) => d.range.start.line === at), `no yaml-syntax diagnostic on line ${at + 1}:\n${describeDiagnostics(syntax)}`);
        assert.ok(syntax.every((d) => d.severity === vscode.DiagnosticSeverity.Error), 'yaml-syntax is not an error');

        const snap = api.snapshot(folder.uri);
        assert.strictEqual(snap?.problems.length, problemsBefore, 'the index dropped problems while the YAML is broken');
        const tag = lineExactly(csv, '// @why P-12');
        const hover = await lensHover(csvUri, new vscode.Position(tag, csv.lineAt(tag).text.indexOf('P-12') + 1), '@why P-12 while the YAML is broken');
        assert.ok(hoverText(hover).includes(`**${P12_TITLE}** \u00b7 \`P-12\``), `hover while broken:\n${hoverText(hover)}`);
      } finally {
        await restoreDocument(yaml);
      }
      await waitFor('yaml-syntax to clear after the undo', () => (lensDiagnostics(yamlUri, 'yaml-syntax').length === 0 ? true : undefined), 5_000);
      assert.deepStrictEqual(lensDiagnostics(yamlUri).filter((d) => ruleOf(d) === 'yaml-syntax'), []);
    });
  });
});
