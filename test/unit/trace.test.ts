// The trace matrix (src/core/trace.ts): which rows a problem gets, in which order, with which lines
// and status, and the four formats with their escaping (CSV injection, Markdown, control characters).
import * as assert from 'node:assert/strict';
import { resolveAnchor, splitLines } from '../../src/core/anchors';
import { CodeReferenceIndex, scanCodeText } from '../../src/core/codeRefs';
import { CSV_COLUMNS, csvField, lineRange, markdownText, traceCsv, traceJson, traceLinks, traceMarkdown, traceMatrix, traceText } from '../../src/core/trace';
import type { TraceGroup, TraceLink } from '../../src/core/trace';
import { index, memoryCode, parse, yml } from './helpers';

const INSIGHTS = yml(
  'version: 1',
  'trackers:',
  '  - prefix: ACME',
  '    url: https://acme.example/browse/{key}',
  'problems:',
  '  - id: P-2',
  '    title: Second in the file, first by impact',
  '    severity: critical',
  '    tickets: [ACME-7, ACME-7, ACME-8]',
  '    code:',
  '      - src/export/**',
  '      - path: src/csv.ts',
  '        symbol: CsvWriter.flush',
  '      - path: src/csv.ts',
  '        lines: 2-3',
  '        text: "const moved = true;"',
  '      - path: src/gone.ts',
  '        lines: 1',
  '      - path: src/csv.ts',
  '        symbol: Nope',
  '  - id: P-1',
  '    title: "A | pipe, `tick` <b>bold</b> & =cmd"',
  '    severity: low',
  '  - id: P-3',
  '    title: Only tags',
  '    severity: low',
);

const CSV_TS = [
  '// ACME-7 is about this file',     // 1
  'export class CsvWriter {',         // 2
  '  // @why P-2',                    // 3
  '  flush(): void {',                // 4
  '    const moved = true;',          // 5
  '  }',                              // 6
  '}',                                // 7
  'const x = 1; // @why P-3',         // 8
  '',
].join('\n');

const FILES: Record<string, string> = {
  'src/csv.ts': CSV_TS,
  'src/export/b.ts': 'b\n',
  'src/export/a.ts': 'one\ntwo\nthree\n',
  'src/export/big.bin': 'x',
};

function build(): TraceGroup[] {
  const idx = index([parse(INSIGHTS)]);
  const symbols = { 'src/csv.ts': [{ name: 'CsvWriter', kind: 'class' as const, startLine: 1, endLine: 6, nameLine: 1, nameCol: 13, children: [
    { name: 'flush', kind: 'method' as const, startLine: 3, endLine: 5, nameLine: 3, nameCol: 2, children: [] },
  ] }] };
  const code = memoryCode(FILES, symbols);
  const resolved = idx.allAnchors().map((a) => resolveAnchor(a, code));
  const refs = new CodeReferenceIndex();
  refs.set(scanCodeText(CSV_TS, 'src/csv.ts', { whyTag: '@why', trackers: idx.trackers, syntax: (f) => code.syntax!(f) }));
  refs.set(scanCodeText('// ACME-8 and ACME-7\n', 'src/other.ts', { whyTag: '@why', trackers: idx.trackers }));
  // big.bin "cannot be read as text": no line count.
  return traceMatrix(idx, resolved, refs, (file) => (file.endsWith('.bin') ? undefined : splitLines(FILES[file] ?? '').length));
}

const row = (l: TraceLink) => `${l.problem} ${l.kind} ${l.file} ${lineRange(l)} ${l.status}${l.detail ? ` [${l.detail}]` : ''}`;

describe('trace: the matrix', () => {
  const groups = build();

  it('lists problems in the order the insights file writes them, not by impact', () => {
    assert.deepEqual(groups.map((g) => g.problem.id), ['P-2', 'P-1', 'P-3']);
  });

  it('gives anchors in code order, then tags, then ticket mentions ticket by ticket', () => {
    assert.deepEqual(groups[0].links.map(row), [
      // The glob: one row per file, sorted; the whole file; unreadable text has no lines.
      'P-2 path src/export/a.ts 1-3 ok [src/export/**]',
      'P-2 path src/export/b.ts 1 ok [src/export/**]',
      'P-2 path src/export/big.bin - ok [src/export/**]',
      // The symbol's declaration from the syntax tree, 1-based.
      'P-2 symbol src/csv.ts 4-6 ok [CsvWriter.flush]',
      // Moved: where the code is now; the detail is the range as written.
      'P-2 lines src/csv.ts 5-6 moved [2-3]',
      'P-2 lines src/gone.ts - lost [1]',
      'P-2 symbol src/csv.ts - lost [Nope]',
      // The tag covers its declaration.
      'P-2 tag src/csv.ts 4-6 ok [CsvWriter.flush]',
      // ACME-7 (listed twice, reported once) then ACME-8.
      'P-2 ticket src/csv.ts 1 ok [ACME-7]',
      'P-2 ticket src/other.ts 1 ok [ACME-7]',
      'P-2 ticket src/other.ts 1 ok [ACME-8]',
    ]);
  });

  it('gives moved and lost anchors their reason', () => {
    const links = groups[0].links;
    assert.match(links[4].reason!, /moved from line 2 to line 5/);
    assert.match(links[5].reason!, /does not exist/);
    assert.match(links[6].reason!, /no symbol Nope/);
    assert.equal(links[0].reason, undefined);
  });

  it('has no rows for a problem without code, and a tag on a line covers that line', () => {
    assert.deepEqual(groups[1].links, []);
    assert.deepEqual(groups[2].links.map(row), ['P-3 tag src/csv.ts 8 ok']);
  });

  it('flattens problem by problem', () => {
    assert.equal(traceLinks(groups).length, 12);
  });
});

describe('trace: formats', () => {
  const groups = build();

  it('JSON: one object per link, lines null when unknown, detail and reason only when set', () => {
    const json = traceJson(groups);
    assert.equal(json.links.length, 12);
    assert.deepEqual(json.links[0], { problem: 'P-2', kind: 'path', file: 'src/export/a.ts', startLine: 1, endLine: 3, status: 'ok', detail: 'src/export/**' });
    assert.deepEqual(json.links[2], { problem: 'P-2', kind: 'path', file: 'src/export/big.bin', startLine: null, endLine: null, status: 'ok', detail: 'src/export/**' });
    assert.equal(json.links[5].status, 'lost');
    assert.equal(typeof json.links[5].reason, 'string');
    assert.deepEqual(Object.keys(json.links[11]).sort(), ['endLine', 'file', 'kind', 'problem', 'startLine', 'status']);
  });

  it('CSV: a header, CRLF records, the same columns for every row', () => {
    const csv = traceCsv(groups);
    assert.ok(csv.endsWith('\r\n'));
    const records = csv.slice(0, -2).split('\r\n');
    assert.equal(records[0], CSV_COLUMNS.join(','));
    assert.equal(records.length, 13);
    assert.equal(records[1], 'P-2,path,src/export/a.ts,1,3,ok,src/export/**,');
    assert.equal(records[3], 'P-2,path,src/export/big.bin,,,ok,src/export/**,');
  });

  it('CSV: quotes fields only when needed, doubling quotes', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField(12), '12');
    assert.equal(csvField(undefined), '');
  });

  it('CSV: neutralises formulas (=, +, -, @) and control characters', () => {
    assert.equal(csvField('=HYPERLINK("http://evil")'), '"\'=HYPERLINK(""http://evil"")"');
    assert.equal(csvField('+1'), "'+1");
    assert.equal(csvField('-2'), "'-2");
    assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvField('a\nb'), 'a\\u000ab');
    assert.equal(csvField('\u001b[2J'), '\\u001b[2J');
    assert.equal(csvField('P-2'), 'P-2', 'a dash inside is harmless');
  });

  it('Markdown: a table per problem, a sentence for a problem without code', () => {
    const md = traceMarkdown(groups);
    assert.match(md, /^# Trace: customer problems to code\n\n## P-2: Second in the file, first by impact\n\n\| Kind \| File \| Lines \| Status \| Detail \|\n\| --- \| --- \| --- \| --- \| --- \|\n\| path \| src/m);
    assert.match(md, /\| lines \| src\/gone\.ts \| - \| lost \| 1: "src\/gone\.ts" does not exist \|/);
    assert.match(md, /## P-1: .*\n\nNo code is linked to this problem\.\n/);
    // Every table row has exactly the five cells of the header.
    for (const line of md.split('\n').filter((l) => l.startsWith('| '))) {
      assert.equal(line.replace(/\\\|/g, '').split('|').length - 2, 5, line);
    }
  });

  it('Markdown: escapes pipes, backticks, emphasis, brackets and HTML in every value', () => {
    assert.equal(markdownText('A | pipe, `tick` <b>bold</b> & =cmd'), 'A \\| pipe, \\`tick\\` &lt;b&gt;bold&lt;/b&gt; &amp; =cmd');
    assert.equal(markdownText('[link](javascript:x) *em* _u_ ~s~ $x$ \\'), '\\[link\\](javascript:x) \\*em\\* \\_u\\_ \\~s\\~ \\$x\\$ \\\\');
    // The backslash of the visible escape is itself escaped, so it renders as written.
    assert.equal(markdownText('two\nlines\u0007'), 'two lines\\\\u0007');
    assert.match(traceMarkdown(groups), /## P-1: A \\\| pipe, \\`tick\\` &lt;b&gt;bold&lt;\/b&gt; &amp; =cmd\n/);
  });

  it('text: a table grouped by problem, columns aligned, a summary line', () => {
    const lines = traceText(groups);
    assert.equal(lines[0], 'P-2  Second in the file, first by impact');
    assert.match(lines[1], /^ {2}path {4}src\/export\/a\.ts {5}1-3 {2}ok {5}src\/export\/\*\*$/);
    const p1 = lines.indexOf('P-1  A | pipe, `tick` <b>bold</b> & =cmd');
    assert.equal(lines[p1 + 1], '  (no code linked)');
    assert.equal(lines[lines.length - 1], '3 problems, 12 links (1 moved, 2 lost); 1 problem without code');
    // File columns line up.
    const fileCols = lines.filter((l) => /^ {2}(path|symbol|lines|tag|ticket) /.test(l)).map((l) => l.indexOf('src/'));
    assert.equal(new Set(fileCols).size, 1, lines.join('\n'));
  });

  it('text: control characters from the insights file never reach the terminal raw', () => {
    const idx = index([parse(yml('version: 1', 'problems:', '  - id: P-1', '    title: "evil \\u001b[2J title"'))]);
    const lines = traceText(traceMatrix(idx, [], new CodeReferenceIndex(), () => undefined));
    assert.equal(lines[0], 'P-1  evil \\u001b[2J title');
    for (const l of lines) assert.doesNotMatch(l, /[\u0000-\u001f\u007f-\u009f]/);
  });
});
