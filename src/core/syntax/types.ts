// What a language's syntax tree tells Customer Lens about a code file: its declarations with their
// full regions and dotted container paths, and where the tree could not parse the code. Plain data,
// so it crosses worker boundaries and caches cheaply; no tree object ever leaves the parser.

/** 0-based, inclusive line region. */
export interface LineRegion {
  startLine: number;
  endLine: number;
}

/**
 * The kinds of declaration the syntax trees give. Class-likes (class, interface, struct, trait,
 * impl, enum, type) and callables (function, method, constructor) are what a `@why` tag above them
 * covers; a variable or property counts as a callable only when `holdsFunction` is set.
 */
export type DeclarationKind =
  | 'class' | 'interface' | 'struct' | 'trait' | 'impl' | 'enum' | 'type'
  | 'function' | 'method' | 'constructor'
  | 'variable' | 'property'
  | 'namespace' | 'module';

/** A declaration: a name, its children, and the 0-based lines it covers. */
export interface SymbolNode {
  name: string;
  /** Absent for symbols from a textual search or an editor's symbol provider. */
  kind?: DeclarationKind;
  /** A variable or property whose value is a function (arrow, function expression, lambda). */
  holdsFunction?: boolean;
  /** First line: decorators, attributes and modifiers included, the doc comment not. */
  startLine: number;
  /** Last line of the body. */
  endLine: number;
  /** Where the name itself is (for hovers on the name). */
  nameLine: number;
  nameCol: number;
  children: SymbolNode[];
  /**
   * Overloads merged into this symbol (signatures, then the implementation; a getter and its
   * setter): the first line of each one after the first. A tag above any of them covers the whole.
   */
  signatureLines?: number[];
}

/** The syntax of one file, from the language's grammar. */
export interface FileSyntax {
  /** The grammar used ('typescript', 'tsx', 'python', …). */
  language: string;
  symbols: SymbolNode[];
  /** Regions the grammar could not parse (ERROR and MISSING nodes), outermost only. */
  errors: LineRegion[];
  /**
   * Set when the file has a grammar but could not be parsed at all (the parse hit its time bound,
   * or failed): there are no declarations to trust, and nothing is guessed from the text either.
   */
  incomplete?: string;
}
