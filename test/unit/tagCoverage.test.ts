// What a `@why` tag covers, end to end: real source, the real tree-sitter grammars, scanCodeText.
import * as assert from 'node:assert/strict';
import { scanCodeText } from '../../src/core/codeRefs';
import { SyntaxParser } from '../../src/syntax/treeSitter';

describe('tag coverage with the real grammars', function () {
  let parser: SyntaxParser;

  before(async function () {
    parser = await SyntaxParser.create();
  });

  async function covers(file: string, text: string): Promise<string[]> {
    await parser.prepare([file]);
    const refs = scanCodeText(text, file, { whyTag: '@why', trackers: [], syntax: (f, t) => parser.syntaxOf(f, t) });
    return refs.tags.map((t) => `${t.id} ${t.region.startLine + 1}-${t.region.endLine + 1}${t.declaration ? ` ${t.declaration.path}` : ''}`);
  }

  it('TypeScript: methods under a tag, a doc comment and a decorator; a multi-line signature; a line inside a body', async function () {
    const text = [
      'export class CsvWriter {',                 // 1
      '  // @why P-1',                             // 2
      '  async flush(',                            // 3
      '    force: boolean,',                       // 4
      '  ): Promise<void> {',                      // 5
      '    await this.sink.write(); // @why P-2',  // 6
      '  }',                                       // 7
      '',                                          // 8
      '  /** Streams rows. @why P-3 */',           // 9
      '  @logged()',                               // 10
      '  write(rows: Row[]): void {',              // 11
      '  }',                                       // 12
      '}',                                         // 13
      '',                                          // 14
      '// @why P-4',                               // 15
      'export const handler = async <T,>(',        // 16
      '  input: T,',                               // 17
      ') => {',                                    // 18
      '  return input;',                           // 19
      '};',                                        // 20
      '// @why P-5',                               // 21
      'export const COLUMNS = [',                  // 22
      "  'a',",                                    // 23
      '];',                                        // 24
      'export function merge(a: Headers) { // @why P-6', // 25
      '  return a;',                               // 26
      '}',                                         // 27
    ].join('\n');
    assert.deepEqual(await covers('src/csv.ts', text), [
      'P-1 3-7 CsvWriter.flush',
      'P-2 6-6',
      'P-3 10-12 CsvWriter.write',
      'P-4 16-20 handler',
      'P-5 21-21',
      'P-6 25-27 merge',
    ]);
  });

  it('TypeScript: a tag above an overloaded function\'s implementation, or at the end of a signature, covers every signature', async function () {
    const text = [
      'export function f(a: number): number;',            // 1
      'export function f(a: string): string; // @why P-2', // 2
      '// @why P-1',                                       // 3
      'export function f(a: any): any {',                  // 4
      '  return a;',                                       // 5
      '}',                                                 // 6
    ].join('\n');
    assert.deepEqual(await covers('src/over.ts', text), ['P-2 1-6 f', 'P-1 1-6 f']);
  });

  it('TSX: a component constant', async function () {
    const text = '// @why P-1\nexport const Button = ({ label }: Props) => (\n  <button>{label}</button>\n);\n';
    assert.deepEqual(await covers('src/Button.tsx', text), ['P-1 2-4 Button']);
  });

  it('Python: a decorated method inside a class', async function () {
    const text = [
      'class Payouts:',
      '    # @why P-2',
      '    @retry(3)',
      '    def schedule(self, day):',
      '        return day',
      '',
      '    def other(self):',
      '        pass',
    ].join('\n');
    assert.deepEqual(await covers('scripts/payouts.py', text), ['P-2 3-5 Payouts.schedule']);
  });

  it('Go: a method attached to its receiver type', async function () {
    const text = 'package csv\n\n// @why P-7\nfunc (w *Writer) Flush() error {\n\treturn nil\n}\n';
    assert.deepEqual(await covers('csv/writer.go', text), ['P-7 4-6 Writer.Flush']);
  });

  it('a language without a grammar: the tag covers its line', async function () {
    const text = '-- @why P-1\nCREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$;\n';
    assert.deepEqual(await covers('db/f.sql', text), ['P-1 1-1']);
  });

  it('a file with a syntax error still covers the declarations that parse', async function () {
    const text = '// @why P-1\nexport function ok(): number {\n  return 1;\n}\n\nfunction broken( {\n';
    assert.deepEqual(await covers('src/broken.ts', text), ['P-1 2-4 ok']);
  });
});
