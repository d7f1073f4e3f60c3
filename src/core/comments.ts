// Where the comments are in a source file, by the comment syntax of its language (picked from the
// file name). Ticket keys count only inside comments; string literals are skipped so that
// "http://…" in a string is not read as a comment.

interface CommentSyntax {
  line: string[];
  block: [string, string][];
  /** Quote characters that open string literals. */
  quotes: string[];
}

const C_LIKE: CommentSyntax = { line: ['//'], block: [['/*', '*/']], quotes: ['"', "'", '`'] };
const HASH: CommentSyntax = { line: ['#'], block: [], quotes: ['"', "'"] };
const DASH: CommentSyntax = { line: ['--'], block: [['{-', '-}'], ['--[[', ']]'], ['/*', '*/']], quotes: ['"', "'"] };
const MARKUP: CommentSyntax = { line: [], block: [['<!--', '-->']], quotes: [] };
const SEMICOLON: CommentSyntax = { line: [';'], block: [], quotes: ['"'] };
const PERCENT: CommentSyntax = { line: ['%'], block: [], quotes: [] };
/** For unknown file types: the common line and block comment forms. */
const FALLBACK: CommentSyntax = { line: ['//', '#'], block: [['/*', '*/'], ['<!--', '-->']], quotes: ['"', "'", '`'] };

const BY_EXTENSION: Record<string, CommentSyntax> = {};
const register = (syntax: CommentSyntax, extensions: string) => {
  for (const ext of extensions.split(' ')) BY_EXTENSION[ext] = syntax;
};
register(C_LIKE, 'ts tsx mts cts js jsx mjs cjs java c h cc cpp cxx hpp hh cs go rs swift kt kts scala sc dart groovy gradle m mm proto jsonc json5 zig v sol css scss less');
register({ ...C_LIKE, line: ['//', '#'] }, 'php');
register(HASH, 'py pyi rb sh bash zsh fish ps1 pl pm r yaml yml toml tf hcl cmake mk ex exs nim cr coffee conf properties dockerfile makefile gitignore env');
register(DASH, 'sql lua hs elm ada');
register({ ...MARKUP, block: [['<!--', '-->'], ['{{!--', '--}}']] }, 'html htm xml svg md markdown hbs');
register({ ...C_LIKE, block: [['/*', '*/'], ['<!--', '-->']] }, 'vue svelte astro');
register(SEMICOLON, 'clj cljs edn lisp el scm ini asm s');
register(PERCENT, 'tex erl hrl');

export function commentSyntaxFor(file: string): CommentSyntax {
  const name = file.slice(file.lastIndexOf('/') + 1).toLowerCase();
  const dot = name.lastIndexOf('.');
  const ext = dot === -1 ? name : name.slice(dot + 1);
  return BY_EXTENSION[ext] ?? FALLBACK;
}

/** Comment spans as [start, end) offsets in `text`. */
export function commentRanges(text: string, file: string): [number, number][] {
  const syntax = commentSyntaxFor(file);
  const ranges: [number, number][] = [];
  let i = 0;
  const n = text.length;
  outer: while (i < n) {
    const ch = text[i];
    if (syntax.quotes.includes(ch)) {
      // Skip the string literal; ordinary quotes end at the line's end when unterminated.
      let j = i + 1;
      while (j < n && text[j] !== ch) {
        if (text[j] === '\\') j++;
        else if (text[j] === '\n' && ch !== '`') break;
        j++;
      }
      i = j + 1;
      continue;
    }
    for (const [open, close] of syntax.block) {
      if (text.startsWith(open, i)) {
        const end = text.indexOf(close, i + open.length);
        const stop = end === -1 ? n : end + close.length;
        ranges.push([i, stop]);
        i = stop;
        continue outer;
      }
    }
    for (const open of syntax.line) {
      if (text.startsWith(open, i)) {
        const end = text.indexOf('\n', i);
        const stop = end === -1 ? n : end;
        ranges.push([i, stop]);
        i = stop;
        continue outer;
      }
    }
    i++;
  }
  return ranges;
}
