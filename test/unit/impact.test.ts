// The customer impact of a change (src/core/impact.ts): what a diff touches, given both sides'
// indexes, resolved anchors and references; and the unified-diff parser that feeds it
// (src/git/gitDiff.ts, parseUnifiedDiff: pure text in, data out).
//
// Scenarios are written as the base and head texts of a few files; `diffOf` makes the zero-context
// hunks git would (a longest-common-subsequence line diff), and a tiny declaration finder stands in
// for the tree-sitter grammars (classes, methods and functions closed by a brace at their indent).
import * as assert from 'node:assert/strict';
import { resolveAnchor } from '../../src/core/anchors';
import type { SymbolNode } from '../../src/core/anchors';
import { scanCodeText } from '../../src/core/codeRefs';
import type { FileRefs } from '../../src/core/codeRefs';
import {
  anchorsToResolve, computeImpact, githubData, githubProperty, headLine, impactGithub, impactJson, impactMarkdown, impactText, sidePaths, utf8Length,
} from '../../src/core/impact';
import type { DiffHunk, FileDiff, ImpactReport, ImpactSide } from '../../src/core/impact';
import type { InsightsIndex } from '../../src/core/workspaceIndex';
import { parseUnifiedDiff, unquotePath } from '../../src/git/gitDiff';
import { index, parse, yml } from './helpers';

// ---- helpers -----------------------------------------------------------------------------------

function lines(text: string): string[] {
  const l = text.split('\n');
  if (l[l.length - 1] === '') l.pop();
  return l;
}

/** Zero-context hunks from two texts, numbered as git numbers them. */
function hunksOf(before: string, after: string): DiffHunk[] {
  const a = lines(before);
  const b = lines(after);
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const hunks: DiffHunk[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    const oi = i;
    const nj = j;
    while ((i < a.length || j < b.length) && !(i < a.length && j < b.length && a[i] === b[j])) {
      if (j >= b.length || (i < a.length && lcs[i + 1][j] >= lcs[i][j + 1])) i++;
      else j++;
    }
    const oldLines = i - oi;
    const newLines = j - nj;
    hunks.push({
      oldStart: oldLines > 0 ? oi + 1 : oi, oldLines, newStart: newLines > 0 ? nj + 1 : nj, newLines,
      ...(oldLines > 0 ? { removed: a.slice(oi, i) } : {}), ...(newLines > 0 ? { added: b.slice(nj, j) } : {}),
    });
  }
  return hunks;
}

/** A declaration finder for the test language: `class X {`, `name() {`, `function f() {`, closed by `}` at their indent. */
function symbolsOf(text: string): SymbolNode[] {
  const l = lines(text);
  const all: (SymbolNode & { indent: number })[] = [];
  l.forEach((line, i) => {
    const m = /^(\s*)(?:export )?(?:(class) (\w+) \{|function (\w+)\(.*\) \{|(\w+)\(\) \{)$/.exec(line);
    if (!m) return;
    const indent = m[1].length;
    let end = i;
    for (let k = i + 1; k < l.length; k++) if (l[k] === `${' '.repeat(indent)}}`) { end = k; break; }
    const name = m[3] ?? m[4] ?? m[5];
    all.push({ name, kind: m[2] ? 'class' : m[4] ? 'function' : 'method', startLine: i, endLine: end, nameLine: i, nameCol: line.indexOf(name), children: [], indent });
  });
  const roots: SymbolNode[] = [];
  for (const s of all) {
    const parent = all.filter((p) => p !== s && p.startLine < s.startLine && p.endLine >= s.endLine).pop();
    (parent ? parent.children : roots).push(s);
  }
  return roots;
}

const INSIGHTS = 'customer-insights.yaml';

interface Scenario {
  base: Record<string, string>;
  head: Record<string, string>;
  /** [old path, new path] pairs: the change renames these. */
  renames?: [string, string][];
  binary?: string[];
}

interface Built {
  files: FileDiff[];
  base: ImpactSide;
  head: ImpactSide;
  report: ImpactReport;
}

function sideOf(files: FileDiff[], texts: Record<string, string>, which: 'base' | 'head'): ImpactSide {
  const insights = texts[INSIGHTS];
  const idx: InsightsIndex = index(insights === undefined ? [] : [parse(insights)]);
  const code = {
    files: () => Object.keys(texts).sort(),
    text: (f: string) => (Object.prototype.hasOwnProperty.call(texts, f) ? texts[f] : undefined),
    syntax: (f: string) => (Object.prototype.hasOwnProperty.call(texts, f) && f.endsWith('.ts') ? { language: 'test', symbols: symbolsOf(texts[f]), errors: [] } : undefined),
  };
  const insightsTexts = new Map(insights === undefined ? [] : [[INSIGHTS, insights]]);
  const anchors = anchorsToResolve(idx, files, which, insightsTexts).map((a) => resolveAnchor(a, code));
  const refs = new Map<string, FileRefs>();
  for (const f of sidePaths(files, which)) {
    if (f === INSIGHTS || texts[f] === undefined) continue;
    refs.set(f, scanCodeText(texts[f], f, { whyTag: '@why', trackers: idx.trackers, syntax: (file) => code.syntax(file) }));
  }
  return { index: idx, anchors, refs, insightsTexts };
}

function build(s: Scenario): Built {
  const files: FileDiff[] = [];
  const renamedOld = new Map((s.renames ?? []).map(([o, n]) => [o, n]));
  const renamedNew = new Set((s.renames ?? []).map(([, n]) => n));
  const paths = [...new Set([...Object.keys(s.base), ...Object.keys(s.head)])].sort();
  for (const p of paths) {
    if (renamedNew.has(p)) continue;
    const newPath = renamedOld.get(p);
    if (newPath !== undefined) {
      files.push({ oldPath: p, newPath, status: 'renamed', binary: false, hunks: hunksOf(s.base[p], s.head[newPath]) });
      continue;
    }
    const before = s.base[p];
    const after = s.head[p];
    if (before === after) continue;
    const binary = s.binary?.includes(p) ?? false;
    const status = before === undefined ? 'added' : after === undefined ? 'deleted' : 'modified';
    files.push({
      ...(before !== undefined ? { oldPath: p } : {}), ...(after !== undefined ? { newPath: p } : {}),
      status, binary, hunks: binary ? [] : hunksOf(before ?? '', after ?? ''),
    });
  }
  const base = sideOf(files, s.base, 'base');
  const head = sideOf(files, s.head, 'head');
  return { files, base, head, report: computeImpact({ files, base, head }) };
}

/** `P-1 symbol CsvWriter.flush src/csv.ts:7-8` for every touch, problems in report order. */
function touches(report: ImpactReport): string[] {
  return report.problems.flatMap((p) => p.touches.map((t) => `${p.id} ${t.how} ${t.file}:${t.startLine}-${t.endLine}${t.side === 'base' ? ' (base)' : ''}`));
}

function problem(report: ImpactReport, id: string) {
  const p = report.problems.find((x) => x.id === id);
  assert.ok(p, `${id} is not in the report: ${report.problems.map((x) => x.id).join(', ')}`);
  return p;
}

const YAML = yml(
  'version: 1', //                                0
  'trackers:',
  '  - prefix: ACME',
  '    url: https://acme.example/browse/{key}',
  'personas:',
  '  - id: owner', //                             5
  '    name: Shop owner',
  'customers:',
  '  - id: globex',
  '    name: Globex',
  '    arr: 1000', //                             10
  'problems:',
  '  - id: P-1',
  '    title: Export times out',
  '    status: validated',
  '    severity: high', //                        15
  '    personas: [owner]',
  '    customers: [globex]',
  '    validated: 2026-10-01',
  '    tickets: [ACME-1]',
  '    evidence:', //                             20
  '      - kind: interview',
  '        quote: "It spins forever."',
  '        date: 2026-09-01',
  '      - kind: usage-data',
  '        summary: 40% of exports time out', //  25
  '        date: 2026-10-01',
  '      - kind: field-study',
  '        quote: "She gave up after ten minutes."',
  '        date: 2026-08-01',
  '    code:', //                                 30
  '      - path: src/csv.ts',
  '        symbol: CsvWriter.flush',
  '      - path: src/csv.ts',
  '        lines: 2-3',
  '        text: "const MAX = 10;"', //           35
  '',
  '  # the login problem',
  '  - id: P-2',
  '    title: Login is slow',
  '    severity: critical', //                    40
  '    code: [src/auth/**]',
  '',
  '  - id: P-3',
  '    title: Sessions expire',
  '    severity: low', //                         45
  '    status: solved',
  '    code:',
  '      - path: src/util.ts',
  '        lines: 3-4',
);

const CSV = [
  '// the CSV writer', //           1
  'const MAX = 10;', //             2
  'const MIN = 1;', //              3
  'export class CsvWriter {', //    4
  '  // @why P-3', //               5
  '  flush() {', //                 6
  '    const a = 1;', //            7
  '    const b = 2;', //            8
  '    return a + b;', //           9
  '  }', //                        10
  '}', //                          11
  '', //                           12
  '// nothing here', //            13
].join('\n') + '\n';

const UTIL = ['// util', 'const x = 1;', 'export function keep() {', '  return x;', '}', ''].join('\n');

const edit = (text: string, from: string, to: string) => {
  assert.ok(text.includes(from), `fixture lacks ${JSON.stringify(from)}`);
  return text.replace(from, to);
};

const BASE = { [INSIGHTS]: YAML, 'src/csv.ts': CSV, 'src/util.ts': UTIL, 'src/auth/login.ts': 'export const a = 1;\n' };

// ---- tests -------------------------------------------------------------------------------------

describe('core/impact', () => {
  describe('headLine: where a base line is at the head', () => {
    const hunks: DiffHunk[] = [
      { oldStart: 2, oldLines: 0, newStart: 3, newLines: 2 }, // two lines added after old line 2
      { oldStart: 5, oldLines: 2, newStart: 7, newLines: 0 }, // old lines 5-6 removed
      { oldStart: 9, oldLines: 1, newStart: 9, newLines: 3 }, // old line 9 replaced by three
    ];
    it('shifts lines by the hunks above them and maps removed lines to where their hunk is', () => {
      assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((l) => headLine(hunks, l)), [1, 2, 5, 6, 7, 7, 7, 8, 9, 12]);
    });
    it('maps lines removed at the top to line 1', () => {
      assert.equal(headLine([{ oldStart: 1, oldLines: 3, newStart: 0, newLines: 0 }], 2), 1);
      assert.equal(headLine([{ oldStart: 1, oldLines: 3, newStart: 0, newLines: 0 }], 4), 1);
      assert.equal(headLine([{ oldStart: 0, oldLines: 0, newStart: 1, newLines: 2 }], 1), 3);
    });
  });

  describe('hunks inside anchored and tagged regions', () => {
    it('a changed line in a method is a touch of its symbol anchor and of the tag above it; both make the problems suspect', () => {
      const { report } = build({ base: BASE, head: { ...BASE, 'src/csv.ts': edit(CSV, '    const b = 2;', '    const b = 3;') } });
      assert.deepEqual(touches(report), ['P-1 symbol CsvWriter.flush src/csv.ts:8-8', 'P-3 tag CsvWriter.flush src/csv.ts:8-8']);
      assert.equal(problem(report, 'P-1').suspect, true);
      assert.equal(problem(report, 'P-3').suspect, true);
      assert.deepEqual(report.anchorsBroken, []);
    });

    it('a change outside every region touches nothing', () => {
      const { report } = build({ base: BASE, head: { ...BASE, 'src/csv.ts': edit(CSV, '// nothing here', '// still nothing') } });
      assert.deepEqual(report.problems, []);
      assert.equal(report.files, 1);
    });

    it('a removal inside a method counts, through the base region, at the line where it happened', () => {
      const { report } = build({ base: BASE, head: { ...BASE, 'src/csv.ts': edit(CSV, '    const b = 2;\n', '') } });
      assert.deepEqual(touches(report), ['P-1 symbol CsvWriter.flush src/csv.ts:7-7', 'P-3 tag CsvWriter.flush src/csv.ts:7-7']);
    });

    it('lines added inside a method count at the head; lines added above it do not', () => {
      const inside = build({ base: BASE, head: { ...BASE, 'src/csv.ts': edit(CSV, '    const a = 1;\n', '    const a = 1;\n    log(a);\n') } });
      assert.deepEqual(touches(inside.report), ['P-1 symbol CsvWriter.flush src/csv.ts:8-8', 'P-3 tag CsvWriter.flush src/csv.ts:8-8']);
      const above = build({ base: BASE, head: { ...BASE, 'src/csv.ts': edit(CSV, '// nothing here', '// nothing here\n// more') } });
      assert.deepEqual(above.report.problems, []);
    });

    it('a lines anchor: its first line edited is a touch of `lines 2-3`', () => {
      const { report } = build({ base: BASE, head: { ...BASE, 'src/csv.ts': edit(CSV, 'const MIN = 1;', 'const MIN = 2;') } });
      assert.deepEqual(touches(report), ['P-1 lines 2-3 src/csv.ts:3-3']);
      assert.equal(problem(report, 'P-1').suspect, true);
    });

    it('a glob anchor covers its files: every changed line, never suspect', () => {
      const { report } = build({ base: BASE, head: { ...BASE, 'src/auth/login.ts': 'export const a = 2;\n' } });
      assert.deepEqual(touches(report), ['P-2 path src/auth/** src/auth/login.ts:1-1']);
      assert.equal(problem(report, 'P-2').suspect, false);
    });

    it('a path anchor naming exactly the file makes its problem suspect', () => {
      const yaml = edit(YAML, '    code: [src/auth/**]', '    code: [src/auth/login.ts]');
      const { report } = build({ base: { ...BASE, [INSIGHTS]: yaml }, head: { ...BASE, [INSIGHTS]: yaml, 'src/auth/login.ts': 'export const a = 2;\n' } });
      assert.deepEqual(touches(report), ['P-2 path src/auth/login.ts src/auth/login.ts:1-1']);
      assert.equal(problem(report, 'P-2').suspect, true);
    });

    it('touches of one kind in one file that follow each other are merged', () => {
      const { report } = build({ base: BASE, head: { ...BASE, 'src/csv.ts': edit(CSV, '    const a = 1;\n    const b = 2;', '    const a = 10;\n    const b = 20;') } });
      assert.deepEqual(touches(report), ['P-1 symbol CsvWriter.flush src/csv.ts:7-8', 'P-3 tag CsvWriter.flush src/csv.ts:7-8']);
    });
  });

  describe('tags added and removed', () => {
    it('a removed tag is a touch at the line where it was, not a suspect change', () => {
      const { report } = build({ base: BASE, head: { ...BASE, 'src/csv.ts': edit(CSV, '  // @why P-3\n', '') } });
      assert.deepEqual(touches(report), ['P-3 tag removed CsvWriter.flush src/csv.ts:4-4']);
      assert.equal(problem(report, 'P-3').suspect, false);
    });

    it('an added tag is a touch at its line', () => {
      const { report } = build({ base: BASE, head: { ...BASE, 'src/util.ts': `${UTIL}// @why P-2\nexport function more() {\n  return 2;\n}\n` } });
      assert.deepEqual(touches(report), ['P-2 tag added more src/util.ts:6-6']);
      assert.equal(problem(report, 'P-2').suspect, false);
    });

    it('a tag line edited with the same id is neither added nor removed', () => {
      const { report } = build({ base: BASE, head: { ...BASE, 'src/csv.ts': edit(CSV, '  // @why P-3', '  // @why P-3 -- the slow path') } });
      assert.deepEqual(touches(report), []);
    });

    it('a tag changed to another id: one removed, one added', () => {
      const { report } = build({ base: BASE, head: { ...BASE, 'src/csv.ts': edit(CSV, '  // @why P-3', '  // @why P-2') } });
      assert.deepEqual(touches(report), ['P-2 tag added CsvWriter.flush src/csv.ts:5-5', 'P-3 tag removed CsvWriter.flush src/csv.ts:5-5']);
    });
  });

  describe('ticket keys in changed comment lines', () => {
    it('an added or removed comment naming a ticket touches the problems listing it', () => {
      const added = build({ base: BASE, head: { ...BASE, 'src/util.ts': edit(UTIL, '// util', '// util, see ACME-1') } });
      assert.deepEqual(touches(added.report), ['P-1 ticket ACME-1 src/util.ts:1-1']);
      assert.equal(problem(added.report, 'P-1').suspect, false);
      const withKey = { ...BASE, 'src/util.ts': edit(UTIL, '// util', '// ACME-1: keep') };
      const removed = build({ base: withKey, head: BASE });
      assert.deepEqual(touches(removed.report), ['P-1 ticket ACME-1 src/util.ts:1-1']);
    });

    it('a key in a string literal, or in an unchanged comment, does not count', () => {
      const inString = build({ base: BASE, head: { ...BASE, 'src/util.ts': edit(UTIL, 'const x = 1;', 'const x = "ACME-1";') } });
      assert.deepEqual(touches(inString.report), []);
      const withKey = { ...BASE, 'src/util.ts': edit(UTIL, '// util', '// ACME-1: keep') };
      const unchanged = build({ base: withKey, head: { ...withKey, 'src/util.ts': edit(withKey['src/util.ts'], 'const x = 1;', 'const x = 2;') } });
      assert.deepEqual(touches(unchanged.report), []);
    });
  });

  describe('anchors the change breaks', () => {
    it('a deleted method makes its symbol anchor lost: a suspect touch where it was, and an entry in anchorsBroken', () => {
      const head = edit(CSV, '  // @why P-3\n  flush() {\n    const a = 1;\n    const b = 2;\n    return a + b;\n  }\n', '');
      const { report } = build({ base: BASE, head: { ...BASE, 'src/csv.ts': head } });
      assert.deepEqual(touches(report), ['P-1 anchor lost src/csv.ts:4-4', 'P-1 symbol CsvWriter.flush src/csv.ts:4-4', 'P-3 tag removed CsvWriter.flush src/csv.ts:4-4']);
      assert.equal(problem(report, 'P-1').suspect, true);
      assert.deepEqual(report.anchorsBroken, [{
        problem: 'P-1', status: 'lost', insightsFile: INSIGHTS, line: 32, anchor: 'src/csv.ts symbol CsvWriter.flush', file: 'src/csv.ts',
        reason: '"src/csv.ts" has no symbol CsvWriter.flush',
      }]);
    });

    it('an anchor already lost at the base is not the change\'s doing', () => {
      const yaml = edit(YAML, 'symbol: CsvWriter.flush', 'symbol: CsvWriter.gone');
      const { report } = build({ base: { ...BASE, [INSIGHTS]: yaml }, head: { ...BASE, [INSIGHTS]: yaml, 'src/csv.ts': edit(CSV, '// nothing here', '// x') } });
      assert.deepEqual(report.anchorsBroken, []);
    });

    it('a lines anchor with text whose code moves is moved, with the fix; not suspect', () => {
      const { report } = build({ base: BASE, head: { ...BASE, 'src/csv.ts': edit(CSV, '// the CSV writer\n', '// the CSV writer\n// limits\n') } });
      assert.deepEqual(report.anchorsBroken.map((a) => [a.problem, a.status, a.startLine, a.endLine, a.fix]), [['P-1', 'moved', 3, 4, '3-4']]);
      assert.deepEqual(touches(report), ['P-1 anchor moved src/csv.ts:3-4']);
      assert.equal(problem(report, 'P-1').suspect, false);
    });

    it('a lines anchor without text that lines above silently shift is reported moved, compared where its code went', () => {
      const { report } = build({ base: BASE, head: { ...BASE, 'src/util.ts': edit(UTIL, '// util\n', '// util\n// a\n// b\n') } });
      assert.deepEqual(report.anchorsBroken.map((a) => [a.problem, a.status, a.fix]), [['P-3', 'moved', '5-6']]);
      assert.match(report.anchorsBroken[0].reason, /without "text" the anchor does not follow it/);
      // The added comment lines are not "inside" lines 3-4 just because the numbers now point there.
      assert.deepEqual(touches(report), ['P-3 anchor moved src/util.ts:5-6']);
      const inside = build({ base: BASE, head: { ...BASE, 'src/util.ts': edit(UTIL, '// util\n', '// util\n// a\n').replace('  return x;', '  return x + 1;') } });
      assert.deepEqual(touches(inside.report), ['P-3 anchor moved src/util.ts:4-5', 'P-3 lines 3-4 src/util.ts:5-5'].sort((a, b) => a.localeCompare(b)));
      assert.equal(problem(inside.report, 'P-3').suspect, true);
    });
  });

  describe('renames', () => {
    it('a pure rename loses the anchors naming the old path, says so, and is not a suspect change', () => {
      const { report } = build({ base: BASE, head: { [INSIGHTS]: YAML, 'src/csv2.ts': CSV, 'src/util.ts': UTIL, 'src/auth/login.ts': 'export const a = 1;\n' }, renames: [['src/csv.ts', 'src/csv2.ts']] });
      assert.deepEqual(report.anchorsBroken.map((a) => [a.problem, a.status, a.anchor, a.reason]), [
        ['P-1', 'lost', 'src/csv.ts symbol CsvWriter.flush', "this change renames src/csv.ts to src/csv2.ts; update the anchor's path"],
        ['P-1', 'lost', 'src/csv.ts lines 2-3', "this change renames src/csv.ts to src/csv2.ts; update the anchor's path"],
      ]);
      assert.deepEqual(touches(report), ['P-1 anchor lost src/csv2.ts:2-3', 'P-1 anchor lost src/csv2.ts:6-10']);
      assert.equal(problem(report, 'P-1').suspect, false);
      // The tag moved with its file: nothing added, nothing removed.
      assert.ok(!report.problems.some((p) => p.id === 'P-3'));
    });

    it('a rename with edits reports touches on the new path; a glob keeps covering a file renamed inside it', () => {
      const yaml = edit(YAML, '        symbol: CsvWriter.flush', '        symbol: CsvWriter.flush\n      - src/**');
      const { report } = build({
        base: { ...BASE, [INSIGHTS]: yaml },
        head: { [INSIGHTS]: yaml, 'src/csv2.ts': edit(CSV, '    return a + b;', '    return a - b;'), 'src/util.ts': UTIL, 'src/auth/login.ts': 'export const a = 1;\n' },
        renames: [['src/csv.ts', 'src/csv2.ts']],
      });
      assert.ok(touches(report).includes('P-1 path src/** src/csv2.ts:9-9'), touches(report).join('\n'));
      assert.ok(touches(report).includes('P-3 tag CsvWriter.flush src/csv2.ts:9-9'), touches(report).join('\n'));
      assert.equal(problem(report, 'P-1').suspect, true);
      assert.ok(report.anchorsBroken.every((a) => a.reason.includes('renames src/csv.ts to src/csv2.ts')));
    });
  });

  describe('whole files added and deleted', () => {
    it('an added file: its tags are added, a glob covering it is touched over the whole file', () => {
      const file = '// @why P-1\nexport function login() {\n  return 1;\n}\n';
      const { report } = build({ base: BASE, head: { ...BASE, 'src/auth/sso.ts': file } });
      assert.deepEqual(touches(report), ['P-2 path src/auth/** src/auth/sso.ts:1-4', 'P-1 tag added login src/auth/sso.ts:1-1']);
      assert.ok(report.problems.every((p) => !p.suspect));
    });

    it('a deleted file: its tags are removed and its anchors lost, at base lines', () => {
      const { report } = build({ base: BASE, head: { [INSIGHTS]: YAML, 'src/util.ts': UTIL, 'src/auth/login.ts': 'export const a = 1;\n' } });
      assert.deepEqual(touches(report), [
        'P-1 anchor lost src/csv.ts:2-3 (base)', 'P-1 lines 2-3 src/csv.ts:2-3 (base)',
        'P-1 anchor lost src/csv.ts:6-10 (base)', 'P-1 symbol CsvWriter.flush src/csv.ts:6-10 (base)',
        'P-3 tag removed CsvWriter.flush src/csv.ts:5-5 (base)',
      ]);
      assert.deepEqual(report.anchorsBroken.map((a) => a.reason), ['this change deletes src/csv.ts', 'this change deletes src/csv.ts']);
      assert.equal(problem(report, 'P-1').suspect, true);
    });

    it('a binary file in a glob is touched as a whole, at line 1', () => {
      const { report } = build({ base: { ...BASE, 'src/auth/logo.png': 'A' }, head: { ...BASE, 'src/auth/logo.png': 'B' }, binary: ['src/auth/logo.png'] });
      assert.deepEqual(touches(report), ['P-2 path src/auth/** src/auth/logo.png:1-1']);
    });

    it('a deleted glob file that was the last one makes the glob anchor lost', () => {
      const { report } = build({ base: BASE, head: { [INSIGHTS]: YAML, 'src/csv.ts': CSV, 'src/util.ts': UTIL } });
      assert.deepEqual(report.anchorsBroken.map((a) => [a.problem, a.status, a.anchor]), [['P-2', 'lost', 'src/auth/**']]);
      assert.deepEqual(touches(report), ['P-2 anchor lost src/auth/login.ts:1-1 (base)', 'P-2 path src/auth/** src/auth/login.ts:1-1 (base)']);
      assert.equal(problem(report, 'P-2').suspect, false);
    });
  });

  describe('entries of the insights files', () => {
    it('a changed line inside a problem\'s entry touches that problem only (comments between entries belong to none)', () => {
      const yaml = edit(YAML, '        quote: "It spins forever."', '        quote: "It spins forever, every Monday."');
      const { report } = build({ base: BASE, head: { ...BASE, [INSIGHTS]: yaml } });
      assert.deepEqual(touches(report), [`P-1 insights entry ${INSIGHTS}:23-23`]);
      const comment = build({ base: BASE, head: { ...BASE, [INSIGHTS]: edit(YAML, '  # the login problem', '  # login') } });
      assert.deepEqual(comment.report.problems, []);
    });

    it('a new evidence item at the end of an entry belongs to it', () => {
      const yaml = edit(YAML, '    code: [src/auth/**]\n', '    code: [src/auth/**]\n    evidence:\n      - kind: support\n        summary: Three tickets a day\n');
      const { report } = build({ base: BASE, head: { ...BASE, [INSIGHTS]: yaml } });
      assert.deepEqual(touches(report), [`P-2 insights entry ${INSIGHTS}:43-45`]);
    });

    it('a problem the change deletes is described as it was, marked removed', () => {
      const yaml = edit(YAML, '  - id: P-3\n    title: Sessions expire\n    severity: low\n    status: solved\n    code:\n      - path: src/util.ts\n        lines: 3-4\n', '');
      const { report } = build({ base: BASE, head: { ...BASE, [INSIGHTS]: yaml } });
      const p3 = problem(report, 'P-3');
      assert.equal(p3.removed, true);
      assert.equal(p3.title, 'Sessions expire');
      assert.deepEqual(touches(report), [`P-3 insights entry ${INSIGHTS}:43-43`]);
    });

    it('a new problem is an insights entry; its new anchor that never held is reported, at its line', () => {
      const yaml = `${YAML}  - id: P-4\n    title: New\n    code:\n      - path: src/nope.ts\n        symbol: Nope\n`;
      const { report } = build({ base: BASE, head: { ...BASE, [INSIGHTS]: yaml } });
      assert.deepEqual(touches(report), [`P-4 insights entry ${INSIGHTS}:51-55`, `P-4 anchor lost ${INSIGHTS}:54-54`]);
      assert.deepEqual(report.anchorsBroken.map((a) => [a.problem, a.status, a.line]), [['P-4', 'lost', 54]]);
      assert.equal(problem(report, 'P-4').suspect, false);
    });

    it('changing an anchor in the YAML compares the new anchor with nothing: a fixed anchor is not broken', () => {
      const yaml = edit(YAML, '        lines: 3-4', '        lines: 4-5');
      const { report } = build({ base: BASE, head: { ...BASE, [INSIGHTS]: yaml } });
      assert.deepEqual(report.anchorsBroken, []);
      assert.deepEqual(touches(report), [`P-3 insights entry ${INSIGHTS}:50-50`]);
    });
  });

  describe('the report', () => {
    it('orders problems by severity then impact, touches by file and line', () => {
      const head = { ...BASE, 'src/auth/login.ts': 'export const a = 2;\n', 'src/csv.ts': edit(edit(CSV, '    return a + b;', '    return a * b;'), 'const MIN = 1;', 'const MIN = 0;'), 'src/util.ts': edit(UTIL, '  return x;', '  return -x;') };
      const { report } = build({ base: BASE, head });
      assert.deepEqual(report.problems.map((p) => `${p.id} ${p.severity}`), ['P-2 critical', 'P-1 high', 'P-3 low']);
      assert.deepEqual(problem(report, 'P-1').touches.map((t) => `${t.startLine} ${t.how}`), ['3 lines 2-3', '9 symbol CsvWriter.flush']);
      assert.deepEqual(problem(report, 'P-3').touches.map((t) => `${t.file}:${t.startLine}`), ['src/csv.ts:9', 'src/util.ts:4']);
    });

    it('summarises the evidence: by kind, newest date, staleness, the strongest quote (observed first)', () => {
      const { report } = build({ base: BASE, head: { ...BASE, 'src/csv.ts': edit(CSV, '    const b = 2;', '    const b = 3;') } });
      const e = problem(report, 'P-1').evidence;
      assert.deepEqual(e.byKind, { interview: 1, 'field-study': 1, 'usage-data': 1 });
      assert.deepEqual([e.count, e.said, e.observed, e.newest, e.lastConfirmed, e.stale], [3, 1, 2, '2026-10-01', '2026-10-01', false]);
      // usage-data is observed too but has only a summary: the observed quote wins.
      assert.deepEqual(e.strongest, { text: 'She gave up after ten minutes.', quote: true, signal: 'observed', kind: 'field-study', date: '2026-08-01' });
      assert.deepEqual(problem(report, 'P-1').personas, [{ id: 'owner', name: 'Shop owner' }]);
      assert.deepEqual(problem(report, 'P-1').impact, { customers: 1, arr: 1000, tickets: 1 });
    });

    it('marks stale problems stale', () => {
      const yaml = edit(YAML, '    validated: 2026-10-01', '    validated: 2025-01-01').replace(/date: 2026-\d\d-\d\d/g, 'date: 2025-01-01');
      const { report } = build({ base: { ...BASE, [INSIGHTS]: yaml }, head: { ...BASE, [INSIGHTS]: yaml, 'src/csv.ts': edit(CSV, '    const b = 2;', '    const b = 3;') } });
      assert.equal(problem(report, 'P-1').evidence.stale, true);
    });

    it('falls back to the hunks\' own lines for a file whose references were not given', () => {
      const files: FileDiff[] = [{ oldPath: 'big.ts', newPath: 'big.ts', status: 'modified', binary: false, hunks: [{ oldStart: 3, oldLines: 0, newStart: 4, newLines: 2, added: ['// ACME-1 streaming', 'x(); // @why P-2'] }] }];
      const idx = index([parse(YAML)]);
      const empty = { index: idx, anchors: [], refs: new Map() };
      const report = computeImpact({ files, base: empty, head: empty });
      assert.deepEqual(touches(report), ['P-2 tag added big.ts:5-5', 'P-1 ticket ACME-1 big.ts:4-4']);
    });
  });

  describe('formats', () => {
    const hostile = edit(YAML, 'title: Export times out', 'title: "<img src=x onerror=alert(1)> *bold* | @acme/team [x](javascript:1) %0A::error::"');
    const run = () => build({ base: { ...BASE, [INSIGHTS]: hostile }, head: { ...BASE, [INSIGHTS]: hostile, 'src/csv.ts': edit(CSV, '    const b = 2;', '    const b = 3;') } }).report;

    it('json: the documented fields for each problem and touch', () => {
      const value = impactJson(run());
      assert.deepEqual(Object.keys(value.problems[0]).sort(), ['evidence', 'horizon', 'id', 'impact', 'personas', 'severity', 'status', 'suspect', 'title', 'touches']);
      assert.deepEqual(Object.keys((value.problems[0].touches as object[])[0]).sort(), ['endLine', 'file', 'how', 'kind', 'side', 'startLine']);
    });

    it('markdown: every value escaped for Markdown and HTML, and nobody mentioned', () => {
      const text = impactMarkdown(run(), { base: 'main', head: 'the working tree' });
      assert.ok(!text.includes('<img'), text);
      assert.ok(text.includes('&lt;img src=x onerror=alert(1)&gt;'), text);
      assert.ok(text.includes('\\*bold\\*') && text.includes('\\|') && text.includes('\\[x\\]'), text);
      assert.ok(!/(^|[^\u200b])@acme/.test(text.replace(/@\u200b/g, '')) && text.includes('@\u200bacme'), text);
      assert.match(text, /^## Customer impact\n/);
      assert.match(text, /> “She gave up after ten minutes\.” — observed, field-study/);
    });

    it('markdown: over the size limit the least severe problems are cut, with a count', () => {
      const report = run();
      const many: ImpactReport = { ...report, problems: Array.from({ length: 400 }, (_, i) => ({ ...report.problems[0], id: `P-${i}`, severity: i < 10 ? 'critical' as const : 'low' as const })) };
      const text = impactMarkdown(many, { base: 'main', head: 'HEAD' }, { maxBytes: 20_000 });
      assert.ok(utf8Length(text) <= 20_000, String(utf8Length(text)));
      const cut = /\*(\d+) less severe problems not shown/.exec(text);
      assert.ok(cut, text.slice(-500));
      assert.ok(text.includes('**P\\-0 ·') || text.includes('**P-0 ·'), 'the most severe stay');
      assert.equal((text.match(/^\*\*P/gm) ?? []).length + Number(cut[1]), 400);
      assert.ok(utf8Length(impactMarkdown(many, { base: 'main', head: 'HEAD' })) <= 64_000);
    });

    it('github: workflow commands escaped as GitHub requires, nothing injectable', () => {
      assert.equal(githubData('50% done\r\nnext'), '50%25 done%0D%0Anext');
      assert.equal(githubProperty('a:b,c%'), 'a%3Ab%2Cc%25');
      const out = impactGithub(run(), { pathPrefix: 'packages/shop/' });
      for (const line of out) {
        assert.match(line, /^::(warning|notice)( [a-zA-Z]+=[^,:]*(,[a-zA-Z]+=[^,:]*)*)?::/, line);
        assert.ok(!/[\r\n]/.test(line));
      }
      const p1 = out.find((l) => l.includes('onerror'))!;
      assert.match(p1, /^::warning file=packages\/shop\/src\/csv\.ts,line=8,endLine=8,title=P-1 \(high%2C suspect\)%3A <img/);
      assert.ok(p1.includes('%250A%3A%3Aerror%3A%3A'), p1);
    });

    it('github: at most ten per level, the most severe first, then one notice counting the rest', () => {
      const report = run();
      const many: ImpactReport = { ...report, anchorsBroken: [], problems: Array.from({ length: 30 }, (_, i) => ({ ...report.problems[0], id: `P-${i}`, severity: i < 15 ? 'high' as const : 'low' as const })) };
      const out = impactGithub(many);
      assert.equal(out.filter((l) => l.startsWith('::warning')).length, 10);
      assert.equal(out.filter((l) => l.startsWith('::notice')).length, 10);
      assert.match(out[out.length - 1], /^::notice title=Customer impact::11 more annotations not shown/);
      assert.match(out[0], /title=P-0 /);
    });

    it('text: a readable report, every line printable', () => {
      const out = impactText(run(), { base: 'main (merge base 1234567)', head: 'the working tree', notes: ['a note\u001b[2J'] });
      assert.equal(out[0], 'Customer impact of the working tree against main (merge base 1234567)');
      assert.ok(out.every((l) => !/[\u0000-\u001f\u007f-\u009f]/.test(l)));
      assert.ok(out.some((l) => l.startsWith('  src/csv.ts:8  symbol CsvWriter.flush')), out.join('\n'));
    });
  });
});

describe('git/gitDiff: parseUnifiedDiff', () => {
  it('reads modified, added, deleted and renamed files with their hunks and line texts', () => {
    const { files, truncated } = parseUnifiedDiff([
      'diff --git a/src/a.ts b/src/a.ts',
      'index 1111111..2222222 100644',
      '--- a/src/a.ts',
      '+++ b/src/a.ts',
      '@@ -3 +3 @@ export class A {',
      '-  old();',
      '+  new();',
      '@@ -10,0 +11,2 @@',
      '+--- a/not-a-header',
      '++++ b/not-either',
      'diff --git a/new.ts b/new.ts',
      'new file mode 100644',
      'index 0000000..3333333',
      '--- /dev/null',
      '+++ b/new.ts',
      '@@ -0,0 +1,2 @@',
      '+one',
      '+two',
      '\\ No newline at end of file',
      'diff --git a/gone.ts b/gone.ts',
      'deleted file mode 100644',
      'index 4444444..0000000',
      '--- a/gone.ts',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '-bye',
      'diff --git a/old name.ts b/new name.ts',
      'similarity index 90%',
      'rename from old name.ts',
      'rename to new name.ts',
      'index 5555555..6666666 100644',
      '--- a/old name.ts',
      '+++ b/new name.ts',
      '@@ -2,2 +2,0 @@',
      '-x',
      '-y',
      'diff --git a/same.ts b/moved/same.ts',
      'similarity index 100%',
      'rename from same.ts',
      'rename to moved/same.ts',
      '',
    ].join('\n'));
    assert.equal(truncated, undefined);
    assert.deepEqual(files, [
      { oldPath: 'src/a.ts', newPath: 'src/a.ts', status: 'modified', binary: false, hunks: [
        { oldStart: 3, oldLines: 1, newStart: 3, newLines: 1, removed: ['  old();'], added: ['  new();'] },
        { oldStart: 10, oldLines: 0, newStart: 11, newLines: 2, added: ['--- a/not-a-header', '+++ b/not-either'] },
      ] },
      { newPath: 'new.ts', status: 'added', binary: false, hunks: [{ oldStart: 0, oldLines: 0, newStart: 1, newLines: 2, added: ['one', 'two'] }] },
      { oldPath: 'gone.ts', status: 'deleted', binary: false, hunks: [{ oldStart: 1, oldLines: 1, newStart: 0, newLines: 0, removed: ['bye'] }] },
      { oldPath: 'old name.ts', newPath: 'new name.ts', status: 'renamed', binary: false, hunks: [{ oldStart: 2, oldLines: 2, newStart: 2, newLines: 0, removed: ['x', 'y'] }] },
      { oldPath: 'same.ts', newPath: 'moved/same.ts', status: 'renamed', binary: false, hunks: [] },
    ]);
  });

  it('lists binary files and submodules without reading them, and mode changes without hunks', () => {
    const { files } = parseUnifiedDiff([
      'diff --git a/img/logo one.png b/img/logo one.png',
      'index 1111111..2222222 100644',
      'Binary files a/img/logo one.png and b/img/logo one.png differ',
      'diff --git a/new.bin b/new.bin',
      'new file mode 100644',
      'index 0000000..3333333',
      'Binary files /dev/null and b/new.bin differ',
      'diff --git a/vendor/lib b/vendor/lib',
      'index 4444444..5555555 160000',
      '--- a/vendor/lib',
      '+++ b/vendor/lib',
      '@@ -1 +1 @@',
      '-Subproject commit 4444444',
      '+Subproject commit 5555555',
      'diff --git a/run.sh b/run.sh',
      'old mode 100644',
      'new mode 100755',
      '',
    ].join('\n'));
    assert.deepEqual(files, [
      { oldPath: 'img/logo one.png', newPath: 'img/logo one.png', status: 'modified', binary: true, hunks: [] },
      { newPath: 'new.bin', status: 'added', binary: true, hunks: [] },
      { oldPath: 'vendor/lib', newPath: 'vendor/lib', status: 'modified', binary: true, hunks: [] },
      { oldPath: 'run.sh', newPath: 'run.sh', status: 'modified', binary: false, hunks: [] },
    ]);
  });

  it('unquotes the paths git quotes (octal UTF-8 bytes, escapes)', () => {
    assert.equal(unquotePath('"a/caf\\303\\251 \\"x\\"\\tb.ts"'), 'a/café "x"\tb.ts');
    assert.equal(unquotePath('plain/path.ts'), 'plain/path.ts');
    const { files } = parseUnifiedDiff([
      'diff --git "a/tab\\there.ts" "b/tab\\there.ts"',
      'new file mode 100644',
      'index 0000000..1111111',
      'Binary files /dev/null and "b/tab\\there.ts" differ',
      '',
    ].join('\n'));
    assert.deepEqual(files.map((f) => [f.newPath, f.status]), [['tab\there.ts', 'added']]);
  });

  it('stops after maxFiles files and says so; cuts long lines', () => {
    const diff = Array.from({ length: 5 }, (_, i) => [`diff --git a/f${i} b/f${i}`, `--- a/f${i}`, `+++ b/f${i}`, '@@ -1 +1 @@', '-a', `+${'x'.repeat(50)}`].join('\n')).join('\n');
    const { files, truncated } = parseUnifiedDiff(diff, { maxFiles: 3, maxLineLength: 10 });
    assert.equal(files.length, 3);
    assert.match(truncated!, /more than 3 files/);
    assert.equal(files[0].hunks[0].added![0], 'x'.repeat(10));
  });
});
