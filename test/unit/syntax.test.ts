// Declarations from the tree-sitter grammars (@vscode/tree-sitter-wasm, loaded from node_modules):
// names, nesting and regions per language, syntax errors, hostile input, the parser's cache, time
// and size bounds, and that WASM memory stays flat over many parses.
import * as assert from 'node:assert/strict';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { findInSymbols } from '../../src/core/anchors';
import { MAX_DEPTH } from '../../src/core/syntax/declarations';
import type { FileSyntax, SymbolNode } from '../../src/core/syntax/types';
import { SyntaxParser, defaultWasmDir, grammarFor, repairTypeScript } from '../../src/syntax/treeSitter';

let parser: SyntaxParser;

const FILES = ['a.ts', 'a.tsx', 'a.js', 'a.py', 'a.go', 'a.rs', 'A.java', 'a.cs', 'a.cpp', 'a.rb', 'a.php', 'a.sh'];

before(async function () {
  this.timeout(30_000);
  parser = await SyntaxParser.create(defaultWasmDir());
  await parser.prepare(FILES);
});

after(() => parser?.dispose());

/** The lines, joined; the tests count lines from 1 as an editor shows them. */
const src = (...lines: string[]) => `${lines.join('\n')}\n`;

function syntax(file: string, text: string): FileSyntax {
  const r = parser.parse(file, text);
  assert.ok(r.syntax, `no syntax for ${file}: ${r.reason}`);
  return r.syntax;
}

/** Every symbol by dotted path, as "start-end" in 1-based lines (and its kind). */
function flat(s: FileSyntax): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (nodes: SymbolNode[], chain: string[]) => {
    for (const n of nodes) {
      const p = [...chain, n.name];
      out[p.join('.')] = `${n.startLine + 1}-${n.endLine + 1} ${n.kind}${n.holdsFunction ? ' fn' : ''}`;
      walk(n.children, p);
    }
  };
  walk(s.symbols, []);
  return out;
}

/** The symbol a `symbol:` anchor finds, as the resolver looks it up. */
function at(s: FileSyntax, dotted: string): SymbolNode {
  const found = findInSymbols(s.symbols, dotted.split('.'));
  assert.ok(found, `${dotted} not found in ${JSON.stringify(flat(s), null, 1)}`);
  return found;
}

/** Region (1-based "start-end") and name position (1-based line, 0-based column). */
function region(s: FileSyntax, dotted: string): string {
  const n = at(s, dotted);
  return `${n.startLine + 1}-${n.endLine + 1} @${n.nameLine + 1}:${n.nameCol}`;
}

describe('syntax: which grammar', () => {
  it('goes by extension', () => {
    const cases: Record<string, string | undefined> = {
      'a.ts': 'typescript', 'a.mts': 'typescript', 'a.cts': 'typescript', 'a.tsx': 'tsx', 'a.js': 'javascript',
      'a.mjs': 'javascript', 'a.cjs': 'javascript', 'a.jsx': 'javascript', 'a.py': 'python', 'a.pyi': 'python',
      'a.go': 'go', 'A.java': 'java', 'a.cs': 'c-sharp', 'a.cpp': 'cpp', 'a.cc': 'cpp', 'a.cxx': 'cpp',
      'a.hpp': 'cpp', 'a.hh': 'cpp', 'a.h': 'cpp', 'a.rs': 'rust', 'a.rb': 'ruby', 'a.php': 'php',
      'a.sh': 'bash', 'a.bash': 'bash', 'src/A.TS': 'typescript',
      'a.md': undefined, 'Makefile': undefined, 'dir.ts/file': undefined, '.ts': 'typescript',
    };
    for (const [file, grammar] of Object.entries(cases)) assert.equal(grammarFor(file), grammar, file);
  });

  it('gives no syntax, and says why, without a grammar', () => {
    const r = parser.parse('notes.md', '# hi');
    assert.equal(r.syntax, undefined);
    assert.match(r.reason!, /no grammar/);
    assert.equal(parser.syntaxOf('notes.md', '# hi'), undefined);
  });
});

describe('syntax: TypeScript', () => {
  it('covers multi-line signatures, generics over several lines and a brace lines below the name', () => {
    const s = syntax('a.ts', src(
      '/** The writer. */', //                                          1
      'export class CsvWriter<', //                                      2
      '  Row extends object,', //                                        3
      '  Out = string,', //                                              4
      '> {', //                                                          5
      '  /** Flushes. */', //                                            6
      '  async flush(', //                                               7
      '    rows: Row[],', //                                             8
      '    options: { force: boolean },', //                             9
      '  ): Promise<void>', //                                           10
      '  {', //                                                          11
      '    await write(rows);', //                                       12
      '  }', //                                                          13
      '}', //                                                            14
    ));
    assert.equal(region(s, 'CsvWriter'), '2-14 @2:13');
    assert.equal(region(s, 'CsvWriter.flush'), '7-13 @7:8');
    assert.equal(at(s, 'flush').kind, 'method');
    assert.deepEqual(s.errors, []);
  });

  it('merges overloads: the region spans from the first signature to the implementation', () => {
    const s = syntax('a.ts', src(
      '/** Parses. */',
      'export function parse(a: string): number;', // 2
      '/** Parses a number. */',
      'export function parse(a: number): number;', // 4
      'export function parse(a: unknown): number {', // 5
      '  return 1;',
      '}', // 7
      'class C {',
      '  m(a: string): void;', // 9
      '  m(a: any) {', // 10
      '  }', // 11
      '  get v(): number { return 1 }', // 12
      '  set v(x: number) {}', // 13
      '}',
      'function parse2() {}',
    ));
    assert.equal(region(s, 'parse'), '2-7 @2:16');
    assert.equal(region(s, 'C.m'), '9-11 @9:2');
    assert.equal(region(s, 'C.v'), '12-13 @12:6');
    assert.equal(s.symbols.filter((x) => x.name === 'parse').length, 1);
    assert.equal(region(s, 'parse2'), '15-15 @15:9');
  });

  it('starts at decorators and modifiers, never at the doc comment', () => {
    const s = syntax('a.ts', src(
      '/**', //                                1
      ' * A component.', //                    2
      ' */', //                                3
      '@Component({', //                       4
      '  selector: "x",', //                   5
      '})', //                                 6
      'export class Widget {', //              7
      '  /** Size. */', //                     8
      '  @Input()', //                         9
      '  @Other()', //                         10
      '  size = 1;', //                        11
      '  // plain', //                         12
      '  @HostListener("click")', //           13
      '  onClick(): void {', //                14
      '  }', //                                15
      '  @Input() inline = 2;', //             16
      '}', //                                  17
      'export @dec class Later {}', //         18
    ));
    assert.equal(region(s, 'Widget'), '4-17 @7:13');
    assert.equal(region(s, 'Widget.size'), '9-11 @11:2');
    assert.equal(region(s, 'Widget.onClick'), '13-15 @14:2');
    assert.equal(region(s, 'Widget.inline'), '16-16 @16:11');
    assert.equal(region(s, 'Later'), '18-18 @18:18');
  });

  it('knows arrow-function and function-expression constants, and lists every declarator', () => {
    const s = syntax('a.ts', src(
      'export const handler = async (req: Request): Promise<void> => {', // 1
      '  await go(req);',
      '};', // 3
      'const legacy = function (a: number) {', // 4
      '  return a;',
      '}', // 6
      'export const LIMIT = 10, twice = (n: number) => n * 2;', // 7
      'let counter = 0;', // 8
      'const cast = (() => 1) as unknown as () => number;', // 9
      'export function outer() {',
      '  const local = () => 1;', // 11: not a module-level declaration
      '}',
    ));
    const f = flat(s);
    assert.equal(f.handler, '1-3 variable fn');
    assert.equal(f.legacy, '4-6 variable fn');
    assert.equal(f.LIMIT, '7-7 variable');
    assert.equal(f.twice, '7-7 variable fn');
    assert.equal(f.counter, '8-8 variable');
    assert.equal(f.cast, '9-9 variable fn');
    assert.equal(f['outer.local'], undefined);
    assert.equal(f.local, undefined);
  });

  it('nests namespaces: `namespace A.B`, nested namespaces, declare module and declare global', () => {
    const s = syntax('a.ts', src(
      'export namespace Outer.Inner {', //      1
      '  export function f() {}', //           2
      '}', //                                  3
      'namespace A {', //                      4
      '  export namespace B {', //             5
      '    export class C {', //               6
      '      m() {}', //                       7
      '    }', //                              8
      '  }', //                                9
      '}', //                                  10
      'declare module "pkg" {', //             11
      '  export interface Opts { a: number }', // 12
      '}', //                                  13
      'declare global {', //                   14
      '  interface Window { lens: unknown }', // 15
      '}', //                                  16
    ));
    assert.equal(region(s, 'Outer'), '1-3 @1:17');
    assert.equal(region(s, 'Outer.Inner'), '1-3 @1:23');
    assert.equal(region(s, 'Outer.Inner.f'), '2-2 @2:18');
    assert.equal(region(s, 'A.B.C.m'), '7-7 @7:6');
    assert.equal(region(s, 'B.C'), '6-8 @6:17');
    assert.equal(region(s, 'pkg.Opts.a'), '12-12 @12:26');
    assert.equal(region(s, 'global.Window.lens'), '15-15 @15:21');
    assert.equal(at(s, 'A').kind, 'namespace');
  });

  it('lists object-literal members of a constant, nested, with functions marked', () => {
    const s = syntax('a.ts', src(
      'export const api = {', //             1
      '  get(url: string) {', //             2
      '    return fetch(url);', //           3
      '  },', //                             4
      '  post: async () => {', //            5
      '  },', //                             6
      '  "x-header": "v",', //               7
      '  admin: {', //                       8
      '    reset() {},', //                  9
      '  },', //                             10
      '  [computed]: 1,', //                 11
      '} as const;', //                      12
    ));
    const f = flat(s);
    assert.equal(f.api, '1-12 variable');
    assert.equal(f['api.get'], '2-4 method');
    assert.equal(f['api.post'], '5-6 property fn');
    assert.equal(f['api.x-header'], '7-7 property');
    assert.equal(f['api.admin.reset'], '9-9 method');
    assert.equal(Object.keys(f).length, 6);
  });

  it('lists class fields, accessors, constructors, abstract and declare members', () => {
    const s = syntax('a.ts', src(
      'export abstract class Base<T> {', //                 1
      '  static #count = 0;', //                            2
      '  private readonly items: T[] = [];', //             3
      '  declare tag: string;', //                          4
      '  protected abstract load(): Promise<T>;', //        5
      '  constructor(private readonly name: string) {', //  6
      '  }', //                                             7
      '  get size(): number {', //                          8
      '    return this.items.length;', //                   9
      '  }', //                                             10
      '  onChange = (v: T) => {};', //                      11
      '}', //                                               12
      'declare class Ambient { m(): void }', //             13
      'declare function ambient(): void;', //               14
      'export interface Shape {', //                        15
      '  readonly area: number;', //                        16
      '  scale(by: number): Shape;', //                     17
      '}', //                                               18
      'export type Id = string | number;', //               19
      'export enum Color { Red, Green }', //                20
      'export default function () {}', //                   21
    ));
    const f = flat(s);
    assert.equal(f.Base, '1-12 class');
    assert.equal(f['Base.#count'], '2-2 property');
    assert.equal(f['Base.items'], '3-3 property');
    assert.equal(f['Base.tag'], '4-4 property');
    assert.equal(f['Base.load'], '5-5 method');
    assert.equal(f['Base.constructor'], '6-7 constructor');
    assert.equal(f['Base.size'], '8-10 method');
    assert.equal(f['Base.onChange'], '11-11 property fn');
    assert.equal(f['Ambient.m'], '13-13 method');
    assert.equal(f.ambient, '14-14 function');
    assert.equal(f['Shape.area'], '16-16 property');
    assert.equal(f['Shape.scale'], '17-17 method');
    assert.equal(f.Id, '19-19 type');
    assert.equal(f.Color, '20-20 enum');
    assert.equal(f.default, '21-21 function');
  });

  it('finds `export default function` and `export default class` by name', () => {
    const s = syntax('a.ts', src('export default function main() {', '}', 'export default class Named {}'));
    assert.equal(region(s, 'main'), '1-2 @1:24');
    assert.equal(region(s, 'Named'), '3-3 @3:21');
  });

  it('reads JSX and TSX components', () => {
    const tsx = syntax('a.tsx', src(
      'export const Button = ({ label }: Props) => <button>{label}</button>;', // 1
      'export function App() {', //                                          2
      '  return (', //                                                       3
      '    <div>', //                                                        4
      '      <Button label="x" />', //                                       5
      '    </div>', //                                                       6
      '  );', //                                                             7
      '}', //                                                                8
      'export const Memo = memo(function Memo() { return <i/>; });', //      9
      'export default class Page extends React.Component {', //              10
      '  render() { return <p/>; }', //                                      11
      '}', //                                                                12
    ));
    const f = flat(tsx);
    assert.equal(f.Button, '1-1 variable fn');
    assert.equal(f.App, '2-8 function');
    assert.equal(f.Memo, '9-9 variable fn');
    assert.equal(f['Page.render'], '11-11 method');
    assert.deepEqual(tsx.errors, []);
    const jsx = syntax('a.js', src('export const Card = () => (', '  <div className="card" />', ');', 'class K { static x = 1; #y = function () {}; }'));
    assert.equal(flat(jsx).Card, '1-3 variable fn');
    assert.equal(flat(jsx)['K.#y'], '4-4 property fn');
    assert.deepEqual(jsx.errors, []);
  });

  it('keeps the declarations of a file with a syntax error and reports the error region', () => {
    const s = syntax('a.ts', src(
      'export function before() {', //   1
      '  return 1;', //                  2
      '}', //                            3
      'export class Ok {', //            4
      '  m() {}', //                     5
      '}', //                            6
      'const broken = (;', //            7
      'export function after() {', //    8
      '}', //                            9
    ));
    assert.equal(region(s, 'before'), '1-3 @1:16');
    assert.equal(region(s, 'Ok.m'), '5-5 @5:2');
    assert.ok(s.errors.length > 0, 'an error region');
    assert.ok(s.errors.every((e) => e.startLine >= 6 && e.endLine <= 8), JSON.stringify(s.errors));
  });

  it('repairs what the grammar cannot read: variance modifiers, call signatures without `;`', () => {
    const text = src(
      'export interface Box<in out A, out B = never> {', // 1
      '  readonly value: A', //                            2
      '}', //                                              3
      'export const map: {', //                            4
      '  <A, B>(f: (a: A) => B): (self: Box<A>) => Box<B>', // 5
      '  /** data first */', //                            6
      '  <A, B>(self: Box<A>, f: (a: A) => B): Box<B>', //  7
      '} = dual(2, (self, f) => self)', //                 8
      'export interface Param {', //                       9
      '  name: string', //                                 10
      '  in: "query" | "path"', //                         11
      '}', //                                              12
      'type Msg<U extends string> = `use \\`${U}\\``', //  13
      'export const after = 1', //                         14
    );
    const repaired = repairTypeScript(text)!;
    assert.equal(repaired.split('\n').length, text.split('\n').length);
    assert.ok(repaired.includes('interface Box<       A,     B = never>'), repaired);
    const s = syntax('a.ts', text);
    assert.deepEqual(s.errors, []);
    assert.equal(region(s, 'Box'), '1-3 @1:17');
    assert.equal(region(s, 'map'), '4-8 @4:13');
    assert.equal(region(s, 'Param'), '9-12 @9:17');
    assert.equal(region(s, 'Param.in'), '11-11 @11:2');
    assert.equal(region(s, 'Msg'), '13-13 @13:5');
    assert.equal(region(s, 'after'), '14-14 @14:13');
    assert.equal(repairTypeScript('const a = 1;\n'), undefined);
  });

  it('unescapes string keys, as the compiler names them', () => {
    const s = syntax('a.ts', src('const m = { "a\\tb": 1, \'it\\\'s\': 2 };'));
    assert.deepEqual(at(s, 'm').children.map((c) => c.name), ['a\tb', "it's"]);
  });

  it('counts name columns in UTF-16 units, as editors do', () => {
    const s = syntax('a.ts', src('const é = 1; const 😀x = 2; function ü() {}'));
    assert.equal(region(s, 'ü'), '1-1 @1:37');
  });
});

describe('syntax: other languages', () => {
  it('Python: decorators, nested classes, methods, module variables', () => {
    const s = syntax('a.py', src(
      'import os', //                          1
      '', //                                   2
      '@dataclass', //                         3
      '@frozen(True)', //                      4
      'class Report(Base):', //                5
      '    """Doc."""', //                     6
      '    limit: int = 10', //                7
      '    class Row:', //                     8
      '        def cells(self):', //           9
      '            return []', //              10
      '    @property', //                      11
      '    def size(self):', //                12
      '        return 1', //                   13
      '    @size.setter', //                   14
      '    def size(self, v):', //             15
      '        pass', //                       16
      '    def __init__(self):', //            17
      '        def helper(): pass', //         18
      '', //                                   19
      'async def export(report,', //           20
      '                 fmt):', //             21
      '    pass', //                           22
      'HANDLER = lambda r: r', //              23
    ));
    const f = flat(s);
    assert.equal(f.Report, '3-18 class');
    assert.equal(f['Report.limit'], '7-7 property');
    assert.equal(f['Report.Row.cells'], '9-10 method');
    assert.equal(f['Report.size'], '11-16 method');
    assert.equal(f['Report.__init__'], '17-18 constructor');
    assert.equal(f['Report.__init__.helper'], undefined);
    assert.equal(f.export, '20-22 function');
    assert.equal(f.HANDLER, '23-23 variable fn');
    assert.equal(region(s, 'Report'), '3-18 @5:6');
  });

  it('Go: methods join their receiver type, here or in another file', () => {
    const s = syntax('a.go', src(
      'package export', //                             1
      '', //                                           2
      '// Writer writes.', //                          3
      'type Writer struct {', //                       4
      '\tbuf []byte', //                               5
      '}', //                                          6
      '', //                                           7
      'func (w *Writer) Flush() error {', //           8
      '\treturn nil', //                               9
      '}', //                                          10
      'func (r Reader[T]) Next() T {', //              11
      '}', //                                          12
      'func (r *Reader[T]) Close() {}', //             13
      'func New[T any](x T) *Writer {', //             14
      '\treturn nil', //                               15
      '}', //                                          16
      'type (', //                                     17
      '\tSink interface { Write(p []byte) }', //       18
      '\tID = string', //                              19
      ')', //                                          20
      'var Default = func() {}', //                    21
    ));
    const f = flat(s);
    assert.equal(f.Writer, '4-6 struct');
    assert.equal(f['Writer.buf'], '5-5 property');
    assert.equal(f['Writer.Flush'], '8-10 method');
    assert.equal(f.Reader, '11-13 impl');
    assert.equal(f['Reader.Next'], '11-12 method');
    assert.equal(f['Reader.Close'], '13-13 method');
    assert.equal(f.New, '14-16 function');
    assert.equal(f.Sink, '18-18 interface');
    assert.equal(f['Sink.Write'], '18-18 method');
    assert.equal(f.ID, '19-19 type');
    assert.equal(f.Default, '21-21 variable fn');
    assert.equal(region(s, 'Writer.Flush'), '8-10 @8:17');
  });

  it('Rust: attributes above, impl and trait impl blocks, traits, modules', () => {
    const s = syntax('a.rs', src(
      '/// A writer.', //                              1
      '#[derive(Debug)]', //                           2
      '#[cfg(feature = "csv")]', //                    3
      'pub struct Writer { buf: Vec<u8> }', //         4
      'pub trait Flush {', //                          5
      '    fn flush(&mut self);', //                   6
      '}', //                                          7
      'impl Writer {', //                              8
      '    #[inline]', //                              9
      '    pub fn new() -> Self {', //                 10
      '        Writer { buf: vec![] }', //             11
      '    }', //                                      12
      '}', //                                          13
      'impl<T> Flush for Writer<T> {', //              14
      '    fn flush(&mut self) {}', //                 15
      '}', //                                          16
      'mod tests {', //                                17
      '    #[test]', //                                18
      '    fn it_works() {}', //                       19
      '}', //                                          20
      'pub enum Kind { A, B }', //                     21
    ));
    const f = flat(s);
    assert.equal(region(s, 'Writer'), '2-4 @4:11');
    assert.equal(f['Writer.buf'], '4-4 property');
    assert.equal(f['Flush.flush'], '6-6 method');
    assert.equal(region(s, 'Writer.new'), '9-12 @10:11');
    assert.equal(region(s, 'Writer.flush'), '15-15 @15:7');
    assert.equal(region(s, 'tests.it_works'), '18-19 @19:7');
    assert.equal(f.Kind, '21-21 enum');
  });

  it('Java: annotations, constructors, fields, nested types, records, enums', () => {
    const s = syntax('A.java', src(
      'package shop;', //                               1
      '/** Doc. */', //                                 2
      '@Service', //                                    3
      '@RequestMapping("/x")', //                       4
      'public class Exporter<T> extends Base {', //     5
      '  @Autowired private Repo repo, other;', //      6
      '  public Exporter() {}', //                      7
      '  @Override', //                                 8
      '  public <U> void export(U u)', //               9
      '  {', //                                         10
      '  }', //                                         11
      '  interface Sink { void write(); }', //          12
      '  enum Mode { A, B; void m() {} }', //           13
      '  record Row(int a) {}', //                      14
      '}', //                                           15
    ));
    const f = flat(s);
    assert.equal(region(s, 'Exporter'), '3-15 @5:13');
    assert.equal(f['Exporter.repo'], '6-6 property');
    assert.equal(f['Exporter.other'], '6-6 property');
    assert.equal(f['Exporter.Exporter'], '7-7 constructor');
    assert.equal(region(s, 'Exporter.export'), '8-11 @9:18');
    assert.equal(f['Exporter.Sink.write'], '12-12 method');
    assert.equal(f['Exporter.Mode.m'], '13-13 method');
    assert.equal(f['Exporter.Row'], '14-14 class');
  });

  it('C#: attributes, file-scoped namespace, properties and fields', () => {
    const s = syntax('a.cs', src(
      'namespace Acme.Shop;', //                          1
      '', //                                              2
      '/// <summary>Doc.</summary>', //                   3
      '[Serializable]', //                                4
      'public class Writer : IWriter', //                 5
      '{', //                                             6
      '    [Obsolete("x")]', //                           7
      '    public int Count { get; set; }', //            8
      '    private int _a = 1, _b;', //                   9
      '    public Writer() { }', //                       10
      '    public void Flush()', //                       11
      '    {', //                                         12
      '    }', //                                         13
      '}', //                                             14
      'public interface IWriter { void Flush(); }', //    15
    ));
    const f = flat(s);
    assert.equal(f.Acme, '1-15 namespace');
    assert.equal(f['Acme.Shop'], '1-15 namespace');
    assert.equal(region(s, 'Acme.Shop.Writer'), '4-14 @5:13');
    assert.equal(region(s, 'Writer.Count'), '7-8 @8:15');
    assert.equal(f['Acme.Shop.Writer._b'], '9-9 property');
    assert.equal(f['Acme.Shop.Writer.Writer'], '10-10 constructor');
    assert.equal(f['Acme.Shop.Writer.Flush'], '11-13 method');
    assert.equal(f['Acme.Shop.IWriter.Flush'], '15-15 method');
    const block = syntax('a.cs', src('namespace A.B {', '  class C { void M() {} }', '}'));
    assert.equal(flat(block)['A.B.C.M'], '2-2 method');
  });

  it('C++: namespaces, classes, qualified out-of-line definitions, templates, include guards', () => {
    const s = syntax('a.cpp', src(
      '#ifndef W_H', //                             1
      '#define W_H', //                             2
      'namespace io { namespace csv {', //          3
      'class Writer {', //                          4
      ' public:', //                                5
      '  Writer();', //                             6
      '  void flush();', //                         7
      '  int rows;', //                             8
      '};', //                                      9
      '} }', //                                     10
      'void io::csv::Writer::flush() {', //         11
      '}', //                                       12
      'Reader::Reader() {}', //                     13
      'template <typename T>', //                   14
      'T max(T a, T b) { return a; }', //           15
      'namespace { int hidden() { return 0; } }', // 16
      '#endif', //                                  17
    ));
    const f = flat(s);
    assert.equal(f['io.csv.Writer'], '4-9 class');
    assert.equal(f['io.csv.Writer.flush'], '11-12 method');
    assert.equal(f['io.csv.Writer.Writer'], '6-6 constructor');
    assert.equal(f['io.csv.Writer.rows'], '8-8 property');
    assert.equal(f['Reader.Reader'], '13-13 constructor');
    assert.equal(f.max, '14-15 function');
    assert.equal(f.hidden, '16-16 function');
  });

  it('Ruby, PHP and Bash', () => {
    const rb = flat(syntax('a.rb', src('module Shop', '  class Cart < Base', '    def total(a)', '    end', '    def self.empty; end', '  end', 'end', 'class Shop::Order; end')));
    assert.equal(rb['Shop.Cart.total'], '3-4 method');
    assert.equal(rb['Shop.Cart.empty'], '5-5 method');
    assert.equal(rb['Shop.Order'], '8-8 class');
    const php = flat(syntax('a.php', src('<?php', 'namespace App\\Http;', '#[Attr]', 'class Controller {', '  public function index() {}', '  public function __construct() {}', '}', 'function helper() {}')));
    assert.equal(php['App.Http.Controller'], '3-7 class');
    assert.equal(php['App.Http.Controller.index'], '5-5 method');
    assert.equal(php['App.Http.Controller.__construct'], '6-6 constructor');
    assert.equal(php['App.Http.helper'], '8-8 function');
    const sh = flat(syntax('a.sh', src('#!/bin/bash', 'function deploy() {', '  echo', '}', 'build() { make; }')));
    assert.equal(sh.deploy, '2-4 function');
    assert.equal(sh.build, '5-5 function');
  });
});

describe('syntax: hostile input and bounds', () => {
  it('survives deeply nested code: no crash, nesting capped', function () {
    this.timeout(30_000);
    const depth = 3000;
    const namespaces = `${'namespace N { '.repeat(depth)}${'}'.repeat(depth)}\nexport function last() {}\n`;
    const s = syntax('a.ts', namespaces);
    let levels = 0;
    for (let n: SymbolNode | undefined = s.symbols[0]; n; n = n.children[0]) levels++;
    assert.ok(levels <= MAX_DEPTH, `${levels} levels`);
    assert.ok(levels > 100, `${levels} levels`);
    assert.equal(region(s, 'last'), '2-2 @2:16');
    const brackets = syntax('a.ts', `const deep = ${'['.repeat(5_000)}${']'.repeat(5_000)};\nfunction ok() {}\n`);
    assert.ok(findInSymbols(brackets.symbols, ['ok']));
    // Deeper still, the grammar may take longer than the time bound: an answer either way.
    const deeper = parser.parse('a.ts', `const deep = ${'['.repeat(50_000)}${']'.repeat(50_000)};\nfunction ok() {}\n`);
    assert.ok(deeper.syntax ? findInSymbols(deeper.syntax.symbols, ['ok']) : /longer than/.test(deeper.reason!), deeper.reason);
    const py = syntax('a.py', `${Array.from({ length: 400 }, (_, i) => `${'    '.repeat(i)}class C${i}:`).join('\n')}\n${'    '.repeat(400)}pass\n`);
    assert.ok(py.symbols.length === 1);
    const garbage = syntax('a.ts', '}{)(][ <<>> '.repeat(2_000));
    assert.ok(garbage.errors.length >= 1 && garbage.errors.length <= 1000);
    const more = parser.parse('a.ts', '}{)(][ <<>> '.repeat(50_000));
    assert.ok(more.syntax ? more.syntax.errors.length <= 1000 : /longer than/.test(more.reason!), more.reason);
  });

  it('refuses files over 1 MB and says so', () => {
    const r = parser.parse('big.ts', `const x = "${'a'.repeat(1024 * 1024)}";\n`);
    assert.equal(r.syntax, undefined);
    assert.match(r.reason!, /larger than 1024 KB/);
  });

  it('cancels a parse that takes too long, and the next parse works', async () => {
    const slow = await SyntaxParser.create(defaultWasmDir(), { timeoutMs: 1 });
    await slow.prepare(['a.ts']);
    const text = Array.from({ length: 10_000 }, (_, i) => `export function f${i}(a: number) { return a * ${i}; }`).join('\n');
    const r = slow.parse('a.ts', text);
    assert.equal(r.syntax, undefined);
    assert.equal(r.unparsed, true);
    assert.match(r.reason!, /longer than 0\.001 s/);
    assert.equal(slow.stats.cancelled, 1);
    // To callers that fall back to a textual search when a language has no grammar, an unparsed
    // file is not "no grammar": it comes back marked incomplete, with no declarations to trust.
    const marked = slow.syntaxOf('a.ts', `${text}\n`);
    assert.deepEqual([marked?.symbols, marked?.incomplete?.startsWith('parsing took longer')], [[], true]);
    slow.dispose();
    assert.ok(parser.syntaxOf('a.ts', 'function fine() {}\n')?.symbols.length === 1);
  });

  it('answers from its cache for the same text, with the same data', () => {
    const text = 'export class Cached { m() {} }\n';
    const first = parser.parse('x/one.ts', text);
    const hits = parser.stats.cacheHits;
    const second = parser.parse('y/two.ts', text);
    assert.equal(second.cached, true);
    assert.equal(second.syntax, first.syntax);
    assert.equal(parser.stats.cacheHits, hits + 1);
    // Another grammar is another entry.
    assert.notEqual(parser.parse('z.tsx', text).syntax, first.syntax);
  });

  it('keeps its cache bounded', async () => {
    const small = await SyntaxParser.create(defaultWasmDir(), { cacheEntries: 5 });
    await small.prepare(['a.py']);
    for (let i = 0; i < 50; i++) small.syntaxOf('a.py', `x${i} = ${i}\n`);
    assert.equal(small.cacheSize, 5);
    small.dispose();
  });

  it('keeps memory flat over 1,000 parses of an edited file', async function () {
    this.timeout(120_000);
    const p = await SyntaxParser.create(defaultWasmDir(), { cacheEntries: 10 });
    await p.prepare(['a.ts']);
    const lines = Array.from({ length: 600 }, (_, i) => (i % 6 === 0 ? `export class C${i} {` : i % 6 === 5 ? '}' : `  m${i}(a: number): number { return a + ${i}; }`));
    const edited = (i: number) => {
      const copy = lines.slice();
      const k = (i * 37) % copy.length;
      copy[k] = `${copy[k]} // ${i}`;
      return copy.join('\n');
    };
    // A real collection between the measurements (mocha runs without --expose-gc): what stays is
    // what leaked. Trees live in WASM memory, which no collection frees: that is the one to watch;
    // the JS heap after a collection is the other. RSS moves with the allocator and the machine's
    // load, so it only gets a loose bound.
    v8.setFlagsFromString('--expose_gc');
    const gc = vm.runInNewContext('gc') as () => void;
    for (let i = 0; i < 50; i++) p.syntaxOf('a.ts', edited(i));
    gc();
    const rss0 = process.memoryUsage().rss;
    const js0 = process.memoryUsage().heapUsed;
    const heap0 = p.wasmHeapBytes();
    assert.ok(heap0 && heap0 > 0, 'the runtime reports its heap');
    for (let i = 0; i < 1000; i++) assert.ok(p.syntaxOf('a.ts', edited(1000 + i)));
    gc();
    const grewMB = (process.memoryUsage().rss - rss0) / 1024 / 1024;
    const jsGrewMB = (process.memoryUsage().heapUsed - js0) / 1024 / 1024;
    const heapGrewMB = (p.wasmHeapBytes()! - heap0) / 1024 / 1024;
    assert.ok(heapGrewMB < 8, `WASM heap grew ${heapGrewMB.toFixed(1)} MB`);
    assert.ok(jsGrewMB < 10, `JS heap grew ${jsGrewMB.toFixed(1)} MB after a collection`);
    assert.ok(grewMB < 120, `RSS grew ${grewMB.toFixed(1)} MB`);
    assert.equal(p.stats.parses, 1050);
    p.dispose();
  });
});
