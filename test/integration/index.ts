// Integration test entry. VS Code's extension host requires this file (extensionTestsPath =
// <repo>/out/test/integration/index) and awaits the Promise that run() returns: resolving makes the
// host exit with 0, rejecting with 1. Used by both runners: test/runners/offline (code-server in
// headless Chromium) and test/runners/electron.ts (desktop VS Code through @vscode/test-electron).
//
// Environment (set by the runners on code-server / VS Code; the extension host inherits it):
//   CUSTOMER_LENS_TEST_RESULT_FILE  where to write the JSON result (default <repo>/test-results.json)
//   CUSTOMER_LENS_TEST_GREP         only run tests whose full title matches this regular expression
//   CUSTOMER_LENS_SCREENSHOT_DIR    a folder tests may write artefacts into (the driver's screenshots go there)
//
// Output: one plain string per console.log call, because the web workbench forwards extension-host
// console output to the page without printf-style formatting (mocha's own reporters print "%s" lines):
//   CL-TEST PASS <full title> (12 ms) | CL-TEST FAIL <full title>: <message> | CL-TEST SKIP <full title>
//   CL-RESULT <n> passed, <n> failed, <n> skipped
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export interface TestRecord {
  title: string;
  state: 'passed' | 'failed' | 'skipped';
  durationMs?: number;
  error?: string;
}

export interface SuiteResult {
  passes: number;
  failures: number;
  pending: number;
  workspaceFolders: number;
  tests: TestRecord[];
  finished: string;
}

/** Mocha reporter that prints nothing: run() prints its own one-string lines. */
class QuietReporter {
  constructor(_runner: Mocha.Runner) {}
}

export function run(): Promise<void> {
  const grep = process.env.CUSTOMER_LENS_TEST_GREP;
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: 60_000,
    reporter: QuietReporter as unknown as Mocha.ReporterConstructor,
    ...(grep ? { grep: new RegExp(grep) } : {}),
  });
  for (const f of fs.readdirSync(__dirname).sort()) {
    if (f.endsWith('.test.js')) mocha.addFile(path.join(__dirname, f));
  }
  const resultFile = process.env.CUSTOMER_LENS_TEST_RESULT_FILE
    || process.env.E2E_RESULT_FILE
    || path.join(__dirname, '..', '..', '..', 'test-results.json');
  const folders = vscodeFolderCount();
  console.log(`CL-SUITE start: ${folders} workspace folder(s)${grep ? `, grep ${JSON.stringify(grep)}` : ''}`);

  return new Promise((resolve, reject) => {
    const tests: TestRecord[] = [];
    let runner: Mocha.Runner;
    try {
      runner = mocha.run((failures) => {
        const result: SuiteResult = {
          passes: tests.filter((t) => t.state === 'passed').length,
          failures,
          pending: tests.filter((t) => t.state === 'skipped').length,
          workspaceFolders: folders,
          tests,
          finished: new Date().toISOString(),
        };
        try {
          fs.mkdirSync(path.dirname(resultFile), { recursive: true });
          fs.writeFileSync(resultFile, JSON.stringify(result, null, 2));
        } catch (e) {
          console.log(`CL-SUITE could not write ${resultFile}: ${String(e)}`);
        }
        console.log(`CL-RESULT ${result.passes} passed, ${failures} failed, ${result.pending} skipped`);
        if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
        else resolve();
      });
    } catch (e) {
      reject(e);
      return;
    }
    runner.on('pass', (t) => {
      tests.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration });
      console.log(`CL-TEST PASS ${t.fullTitle()} (${t.duration ?? 0} ms)`);
    });
    runner.on('fail', (t, err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      const stack = err instanceof Error && err.stack ? err.stack : '';
      tests.push({ title: t.fullTitle(), state: 'failed', error: stack || message });
      console.log(`CL-TEST FAIL ${t.fullTitle()}: ${message}`);
      const frames = stack.split('\n').filter((l) => /^\s+at /.test(l)).slice(0, 5);
      if (frames.length) console.log(`CL-STACK ${frames.join('\n')}`);
    });
    runner.on('pending', (t) => {
      tests.push({ title: t.fullTitle(), state: 'skipped' });
      console.log(`CL-TEST SKIP ${t.fullTitle()}`);
    });
  });
}

function vscodeFolderCount(): number {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const vscode = require('vscode') as typeof import('vscode');
    return vscode.workspace.workspaceFolders?.length ?? 0;
  } catch {
    return 0;
  }
}
