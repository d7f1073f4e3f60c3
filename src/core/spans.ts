// Offsets to line/column spans, and small span helpers.
import type { Span } from './model';

/** Maps offsets of one text to 0-based lines and columns (binary search over line starts). */
export class LineMap {
  protected readonly starts: number[];

  constructor(text: string) {
    const starts = [0];
    let i = text.indexOf('\n');
    while (i !== -1) {
      starts.push(i + 1);
      i = text.indexOf('\n', i + 1);
    }
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))];
  }

  /** The 0-based line holding an offset. */
  lineOf(offset: number): number {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  position(offset: number): { line: number; col: number } {
    const line = this.lineOf(offset);
    return { line, col: offset - this.starts[line] };
  }

  span(start: number, end: number): Span {
    const a = this.position(start);
    const b = end === start ? a : this.position(end);
    return { line: a.line, col: a.col, endLine: b.line, endCol: b.col };
  }
}

export function spanOfLine(line: number, col = 0, endCol = col): Span {
  return { line, col, endLine: line, endCol };
}

/** 1-based line and column, as people and CLIs count. */
export function humanStart(span: Span): { line: number; column: number } {
  return { line: span.line + 1, column: span.col + 1 };
}
