// Line diffs for previews of edits: `customer-lens link --dry-run` prints one, and the tests use the
// same line diff to check that an edit adds or changes exactly the lines it means to. Pure.

export type DiffLine = { op: ' ' | '-' | '+'; text: string };

/** Splits a text into lines without their breaks ('\r\n' or '\n'); a final break ends the last line. */
export function splitLines(text: string): { lines: string[]; finalEol: boolean } {
  if (text === '') return { lines: [], finalEol: true };
  const lines = text.split(/\r?\n/);
  const finalEol = lines[lines.length - 1] === '';
  if (finalEol) lines.pop();
  return { lines, finalEol };
}

/**
 * The line diff of two texts: common lines kept (' '), removed ('-') and added ('+'), in order.
 * The common start and end are matched directly, the changed middle by longest common subsequence
 * (edits touch a few lines, so the middle is small even in a large file).
 */
export function diffLines(before: string, after: string): DiffLine[] {
  const a = splitLines(before).lines;
  const b = splitLines(after).lines;
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const out: DiffLine[] = a.slice(0, pre).map((text) => ({ op: ' ', text }));
  out.push(...middle(a.slice(pre, a.length - suf), b.slice(pre, b.length - suf)));
  out.push(...a.slice(a.length - suf).map((text): DiffLine => ({ op: ' ', text })));
  return out;
}

function middle(a: string[], b: string[]): DiffLine[] {
  const n = a.length;
  const m = b.length;
  if (n * m > 4_000_000) {
    return [...a.map((text): DiffLine => ({ op: '-', text })), ...b.map((text): DiffLine => ({ op: '+', text }))];
  }
  // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push({ op: ' ', text: a[i++] });
      j++;
    } else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      out.push({ op: '-', text: a[i++] });
    } else {
      out.push({ op: '+', text: b[j++] });
    }
  }
  return out;
}

export interface UnifiedDiffOptions {
  /** Names for the `---` and `+++` headers (default a/file and b/file). */
  fromFile?: string;
  toFile?: string;
  /** Lines of context around each change (default 3). */
  context?: number;
}

/**
 * A unified diff (as `diff -u` and git print it) of two texts; '' when they are equal. Lines are shown
 * without their '\r'. A missing final line break is marked "\ No newline at end of file".
 */
export function unifiedDiff(before: string, after: string, options: UnifiedDiffOptions = {}): string {
  const context = options.context ?? 3;
  const lines = diffLines(before, after);
  const endA = splitLines(before);
  const endB = splitLines(after);
  if (!lines.some((l) => l.op !== ' ') && endA.finalEol === endB.finalEol) return '';
  // Positions (1-based) of each diff line in the old and new text.
  const posA: number[] = [];
  const posB: number[] = [];
  let na = 0;
  let nb = 0;
  for (const l of lines) {
    if (l.op !== '+') na++;
    if (l.op !== '-') nb++;
    posA.push(na);
    posB.push(nb);
  }
  // Whether each line ends with a line break in the old and in the new text.
  const brokenA = (k: number) => !(lines[k].op !== '+' && posA[k] === endA.lines.length && !endA.finalEol);
  const brokenB = (k: number) => !(lines[k].op !== '-' && posB[k] === endB.lines.length && !endB.finalEol);
  const changed = lines.map((l, k) => l.op !== ' ' || brokenA(k) !== brokenB(k));
  const out = [`--- ${options.fromFile ?? 'a/file'}`, `+++ ${options.toFile ?? 'b/file'}`];
  const NO_EOL = '\\ No newline at end of file';
  let i = 0;
  while (i < lines.length) {
    if (!changed[i]) {
      i++;
      continue;
    }
    const start = Math.max(0, i - context);
    let end = i;
    // Extend the hunk while the next change is within 2 * context lines.
    for (let k = i; k < lines.length; k++) {
      if (changed[k]) end = k;
      else if (k - end > 2 * context) break;
    }
    const stop = Math.min(lines.length - 1, end + context);
    const hunk = lines.slice(start, stop + 1);
    const oldCount = hunk.filter((l) => l.op !== '+').length;
    const newCount = hunk.filter((l) => l.op !== '-').length;
    const oldStart = oldCount === 0 ? posA[start] - (lines[start].op === '+' ? 0 : 1) : firstPos(lines, posA, start, '+');
    const newStart = newCount === 0 ? posB[start] - (lines[start].op === '-' ? 0 : 1) : firstPos(lines, posB, start, '-');
    out.push(`@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@`);
    for (let k = start; k <= stop; k++) {
      const l = lines[k];
      if (l.op === ' ' && brokenA(k) !== brokenB(k)) {
        // The line is the same but its line break is not: show it removed and added again.
        out.push(`-${l.text}`);
        if (!brokenA(k)) out.push(NO_EOL);
        out.push(`+${l.text}`);
        if (!brokenB(k)) out.push(NO_EOL);
        continue;
      }
      out.push(`${l.op}${l.text}`);
      if (l.op === '+' ? !brokenB(k) : !brokenA(k)) out.push(NO_EOL);
    }
    i = stop + 1;
  }
  return `${out.join('\n')}\n`;
}

/** Line number of the first line of a hunk in one side (skipping lines only the other side has). */
function firstPos(lines: DiffLine[], pos: number[], start: number, otherOp: '+' | '-'): number {
  let k = start;
  while (lines[k].op === otherOp) k++;
  return pos[k];
}

function range(start: number, count: number): string {
  return count === 1 ? `${start}` : `${start},${count}`;
}
