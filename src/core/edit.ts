// The edit engine: the smallest text edits that add or remove a link (code anchor, ticket, evidence)
// or a problem in a customer-insights file. Pure: it takes the file's text and returns offsets into
// that text; the editor applies them through a WorkspaceEdit, the CLI splices them and writes.
//
// It never re-serialises the document. It finds positions with the `yaml` library, writes the new
// lines in the problem's own style (indentation, indented or flush sequences, flow or block lists,
// line endings) and leaves every other character alone: comments, blank lines, key order and
// quoting survive. Every edit is checked before it is returned: the edited problem is parsed again
// and must read as the old one plus (or minus) exactly the intended item.
//
// Speed: with the file's parsed model at hand (options.parsed), only the problem being edited is
// parsed, found by its line and its indentation; without it the whole file is parsed once, to
// refuse files that do not read as YAML.
import { closest } from 'fastest-levenshtein';
import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Pair, ParsedNode, YAMLMap, YAMLSeq } from 'yaml';
import { EVIDENCE_KINDS, HORIZONS, ID_PATTERN, SEVERITIES, SIGNALS, STATUSES } from './model';
import type { EvidenceKind, Horizon, InsightsFile, Severity, Signal, Span, Status } from './model';
import { isValidDate, isWebUrl } from './parse';
import { itemAtLine, scanSection } from './editScan';
import type { ItemBlock } from './editScan';
import {
  Lines, applyEdits, colOf, detectEol, indentOf, isBlank, isCommentLine, lineEndAfter, lineStartOf, sameData, yamlScalar,
} from './editText';
import type { TextEdit } from './editText';

export type { TextEdit } from './editText';
export { applyEdits } from './editText';

// ---- API types -----------------------------------------------------------------------------------

/** A code anchor to add. `path` is relative to the insights file's directory, with '/' separators. */
export interface AnchorSpec {
  path: string;
  /** A symbol by its dotted container path (then no `lines`). */
  symbol?: string;
  /** A 1-based inclusive line range (then no `symbol`). */
  lines?: { start: number; end: number };
  /** The first line's text (trimmed); only with `lines`. */
  text?: string;
  note?: string;
}

export interface ProblemSpec {
  id: string;
  title: string;
  description?: string;
  status?: Status;
  severity?: Severity;
  horizon?: Horizon;
  personas?: string[];
  customers?: string[];
  tags?: string[];
  owner?: string;
  /** YYYY-MM-DD */
  validated?: string;
}

/** A persona or customer to add: its id and name (people write the rest by hand). */
export interface EntrySpec {
  id: string;
  name: string;
}

export interface EvidenceSpec {
  kind: EvidenceKind;
  signal?: Signal;
  quote?: string;
  summary?: string;
  customer?: string;
  persona?: string;
  /** YYYY-MM-DD */
  date: string;
  url?: string;
  count?: number;
}

export interface EditOptions {
  /**
   * The model parseInsightsFile made of this very text (a BOM may be on one and not the other).
   * With it, a file that did not parse is refused at once and only the edited problem is parsed;
   * without it the whole text is parsed first.
   */
  parsed?: InsightsFile;
}

/** Edits to apply (offsets into the text as passed in, non-overlapping, in ascending order). */
export interface EditApplied {
  ok: true;
  edits: TextEdit[];
  message: string;
  alreadyLinked?: false;
}

/** Nothing to do: the problem already has this anchor, ticket or evidence. */
export interface EditAlreadyLinked {
  ok: true;
  edits: [];
  alreadyLinked: true;
  message: string;
}

/** Refused: the file does not parse, the problem does not exist, the input is invalid... */
export interface EditRefused {
  ok: false;
  reason: string;
  /** Where in the insights file (0-based lines and columns, as the model's spans). */
  span?: Span;
  /** For an unknown problem id: the nearest existing id. */
  nearest?: string;
}

export type EditResult = EditApplied | EditAlreadyLinked | EditRefused;

// ---- API -----------------------------------------------------------------------------------------

/** Adds a code anchor to a problem's `code` list (creating the list when missing). */
export function addAnchor(text: string, problemId: string, anchor: AnchorSpec, options: EditOptions = {}): EditResult {
  const spec = checkAnchor(anchor);
  if (typeof spec === 'string') return refuse(spec);
  return withProblem(text, problemId, options, (view, style) => {
    const what = describeAnchor(spec);
    const list = listOf(view, 'code');
    if (isRefusal(list)) return list;
    for (const item of list) {
      const existing = anchorOf(jsOf(item, view.doc));
      if (existing && sameAnchor(existing, spec)) {
        return already(`${problemId} already has this anchor (${what}); nothing changed.`);
      }
    }
    const item = anchorItem(spec);
    const edits = appendToList(view, style, 'code', item, false);
    if (isRefusal(edits)) return edits;
    return finish(view, edits, (js) => {
      js.code = [...(Array.isArray(js.code) ? js.code : []), item.js];
    }, `Linked ${what} to ${problemId}.`);
  });
}

/** Adds a ticket key (or URL) to a problem's `tickets` list. */
export function addTicket(text: string, problemId: string, key: string, options: EditOptions = {}): EditResult {
  const ticket = key.trim();
  if (ticket === '' || /[\r\n]/.test(ticket)) return refuse('A ticket key must be one line of text, such as ACME-123.');
  return withProblem(text, problemId, options, (view, style) => {
    const list = listOf(view, 'tickets');
    if (isRefusal(list)) return list;
    if (list.some((n) => isScalar(n) && n.value !== null && String(n.value) === ticket)) {
      return already(`${problemId} already lists ticket ${ticket}; nothing changed.`);
    }
    const item: NewItem = { js: ticket, fields: undefined };
    const edits = appendToList(view, style, 'tickets', item, style.flowLists);
    if (isRefusal(edits)) return edits;
    return finish(view, edits, (js) => {
      js.tickets = [...(Array.isArray(js.tickets) ? js.tickets : []), ticket];
    }, `Added ticket ${ticket} to ${problemId}.`);
  });
}

/** Adds an evidence item to a problem's `evidence` list. */
export function addEvidence(text: string, problemId: string, evidence: EvidenceSpec, options: EditOptions = {}): EditResult {
  const fields = evidenceFields(evidence);
  if (typeof fields === 'string') return refuse(fields);
  return withProblem(text, problemId, options, (view, style) => {
    const list = listOf(view, 'evidence');
    if (isRefusal(list)) return list;
    const js = fieldsJs(fields);
    for (const n of list) {
      const e = jsOf(n, view.doc) as Record<string, unknown> | null | undefined;
      if (e && typeof e === 'object' && e.kind === js.kind && String(e.date) === js.date
        && e.quote === js.quote && e.summary === js.summary) {
        return already(`${problemId} already has this evidence (${js.kind}, ${js.date}); nothing changed.`);
      }
    }
    const edits = appendToList(view, style, 'evidence', { js, fields }, false);
    if (isRefusal(edits)) return edits;
    return finish(view, edits, (p) => {
      p.evidence = [...(Array.isArray(p.evidence) ? p.evidence : []), js];
    }, `Added ${js.kind} evidence from ${js.date} to ${problemId}.`);
  });
}

/** Removes the anchor with this index (the model's Anchor.index: its place among the readable anchors). */
export function removeAnchor(text: string, problemId: string, anchorIndex: number, options: EditOptions = {}): EditResult {
  return withProblem(text, problemId, options, (view) => {
    const list = listOf(view, 'code');
    if (isRefusal(list)) return list;
    // The parser skips items it cannot read as anchors; count the way it does.
    let seen = -1;
    const position = list.findIndex((n) => isReadableAnchor(n, view.doc) && ++seen === anchorIndex);
    if (position === -1) return refuse(`${problemId} has no anchor number ${anchorIndex + 1}.`);
    const modelAnchor = options.parsed?.problems.find((p) => p.id === problemId)?.code[anchorIndex];
    if (modelAnchor && view.lines.lineOf(view.base + nodeStart(list[position])) !== modelAnchor.span.line) {
      return refuse(`The anchors of ${problemId} changed since the file was read; nothing was removed.`);
    }
    const written = describeWritten(jsOf(list[position], view.doc));
    const edits = removeFromList(view, 'code', position);
    if (isRefusal(edits)) return edits;
    return finish(view, edits.edits, (js) => {
      if (edits.keyRemoved) delete js.code;
      else (js.code as unknown[]).splice(position, 1);
    }, `Removed the anchor ${written} from ${problemId}.`);
  });
}

/** Removes a ticket key (or URL) from a problem's `tickets` list. */
export function removeTicket(text: string, problemId: string, key: string, options: EditOptions = {}): EditResult {
  const ticket = key.trim();
  return withProblem(text, problemId, options, (view) => {
    const list = listOf(view, 'tickets');
    if (isRefusal(list)) return list;
    const position = list.findIndex((n) => isScalar(n) && n.value !== null && String(n.value) === ticket);
    if (position === -1) return refuse(`${problemId} does not list ticket ${ticket}.`);
    const edits = removeFromList(view, 'tickets', position);
    if (isRefusal(edits)) return edits;
    return finish(view, edits.edits, (js) => {
      if (edits.keyRemoved) delete js.tickets;
      else (js.tickets as unknown[]).splice(position, 1);
    }, `Removed ticket ${ticket} from ${problemId}.`);
  });
}

/** Appends a problem to the `problems` list (creating the key when the file has none). */
export function addProblem(text: string, problem: ProblemSpec, options: EditOptions = {}): EditResult {
  const fields = problemFields(problem);
  if (typeof fields === 'string') return refuse(fields);
  const ctx = openFile(text, options);
  if (isRefusal(ctx)) return ctx;
  if (ctx.idLine.has(problem.id)) {
    const line = ctx.idLine.get(problem.id)!;
    return refuse(`There is already a problem ${problem.id} in this file. suggestProblemId gives a free id.`,
      { line, col: 0, endLine: line, endCol: ctx.lines.get(line).length });
  }
  return appendItem(ctx, 'problems', fields, `Added problem ${problem.id}.`);
}

/** Appends a persona to the top-level `personas` list (creating the list when the file has none). */
export function addPersona(text: string, persona: EntrySpec, options: EditOptions = {}): EditResult {
  return addEntry(text, 'personas', persona, options);
}

/** Appends a customer to the top-level `customers` list (creating the list when the file has none). */
export function addCustomer(text: string, customer: EntrySpec, options: EditOptions = {}): EditResult {
  return addEntry(text, 'customers', customer, options);
}

function addEntry(text: string, section: 'personas' | 'customers', spec: EntrySpec, options: EditOptions): EditResult {
  const noun = section === 'personas' ? 'persona' : 'customer';
  const id = (spec.id ?? '').trim();
  if (!ID_PATTERN.test(id)) return refuse(`The ${noun} id "${spec.id}" must start with a letter and use only letters, digits, ".", "_" and "-".`);
  const name = (spec.name ?? '').trim();
  if (name === '' || /[\r\n]/.test(name)) return refuse(`A ${noun} needs a name, on one line.`);
  const ctx = openFile(text, options);
  if (isRefusal(ctx)) return ctx;
  const taken = options.parsed
    ? options.parsed[section].some((x) => x.id === id)
    : sectionMaps(ctx.full!, section).some((m) => idOf(m) === id);
  if (taken) return refuse(`There is already a ${noun} ${id} in this file.`);
  return appendItem(ctx, section, [{ key: 'id', js: id }, { key: 'name', js: name }], `Added ${noun} ${id}.`);
}

/**
 * A free problem id following the pattern of the existing ones: the most used prefix, one more than
 * its highest number, padded the same way (P-15 after P-14, ADM-008 after ADM-007). P-1 when none.
 */
export function suggestProblemId(existingIds: readonly string[]): string {
  const taken = new Set(existingIds);
  const byPrefix = new Map<string, { count: number; max: number; width: number }>();
  for (const id of existingIds) {
    const m = /^(.*?)(\d+)$/.exec(id);
    if (!m || !/^[A-Za-z]/.test(m[1])) continue;
    const entry = byPrefix.get(m[1]) ?? { count: 0, max: 0, width: 0 };
    entry.count++;
    const n = Number(m[2]);
    if (n >= entry.max) {
      entry.max = n;
      entry.width = m[2].startsWith('0') ? m[2].length : 0;
    }
    byPrefix.set(m[1], entry);
  }
  let best: [string, { count: number; max: number; width: number }] | undefined;
  for (const e of byPrefix) if (!best || e[1].count > best[1].count) best = e;
  const [prefix, { max, width }] = best ?? ['P-', { count: 0, max: 0, width: 0 }];
  for (let n = max + 1; ; n++) {
    const id = `${prefix}${String(n).padStart(width, '0')}`;
    if (!taken.has(id)) return id;
  }
}

// ---- the file and the problem being edited -----------------------------------------------------

const PARSE_OPTIONS = { uniqueKeys: true, strict: true, prettyErrors: false, keepSourceTokens: true } as const;

/** Order of a problem's keys in the format; new keys go where this order puts them. */
const PROBLEM_KEY_ORDER = [
  'id', 'title', 'description', 'status', 'severity', 'horizon', 'personas', 'customers', 'tags', 'impact',
  'validated', 'owner', 'related', 'evidence', 'tickets', 'code',
];

interface FileContext {
  text: string;
  lines: Lines;
  eol: '\n' | '\r\n';
  /** Line of each problem's id (first problem wins for duplicates). */
  idLine: Map<string, number>;
  full?: Document.Parsed;
}

function openFile(text: string, options: EditOptions): FileContext | EditRefused {
  const lines = new Lines(text);
  const ctx: FileContext = { text, lines, eol: detectEol(text), idLine: new Map() };
  const parsed = options.parsed;
  if (parsed) {
    if (!parsed.parsed) {
      const d = parsed.diagnostics.find((x) => x.rule === 'yaml-syntax') ?? parsed.diagnostics[0];
      return refuse(`This file was not changed because it does not read as YAML. ${d ? d.message : ''}`.trim(), d?.span);
    }
    for (const p of parsed.problems) if (!ctx.idLine.has(p.id)) ctx.idLine.set(p.id, p.idSpan.line);
    return ctx;
  }
  const full = parseFull(text);
  if (isRefusal(full)) return full;
  ctx.full = full;
  for (const map of problemMaps(full)) {
    const id = idOf(map);
    const node = pairOf(map, 'id')?.value;
    if (id !== undefined && node?.range && !ctx.idLine.has(id)) ctx.idLine.set(id, lines.lineOf(node.range[0]));
  }
  return ctx;
}

function parseFull(text: string): Document.Parsed | EditRefused {
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, PARSE_OPTIONS);
  } catch (e) {
    return refuse(`This file was not changed because it does not read as YAML. ${(e as Error).message}`);
  }
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const message = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    const lines = new Lines(text);
    return refuse(`This file was not changed because it does not read as YAML. YAML syntax: ${message}`, spanOf(lines, err.pos[0], err.pos[1]));
  }
  return doc;
}

function problemMaps(doc: Document.Parsed): YMap[] {
  return sectionMaps(doc, 'problems');
}

/** The map items of a top-level list (`problems`, `personas`, `customers`). */
function sectionMaps(doc: Document.Parsed, section: string): YMap[] {
  const root = doc.contents;
  if (!isMap(root)) return [];
  const seq = root.items.find((p) => keyName(p) === section)?.value;
  return isSeq(seq) ? (seq.items.filter((n) => isMap(n)) as YMap[]) : [];
}

type YMap = YAMLMap.Parsed;
type YSeq = YAMLSeq.Parsed;
type YPair = Pair<ParsedNode, ParsedNode | null>;

/** The problem being edited: its map node, and the text its ranges index into. */
interface View {
  id: string;
  lines: Lines;
  /** The text the node ranges index into: the problem's own lines, or the whole file. */
  src: string;
  /** Offset of `src` in the file. */
  base: number;
  doc: Document.Parsed;
  map: YMap;
  /** Column of the problem's `-` in the problems list, -1 when unknown. */
  dashCol: number;
  /** Whether `src` is the problem alone (else it is the whole file). */
  block: boolean;
  eol: string;
  /** The whole file's text and the parsed file when there is one. */
  ctx: FileContext;
}

interface Style {
  eol: string;
  /** Column of the problem's keys. */
  keyCol: number;
  /** How far a block list's `-` sits right of its key (0: flush with the key). */
  seqOffset: number;
  /** From a `-` to a map item's first key (2 in `- path: x`). */
  dashGap: number;
  /** From a `-` to a plain item (2 in `- ACME-1`). */
  scalarGap: number;
  /** How far a nested map's keys sit right of its key. */
  mapStep: number;
  /** Whether short lists (personas, tags, tickets...) are written `[a, b]`. */
  flowLists: boolean;
}

function withProblem(text: string, problemId: string, options: EditOptions, op: (view: View, style: Style) => EditResult): EditResult {
  const ctx = openFile(text, options);
  if (isRefusal(ctx)) return ctx;
  const view = problemView(ctx, problemId);
  if (isRefusal(view)) return view;
  if (view.map.flow) {
    return refuse(`${problemId} is written on one line ({ ... }); edit it by hand.`, spanOf(ctx.lines, view.base + view.map.range[0], view.base + view.map.range[1]));
  }
  const result = op(view, styleOf(view));
  if (result.ok && result.edits.length > 0 && view.block) {
    // Shift edits from the problem's own text to the file.
    result.edits = result.edits.map((e) => ({ start: e.start + view.base, end: e.end + view.base, newText: e.newText }));
  }
  return result;
}

function problemView(ctx: FileContext, problemId: string): View | EditRefused {
  const line = ctx.idLine.get(problemId);
  if (line === undefined) {
    const ids = [...ctx.idLine.keys()];
    if (ids.length === 0) return refuse(`There is no problem ${problemId}: this file lists no problems.`);
    const nearest = closest(problemId, ids);
    return { ok: false, reason: `There is no problem ${problemId} in this file. The nearest id is ${nearest}.`, nearest };
  }
  const item = itemAtLine(ctx.lines, line);
  if (item) {
    const view = blockView(ctx, item, problemId);
    if (view) return view;
  }
  // The problem's lines alone did not parse as that problem (an alias to an anchor elsewhere, an
  // unusual layout): use the whole file.
  if (!ctx.full) {
    const full = parseFull(ctx.text);
    if (isRefusal(full)) return full;
    ctx.full = full;
  }
  const map = problemMaps(ctx.full).find((m) => idOf(m) === problemId);
  if (!map) return refuse(`Problem ${problemId} could not be found in the file's YAML.`);
  const dash = dashBefore(ctx.text, map.range[0]);
  return {
    id: problemId, lines: ctx.lines, src: ctx.text, base: 0, doc: ctx.full, map,
    dashCol: dash === -1 ? -1 : colOf(ctx.text, dash), block: false, eol: ctx.eol, ctx,
  };
}

function blockView(ctx: FileContext, item: ItemBlock, problemId: string): View | undefined {
  const src = ctx.text.slice(item.start, item.blockEnd);
  let doc: Document.Parsed;
  try {
    doc = parseDocument(src, PARSE_OPTIONS);
  } catch {
    return undefined;
  }
  if (doc.errors.length > 0 || !isSeq(doc.contents) || doc.contents.items.length !== 1) return undefined;
  const map = doc.contents.items[0];
  if (!isMap(map) || idOf(map) !== problemId) return undefined;
  // Aliases to anchors set elsewhere in the file only resolve in the whole document.
  if (jsOf(map, doc) === undefined) return undefined;
  return { id: problemId, lines: ctx.lines, src, base: item.start, doc, map, dashCol: item.dashCol, block: true, eol: ctx.eol, ctx };
}

// ---- style ---------------------------------------------------------------------------------------

function styleOf(view: View): Style {
  const { src, map } = view;
  const keyCol = colOf(src, map.range[0]);
  let seqOffset: number | undefined;
  let dashGap: number | undefined;
  let mapStep: number | undefined;
  let scalarGap: number | undefined;
  let flowVotes = 0;
  for (const pair of map.items) {
    const key = pair.key;
    const value = pair.value;
    if (!key?.range || !value) continue;
    const kc = colOf(src, key.range[0]);
    const shortList = SHORT_LISTS.includes(keyName(pair) ?? '');
    if (isSeq(value) && value.flow) {
      if (shortList) flowVotes++;
    } else if (isSeq(value) && value.items.length > 0) {
      if (shortList) flowVotes--;
      const dash = dashOffset(src, value, 0);
      if (dash !== -1 && seqOffset === undefined) seqOffset = Math.max(0, colOf(src, dash) - kc);
      const first = value.items[0];
      if (dash !== -1 && dashGap === undefined && isMap(first) && !first.flow && lineStartOf(src, first.range[0]) === lineStartOf(src, dash)) {
        dashGap = first.range[0] - dash;
      }
      if (dash !== -1 && scalarGap === undefined && isScalar(first) && lineStartOf(src, first.range[0]) === lineStartOf(src, dash)) {
        scalarGap = first.range[0] - dash;
      }
    } else if (isMap(value) && !value.flow && value.items.length > 0 && mapStep === undefined) {
      const childKey = value.items[0].key;
      if (childKey?.range) mapStep = colOf(src, childKey.range[0]) - kc;
    }
  }
  // Fall back on the problems list itself: `problems:` is at column 0, so its items' dash column is
  // the file's offset for lists under a key.
  const ownGap = view.dashCol >= 0 ? keyCol - view.dashCol : 2;
  seqOffset ??= view.dashCol >= 0 ? view.dashCol : 2;
  dashGap ??= ownGap > 0 ? ownGap : 2;
  mapStep ??= seqOffset > 0 ? seqOffset : 2;
  return { eol: view.eol, keyCol, seqOffset, dashGap, scalarGap: scalarGap ?? 2, mapStep, flowLists: flowVotes >= 0 };
}

/** Lists of ids or keys, which files write either `[a, b]` or one item a line. */
const SHORT_LISTS = ['personas', 'customers', 'tags', 'related', 'tickets'];

// ---- reading the problem -------------------------------------------------------------------------

function keyName(pair: YPair | Pair<unknown, unknown>): string | undefined {
  const key = pair.key;
  return isScalar(key) && key.value !== null && typeof key.value !== 'object' ? String(key.value) : undefined;
}

function pairOf(map: YMap, key: string): YPair | undefined {
  return map.items.find((p) => keyName(p) === key);
}

function idOf(map: YMap): string | undefined {
  const v = pairOf(map, 'id')?.value;
  return isScalar(v) && (typeof v.value === 'string' || typeof v.value === 'number') ? String(v.value) : undefined;
}

/** The items of a list-valued key; none when the key is missing or empty; refused for another type. */
function listOf(view: View, key: string): ParsedNode[] | EditRefused {
  const pair = pairOf(view.map, key);
  const value = pair?.value;
  if (!pair || !value || (isScalar(value) && value.value === null)) return [];
  if (isSeq(value)) return value.items;
  if (isAlias(value)) return refuse(`"${key}" of ${view.id} is an alias (*${value.source}); edit it by hand.`);
  return refuse(`"${key}" of ${view.id} is not a list, so nothing was added to it. Write it as a list (items starting with "- ").`,
    spanOf(view.lines, view.base + value.range[0], view.base + value.range[1]));
}

function nodeStart(node: ParsedNode | YPair): number {
  if (isPair(node)) return nodeStart(node.key as ParsedNode);
  return node.range[0];
}

/** End of a node's own content, without the comments and blank lines the parser attaches to it. */
function contentEnd(node: ParsedNode | YPair | null | undefined): number {
  if (!node) return 0;
  if (isPair(node)) return node.value && node.value.range ? contentEnd(node.value) : contentEnd(node.key as ParsedNode);
  if ((isMap(node) || isSeq(node)) && !node.flow && node.items.length > 0) {
    return contentEnd(node.items[node.items.length - 1] as ParsedNode | YPair);
  }
  return node.range[1];
}

/** Offset of the `-` of a block list's item (-1 when it cannot be told). */
function dashOffset(src: string, seq: YSeq, index: number): number {
  const token = seq.srcToken;
  if (token?.type === 'block-seq') {
    const ind = token.items[index]?.start.find((t) => t.type === 'seq-item-ind');
    if (ind) return ind.offset;
  }
  const item = seq.items[index];
  return item ? dashBefore(src, nodeStart(item)) : -1;
}

/** The `-` before a block list item's first character, skipping spaces and line breaks. */
function dashBefore(src: string, offset: number): number {
  let i = offset - 1;
  while (i >= 0 && (src[i] === ' ' || src[i] === '\n' || src[i] === '\r')) i--;
  return i >= 0 && src[i] === '-' ? i : -1;
}

// ---- writing items -------------------------------------------------------------------------------

/** A field of a new map item: its value as data and, when it must not go through quoting, as written. */
interface Field {
  key: string;
  js: unknown;
  raw?: string;
  /** Text for a block scalar (`|`), written over several lines. */
  literal?: string;
}

interface NewItem {
  js: unknown;
  /** Map items: their fields in order; scalar items: undefined. */
  fields: Field[] | undefined;
}

function fieldText(f: Field, flow: boolean): string {
  if (f.raw !== undefined) return f.raw;
  if (Array.isArray(f.js)) return `[${f.js.map((v) => yamlScalar(String(v), true)).join(', ')}]`;
  if (typeof f.js === 'number') return String(f.js);
  return yamlScalar(String(f.js), flow);
}

/** An item inside `[...]`; a map item is written `{k: v, ...}`, padded as the list is (`[ a ]`, `{ k: v }`). */
function flowItem(item: NewItem, padded: boolean): string {
  if (!item.fields) return yamlScalar(String(item.js), true);
  const pad = padded ? ' ' : '';
  return `{${pad}${item.fields.map((f) => `${f.key}: ${fieldText(f, true)}`).join(', ')}${pad}}`;
}

/** Lines of a block list item whose `-` is at `dashCol` and whose content starts `gap` columns later. */
function blockItem(item: NewItem, dashCol: number, gap: number, mapStep: number, eol: string): string {
  const head = `${' '.repeat(dashCol)}-${' '.repeat(Math.max(1, gap - 1))}`;
  if (!item.fields) return `${head}${yamlScalar(String(item.js))}${eol}`;
  const pad = ' '.repeat(head.length);
  return item.fields.map((f, i) => `${i === 0 ? head : pad}${fieldLines(f, head.length, mapStep, eol)}`).join('');
}

function fieldLines(f: Field, keyCol: number, step: number, eol: string): string {
  if (f.literal === undefined) return `${f.key}: ${fieldText(f, false)}${eol}`;
  const body = f.literal.replace(/\n+$/, '');
  const trailing = f.literal.length - body.length;
  const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
  const pad = ' '.repeat(keyCol + step);
  const lines = f.literal.slice(0, body.length + (trailing > 1 ? trailing - 1 : 0)).split('\n');
  return `${f.key}: |${chomp}${eol}${lines.map((l) => (l === '' ? '' : pad + l) + eol).join('')}`;
}

function fieldsJs(fields: Field[]): Record<string, unknown> {
  const js: Record<string, unknown> = {};
  for (const f of fields) js[f.key] = f.js;
  return js;
}

/** Edits that append an item to a list-valued key of the problem, creating the key when missing. */
function appendToList(view: View, style: Style, key: string, item: NewItem, flowWhenCreating: boolean): TextEdit[] | EditRefused {
  const { src, eol } = view;
  const pair = pairOf(view.map, key);
  if (!pair) {
    const { pos, needsEol } = keyInsertPosition(view, key);
    const indent = ' '.repeat(style.keyCol);
    const body = flowWhenCreating
      ? `${indent}${key}: [${flowItem(item, false)}]${eol}`
      : `${indent}${key}:${eol}${blockItem(item, style.keyCol + style.seqOffset, newGap(style, item), style.mapStep, eol)}`;
    return [{ start: pos, end: pos, newText: (needsEol ? eol : '') + body }];
  }
  const keyCol = colOf(src, pair.key!.range[0]);
  const value = pair.value;
  if (!value || (isScalar(value) && value.value === null)) {
    // `key:` with nothing (or `~`): the list goes on the following lines.
    const edits: TextEdit[] = [];
    let after = pair.key!.range[1];
    if (value && value.range[1] > value.range[0]) {
      let start = value.range[0];
      while (start > 0 && (src[start - 1] === ' ' || src[start - 1] === '\t')) start--;
      edits.push({ start, end: value.range[1], newText: '' });
      after = value.range[1];
    }
    const { pos, needsEol } = lineEndAfter(src, after);
    edits.push({ start: pos, end: pos, newText: (needsEol ? eol : '') + blockItem(item, keyCol + style.seqOffset, newGap(style, item), style.mapStep, eol) });
    return edits;
  }
  if (!isSeq(value)) return listOf(view, key) as EditRefused;
  if (value.flow) {
    const padded = /^\[[ \t]/.test(src.slice(value.range[0], value.range[1]));
    if (value.items.length === 0) {
      const pad = padded ? ' ' : '';
      return [{ start: value.range[0], end: value.range[1], newText: `[${pad}${flowItem(item, padded)}${pad}]` }];
    }
    const last = value.items[value.items.length - 1];
    const end = contentEnd(last as ParsedNode | YPair);
    return [{ start: end, end, newText: `, ${flowItem(item, padded)}` }];
  }
  const lastIndex = value.items.length - 1;
  const last = value.items[lastIndex];
  const dash = dashOffset(src, value, lastIndex);
  const dashCol = dash === -1 ? keyCol + style.seqOffset : colOf(src, dash);
  let gap = newGap(style, item);
  const start = nodeStart(last);
  if (dash !== -1 && lineStartOf(src, start) === lineStartOf(src, dash)) gap = start - dash;
  const { pos, needsEol } = lineEndAfter(src, contentEnd(last as ParsedNode | YPair));
  return [{ start: pos, end: pos, newText: (needsEol ? eol : '') + blockItem(item, dashCol, gap, style.mapStep, eol) }];
}

function newGap(style: Style, item: NewItem): number {
  return item.fields ? style.dashGap : style.scalarGap;
}

/** Where a missing key goes: after the last key that comes before it in the format's order. */
function keyInsertPosition(view: View, key: string): { pos: number; needsEol: boolean } {
  const rank = (name: string | undefined) => (name === undefined ? -1 : PROBLEM_KEY_ORDER.indexOf(name));
  const want = rank(key);
  const pairs = view.map.items;
  const firstLater = pairs.findIndex((p) => rank(keyName(p)) > want);
  const after = firstLater > 0 ? pairs[firstLater - 1] : pairs[pairs.length - 1];
  return lineEndAfter(view.src, contentEnd(after));
}

/** Edits that remove one item of a list-valued key (the whole key when it was the only block item). */
function removeFromList(view: View, key: string, index: number): { edits: TextEdit[]; keyRemoved: boolean } | EditRefused {
  const { src } = view;
  const pair = pairOf(view.map, key)!;
  const seq = pair.value as YSeq;
  const items = seq.items as (ParsedNode | YPair)[];
  const item = items[index];
  if (seq.flow) {
    if (items.length === 1) return { edits: [{ start: nodeStart(item), end: contentEnd(item), newText: '' }], keyRemoved: false };
    if (index < items.length - 1) return { edits: [{ start: nodeStart(item), end: nodeStart(items[index + 1]), newText: '' }], keyRemoved: false };
    return { edits: [{ start: contentEnd(items[index - 1]), end: contentEnd(item), newText: '' }], keyRemoved: false };
  }
  const dash = dashOffset(src, seq, index);
  if (dash === -1 || src.slice(lineStartOf(src, dash), dash).trim() !== '') {
    return refuse(`The ${key} list of ${view.id} is laid out in a way this edit does not handle; edit it by hand.`);
  }
  const end = lineEndAfter(src, contentEnd(item)).pos;
  if (items.length > 1) return { edits: [{ start: lineStartOf(src, dash), end, newText: '' }], keyRemoved: false };
  const keyStart = pair.key!.range[0];
  const keyLine = lineStartOf(src, keyStart);
  if (src.slice(keyLine, keyStart).trim() === '') return { edits: [{ start: keyLine, end, newText: '' }], keyRemoved: true };
  // The key shares its line with the problem's `-`: keep it, as an empty list.
  const colon = src.indexOf(':', pair.key!.range[1]);
  return {
    edits: [{ start: colon + 1, end: colon + 1, newText: ' []' }, { start: lineStartOf(src, dash), end, newText: '' }],
    keyRemoved: false,
  };
}

/**
 * Checks the edits by parsing the edited problem again: it must read as the old problem changed by
 * `change`, with no YAML error. Returns the edits, or a refusal when they would do anything else.
 */
function finish(view: View, edits: TextEdit[], change: (js: Record<string, unknown>) => void, message: string): EditResult {
  let expected: Record<string, unknown>;
  try {
    expected = problemJs(view.doc, view.map);
  } catch (e) {
    return refuse(`${view.id} could not be read: ${(e as Error).message}`);
  }
  change(expected);
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  const after = applyEdits(view.src, sorted);
  let doc: Document.Parsed;
  try {
    doc = parseDocument(after, PARSE_OPTIONS);
  } catch {
    return unsafe(view.id);
  }
  if (doc.errors.length > 0) return unsafe(view.id);
  let node: ParsedNode | undefined;
  if (view.block) {
    node = isSeq(doc.contents) && doc.contents.items.length === 1 ? doc.contents.items[0] : undefined;
  } else {
    node = problemMaps(doc).find((m) => idOf(m) === view.id);
  }
  let actual: unknown;
  try {
    actual = isMap(node) ? problemJs(doc, node) : undefined;
  } catch {
    return unsafe(view.id);
  }
  if (!sameData(actual, expected)) return unsafe(view.id);
  return { ok: true, edits: sorted, message };
}

/**
 * A problem as plain data. A problem that uses an alias to an anchor set elsewhere in the file can
 * only be read as part of the whole document.
 */
function problemJs(doc: Document.Parsed, map: YMap): Record<string, unknown> {
  try {
    return map.toJS(doc) as Record<string, unknown>;
  } catch (e) {
    const root = doc.contents;
    const seq = isMap(root) ? root.items.find((p) => keyName(p) === 'problems')?.value : undefined;
    const index = isSeq(seq) ? seq.items.indexOf(map) : -1;
    if (index === -1) throw e;
    return (doc.toJS() as { problems: Record<string, unknown>[] }).problems[index];
  }
}

/** A node as plain data, or undefined when it cannot be read on its own (an alias to elsewhere). */
function jsOf(node: ParsedNode, doc: Document.Parsed): unknown {
  try {
    return node.toJS(doc);
  } catch {
    return undefined;
  }
}

function unsafe(id: string): EditRefused {
  return refuse(`The change to ${id} could not be made without disturbing the rest of the problem (its layout is unusual); edit it by hand.`);
}

// ---- anchors ---------------------------------------------------------------------------------------

interface AnchorKey {
  path: string;
  symbol?: string;
  lines?: { start: number; end: number };
}

function checkAnchor(a: AnchorSpec): AnchorSpec | string {
  const path = (a.path ?? '').trim().replace(/^(\.\/)+/, '');
  if (path === '' || /[\r\n]/.test(path)) return 'An anchor needs a path: the file it points at, relative to the insights file\'s folder.';
  if (path.includes('\\')) return `Write the anchor path with "/" separators (found "${a.path}").`;
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return `The anchor path must be relative to the insights file's folder (found "${a.path}").`;
  const out: AnchorSpec = { path };
  if (a.symbol !== undefined) {
    const symbol = a.symbol.trim();
    if (symbol === '' || /[\r\n]/.test(symbol)) return 'A symbol must be one line of text, such as CsvWriter.flush.';
    out.symbol = symbol;
  }
  if (a.lines !== undefined) {
    const { start, end } = a.lines;
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 1 || end < start) {
      return `Lines ${start}-${end} are not a valid range: lines count from 1 and the range must not run backwards.`;
    }
    if (out.symbol !== undefined) return 'An anchor points at either a symbol or lines, not both.';
    out.lines = { start, end };
  }
  if (a.text !== undefined) {
    if (!out.lines) return '"text" belongs with "lines": it is the first line\'s text.';
    const text = a.text.split(/\r?\n/)[0].trim();
    if (text !== '') out.text = text;
  }
  if (a.note !== undefined && a.note.trim() !== '') out.note = a.note.trim();
  return out;
}

function anchorItem(a: AnchorSpec): NewItem {
  if (a.symbol === undefined && a.lines === undefined && a.note === undefined) return { js: a.path, fields: undefined };
  const fields: Field[] = [{ key: 'path', js: a.path }];
  if (a.symbol !== undefined) fields.push({ key: 'symbol', js: a.symbol });
  if (a.lines) {
    const { start, end } = a.lines;
    fields.push(start === end ? { key: 'lines', js: start } : { key: 'lines', js: `${start}-${end}`, raw: `${start}-${end}` });
  }
  if (a.text !== undefined) fields.push({ key: 'text', js: a.text });
  if (a.note !== undefined) fields.push({ key: 'note', js: a.note });
  return { js: fieldsJs(fields), fields };
}

function normalisePath(p: string): string {
  const parts: string[] = [];
  for (const part of p.trim().split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

function anchorOf(js: unknown): AnchorKey | undefined {
  if (typeof js === 'string') return { path: normalisePath(js) };
  if (!js || typeof js !== 'object' || Array.isArray(js)) return undefined;
  const o = js as Record<string, unknown>;
  if (o.path === undefined || o.path === null || typeof o.path === 'object') return undefined;
  const key: AnchorKey = { path: normalisePath(String(o.path)) };
  if (o.symbol !== undefined && o.symbol !== null) key.symbol = String(o.symbol).trim();
  const m = o.lines === undefined || o.lines === null ? null : /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(String(o.lines));
  if (m) key.lines = { start: Number(m[1]), end: Number(m[2] ?? m[1]) };
  return key;
}

function sameAnchor(existing: AnchorKey, a: AnchorSpec): boolean {
  if (existing.path !== normalisePath(a.path)) return false;
  if (a.symbol !== undefined) return existing.symbol === a.symbol;
  if (existing.symbol !== undefined) return false;
  if (a.lines) return !!existing.lines && existing.lines.start === a.lines.start && existing.lines.end === a.lines.end;
  return existing.lines === undefined;
}

/** Whether the parser reads this `code` item as an anchor (it skips the others when numbering). */
function isReadableAnchor(item: ParsedNode, doc: Document.Parsed): boolean {
  let node: unknown = item;
  if (isAlias(item)) {
    try {
      node = item.resolve(doc);
    } catch {
      return false;
    }
  }
  if (isScalar(node)) return typeof node.value === 'string';
  if (!isMap(node)) return false;
  const path = pairOf(node as YMap, 'path')?.value;
  return isScalar(path) && path.value !== null && ['string', 'number', 'boolean'].includes(typeof path.value);
}

function describeAnchor(a: AnchorSpec): string {
  if (a.symbol !== undefined) return `${a.path} ${a.symbol}`;
  if (a.lines) return `${a.path}:${a.lines.start === a.lines.end ? a.lines.start : `${a.lines.start}-${a.lines.end}`}`;
  return a.path;
}

function describeWritten(js: unknown): string {
  const a = anchorOf(js);
  if (!a) return '';
  return describeAnchor({ path: a.path, symbol: a.symbol, lines: a.lines });
}

// ---- evidence and problems -------------------------------------------------------------------------

function evidenceFields(e: EvidenceSpec): Field[] | string {
  if (!(EVIDENCE_KINDS as readonly string[]).includes(e.kind)) return `"kind" must be one of ${EVIDENCE_KINDS.join(', ')} (found "${e.kind}").`;
  if (e.signal !== undefined && !(SIGNALS as readonly string[]).includes(e.signal)) return `"signal" must be said or observed (found "${e.signal}").`;
  const quote = e.quote?.trim() || undefined;
  const summary = e.summary?.trim() || undefined;
  if (quote === undefined && summary === undefined) return 'Evidence needs a quote or a summary: what the customer said, or what was seen.';
  if (!isValidDate(e.date ?? '')) return `"date" must be a date written YYYY-MM-DD (found "${e.date}").`;
  if (e.url !== undefined && !isWebUrl(e.url.trim())) return `An evidence url must start with https:// or http:// (found "${e.url}").`;
  if (e.count !== undefined && !(Number.isInteger(e.count) && e.count >= 0)) return `"count" must be a whole number of zero or more (found ${e.count}).`;
  for (const [k, v] of [['customer', e.customer], ['persona', e.persona]] as const) {
    if (v !== undefined && /[\r\n]/.test(v)) return `"${k}" must be one line.`;
  }
  const fields: Field[] = [{ key: 'kind', js: e.kind }];
  if (e.signal !== undefined) fields.push({ key: 'signal', js: e.signal });
  if (quote !== undefined) fields.push({ key: 'quote', js: quote });
  if (summary !== undefined) fields.push({ key: 'summary', js: summary });
  if (e.customer?.trim()) fields.push({ key: 'customer', js: e.customer.trim() });
  if (e.persona?.trim()) fields.push({ key: 'persona', js: e.persona.trim() });
  fields.push({ key: 'date', js: e.date, raw: e.date });
  if (e.url !== undefined) fields.push({ key: 'url', js: e.url.trim() });
  if (e.count !== undefined) fields.push({ key: 'count', js: e.count });
  return fields;
}


function problemFields(p: ProblemSpec): Field[] | string {
  if (!ID_PATTERN.test(p.id ?? '')) return `The problem id "${p.id}" must start with a letter and use only letters, digits, ".", "_" and "-".`;
  const title = (p.title ?? '').trim();
  if (title === '' || /[\r\n]/.test(title)) return 'A problem needs a title, on one line.';
  if (p.status !== undefined && !(STATUSES as readonly string[]).includes(p.status)) return `"status" must be one of ${STATUSES.join(', ')}.`;
  if (p.severity !== undefined && !(SEVERITIES as readonly string[]).includes(p.severity)) return `"severity" must be one of ${SEVERITIES.join(', ')}.`;
  if (p.horizon !== undefined && !(HORIZONS as readonly string[]).includes(p.horizon)) return `"horizon" must be one of ${HORIZONS.join(', ')}.`;
  if (p.validated !== undefined && !isValidDate(p.validated)) return `"validated" must be a date written YYYY-MM-DD (found "${p.validated}").`;
  const fields: Field[] = [{ key: 'id', js: p.id }, { key: 'title', js: title }];
  const description = p.description?.replace(/\r\n?/g, '\n');
  if (description !== undefined && description.trim() !== '') {
    const multiline = description.replace(/\n+$/, '').includes('\n');
    const literalSafe = multiline && !/^[ \t]/.test(description) && !/[\u0000-\u0009\u000b-\u001f]/.test(description);
    fields.push(literalSafe ? { key: 'description', js: description, literal: description } : { key: 'description', js: description.trim() });
  }
  if (p.status !== undefined) fields.push({ key: 'status', js: p.status });
  if (p.severity !== undefined) fields.push({ key: 'severity', js: p.severity });
  if (p.horizon !== undefined) fields.push({ key: 'horizon', js: p.horizon });
  for (const key of ['personas', 'customers', 'tags'] as const) {
    const list = (p[key] ?? []).map((s) => s.trim()).filter((s) => s !== '');
    if (list.some((s) => /[\r\n]/.test(s))) return `"${key}" items must be one line each.`;
    if (list.length > 0) fields.push({ key, js: list });
  }
  if (p.owner !== undefined && p.owner.trim() !== '') fields.push({ key: 'owner', js: p.owner.trim() });
  if (p.validated !== undefined) fields.push({ key: 'validated', js: p.validated, raw: p.validated });
  return fields;
}

/** Top-level keys in the format's order: a new list goes before the first later key the file has. */
const TOP_KEY_ORDER = ['version', 'product', 'trackers', 'personas', 'customers', 'problems'];

/**
 * Appends an item (a problem, persona or customer) to a top-level list, in the style of the list's
 * last item; creates the list when the file has none.
 */
function appendItem(ctx: FileContext, key: 'problems' | 'personas' | 'customers', fields: Field[], message: string): EditResult {
  const { text, lines, eol } = ctx;
  const js = fieldsJs(fields);
  const id = String(js.id);
  const noun = key === 'problems' ? 'problem' : key === 'personas' ? 'persona' : 'customer';
  const section = scanSection(lines, key);
  if (section?.form === 'other') {
    return refuse(`"${key}" is not written as a list of items starting with "- ", so the ${noun} was not added; add it by hand.`,
      { line: section.keyLine, col: 0, endLine: section.keyLine, endCol: lines.get(section.keyLine).length });
  }
  const items = section?.items ?? [];
  if (section && items.length > 0) {
    const last = items[items.length - 1];
    const lastSrc = text.slice(last.start, last.blockEnd);
    const lastDoc = parseDocument(lastSrc, PARSE_OPTIONS);
    const lastMap = isSeq(lastDoc.contents) && lastDoc.contents.items.length === 1 ? lastDoc.contents.items[0] : undefined;
    const readable = lastDoc.errors.length === 0 && isMap(lastMap) && !lastMap.flow;
    let keyCol = last.dashCol + 2;
    let mapStep = 2;
    // After the last problem's own content (a `|+` description keeps the blank lines after it).
    let at = lineEndAfter(lastSrc, last.end - last.start);
    if (readable) {
      const style = styleOf({
        id: '', lines, src: lastSrc, base: last.start, doc: lastDoc, map: lastMap, dashCol: last.dashCol, block: true, eol, ctx,
      });
      keyCol = style.keyCol;
      mapStep = style.mapStep;
      at = lineEndAfter(lastSrc, contentEnd(lastMap));
    }
    // Problems separated by blank lines get one more, also when comments head the last problem.
    let above = last.dashLine - 1;
    while (above > section.keyLine && isCommentLine(lines.get(above))) above--;
    const blankBefore = above > section.keyLine && isBlank(lines.get(above));
    const newText = (at.needsEol ? eol : '') + (blankBefore ? eol : '') + blockItem({ js, fields }, last.dashCol, keyCol - last.dashCol, mapStep, eol);
    const edits = [{ start: last.start + at.pos, end: last.start + at.pos, newText }];
    if (readable) {
      // Check locally: the last problem's lines plus the new ones read as the old item and the new one.
      const after = parseDocument(applyEdits(lastSrc, [{ start: at.pos, end: at.pos, newText }]), PARSE_OPTIONS);
      const list = isSeq(after.contents) ? after.contents.items : [];
      const ok = after.errors.length === 0 && list.length === 2 && sameData(jsOf(list[0], after), jsOf(lastMap, lastDoc))
        && sameData(jsOf(list[1], after), js);
      return ok ? { ok: true, edits, message } : unsafe(id);
    }
    return checkWhole(text, edits, id, js, message, key);
  }
  const dashCol = topLevelListIndent(lines);
  const item = blockItem({ js, fields }, dashCol, 2, dashCol > 0 ? dashCol : 2, eol);
  let edits: TextEdit[];
  if (section) {
    // `problems:` with nothing, `~` or `[]`: the list starts on the next line.
    edits = [];
    if (section.form !== 'block') {
      let start = section.valueStart;
      while (start > section.colonEnd && /[ \t]/.test(text[start - 1])) start--;
      edits.push({ start, end: section.valueEnd, newText: '' });
    }
    const { pos, needsEol } = lineEndAfter(text, section.valueEnd);
    edits.push({ start: pos, end: pos, newText: (needsEol ? eol : '') + item });
  } else {
    if (!looksLikeBlockMap(lines)) return refuse(`This file's top level is not a list of keys written one per line, so the ${noun} was not added; add it by hand.`);
    const later = TOP_KEY_ORDER.slice(TOP_KEY_ORDER.indexOf(key) + 1)
      .map((k) => scanSection(lines, k)?.keyLine)
      .filter((l): l is number => l !== undefined);
    if (later.length > 0) {
      // Before the first later section, above the comments that head it.
      let at = Math.min(...later);
      while (at > 0 && isCommentLine(lines.get(at - 1))) at--;
      const blankBefore = at > 0 && !isBlank(lines.get(at - 1)) ? eol : '';
      const start = lines.start(at) + (at === 0 && text.charCodeAt(0) === 0xfeff ? 1 : 0);
      edits = [{ start, end: start, newText: `${blankBefore}${key}:${eol}${item}${eol}` }];
      return checkWhole(text, edits, id, js, message, key, { before: ctx.full });
    }
    const needsEol = text.length > 0 && !text.endsWith('\n');
    const blank = text.trim() !== '' && text.replace(/^\uFEFF/, '').trim() !== '---' ? eol : '';
    edits = [{ start: text.length, end: text.length, newText: `${needsEol ? eol : ''}${blank}${key}:${eol}${item}` }];
  }
  return checkWhole(text, edits, id, js, message, key);
}

/**
 * Checks an edit by parsing the whole edited file: the item must be there, as intended. With the
 * file as it was (`before`, parsed here when not given) and a list created in the middle of the
 * file, the whole file must read as before plus exactly that list.
 */
function checkWhole(text: string, edits: TextEdit[], id: string, js: Record<string, unknown>, message: string,
  key = 'problems', whole?: { before?: Document.Parsed }): EditResult {
  const doc = parseDocument(applyEdits(text, edits), PARSE_OPTIONS);
  if (doc.errors.length > 0) return unsafe(id);
  const map = sectionMaps(doc, key).find((m) => idOf(m) === id);
  if (!map || !sameData(jsOf(map, doc), js)) return unsafe(id);
  if (whole) {
    const old = whole.before ?? parseFull(text);
    if (isRefusal(old)) return old;
    try {
      const expected = (old.toJS() ?? {}) as Record<string, unknown>;
      expected[key] = [...(Array.isArray(expected[key]) ? expected[key] as unknown[] : []), js];
      if (!sameData(doc.toJS(), expected)) return unsafe(id);
    } catch {
      return unsafe(id);
    }
  }
  return { ok: true, edits: [...edits].sort((a, b) => a.start - b.start), message };
}

/** The `-` column of the file's top-level lists (personas, customers...): 2 unless they sit flush. */
function topLevelListIndent(lines: Lines): number {
  for (let l = 0; l + 1 < lines.count; l++) {
    if (!/^[A-Za-z"'][^:#]*:\s*(#.*)?$/.test(lines.get(l))) continue;
    for (let n = l + 1; n < lines.count; n++) {
      const s = lines.get(n);
      if (isBlank(s) || isCommentLine(s)) continue;
      const m = /^( *)- /.exec(s);
      if (m) return m[1].length;
      break;
    }
  }
  return 2;
}

/** Whether the first content line of the file starts a block map at column 0. */
function looksLikeBlockMap(lines: Lines): boolean {
  for (let l = 0; l < lines.count; l++) {
    const s = lines.get(l);
    if (isBlank(s) || isCommentLine(s) || s.startsWith('%') || /^---\s*(#.*)?$/.test(s)) continue;
    return indentOf(s) === 0 && !/^[[{\-]/.test(s);
  }
  return true;
}

// ---- small helpers -----------------------------------------------------------------------------------

function refuse(reason: string, span?: Span): EditRefused {
  return span ? { ok: false, reason, span } : { ok: false, reason };
}

function already(message: string): EditAlreadyLinked {
  return { ok: true, edits: [], alreadyLinked: true, message };
}

function isRefusal<T>(x: T | EditRefused): x is EditRefused {
  return typeof x === 'object' && x !== null && (x as { ok?: unknown }).ok === false;
}

function spanOf(lines: Lines, start: number, end: number): Span {
  const a = lines.lineOf(start);
  const b = lines.lineOf(Math.max(start, end));
  return { line: a, col: start - lines.start(a), endLine: b, endCol: Math.max(start, end) - lines.start(b) };
}
