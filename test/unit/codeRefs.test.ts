// What a `@why` tag covers (format: "References in code") and the workspace reference index.
import * as assert from 'node:assert/strict';
import { CodeReferenceIndex, coverTags, isCoverable, scanCodeText } from '../../src/core/codeRefs';
import type { FileRefs } from '../../src/core/codeRefs';
import { scanWhyTags } from '../../src/core/references';
import type { FileSyntax, SymbolNode } from '../../src/core/syntax/types';

/** A declaration node (0-based lines). */
function decl(name: string, kind: SymbolNode['kind'], startLine: number, endLine: number, children: SymbolNode[] = [], extra: Partial<SymbolNode> = {}): SymbolNode {
  return { name, kind, startLine, endLine, nameLine: startLine, nameCol: 0, children, ...extra };
}

function covered(text: string, file: string, symbols: SymbolNode[]): string[] {
  const syntax: FileSyntax = { language: 'test', symbols, errors: [] };
  return coverTags(text, file, scanWhyTags(text), syntax).map((t) => `${t.id} ${t.region.startLine}-${t.region.endLine}${t.declaration ? ` ${t.declaration.path}` : ''}`);
}

describe('codeRefs: what a tag covers', () => {
  const ts = [
    'export class CsvWriter {',          // 0
    '  // @why P-1',                      // 1
    '  flush(): void {',                  // 2
    '    go(); // @why P-2',              // 3
    '  }',                                // 4
    '',                                   // 5
    '  /**',                              // 6
    '   * Streams rows. @why P-3',        // 7
    '   */',                              // 8
    '  @logged()',                        // 9
    '  // another comment',               // 10
    '  write(rows: Row[],',               // 11
    '        more: boolean): void {',     // 12
    '  }',                                // 13
    '  close(): void { // @why P-4',      // 14
    '    done();',                        // 15
    '  }',                                // 16
    '}',                                  // 17
    '// @why P-5',                        // 18
    '',                                   // 19
    'function later() {}',                // 20
    'const x = 1; // @why P-6',           // 21
    'const s = "// @why P-7";',           // 22
  ].join('\n');
  const symbols = [decl('CsvWriter', 'class', 0, 17, [
    decl('flush', 'method', 2, 4, [], { nameCol: 2 }),
    // Decorators belong to the declaration's region; the doc comment does not.
    decl('write', 'method', 9, 13, [], { nameLine: 11, nameCol: 2 }),
    decl('close', 'method', 14, 16),
  ]), decl('later', 'function', 20, 20), decl('x', 'variable', 21, 21)];
  const result = covered(ts, 'src/csv.ts', symbols);

  it('covers the whole declaration below a comment line, with its dotted path', () => {
    assert.equal(result[0], 'P-1 2-4 CsvWriter.flush');
  });

  it('covers only its line inside a body', () => {
    assert.equal(result[1], 'P-2 3-3');
  });

  it('covers the declaration below a doc comment, across decorators and other comments', () => {
    assert.equal(result[2], 'P-3 9-13 CsvWriter.write');
  });

  it('covers the declaration whose first line it ends', () => {
    assert.equal(result[3], 'P-4 14-16 CsvWriter.close');
  });

  it('does not reach across a blank line', () => {
    assert.equal(result[4], 'P-5 18-18');
  });

  it('covers only its line on a variable that holds no function', () => {
    assert.equal(result[5], 'P-6 21-21');
  });

  it('covers only its line when it sits in a string, not a comment', () => {
    assert.equal(result[6], 'P-7 22-22');
  });

  it('covers variables holding functions, and class-likes, but not plain variables or namespaces', () => {
    assert.ok(isCoverable(decl('f', 'variable', 0, 3, [], { holdsFunction: true })));
    assert.ok(isCoverable(decl('C', 'struct', 0, 3)));
    assert.ok(!isCoverable(decl('N', 'namespace', 0, 3)));
    assert.ok(!isCoverable(decl('v', 'variable', 0, 3)));
    assert.ok(!isCoverable({ ...decl('v', 'function', 0, 3), kind: undefined }));
  });

  it('covers lines only when the language has no grammar', () => {
    const text = '// @why P-1\nfunction f() {\n}\n';
    assert.deepEqual(coverTags(text, 'a.ts', scanWhyTags(text), undefined).map((t) => t.region), [{ startLine: 0, endLine: 0 }]);
  });

  it('covers the declaration in Python and shell comment syntax too', () => {
    const py = '# @why P-1\n@cached\ndef load(self):\n    return 1\n';
    assert.deepEqual(covered(py, 'a.py', [decl('load', 'function', 1, 3)]), ['P-1 1-3 load']);
  });

  it('stops at a comment block of unbounded length without hanging', () => {
    const long = `// @why P-1\n${'// x\n'.repeat(5000)}function f() {}\n`;
    assert.deepEqual(covered(long, 'a.ts', [decl('f', 'function', 5001, 5001)]), ['P-1 0-0']);
  });
});

describe('codeRefs: scanCodeText', () => {
  it('asks for the syntax only when the file holds a tag', () => {
    let asked = 0;
    const syntax = () => {
      asked++;
      return undefined;
    };
    scanCodeText('const a = 1;\n', 'a.ts', { whyTag: '@why', trackers: [], syntax });
    assert.equal(asked, 0);
    scanCodeText('// @why P-1\n', 'a.ts', { whyTag: '@why', trackers: [], syntax });
    assert.equal(asked, 1);
  });

  it('finds nothing with an empty tag', () => {
    assert.deepEqual(scanCodeText('// @why P-1\n', 'a.ts', { whyTag: '', trackers: [] }).tags, []);
  });
});

describe('codeRefs: the workspace reference index', () => {
  const refs = (file: string, ids: string[], keys: string[] = []): FileRefs => ({
    file,
    tags: ids.map((id, line) => ({ kind: 'tag', id, line, col: 8, endCol: 8 + id.length, region: { startLine: line, endLine: line } })),
    tickets: keys.map((key, line) => ({ kind: 'ticket', key, line: 100 + line, col: 3, endCol: 3 + key.length })),
  });

  it('finds tags by id and tickets by key, file by file in order', () => {
    const index = new CodeReferenceIndex();
    index.set(refs('b.ts', ['P-1']));
    index.set(refs('a.ts', ['P-1', 'P-2'], ['ACME-1']));
    assert.deepEqual(index.tagsOf('P-1').map((t) => `${t.file}:${t.ref.line}`), ['a.ts:0', 'b.ts:0']);
    assert.deepEqual(index.mentionsOf('ACME-1').map((t) => t.file), ['a.ts']);
    assert.equal(index.size, 2);
  });

  it('replaces a file on update and forgets it on delete, leaving no stale lookups', () => {
    const index = new CodeReferenceIndex();
    index.set(refs('a.ts', ['P-1'], ['ACME-1']));
    index.set(refs('a.ts', ['P-2']));
    assert.deepEqual(index.tagsOf('P-1'), []);
    assert.deepEqual(index.mentionsOf('ACME-1'), []);
    assert.deepEqual(index.taggedIds(), ['P-2']);
    index.delete('a.ts');
    assert.deepEqual(index.tagsOf('P-2'), []);
    assert.equal(index.size, 0);
  });

  it('keeps ids such as __proto__ and constructor as plain keys', () => {
    const index = new CodeReferenceIndex();
    index.set(refs('__proto__.ts', ['__proto__', 'constructor']));
    assert.deepEqual(index.tagsOf('constructor').map((t) => t.file), ['__proto__.ts']);
    assert.deepEqual(index.tagsOf('toString'), []);
  });

  it('drops a file that no longer says anything', () => {
    const index = new CodeReferenceIndex();
    index.set(refs('a.ts', ['P-1']));
    index.set(refs('a.ts', []));
    assert.equal(index.size, 0);
    assert.deepEqual(index.files(), []);
  });
});
