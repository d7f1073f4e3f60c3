#!/usr/bin/env node
// Builds the real-code corpus the benchmarks measure on: open-source packages from the npm registry
// (TypeScript sources of effect, rxjs and zod; JavaScript of three, lodash, date-fns, typescript;
// type declarations), installed into bench-data/corpus/ with their node_modules folder renamed to
// packages/ so the checker scans them like a workspace's own code. Nobody here wrote this code: it
// has thousands of files, odd names, long lines and generated bundles.
//
// Second step, injectInsights(): makes the corpus a workspace that uses Customer Lens, for the
// `check` benchmark (bench/check.ts). Deterministically (a seeded generator over sorted file
// lists) it picks TypeScript files of packages/effect/src and packages/rxjs/src and writes a
// `// @why CP-n` comment above the first one or two top-level functions of each (above their doc
// comment) until each package holds 150: 300 tags, a third of them followed by a `// CORP-n:` ticket comment, two naming ids that
// no problem defines (so `check` has errors to report). At the corpus root it writes
// customer-insights.yaml: 50 problems with evidence, a CORP tracker, tickets, and anchors: a
// `symbol` anchor on a real tagged function for each problem, a `lines` anchor with `text` for
// every fifth, a glob for every tenth. Idempotent: earlier injected lines are removed first, and the
// result is the same every time.
//
// Usage: node bench/corpus.mjs [--force]     (idempotent: does nothing when the corpus exists)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CORPUS = path.join(REPO, 'bench-data', 'corpus');
/** Pinned, so every run measures the same tree. */
export const PACKAGES = [
  'effect@4.1.0', 'rxjs@7.8.2', 'zod@3.25.76', 'ky@1.9.1', 'three@0.187.0', 'lodash@4.17.21',
  'date-fns@4.4.0', 'typescript@5.9.3', '@types/node@20.19.9', 'ajv@8.17.1',
];

export function ensureCorpus({ force = false, log = console.error } = {}) {
  const done = path.join(CORPUS, '.complete');
  if (!force && fs.existsSync(done)) return CORPUS;
  fs.rmSync(CORPUS, { recursive: true, force: true });
  fs.mkdirSync(CORPUS, { recursive: true });
  fs.writeFileSync(path.join(CORPUS, 'package.json'), JSON.stringify({ name: 'bench-corpus', private: true }));
  log(`corpus: npm install ${PACKAGES.join(' ')}`);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', ...PACKAGES],
    { cwd: CORPUS, stdio: ['ignore', 'ignore', 'inherit'] });
  fs.renameSync(path.join(CORPUS, 'node_modules'), path.join(CORPUS, 'packages'));
  fs.rmSync(path.join(CORPUS, 'package.json'));
  fs.writeFileSync(done, new Date().toISOString());
  return CORPUS;
}

export const INSIGHTS_VERSION = 1;
const TAG_LINE = /^\/\/ @why (CP-\d+|NOPE-\d+)( — injected by bench\/corpus\.mjs)?$/;
const TICKET_LINE = /^\/\/ CORP-\d+: .* — injected by bench\/corpus\.mjs$/;
const DECLARATION = /^export (?:async )?function\*? ([A-Za-z_$][\w$]*)|^export const ([A-Za-z_$][\w$]*)\s*(?::[^=]*)?=\s*(?:async\s*)?(?:<[^>]*>\s*)?\(/;

/** A small seeded generator (mulberry32): the same picks on every machine. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function tsFiles(dir) {
  return fs.readdirSync(dir, { recursive: true })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => path.join(dir, f).split(path.sep).join('/'))
    .sort();
}

/** The first `count` distinct top-level functions of a file's lines: [line index, name]. */
function functionsOf(lines, count) {
  const found = [];
  const names = new Set();
  for (let i = 0; i < lines.length && found.length < count; i++) {
    const m = DECLARATION.exec(lines[i]);
    const name = m && (m[1] ?? m[2]);
    if (!name || names.has(name)) continue;
    names.add(name);
    found.push([i, name]);
  }
  return found;
}

/** Where a comment above line `i` goes: above the doc comment and other comments directly above it. */
function commentStart(lines, i) {
  let at = i;
  while (at > 0 && /^\s*(\/\*\*|\*|\*\/|\/\/)/.test(lines[at - 1])) at--;
  return at;
}

/**
 * Writes the tags, ticket comments and customer-insights.yaml described at the top of this file.
 * Returns what it wrote: { files, tags, problems, anchors }.
 */
export function injectInsights({ log = console.error } = {}) {
  const marker = path.join(CORPUS, '.insights');
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8').startsWith(`${INSIGHTS_VERSION}\n`)) {
    return JSON.parse(fs.readFileSync(marker, 'utf8').split('\n')[1]);
  }
  const next = random(20261122);
  const problems = 50;
  // 150 tags per package: files in a seeded random order, up to two functions each.
  const plan = []; // { rel, count }
  for (const pkg of ['packages/effect/src', 'packages/rxjs/src']) {
    const candidates = tsFiles(path.join(CORPUS, pkg)).map((f) => path.relative(CORPUS, f).split(path.sep).join('/'));
    // Undo an earlier injection (another version may have picked other files).
    for (const rel of candidates) {
      const text = fs.readFileSync(path.join(CORPUS, rel), 'utf8');
      if (text.includes('injected by bench/corpus.mjs')) fs.writeFileSync(path.join(CORPUS, rel), clean(rel).join('\n'));
    }
    const order = candidates.map((rel) => [next(), rel]).sort((a, b) => a[0] - b[0]).map(([, rel]) => rel);
    let tags = 0;
    for (const rel of order) {
      if (tags >= 150) break;
      const count = Math.min(2, 150 - tags, functionsOf(clean(rel), 2).length);
      if (count === 0) continue;
      plan.push({ rel, count });
      tags += count;
    }
  }
  plan.sort((a, b) => (a.rel < b.rel ? -1 : 1));
  const picked = plan.map((p) => p.rel);
  let tagCount = 0;
  const tagged = []; // { file, name, line (1-based, after injection), text }
  for (const { rel, count } of plan) {
    const lines = clean(rel);
    const fns = functionsOf(lines, count);
    // Insert from the bottom up so the earlier indexes stay valid.
    const inserts = fns.map(([i, name]) => {
      const n = tagCount++;
      const id = n === 7 || n === 211 ? `NOPE-${n}` : `CP-${(n % problems) + 1}`;
      const comment = [`// @why ${id} — injected by bench/corpus.mjs`];
      if (n % 3 === 0) comment.push(`// CORP-${1000 + n}: reported by a customer — injected by bench/corpus.mjs`);
      return { at: commentStart(lines, i), decl: i, name, id, comment };
    });
    for (const ins of [...inserts].reverse()) lines.splice(ins.at, 0, ...ins.comment);
    let shift = 0;
    for (const ins of inserts) {
      shift += ins.comment.length;
      tagged.push({ file: rel, name: ins.name, id: ins.id, line: ins.decl + shift + 1, text: lines[ins.decl + shift].trim() });
    }
    fs.writeFileSync(path.join(CORPUS, rel), lines.join('\n'));
  }
  const yaml = insightsYaml(tagged, problems);
  fs.writeFileSync(path.join(CORPUS, 'customer-insights.yaml'), yaml.text);
  const summary = { files: picked.length, tags: tagCount, problems, anchors: yaml.anchors };
  fs.writeFileSync(marker, `${INSIGHTS_VERSION}\n${JSON.stringify(summary)}\n`);
  log(`corpus: ${summary.tags} @why tags in ${summary.files} files, ${problems} problems with ${summary.anchors} anchors in customer-insights.yaml`);
  return summary;
}

/** A corpus file's lines without anything injected earlier. */
function clean(rel) {
  const lines = fs.readFileSync(path.join(CORPUS, rel), 'utf8').split('\n');
  return lines.filter((l) => !TAG_LINE.test(l) && !TICKET_LINE.test(l));
}

function insightsYaml(tagged, problems) {
  const out = [
    '# Generated by bench/corpus.mjs (injectInsights) for the check benchmark.',
    'version: 1',
    'product:',
    '  name: Corpus',
    'trackers:',
    '  - prefix: CORP',
    '    url: https://tracker.example/browse/{key}',
    'personas:',
    '  - id: developer',
    '    name: Developer',
    'customers:',
    '  - id: acme',
    '    name: Acme Corp',
    '    arr: 120000',
    'problems:',
  ];
  let anchors = 0;
  const severities = ['critical', 'high', 'medium', 'low'];
  for (let p = 1; p <= problems; p++) {
    const id = `CP-${p}`;
    const mine = tagged.filter((t) => t.id === id);
    out.push(
      `  - id: ${id}`,
      `    title: Corpus problem ${p} slows developers down in ${mine[0]?.name ?? 'the code'}`,
      `    status: ${p % 4 === 0 ? 'hypothesis' : 'validated'}`,
      `    severity: ${severities[p % 4]}`,
      '    personas: [developer]',
      '    customers: [acme]',
      `    validated: 2026-${String((p % 9) + 1).padStart(2, '0')}-15`,
      `    tickets: [CORP-${1000 + (p - 1) * 3}]`,
      '    evidence:',
      '      - kind: interview',
      `        quote: "Problem ${p} costs us an afternoon every week."`,
      '        customer: acme',
      `        date: 2026-${String((p % 9) + 1).padStart(2, '0')}-15`,
      '    code:',
    );
    const first = mine[0];
    if (first) {
      out.push(`      - path: ${first.file}`, `        symbol: ${first.name}`);
      anchors++;
    }
    const second = mine[1];
    if (second && p % 5 === 0) {
      out.push(`      - path: ${second.file}`, `        lines: ${second.line}`, `        text: ${JSON.stringify(second.text.slice(0, 60))}`);
      anchors++;
    }
    if (first && p % 10 === 0) {
      out.push(`      - ${path.posix.dirname(first.file)}/*.ts`);
      anchors++;
    }
  }
  return { text: `${out.join('\n')}\n`, anchors };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureCorpus({ force: process.argv.includes('--force') });
  injectInsights();
  console.log(CORPUS);
}
