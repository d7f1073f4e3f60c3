// The outline of an insights file (product, trackers, personas, customers, problems with their
// evidence and code) with the full extent of each item, for the editor's Outline view and
// breadcrumbs; and the persona or customer id written at a position, for Go to Definition. Pure: it
// reads the model parsed from the text and the text's lines (extents come from indentation, as the
// edit engine finds items).
import type { Anchor, InsightsFile, Located, Span } from './model';
import { extendItem } from './editScan';
import { Lines } from './editText';

export type OutlineKind = 'section' | 'product' | 'tracker' | 'persona' | 'customer' | 'problem' | 'list' | 'evidence' | 'anchor';

export interface OutlineNode {
  name: string;
  detail?: string;
  kind: OutlineKind;
  /** The whole item (0-based lines; `endCol` is the end of the last line). */
  range: Span;
  /** What to reveal and select: the id, the key or the first line. */
  selection: Span;
  children: OutlineNode[];
}

const TOP_KEY = /^(["']?)(version|product|trackers|personas|customers|problems)\1[ \t]*:(?=[ \t]|$)/;

/** The outline of one insights file, in the file's order. */
export function outline(text: string, file: InsightsFile): OutlineNode[] {
  const lines = new Lines(text);
  const sections = topSections(lines);
  const nodes: OutlineNode[] = [];
  for (const section of sections) {
    const node: OutlineNode = {
      name: section.key, kind: 'section', range: section.range, selection: section.keySpan, children: [],
    };
    switch (section.key) {
      case 'product':
        node.kind = 'product';
        node.detail = file.product?.name;
        break;
      case 'trackers':
        for (const t of file.trackers) {
          node.children.push(leaf(lines, t.prefix ?? t.pattern ?? 'tracker', 'tracker', t.span, t.keySpan, t.url));
        }
        break;
      case 'personas':
        for (const p of file.personas) node.children.push(leaf(lines, p.id, 'persona', p.span, p.idSpan, p.name));
        break;
      case 'customers':
        for (const c of file.customers) node.children.push(leaf(lines, c.id, 'customer', c.span, c.idSpan, c.name));
        break;
      case 'problems':
        for (const p of file.problems) {
          const problem = leaf(lines, `${p.id} ${p.title}`, 'problem', p.span, p.idSpan, `${p.status} \u00b7 ${p.severity}`);
          const evidence = p.evidence.map((e) => leaf(lines, [e.kind, e.date].filter(Boolean).join(' '), 'evidence', e.span, firstLine(e.span),
            e.quote ?? e.summary));
          const code = p.code.map((a) => leaf(lines, anchorName(a), 'anchor', a.span, a.pathSpan, a.note));
          for (const [key, items] of [['evidence', evidence], ['code', code]] as const) {
            if (items.length === 0) continue;
            problem.children.push(group(lines, key, items, problem.range));
          }
          node.children.push(problem);
        }
        break;
      default:
        continue; // version: nothing to outline
    }
    nodes.push(fitChildren(node));
  }
  return nodes;
}

/** The persona or customer id written at a position (in a problem's lists or an evidence item). */
export function idReferenceAt(file: InsightsFile, line: number, col: number): { kind: 'persona' | 'customer'; id: string; span: Span } | undefined {
  const at = (s: Span) => (line > s.line || (line === s.line && col >= s.col)) && (line < s.endLine || (line === s.endLine && col <= s.endCol));
  const hit = (refs: readonly (Located | undefined)[], kind: 'persona' | 'customer') => {
    const ref = refs.find((r) => r && at(r.span));
    return ref ? { kind, id: ref.value, span: ref.span } : undefined;
  };
  for (const p of file.problems) {
    if (line < p.span.line) continue;
    const found = hit(p.personas, 'persona') ?? hit(p.customers, 'customer')
      ?? hit(p.evidence.map((e) => e.persona), 'persona') ?? hit(p.evidence.map((e) => e.customer), 'customer');
    if (found) return found;
  }
  return undefined;
}


function anchorName(a: Anchor): string {
  if (a.symbol !== undefined) return `${a.written} ${a.symbol}`;
  if (a.lines) return `${a.written}:${a.lines.start === a.lines.end ? a.lines.start : `${a.lines.start}-${a.lines.end}`}`;
  return a.written;
}

interface Section {
  key: string;
  keySpan: Span;
  range: Span;
}

/** The top-level keys (column 0) with the lines each one's value runs over. */
function topSections(lines: Lines): Section[] {
  const found: { key: string; line: number; col: number; end: number }[] = [];
  for (let l = 0; l < lines.count; l++) {
    const m = TOP_KEY.exec(lines.get(l));
    if (m) found.push({ key: m[2], line: l, col: m[1].length, end: m[1].length + m[2].length });
  }
  return found.map((f, i) => {
    // To the last line with content before the next top-level key (comments heading it excluded).
    let last = (i + 1 < found.length ? found[i + 1].line : lines.count) - 1;
    while (last > f.line && isBlankOrComment(lines.get(last))) last--;
    return {
      key: f.key,
      keySpan: { line: f.line, col: f.col, endLine: f.line, endCol: f.end },
      range: { line: f.line, col: 0, endLine: last, endCol: lines.get(last).length },
    };
  });
}

function isBlankOrComment(s: string): boolean {
  const t = s.trim();
  return t === '' || t.startsWith('#');
}

/** An item with its whole extent: a block list item runs over every line indented below its `-`. */
function leaf(lines: Lines, name: string, kind: OutlineKind, span: Span, selection: Span, detail?: string): OutlineNode {
  const range = extentOf(lines, span);
  return { name, kind, detail: detail === undefined ? undefined : oneLine(detail), range, selection: clamp(selection, range), children: [] };
}

function extentOf(lines: Lines, span: Span): Span {
  if (span.line >= lines.count) return span;
  const text = lines.get(span.line);
  const m = /^( *)-( +)/.exec(text);
  if (!m || m[0].length !== span.col) return span; // a flow item, or a map not on its `-` line
  const item = extendItem(lines, span.line, m[1].length);
  return { line: item.dashLine, col: item.dashCol, endLine: item.endLine, endCol: lines.get(item.endLine).length };
}

/** A group (`evidence`, `code`) from its key line to its last item. */
function group(lines: Lines, key: string, items: OutlineNode[], within: Span): OutlineNode {
  let keyLine = items[0].range.line;
  for (let l = items[0].range.line; l >= within.line; l--) {
    if (new RegExp(`^[ \\t-]*${key}[ \\t]*:`).test(lines.get(l))) {
      keyLine = l;
      break;
    }
  }
  const col = Math.max(0, lines.get(keyLine).indexOf(key));
  const end = items.reduce((a, b) => (b.range.endLine > a.endLine || (b.range.endLine === a.endLine && b.range.endCol > a.endCol) ? b.range : a), items[0].range);
  const range = { line: keyLine, col: 0, endLine: end.endLine, endCol: end.endCol };
  return { name: key, kind: 'list', range, selection: clamp({ line: keyLine, col, endLine: keyLine, endCol: col + key.length }, range), children: items };
}

/** Grows parents to hold their children (an editor requires it) and keeps selections inside. */
function fitChildren(node: OutlineNode): OutlineNode {
  for (const child of node.children) {
    fitChildren(child);
    if (before(child.range.line, child.range.col, node.range.line, node.range.col)) {
      node.range = { ...node.range, line: child.range.line, col: child.range.col };
    }
    if (before(node.range.endLine, node.range.endCol, child.range.endLine, child.range.endCol)) {
      node.range = { ...node.range, endLine: child.range.endLine, endCol: child.range.endCol };
    }
  }
  node.selection = clamp(node.selection, node.range);
  return node;
}

function before(l1: number, c1: number, l2: number, c2: number): boolean {
  return l1 < l2 || (l1 === l2 && c1 < c2);
}

function clamp(s: Span, range: Span): Span {
  const inside = !before(s.line, s.col, range.line, range.col) && !before(range.endLine, range.endCol, s.endLine, s.endCol);
  return inside ? s : { line: range.line, col: range.col, endLine: range.line, endCol: range.line === range.endLine ? range.endCol : range.col };
}

function firstLine(s: Span): Span {
  return s.endLine === s.line ? s : { line: s.line, col: s.col, endLine: s.line, endCol: s.col };
}

function oneLine(s: string, max = 80): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}\u2026` : t;
}
