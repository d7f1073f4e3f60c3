// Desktop runner: the integration suite (out/test/integration/index) in a desktop VS Code through
// @vscode/test-electron, once on examples/acme-shop and once on examples/acme.code-workspace.
// Compiled to out/test/runners/electron.js by `node esbuild.js --tests`; run with `npm run test:electron`.
//
// @vscode/test-electron downloads VS Code into .vscode-test/ unless CUSTOMER_LENS_VSCODE_EXECUTABLE
// names an installed one (e.g. /usr/share/code/code). Where VS Code cannot be downloaded (no
// internet) the run fails after a bounded wait with a message saying what to do instead; the offline
// runner (`npm run test:integration`: code-server in headless Chromium) needs no download.
// On Linux without a display, run it under xvfb-run.
//
// Environment: CUSTOMER_LENS_VSCODE_EXECUTABLE, CUSTOMER_LENS_VSCODE_VERSION (default: the version
// that satisfies engines.vscode), CUSTOMER_LENS_TEST_GREP (passed on to the suite).
// Prints `electron: N passed, N failed`. Exit: 0 all passed, 1 a test failed, 2 VS Code unavailable
// or a run crashed.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';

const REPO = path.resolve(__dirname, '..', '..', '..'); // out/test/runners -> repo root
const EXTENSION_TESTS_PATH = path.join(REPO, 'out', 'test', 'integration', 'index');
const WORKSPACES = ['examples/acme-shop', 'examples/acme.code-workspace'];
const DOWNLOAD_TIMEOUT_MS = 120_000;

interface SuiteResult { passes: number; failures: number; pending: number }

async function resolveExecutable(): Promise<string> {
  const fromEnv = process.env.CUSTOMER_LENS_VSCODE_EXECUTABLE;
  if (fromEnv) {
    if (!fs.existsSync(fromEnv)) throw new Error(`CUSTOMER_LENS_VSCODE_EXECUTABLE=${fromEnv} does not exist`);
    return fromEnv;
  }
  console.log(`[electron] no CUSTOMER_LENS_VSCODE_EXECUTABLE: asking @vscode/test-electron for VS Code (cache ${path.join(REPO, '.vscode-test')})`);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no VS Code after ${DOWNLOAD_TIMEOUT_MS / 1000} s`)), DOWNLOAD_TIMEOUT_MS);
  });
  try {
    return await Promise.race([
      downloadAndUnzipVSCode({
        version: process.env.CUSTOMER_LENS_VSCODE_VERSION,
        cachePath: path.join(REPO, '.vscode-test'),
        extensionDevelopmentPath: REPO,
        timeout: 15_000,
      }),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function runOne(executable: string, workspace: string): Promise<{ passed: number; failed: number; skipped: number; crashed: boolean }> {
  const resultFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-electron-')), 'result.json');
  console.log(`\n== integration suite on ${workspace} (desktop VS Code)`);
  let exitError: unknown;
  try {
    await runTests({
      vscodeExecutablePath: executable,
      extensionDevelopmentPath: REPO,
      extensionTestsPath: EXTENSION_TESTS_PATH,
      launchArgs: [path.join(REPO, workspace), '--disable-extensions'],
      extensionTestsEnv: {
        CUSTOMER_LENS_TEST_RESULT_FILE: resultFile,
        ...(process.env.CUSTOMER_LENS_TEST_GREP ? { CUSTOMER_LENS_TEST_GREP: process.env.CUSTOMER_LENS_TEST_GREP } : {}),
      },
    });
  } catch (e) {
    exitError = e;
  }
  let r: SuiteResult | undefined;
  try { r = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as SuiteResult; } catch { r = undefined; }
  fs.rmSync(path.dirname(resultFile), { recursive: true, force: true });
  if (!r) {
    console.log(`[electron] no result from the suite on ${workspace}: ${exitError instanceof Error ? exitError.message : 'no result file'}`
      + (process.platform === 'linux' && !process.env.DISPLAY ? ' (no DISPLAY: run under xvfb-run)' : ''));
    return { passed: 0, failed: 1, skipped: 0, crashed: true };
  }
  const crashed = exitError !== undefined && r.failures === 0;
  return { passed: r.passes, failed: r.failures + (crashed ? 1 : 0), skipped: r.pending, crashed };
}

async function main(): Promise<number> {
  if (!fs.existsSync(`${EXTENSION_TESTS_PATH}.js`)) {
    console.error('[electron] out/test/integration/index.js is missing: run `node esbuild.js --tests` first');
    return 2;
  }
  let executable: string;
  try {
    executable = await resolveExecutable();
  } catch (e) {
    console.error(`[electron] ERROR: could not get a desktop VS Code: ${e instanceof Error ? e.message : String(e)}`);
    if (!process.env.CUSTOMER_LENS_VSCODE_EXECUTABLE) {
      console.error('[electron] This machine may have no internet access to download VS Code. Either set'
        + ' CUSTOMER_LENS_VSCODE_EXECUTABLE=/path/to/code (an installed VS Code), or use the offline runner:'
        + ' npm run test:integration');
    }
    console.log('electron: 0 passed, 1 failed');
    return 2;
  }
  console.log(`[electron] VS Code: ${executable}`);
  const total = { passed: 0, failed: 0, skipped: 0, crashed: false };
  for (const ws of WORKSPACES) {
    const c = await runOne(executable, ws);
    total.passed += c.passed; total.failed += c.failed; total.skipped += c.skipped; total.crashed ||= c.crashed;
  }
  if (total.skipped) console.log(`(${total.skipped} integration test(s) skipped: they need another workspace shape)`);
  console.log(`electron: ${total.passed} passed, ${total.failed} failed`);
  return total.crashed ? 2 : total.failed > 0 ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => {
  console.error(`[electron] ERROR: ${e instanceof Error ? e.stack : String(e)}`);
  process.exit(2);
});
