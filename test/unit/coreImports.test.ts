// The core (src/core) is plain TypeScript: it runs in the extension host, in a worker and in the CLI,
// so it must not depend on the editor API nor do any I/O of its own.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './helpers';

/** Modules the core must never load: the editor API, the file system, processes and threads. */
const FORBIDDEN = ['vscode', 'fs', 'fs/promises', 'child_process', 'worker_threads'];

/** Module specifiers a source text loads: static and dynamic imports, re-exports and require calls. */
export function importedModules(source: string): string[] {
  const specifiers: string[] = [];
  const forms = [
    /\bfrom\s*(['"`])([^'"`\n]+)\1/g, // import x from 'm'; export { y } from 'm'
    /\bimport\s*(['"`])([^'"`\n]+)\1/g, // import 'm'
    /\bimport\s*\(\s*(['"`])([^'"`\n]+)\1\s*\)/g, // import('m')
    /\brequire\s*\(\s*(['"`])([^'"`\n]+)\1\s*\)/g, // require('m'), import x = require('m')
  ];
  for (const form of forms) for (const m of source.matchAll(form)) specifiers.push(m[2]);
  return specifiers;
}

/** The forbidden modules a source text loads ('node:' prefixes and subpaths included). */
export function forbiddenImports(source: string): string[] {
  return importedModules(source).filter((spec) => {
    const bare = spec.replace(/^node:/, '');
    return FORBIDDEN.some((f) => bare === f || bare.startsWith(`${f}/`));
  });
}

function tsFilesUnder(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(dir, f));
}

describe('core imports', () => {
  describe('the detector itself', () => {
    it('finds a namespace import of vscode', () => {
      assert.deepEqual(forbiddenImports(`import * as vscode from 'vscode';\nexport const x = 1;`), ['vscode']);
    });

    it('finds named, default, type-only and side-effect imports', () => {
      assert.deepEqual(forbiddenImports(`import { Uri } from "vscode";`), ['vscode']);
      assert.deepEqual(forbiddenImports(`import vscode from 'vscode'`), ['vscode']);
      assert.deepEqual(forbiddenImports(`import type { TextDocument } from 'vscode';`), ['vscode']);
      assert.deepEqual(forbiddenImports(`import 'vscode';`), ['vscode']);
      assert.deepEqual(forbiddenImports(`export { window } from 'vscode';`), ['vscode']);
    });

    it('finds require, import = require and dynamic import', () => {
      assert.deepEqual(forbiddenImports(`const vscode = require('vscode');`), ['vscode']);
      assert.deepEqual(forbiddenImports(`import vscode = require("vscode");`), ['vscode']);
      assert.deepEqual(forbiddenImports(`const fs = await import('node:fs');`), ['node:fs']);
    });

    it('finds the file system, processes and threads, with or without node:, and their subpaths', () => {
      assert.deepEqual(forbiddenImports(`import * as fs from 'fs';`), ['fs']);
      assert.deepEqual(forbiddenImports(`import * as fs from 'node:fs';`), ['node:fs']);
      assert.deepEqual(forbiddenImports(`import { readFile } from 'node:fs/promises';`), ['node:fs/promises']);
      assert.deepEqual(forbiddenImports(`import { spawn } from 'node:child_process';`), ['node:child_process']);
      assert.deepEqual(forbiddenImports(`const cp = require('child_process');`), ['child_process']);
      assert.deepEqual(forbiddenImports(`import { Worker } from 'worker_threads';`), ['worker_threads']);
      assert.deepEqual(forbiddenImports(`import { Worker } from 'node:worker_threads';`), ['node:worker_threads']);
    });

    it('finds an import spread over several lines', () => {
      assert.deepEqual(forbiddenImports(`import {\n  readFileSync,\n  statSync,\n} from 'node:fs';`), ['node:fs']);
    });

    it('allows pure modules and look-alike names', () => {
      assert.deepEqual(forbiddenImports(`import * as posix from 'node:path/posix';`), []);
      assert.deepEqual(forbiddenImports(`import { parseDocument } from 'yaml';\nimport picomatch from 'picomatch';`), []);
      assert.deepEqual(forbiddenImports(`import { x } from './fsHelpers';\nimport { y } from 'fs-extra-like';`), []);
      assert.deepEqual(forbiddenImports(`// the editor passes vscode symbols in; fs access happens elsewhere`), []);
    });
  });

  describe('src/core', () => {
    const coreDir = path.join(repoRoot(), 'src', 'core');
    const files = tsFilesUnder(coreDir);

    it('is found and holds the core modules (so the scan below is not vacuous)', () => {
      const names = files.map((f) => path.relative(coreDir, f).replace(/\\/g, '/'));
      for (const expected of ['model.ts', 'parse.ts', 'workspaceIndex.ts', 'anchors.ts', 'references.ts', 'search.ts', 'check.ts']) {
        assert.ok(names.includes(expected), `src/core/${expected} is missing from the scan (${names.join(', ')})`);
      }
      // The detector sees the imports the parser is known to have.
      const parseImports = importedModules(fs.readFileSync(path.join(coreDir, 'parse.ts'), 'utf8'));
      assert.ok(parseImports.includes('yaml'), `imports found in parse.ts: ${parseImports.join(', ')}`);
      assert.ok(parseImports.includes('./model'), `imports found in parse.ts: ${parseImports.join(', ')}`);
    });

    it('never imports or requires vscode', () => {
      const offenders = files.filter((f) => forbiddenImports(fs.readFileSync(f, 'utf8')).includes('vscode'));
      assert.deepEqual(offenders.map((f) => path.relative(coreDir, f)), []);
    });

    it('does no I/O: no fs, child_process or worker_threads', () => {
      const offenders: string[] = [];
      for (const f of files) {
        for (const spec of forbiddenImports(fs.readFileSync(f, 'utf8'))) offenders.push(`${path.relative(coreDir, f)}: ${spec}`);
      }
      assert.deepEqual(offenders, []);
    });
  });
});

describe('the vscode module', () => {
  // `import * as vscode` bundles to `__toESM(require("vscode"))` at every import site, and each one
  // copies the whole API namespace while the extension loads (24 ms of the host's thread for 34
  // files, in a profile). `import vscode = require('vscode')` is one plain require.
  it('is imported with import-equals everywhere under src/, never as a namespace', () => {
    const offenders = tsFilesUnder(path.join(repoRoot(), 'src'))
      .filter((f) => /^import \* as \w+ from ['"]vscode['"]/m.test(fs.readFileSync(f, 'utf8')))
      .map((f) => path.relative(repoRoot(), f));
    assert.deepEqual(offenders, []);
  });
});
