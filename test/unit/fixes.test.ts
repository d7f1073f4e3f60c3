// Quick fixes (src/core/fixes.ts) and the edit engine's persona and customer entries they create:
// every fix is applied to the text and the result parsed again, so a fix is checked by what it does.
import * as assert from 'node:assert/strict';
import { addCustomer, addPersona, applyEdits } from '../../src/core/edit';
import type { EditResult } from '../../src/core/edit';
import { codeReferenceFixes, nameFromId, quickFixes } from '../../src/core/fixes';
import type { QuickFix } from '../../src/core/fixes';
import type { Diagnostic, InsightsFile, RuleId } from '../../src/core/model';
import { anchorDiagnostics } from '../../src/core/anchors';
import { LineMap } from '../../src/core/spans';
import { byRule, index, parse, show, span, textAt, yml } from './helpers';

/** The text after a fix's edits. */
function apply(text: string, fix: QuickFix): string {
  const lines = new LineMap(text);
  const offset = (line: number, col: number) => lines.lineStart(line) + col;
  return applyEdits(text, fix.edits.map((e) => ({ start: offset(e.span.line, e.span.col), end: offset(e.span.endLine, e.span.endCol), newText: e.newText })));
}

function applied(text: string, r: EditResult): string {
  assert.ok(r.ok && !r.alreadyLinked && r.edits.length > 0, JSON.stringify(r));
  return applyEdits(text, r.edits);
}

/** The file, its index, every diagnostic (file and index), and the fixes of the one diagnostic of a rule on `needle`. */
function fixesOn(text: string, rule: RuleId, needle: string, extraFiles: InsightsFile[] = []) {
  const file = parse(text);
  const idx = index([file, ...extraFiles]);
  const all: Diagnostic[] = idx.diagnostics.filter((d) => d.file === file.file);
  const found = byRule(all, rule).filter((d) => textAt(text, d.span).includes(needle));
  assert.equal(found.length, 1, `one ${rule} on "${needle}" expected:\n${show(all)}`);
  return { file, idx, diagnostic: found[0], fixes: quickFixes({ text, file, index: idx }, found[0]) };
}

const titles = (fixes: QuickFix[]) => fixes.map((f) => `${f.preferred ? '*' : ''}${f.title}`);

const BASE = [
  'version: 1',
  '# Who we build for.',
  'personas:',
  '  - id: shop-owner',
  '    name: Shop owner',
  '',
  '  - id: bookkeeper',
  '    name: Bookkeeper',
  '',
  '# Accounts.',
  'customers:',
  '  - id: globex',
  '    name: Globex Corp',
  '',
  'problems:',
];

describe('quick fixes: unknown keys', () => {
  it('replaces an unknown key with the nearest key the map does not have yet', () => {
    const text = yml(...BASE, '  - id: P-1', '    titel: Export times out', '    owner: dana');
    const { fixes, diagnostic } = fixesOn(text, 'unknown-key', 'titel');
    assert.equal(fixes[0].title, 'Change "titel" to "title"');
    assert.ok(fixes[0].preferred);
    assert.equal(fixes.filter((f) => f.preferred).length, 1, titles(fixes).join(' | '));
    assert.deepEqual(fixes[0].edits, [{ span: diagnostic.span, newText: 'title' }]);
    const after = parse(apply(text, fixes[0]));
    assert.equal(byRule(after.diagnostics, 'unknown-key').length, 0);
    assert.equal(after.problems[0].title, 'Export times out');
  });

  it('never offers a key the map already has (that would be a duplicate key)', () => {
    const text = yml(...BASE, '  - id: P-1', '    title: T', '    titel: again');
    const { fixes } = fixesOn(text, 'unknown-key', 'titel');
    assert.ok(!fixes.some((f) => f.edits[0].newText === 'title'), titles(fixes).join(' | '));
    assert.ok(fixes.length > 0 && fixes.length <= 3);
  });

  it('knows the map by where the key is: evidence items, anchors, impact, the top level', () => {
    const text = yml(...BASE,
      '  - id: P-1',
      '    title: T',
      '    impact:',
      '      custmers: 3',
      '    evidence:',
      '      - kynd: interview',
      '        quote: "q"',
      '    code:',
      '      - path: src/a.ts',
      '        symbl: A.b',
      'trackerz: []');
    const expect = { kynd: 'kind', symbl: 'symbol', custmers: 'customers', trackerz: 'trackers' } as const;
    for (const [written, key] of Object.entries(expect)) {
      const { fixes } = fixesOn(text, 'unknown-key', written);
      assert.equal(fixes[0]?.edits[0].newText, key, `${written}: ${titles(fixes).join(' | ')}`);
      assert.ok(fixes[0].preferred, written);
    }
  });

  it('offers nothing where the layout cannot be read (a flow map)', () => {
    const text = yml(...BASE, '  - { id: P-1, title: T, ownr: x }');
    const { fixes } = fixesOn(text, 'unknown-key', 'ownr');
    assert.deepEqual(fixes, []);
  });
});

describe('quick fixes: enum values', () => {
  it('offers the nearest valid value first (the one preferred), then the others', () => {
    const text = yml(...BASE, '  - id: P-1', '    title: T', '    status: validatd');
    const { fixes, diagnostic } = fixesOn(text, 'schema', 'validatd');
    assert.equal(fixes[0].title, 'Change status to "validated"');
    assert.deepEqual(fixes.map((f) => f.preferred), [true, false, false, false]);
    assert.deepEqual(fixes[0].edits, [{ span: diagnostic.span, newText: 'validated' }]);
    assert.equal(parse(apply(text, fixes[0])).problems[0].status, 'validated');
  });

  it('replaces a quoted value, and reads severity, horizon, kind, signal and health in their maps', () => {
    const text = yml(
      'version: 1',
      'customers:',
      '  - id: globex',
      '    name: Globex',
      '    health: at_risk',
      'problems:',
      '  - id: P-1',
      '    title: T',
      '    severity: "hgh"',
      '    horizon: urgnt',
      '    evidence:',
      '      - kind: intervew',
      '        signal: obsrved',
      '        quote: q');
    const expect = { at_risk: 'at-risk', '"hgh"': 'high', urgnt: 'urgent', intervew: 'interview', obsrved: 'observed' } as const;
    for (const [written, value] of Object.entries(expect)) {
      const { fixes } = fixesOn(text, 'schema', written);
      assert.equal(fixes[0]?.edits[0].newText, value, `${written}: ${titles(fixes).join(' | ')}`);
      const after = parse(apply(text, fixes[0]));
      assert.equal(byRule(after.diagnostics, 'schema').length, 4, `one schema error fixed by ${fixes[0].title}`);
    }
  });

  it('offers nothing for other schema errors (a date, a missing title)', () => {
    const text = yml(...BASE, '  - id: P-1', '    validated: 2026-13-01', '    status: solved');
    for (const needle of ['2026-13-01', 'P-1']) {
      const file = parse(text);
      const d = byRule(file.diagnostics, 'schema').find((x) => textAt(text, x.span).includes(needle));
      assert.ok(d, show(file.diagnostics));
      assert.deepEqual(quickFixes({ text, file, index: index([file]) }, d), [], needle);
    }
  });
});

describe('quick fixes: unknown references', () => {
  it('replaces a persona id with the nearest defined ones, skipping ids the list already has', () => {
    const text = yml(...BASE, '  - id: P-1', '    title: T', '    personas: [bookkeeper, shop-ownr]');
    const { fixes, diagnostic } = fixesOn(text, 'unknown-reference', 'shop-ownr');
    assert.equal(fixes[0].title, 'Change to persona "shop-owner" (Shop owner)');
    assert.ok(fixes[0].preferred);
    assert.ok(!fixes.some((f) => f.edits[0].newText === 'bookkeeper'), titles(fixes).join(' | '));
    assert.deepEqual(fixes[0].edits, [{ span: diagnostic.span, newText: 'shop-owner' }]);
    const after = parse(apply(text, fixes[0]));
    assert.deepEqual(after.problems[0].personas.map((p) => p.value), ['bookkeeper', 'shop-owner']);
  });

  it('does not prefer an id that is merely the least far (another word, not a typo)', () => {
    const text = yml(...BASE, '  - id: P-1', '    title: T', '    personas: [ops-lead]');
    const { fixes } = fixesOn(text, 'unknown-reference', 'ops-lead');
    assert.ok(!fixes.some((f) => f.preferred), titles(fixes).join(' | '));
    assert.equal(fixes[fixes.length - 1].title, 'Create persona "ops-lead" in this file');
  });

  it('creates a missing persona after the last one, in its style, keeping the comments', () => {
    const text = yml(...BASE, '  - id: P-1', '    title: T', '    personas: [ops-lead]');
    const { fixes } = fixesOn(text, 'unknown-reference', 'ops-lead');
    const create = fixes.find((f) => f.title === 'Create persona "ops-lead" in this file')!;
    const after = apply(text, create);
    assert.equal(after, yml(...BASE.slice(0, 8), '', '  - id: ops-lead', '    name: Ops lead', ...BASE.slice(8), '  - id: P-1', '    title: T', '    personas: [ops-lead]'));
    const file = parse(after);
    assert.equal(index([file]).diagnostics.length, 0, show(index([file]).diagnostics));
  });

  it('creates a missing customer, and the customers list when the file has none', () => {
    const text = yml('version: 1', 'personas:', '  - id: a', '    name: A', '', '# The problems.', 'problems:', '  - id: P-1', '    title: T', '    customers: [acme]');
    const { fixes } = fixesOn(text, 'unknown-reference', 'acme');
    assert.ok(!fixes.some((f) => f.title.startsWith('Change')), 'no customer is defined: nothing to change to');
    const create = fixes.find((f) => f.title === 'Create customer "acme" in this file');
    assert.ok(create, titles(fixes).join(' | '));
    assert.equal(apply(text, create), yml('version: 1', 'personas:', '  - id: a', '    name: A', '',
      'customers:', '  - id: acme', '    name: Acme', '', '# The problems.', 'problems:', '  - id: P-1', '    title: T', '    customers: [acme]'));
  });

  it('fixes an evidence persona, and a related problem id (never the problem itself)', () => {
    const text = yml(...BASE,
      '  - id: P-12', '    title: T', '    related: [P-13]',
      '    evidence:', '      - kind: interview', '        quote: q', '        persona: bookeeper',
      '  - id: P-14', '    title: U');
    const persona = fixesOn(text, 'unknown-reference', 'bookeeper').fixes;
    assert.equal(persona[0].edits[0].newText, 'bookkeeper');
    const related = fixesOn(text, 'unknown-reference', 'P-13').fixes;
    assert.deepEqual(related.map((f) => f.edits[0].newText), ['P-14']);
    assert.ok(!related.some((f) => f.title.startsWith('Create')), 'problems are not created by a quick fix');
  });

  it('finds ids defined in another insights file of the folder', () => {
    const other = parse(yml('version: 1', 'personas:', '  - id: floor-staff', '    name: Floor staff'), 'pkg/customer-insights.yaml');
    const text = yml('version: 1', 'problems:', '  - id: P-1', '    title: T', '    personas: [flor-staff]');
    const { fixes } = fixesOn(text, 'unknown-reference', 'flor-staff', [other]);
    assert.equal(fixes[0].title, 'Change to persona "floor-staff" (Floor staff)');
  });

  it('nearest problem ids for an @why id in code', () => {
    const file = parse(yml('version: 1', 'problems:', '  - id: P-12', '    title: Export', '  - id: P-4', '    title: Payouts'));
    const fixes = codeReferenceFixes('P-122', span(3, 8, 3, 13), index([file]));
    assert.deepEqual(fixes.map((f) => f.title), ['Change to P-12 (Export)', 'Change to P-4 (Payouts)']);
    assert.ok(fixes[0].preferred && !fixes[1].preferred);
    assert.deepEqual(fixes[0].edits, [{ span: span(3, 8, 3, 13), newText: 'P-12' }]);
  });

  it('names a new entry after its id', () => {
    assert.equal(nameFromId('ops-lead'), 'Ops lead');
    assert.equal(nameFromId('big_box.retail'), 'Big box retail');
    assert.equal(nameFromId('globex'), 'Globex');
  });
});

describe('quick fixes: lost anchors', () => {
  it('removes the lost anchor with the Remove Link edit, leaving the other anchors and the comments', () => {
    const text = yml(...BASE,
      '  - id: P-1', '    title: T', '    code:',
      '      # the writer',
      '      - path: src/a.ts', '        symbol: Gone.away',
      '      - src/b/**   # everything else');
    const file = parse(text);
    const anchor = file.problems[0].code[0];
    const [lost] = anchorDiagnostics({ anchor, status: 'lost', files: ['src/a.ts'], reason: '"src/a.ts" has no symbol Gone.away' });
    const fixes = quickFixes({ text, file, index: index([file]) }, lost);
    assert.deepEqual(titles(fixes), ['Remove the lost anchor src/a.ts Gone.away from P-1']);
    const after = apply(text, fixes[0]);
    assert.equal(after, yml(...BASE, '  - id: P-1', '    title: T', '    code:', '      # the writer', '      - src/b/**   # everything else'));
  });

  it('offers nothing for findings without a fix (stale, duplicate ids)', () => {
    const text = yml(...BASE, '  - id: P-1', '    title: T', '  - id: P-1', '    title: U');
    const { fixes } = fixesOn(text, 'duplicate-id', 'P-1');
    assert.deepEqual(fixes, []);
  });
});

describe('edit engine: persona and customer entries', () => {
  it('appends after the last entry: blank-line separated or compact, as the list is', () => {
    const compact = yml('version: 1', 'personas:', '  - id: a', '    name: A', '  - id: b', '    name: B', 'problems: []');
    assert.equal(applied(compact, addPersona(compact, { id: 'c', name: 'C' })),
      yml('version: 1', 'personas:', '  - id: a', '    name: A', '  - id: b', '    name: B', '  - id: c', '    name: C', 'problems: []'));
    const flush = yml('version: 1', 'customers:', '- id: a', '  name: A');
    assert.equal(applied(flush, addCustomer(flush, { id: 'b', name: 'B' })), yml('version: 1', 'customers:', '- id: a', '  name: A', '- id: b', '  name: B'));
    const wide = yml('version: 1', 'personas:', '    -   id: a', '        name: A');
    assert.equal(applied(wide, addPersona(wide, { id: 'b', name: 'B' })), yml('version: 1', 'personas:', '    -   id: a', '        name: A', '    -   id: b', '        name: B'));
  });

  it('fills an empty list written [] or with nothing', () => {
    for (const empty of ['personas: []', 'personas:', 'personas: ~']) {
      const text = yml('version: 1', empty, 'problems: []');
      assert.equal(applied(text, addPersona(text, { id: 'x', name: 'X' })), yml('version: 1', 'personas:', '  - id: x', '    name: X', 'problems: []'), empty);
    }
  });

  it('creates the list before the later sections (above their heading comments), or at the end', () => {
    const text = yml('version: 1', 'product:', '  name: Shop', '', '# --- customers ---', 'customers:', '  - id: a', '    name: A');
    assert.equal(applied(text, addPersona(text, { id: 'x', name: 'X' })),
      yml('version: 1', 'product:', '  name: Shop', '', 'personas:', '  - id: x', '    name: X', '', '# --- customers ---', 'customers:', '  - id: a', '    name: A'));
    const bare = yml('version: 1', 'personas: []');
    assert.equal(applied(bare, addCustomer(bare, { id: 'x', name: 'X' })), yml('version: 1', 'personas: []', '', 'customers:', '  - id: x', '    name: X'));
  });

  it('keeps CRLF line endings and quotes names YAML would misread', () => {
    const text = 'version: 1\r\npersonas:\r\n  - id: a\r\n    name: A\r\n';
    assert.equal(applied(text, addPersona(text, { id: 'no', name: 'yes: maybe' })), 'version: 1\r\npersonas:\r\n  - id: a\r\n    name: A\r\n  - id: "no"\r\n    name: "yes: maybe"\r\n');
  });

  it('refuses an id taken, an invalid id or name, a list it cannot extend and a broken file', () => {
    const text = yml('version: 1', 'personas:', '  - id: a', '    name: A');
    assert.match((addPersona(text, { id: 'a', name: 'Again' }) as { reason: string }).reason, /already a persona a/);
    assert.match((addPersona(text, { id: 'a', name: 'Again' }, { parsed: parse(text) }) as { reason: string }).reason, /already a persona a/);
    assert.ok(!addPersona(text, { id: '1x', name: 'X' }).ok);
    assert.ok(!addPersona(text, { id: 'x', name: ' ' }).ok);
    assert.ok(!addPersona(text, { id: 'x', name: 'two\nlines' }).ok);
    const flow = yml('version: 1', 'personas: [{id: a, name: A}]');
    assert.match((addPersona(flow, { id: 'x', name: 'X' }) as { reason: string }).reason, /not written as a list/);
    assert.ok(!addPersona('version: 1\npersonas: [\n', { id: 'x', name: 'X' }).ok);
  });
});
