// The real-VS-Code part of `npm run bench`: for each size, a throwaway code-server (the offline
// test runner's) opens bench-data/<size>/ with the extension, and bench/hostProbe.ts measures inside
// the extension host: activate() time, and the longest block of the host's thread during a reload
// and during an unsaved edit of the insights file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { ensureCodeServer, checkPrerequisites, CHROMIUM, REPO } from '../test/runners/offline/install.mjs';
import { startCodeServer, prepareUserDataDir, sleep } from '../test/runners/offline/server.mjs';

export async function benchInVSCode(sizes, { log = console.log } = {}) {
  checkPrerequisites();
  const bin = await ensureCodeServer({ log: () => {} });
  const browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const results = {};
  try {
    for (const size of sizes) {
      const runDir = fs.mkdtempSync(path.join(os.tmpdir(), `customer-lens-bench-${size}-`));
      const resultFile = path.join(runDir, 'bench.json');
      const udd = path.join(runDir, 'udd');
      prepareUserDataDir(udd);
      let server;
      let context;
      try {
        server = await startCodeServer({
          bin, runDir, userDataDir: udd, extensionsDir: path.join(runDir, 'extensions'),
          env: { CUSTOMER_LENS_BENCH_RESULT: resultFile },
        });
        context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        const page = await context.newPage();
        const exited = new Promise((resolve) => { page.exposeFunction('codeAutomationExit', (code) => resolve(code)).catch(() => {}); });
        await page.goto(server.url({
          workspace: path.join(REPO, 'bench-data', size),
          extensionDevelopmentPath: REPO,
          extensionTestsPath: path.join(REPO, 'out', 'bench', 'hostProbe'),
        }));
        const code = await Promise.race([exited, sleep(300_000).then(() => 'timeout')]);
        results[size] = fs.existsSync(resultFile) ? JSON.parse(fs.readFileSync(resultFile, 'utf8')) : { error: `no result (exit ${code})` };
        log(`  ${size}: done (extension host exit ${code})`);
      } finally {
        await context?.close().catch(() => {});
        await server?.stop();
        fs.rmSync(runDir, { recursive: true, force: true });
      }
    }
  } finally {
    await browser.close();
  }
  return results;
}
