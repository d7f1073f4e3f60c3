#!/usr/bin/env node
// `npm start`: build Customer Lens and open it in a real VS Code on the example workspace.
//  - With a desktop VS Code (CUSTOMER_LENS_VSCODE_EXECUTABLE, or `code` on PATH): opens it with
//    --extensionDevelopmentPath=<repo> <repo>/examples/acme-shop.
//  - Otherwise: code-server 4.100.3 (VS Code 1.100.3 in the browser; installed into .vscode-test/ on
//    first use) on 127.0.0.1, with a persistent profile in .vscode-test/start-user-data/, and prints the
//    address to open. That address carries the extension under development in its `payload`
//    parameter: code-server's extension host loads it only that way. Runs until Ctrl-C.
//
// Options: --port <n> (or env PORT; default 3080)   --workspace <folder|.code-workspace> (default examples/acme-shop)
//          --no-build   --browser-only (use code-server even when a desktop VS Code is there)
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = 'usage: npm start -- [--port <n>] [--workspace <folder|.code-workspace>] [--no-build] [--browser-only]';

function parseArgs(argv) {
  const o = { port: Number(process.env.PORT) || 3080, workspace: 'examples/acme-shop', build: true, browserOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--port') o.port = Number(argv[++i]);
    else if (a === '--workspace') o.workspace = argv[++i];
    else if (a === '--no-build') o.build = false;
    else if (a === '--browser-only') o.browserOnly = true;
    else if (a === '-h' || a === '--help') { console.log(USAGE); process.exit(0); }
    else { console.error(`unknown argument ${a}\n${USAGE}`); process.exit(2); }
  }
  if (!Number.isInteger(o.port) || o.port <= 0 || o.port > 65535) { console.error(`bad port ${o.port}\n${USAGE}`); process.exit(2); }
  o.workspace = path.resolve(REPO, o.workspace);
  return o;
}

function desktopVSCode() {
  const env = process.env.CUSTOMER_LENS_VSCODE_EXECUTABLE;
  if (env) return env;
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    const p = dir && path.join(dir, 'code');
    if (p && fs.existsSync(p)) return p;
  }
  return undefined;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(o.workspace)) throw new Error(`workspace not found: ${o.workspace}`);
  if (o.build) {
    console.log('[start] npm run build');
    const b = spawnSync('npm', ['run', '--silent', 'build'], { cwd: REPO, stdio: 'inherit' });
    if (b.status !== 0) throw new Error('the build failed');
  }
  if (!fs.existsSync(path.join(REPO, 'dist', 'extension.js'))) console.log('[start] WARNING: dist/extension.js is missing: the extension will not load');

  const code = o.browserOnly ? undefined : desktopVSCode();
  if (code) {
    console.log(`[start] opening ${code} --extensionDevelopmentPath=${REPO} ${o.workspace}`);
    const r = spawnSync(code, [`--extensionDevelopmentPath=${REPO}`, o.workspace], { stdio: 'inherit' });
    return r.status ?? 1;
  }

  // No desktop VS Code: the same VS Code in the browser.
  const { ensureCodeServer } = await import('../test/runners/offline/install.mjs');
  const { startCodeServer, prepareUserDataDir, portIsFree } = await import('../test/runners/offline/server.mjs');
  const bin = await ensureCodeServer();
  if (!(await portIsFree(o.port))) throw new Error(`port ${o.port} on 127.0.0.1 is in use: pick another with --port <n> (or PORT=<n>)`);
  const state = path.join(REPO, '.vscode-test');
  const userDataDir = path.join(state, 'start-user-data');
  prepareUserDataDir(userDataDir, { overwrite: false }); // keep what the person changed last time
  const server = await startCodeServer({
    bin, runDir: path.join(state, 'start-run'), userDataDir, extensionsDir: path.join(state, 'start-extensions'), port: o.port,
  });
  const url = server.url({ workspace: o.workspace, extensionDevelopmentPath: REPO });
  let stopping = false;
  const stop = async (why) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n[start] ${why}: stopping code-server`);
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => stop('Ctrl-C'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGHUP', () => stop('SIGHUP'));
  console.log(`
[start] Customer Lens is running in VS Code ${'1.100.3'} (code-server) on 127.0.0.1:${o.port}, log ${path.relative(REPO, server.logFile)}
[start] Open this address in a browser on this machine (it loads the extension under development and ${path.relative(REPO, o.workspace)}):

${url}

[start] Plain http://127.0.0.1:${o.port}/ opens VS Code without the extension. Press Ctrl-C to stop.`);
  const exit = await server.exited;
  if (!stopping) {
    console.error(`[start] code-server exited by itself (${exit}); see ${server.logFile}`);
    await server.stop();
    return 1;
  }
  return 0;
}

main().then((c) => { if (c !== undefined) process.exit(c); }, (e) => {
  console.error(`[start] ERROR: ${e.message}`);
  process.exit(1);
});
