// Declarations from a syntax tree: the classes, functions, methods, fields, variables, namespaces…
// of a file, nested by container, each with the region a `symbol` anchor covers. Pure: it reads any
// tree whose nodes look like web-tree-sitter's (SyntaxNodeLike), so it never loads the parser.
//
// Regions. `startLine` is the first line of the declaration with its decorators, annotations,
// attributes, `export`/`declare`/`template<…>` wrappers and modifiers, but not its doc comment;
// `endLine` is the last line of its body. A variable's region is its whole statement
// (`export const a = 1, b = 2;` gives a and b the same region), as the TypeScript compiler does.
//
// Overloads. Adjacent declarations of the same name that are all callables (TypeScript overload
// signatures and their implementation, a getter next to its setter, Python's `@property` and
// `@x.setter`, adjacent Java/C# overloads) merge into ONE symbol whose region spans from the first
// signature to the implementation: an anchor on an overloaded function then covers every signature
// a reader sees, and the name position is the first signature's. Non-adjacent duplicates stay
// separate (the first one wins a lookup).
//
// What is scanned. Only places a user can anchor: the file's top level, namespace/module bodies,
// class-like bodies, and object literals assigned to a variable (`export const api = { get() {} }`
// gives api.get). Function bodies are never entered, so local variables and nested helper
// functions do not shadow real declarations.
//
// Bounds. Everything is iterative over an explicit stack: at most MAX_DEPTH nested containers and
// MAX_NODES visited nodes per file, so hostile input neither overflows the stack nor runs long.
import type { DeclarationKind, FileSyntax, LineRegion, SymbolNode } from './types';

/** A row/column position (0-based). */
export interface PointLike {
  readonly row: number;
  readonly column: number;
}

/** The members of a syntax node this module reads; web-tree-sitter's `Node` satisfies it. */
export interface SyntaxNodeLike {
  readonly type: string;
  readonly startPosition: PointLike;
  readonly endPosition: PointLike;
  readonly text: string;
  readonly isNamed: boolean;
  readonly isError: boolean;
  readonly isMissing: boolean;
  readonly hasError: boolean;
  readonly children: readonly (SyntaxNodeLike | null)[];
  readonly namedChildren: readonly (SyntaxNodeLike | null)[];
  childForFieldName(fieldName: string): SyntaxNodeLike | null;
  childrenForFieldName(fieldName: string): readonly (SyntaxNodeLike | null)[];
}

/** Deepest nesting of containers followed (namespace in class in namespace…). */
export const MAX_DEPTH = 256;
/** Most nodes looked at per file, for declarations and for errors each. */
export const MAX_NODES = 500_000;
/** Most error regions reported per file. */
export const MAX_ERRORS = 1_000;

/** The grammars `extractSyntax` knows (the names SyntaxParser uses). */
export const SUPPORTED_LANGUAGES = [
  'typescript', 'tsx', 'javascript', 'python', 'go', 'java', 'c-sharp', 'cpp', 'rust', 'ruby', 'php', 'bash',
] as const;

// ---- the engine --------------------------------------------------------------------------------

interface NamePart {
  name: string;
  node: SyntaxNodeLike;
}

/** One declaration a language's rules recognise in a node. */
interface Decl {
  name: string;
  nameNode: SyntaxNodeLike;
  kind: DeclarationKind;
  holdsFunction?: boolean;
  /** The node whose lines are the region (default: the declaration node). */
  region?: SyntaxNodeLike;
  /** Nodes whose named children are this declaration's members. */
  members?: readonly SyntaxNodeLike[];
  /** Outer names written into the declaration (`namespace A.B`: A), outermost first. */
  qualifiers?: readonly NamePart[];
  /**
   * A declaration that belongs to a container named elsewhere: Go's receiver type, C++'s `A::b`.
   * It is attached after the scan to the container of that path, created when the file lacks it.
   */
  attach?: readonly NamePart[];
  /** The kind of a container created for `attach`. */
  attachKind?: DeclarationKind;
  /** The following siblings are its members (C# file-scoped namespace, PHP `namespace X;`). */
  swallow?: boolean;
  /** A declaration without a body (C++ prototype), replaced by its out-of-line definition. */
  prototype?: boolean;
}

interface Ctx {
  /** The kind of the enclosing declaration (undefined at the top level). */
  parent: DeclarationKind | undefined;
  /** The name of the enclosing declaration. */
  parentName: string | undefined;
}

interface Spec {
  /** Siblings directly above a declaration that belong to it (decorators, attributes). */
  prefixes: ReadonlySet<string>;
  /** Nodes that neither are declarations nor break a run of prefixes. */
  comments: ReadonlySet<string>;
  /** Nodes whose children are scanned at the same level, their start counting as the region's. */
  wrappers: ReadonlySet<string>;
  /** Nodes whose children are scanned at the same level, the region unchanged (`#ifdef`). */
  transparent: ReadonlySet<string>;
  declare(node: SyntaxNodeLike, ctx: Ctx): Decl[] | undefined;
}

interface Frame {
  nodes: readonly (SyntaxNodeLike | null)[];
  i: number;
  /** Where new symbols go. */
  out: SymbolNode[];
  parent: DeclarationKind | undefined;
  parentName: string | undefined;
  depth: number;
  /** Start row of the wrappers around these nodes, if any. */
  startRow: number | undefined;
  /** Start row of the pending prefixes (decorators…) seen just before the current node. */
  pending: number | undefined;
}

interface Deferred {
  symbol: SymbolNode;
  /** The list the declaration was found in, where its container is looked for or created. */
  level: SymbolNode[];
  path: readonly NamePart[];
  kind: DeclarationKind;
}

const CALLABLE: ReadonlySet<DeclarationKind | undefined> = new Set(['function', 'method', 'constructor']);

/**
 * The declarations and error regions of a parsed file. `language` is the grammar's name
 * (SUPPORTED_LANGUAGES); an unknown language gives the error regions and no symbols.
 */
export function extractSyntax(root: SyntaxNodeLike, language: string): FileSyntax {
  const spec = SPECS[language];
  const symbols = spec ? declarations(root, spec) : [];
  return { language, symbols, errors: errorRegions(root) };
}

function declarations(root: SyntaxNodeLike, spec: Spec): SymbolNode[] {
  const top: SymbolNode[] = [];
  const prototypes = new WeakSet<SymbolNode>();
  const deferred: Deferred[] = [];
  const stack: Frame[] = [{ nodes: root.namedChildren, i: 0, out: top, parent: undefined, parentName: undefined, depth: 0, startRow: undefined, pending: undefined }];
  let visited = 0;
  while (stack.length > 0 && visited < MAX_NODES) {
    const frame = stack[stack.length - 1];
    if (frame.i >= frame.nodes.length) {
      stack.pop();
      continue;
    }
    const index = frame.i++;
    const node = frame.nodes[index];
    visited++;
    if (!node || !node.isNamed) continue;
    const type = node.type;
    if (spec.comments.has(type)) continue;
    if (spec.prefixes.has(type)) {
      frame.pending ??= node.startPosition.row;
      continue;
    }
    const startRow = minRow(frame.startRow, frame.pending, node.startPosition.row);
    frame.pending = undefined;
    const decls = spec.declare(node, { parent: frame.parent, parentName: frame.parentName });
    if (decls && decls.length > 0) {
      for (const d of decls) {
        const region = d.region ?? node;
        // Wrappers and prefixes belong to the declaration node, not to one spec of a group.
        const start = region === node ? Math.min(startRow, region.startPosition.row) : region.startPosition.row;
        const symbol: SymbolNode = {
          name: d.name,
          kind: d.kind,
          startLine: start,
          endLine: region.endPosition.row,
          nameLine: d.nameNode.startPosition.row,
          nameCol: d.nameNode.startPosition.column,
          children: [],
        };
        if (d.holdsFunction) symbol.holdsFunction = true;
        if (d.prototype) prototypes.add(symbol);
        // `namespace A.B {}`: A holds B; both cover the whole declaration.
        let out = frame.out;
        for (const q of d.qualifiers ?? []) {
          const outer: SymbolNode = {
            name: q.name, kind: d.kind, startLine: symbol.startLine, endLine: symbol.endLine,
            nameLine: q.node.startPosition.row, nameCol: q.node.startPosition.column, children: [],
          };
          out.push(outer);
          out = outer.children;
        }
        if (d.attach && d.attach.length > 0) {
          deferred.push({ symbol, level: out, path: d.attach, kind: d.attachKind ?? 'namespace' });
        } else {
          out.push(symbol);
        }
        if (frame.depth + 1 >= MAX_DEPTH) continue;
        if (d.swallow) {
          // Everything after a file-scoped namespace is inside it, up to the end of its list.
          const rest = frame.nodes.slice(index + 1);
          frame.i = frame.nodes.length;
          const last = lastNode(rest);
          if (last) growTo(symbol, frame.out, last.endPosition.row);
          stack.push({ nodes: rest, i: 0, out: symbol.children, parent: d.kind, parentName: d.name, depth: frame.depth + 1, startRow: undefined, pending: undefined });
        } else if (d.members && d.members.length > 0) {
          const nodes: (SyntaxNodeLike | null)[] = [];
          // No spread: a body with 100,000 members would overflow the call's arguments.
          for (const m of d.members) for (const c of m.namedChildren) nodes.push(c);
          stack.push({ nodes, i: 0, out: symbol.children, parent: d.kind, parentName: d.name, depth: frame.depth + 1, startRow: undefined, pending: undefined });
        }
      }
      continue;
    }
    const wrapper = spec.wrappers.has(type);
    if ((wrapper || spec.transparent.has(type)) && frame.depth + 1 < MAX_DEPTH) {
      stack.push({
        nodes: node.namedChildren, i: 0, out: frame.out, parent: frame.parent, parentName: frame.parentName, depth: frame.depth + 1,
        startRow: wrapper ? startRow : frame.startRow, pending: undefined,
      });
    }
  }
  for (const d of deferred) attach(d, prototypes);
  mergeOverloads(top);
  return top;
}

function minRow(...rows: (number | undefined)[]): number {
  let min = Infinity;
  for (const r of rows) if (r !== undefined && r < min) min = r;
  return min;
}

function lastNode(nodes: readonly (SyntaxNodeLike | null)[]): SyntaxNodeLike | undefined {
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i];
    if (n) return n;
  }
  return undefined;
}

/** Extends a swallowing namespace (and the qualifier symbols above it) down to `row`. */
function growTo(symbol: SymbolNode, level: SymbolNode[], row: number): void {
  symbol.endLine = Math.max(symbol.endLine, row);
  // Qualifier symbols were pushed to `level` as a chain ending in `symbol`'s list.
  let list = level;
  for (let guard = 0; guard < MAX_DEPTH; guard++) {
    const last = list[list.length - 1];
    if (!last || last === symbol) break;
    last.endLine = Math.max(last.endLine, row);
    list = last.children;
  }
}

/** Containers made for `attach` (Go receivers, C++ qualifiers), whose regions grow with members. */
const created = new WeakSet<SymbolNode>();

/** Puts a deferred declaration into the container of its path, creating the containers missing. */
function attach(d: Deferred, prototypes: WeakSet<SymbolNode>): void {
  let list = d.level;
  let container: SymbolNode | undefined;
  for (const part of d.path) {
    let next = list.find((s) => s.name === part.name && (s.children.length > 0 || !CALLABLE.has(s.kind)));
    if (!next) {
      next = {
        name: part.name, kind: d.kind, startLine: d.symbol.startLine, endLine: d.symbol.endLine,
        nameLine: part.node.startPosition.row, nameCol: part.node.startPosition.column, children: [],
      };
      list.push(next);
      created.add(next);
    }
    container = next;
    list = next.children;
  }
  if (!container) {
    d.level.push(d.symbol);
    return;
  }
  if (d.symbol.kind === 'method' && d.symbol.name === container.name) d.symbol.kind = 'constructor';
  const proto = list.findIndex((s) => s.name === d.symbol.name && prototypes.has(s));
  if (proto >= 0) list[proto] = d.symbol;
  else list.push(d.symbol);
  // A created container covers its members; a declared one keeps its own region.
  let l = d.level;
  for (const part of d.path) {
    const s = l.find((x) => x.name === part.name && created.has(x));
    if (!s) break;
    s.startLine = Math.min(s.startLine, d.symbol.startLine);
    s.endLine = Math.max(s.endLine, d.symbol.endLine);
    l = s.children;
  }
}

/** Merges adjacent callables of the same name (overloads, get/set pairs), at every level. */
function mergeOverloads(top: SymbolNode[]): void {
  const lists: SymbolNode[][] = [top];
  let seen = 0;
  while (lists.length > 0 && seen < MAX_NODES) {
    const list = lists.pop()!;
    seen += list.length;
    let w = 0;
    for (let r = 0; r < list.length; r++) {
      const s = list[r];
      const prev = w > 0 ? list[w - 1] : undefined;
      if (prev && prev.name === s.name && CALLABLE.has(prev.kind) && CALLABLE.has(s.kind)) {
        prev.endLine = Math.max(prev.endLine, s.endLine);
        prev.startLine = Math.min(prev.startLine, s.startLine);
        (prev.signatureLines ??= []).push(s.startLine, ...(s.signatureLines ?? []));
        if (s.holdsFunction) prev.holdsFunction = true;
        for (const c of s.children) prev.children.push(c);
        continue;
      }
      list[w++] = s;
    }
    list.length = w;
    for (const s of list) if (s.children.length > 0) lists.push(s.children);
  }
}

/** The outermost ERROR and MISSING nodes, as line regions. */
function errorRegions(root: SyntaxNodeLike): LineRegion[] {
  const errors: LineRegion[] = [];
  if (!root.hasError) return errors;
  const stack: SyntaxNodeLike[] = [root];
  let visited = 0;
  while (stack.length > 0 && visited++ < MAX_NODES && errors.length < MAX_ERRORS) {
    const node = stack.pop()!;
    if (node.isError || node.isMissing) {
      errors.push({ startLine: node.startPosition.row, endLine: node.endPosition.row });
      continue;
    }
    if (!node.hasError) continue;
    const children = node.children;
    for (let i = children.length - 1; i >= 0; i--) {
      const c = children[i];
      if (c && (c.hasError || c.isError || c.isMissing)) stack.push(c);
    }
  }
  return errors;
}

// ---- helpers shared by the languages ------------------------------------------------------------

const set = (...types: string[]): ReadonlySet<string> => new Set(types);

function field(node: SyntaxNodeLike, name: string): SyntaxNodeLike | undefined {
  return node.childForFieldName(name) ?? undefined;
}

function named(node: SyntaxNodeLike): SyntaxNodeLike[] {
  const out: SyntaxNodeLike[] = [];
  for (const c of node.namedChildren) if (c) out.push(c);
  return out;
}

function firstOfType(node: SyntaxNodeLike, ...types: string[]): SyntaxNodeLike | undefined {
  for (const c of node.namedChildren) if (c && types.includes(c.type)) return c;
  return undefined;
}

function hasToken(node: SyntaxNodeLike, token: string): boolean {
  for (const c of node.children) if (c && !c.isNamed && c.type === token) return true;
  return false;
}

/** The bare text of a name node: string quotes removed; undefined for computed names. */
function nameText(node: SyntaxNodeLike | undefined): string | undefined {
  if (!node) return undefined;
  switch (node.type) {
    case 'computed_property_name':
    case 'template_string':
      return undefined;
    case 'string': {
      const t = node.text;
      const inner = unescape(t.length >= 2 && /^['"`]/.test(t) ? t.slice(1, -1) : t);
      return inner === '' ? undefined : inner;
    }
    default: {
      const t = node.text.trim();
      return t === '' || t.length > 500 ? undefined : t;
    }
  }
}

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', 0: '\0' };

/** A string literal's value: `'a\nb'` names the key with a newline, as the compiler has it. */
function unescape(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\(?:x([0-9a-fA-F]{2})|u\{([0-9a-fA-F]{1,6})\}|u([0-9a-fA-F]{4})|(\r\n|[\s\S]))/g, (_m, x, u1, u2, c: string) => {
    const code = x ?? u1 ?? u2;
    if (code !== undefined) return String.fromCodePoint(Math.min(parseInt(code, 16), 0x10ffff));
    if (c === '\n' || c === '\r\n' || c === '\r') return ''; // a line continuation
    return ESCAPES[c] ?? c;
  });
}

function decl(nameNode: SyntaxNodeLike | undefined, kind: DeclarationKind, extra: Partial<Decl> = {}): Decl[] | undefined {
  const name = nameText(nameNode);
  if (!name || !nameNode) return undefined;
  return [{ name, nameNode, kind, ...extra }];
}

/** Members of an optional body node. */
function body(node: SyntaxNodeLike | undefined): SyntaxNodeLike[] | undefined {
  return node ? [node] : undefined;
}

// ---- TypeScript, TSX, JavaScript ----------------------------------------------------------------

const JS_FUNCTIONS = set('arrow_function', 'function_expression', 'function', 'generator_function', 'generator_function_expression');
/** Wrappers of a value that do not change what it is: `{…} as const`, `(x)`, `x!`, `x satisfies T`. */
const JS_VALUE_WRAPPERS = set('as_expression', 'satisfies_expression', 'parenthesized_expression', 'non_null_expression', 'type_assertion');
/** Calls whose function argument is the value, as far as a reader goes: React components. */
const JS_COMPONENT_WRAPPERS = set('memo', 'forwardRef', 'React.memo', 'React.forwardRef');

function unwrapValue(value: SyntaxNodeLike | undefined): SyntaxNodeLike | undefined {
  let v = value;
  for (let i = 0; v && i < 32 && JS_VALUE_WRAPPERS.has(v.type); i++) {
    const kids = named(v).filter((k) => k.type !== 'comment');
    v = v.type === 'type_assertion' ? kids[kids.length - 1] : kids[0];
  }
  return v;
}

/** What a variable's or property's value makes of it: a function, or a container of members. */
function jsValue(raw: SyntaxNodeLike | undefined): Partial<Decl> {
  const v = unwrapValue(raw);
  if (!v) return {};
  if (JS_FUNCTIONS.has(v.type)) return { holdsFunction: true };
  if (v.type === 'object') return { members: [v] };
  if (v.type === 'class') return body(field(v, 'body')) ? { members: [field(v, 'body')!] } : {};
  if (v.type === 'call_expression') {
    const fn = field(v, 'function');
    const args = field(v, 'arguments');
    if (fn && args && JS_COMPONENT_WRAPPERS.has(fn.text) && named(args).some((a) => JS_FUNCTIONS.has(a.type))) {
      return { holdsFunction: true };
    }
  }
  return {};
}

/** The names of `namespace A.B.C`, outermost first. */
function dottedParts(node: SyntaxNodeLike): NamePart[] {
  const parts: NamePart[] = [];
  let n: SyntaxNodeLike | undefined = node;
  for (let i = 0; n && i < MAX_DEPTH; i++) {
    if (n.type === 'nested_identifier' || n.type === 'member_expression' || n.type === 'qualified_name') {
      const prop = field(n, 'property') ?? field(n, 'name') ?? named(n)[named(n).length - 1];
      const name = nameText(prop);
      if (prop && name) parts.unshift({ name, node: prop });
      n = field(n, 'object') ?? field(n, 'qualifier') ?? named(n)[0];
    } else {
      const name = nameText(n);
      if (name) parts.unshift({ name, node: n });
      break;
    }
  }
  return parts;
}

function namespaceDecl(nameNode: SyntaxNodeLike | undefined, bodyNode: SyntaxNodeLike | undefined, kind: DeclarationKind, extra: Partial<Decl> = {}): Decl[] | undefined {
  if (!nameNode) return undefined;
  const parts = nameNode.type === 'string' ? [{ name: nameText(nameNode) ?? '', node: nameNode }] : dottedParts(nameNode);
  if (parts.length === 0 || !parts[parts.length - 1].name) return undefined;
  const last = parts[parts.length - 1];
  return [{ name: last.name, nameNode: last.node, kind, members: body(bodyNode), qualifiers: parts.slice(0, -1), ...extra }];
}

const jsSpec: Spec = {
  prefixes: set('decorator'),
  comments: set('comment', 'html_comment'),
  wrappers: set('export_statement', 'ambient_declaration', 'expression_statement'),
  transparent: set(),
  declare(node, ctx) {
    switch (node.type) {
      case 'function_declaration':
      case 'generator_function_declaration':
      case 'function_signature':
        return decl(field(node, 'name'), 'function');
      case 'function_expression':
      case 'function':
      case 'generator_function':
      case 'class':
        // `export default function () {}` / `export default class {}`: only reached through export.
        return anonymousDefault(node, ctx);
      case 'class_declaration':
      case 'abstract_class_declaration':
        return decl(field(node, 'name'), 'class', { members: body(field(node, 'body')) });
      case 'interface_declaration':
        return decl(field(node, 'name'), 'interface', { members: body(field(node, 'body')) });
      case 'type_alias_declaration':
        return decl(field(node, 'name'), 'type');
      case 'enum_declaration':
        return decl(field(node, 'name'), 'enum');
      case 'internal_module':
        return namespaceDecl(field(node, 'name'), field(node, 'body'), 'namespace');
      case 'module':
        return namespaceDecl(field(node, 'name'), field(node, 'body'), 'module');
      case 'ambient_declaration': {
        // `declare global { … }`
        const block = firstOfType(node, 'statement_block');
        if (block && hasToken(node, 'global')) {
          const kw = node.children.find((c) => c && c.type === 'global') ?? node;
          return [{ name: 'global', nameNode: kw, kind: 'namespace', members: [block] }];
        }
        return undefined;
      }
      case 'lexical_declaration':
      case 'variable_declaration': {
        if (ctx.parent !== undefined && ctx.parent !== 'namespace' && ctx.parent !== 'module') return undefined;
        const out: Decl[] = [];
        for (const d of named(node)) {
          if (d.type !== 'variable_declarator') continue;
          const id = field(d, 'name');
          const name = nameText(id);
          if (!id || !name || (id.type !== 'identifier')) continue;
          out.push({ name, nameNode: id, kind: 'variable', ...jsValue(field(d, 'value')) });
        }
        return out;
      }
      case 'method_definition': {
        const id = field(node, 'name');
        const kind = ctx.parent !== 'variable' && ctx.parent !== 'property' && nameText(id) === 'constructor' ? 'constructor' : 'method';
        return decl(id, kind);
      }
      case 'method_signature':
      case 'abstract_method_signature':
        return decl(field(node, 'name'), nameText(field(node, 'name')) === 'constructor' ? 'constructor' : 'method');
      case 'public_field_definition':
      case 'field_definition':
      case 'property_signature': {
        const id = field(node, 'name') ?? field(node, 'property');
        const value = unwrapValue(field(node, 'value'));
        return decl(id, 'property', value && JS_FUNCTIONS.has(value.type) ? { holdsFunction: true } : {});
      }
      case 'pair': {
        if (ctx.parent !== 'variable' && ctx.parent !== 'property') return undefined;
        return decl(field(node, 'key'), 'property', jsValue(field(node, 'value')));
      }
      default:
        return undefined;
    }
  },
};

function anonymousDefault(node: SyntaxNodeLike, ctx: Ctx): Decl[] | undefined {
  if (ctx.parent !== undefined && ctx.parent !== 'namespace' && ctx.parent !== 'module') return undefined;
  const id = field(node, 'name');
  const isClass = node.type === 'class';
  const extra: Partial<Decl> = isClass ? { members: body(field(node, 'body')) } : {};
  if (id) return decl(id, isClass ? 'class' : 'function', extra);
  return [{ name: 'default', nameNode: node, kind: isClass ? 'class' : 'function', ...extra }];
}

// ---- Python ---------------------------------------------------------------------------------------

const pythonSpec: Spec = {
  prefixes: set(),
  comments: set('comment'),
  wrappers: set('decorated_definition'),
  transparent: set(),
  declare(node, ctx) {
    switch (node.type) {
      case 'class_definition':
        return decl(field(node, 'name'), 'class', { members: body(field(node, 'body')) });
      case 'function_definition': {
        if (ctx.parent === 'function' || ctx.parent === 'method') return undefined;
        const id = field(node, 'name');
        const inClass = ctx.parent === 'class';
        return decl(id, inClass ? (nameText(id) === '__init__' ? 'constructor' : 'method') : 'function');
      }
      case 'expression_statement': {
        const a = named(node)[0];
        if (!a || a.type !== 'assignment') return undefined;
        const left = field(a, 'left');
        if (!left || left.type !== 'identifier') return undefined;
        const right = field(a, 'right');
        return decl(left, ctx.parent === 'class' ? 'property' : 'variable', right?.type === 'lambda' ? { holdsFunction: true } : {});
      }
      default:
        return undefined;
    }
  },
};

// ---- Go -------------------------------------------------------------------------------------------

/** The type name of a Go receiver: `(w *Writer)`, `(Writer)`, `(l List[T])`. */
function goReceiver(node: SyntaxNodeLike): SyntaxNodeLike | undefined {
  const params = field(node, 'receiver');
  const p = params && firstOfType(params, 'parameter_declaration', 'variadic_parameter_declaration');
  let t = p && field(p, 'type');
  for (let i = 0; t && i < 8; i++) {
    if (t.type === 'type_identifier') return t;
    if (t.type === 'pointer_type' || t.type === 'parenthesized_type') t = named(t)[0];
    else if (t.type === 'generic_type') t = field(t, 'type');
    else if (t.type === 'qualified_type') t = field(t, 'name');
    else return undefined;
  }
  return undefined;
}

/** The region of one spec of a Go declaration: the whole `type X …` unless it is part of a group. */
function goRegion(declaration: SyntaxNodeLike, spec: SyntaxNodeLike, specs: number): SyntaxNodeLike {
  return specs === 1 && spec.startPosition.row === declaration.startPosition.row ? declaration : spec;
}

const goSpec: Spec = {
  prefixes: set(),
  comments: set('comment'),
  wrappers: set(),
  transparent: set(),
  declare(node, ctx) {
    switch (node.type) {
      case 'function_declaration':
        return decl(field(node, 'name'), 'function');
      case 'method_declaration': {
        const recv = goReceiver(node);
        const name = nameText(recv);
        return decl(field(node, 'name'), 'method', recv && name ? { attach: [{ name, node: recv }], attachKind: 'impl' } : {});
      }
      case 'type_declaration': {
        const specs = named(node).filter((s) => s.type === 'type_spec' || s.type === 'type_alias');
        const out: Decl[] = [];
        for (const s of specs) {
          const t = field(s, 'type');
          const kind: DeclarationKind = t?.type === 'struct_type' ? 'struct' : t?.type === 'interface_type' ? 'interface' : 'type';
          let members: SyntaxNodeLike[] | undefined;
          if (t?.type === 'struct_type') members = body(firstOfType(t, 'field_declaration_list'));
          else if (t?.type === 'interface_type') members = [t];
          out.push(...(decl(field(s, 'name'), kind, { region: goRegion(node, s, specs.length), members }) ?? []));
        }
        return out;
      }
      case 'var_declaration':
      case 'const_declaration': {
        if (ctx.parent !== undefined) return undefined;
        const specs: SyntaxNodeLike[] = [];
        for (const c of named(node)) {
          if (c.type === 'var_spec' || c.type === 'const_spec') specs.push(c);
          else if (c.type === 'var_spec_list') specs.push(...named(c).filter((s) => s.type === 'var_spec'));
        }
        const out: Decl[] = [];
        for (const s of specs) {
          const value = field(s, 'value');
          const fn = value && named(value).some((v) => v.type === 'func_literal');
          for (const id of named(s)) {
            if (id.type !== 'identifier') continue;
            const name = nameText(id);
            if (name && name !== '_') out.push({ name, nameNode: id, kind: 'variable', region: goRegion(node, s, specs.length), holdsFunction: fn || undefined });
          }
        }
        return out;
      }
      case 'field_declaration': {
        const out: Decl[] = [];
        for (const id of named(node)) {
          const name = id.type === 'field_identifier' ? nameText(id) : undefined;
          if (name) out.push({ name, nameNode: id, kind: 'property' });
        }
        return out;
      }
      case 'method_elem':
      case 'method_spec':
        return decl(field(node, 'name'), 'method');
      default:
        return undefined;
    }
  },
};

// ---- Rust -----------------------------------------------------------------------------------------

/** The type an `impl` block is for, without generics, references or paths. */
function rustImplType(node: SyntaxNodeLike | undefined): SyntaxNodeLike | undefined {
  let t = node;
  for (let i = 0; t && i < 8; i++) {
    if (t.type === 'type_identifier' || t.type === 'primitive_type') return t;
    if (t.type === 'generic_type') t = field(t, 'type');
    else if (t.type === 'scoped_type_identifier') t = field(t, 'name');
    else if (t.type === 'reference_type' || t.type === 'pointer_type') t = field(t, 'type');
    else return undefined;
  }
  return undefined;
}

const rustSpec: Spec = {
  prefixes: set('attribute_item'),
  comments: set('line_comment', 'block_comment'),
  wrappers: set(),
  transparent: set(),
  declare(node, ctx) {
    const inType = ctx.parent === 'impl' || ctx.parent === 'trait';
    switch (node.type) {
      case 'function_item':
      case 'function_signature_item':
        if (ctx.parent === 'function' || ctx.parent === 'method') return undefined;
        return decl(field(node, 'name'), inType ? 'method' : 'function');
      case 'struct_item':
      case 'union_item':
        return decl(field(node, 'name'), 'struct', { members: body(firstOfType(node, 'field_declaration_list')) });
      case 'enum_item':
        return decl(field(node, 'name'), 'enum');
      case 'trait_item':
        return decl(field(node, 'name'), 'trait', { members: body(field(node, 'body')) });
      case 'impl_item':
        return decl(rustImplType(field(node, 'type')), 'impl', { members: body(field(node, 'body')) });
      case 'mod_item':
        return decl(field(node, 'name'), 'module', { members: body(field(node, 'body')) });
      case 'const_item':
      case 'static_item':
        return decl(field(node, 'name'), 'variable');
      case 'type_item':
      case 'associated_type':
        return decl(field(node, 'name'), 'type');
      case 'macro_definition':
        return decl(field(node, 'name'), 'function');
      case 'field_declaration':
        return decl(field(node, 'name'), 'property');
      default:
        return undefined;
    }
  },
};

// ---- Java -----------------------------------------------------------------------------------------

const javaSpec: Spec = {
  prefixes: set(),
  comments: set('line_comment', 'block_comment'),
  wrappers: set(),
  transparent: set('enum_body_declarations'),
  declare(node) {
    switch (node.type) {
      case 'class_declaration':
      case 'record_declaration':
        return decl(field(node, 'name'), 'class', { members: body(field(node, 'body')) });
      case 'interface_declaration':
      case 'annotation_type_declaration':
        return decl(field(node, 'name'), 'interface', { members: body(field(node, 'body')) });
      case 'enum_declaration':
        return decl(field(node, 'name'), 'enum', { members: body(field(node, 'body')) });
      case 'method_declaration':
      case 'annotation_type_element_declaration':
        return decl(field(node, 'name'), 'method');
      case 'constructor_declaration':
      case 'compact_constructor_declaration':
        return decl(field(node, 'name'), 'constructor');
      case 'field_declaration':
      case 'constant_declaration': {
        const out: Decl[] = [];
        for (const d of named(node)) {
          if (d.type !== 'variable_declarator') continue;
          out.push(...(decl(field(d, 'name'), 'property') ?? []));
        }
        return out;
      }
      default:
        return undefined;
    }
  },
};

// ---- C# -------------------------------------------------------------------------------------------

const csharpSpec: Spec = {
  prefixes: set(),
  comments: set('comment'),
  wrappers: set(),
  transparent: set(),
  declare(node) {
    switch (node.type) {
      case 'namespace_declaration':
        return namespaceDecl(field(node, 'name'), field(node, 'body'), 'namespace');
      case 'file_scoped_namespace_declaration':
        return namespaceDecl(field(node, 'name'), undefined, 'namespace', { swallow: true });
      case 'class_declaration':
      case 'record_declaration':
      case 'record_struct_declaration':
        return decl(field(node, 'name'), 'class', { members: body(field(node, 'body')) });
      case 'struct_declaration':
        return decl(field(node, 'name'), 'struct', { members: body(field(node, 'body')) });
      case 'interface_declaration':
        return decl(field(node, 'name'), 'interface', { members: body(field(node, 'body')) });
      case 'enum_declaration':
        return decl(field(node, 'name'), 'enum');
      case 'delegate_declaration':
        return decl(field(node, 'name'), 'type');
      case 'method_declaration':
        return decl(field(node, 'name'), 'method');
      case 'constructor_declaration':
        return decl(field(node, 'name'), 'constructor');
      case 'property_declaration':
      case 'event_declaration':
        return decl(field(node, 'name'), 'property');
      case 'field_declaration':
      case 'event_field_declaration': {
        const v = firstOfType(node, 'variable_declaration');
        const out: Decl[] = [];
        for (const d of v ? named(v) : []) {
          if (d.type !== 'variable_declarator') continue;
          const value = named(d).find((c) => c.type === 'lambda_expression' || c.type === 'anonymous_method_expression');
          out.push(...(decl(field(d, 'name') ?? firstOfType(d, 'identifier'), 'property', value ? { holdsFunction: true } : {}) ?? []));
        }
        return out;
      }
      default:
        return undefined;
    }
  },
};

// ---- Ruby -----------------------------------------------------------------------------------------

/** `class A::B`: B, inside A. */
function rubyScoped(nameNode: SyntaxNodeLike | undefined): { last?: SyntaxNodeLike; qualifiers: NamePart[] } {
  const parts: NamePart[] = [];
  let n = nameNode;
  for (let i = 0; n && i < MAX_DEPTH && n.type === 'scope_resolution'; i++) {
    const name = field(n, 'name');
    if (name) parts.unshift({ name: name.text, node: name });
    n = field(n, 'scope');
  }
  if (n) parts.unshift({ name: n.text, node: n });
  const last = parts.pop();
  return { last: last?.node, qualifiers: parts };
}

const rubySpec: Spec = {
  prefixes: set(),
  comments: set('comment'),
  wrappers: set(),
  // `class << self`: its methods belong to the enclosing class.
  transparent: set('body_statement', 'singleton_class'),
  declare(node, ctx) {
    switch (node.type) {
      case 'class':
      case 'module': {
        const { last, qualifiers } = rubyScoped(field(node, 'name'));
        const b = field(node, 'body') ?? firstOfType(node, 'body_statement');
        return decl(last, node.type === 'class' ? 'class' : 'module', { members: body(b), qualifiers });
      }
      case 'method':
      case 'singleton_method':
        if (ctx.parent === 'method' || ctx.parent === 'function') return undefined;
        return decl(field(node, 'name'), ctx.parent === undefined ? 'function' : 'method');
      default:
        return undefined;
    }
  },
};

// ---- PHP ------------------------------------------------------------------------------------------

function phpNamespace(node: SyntaxNodeLike): Decl[] | undefined {
  const name = field(node, 'name');
  const b = field(node, 'body');
  if (!name) return undefined;
  const parts = named(name).filter((n) => n.type === 'name').map((n) => ({ name: n.text, node: n }));
  if (parts.length === 0) parts.push({ name: name.text, node: name });
  const last = parts.pop()!;
  return [{ name: last.name, nameNode: last.node, kind: 'namespace', qualifiers: parts, members: body(b), swallow: !b }];
}

const phpSpec: Spec = {
  prefixes: set(),
  comments: set('comment'),
  wrappers: set(),
  transparent: set(),
  declare(node, ctx) {
    switch (node.type) {
      case 'namespace_definition':
        return phpNamespace(node);
      case 'class_declaration':
        return decl(field(node, 'name'), 'class', { members: body(field(node, 'body')) });
      case 'interface_declaration':
        return decl(field(node, 'name'), 'interface', { members: body(field(node, 'body')) });
      case 'trait_declaration':
        return decl(field(node, 'name'), 'trait', { members: body(field(node, 'body')) });
      case 'enum_declaration':
        return decl(field(node, 'name'), 'enum');
      case 'function_definition':
        if (ctx.parent !== undefined && ctx.parent !== 'namespace') return undefined;
        return decl(field(node, 'name'), 'function');
      case 'method_declaration': {
        const id = field(node, 'name');
        return decl(id, nameText(id) === '__construct' ? 'constructor' : 'method');
      }
      case 'property_declaration': {
        const out: Decl[] = [];
        for (const p of named(node)) {
          if (p.type !== 'property_element') continue;
          out.push(...(decl(field(p, 'name') ?? firstOfType(p, 'variable_name'), 'property') ?? []));
        }
        return out;
      }
      case 'const_declaration': {
        const out: Decl[] = [];
        for (const c of named(node)) {
          if (c.type !== 'const_element') continue;
          out.push(...(decl(field(c, 'name') ?? firstOfType(c, 'name'), ctx.parent === undefined || ctx.parent === 'namespace' ? 'variable' : 'property') ?? []));
        }
        return out;
      }
      default:
        return undefined;
    }
  },
};

// ---- C++ ------------------------------------------------------------------------------------------

/** The name of a C++ declarator (`f`, `A::b`, `*p`, `operator+`), with its qualifiers. */
function cppDeclarator(node: SyntaxNodeLike | undefined): { id?: SyntaxNodeLike; qualifiers: NamePart[]; fn: boolean } {
  let d = node;
  let fn = false;
  const qualifiers: NamePart[] = [];
  for (let i = 0; d && i < MAX_DEPTH; i++) {
    switch (d.type) {
      case 'function_declarator':
        fn = true;
        d = field(d, 'declarator');
        continue;
      case 'pointer_declarator':
      case 'reference_declarator':
      case 'parenthesized_declarator':
      case 'attributed_declarator':
      case 'init_declarator':
      case 'array_declarator':
        d = field(d, 'declarator') ?? named(d).find((c) => c.type.endsWith('declarator') || c.type.endsWith('identifier'));
        continue;
      case 'qualified_identifier': {
        const scope = field(d, 'scope');
        const scopeName = scope && (scope.type === 'template_type' ? field(scope, 'name') : scope);
        if (scopeName) qualifiers.push({ name: scopeName.text, node: scopeName });
        d = field(d, 'name');
        continue;
      }
      case 'template_function':
      case 'template_method':
        d = field(d, 'name');
        continue;
      case 'identifier':
      case 'field_identifier':
      case 'destructor_name':
      case 'operator_name':
      case 'type_identifier':
        return { id: d, qualifiers, fn };
      default:
        return { qualifiers, fn };
    }
  }
  return { qualifiers, fn };
}

function cppClass(node: SyntaxNodeLike, nameNode: SyntaxNodeLike | undefined, region?: SyntaxNodeLike): Decl[] | undefined {
  const b = field(node, 'body');
  if (!b) return undefined;
  const kind: DeclarationKind = node.type === 'class_specifier' ? 'class' : node.type === 'enum_specifier' ? 'enum' : 'struct';
  const n = nameNode && nameNode.type === 'qualified_identifier' ? cppDeclarator(nameNode) : { id: nameNode, qualifiers: [] };
  return decl(n.id, kind, { members: kind === 'enum' ? undefined : [b], region, qualifiers: n.qualifiers });
}

const CPP_TYPES = set('class_specifier', 'struct_specifier', 'union_specifier', 'enum_specifier');

const cppSpec: Spec = {
  prefixes: set(),
  comments: set('comment'),
  wrappers: set('template_declaration'),
  // Include guards and `#if` branches, `extern "C" {}`, and anonymous namespaces (declare() gives
  // nothing for them) hold declarations of the level they are in.
  transparent: set('preproc_if', 'preproc_ifdef', 'preproc_else', 'preproc_elif', 'preproc_elifdef', 'linkage_specification', 'declaration_list', 'namespace_definition'),
  declare(node, ctx) {
    const inClass = ctx.parent === 'class' || ctx.parent === 'struct';
    switch (node.type) {
      case 'namespace_definition': {
        const name = field(node, 'name');
        const b = field(node, 'body');
        if (!name) return undefined; // anonymous: its body is scanned as part of this level (transparent below)
        if (name.type === 'nested_namespace_specifier') {
          const parts = named(name).map((n) => ({ name: n.text, node: n }));
          const last = parts.pop();
          return last ? [{ name: last.name, nameNode: last.node, kind: 'namespace', qualifiers: parts, members: body(b) }] : undefined;
        }
        return decl(name, 'namespace', { members: body(b) });
      }
      case 'class_specifier':
      case 'struct_specifier':
      case 'union_specifier':
      case 'enum_specifier':
        return cppClass(node, field(node, 'name'));
      case 'type_definition': {
        // `typedef struct { … } Name;`
        const t = field(node, 'type');
        const id = field(node, 'declarator');
        if (t && CPP_TYPES.has(t.type) && field(t, 'body')) return cppClass(t, field(t, 'name') ?? id, node);
        return decl(id && id.type === 'type_identifier' ? id : undefined, 'type');
      }
      case 'alias_declaration':
        return decl(field(node, 'name'), 'type');
      case 'function_definition': {
        if (ctx.parent === 'function' || ctx.parent === 'method') return undefined;
        const { id, qualifiers } = cppDeclarator(field(node, 'declarator'));
        const name = nameText(id);
        if (!id || !name) return undefined;
        const kind: DeclarationKind = inClass || qualifiers.length > 0 ? 'method' : 'function';
        if (qualifiers.length > 0 && !inClass) return [{ name, nameNode: id, kind, attach: qualifiers, attachKind: 'namespace' }];
        return [{ name, nameNode: id, kind }];
      }
      case 'declaration':
      case 'field_declaration': {
        const t = field(node, 'type');
        if (t && CPP_TYPES.has(t.type) && field(t, 'body')) {
          return cppClass(t, field(t, 'name') ?? cppDeclarator(field(node, 'declarator')).id, node);
        }
        const out: Decl[] = [];
        for (const c of node.childrenForFieldName('declarator')) {
          if (!c) continue;
          const { id, fn } = cppDeclarator(c);
          const name = nameText(id);
          if (!id || !name) continue;
          if (fn) out.push({ name, nameNode: id, kind: inClass ? (name === ctx.parentName ? 'constructor' : 'method') : 'function', prototype: true });
          else if (ctx.parent !== 'function') out.push({ name, nameNode: id, kind: inClass ? 'property' : 'variable' });
        }
        return out;
      }
      default:
        return undefined;
    }
  },
};

// ---- Bash -----------------------------------------------------------------------------------------

const bashSpec: Spec = {
  prefixes: set(),
  comments: set('comment'),
  wrappers: set(),
  transparent: set(),
  declare(node) {
    return node.type === 'function_definition' ? decl(field(node, 'name'), 'function') : undefined;
  },
};

const SPECS: Record<string, Spec> = {
  typescript: jsSpec, tsx: jsSpec, javascript: jsSpec,
  python: pythonSpec, go: goSpec, rust: rustSpec, java: javaSpec, 'c-sharp': csharpSpec,
  ruby: rubySpec, php: phpSpec, cpp: cppSpec, bash: bashSpec,
};
