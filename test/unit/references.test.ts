// References from code to problems (`@why` tags anywhere, ticket keys inside comments), their
// diagnostics, and what links a file's lines to problems (FileLinks).
import * as assert from 'node:assert/strict';
import { commentRanges } from '../../src/core/comments';
import { linksForFile } from '../../src/core/fileLinks';
import type { Link } from '../../src/core/fileLinks';
import { referenceDiagnostics, scanTicketKeys, scanWhyTags } from '../../src/core/references';
import { scanCodeText } from '../../src/core/codeRefs';
import { index, memoryCode, parse, yml } from './helpers';

const ids = (text: string, tag?: string) => scanWhyTags(text, tag).map((r) => r.id);

describe('references: @why tags', () => {
  it('reads one id, with its 0-based position', () => {
    assert.deepEqual(scanWhyTags('x = 1\n  // @why P-12\n'), [{ kind: 'tag', id: 'P-12', line: 1, col: 10, endCol: 14 }]);
  });

  it('reads a comma-separated list', () => {
    const refs = scanWhyTags('// @why P-12, P-14,P-3');
    assert.deepEqual(refs.map((r) => [r.id, r.col, r.endCol]), [['P-12', 8, 12], ['P-14', 14, 18], ['P-3', 19, 22]]);
  });

  it('accepts a colon after the tag and stops at the text after the ids', () => {
    assert.deepEqual(scanWhyTags('# @why: P-3 -- a shift is up to 10 hours').map((r) => [r.id, r.col]), [['P-3', 8]]);
    assert.deepEqual(ids('// @why P-12 because the proxy times out'), ['P-12']);
  });

  it('drops a full stop that ends a sentence', () => {
    assert.deepEqual(ids('// see @why P-12.'), ['P-12']);
    assert.deepEqual(ids('// @why A.b.c'), ['A.b.c']);
  });

  it('does not read @whyever, @why_not or @why-so as the tag', () => {
    assert.deepEqual(ids('// @whyever P-1\n// @why_not P-2\n// @why-so P-3'), []);
  });

  it('ignores a tag without ids, and ids on the next line', () => {
    assert.deepEqual(ids('// @why\n// P-1'), []);
    assert.deepEqual(ids('@why'), []);
    assert.deepEqual(ids('// @why 12'), []);
  });

  it('finds several tags, on one line and across lines, in any language', () => {
    const text = '/* @why P-1 */ x(); // @why P-2\n# @why P-3\n-- @why P-4\n<!-- @why P-5 -->';
    assert.deepEqual(scanWhyTags(text).map((r) => [r.id, r.line]), [['P-1', 0], ['P-2', 0], ['P-3', 1], ['P-4', 2], ['P-5', 3]]);
  });

  it('uses a custom tag when given, and nothing for an empty tag', () => {
    assert.deepEqual(ids('// #solves P-7 and @why P-1', '#solves'), ['P-7']);
    assert.deepEqual(ids('// @why P-1', ''), []);
  });

  it('counts positions on CRLF text', () => {
    assert.deepEqual(scanWhyTags('a\r\n// @why P-2\r\n').map((r) => [r.line, r.col]), [[1, 8]]);
  });
});

describe('references: ticket keys in comments', () => {
  const idx = index([parse(yml(
    'version: 1',
    'trackers:',
    '  - prefix: ACME',
    '    url: https://acme.example/browse/{key}',
    'problems:',
    '  - id: P-12',
    '    title: T',
  ))]);
  const keys = (text: string, file: string) => scanTicketKeys(text, file, idx.trackers).map((r) => `${r.key}@${r.line}:${r.col}`);

  it('reads keys in // and /* */ comments (multi-line), not in code or strings', () => {
    const text = [
      'const a = "ACME-1"; // ACME-2',
      '/* ACME-3',
      '   ACME-4 */ call(ACME-5);',
      "const url = 'http://x.example/ACME-6'; const t = `ACME-7 // ACME-8`;",
    ].join('\n');
    assert.deepEqual(keys(text, 'src/a.ts'), ['ACME-2@0:23', 'ACME-3@1:3', 'ACME-4@2:3']);
  });

  it('reads # comments in Python, -- in SQL, <!-- --> in HTML', () => {
    assert.deepEqual(keys('x = "ACME-1"  # ACME-2\n// ACME-3\n', 'a.py'), ['ACME-2@0:16']);
    assert.deepEqual(keys("select 'ACME-1'; -- ACME-2\n# ACME-3\n", 'q.sql'), ['ACME-2@0:20']);
    assert.deepEqual(keys('<p>ACME-1</p><!-- ACME-2\n ACME-3 --> ACME-4', 'page.html'), ['ACME-2@0:18', 'ACME-3@1:1']);
  });

  it('reads both // and # and block comments in files of unknown type', () => {
    assert.deepEqual(keys('// ACME-1\n# ACME-2\n/* ACME-3 */ ACME-4\n', 'notes.unknownext'), ['ACME-1@0:3', 'ACME-2@1:2', 'ACME-3@2:3']);
  });

  it('reads every key of a long block comment, line by line', () => {
    const lines = Array.from({ length: 50 }, (_, i) => ` * ${'x'.repeat(30)} ACME-${i}`);
    const found = scanTicketKeys(`/**\n${lines.join('\n')}\n */`, 'a.ts', idx.trackers);
    assert.equal(found.length, 50);
    assert.deepEqual([found[49].key, found[49].line], ['ACME-49', 50]);
  });

  it('finds nothing without trackers', () => {
    const none = index([parse(yml('version: 1'))]);
    assert.deepEqual(scanTicketKeys('// ACME-1', 'a.ts', none.trackers), []);
  });

  it('comment ranges: an unterminated string ends at the line, a // inside a string is not a comment', () => {
    const text = 'a = "unterminated\n// real comment\nb = "http://x" // c';
    const ranges = commentRanges(text, 'a.js').map(([s, e]) => text.slice(s, e));
    assert.deepEqual(ranges, ['// real comment', '// c']);
  });
});

describe('references: scanCodeText and referenceDiagnostics', () => {
  const idx = index([parse(yml(
    'version: 1',
    'trackers:',
    '  - prefix: ACME',
    '    url: https://acme.example/browse/{key}',
    'problems:',
    '  - {id: P-12, title: Export}',
    '  - {id: P-14, title: Columns}',
  ))]);

  it('merges tags and tickets in text order', () => {
    const scanned = scanCodeText('// ACME-9 then @why P-12\n// @why P-14 ACME-1\n', 'a.ts', { whyTag: '@why', trackers: idx.trackers });
    const refs = [...scanned.tags, ...scanned.tickets].sort((a, b) => a.line - b.line || a.col - b.col);
    assert.deepEqual(refs.map((r) => (r.kind === 'tag' ? `tag ${r.id}` : `ticket ${r.key}`)), ['ticket ACME-9', 'tag P-12', 'tag P-14', 'ticket ACME-1']);
  });

  it('reports unknown ids at the id, naming the nearest problem id', () => {
    const refs = scanCodeText('// @why P-12, P-13\n// @why Q-99 ACME-1\n', 'src/a.ts', { whyTag: '@why', trackers: idx.trackers }).tags;
    const ds = referenceDiagnostics('src/a.ts', refs, idx);
    assert.deepEqual(ds.map((d) => [d.span.line, d.span.col, d.span.endCol]), [[0, 14, 18], [1, 8, 12]]);
    for (const d of ds) {
      assert.equal(d.rule, 'unknown-reference');
      assert.equal(d.severity, 'error');
      assert.equal(d.file, 'src/a.ts');
    }
    assert.match(ds[0].message, /"P-13".*nearest problem id is "P-12"/);
    assert.match(ds[1].message, /"Q-99"/);
  });

  it('reports nothing for known ids, and gives no hint when there are no problems', () => {
    assert.deepEqual(referenceDiagnostics('a.ts', scanWhyTags('// @why P-12, P-14'), idx), []);
    const empty = index([parse(yml('version: 1'))]);
    const [d] = referenceDiagnostics('a.ts', scanWhyTags('// @why P-1'), empty);
    assert.doesNotMatch(d.message, /nearest/);
  });
});

describe('FileLinks', () => {
  const insights = yml(
    'version: 1',
    'trackers:',
    '  - prefix: ACME',
    '    url: https://acme.example/browse/{key}',
    '  - pattern: "GH-(\\\\d+)"',
    '    url: https://gh.example/{1}',
    'problems:',
    '  - id: P-1',
    '    title: Tagged, whole file',
    '    severity: high',
    '    code: [src/a.ts]',
    '  - id: P-2',
    '    title: Ticket and symbol',
    '    severity: critical',
    '    tickets: [ACME-5]',
    '    code:',
    '      - path: src/a.ts',
    '        symbol: Writer.flush',
    '  - id: P-3',
    '    title: Lines',
    '    severity: low',
    '    code:',
    '      - path: src/a.ts',
    '        lines: 9-10',
    '  - id: P-4',
    '    title: Glob',
    '    code: [src/**]',
    '  - id: P-5',
    '    title: Lost lines',
    '    code:',
    '      - path: src/a.ts',
    '        lines: 2',
    '        text: this text is gone',
    '  - id: P-6',
    '    title: Ticket in a trailing comment',
    '    tickets: [GH-9]',
    '  - id: P-7',
    '    title: Ticket in a block comment',
    '    tickets: [ACME-6]',
    '  - id: P-8',
    '    title: Elsewhere',
    '    severity: critical',
    '    code: [src/b.ts]',
  );
  const code = [
    "import x from 'y';", // 0
    '// @why P-1', // 1
    'export class Writer {', // 2
    '  // ACME-5: stream rows', // 3
    '  flush() {', // 4
    '    return 1;', // 5
    '  }', // 6
    '}', // 7
    'const s = "ACME-5"; // GH-9', // 8
    '/* multi', // 9
    '   ACME-6 */', // 10
    'export {};', // 11
  ].join('\n');
  const idx = index([parse(insights)]);
  const links = linksForFile(idx, 'src/a.ts', code, memoryCode({ 'src/a.ts': code, 'src/b.ts': '' }));
  const show = (list: Link[]) => list.map((l) => `${l.problem.id} ${l.via}`);

  it('covers a line inside a symbol: the symbol, path and glob anchors, ranked by impact', () => {
    assert.deepEqual(show(links.at(4)), ['P-2 symbol', 'P-1 path', 'P-4 path']);
    assert.deepEqual(show(links.at(6)), ['P-2 symbol', 'P-1 path', 'P-4 path']);
  });

  it('covers a tag line and a ticket comment line with their references', () => {
    assert.deepEqual(show(links.at(1)), ['P-1 path', 'P-1 tag', 'P-4 path']);
    assert.deepEqual(show(links.at(3)), ['P-2 ticket', 'P-1 path', 'P-4 path']);
  });

  it('links a ticket in a trailing comment but not the same key in a string', () => {
    assert.deepEqual(show(links.at(8)), ['P-1 path', 'P-4 path', 'P-6 ticket', 'P-3 lines']);
  });

  it('covers lines anchors by their 1-based range (0-based 8 and 9), and tickets on a block comment\'s later line', () => {
    assert.deepEqual(show(links.at(9)), ['P-1 path', 'P-4 path', 'P-3 lines']);
    assert.deepEqual(show(links.at(10)), ['P-1 path', 'P-4 path', 'P-7 ticket']);
    assert.deepEqual(show(links.at(11)), ['P-1 path', 'P-4 path']);
  });

  it('lists every link of the file once per problem and way, ranked, without lost anchors', () => {
    assert.deepEqual(show(links.all()), ['P-2 symbol', 'P-2 ticket', 'P-1 path', 'P-1 tag', 'P-4 path', 'P-6 ticket', 'P-7 ticket', 'P-3 lines']);
    assert.ok(!links.all().some((l) => l.problem.id === 'P-5'));
    assert.ok(links.anchors.some((r) => r.anchor.problemId === 'P-5' && r.status === 'lost'), 'lost anchors stay visible in .anchors');
  });

  it('lists the problems of the file, ranked', () => {
    assert.deepEqual(links.problems().map((p) => p.id), ['P-2', 'P-1', 'P-4', 'P-6', 'P-7', 'P-3']);
  });

  it('carries the anchor or the reference that made each link', () => {
    const [symbol] = links.at(4);
    assert.equal(symbol.anchor?.anchor.symbol, 'Writer.flush');
    assert.deepEqual(symbol.anchor?.region, { startLine: 4, endLine: 6 });
    const ticket = links.at(3)[0];
    assert.deepEqual(ticket.ref, { kind: 'ticket', key: 'ACME-5', line: 3, col: 5, endCol: 11 });
  });

  it('links nothing in a file no anchor names and no reference mentions', () => {
    const other = linksForFile(idx, 'lib/c.ts', 'export const c = 1;\n', memoryCode({ 'lib/c.ts': 'export const c = 1;\n' }));
    assert.deepEqual(other.all(), []);
    assert.deepEqual(other.at(0), []);
  });

  it('links a tag that names an unknown problem to nothing', () => {
    const other = linksForFile(idx, 'lib/c.ts', '// @why P-99\n', memoryCode({}));
    assert.deepEqual(other.all(), []);
  });

  it('uses a custom tag', () => {
    const other = linksForFile(idx, 'lib/c.ts', '// #solves P-8\n// @why P-1\n', memoryCode({}), '#solves');
    assert.deepEqual(show(other.all()), ['P-8 tag']);
  });
});
