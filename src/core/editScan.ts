// Line scanning for the edit engine: finds the top-level `problems:` key and the extent of one list
// item by indentation alone, so that an edit to a large file parses only the problem it touches.
// Every result here is a guess that the caller confirms by parsing the block it names (and falls back
// to parsing the whole file when the guess does not hold).
import { Lines, indentOf, isBlank, isCommentLine } from './editText';

/** One block-sequence item: its `-` line through its last content line. */
export interface ItemBlock {
  /** Line of the item's `-` indicator. */
  dashLine: number;
  dashCol: number;
  /** Last line holding the item's content (comment lines indented inside the item count). */
  endLine: number;
  /** Offset of the start of `dashLine`. */
  start: number;
  /** Offset just past `endLine`'s line break (or the end of the text). */
  end: number;
  /**
   * Offset past the blank lines that follow (a `|+` block scalar at the end of the item keeps them:
   * they must be parsed with the item).
   */
  blockEnd: number;
}

/** The item of a block sequence that holds `line` (a line of the item's own map, such as its `id:`). */
export function itemAtLine(lines: Lines, line: number): ItemBlock | undefined {
  if (line < 0 || line >= lines.count) return undefined;
  const own = lines.get(line);
  let dashLine = -1;
  let dashCol = -1;
  const m = /^( *)-( +|$)/.exec(own);
  if (m) {
    dashLine = line;
    dashCol = m[1].length;
  } else {
    const keyCol = indentOf(own);
    for (let l = line - 1; l >= 0; l--) {
      const s = lines.get(l);
      if (isBlank(s) || isCommentLine(s)) continue;
      const indent = indentOf(s);
      if (indent >= keyCol) continue;
      const d = /^( *)-( +|$)/.exec(s);
      if (!d) return undefined;
      // The map's first key sits right after the dash, or the dash stands alone on its line.
      if (d[2] !== '' && d[1].length + 1 + d[2].length !== keyCol) return undefined;
      dashLine = l;
      dashCol = d[1].length;
      break;
    }
    if (dashLine === -1) return undefined;
  }
  return extendItem(lines, dashLine, dashCol);
}

/** The item starting at a `-` line: every following line indented deeper belongs to it. */
export function extendItem(lines: Lines, dashLine: number, dashCol: number): ItemBlock {
  let endLine = dashLine;
  for (let l = dashLine + 1; l < lines.count; l++) {
    const s = lines.get(l);
    if (isBlank(s)) continue;
    const indent = indentOf(s);
    if (indent > dashCol) {
      endLine = l;
      continue;
    }
    if (isCommentLine(s)) continue;
    break;
  }
  let blankEnd = endLine;
  while (blankEnd + 1 < lines.count && isBlank(lines.get(blankEnd + 1))) blankEnd++;
  return { dashLine, dashCol, endLine, start: lines.start(dashLine), end: lines.next(endLine), blockEnd: lines.next(blankEnd) };
}

/** How a top-level list key (`problems`, `personas`, `customers`…) is written. */
export interface ProblemsSection {
  keyLine: number;
  /** Offset just past the key's colon. */
  colonEnd: number;
  /**
   * `block`: items follow on the next lines (or nothing, a null value); `empty-flow`: `[]`;
   * `null`: an explicit `~` or `null`; `other`: anything else (a non-empty flow list, a scalar).
   */
  form: 'block' | 'empty-flow' | 'null' | 'other';
  /** For `empty-flow` and `null`: the offsets of the written value. */
  valueStart: number;
  valueEnd: number;
  /** The list's items (block form only), in order. */
  items: ItemBlock[];
}

/** A top-level key (column 0), bare or quoted, followed by its colon. */
function topKeyPattern(key: string): RegExp {
  return new RegExp(`^(?:${key}|"${key}"|'${key}')[ \\t]*:(?=[ \\t]|$)`);
}

const PROBLEMS_KEY = topKeyPattern('problems');

/** Finds `problems:` at the top level (column 0) and, for a block list, its items. */
export function scanProblems(lines: Lines): ProblemsSection | undefined {
  return scanSection(lines, 'problems');
}

/** Finds a top-level list key (`problems`, `personas`, `customers`…) and, for a block list, its items. */
export function scanSection(lines: Lines, key: string): ProblemsSection | undefined {
  const pattern = key === 'problems' ? PROBLEMS_KEY : topKeyPattern(key.replace(/[^A-Za-z0-9_]/g, ''));
  for (let l = 0; l < lines.count; l++) {
    const s = lines.get(l);
    const m = pattern.exec(s);
    if (!m) continue;
    const lineStart = lines.start(l) + (l === 0 && lines.text.charCodeAt(0) === 0xfeff ? 1 : 0);
    const colonEnd = lineStart + m[0].length;
    const rest = s.slice(m[0].length);
    const value = rest.replace(/(^|\s)#.*$/, '').trim();
    const valueStart = colonEnd + rest.indexOf(value);
    const section: ProblemsSection = {
      keyLine: l, colonEnd, form: 'block', valueStart, valueEnd: valueStart + value.length, items: [],
    };
    if (value === '') {
      section.items = scanItems(lines, l + 1);
    } else if (/^\[\s*\]$/.test(value)) {
      section.form = 'empty-flow';
    } else if (value === '~' || value === 'null') {
      section.form = 'null';
    } else {
      section.form = 'other';
    }
    return section;
  }
  return undefined;
}

function scanItems(lines: Lines, from: number): ItemBlock[] {
  const items: ItemBlock[] = [];
  let dashCol = -1;
  for (let l = from; l < lines.count; l++) {
    const s = lines.get(l);
    if (isBlank(s) || isCommentLine(s)) continue;
    const d = /^( *)-( +|$)/.exec(s);
    if (!d) break;
    if (dashCol === -1) dashCol = d[1].length;
    if (d[1].length !== dashCol) break;
    const item = extendItem(lines, l, dashCol);
    items.push(item);
    l = item.endLine;
  }
  return items;
}
