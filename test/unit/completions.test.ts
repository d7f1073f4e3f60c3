// Completions in the insights file and after `@why` in code (src/core/completions.ts), and the
// outline and id lookups that navigation uses (src/core/outline.ts). Positions are marked with `§`.
import * as assert from 'node:assert/strict';
import {
  MAX_PATH_COMPLETIONS, completionContext, completionItems, symbolPaths, textLines, whyCompletions,
} from '../../src/core/completions';
import type { CompletionContext, CompletionList, CompletionSources } from '../../src/core/completions';
import { idReferenceAt, outline } from '../../src/core/outline';
import type { OutlineNode } from '../../src/core/outline';
import type { SymbolNode } from '../../src/core/syntax/types';
import { index, parse, yml } from './helpers';

const FILE = yml(
  'version: 1',
  'product:',
  '  name: Shop',
  'trackers:',
  '  - prefix: ACME',
  '    url: https://acme.example/browse/{key}',
  'personas:',
  '  - id: shop-owner',
  '    name: Shop owner',
  '  - id: bookkeeper',
  '    name: Bookkeeper',
  'customers:',
  '  - id: globex',
  '    name: Globex Corp',
  '    health: at-risk',
  '  - id: initech',
  '    name: Initech',
  'problems:',
  '  - id: P-12',
  '    title: CSV export times out',
  '    description: |',
  '      - not a list item',
  '      status: not a key',
  '    status: validated',
  '    severity: high',
  '    personas: [shop-owner]',
  '    related: [P-14]',
  '    evidence:',
  '      - kind: interview',
  '        quote: "It dies."',
  '        persona: bookkeeper',
  '        customer: globex',
  '    tickets: [ACME-881]',
  '    code:',
  '      - src/export/**   # the feature',
  '      - path: src/export/csv.ts',
  '        symbol: CsvWriter.flush',
  '  - id: P-14',
  '    title: Month-end export lacks columns',
  '    severity: critical',
);

const IDX = index([parse(FILE)]);

/** The text with `§` removed, and the marker's line and column. */
function marked(text: string): { text: string; line: number; col: number } {
  const at = text.indexOf('§');
  assert.ok(at !== -1, 'no § marker');
  const before = text.slice(0, at);
  return { text: text.slice(0, at) + text.slice(at + 1), line: before.split('\n').length - 1, col: at - (before.lastIndexOf('\n') + 1) };
}

/** FILE with its line `n` (0-based) replaced by `line` (holding §). */
function withLine(n: number, line: string): string {
  const lines = FILE.split('\n');
  lines[n] = line;
  return lines.join('\n');
}

/** FILE with `line` inserted before line `n`. */
function insertLine(n: number, line: string): string {
  const lines = FILE.split('\n');
  lines.splice(n, 0, line);
  return lines.join('\n');
}

function contextAt(text: string): CompletionContext | undefined {
  const m = marked(text);
  return completionContext(textLines(m.text), m.line, m.col);
}

function itemsAt(text: string, sources?: CompletionSources): CompletionList {
  const context = contextAt(text);
  assert.ok(context, 'no completion context');
  return completionItems(context, IDX, sources);
}

const labels = (list: CompletionList) => list.items.map((i) => i.label);

describe('completions: keys', () => {
  it('offers the keys a problem does not have yet, required first, as snippets', () => {
    const list = itemsAt(insertLine(40, '    §'));
    const keys = labels(list);
    assert.equal(keys[0], 'description', 'P-14 has its required keys: the others in the format\'s order');
    for (const k of ['status', 'horizon', 'personas', 'evidence', 'code']) assert.ok(keys.includes(k), keys.join(', '));
    for (const k of ['id', 'title', 'severity']) assert.ok(!keys.includes(k), `${k} offered again: ${keys.join(', ')}`);
    const status = list.items.find((i) => i.label === 'status')!;
    assert.equal(status.insertText, 'status: $0');
    assert.ok(status.snippet && status.retrigger);
    assert.equal(list.items.find((i) => i.label === 'personas')!.insertText, 'personas: [$0]');
    assert.equal(list.items.find((i) => i.label === 'evidence')!.insertText, 'evidence:\n  - kind: $0');
  });

  it('offers evidence keys in a new evidence item and in an existing one, anchor keys in a code entry', () => {
    const fresh = itemsAt(insertLine(30, '      - §'));
    assert.equal(fresh.items[0].label, 'kind', 'kind is required: first');
    assert.equal(fresh.items[0].detail, 'required evidence key');
    const inside = labels(itemsAt(insertLine(30, '        §')));
    assert.ok(inside.includes('date') && inside.includes('signal'), inside.join(', '));
    assert.ok(!inside.includes('kind') && !inside.includes('quote') && !inside.includes('persona'), inside.join(', '));
    const anchor = labels(itemsAt(insertLine(36, '        §')));
    assert.deepEqual(anchor, ['note'], 'a symbol anchor takes neither lines nor text');
    const lines = labels(itemsAt(insertLine(35, '      - path: a.ts\n        lines: 3\n        §')));
    assert.deepEqual(lines, ['text', 'note'], 'a lines anchor takes no symbol');
  });

  it('offers top-level keys the file does not have, and replaces a key being edited', () => {
    const top = labels(itemsAt('§\n'));
    assert.deepEqual(top, ['version', 'product', 'trackers', 'personas', 'customers', 'problems']);
    assert.deepEqual(labels(itemsAt(`§\n${FILE}`)), []);
    const editing = contextAt(withLine(23, '    stat§us: validated'));
    assert.equal(editing?.kind, 'key');
    assert.deepEqual(editing?.range, { line: 23, col: 4, endLine: 23, endCol: 10 });
    assert.ok(editing?.kind === 'key' && !editing.present.includes('status') && editing.present.includes('severity'));
    const renamed = completionItems(editing, IDX).items.find((i) => i.label === 'horizon');
    assert.equal(renamed?.insertText, 'horizon', 'the colon and value stay: the name alone');
    assert.ok(!renamed.snippet && !renamed.retrigger);
  });

  it('offers persona, customer and tracker keys in their lists', () => {
    assert.equal(itemsAt(insertLine(11, '  - §')).items[0].label, 'id');
    assert.deepEqual(labels(itemsAt(insertLine(17, '    §'))), ['segment', 'arr', 'health']);
    assert.deepEqual(labels(itemsAt(insertLine(6, '    §'))), ['pattern']);
  });
});

describe('completions: values', () => {
  it('offers enum values, with the range on the value (quotes left alone)', () => {
    const list = itemsAt(withLine(23, '    status: vali§dated   # confirmed'));
    assert.deepEqual(labels(list), ['hypothesis', 'validated', 'in-progress', 'solved', 'wont-fix']);
    assert.deepEqual(list.items[0].range, { line: 23, col: 12, endLine: 23, endCol: 21 });
    const quoted = itemsAt(withLine(24, '    severity: "hi§"'));
    assert.deepEqual(quoted.items[0].range, { line: 24, col: 15, endLine: 24, endCol: 17 });
    const kinds = itemsAt(withLine(28, '      - kind: §'));
    assert.equal(kinds.items.find((i) => i.label === 'usage-data')?.detail, 'observed by default');
    assert.deepEqual(labels(itemsAt(withLine(14, '    health: §'))), ['healthy', 'at-risk', 'churned']);
  });

  it('offers nothing inside a description, a comment, right after a colon or after the value', () => {
    assert.equal(contextAt(withLine(21, '      - not a §list item')), undefined);
    assert.equal(contextAt(withLine(22, '      status: §not a key')), undefined);
    assert.equal(contextAt(withLine(23, '    status: validated   # §note')), undefined);
    assert.equal(contextAt(withLine(23, '    status:§')), undefined);
    assert.equal(contextAt(withLine(19, '    title: CSV §export')), undefined);
  });

  it('offers persona, customer and problem ids in flow lists, block lists and evidence', () => {
    const personas = itemsAt(withLine(25, '    personas: [shop-owner, §]'));
    assert.deepEqual(labels(personas), ['bookkeeper']);
    assert.equal(personas.items[0].detail, 'Bookkeeper');
    const wrap = itemsAt(withLine(25, '    personas: §'));
    assert.equal(wrap.items[0].insertText, '[shop-owner]');
    assert.equal(wrap.items[0].filterText, 'shop-owner');
    const block = itemsAt(withLine(25, '    personas:\n      - bookkeeper\n      - §'));
    assert.deepEqual(labels(block), ['shop-owner']);
    const customers = itemsAt(withLine(31, '        customer: glo§'));
    assert.deepEqual(labels(customers), ['globex', 'initech']);
    assert.deepEqual(customers.items[0].range, { line: 31, col: 18, endLine: 31, endCol: 21 });
    assert.deepEqual(labels(itemsAt(withLine(30, '        persona: §'))), ['shop-owner', 'bookkeeper']);
    const related = itemsAt(withLine(26, '    related: [§]'));
    assert.deepEqual(labels(related), ['P-14'], 'ranked problems, without P-12 itself');
    assert.equal(related.items[0].detail, 'Month-end export lacks columns');
    assert.deepEqual(labels(itemsAt(withLine(26, '    related:\n      - §'))), ['P-14']);
  });

  it('quotes an id YAML would read as another value', () => {
    const file = parse(yml('version: 1', 'personas:', '  - id: "no"', '    name: Nobody', 'problems:', '  - id: P-1', '    title: T', '    personas: [x]'));
    const m = marked(yml('version: 1', 'problems:', '  - id: P-1', '    title: T', '    personas: [§]'));
    const list = completionItems(completionContext(textLines(m.text), m.line, m.col)!, index([file]));
    assert.equal(list.items[0].insertText, '"no"');
  });
});

describe('completions: paths and symbols', () => {
  const files = ['src/export/csv.ts', 'src/export/pdf.ts', 'README.md', 'packages/web/src/app.ts', 'packages/web/customer-insights.yaml'];

  it('offers files relative to the insights file for `path:`, and files and folders for string entries', () => {
    const path = itemsAt(withLine(35, '      - path: src/ex§port/csv.ts'), { files, insightsFile: 'customer-insights.yaml' });
    assert.deepEqual(labels(path), ['src/export/csv.ts', 'src/export/pdf.ts'], 'the typed folder narrows the list');
    assert.deepEqual(path.items[0].range, { line: 35, col: 14, endLine: 35, endCol: 31 });
    const empty = itemsAt(withLine(35, '      - path: §'), { files, insightsFile: 'customer-insights.yaml' });
    assert.deepEqual(labels(empty), ['packages/web/customer-insights.yaml', 'packages/web/src/app.ts', 'README.md', 'src/export/csv.ts', 'src/export/pdf.ts']);
    assert.ok(empty.items.every((i) => i.kind === 'file'), 'no folders where an anchor names one file');
    const entry = itemsAt(withLine(34, '      - s§'), { files, insightsFile: 'customer-insights.yaml' });
    const l = labels(entry);
    assert.equal(l[0], 'path', 'the anchor key first');
    assert.ok(l.includes('src/export/**') && l.includes('src/export/csv.ts') && l.includes('packages/web/**'), l.join(', '));
    assert.equal(entry.items.find((i) => i.label === 'src/export/**')?.kind, 'folder');
    const flow = itemsAt(withLine(33, '    code: [src/export/**, §]'), { files, insightsFile: 'customer-insights.yaml' });
    assert.ok(labels(flow).includes('README.md'));
  });

  it('writes paths relative to a nested insights file, with ../ after its own files', () => {
    const list = itemsAt(withLine(35, '      - path: §'), { files, insightsFile: 'packages/web/customer-insights.yaml' });
    assert.deepEqual(labels(list).slice(0, 2), ['customer-insights.yaml', 'src/app.ts']);
    assert.ok(labels(list).includes('../../src/export/csv.ts'), labels(list).join(', '));
  });

  it('narrows a very large folder by what is typed, and says the list is incomplete', () => {
    const many = Array.from({ length: MAX_PATH_COMPLETIONS + 500 }, (_, i) => `gen/f${i}.ts`).concat(['src/export/csv.ts']);
    const all = itemsAt(withLine(35, '      - path: §'), { files: many, insightsFile: 'customer-insights.yaml' });
    assert.ok(all.incomplete);
    assert.equal(all.items.length, MAX_PATH_COMPLETIONS);
    const typed = itemsAt(withLine(35, '      - path: src/§'), { files: many, insightsFile: 'customer-insights.yaml' });
    assert.deepEqual(labels(typed), ['src/export/csv.ts']);
    assert.ok(!typed.incomplete);
    const fuzzy = itemsAt(withLine(35, '      - path: csvt§'), { files: many, insightsFile: 'customer-insights.yaml' });
    assert.deepEqual(labels(fuzzy), ['src/export/csv.ts']);
  });

  it('names the sibling path for `symbol:` and offers the dotted paths of its declarations', () => {
    const context = contextAt(withLine(36, '        symbol: Csv§'));
    assert.deepEqual(context, { kind: 'symbol', path: 'src/export/csv.ts', range: { line: 36, col: 16, endLine: 36, endCol: 19 } });
    const node = (name: string, nameLine: number, children: SymbolNode[] = [], kind: SymbolNode['kind'] = 'class'): SymbolNode =>
      ({ name, kind, startLine: nameLine, endLine: nameLine + 5, nameLine, nameCol: 0, children });
    const symbols = [node('CsvWriter', 3, [node('flush', 5, [], 'method'), node('close', 9, [], 'method')]), node('toRow', 20, [], 'function')];
    assert.deepEqual(symbolPaths(symbols).map((s) => s.path), ['CsvWriter', 'CsvWriter.flush', 'CsvWriter.close', 'toRow']);
    const list = completionItems(context!, IDX, { symbols });
    assert.equal(list.items[1].label, 'CsvWriter.flush');
    assert.equal(list.items[1].detail, 'method, line 6');
    assert.equal(contextAt(insertLine(36, '      - path: src/**\n        symbol: §')) !== undefined, true);
    assert.equal(contextAt(withLine(35, '      - text: x\n        symbol: §')), undefined, 'no sibling path: nothing to read');
  });
});

describe('completions: @why in code', () => {
  it('offers problem ids ranked by impact, with the title', () => {
    const list = whyCompletions('  // @why ', 4, 10, '@why', IDX)!;
    assert.deepEqual(labels(list), ['P-14', 'P-12'], 'critical before high');
    assert.equal(list.items[0].detail, 'Month-end export lacks columns');
    assert.ok(list.items[0].preselect);
    assert.deepEqual(list.items[0].range, { line: 4, col: 10, endLine: 4, endCol: 10 });
  });

  it('completes the id being typed, after a colon or a comma, leaving out ids the tag lists', () => {
    const typed = whyCompletions('// @why P-1', 0, 11, '@why', IDX)!;
    assert.deepEqual(typed.items[0].range, { line: 0, col: 8, endLine: 0, endCol: 11 });
    assert.deepEqual(labels(whyCompletions('# @why: P-12, ', 0, 14, '@why', IDX)!), ['P-14']);
    assert.deepEqual(labels(whyCompletions('// @why P, P-14 -- x', 0, 9, '@why', IDX)!), ['P-12']);
    assert.ok(whyCompletions('/* @implements P', 0, 16, '@implements', IDX), 'the tag is a setting');
  });

  it('offers nothing away from a tag', () => {
    assert.equal(whyCompletions('// @whyever ', 0, 12, '@why', IDX), undefined);
    assert.equal(whyCompletions('// @why', 0, 7, '@why', IDX), undefined);
    assert.equal(whyCompletions('// @why P-12 because ', 0, 21, '@why', IDX), undefined);
    assert.equal(whyCompletions('const x = 1; ', 0, 13, '@why', IDX), undefined);
    assert.equal(whyCompletions('// @why ', 0, 8, '@why', undefined), undefined);
  });
});

describe('outline and id lookups', () => {
  const file = parse(FILE);
  const nodes = outline(FILE, file);
  const find = (list: OutlineNode[], name: string) => list.find((n) => n.name === name);

  it('lists the sections with the items in each, over their whole extent', () => {
    assert.deepEqual(nodes.map((n) => n.name), ['product', 'trackers', 'personas', 'customers', 'problems']);
    assert.equal(nodes[0].detail, 'Shop');
    assert.deepEqual(nodes[2].children.map((c) => `${c.name} ${c.detail} ${c.range.line}-${c.range.endLine}`), ['shop-owner Shop owner 7-8', 'bookkeeper Bookkeeper 9-10']);
    assert.deepEqual(nodes[4].range, { line: 17, col: 0, endLine: 39, endCol: 22 });
  });

  it('gives each problem its id and title, with evidence and code as children', () => {
    const p12 = find(find(nodes, 'problems')!.children, 'P-12 CSV export times out')!;
    assert.equal(p12.detail, 'validated \u00b7 high');
    assert.deepEqual(p12.selection, { line: 18, col: 8, endLine: 18, endCol: 12 });
    assert.deepEqual({ line: p12.range.line, endLine: p12.range.endLine }, { line: 18, endLine: 36 });
    assert.deepEqual(p12.children.map((c) => c.name), ['evidence', 'code']);
    assert.deepEqual(p12.children[0].children.map((c) => `${c.name}: ${c.detail}`), ['interview: It dies.']);
    assert.deepEqual(p12.children[1].children.map((c) => c.name), ['src/export/**', 'src/export/csv.ts CsvWriter.flush']);
    assert.deepEqual(p12.children[1].range, { line: 33, col: 0, endLine: 36, endCol: 31 });
    for (const n of [p12, ...p12.children, ...p12.children.flatMap((c) => c.children)]) {
      const inside = (a: { line: number; col: number }, r: typeof n.range) => (a.line > r.line || (a.line === r.line && a.col >= r.col))
        && (a.line < r.endLine || (a.line === r.endLine && a.col <= r.endCol));
      assert.ok(inside(n.selection, n.range) && inside({ line: n.selection.endLine, col: n.selection.endCol }, n.range), `${n.name}: selection outside its range`);
    }
  });

  it('finds the persona or customer id at a position', () => {
    assert.deepEqual(idReferenceAt(file, 25, 18), { kind: 'persona', id: 'shop-owner', span: { line: 25, col: 15, endLine: 25, endCol: 25 } });
    assert.equal(idReferenceAt(file, 30, 20)?.id, 'bookkeeper');
    assert.equal(idReferenceAt(file, 31, 20)?.kind, 'customer');
    assert.equal(idReferenceAt(file, 26, 16), undefined, 'related ids are the references feature\'s');
  });
});
