// Timing and table helpers shared by the benchmarks.

export interface Stats {
  median: number;
  p95: number;
  min: number;
  runs: number;
  /** Median CPU time of this process over the same runs (steadier than wall time on a busy machine). */
  cpu?: number;
}

export function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/**
 * Warm median: a warm-up (at least `warmup` runs and `warmupMs`: the yaml parser needs a few dozen
 * runs of a small file before V8 has optimised it), then runs until both `minRuns` and a time budget
 * are reached (at most `maxRuns`). No GC is forced between runs: a forced full GC makes the next
 * parse 3-5x slower (the young generation starts small again), which is not what an editor sees.
 */
export function measure(fn: () => unknown, { warmup = 3, warmupMs = 1000, minRuns = 10, maxRuns = 300, budgetMs = 1500 } = {}): Stats {
  const w0 = now();
  for (let i = 0; i < 200 && (i < warmup || now() - w0 < warmupMs); i++) fn();
  const samples: number[] = [];
  const cpu: number[] = [];
  const start = now();
  while (samples.length < maxRuns && (samples.length < minRuns || now() - start < budgetMs)) {
    const [wall, c] = timed(fn);
    samples.push(wall);
    cpu.push(c);
  }
  return { ...stats(samples), cpu: stats(cpu).median };
}

/** Wall and CPU milliseconds of one call. */
export function timed(fn: () => unknown): [number, number] {
  const c0 = process.cpuUsage();
  const t0 = now();
  fn();
  const wall = now() - t0;
  const c = process.cpuUsage(c0);
  return [wall, (c.user + c.system) / 1000];
}

export function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, p95: at(0.95), min: sorted[0], runs: sorted.length };
}


export function fmt(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '-';
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  return ms.toFixed(2);
}

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('   ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('   '), ...rows.map(line)].join('\n');
}

/** The longest gap between turns of the event loop while `work` ran: how long the thread was blocked. */
export async function maxStall(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let worst = 0;
  let running = true;
  const tick = () => {
    const t = performance.now();
    worst = Math.max(worst, t - last);
    last = t;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  await work();
  running = false;
  await new Promise((r) => setImmediate(r));
  return worst;
}
