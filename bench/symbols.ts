// The symbol-anchor accuracy benchmark (bundled by bench/run.mjs to out/bench/symbols.js).
//
// On real code nobody here wrote (the TypeScript sources of effect, rxjs and zod in
// bench-data/corpus/, see bench/corpus.mjs), the TypeScript compiler lists every declaration a user
// could anchor, with its dotted container path and its region:
//   start = line of node.getStart(sf)  (decorators and modifiers in, JSDoc out; a variable's statement)
//   end   = line of node.getEnd()
// Each path is then resolved the way a `symbol:` anchor is, findInSymbols over the declarations the
// tree-sitter grammar gives (extractSyntax through SyntaxParser), and counted:
//   exact      found, same start and end line
//   not found  the path resolves to nothing
//   wrong      found, another region
//   ambiguous  the compiler itself lists several declarations the path matches (declaration merging,
//              `Foo` and `Bar.Foo` in one file…): counted apart, split by where the path resolved.
// Adjacent overloads (and get/set pairs) are one declaration on both sides, from the first
// signature to the implementation (see src/core/syntax/declarations.ts).
// Then: parse speed (files/s, MB/s) and memory over 1,000 one-character edits of a 2,000-line file.
//
//   node out/bench/symbols.js [--quick]       (--quick: every 10th file)
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { findInSymbols } from '../src/core/anchors';
import type { FileSyntax } from '../src/core/syntax/types';
import { SyntaxParser, defaultWasmDir } from '../src/syntax/treeSitter';
import * as os from 'node:os';
import { fmt, table, timed } from './timing';

const ROOT = path.resolve(__dirname, '..', '..');
const CORPUS = path.join(ROOT, 'bench-data', 'corpus', 'packages');
const SOURCES = ['effect/src', 'rxjs/src', 'zod/src'];
const EXACT_TARGET = 0.99;
const EDITS = 1000;
/** A machine this loaded makes wall-clock times measure the neighbours rather than the code. */
const BUSY = os.loadavg()[0] > os.cpus().length * 0.75;

interface Expected {
  path: string[];
  start: number;
  end: number;
  /** Functions, methods, constructors, accessors: adjacent ones of the same name merge. */
  callable: boolean;
}

// ---- what the compiler says -----------------------------------------------------------------------

function nameOf(name: ts.Node | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) return name.text || undefined;
  return undefined; // computed names
}

function unwrap(e: ts.Expression | undefined): ts.Expression | undefined {
  let v = e;
  while (v && (ts.isAsExpression(v) || ts.isSatisfiesExpression(v) || ts.isParenthesizedExpression(v) || ts.isNonNullExpression(v) || ts.isTypeAssertionExpression(v))) v = v.expression;
  return v;
}

/** Every anchorable declaration of a source file, in source order, overloads merged. */
function expectedDeclarations(sf: ts.SourceFile): Expected[] {
  const out: Expected[] = [];
  const line = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line;
  // Each list is one container's members; overloads merge within a list.
  const add = (list: Expected[], chain: string[], name: string | undefined, node: ts.Node, callable: boolean, startNode: ts.Node = node): Expected | undefined => {
    if (!name) return undefined;
    const e: Expected = { path: [...chain, name], start: line(startNode.getStart(sf)), end: line(node.getEnd()), callable };
    const prev = list[list.length - 1];
    if (callable && prev?.callable && prev.path.join('.') === e.path.join('.')) {
      prev.end = Math.max(prev.end, e.end);
      return prev;
    }
    list.push(e);
    return e;
  };
  const flush = (list: Expected[]) => out.push(...list);

  const classMembers = (members: ts.NodeArray<ts.ClassElement | ts.TypeElement>, chain: string[]) => {
    const list: Expected[] = [];
    for (const m of members) {
      if (ts.isMethodDeclaration(m) || ts.isMethodSignature(m) || ts.isGetAccessorDeclaration(m) || ts.isSetAccessorDeclaration(m)) add(list, chain, nameOf(m.name), m, true);
      else if (ts.isConstructorDeclaration(m)) add(list, chain, 'constructor', m, true);
      else if (ts.isPropertyDeclaration(m) || ts.isPropertySignature(m)) add(list, chain, nameOf(m.name), m, false);
    }
    flush(list);
  };
  const objectMembers = (obj: ts.ObjectLiteralExpression, chain: string[]) => {
    const list: Expected[] = [];
    const nested: [ts.Expression, string[]][] = [];
    for (const m of obj.properties) {
      if (ts.isMethodDeclaration(m) || ts.isGetAccessorDeclaration(m) || ts.isSetAccessorDeclaration(m)) add(list, chain, nameOf(m.name), m, true);
      else if (ts.isPropertyAssignment(m)) {
        const e = add(list, chain, nameOf(m.name), m, false);
        if (e) nested.push([m.initializer, e.path]);
      }
    }
    flush(list);
    for (const [value, p] of nested) valueMembers(value, p);
  };
  const valueMembers = (value: ts.Expression | undefined, chain: string[]) => {
    const v = unwrap(value);
    if (!v) return;
    if (ts.isObjectLiteralExpression(v)) objectMembers(v, chain);
    else if (ts.isClassExpression(v)) classMembers(v.members, chain);
  };
  const statements = (list0: ts.NodeArray<ts.Statement>, chain: string[]) => {
    const list: Expected[] = [];
    const later: (() => void)[] = [];
    for (const s of list0) {
      if (ts.isFunctionDeclaration(s)) add(list, chain, nameOf(s.name), s, true);
      else if (ts.isClassDeclaration(s)) {
        const e = add(list, chain, nameOf(s.name), s, false);
        if (e) later.push(() => classMembers(s.members, e.path));
      } else if (ts.isInterfaceDeclaration(s)) {
        const e = add(list, chain, nameOf(s.name), s, false);
        if (e) later.push(() => classMembers(s.members, e.path));
      } else if (ts.isTypeAliasDeclaration(s) || ts.isEnumDeclaration(s)) add(list, chain, nameOf(s.name), s, false);
      else if (ts.isModuleDeclaration(s)) {
        // `namespace A.B {}`: A's body is the declaration of B.
        let m: ts.ModuleDeclaration = s;
        let e = add(list, chain, nameOf(m.name), m, false);
        const inner: (() => void)[] = [];
        while (e && m.body && ts.isModuleDeclaration(m.body)) {
          const parent = e;
          m = m.body;
          const sub: Expected[] = [];
          e = add(sub, parent.path, nameOf(m.name), m, false);
          inner.push(() => flush(sub));
        }
        const body = m.body;
        const at = e;
        later.push(() => {
          for (const f of inner) f();
          if (at && body && ts.isModuleBlock(body)) statements(body.statements, at.path);
        });
      } else if (ts.isVariableStatement(s)) {
        for (const d of s.declarationList.declarations) {
          if (!ts.isIdentifier(d.name)) continue;
          const e = add(list, chain, d.name.text, d, false, s);
          if (e) later.push(() => valueMembers(d.initializer, e.path));
        }
      }
    }
    flush(list);
    for (const f of later) f();
  };
  statements(sf.statements, []);
  return out;
}

// ---- comparing --------------------------------------------------------------------------------------

interface Case {
  file: string;
  line: number;
  path: string;
  expected: string;
  got: string;
}

interface Counts {
  total: number;
  exact: number;
  notFound: number;
  wrong: number;
  ambiguous: number;
  ambiguousSame: number;
  ambiguousNamesake: number;
  ambiguousMissing: number;
  refusedFiles: number;
  refusedDecls: number;
  startOnly: number;
  endOnly: number;
  unaddressable: number;
}

function zero(): Counts {
  return { total: 0, exact: 0, notFound: 0, wrong: 0, ambiguous: 0, ambiguousSame: 0, ambiguousNamesake: 0, ambiguousMissing: 0, refusedFiles: 0, refusedDecls: 0, startOnly: 0, endOnly: 0, unaddressable: 0 };
}

function endsWith(chain: readonly string[], p: readonly string[]): boolean {
  return chain.length >= p.length && p.every((x, i) => chain[chain.length - p.length + i] === x);
}

function compare(file: string, expected: Expected[], syntax: FileSyntax, counts: Counts, cases: Case[]): void {
  for (const e of expected) {
    if (e.path.some((p) => p !== p.trim() || p.includes('.') || p === '')) {
      counts.unaddressable++; // `"\n": …` or `"a.b": …`: no `symbol:` can name it
      continue;
    }
    counts.total++;
    const found = findInSymbols(syntax.symbols, e.path);
    const region = (r: { start: number; end: number }) => `${r.start + 1}-${r.end + 1}`;
    const got = found ? `${found.startLine + 1}-${found.endLine + 1}` : 'not found';
    const same = (x: { start: number; end: number }) => found !== undefined && found.startLine === x.start && found.endLine === x.end;
    const namesakes = expected.filter((o) => endsWith(o.path, e.path));
    if (namesakes.length > 1) {
      counts.ambiguous++;
      if (same(e)) counts.ambiguousSame++;
      else if (namesakes.some(same)) counts.ambiguousNamesake++;
      else if (!found) counts.ambiguousMissing++;
      else {
        counts.wrong++;
        cases.push({ file, line: e.start + 1, path: e.path.join('.'), expected: `one of ${namesakes.map(region).join(', ')}`, got });
      }
      continue;
    }
    if (same(e)) counts.exact++;
    else if (!found) {
      counts.notFound++;
      cases.push({ file, line: e.start + 1, path: e.path.join('.'), expected: region(e), got });
    } else {
      counts.wrong++;
      if (found.startLine === e.start) counts.startOnly++;
      else if (found.endLine === e.end) counts.endOnly++;
      cases.push({ file, line: e.start + 1, path: e.path.join('.'), expected: region(e), got });
    }
  }
}

function sourceFiles(quick: boolean): string[] {
  const files: string[] = [];
  for (const dir of SOURCES) {
    const abs = path.join(CORPUS, dir);
    for (const f of (fs.readdirSync(abs, { recursive: true }) as string[]).sort()) {
      if (f.endsWith('.ts') && !f.endsWith('.d.ts')) files.push(path.join(abs, f));
    }
  }
  return quick ? files.filter((_, i) => i % 10 === 0) : files;
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

async function main(args: string[]): Promise<void> {
  if (!fs.existsSync(CORPUS)) {
    console.log(`Symbol accuracy: skipped, no corpus at ${path.relative(ROOT, CORPUS)} (run: node bench/corpus.mjs)`);
    return;
  }
  const quick = args.includes('--quick');
  const files = sourceFiles(quick);
  // First, so that RSS is not inflated by the compiler's trees of the accuracy run.
  const memoryReport = await memory(files);
  const parser = await SyntaxParser.create(defaultWasmDir());
  await parser.prepare(['x.ts']);
  const counts = zero();
  const cases: Case[] = [];
  let parseMs = 0;
  let parseCpuMs = 0;
  let bytes = 0;
  let parsed = 0;
  const perPackage = new Map<string, Counts>();
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const rel = path.relative(CORPUS, file);
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const expected = expectedDeclarations(sf);
    let result: ReturnType<SyntaxParser['parse']> = {};
    const [wall, cpu] = timed(() => { result = parser.parse(file, text); });
    if (!result.syntax) {
      counts.refusedFiles++;
      counts.refusedDecls += expected.length;
      console.log(`  refused ${rel} (${mb(text.length)} MB, ${expected.length} declarations): ${result.reason}`);
      continue;
    }
    parseMs += wall;
    parseCpuMs += cpu;
    bytes += Buffer.byteLength(text);
    parsed++;
    const pkg = rel.split(path.sep)[0];
    const c = perPackage.get(pkg) ?? zero();
    perPackage.set(pkg, c);
    compare(rel, expected, result.syntax, c, cases);
  }
  for (const c of perPackage.values()) {
    for (const k of Object.keys(c) as (keyof Counts)[]) if (k !== 'refusedFiles' && k !== 'refusedDecls') counts[k] += c[k];
  }

  const pct = (n: number, of: number) => (of === 0 ? '-' : `${((100 * n) / of).toFixed(2)}%`);
  const unambiguous = counts.total - counts.ambiguous;
  console.log(`\nSymbol anchors on real code: tree-sitter declarations (@vscode/tree-sitter-wasm) against the TypeScript ${ts.version} compiler`);
  console.log(`  ${files.length} files of ${SOURCES.map((s) => s.split('/')[0]).join(', ')}${quick ? ' (quick: every 10th file)' : ''}; every declaration, no sampling\n`);
  console.log(table(['package', 'declarations', 'exact', 'not found', 'wrong', 'ambiguous'], [...perPackage.entries()].map(([pkg, c]) => [
    pkg, String(c.total), `${c.exact} (${pct(c.exact, c.total - c.ambiguous)})`, String(c.notFound), String(c.wrong), String(c.ambiguous),
  ])));
  console.log(`\n  all: ${counts.total} declarations; ${counts.ambiguous} ambiguous, ${unambiguous} not`);
  console.log(`  exact ${counts.exact} of ${unambiguous} (${pct(counts.exact, unambiguous)}), not found ${counts.notFound}, wrong ${counts.wrong}` +
    ` (same start, other end: ${counts.startOnly}; same end, other start: ${counts.endOnly})`);
  console.log(`  ambiguous (the compiler lists several declarations the path matches): ${counts.ambiguous}: resolved to this one ${counts.ambiguousSame},` +
    ` to a namesake ${counts.ambiguousNamesake}, to nothing ${counts.ambiguousMissing} (resolving to none of them counts as wrong above)`);
  if (counts.unaddressable > 0) console.log(`  not counted: ${counts.unaddressable} declarations no dotted path can name (a key with a dot or blank space)`);
  if (counts.refusedFiles > 0) console.log(`  refused files (over 1 MB, the textual search serves them): ${counts.refusedFiles}, holding ${counts.refusedDecls} declarations, not counted`);
  if (cases.length > 0) {
    console.log(`\n  first ${Math.min(20, cases.length)} of ${cases.length} wrong or not found (1-based lines):`);
    for (const c of cases.slice(0, 20)) console.log(`    ${c.file}:${c.line}  ${c.path}  expected ${c.expected}, got ${c.got}`);
  }
  const exactRate = unambiguous === 0 ? 0 : counts.exact / unambiguous;
  console.log(`\n  exact ${pct(counts.exact, unambiguous)} (target >= ${EXACT_TARGET * 100}%: ${exactRate >= EXACT_TARGET ? 'met' : 'MISSED'}), silently wrong ${counts.wrong} (target 0: ${counts.wrong === 0 ? 'met' : 'MISSED'})`);
  const rate = (ms: number) => `${(parsed / (ms / 1000)).toFixed(0)} files/s, ${(bytes / 1024 / 1024 / (ms / 1000)).toFixed(2)} MB/s`;
  console.log(`\n  parse + declarations, first parse of each file, one thread: ${parsed} files, ${mb(bytes)} MB`);
  console.log(`    wall ${fmt(parseMs)} ms: ${rate(parseMs)}; CPU ${fmt(parseCpuMs)} ms: ${rate(parseCpuMs)}${BUSY ? ' (machine busy: trust CPU)' : ''}`);

  parser.dispose();
  for (const line of memoryReport) console.log(line);
}

/** 1,000 parses of one 2,000-line file, one character different each time, through syntaxOf. */
async function memory(files: string[]): Promise<string[]> {
  const pick = files
    .map((f) => ({ f, lines: fs.readFileSync(f, 'utf8').split('\n').length }))
    .filter((x) => fs.statSync(x.f).size < 1024 * 1024)
    .sort((a, b) => Math.abs(a.lines - 2000) - Math.abs(b.lines - 2000))[0];
  if (!pick) return [];
  const text = fs.readFileSync(pick.f, 'utf8');
  const lines = text.split('\n');
  // The default cache would keep all 1,000 results; a small one shows what the parsing itself keeps.
  const parser = await SyntaxParser.create(defaultWasmDir(), { cacheEntries: 20 });
  await parser.prepare([pick.f]);
  const edited = (i: number) => {
    const copy = lines.slice();
    const k = (i * 7919) % copy.length;
    copy[k] = `${copy[k]}${i % 2 ? ' ' : '\t'}`.padEnd(copy[k].length + 1 + (i % 5), ' ');
    return copy.join('\n');
  };
  for (let i = 0; i < 20; i++) parser.syntaxOf(pick.f, edited(i)); // warm-up
  global.gc?.();
  const { rss: rss0, heapUsed: js0 } = process.memoryUsage();
  const heap0 = parser.wasmHeapBytes() ?? 0;
  let n = 0;
  const [ms, cpuMs] = timed(() => {
    for (let i = 0; i < EDITS; i++) if (parser.syntaxOf(pick.f, edited(1000 + i))) n++;
  });
  global.gc?.();
  const { rss: rss1, heapUsed: js1 } = process.memoryUsage();
  const heap1 = parser.wasmHeapBytes() ?? 0;
  const report = [`  memory, ${EDITS} one-character edits of ${path.relative(CORPUS, pick.f)} (${pick.lines} lines) through syntaxOf (${n} parsed, ${fmt(ms / EDITS)} ms each, CPU ${fmt(cpuMs / EDITS)} ms):`,
    `    RSS ${mb(rss0)} -> ${mb(rss1)} MB (${rss1 >= rss0 ? '+' : ''}${mb(rss1 - rss0)}), WASM heap ${mb(heap0)} -> ${mb(heap1)} MB (${heap1 >= heap0 ? '+' : ''}${mb(heap1 - heap0)}),` +
      ` JS heap ${mb(js0)} -> ${mb(js1)} MB${global.gc ? '' : ' (no --expose-gc: RSS includes garbage not yet collected)'}`];
  parser.dispose();
  return report;
}

main(process.argv.slice(2)).catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
