// The editor side of `npm run bench` (bundled by bench/run.mjs to out/bench/editor.js): what the
// extension host computes for a hover, a CodeLens, the tree's first level and a link, and how long
// a load holds the extension host's thread while the parse runs in the worker.
//
// Hovers and CodeLens use the same core calls as the providers (FileLinks.hoverAt + problemCard,
// FileLinks.lenses + lensTitle) on a generated source file of ~600 lines whose anchors, `@why`
// tags and ticket comments come from the insights file of each size.
//
//   node out/bench/editor.js [--sizes realistic,large,huge]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadIndex } from '../src/core/check';
import { parseInsightsFile } from '../src/core/parse';
import { linksForFile } from '../src/core/fileLinks';
import type { FileLinks } from '../src/core/fileLinks';
import { lensTitle, problemCard } from '../src/core/card';
import { groupProblems } from '../src/core/grouping';
import { addAnchor } from '../src/core/edit';
import { InsightsIndex } from '../src/core/workspaceIndex';
import type { Anchor } from '../src/core/model';
import { ParseClient } from '../src/worker/parseClient';
import { fmt, maxStall, measure, table } from './timing';

const ROOT = path.resolve(__dirname, '..', '..');
const DATA = path.join(ROOT, 'bench-data');
const TODAY = '2026-11-22';
const COMMAND_LINK = 'command:customerLens.openProblem?%5B%5D';

interface Row {
  size: string;
  links: number;
  hover: number;
  lens: number;
  tree: number;
  link: number;
  rebuild: number;
  stall: number;
  hovers: number;
  lenses: number;
}

/** The folder-relative file most anchors name (not a glob): the file an engineer would open. */
function busiestFile(anchors: readonly Anchor[]): string {
  const counts = new Map<string, number>();
  for (const a of anchors) if (a.path && !a.glob && a.kind !== 'path') counts.set(a.path, (counts.get(a.path) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0][0];
}

/** A ~600-line source file holding the symbols and line texts the anchors name, plus tags and tickets. */
function sourceFor(file: string, index: InsightsIndex): string {
  const anchors = index.anchorsForFile(file);
  const lines: string[] = Array.from({ length: 600 }, (_, i) => `  const value${i} = compute(${i});`);
  for (const a of anchors) {
    if (a.kind === 'lines' && a.text && a.lines && a.lines.start <= 560) lines[a.lines.start - 1] = `  ${a.text}`;
  }
  const symbols = [...new Set(anchors.filter((a) => a.symbol).map((a) => a.symbol!))];
  let at = 0;
  for (const symbol of symbols) {
    const [container, member] = symbol.includes('.') ? symbol.split('.') : [undefined, symbol];
    while (at < 590 && anchors.some((a) => a.lines && a.lines.start - 1 <= at + 6 && a.lines.start - 1 >= at)) at += 7;
    if (container) lines[at] = `export class ${container} {`;
    lines[at + 1] = `  async ${member}(): Promise<void> {`;
    lines[at + 2] = '    await this.sink.write(this.buffer);';
    lines[at + 3] = '  }';
    if (container) lines[at + 4] = '}';
    at += 7;
  }
  const ids = index.problems.slice(0, 40).map((p) => p.id);
  const tickets = index.problems.flatMap((p) => p.tickets.map((t) => t.value)).filter((t) => !t.startsWith('http')).slice(0, 20);
  for (let i = 0; i < 40; i++) {
    const line = 3 + i * 14;
    if (line < 600 && !lines[line].includes('class') && !lines[line].includes('async')) {
      lines[line] = i % 2 === 0 ? `  // @why ${ids[i % ids.length]}` : `  // ${tickets[i % Math.max(1, tickets.length)] ?? 'ACME-1'}: keep this in step with the export`;
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Positions a person would hover: every tag and ticket, anchored symbol names, first lines of regions. */
function hoverPositions(links: FileLinks): { line: number; character: number }[] {
  const positions = links.references().map((r) => ({ line: r.line, character: r.col + 1 }));
  for (const r of links.anchors) {
    if (r.name) positions.push({ line: r.name.line, character: r.name.col + 1 });
    else if (r.anchor.kind === 'lines' && r.region) positions.push({ line: r.region.startLine, character: 4 });
  }
  return positions;
}


async function benchSize(size: string, parser: ParseClient): Promise<Row> {
  const yamlFile = path.join(DATA, size, 'customer-insights.yaml');
  const text = fs.readFileSync(yamlFile, 'utf8');
  const maxBytes = 64 * 1024 * 1024;
  const index = loadIndex([{ file: 'customer-insights.yaml', text }], { today: TODAY, maxBytes });
  const file = busiestFile(index.allAnchors());
  const code = sourceFor(file, index);
  const codeLines = code.split('\n');
  const access = { files: () => [file], text: (f: string) => (f === file ? code : undefined) };

  const linksStats = measure(() => linksForFile(index, file, code, access));
  const links = linksForFile(index, file, code, access);
  const positions = hoverPositions(links);
  let hoverCount = 0;
  // Per hover: what provideHover runs once the document's links are cached (they are per version).
  const hover = measure(() => {
    const p = positions[hoverCount++ % positions.length];
    const target = links.hoverAt(p.line, p.character, codeLines[p.line]);
    return target && target.problems.map((problem) => problemCard(problem, index, { links: { reveal: COMMAND_LINK, open: COMMAND_LINK, showCode: COMMAND_LINK } }));
  }, { minRuns: 200, maxRuns: 5000 });
  const lens = measure(() => links.lenses().map((l) => lensTitle(l.problems, index)), { minRuns: 50 });
  const tree = measure(() => groupProblems(index, 'severity').map((g) => `${g.label} ${g.problems.length}`), { minRuns: 50 });

  // One link written into this file with the model the index holds (as the extension does).
  const parsed = parseInsightsFile(text, 'customer-insights.yaml', { maxBytes });
  const target = index.problems[Math.floor(index.problems.length / 2)];
  const link = measure(() => {
    const r = addAnchor(text, target.id, { path: 'src/bench/new.ts', lines: { start: 10, end: 20 }, text: 'export function benchmark() {' }, { parsed });
    if (!r.ok || r.alreadyLinked) throw new Error(`link failed: ${r.ok ? r.message : r.reason}`);
  }, { minRuns: 20 });

  // The host's part of a reload: the index is rebuilt on its thread from the worker's model.
  const rebuild = measure(() => new InsightsIndex([parsed], { today: TODAY }), { minRuns: 20 });
  // The whole reload as the extension host lives it: the worker parses, the model crosses over,
  // the index is rebuilt. The figure is the longest the host's thread was blocked meanwhile.
  const stalls: number[] = [];
  for (let i = 0; i < 7; i++) {
    stalls.push(await maxStall(async () => {
      const file = await parser.parse('customer-insights.yaml', text, Buffer.byteLength(text), maxBytes);
      return new InsightsIndex([file], { today: TODAY });
    }));
  }
  stalls.sort((a, b) => a - b);
  return {
    size, links: linksStats.median, hover: hover.median, lens: lens.median, tree: tree.median, link: link.median,
    rebuild: rebuild.median, stall: stalls[stalls.length >> 1], hovers: positions.length, lenses: links.lenses().length,
  };
}

async function main(): Promise<void> {
  const arg = process.argv.indexOf('--sizes');
  const sizes = arg === -1 ? ['realistic', 'large', 'huge'] : process.argv[arg + 1].split(',');
  const parser = new ParseClient(path.join(ROOT, 'dist', 'loadWorker.js'));
  if (!fs.existsSync(path.join(ROOT, 'dist', 'loadWorker.js'))) throw new Error('dist/loadWorker.js is missing: run `npm run build` first');
  const rows: Row[] = [];
  for (const size of sizes) rows.push(await benchSize(size, parser));
  parser.dispose();
  console.log('\nEditor side (ms, warm medians): what the providers compute, and what a reload costs the extension host');
  console.log(table(
    ['size', 'links of a file (per version)', 'hover', 'CodeLens (file)', 'tree 1st level', 'link written', 'index rebuild', 'host stall, reload'],
    rows.map((r) => [r.size, fmt(r.links), `${fmt(r.hover)} (${r.hovers} spots)`, `${fmt(r.lens)} (${r.lenses} lenses)`, fmt(r.tree), fmt(r.link), fmt(r.rebuild), fmt(r.stall)]),
  ));
  const large = rows.find((r) => r.size === 'large');
  if (large) {
    const checks = [
      ['hover at the large size', large.hover, 1],
      ['tree first level at the large size', large.tree, 10],
      ['one link into the large file', large.link, 50],
    ] as const;
    for (const [what, value, target] of checks) console.log(`  ${what}: ${fmt(value)} ms (target < ${target} ms: ${value < target ? 'met' : 'MISSED'})`);
  }
  for (const r of rows.filter((x) => x.size !== 'huge')) {
    console.log(`  host stall during a reload, ${r.size}: ${fmt(r.stall)} ms (target < 20 ms: ${r.stall < 20 ? 'met' : 'MISSED'})`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
