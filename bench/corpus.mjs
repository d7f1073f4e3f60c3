#!/usr/bin/env node
// Builds the real-code corpus the benchmarks measure on: open-source packages from the npm registry
// (TypeScript sources of effect, rxjs and zod; JavaScript of three, lodash, date-fns, typescript;
// type declarations), installed into bench-data/corpus/ with their node_modules folder renamed to
// packages/ so the checker scans them like a workspace's own code. Nobody here wrote this code: it
// has thousands of files, odd names, long lines and generated bundles.
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

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureCorpus({ force: process.argv.includes('--force') });
  console.log(CORPUS);
}
