#!/usr/bin/env node
// A workspace of real open-source code nobody here wrote, for the realcode UI scenario: the
// TypeScript sources (src/) of rxjs 7.8.2, as published on npm, with a small hand-written
// customer-insights.yaml (five problems an RxJS team could plausibly hold evidence for), `@why`
// tags above real rxjs declarations and comments that mention tickets. Deterministic: the same
// tarball, the same edits, the same text every time.
//
// Where rxjs comes from: `npm pack rxjs@7.8.2` (from npm's cache when it holds it), cached in
// <tmp>/customer-lens-rxjs-7.8.2/; offline, bench-data/corpus/packages/rxjs when bench/corpus.mjs
// built it (the lines its benchmark step injected are left out).
//
// Usage: node test/ui/lib/realcode.mjs [dir]        (prints the workspace folder it wrote)
// API:   const { dir, facts } = prepareRealCode(dir)  (dir: a new folder, made if missing)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const RXJS_VERSION = '7.8.2';
const CACHE = path.join(os.tmpdir(), `customer-lens-rxjs-${RXJS_VERSION}`);
const CORPUS_RXJS = path.join(REPO, 'bench-data', 'corpus', 'packages', 'rxjs');

/** The pristine src/ folder of rxjs, downloaded once. */
function rxjsSources() {
  const src = path.join(CACHE, 'package', 'src');
  const done = path.join(CACHE, '.complete');
  if (fs.existsSync(done)) return src;
  fs.rmSync(CACHE, { recursive: true, force: true });
  fs.mkdirSync(CACHE, { recursive: true });
  try {
    const tgz = execFileSync('npm', ['pack', `rxjs@${RXJS_VERSION}`, '--prefer-offline', '--silent', '--pack-destination', CACHE],
      { cwd: CACHE, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 }).trim().split('\n').pop();
    execFileSync('tar', ['-xzf', path.join(CACHE, tgz), '-C', CACHE, 'package/src', 'package/package.json'], { stdio: 'ignore' });
  } catch (e) {
    // Offline: the benchmark corpus's copy, without what bench/corpus.mjs injected.
    if (!fs.existsSync(path.join(CORPUS_RXJS, 'src'))) throw new Error(`cannot get rxjs@${RXJS_VERSION}: ${e.message}`);
    const version = JSON.parse(fs.readFileSync(path.join(CORPUS_RXJS, 'package.json'), 'utf8')).version;
    if (version !== RXJS_VERSION) throw new Error(`bench-data/corpus holds rxjs ${version}, not ${RXJS_VERSION}`);
    fs.cpSync(path.join(CORPUS_RXJS, 'src'), src, { recursive: true });
    for (const f of fs.readdirSync(src, { recursive: true })) {
      const file = path.join(src, String(f));
      if (!file.endsWith('.ts')) continue;
      const text = fs.readFileSync(file, 'utf8');
      if (text.includes('injected by bench/corpus.mjs')) {
        fs.writeFileSync(file, text.split('\n').filter((l) => !/^\/\/ .*injected by bench\/corpus\.mjs$/.test(l)).join('\n'));
      }
    }
  }
  fs.writeFileSync(done, new Date().toISOString());
  return src;
}

/**
 * What the scenario inserts into rxjs: comment lines directly above a line that starts with
 * `before` (the first such line of the file). Tags sit right above the declaration they cover.
 */
const INSERTS = [
  { file: 'src/internal/operators/retryWhen.ts', before: 'export function retryWhen<T>(',
    lines: ['// @why P-7 -- what teams hand-roll today to get a back-off'] },
  { file: 'src/internal/operators/retry.ts', before: '                  if (delay != null) {',
    lines: ['                  // DX-1874: with no delay we resubscribe at once, in a tight loop'] },
  { file: 'src/internal/operators/repeat.ts', before: 'export function repeat<T>(',
    lines: ['// DX-1874: repeat({ delay: 0 }) loops as tightly as retry without a delay'] },
  { file: 'src/internal/Subscriber.ts', before: 'function handleUnhandledError(error: any) {',
    lines: ['// @why P-9'] },
  { file: 'src/internal/util/reportUnhandledError.ts', before: 'export function reportUnhandledError(',
    lines: ['// DX-1930: the stack shows the timeout job, not the subscribe() that failed'] },
  { file: 'src/internal/lastValueFrom.ts', before: 'export function lastValueFrom<T, D>(source: Observable<T>, config?:',
    lines: ['// @why P-4'] },
  { file: 'src/internal/util/EmptyError.ts', before: 'export const EmptyError: EmptyErrorCtor',
    lines: ['// DX-2301: "no elements in sequence" names neither the operator nor the stream'] },
  { file: 'src/internal/operators/share.ts', before: 'export function share<T>(options: ShareConfig<T> = {})',
    lines: ['// @why P-11 -- resetOnRefCountZero is the fix we point people to'] },
  { file: 'src/internal/operators/debounceTime.ts', before: 'export function debounceTime<T>(',
    lines: ['// @why P-14'] },
];

/** The insights file; `{{line:file:text}}` becomes the 1-based line of that text in that file. */
const INSIGHTS = `# RxJS: what the people who build on it struggle with
#
# Kept by the developer-experience group. Evidence comes from the support
# escalations of our enterprise sponsors, the 2026 developer survey and
# interviews at meetups. \`code:\` points at the source that answers each problem.

version: 1

product:
  name: RxJS
  value: Reactive code that teams can reason about and debug.

trackers:
  - prefix: DX                                  # the developer-experience board
    url: https://tracker.example/rxjs/browse/{key}

personas:
  - id: app-developer
    name: Application developer
    description: Builds Angular front ends or Node services on RxJS; not an RxJS expert.
    jobs:
      - Call a flaky HTTP API without making it worse
      - Await one value from a stream
  - id: platform-engineer
    name: Platform engineer
    description: Owns the shared libraries and is on call for the services built on them.
    jobs:
      - Find where an error came from at 3 a.m.

customers:
  - id: northwind-bank
    name: Northwind Bank
    segment: enterprise
    arr: 180000
    health: at-risk          # two outages this quarter traced to retry loops
  - id: contoso-travel
    name: Contoso Travel
    segment: mid-market
    arr: 42000
    health: healthy
  - id: fabrikam-health
    name: Fabrikam Health
    segment: enterprise
    arr: 96000
    health: healthy

problems:
  - id: P-7
    title: retry() hammers a failing backend with no back-off
    description: |
      \`retry(5)\` resubscribes the moment the source errors. Against an API that
      is already failing, every client retries in a tight loop and turns a
      brown-out into an outage. The \`delay\` option exists, but people do not
      find it; they hand-roll back-off with \`retryWhen\`.
    status: validated
    severity: high
    horizon: urgent
    personas: [app-developer, platform-engineer]
    customers: [northwind-bank, contoso-travel]
    tags: [errors, resilience]
    impact:
      customers: 23
      tickets: 41
      as_of: 2026-11-01
    validated: 2026-11-04
    evidence:
      - kind: support
        summary: >
          A payments gateway answered 503 for four minutes; its Angular clients
          sent 40,000 retries in the first minute.
        customer: northwind-bank
        date: 2026-10-28
        count: 41
      - kind: interview
        quote: "We added retry(5) and took our own gateway down. Nothing told us there was no delay."
        customer: northwind-bank
        persona: platform-engineer
        date: 2026-11-04
    tickets: [DX-1874]
    code:
      - path: src/internal/operators/retry.ts
        symbol: retry
      - path: src/internal/operators/retry.ts
        lines: {{line:src/internal/operators/retry.ts:if (delay != null) {}}
        text: "if (delay != null) {"

  - id: P-9
    title: Unhandled errors surface far from the subscribe() that caused them
    status: validated
    severity: high
    personas: [platform-engineer]
    customers: [fabrikam-health, northwind-bank]
    tags: [errors, debugging]
    validated: 2026-10-20
    related: [P-7]
    evidence:
      - kind: field-study
        summary: >
          Sat with Fabrikam's on-call for a week: three incidents where the
          stack trace pointed into a timer job, not the failing pipe.
        customer: fabrikam-health
        date: 2026-10-20
      - kind: survey
        summary: 31% of 412 respondents named "finding where an error came from" as their top pain.
        date: 2026-09-30
        count: 412
    tickets: [DX-1930]
    code:
      - path: src/internal/util/reportUnhandledError.ts
        symbol: reportUnhandledError
      - path: src/internal/Subscriber.ts
        symbol: SafeSubscriber

  - id: P-11
    title: shareReplay keeps its source subscribed after every subscriber left
    status: in-progress
    severity: medium
    personas: [app-developer]
    customers: [contoso-travel]
    tags: [memory, sharing]
    validated: 2026-08-12
    evidence:
      - kind: support
        summary: A dashboard polled every 5 s for hours after its page was closed.
        customer: contoso-travel
        date: 2026-08-12
        count: 9
    tickets: [DX-2044]
    code:
      - path: src/internal/operators/shareReplay.ts
        symbol: shareReplay

  - id: P-4
    title: firstValueFrom rejects with EmptyError when a stream completes empty
    status: validated
    severity: medium
    personas: [app-developer]
    tags: [errors, promises]
    validated: 2026-09-18
    evidence:
      - kind: interview
        quote: "EmptyError, no elements in sequence. Which sequence? We have forty."
        persona: app-developer
        date: 2026-09-18
    tickets: [DX-2301]
    code:
      - path: src/internal/firstValueFrom.ts
        symbol: firstValueFrom

  - id: P-14
    title: Search boxes fire one request per keystroke
    status: hypothesis
    severity: low
    personas: [app-developer]
    tags: [performance]
    evidence:
      - kind: usage-data
        summary: Sample apps in the docs playground send a request on every key.
        date: 2026-11-10
`;

/** Folder-relative facts the scenario asserts against. */
export const FACTS = {
  referencesProblem: 'P-7',
  /** Find All References on P-7's id: at least these files. */
  referenceFiles: ['customer-insights.yaml', 'retry.ts', 'retryWhen.ts', 'repeat.ts'],
  treeProblem: 'P-7',
  treeProblemTitle: 'retry() hammers a failing backend with no back-off',
  /** A function a `@why P-9` tag covers, with no doc comment (TypeScript's own hover stays short). */
  hoverProblem: 'P-9',
  hoverProblemTitle: 'Unhandled errors surface far from the subscribe() that caused them',
  hoverFile: 'src/internal/Subscriber.ts',
  hoverName: 'handleUnhandledError',
  hoverLine: 'function handleUnhandledError(error: any) {',
};

/** Writes the workspace into `dir` (which must not exist or be empty); returns { dir, facts }. */
export function prepareRealCode(dir) {
  const src = rxjsSources();
  fs.mkdirSync(dir, { recursive: true });
  fs.cpSync(src, path.join(dir, 'src'), { recursive: true });
  for (const { file, before, lines } of INSERTS) {
    const full = path.join(dir, file);
    const text = fs.readFileSync(full, 'utf8').split('\n');
    const at = text.findIndex((l) => l.startsWith(before));
    if (at < 0) throw new Error(`rxjs ${RXJS_VERSION}: no line starting with "${before}" in ${file}`);
    text.splice(at, 0, ...lines);
    fs.writeFileSync(full, text.join('\n'));
  }
  const insights = INSIGHTS.replace(/\{\{line:([^:]+):(.+?)\}\}/g, (_, file, needle) => {
    const line = fs.readFileSync(path.join(dir, file), 'utf8').split('\n').findIndex((l) => l.trim().startsWith(needle));
    if (line < 0) throw new Error(`no "${needle}" in ${file}`);
    return String(line + 1);
  });
  fs.writeFileSync(path.join(dir, 'customer-insights.yaml'), insights);
  fs.writeFileSync(path.join(dir, 'README.md'), `# rxjs ${RXJS_VERSION} (src/ only)\n\nThe TypeScript sources of rxjs ${RXJS_VERSION} from npm, with a customer-insights.yaml, a few \`@why\` tags and ticket comments written by test/ui/lib/realcode.mjs for the realcode UI scenario.\n`);
  return { dir, facts: FACTS };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = path.resolve(process.argv[2] ?? fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-realcode-')), process.argv[2] ? '' : 'rxjs');
  prepareRealCode(dir);
  console.log(dir);
}
