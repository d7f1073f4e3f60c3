// Reads one customer-insights file into the typed model, checking everything that can be decided from
// the file alone: YAML syntax, version, schema (missing fields, wrong types, unknown values),
// unknown keys, tracker patterns and paths that escape the workspace folder.
import { Alias, isAlias, isMap, isScalar, isSeq, parseDocument, visit } from 'yaml';
import type { Document, Node as YamlNode, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { closest } from 'fastest-levenshtein';
import {
  ID_PATTERN, EVIDENCE_KINDS, HEALTHS, HORIZONS, RULE_SEVERITY, SEVERITIES, SIGNALS, STATUSES,
} from './model';
import type {
  Anchor, Customer, Diagnostic, Evidence, EvidenceKind, Impact, InsightsFile, Located, Persona, Problem,
  Product, RuleId, Span, Tracker,
} from './model';
import { LineMap } from './spans';
import { anchorPath } from './paths';
import { checkTrackerPattern } from './trackers';

export const SUPPORTED_VERSION = 1;
/** Default size limit for one insights file; the editor setting and the CLI can change it. */
export const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024;
/** How many nodes may be reached through YAML aliases before the file is treated as an alias bomb. */
const ALIAS_BUDGET = 10_000;

/** Flow collections nested deeper than this are refused before parsing. */
const MAX_NESTING = 64;
/** At most this many syntax errors are reported for one file. */
const MAX_SYNTAX_ERRORS = 20;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const LINES_PATTERN = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/;

const TOP_KEYS = ['version', 'product', 'trackers', 'personas', 'customers', 'problems'];
const PRODUCT_KEYS = ['name', 'value'];
const TRACKER_KEYS = ['prefix', 'pattern', 'url'];
const PERSONA_KEYS = ['id', 'name', 'description', 'jobs'];
const CUSTOMER_KEYS = ['id', 'name', 'segment', 'arr', 'health'];
const PROBLEM_KEYS = [
  'id', 'title', 'description', 'status', 'severity', 'horizon', 'personas', 'customers', 'tags', 'impact',
  'validated', 'owner', 'related', 'evidence', 'tickets', 'code',
];
const IMPACT_KEYS = ['customers', 'arr', 'votes', 'tickets', 'as_of'];
const EVIDENCE_KEYS = ['kind', 'signal', 'quote', 'summary', 'customer', 'persona', 'date', 'url', 'count'];
const ANCHOR_KEYS = ['path', 'symbol', 'lines', 'text', 'note'];

/** The keys the format knows in each kind of map, in the format's order (completions and fixes offer them). */
export const FORMAT_KEYS = {
  top: TOP_KEYS, product: PRODUCT_KEYS, tracker: TRACKER_KEYS, persona: PERSONA_KEYS, customer: CUSTOMER_KEYS,
  problem: PROBLEM_KEYS, impact: IMPACT_KEYS, evidence: EVIDENCE_KEYS, anchor: ANCHOR_KEYS,
} as const satisfies Record<string, readonly string[]>;

/** The signal each kind of evidence carries unless `signal` says otherwise. */
export function defaultSignal(kind: EvidenceKind): 'said' | 'observed' {
  return kind === 'field-study' || kind === 'usage-data' ? 'observed' : 'said';
}

export interface ParseOptions {
  /** Size limit in bytes; larger texts are refused before parsing. */
  maxBytes?: number;
  /** Byte size of the file when known (the text length is used otherwise). */
  byteSize?: number;
}

/** A diagnostic for a file refused for its size, with advice on how to split it. */
export function oversizeDiagnostic(file: string, bytes: number, maxBytes: number): Diagnostic {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  return {
    file,
    span: { line: 0, col: 0, endLine: 0, endCol: 0 },
    severity: 'error',
    rule: 'yaml-syntax',
    message:
      `This file is ${mb(bytes)}, over the ${mb(maxBytes)} limit, so it was not read. Split it: several ` +
      'customer-insights.yaml files in one folder (one per package or product area) merge into one index. ' +
      'The limit is the setting customerLens.maxFileSizeKB (CLI: --max-size-kb).',
  };
}

/** Parses one insights file. `file` is its path relative to the workspace folder ('/' separators). */
export function parseInsightsFile(text: string, file: string, options: ParseOptions = {}): InsightsFile {
  const result: InsightsFile = {
    file, parsed: false, trackers: [], personas: [], customers: [], problems: [], diagnostics: [],
  };
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  const size = options.byteSize ?? text.length;
  if (size > maxBytes) {
    result.diagnostics.push(oversizeDiagnostic(file, size, maxBytes));
    return result;
  }
  const lines = new LineMap(text);
  const deep = deepNesting(text);
  if (deep !== undefined) {
    // The YAML parser recurses per level; absurd nesting is refused before it runs out of stack.
    result.diagnostics.push(diag(file, lines.span(lines.lineStart(deep), lines.lineStart(deep)), 'yaml-syntax',
      `This file nests lists or maps more than ${MAX_NESTING} levels deep, so it was not read. An insights file needs fewer than ten.`));
    return result;
  }
  let doc: Document.Parsed;
  try {
    // uniqueKeys: a repeated key is an error, never a silent override.
    doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, strict: true });
  } catch (e) {
    // The parser itself gave up (for example on absurd nesting): say so at the top of the file.
    result.diagnostics.push(diag(file, lines.span(0, 0), 'yaml-syntax', `This file could not be read as YAML: ${String((e as Error).message ?? e)}`));
    return result;
  }
  if (doc.errors.length > 0) {
    for (const err of doc.errors.slice(0, MAX_SYNTAX_ERRORS)) {
      const [start, end] = err.pos;
      result.diagnostics.push(diag(file, lines.span(start, Math.max(start, end)), 'yaml-syntax', yamlMessage(err.message)));
    }
    if (doc.errors.length > MAX_SYNTAX_ERRORS) {
      const [start] = doc.errors[MAX_SYNTAX_ERRORS].pos;
      result.diagnostics.push(diag(file, lines.span(start, start), 'yaml-syntax',
        `${doc.errors.length - MAX_SYNTAX_ERRORS} more YAML syntax errors follow; fix the first ones, they often cause the rest.`));
    }
    return result;
  }
  result.parsed = true;
  try {
    new FileReader(doc, lines, file, result).read();
  } catch (e) {
    if (!(e instanceof AliasBombError)) throw e;
    result.parsed = false;
    result.trackers = [];
    result.personas = [];
    result.customers = [];
    result.problems = [];
    result.diagnostics = [diag(file, e.span, 'yaml-syntax',
      'This file expands YAML aliases (*name) into more than 10,000 nodes, as a "YAML bomb" does, so it was not read. ' +
      'Write the repeated values out instead of aliasing them.')];
  }
  return result;
}

/** The 0-based line where flow brackets first nest deeper than MAX_NESTING, if they do. */
function deepNesting(text: string): number | undefined {
  let depth = 0;
  let line = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      quote = undefined;
    } else if (quote !== undefined) {
      if (text[i] === quote) quote = undefined;
    } else if (c === 91 || c === 123) {
      if (++depth > MAX_NESTING) return line;
    } else if (c === 93 || c === 125) {
      if (depth > 0) depth--;
    } else if (c === 34 || c === 39) {
      quote = text[i];
    } else if (c === 35 && (i === 0 || text[i - 1] === ' ' || text[i - 1] === '\t' || text[i - 1] === '\n')) {
      // A comment: skip to the end of the line.
      const nl = text.indexOf('\n', i);
      if (nl === -1) break;
      i = nl - 1;
    }
  }
  return undefined;
}

function yamlMessage(message: string): string {
  // The parser's messages end with a source excerpt when prettyErrors is on; keep the first line only.
  const first = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  return `YAML syntax: ${first}`;
}

function diag(file: string, span: Span, rule: RuleId, message: string): Diagnostic {
  return { file, span, severity: RULE_SEVERITY[rule], rule, message };
}

class AliasBombError extends Error {
  constructor(readonly span: Span) {
    super('alias bomb');
  }
}

type Value = YamlNode | null | undefined;

/** Walks the YAML node tree once, building the model and reporting what does not fit the format. */
class FileReader {
  private aliasBudget = ALIAS_BUDGET;
  private anchors?: Map<string, { offset: number; node: YamlNode }[]>;
  private readonly dir: string;

  constructor(
    private readonly doc: Document.Parsed,
    private readonly lines: LineMap,
    private readonly file: string,
    private readonly out: InsightsFile,
  ) {
    const slash = file.lastIndexOf('/');
    this.dir = slash === -1 ? '' : file.slice(0, slash);
  }

  read(): void {
    const root = this.deref(this.doc.contents);
    if (root === null || root === undefined || (isScalar(root) && root.value === null)) {
      this.report(this.lines.span(0, 0), 'version', `This file is empty. Start it with "version: ${SUPPORTED_VERSION}".`);
      return;
    }
    if (!isMap(root)) {
      this.report(this.spanOf(root), 'schema',
        `The top level of an insights file must be a map of keys (version, product, trackers, personas, customers, problems), not ${describe(root)}.`);
      return;
    }
    const top = this.pairs(root, TOP_KEYS, 'the top level');
    const version = top.get('version');
    if (!version) {
      this.report(this.spanOf(root, true), 'version', `This file has no "version". Add "version: ${SUPPORTED_VERSION}" at the top.`);
    } else {
      const v = this.deref(version.value);
      if (isScalar(v) && v.value === SUPPORTED_VERSION) this.out.version = SUPPORTED_VERSION;
      else this.report(this.spanOf(v ?? version.key), 'version',
        `"version" must be ${SUPPORTED_VERSION}: Customer Lens reads format version ${SUPPORTED_VERSION} (found ${scalarText(v)}).`);
    }
    const product = top.get('product');
    if (product) this.out.product = this.readProduct(product.value);
    for (const item of this.list(top.get('trackers'), 'trackers')) this.readTracker(item);
    for (const item of this.list(top.get('personas'), 'personas')) this.readPersona(item);
    for (const item of this.list(top.get('customers'), 'customers')) this.readCustomer(item);
    for (const item of this.list(top.get('problems'), 'problems')) this.readProblem(item);
  }

  // ---- sections --------------------------------------------------------------------------------

  private readProduct(value: unknown): Product | undefined {
    const map = this.map(value, 'product');
    if (!map) return undefined;
    const keys = this.pairs(map, PRODUCT_KEYS, 'product');
    return { name: this.str(keys.get('name'), 'product name'), value: this.str(keys.get('value'), 'product value') };
  }

  private readTracker(node: YamlNode): void {
    const map = this.map(node, 'a tracker');
    if (!map) return;
    const keys = this.pairs(map, TRACKER_KEYS, 'a tracker');
    const prefix = this.str(keys.get('prefix'), 'tracker prefix');
    const pattern = this.str(keys.get('pattern'), 'tracker pattern');
    const url = this.str(keys.get('url'), 'tracker url');
    const span = this.spanOf(map, true);
    const keyNode = keys.get('pattern') ?? keys.get('prefix');
    const keySpan = keyNode ? this.spanOf(this.deref(keyNode.value) ?? keyNode.key) : span;
    let usable = true;
    if (prefix === undefined && pattern === undefined) {
      this.report(span, 'schema', 'A tracker needs a "prefix" (such as ACME) or a "pattern" (a regular expression).');
      usable = false;
    } else if (prefix !== undefined && pattern !== undefined) {
      this.report(keySpan, 'schema', 'A tracker has either a "prefix" or a "pattern", not both.');
      usable = false;
    } else if (prefix !== undefined && !/^[A-Za-z][A-Za-z0-9_]*$/.test(prefix)) {
      this.report(keySpan, 'schema', `The tracker prefix "${prefix}" must be letters, digits or "_", starting with a letter (keys look like ${'ACME'}-123).`);
      usable = false;
    } else if (pattern !== undefined) {
      const problem = checkTrackerPattern(pattern);
      if (problem) {
        this.report(keySpan, 'schema', problem);
        usable = false;
      }
    }
    if (url === undefined) {
      // Missing or empty alike: a tracker without a url can link nothing, and must say so.
      const written = keys.get('url');
      if (!written) this.report(span, 'schema', 'A tracker needs a "url", such as https://tracker.example/browse/{key}.');
      else if (written.value === null || written.value === undefined || (isScalar(written.value) && (written.value.value === null || String(written.value.value).trim() === ''))) {
        this.report(this.spanOf(written.key as YamlNode), 'schema', 'The tracker url is empty: write the address of a ticket, such as https://tracker.example/browse/{key}.');
      }
      usable = false;
    } else if (!isWebUrl(url.replace(/\{[^}]*\}/g, 'x'))) {
      this.report(this.spanOf(this.deref(keys.get('url')!.value)), 'schema', `The tracker url must start with https:// or http:// (found "${url}").`);
      usable = false;
    }
    this.out.trackers.push({ prefix, pattern, url: url ?? '', span, keySpan, usable });
  }

  private readPersona(node: YamlNode): void {
    const map = this.map(node, 'a persona');
    if (!map) return;
    const keys = this.pairs(map, PERSONA_KEYS, 'a persona');
    const id = this.requiredId(keys, map, 'persona');
    const name = this.requiredStr(keys, map, 'name', `Persona ${id ?? ''}`.trim());
    if (id === undefined) return;
    this.out.personas.push({
      id, name: name ?? id,
      description: this.str(keys.get('description'), 'description'),
      jobs: this.strings(keys.get('jobs'), 'jobs').map((j) => j.value),
      file: this.file, span: this.spanOf(map, true), idSpan: this.valueSpan(keys.get('id')!),
    } satisfies Persona);
  }

  private readCustomer(node: YamlNode): void {
    const map = this.map(node, 'a customer');
    if (!map) return;
    const keys = this.pairs(map, CUSTOMER_KEYS, 'a customer');
    const id = this.requiredId(keys, map, 'customer');
    const name = this.requiredStr(keys, map, 'name', `Customer ${id ?? ''}`.trim());
    if (id === undefined) return;
    this.out.customers.push({
      id, name: name ?? id,
      segment: this.str(keys.get('segment'), 'segment'),
      arr: this.num(keys.get('arr'), 'arr'),
      health: this.oneOf(keys.get('health'), HEALTHS, 'health'),
      file: this.file, span: this.spanOf(map, true), idSpan: this.valueSpan(keys.get('id')!),
    } satisfies Customer);
  }

  private readProblem(node: YamlNode): void {
    const map = this.map(node, 'a problem');
    if (!map) return;
    const keys = this.pairs(map, PROBLEM_KEYS, 'a problem');
    const id = this.requiredId(keys, map, 'problem');
    const label = id ? `Problem ${id}` : 'This problem';
    const title = this.requiredStr(keys, map, 'title', label);
    if (id === undefined) return;
    const problem: Problem = {
      id,
      title: title ?? id,
      description: this.str(keys.get('description'), 'description'),
      status: this.oneOf(keys.get('status'), STATUSES, 'status') ?? 'hypothesis',
      severity: this.oneOf(keys.get('severity'), SEVERITIES, 'severity') ?? 'medium',
      horizon: this.oneOf(keys.get('horizon'), HORIZONS, 'horizon'),
      personas: this.strings(keys.get('personas'), 'personas'),
      customers: this.strings(keys.get('customers'), 'customers'),
      tags: this.strings(keys.get('tags'), 'tags').map((t) => t.value),
      impact: this.readImpact(keys.get('impact')),
      validated: this.date(keys.get('validated'), 'validated'),
      owner: this.str(keys.get('owner'), 'owner'),
      related: this.strings(keys.get('related'), 'related'),
      evidence: [],
      tickets: this.strings(keys.get('tickets'), 'tickets'),
      code: [],
      file: this.file,
      span: this.spanOf(map, true),
      idSpan: this.valueSpan(keys.get('id')!),
    };
    for (const item of this.list(keys.get('evidence'), 'evidence')) {
      const evidence = this.readEvidence(item, id);
      if (evidence) problem.evidence.push(evidence);
    }
    for (const item of this.list(keys.get('code'), 'code')) {
      const anchor = this.readAnchor(item, id, problem.code.length);
      if (anchor) problem.code.push(anchor);
    }
    this.out.problems.push(problem);
  }

  private readImpact(pair: Pair | undefined): Impact | undefined {
    if (!pair) return undefined;
    const map = this.map(pair.value, 'impact');
    if (!map) return undefined;
    const keys = this.pairs(map, IMPACT_KEYS, 'impact');
    return {
      customers: this.num(keys.get('customers'), 'impact customers'),
      arr: this.num(keys.get('arr'), 'impact arr'),
      votes: this.num(keys.get('votes'), 'impact votes'),
      tickets: this.num(keys.get('tickets'), 'impact tickets'),
      asOf: this.date(keys.get('as_of'), 'as_of'),
    };
  }

  private readEvidence(node: YamlNode, problemId: string): Evidence | undefined {
    const map = this.map(node, 'an evidence item');
    if (!map) return undefined;
    const keys = this.pairs(map, EVIDENCE_KEYS, 'an evidence item');
    const span = this.spanOf(map, true);
    const kindPair = keys.get('kind');
    const kind = this.oneOf(kindPair, EVIDENCE_KINDS, 'kind');
    if (!kindPair) {
      this.report(span, 'schema', `An evidence item of ${problemId} has no "kind": say where it comes from (${EVIDENCE_KINDS.join(', ')}).`);
    }
    const quote = this.str(keys.get('quote'), 'quote');
    const summary = this.str(keys.get('summary'), 'summary');
    if (quote === undefined && summary === undefined) {
      this.report(span, 'schema', `An evidence item of ${problemId} has neither "quote" nor "summary": write what the customer said or what was seen.`);
    }
    const url = this.str(keys.get('url'), 'url');
    if (url !== undefined && !isWebUrl(url)) {
      this.report(this.valueSpan(keys.get('url')!), 'schema', `An evidence url must start with https:// or http:// (found "${url}").`);
    }
    const count = this.num(keys.get('count'), 'count');
    const resolvedKind = kind ?? 'other';
    return {
      kind: resolvedKind,
      signal: this.oneOf(keys.get('signal'), SIGNALS, 'signal') ?? defaultSignal(resolvedKind),
      quote, summary,
      customer: this.located(keys.get('customer'), 'customer'),
      persona: this.located(keys.get('persona'), 'persona'),
      date: this.date(keys.get('date'), 'date'),
      url: url !== undefined && isWebUrl(url) ? url : undefined,
      count,
      span,
    };
  }

  private readAnchor(node: YamlNode, problemId: string, index: number): Anchor | undefined {
    const value = this.deref(node);
    if (isScalar(value) && typeof value.value === 'string') {
      const span = this.spanOf(value);
      const target = this.target(value.value, span);
      return { kind: 'path', written: value.value, path: target?.path, glob: target?.glob ?? false, problemId, file: this.file, index, span, pathSpan: span };
    }
    const map = this.map(value, 'a code anchor');
    if (!map) return undefined;
    const keys = this.pairs(map, ANCHOR_KEYS, 'a code anchor');
    const span = this.spanOf(map, true);
    const pathPair = keys.get('path');
    const written = this.str(pathPair, 'path');
    if (written === undefined) {
      if (!pathPair) this.report(span, 'schema', `A code anchor of ${problemId} has no "path": name the file it points at.`);
      return undefined;
    }
    const pathSpan = this.valueSpan(pathPair!);
    const target = this.target(written, pathSpan);
    const symbol = this.str(keys.get('symbol'), 'symbol');
    const linesPair = keys.get('lines');
    const lines = linesPair ? this.lineRange(linesPair) : undefined;
    const text = this.str(keys.get('text'), 'text');
    const anchor: Anchor = {
      kind: 'path', written, path: target?.path, glob: target?.glob ?? false, symbol, lines,
      text: text?.trim(), note: this.str(keys.get('note'), 'note'),
      problemId, file: this.file, index, span, pathSpan,
      linesSpan: linesPair ? this.valueSpan(linesPair) : undefined,
    };
    if (symbol !== undefined && linesPair) {
      this.report(this.spanOf(linesPair.key as YamlNode), 'schema', 'An anchor points at either a "symbol" or "lines", not both; the symbol is used.');
    }
    if (symbol !== undefined) anchor.kind = 'symbol';
    else if (lines) anchor.kind = 'lines';
    else if (text !== undefined) {
      this.report(this.spanOf(keys.get('text')!.key as YamlNode), 'schema', '"text" belongs with "lines": it is the first line\'s text that lets the anchor follow moved code.');
    }
    if (anchor.kind !== 'path' && anchor.glob) {
      this.report(pathSpan, 'schema', `A ${anchor.kind} anchor needs one file, not a glob ("${written}").`);
    }
    return anchor;
  }

  private target(written: string, span: Span): { path: string; glob: boolean } | undefined {
    const result = anchorPath(this.dir, written);
    if (result.escapes) {
      this.report(span, 'path-escapes',
        `"${written}" points outside the workspace folder. Paths are relative to this file's folder and must stay inside the workspace.`);
      return undefined;
    }
    if (written.trim() === '') {
      this.report(span, 'schema', 'A code anchor path is empty.');
      return undefined;
    }
    return result;
  }

  private lineRange(pair: Pair): { start: number; end: number } | undefined {
    const value = this.deref(pair.value);
    const span = this.valueSpan(pair);
    let start: number | undefined;
    let end: number | undefined;
    if (isScalar(value) && typeof value.value === 'number' && Number.isInteger(value.value)) {
      start = end = value.value;
    } else if (isScalar(value) && typeof value.value === 'string') {
      const m = LINES_PATTERN.exec(value.value);
      if (m) {
        start = Number(m[1]);
        end = m[2] === undefined ? start : Number(m[2]);
      }
    }
    if (start === undefined || end === undefined) {
      this.report(span, 'schema', `"lines" must be a line number or a range such as "88-104" (found ${scalarText(value)}).`);
      return undefined;
    }
    if (start < 1 || end < start) {
      this.report(span, 'schema', `"lines" ${start}-${end} is not a valid range: lines count from 1 and the range must not run backwards.`);
      return undefined;
    }
    return { start, end };
  }

  // ---- typed readers ---------------------------------------------------------------------------

  /** The pairs of a map by key; unknown keys are reported with the nearest known key. */
  private pairs(map: YAMLMap, known: readonly string[], where: string): Map<string, Pair> {
    const result = new Map<string, Pair>();
    for (const pair of map.items) {
      const key = this.deref(pair.key as YamlNode);
      const name = isScalar(key) ? String(key.value) : undefined;
      if (name === undefined) {
        this.report(this.spanOf(key), 'schema', `Keys in ${where} must be plain names.`);
        continue;
      }
      if (!known.includes(name)) {
        this.report(this.spanOf(key), 'unknown-key',
          `"${name}" is not a key of ${where}, so it is ignored. The nearest known key is "${closest(name, known as string[])}".`);
        continue;
      }
      result.set(name, pair);
    }
    return result;
  }

  private map(value: unknown, what: string): YAMLMap | undefined {
    const node = this.deref(value);
    if (isMap(node)) return node;
    if (node === null || node === undefined) return undefined;
    this.report(this.spanOf(node), 'schema', `Expected ${what} as a map of keys, found ${describe(node)}.`);
    return undefined;
  }

  /** Items of a sequence-valued key; absent or empty gives none, another type is reported. */
  private list(pair: Pair | undefined, key: string): YamlNode[] {
    if (!pair) return [];
    const node = this.deref(pair.value);
    if (node === null || node === undefined || (isScalar(node) && node.value === null)) return [];
    if (isSeq(node)) return (node as YAMLSeq<YamlNode>).items.map((item) => this.deref(item)).filter((n): n is YamlNode => !!n);
    this.report(this.spanOf(node), 'schema', `"${key}" must be a list (items starting with "- "), found ${describe(node)}.`);
    return [];
  }

  private strings(pair: Pair | undefined, key: string): Located[] {
    const result: Located[] = [];
    for (const item of this.list(pair, key)) {
      if (isScalar(item) && item.value !== null && typeof item.value !== 'object') {
        result.push({ value: String(item.value), span: this.spanOf(item) });
      } else {
        this.report(this.spanOf(item), 'schema', `Each item of "${key}" must be a single value, found ${describe(item)}.`);
      }
    }
    return result;
  }

  private located(pair: Pair | undefined, key: string): Located | undefined {
    const value = this.str(pair, key);
    return value === undefined ? undefined : { value, span: this.valueSpan(pair!) };
  }

  /** A text value. Numbers and booleans are accepted as their text; maps and lists are reported. */
  private str(pair: Pair | undefined, key: string): string | undefined {
    if (!pair) return undefined;
    const node = this.deref(pair.value);
    if (node === null || node === undefined) return undefined;
    if (isScalar(node)) {
      if (node.value === null) return undefined;
      if (typeof node.value === 'string') return node.value;
      if (typeof node.value === 'number' || typeof node.value === 'boolean') return String(node.value);
    }
    this.report(this.spanOf(node), 'schema', `"${key}" must be text, found ${describe(node)}.`);
    return undefined;
  }

  private requiredStr(keys: Map<string, Pair>, map: YAMLMap, key: string, owner: string): string | undefined {
    const pair = keys.get(key);
    const value = this.str(pair, key);
    if (value !== undefined && value.trim() !== '') return value;
    // A value of the wrong type was reported by str(); report only what is missing or empty.
    if (!pair || value !== undefined || isNullValue(pair.value as YamlNode | null)) {
      this.report(pair ? this.valueSpan(pair) : this.spanOf(map, true), 'schema', `${owner} has no ${key}: "${key}" is required.`);
    }
    return undefined;
  }

  private requiredId(keys: Map<string, Pair>, map: YAMLMap, what: string): string | undefined {
    const id = this.requiredStr(keys, map, 'id', `This ${what}`);
    if (id === undefined) return undefined;
    if (!ID_PATTERN.test(id)) {
      this.report(this.valueSpan(keys.get('id')!), 'schema',
        `The ${what} id "${id}" must start with a letter and use only letters, digits, ".", "_" and "-".`);
      return undefined;
    }
    return id;
  }

  private num(pair: Pair | undefined, key: string): number | undefined {
    if (!pair) return undefined;
    const node = this.deref(pair.value);
    if (node === null || node === undefined || (isScalar(node) && node.value === null)) return undefined;
    if (isScalar(node) && typeof node.value === 'number' && Number.isFinite(node.value) && node.value >= 0) return node.value;
    this.report(this.spanOf(node), 'schema', `"${key}" must be a number of zero or more, without quotes or units (found ${scalarText(node)}).`);
    return undefined;
  }

  private oneOf<T extends string>(pair: Pair | undefined, allowed: readonly T[], key: string): T | undefined {
    const value = this.str(pair, key);
    if (value === undefined) return undefined;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.report(this.valueSpan(pair!), 'schema',
      `"${key}" must be one of ${allowed.join(', ')} (found "${value}"; nearest: "${closest(value, allowed as readonly string[] as string[])}").`);
    return undefined;
  }

  private date(pair: Pair | undefined, key: string): string | undefined {
    const value = this.str(pair, key);
    if (value === undefined) return undefined;
    if (isValidDate(value)) return value;
    this.report(this.valueSpan(pair!), 'schema', `"${key}" must be a date written YYYY-MM-DD, such as 2026-10-01 (found "${value}").`);
    return undefined;
  }

  // ---- nodes, aliases and spans ----------------------------------------------------------------

  /** Follows an alias to the node it names, charging the alias budget for what it brings in. */
  private deref(value: unknown): YamlNode | null | undefined {
    if (!isAlias(value)) return value as YamlNode | null | undefined;
    const target = this.resolveAlias(value);
    const cost = target ? countNodes(target, this.aliasBudget + 1) : 1;
    this.aliasBudget -= cost;
    if (this.aliasBudget < 0) throw new AliasBombError(this.spanOf(value));
    return target;
  }

  private resolveAlias(alias: Alias): YamlNode | undefined {
    if (!this.anchors) {
      const anchors = new Map<string, { offset: number; node: YamlNode }[]>();
      visit(this.doc, {
        Node(_key, node) {
          if (node.anchor) {
            const list = anchors.get(node.anchor) ?? [];
            list.push({ offset: node.range?.[0] ?? 0, node });
            anchors.set(node.anchor, list);
          }
        },
      });
      this.anchors = anchors;
    }
    const offset = alias.range?.[0] ?? 0;
    const candidates = this.anchors.get(alias.source) ?? [];
    let found: YamlNode | undefined;
    for (const c of candidates) if (c.offset < offset) found = c.node;
    return found;
  }

  /** The span of a node; `firstLine` limits a collection to its first line (its header). */
  private spanOf(node: unknown, firstLine = false): Span {
    const range = (node as YamlNode | undefined)?.range;
    if (!range) return this.lines.span(0, 0);
    const span = this.lines.span(range[0], range[1]);
    if (firstLine && span.endLine > span.line) {
      const next = this.lines.lineStart(span.line + 1) - 1;
      return this.lines.span(range[0], Math.max(range[0], next));
    }
    return span;
  }

  /** Span of a pair's value, or of its key when the value is empty. */
  private valueSpan(pair: Pair): Span {
    const value = pair.value as YamlNode | null;
    return value && value.range ? this.spanOf(value) : this.spanOf(pair.key);
  }

  private report(span: Span, rule: RuleId, message: string): void {
    this.out.diagnostics.push(diag(this.file, span, rule, message));
  }
}

function countNodes(node: YamlNode, limit: number): number {
  let count = 0;
  const stack: unknown[] = [node];
  while (stack.length > 0 && count <= limit) {
    const n = stack.pop();
    count++;
    if (isMap(n)) for (const p of n.items) stack.push(p.key, p.value);
    else if (isSeq(n)) for (const i of n.items) stack.push(i);
    else if (isAlias(n)) count += 1;
  }
  return count;
}

function isNullValue(node: YamlNode | null | undefined): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}

function describe(node: YamlNode | null | undefined): string {
  if (node === null || node === undefined) return 'nothing';
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = (node as Scalar).value;
    if (v === null) return 'nothing';
    if (typeof v === 'string') return `the text "${truncate(v)}"`;
    if (typeof v === 'number') return `the number ${v}`;
    if (typeof v === 'boolean') return `the value ${v}`;
  }
  return 'an unexpected value';
}

function scalarText(node: YamlNode | null | undefined): string {
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'string') return `"${truncate(v)}"`;
    if (v === null) return 'nothing';
    return String(v);
  }
  return describe(node);
}

/** Quoted file content, cut short and with control characters made visible (never sent raw to a terminal). */
function truncate(s: string, max = 60): string {
  const short = s.length > max ? `${s.slice(0, max - 1)}…` : s;
  return printable(short);
}

export function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function isValidDate(value: string): boolean {
  const m = DATE_PATTERN.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

export function isWebUrl(value: string): boolean {
  return /^https?:\/\/[^\s/?#]+/i.test(value);
}
