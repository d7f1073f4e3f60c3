// Loads Microsoft's prebuilt tree-sitter grammars (@vscode/tree-sitter-wasm, pure WASM) and turns
// code into FileSyntax (src/core/syntax). Node side: reads the .wasm files from a folder; never
// imports vscode. One runtime per process, one Parser per grammar, grammars loaded on first need.
//
//   const parser = await SyntaxParser.create(defaultWasmDir());
//   await parser.prepare(['src/a.ts', 'lib/b.py']);      // loads the grammars these files need
//   const syntax = parser.syntaxOf('src/a.ts', text);     // synchronous; undefined: no grammar,
//                                                        // too large, too slow (see parse())
//
// Trees live in WASM memory: each is deleted right after its declarations are read, also when
// reading throws. Results are cached by grammar and content hash (a bounded LRU), so asking again
// for unchanged text costs a hash.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Language, Parser } from '@vscode/tree-sitter-wasm';
import { extractSyntax } from '../core/syntax/declarations';
import type { FileSyntax } from '../core/syntax/types';

/** Grammar (wasm file `tree-sitter-<grammar>.wasm`) by file extension. */
const GRAMMARS: Readonly<Record<string, string>> = {
  '.ts': 'typescript', '.mts': 'typescript', '.cts': 'typescript',
  '.tsx': 'tsx',
  // The JavaScript grammar parses JSX too.
  '.js': 'javascript', '.mjs': 'javascript', '.cjs': 'javascript', '.jsx': 'javascript',
  '.py': 'python', '.pyi': 'python',
  '.go': 'go',
  '.java': 'java',
  '.cs': 'c-sharp',
  // C headers too: the C++ grammar reads C well enough for declarations.
  '.cpp': 'cpp', '.cc': 'cpp', '.cxx': 'cpp', '.hpp': 'cpp', '.hh': 'cpp', '.h': 'cpp',
  '.rs': 'rust',
  '.rb': 'ruby',
  '.php': 'php',
  '.sh': 'bash', '.bash': 'bash',
};

/** The grammar for a file, by its extension; undefined when none fits. */
export function grammarFor(file: string): string | undefined {
  const dot = file.lastIndexOf('.');
  if (dot < 0 || dot < file.lastIndexOf('/') || dot < file.lastIndexOf('\\')) return undefined;
  const ext = file.slice(dot).toLowerCase();
  return Object.prototype.hasOwnProperty.call(GRAMMARS, ext) ? GRAMMARS[ext] : undefined;
}

/**
 * The folder holding tree-sitter.wasm and the grammars: `tree-sitter/` next to the running bundle
 * (esbuild.js copies it to dist/), else the package's own folder in node_modules.
 */
export function defaultWasmDir(): string {
  const bundled = path.join(__dirname, 'tree-sitter');
  if (fs.existsSync(path.join(bundled, 'tree-sitter.wasm'))) return bundled;
  try {
    // A variable, so bundlers leave the lookup to run time.
    const pkg = '@vscode/tree-sitter-wasm/package.json';
    return path.join(path.dirname(require.resolve(pkg)), 'wasm');
  } catch {
    return bundled;
  }
}

export interface SyntaxParserOptions {
  /** Most results kept in the content cache (LRU). Default 2,000. */
  cacheEntries?: number;
  /** A parse taking longer is cancelled and the file reported unparsed. Default 10 s. */
  timeoutMs?: number;
  /** Larger texts are refused unparsed (UTF-8 bytes). Default 1 MB. */
  maxBytes?: number;
}

/** What parsing one text gave: the syntax, or why there is none. */
export interface SyntaxResult {
  syntax?: FileSyntax;
  /** Why `syntax` is missing: no grammar, grammar not loaded, too large, too slow, failed. */
  reason?: string;
  /** Whether the result came from the cache. */
  cached?: boolean;
  /** The file has a grammar but could not be parsed (too slow, or the parser failed). */
  unparsed?: boolean;
}

export interface SyntaxParserStats {
  parses: number;
  cacheHits: number;
  cancelled: number;
  refused: number;
  failed: number;
}

/** The module options handed to the runtime: emscripten keeps its heap views on this object. */
interface RuntimeOptions {
  locateFile: (file: string, folder: string) => string;
  HEAP8?: Int8Array;
}

let runtime: Promise<RuntimeOptions> | undefined;

/** Loads the WASM runtime once per process (later folders are ignored: the first one wins). */
function loadRuntime(wasmDir: string): Promise<RuntimeOptions> {
  runtime ??= (async () => {
    const options: RuntimeOptions = { locateFile: (file: string) => path.join(wasmDir, file) };
    await Parser.init(options);
    return options;
  })();
  runtime.catch(() => { runtime = undefined; });
  return runtime;
}

/** How many lines the error regions of a parse cover. */
/** Whether an error region lies on (or next to) a line the rewrite changed (rows never move). */
function touchesRewrite(errors: readonly { startLine: number; endLine: number }[], text: string, repaired: string): boolean {
  const before = text.split('\n');
  const after = repaired.split('\n');
  const changed: number[] = [];
  for (let i = 0; i < after.length; i++) if (before[i] !== after[i]) changed.push(i);
  return errors.some((e) => changed.some((line) => line >= e.startLine - 1 && line <= e.endLine + 1));
}

function errorLines(syntax: FileSyntax): number {
  let n = 0;
  for (const e of syntax.errors) n += e.endLine - e.startLine + 1;
  return n;
}

/** `in`/`out` words followed by a name: variance modifiers when a type parameter list holds them. */
const VARIANCE_WORD = /\b(?:in|out)\s+(?=[A-Za-z_$])/g;
/** What follows a type parameter's name. */
const TYPE_PARAMETER_REST = /(?:(?:in|out)\s+)?[A-Za-z_$][\w$]*\s*(?:extends\b|=|,|>)/y;

/**
 * Blanks `in`/`out` variance modifiers of type parameters (`<in out K, out V = never>`), in linear
 * time: a modifier follows `<` or `,` (past spaces, blanked modifiers and block comments) and comes
 * before a name and then `extends`, `=`, `,` or `>`.
 */
function blankVariance(text: string): string | undefined {
  const blanks: [number, number][] = [];
  for (const m of text.matchAll(VARIANCE_WORD)) {
    const at = m.index;
    TYPE_PARAMETER_REST.lastIndex = at + m[0].length;
    if (!TYPE_PARAMETER_REST.test(text)) continue;
    let i = at - 1;
    for (let guard = 0; i >= 0 && guard < 4096; guard++) {
      const c = text[i];
      const last = blanks[blanks.length - 1];
      if (last && i >= last[0] && i < last[1]) i = last[0] - 1; // the modifier before (`in out`)
      else if (c === ' ' || c === '\t' || c === '\n' || c === '\r') i--;
      else if (c === '/' && text[i - 1] === '*') {
        const open = text.lastIndexOf('/*', i - 2);
        if (open < 0 || i - open > 4096) break;
        i = open - 1;
      } else break;
    }
    if (i < 0 || (text[i] !== '<' && text[i] !== ',')) continue;
    blanks.push([at, at + m[0].length]);
  }
  if (blanks.length === 0) return undefined;
  let out = '';
  let from = 0;
  for (const [a, b] of blanks) {
    out += text.slice(from, a) + text.slice(a, b).replace(/[^\r\n]/g, ' ');
    from = b;
  }
  return out + text.slice(from);
}

/**
 * Turns each escaped backtick (backslash, backtick) into two spaces: the grammar cannot read escapes
 * inside template literal types, and the string keeps its length and its ends.
 */
function escapedBackticks(text: string): string | undefined {
  if (!text.includes('\\`')) return undefined;
  // Escapes pair left to right, so `\\` followed by a backtick keeps its closing backtick.
  return text.replace(/\\[\s\S]/g, (m) => (m === '\\`' ? '  ' : m));
}

/** A member named `in` (`in: "query"`), which the grammar reads as an operator after a newline. */
const IN_KEY = /^in\??\s*:/;
/** Words that end a line without ending a type: the type goes on at the next line. */
const CONTINUES = /\b(?:extends|keyof|typeof|infer|as|is|in|of|new|return|yield|await|satisfies|readonly|unique|asserts|delete|throw|case|else|do)$/;

/**
 * Rewrites what the TypeScript grammar (tree-sitter-typescript 0.23) cannot parse into what it can,
 * keeping every row, and the column of every character already there:
 *   - `in`/`out` variance modifiers on type parameters become spaces;
 *   - escaped backticks become spaces (template literal types);
 *   - a code line that ends a type (an identifier, `>`, `)`, `]`, `}`) and is followed, past blank
 *     and comment lines, by a line starting with `<`, `(` or `in:` gets a `;` at its end: the
 *     grammar cannot tell such type members (call signatures of overloaded constants, effect's
 *     `dual` APIs; a member named `in`) from a continued type.
 * Undefined when there is nothing to rewrite.
 */
export function repairTypeScript(text: string): string | undefined {
  const unvaried = blankVariance(text);
  const unescaped = escapedBackticks(unvaried ?? text);
  let changed = unvaried !== undefined || unescaped !== undefined;
  const lines = (unescaped ?? unvaried ?? text).split('\n');
  const marked: number[] = [];
  let lastCode = -1;
  let inBlock = false;
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].trim();
    if (inBlock) {
      if (t.includes('*/')) inBlock = false;
      continue;
    }
    if (t === '' || t.startsWith('//') || t.startsWith('*')) continue;
    if (t.startsWith('/*')) {
      if (!t.includes('*/')) inBlock = true;
      continue;
    }
    if (lastCode >= 0 && (t[0] === '<' || t[0] === '(' || IN_KEY.test(t))) {
      const prev = lines[lastCode].trimEnd();
      if (/[\w$>)\]}]$/.test(prev) && !prev.endsWith('=>') && !CONTINUES.test(prev)) marked.push(lastCode);
    }
    lastCode = i;
  }
  for (const i of marked) {
    const line = lines[i];
    lines[i] = line.endsWith('\r') ? `${line.slice(0, -1)};\r` : `${line};`;
  }
  if (marked.length > 0) changed = true;
  return changed ? lines.join('\n') : undefined;
}

// The time bound is a guard against pathological input, not a budget: a busy machine parses a
// 1 MB file in a second or two, and a parse cut short leaves the file unparsed (reported), so the
// bound sits well above that.
const DEFAULTS = { cacheEntries: 2000, timeoutMs: 10_000, maxBytes: 1024 * 1024 };

export class SyntaxParser {
  private readonly languages = new Map<string, Promise<Language | undefined>>();
  private readonly parsers = new Map<string, Parser>();
  private readonly loadErrors = new Map<string, string>();
  private readonly cache = new Map<string, FileSyntax>();
  private readonly options: Required<SyntaxParserOptions>;
  private disposed = false;
  readonly stats: SyntaxParserStats = { parses: 0, cacheHits: 0, cancelled: 0, refused: 0, failed: 0 };

  private constructor(private readonly wasmDir: string, private readonly runtimeOptions: RuntimeOptions, options: SyntaxParserOptions) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** Loads the runtime (once per process); grammars load later, in prepare(). */
  static async create(wasmDir: string = defaultWasmDir(), options: SyntaxParserOptions = {}): Promise<SyntaxParser> {
    const rt = await loadRuntime(wasmDir);
    return new SyntaxParser(wasmDir, rt, options);
  }

  /** Loads the grammars the given files need (each once); a grammar that fails is remembered. */
  async prepare(files: Iterable<string>): Promise<void> {
    const wanted = new Set<string>();
    for (const f of files) {
      const g = grammarFor(f);
      if (g) wanted.add(g);
    }
    await Promise.all([...wanted].map((g) => this.language(g)));
  }

  /** Whether the grammar for a file is loaded, so syntaxOf can parse it. */
  ready(file: string): boolean {
    const g = grammarFor(file);
    return g !== undefined && this.parsers.has(g);
  }

  /** The declarations and error regions of a file, or undefined (see parse() for the reason). */
  syntaxOf(file: string, text: string): FileSyntax | undefined {
    const result = this.parse(file, text);
    if (result.syntax || !result.unparsed) return result.syntax;
    // The grammar exists but this text could not be parsed: say so rather than let a caller fall
    // back to a textual guess.
    return { language: grammarFor(file)!, symbols: [], errors: [], incomplete: result.reason };
  }

  /** Parses a text with its file's grammar, synchronously; the grammar must be prepared. */
  parse(file: string, text: string): SyntaxResult {
    if (this.disposed) return { reason: 'the parser was disposed' };
    const grammar = grammarFor(file);
    if (!grammar) return { reason: `no grammar for ${path.extname(file) || 'files without an extension'}` };
    const parser = this.parsers.get(grammar);
    if (!parser) {
      const error = this.loadErrors.get(grammar);
      return { reason: error ? `the ${grammar} grammar did not load: ${error}` : `the ${grammar} grammar is not loaded yet` };
    }
    if (text.length > this.options.maxBytes || (text.length * 3 > this.options.maxBytes && Buffer.byteLength(text, 'utf8') > this.options.maxBytes)) {
      this.stats.refused++;
      return { reason: `the file is larger than ${Math.round(this.options.maxBytes / 1024)} KB` };
    }
    const key = `${grammar}\0${createHash('sha1').update(text).digest('base64')}`;
    const hit = this.cache.get(key);
    if (hit) {
      // Most recently used goes last.
      this.cache.delete(key);
      this.cache.set(key, hit);
      this.stats.cacheHits++;
      return { syntax: hit, cached: true };
    }
    this.stats.parses++;
    const deadline = performance.now() + this.options.timeoutMs;
    try {
      let syntax: FileSyntax | undefined;
      // What the TypeScript grammar cannot parse (variance modifiers, some type members, see
      // repairTypeScript) is rewritten without moving anything. The rewrite is parsed first; when
      // it still has errors, the text as written is parsed too and the one with fewer errors wins.
      const repaired = grammar === 'typescript' || grammar === 'tsx' ? repairTypeScript(text) : undefined;
      if (repaired !== undefined) {
        const first = this.parseOnce(parser, repaired, grammar, deadline);
        // The text as written can only do better when an error sits where the rewrite changed it:
        // elsewhere it has the same errors, plus the ones the rewrite removed.
        if (first && first.errors.length > 0 && touchesRewrite(first.errors, text, repaired)) {
          const plain = this.parseOnce(parser, text, grammar, deadline);
          syntax = plain && errorLines(plain) <= errorLines(first) ? plain : plain && first;
        } else {
          syntax = first;
        }
      } else {
        syntax = this.parseOnce(parser, text, grammar, deadline);
      }
      if (!syntax) {
        this.stats.cancelled++;
        return { reason: `parsing took longer than ${this.options.timeoutMs / 1000} s`, unparsed: true };
      }
      this.cache.set(key, syntax);
      if (this.cache.size > this.options.cacheEntries) this.cache.delete(this.cache.keys().next().value!);
      return { syntax };
    } catch (e) {
      parser.reset();
      this.stats.failed++;
      return { reason: `the ${grammar} parser failed: ${(e as Error)?.message ?? String(e)}`, unparsed: true };
    }
  }

  /** One parse and its declarations; undefined when cancelled at the deadline. The tree is always freed. */
  private parseOnce(parser: Parser, text: string, grammar: string, deadline: number): FileSyntax | undefined {
    let tree: ReturnType<Parser['parse']> = null;
    try {
      tree = parser.parse(text, null, { progressCallback: () => performance.now() > deadline });
      if (!tree) {
        // Cancelled: forget the half-done parse, or the next one would try to resume it.
        parser.reset();
        return undefined;
      }
      return extractSyntax(tree.rootNode, grammar);
    } finally {
      tree?.delete();
    }
  }

  /** Bytes of WASM memory the runtime holds (it never shrinks), when the runtime reports it. */
  wasmHeapBytes(): number | undefined {
    return this.runtimeOptions.HEAP8?.buffer.byteLength;
  }

  /** Entries in the content cache. */
  get cacheSize(): number {
    return this.cache.size;
  }

  /** Frees the parsers (the languages stay with the runtime, which lives as long as the process). */
  dispose(): void {
    this.disposed = true;
    for (const p of this.parsers.values()) p.delete();
    this.parsers.clear();
    this.cache.clear();
  }

  private language(grammar: string): Promise<Language | undefined> {
    let loading = this.languages.get(grammar);
    if (!loading) {
      loading = Language.load(path.join(this.wasmDir, `tree-sitter-${grammar}.wasm`)).then(
        (language) => {
          if (!this.disposed && !this.parsers.has(grammar)) this.parsers.set(grammar, new Parser().setLanguage(language));
          this.loadErrors.delete(grammar);
          return language;
        },
        (e: unknown) => {
          this.loadErrors.set(grammar, (e as Error)?.message ?? String(e));
          this.languages.delete(grammar); // a later prepare() tries again
          return undefined;
        },
      );
      this.languages.set(grammar, loading);
    }
    return loading;
  }
}
