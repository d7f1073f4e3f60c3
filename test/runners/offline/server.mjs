// Starting and stopping a code-server (VS Code 1.100.3 server + web workbench) on 127.0.0.1, and the
// workbench URL that loads the extension under development. Shared by run.mjs (tests) and
// scripts/start.mjs (npm start).
//
// code-server runs in its own session and process group (spawn's `detached` = setsid), and is stopped
// by killing that group: VS Code's server otherwise keeps extension hosts and watchers alive for hours.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** Settings of a throwaway user-data-dir: no tips, no update checks, no marketplace, no trust prompt. */
export const WORKBENCH_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'workbench.enableExperiments': false,
  'chat.commandCenter.enabled': false,
  'editor.hover.delay': 100,
  'git.openRepositoryInParentFolders': 'never', // the examples live inside this repo: no "open the repository?" toast
  // VS Code for the Web saves after a delay by default; desktop VS Code does not. Tests edit unsaved
  // buffers of the examples and must never write them to disk.
  'files.autoSave': 'off',
};

/** Writes User/settings.json into a user-data-dir unless it already has one (a kept, personal one). */
export function prepareUserDataDir(userDataDir, { overwrite = true } = {}) {
  const file = path.join(userDataDir, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (overwrite || !fs.existsSync(file)) fs.writeFileSync(file, JSON.stringify(WORKBENCH_SETTINGS, null, 2) + '\n');
}

/** A port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/** True when nothing listens on 127.0.0.1:port. */
export function portIsFree(port) {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/**
 * Starts code-server and resolves once /healthz answers.
 * @param {object} o
 * @param {string} o.bin              code-server binary
 * @param {string} o.runDir           gets config.yaml and code-server.log
 * @param {string} o.userDataDir
 * @param {string} o.extensionsDir
 * @param {number} [o.port]           default: a free port
 * @param {Record<string,string>} [o.env]  extra environment (reaches the extension host)
 * @param {number} [o.startTimeoutMs]
 */
export async function startCodeServer({ bin, runDir, userDataDir, extensionsDir, port, env = {}, startTimeoutMs = 60_000 }) {
  port = port || await freePort();
  fs.mkdirSync(runDir, { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  const config = path.join(runDir, 'config.yaml');
  fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const logFile = path.join(runDir, 'code-server.log');
  const logFd = fs.openSync(logFile, 'a');
  const t0 = Date.now();
  const child = spawn(bin, [
    '--config', config, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
  ], {
    detached: true, // setsid: code-server and everything it forks share one process group, id = child.pid
    stdio: ['ignore', logFd, logFd],
    // EXTENSIONS_GALLERY='{}': no (unreachable) marketplace.
    env: { ...process.env, EXTENSIONS_GALLERY: '{}', ...env },
  });
  fs.closeSync(logFd);
  const pgid = child.pid;
  let exited = null;
  const exitedPromise = new Promise((resolve) => child.on('exit', (code, sig) => { exited = sig || code; resolve(exited); }));
  const killSync = () => { try { process.kill(-pgid, 'SIGKILL'); } catch { /* already gone */ } };
  process.on('exit', killSync); // last resort if the caller dies without stop()

  const server = {
    port, pgid, logFile,
    host: `127.0.0.1:${port}`,
    origin: `http://127.0.0.1:${port}`,
    startMs: 0,
    /** Resolves with code-server's exit code (or signal) when its main process ends. */
    exited: exitedPromise,
    /** A path on the server's machine (this one) as the workbench sees it. */
    remote: (p) => `vscode-remote://127.0.0.1:${port}${p.split(path.sep).join('/')}`,
    /** The workbench URL; see workbenchUrl(). */
    url: (opts) => workbenchUrl({ ...opts, origin: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}` }),
    async stop() {
      process.removeListener('exit', killSync);
      try { process.kill(-pgid, 'SIGTERM'); } catch { return; }
      for (let i = 0; i < 50; i++) {
        try { process.kill(-pgid, 0); } catch { return; }
        await sleep(100);
      }
      killSync();
    },
  };

  const deadline = Date.now() + startTimeoutMs;
  while (Date.now() < deadline) {
    if (exited !== null) break;
    try {
      const r = await fetch(`${server.origin}/healthz`);
      if (r.ok) { server.startMs = Date.now() - t0; return server; }
    } catch { /* not up yet */ }
    await sleep(100);
  }
  await server.stop();
  const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
  throw new Error(`code-server did not start on 127.0.0.1:${port} (${exited !== null ? `exited: ${exited}` : 'timeout'}); ${logFile}:\n${tail}`);
}

/**
 * The workbench URL. `workspace` is a folder or a `.code-workspace` file (absolute path); the
 * extension under development and the test entry travel in the `payload` parameter, the only way
 * code-server's extension host loads them.
 */
export function workbenchUrl({ origin, host, workspace, extensionDevelopmentPath, extensionTestsPath, openFile }) {
  const remote = (p) => `vscode-remote://${host}${p}`;
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  if (openFile) payload.push(['openFile', remote(openFile)]);
  const q = [];
  if (workspace) q.push(`${workspace.endsWith('.code-workspace') ? 'workspace' : 'folder'}=${encodeURIComponent(workspace)}`);
  if (payload.length) q.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  return `${origin}/${q.length ? `?${q.join('&')}` : ''}`;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
