#!/usr/bin/env node
// Installs code-server 4.100.3 (VS Code 1.100.3 server + web workbench, the last release that runs on
// Node 20) into <repo>/.vscode-test/code-server-4.100.3/, once. Later calls find the marker file and
// return at once, the way @vscode/test-electron caches a downloaded VS Code in .vscode-test/.
//
// Offline facts this relies on (only the npm registry and Debian apt are reachable):
//  - @vscode/ripgrep (a dependency of VS Code's server) downloads rg from GitHub in its postinstall;
//    we seed its download cache with Debian's /usr/bin/rg (ripgrep 13.0.0, the version it wants).
//  - code-server's postinstall builds native modules (node-pty, kerberos: needs libkrb5-dev,
//    build-essential, python3) and refuses to run as root without --unsafe-perm.
//  - node-pty's postinstall runs `npx node-gyp`; npm_config_yes=true keeps a `yes=false` npmrc from
//    cancelling it.
//
// Usage: node test/runners/offline/install.mjs [--force]     (prints the code-server binary path)
// API:   import { ensureCodeServer } from './install.mjs'; const bin = await ensureCodeServer();
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const CACHE_DIR = path.join(REPO, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`);
export const CODE_SERVER_BIN = path.join(CACHE_DIR, 'node_modules', '.bin', 'code-server');
const MARKER = path.join(CACHE_DIR, '.installed');
const LOCK = `${CACHE_DIR}.lock`;
const LOG_FILE = path.join(CACHE_DIR, 'install.log');

// @vscode/ripgrep as pinned by code-server 4.100.3's VS Code, and the rg release it downloads.
const RIPGREP_PKG_VERSION = '1.15.11';
const RIPGREP_RELEASE = 'v13.0.0-10';
const RG_TARGETS = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' };

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const APT_HINT = 'run `bash .ci/run` once, or: apt-get update && apt-get install -y chromium ripgrep libkrb5-dev build-essential python3';

/** Throws a clear error when the Debian prerequisites are missing. */
export function checkPrerequisites({ needBrowser = true, needBuildTools = false } = {}) {
  const missing = [];
  if (needBrowser && !fs.existsSync(CHROMIUM)) missing.push(`chromium (${CHROMIUM})`);
  if (needBuildTools) {
    if (!which('rg')) missing.push('rg (Debian package ripgrep)');
    if (!which('make') || !which('g++')) missing.push('make/g++ (Debian package build-essential)');
    if (!which('python3')) missing.push('python3');
    if (!fs.existsSync('/usr/include/krb5.h') && !fs.existsSync('/usr/include/krb5/krb5.h')) missing.push('krb5 headers (Debian package libkrb5-dev)');
  }
  if (missing.length) throw new Error(`missing prerequisites: ${missing.join(', ')}\n  -> ${APT_HINT}`);
}

function which(cmd) {
  return (process.env.PATH || '').split(path.delimiter).some((d) => d && fs.existsSync(path.join(d, cmd)));
}

export function isInstalled() {
  return fs.existsSync(MARKER) && fs.existsSync(CODE_SERVER_BIN);
}

/** Puts Debian's rg into @vscode/ripgrep's download cache so its postinstall never goes online. */
function seedRipgrepCache(log) {
  const target = RG_TARGETS[process.arch];
  if (!target) throw new Error(`no ripgrep target known for arch ${process.arch}`);
  const rg = ['/usr/bin/rg', ...(process.env.PATH || '').split(':').map((d) => path.join(d, 'rg'))].find((p) => fs.existsSync(p));
  if (!rg) throw new Error(`rg not found\n  -> ${APT_HINT}`);
  const cacheDir = path.join(os.tmpdir(), `vscode-ripgrep-cache-${RIPGREP_PKG_VERSION}`);
  const tarball = path.join(cacheDir, `ripgrep-${RIPGREP_RELEASE}-${target}.tar.gz`);
  if (fs.existsSync(tarball)) { log(`ripgrep cache already seeded: ${tarball}`); return; }
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-rg-'));
  try {
    fs.copyFileSync(rg, path.join(stage, 'rg'));
    fs.chmodSync(path.join(stage, 'rg'), 0o755);
    fs.mkdirSync(cacheDir, { recursive: true });
    const r = spawnSync('tar', ['czf', tarball, '-C', stage, 'rg'], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`tar failed creating ${tarball}`);
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
  log(`seeded ripgrep cache with ${rg}: ${tarball}`);
}

async function acquireLock(log) {
  const deadline = Date.now() + 20 * 60_000;
  for (let warned = false; ; ) {
    try { fs.mkdirSync(LOCK); fs.writeFileSync(path.join(LOCK, 'pid'), String(process.pid)); return; } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    let holder = NaN;
    try { holder = Number(fs.readFileSync(path.join(LOCK, 'pid'), 'utf8')); } catch { /* being written */ }
    let alive = false;
    if (holder > 0) { try { process.kill(holder, 0); alive = true; } catch { alive = false; } }
    if (holder > 0 && !alive) { fs.rmSync(LOCK, { recursive: true, force: true }); continue; } // stale
    if (!warned) { log(`another install is running (pid ${holder || '?'}); waiting`); warned = true; }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${LOCK}`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}

/**
 * Returns the path of the cached code-server binary, installing it first if needed.
 * @param {{log?: (s: string) => void, force?: boolean}} [opts]
 */
export async function ensureCodeServer({ log = (s) => console.log(`[code-server install] ${s}`), force = false } = {}) {
  if (!force && isInstalled()) return CODE_SERVER_BIN;
  checkPrerequisites({ needBrowser: false, needBuildTools: true });
  fs.mkdirSync(path.dirname(CACHE_DIR), { recursive: true });
  await acquireLock(log);
  try {
    if (!force && isInstalled()) return CODE_SERVER_BIN; // someone else finished meanwhile
    const t0 = Date.now();
    log(`installing code-server ${CODE_SERVER_VERSION} into ${path.relative(REPO, CACHE_DIR)}/ (first use only; a few minutes: VS Code's native modules are built)`);
    fs.rmSync(MARKER, { force: true });
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    const pkg = path.join(CACHE_DIR, 'package.json');
    if (!fs.existsSync(pkg)) fs.writeFileSync(pkg, JSON.stringify({ name: 'customer-lens-code-server', private: true }, null, 2) + '\n');
    seedRipgrepCache(log);
    const env = { ...process.env, npm_config_yes: 'true', npm_config_unsafe_perm: 'true', npm_config_audit: 'false', npm_config_fund: 'false' };
    const logFd = fs.openSync(LOG_FILE, 'w');
    const child = spawn('npm', ['install', '--unsafe-perm', '--no-audit', '--no-fund', '--no-save', `code-server@${CODE_SERVER_VERSION}`],
      { cwd: CACHE_DIR, env, stdio: ['ignore', logFd, logFd] });
    const ticker = setInterval(() => {
      const size = fs.existsSync(LOG_FILE) ? fs.statSync(LOG_FILE).size : 0;
      log(`... still installing (${Math.round((Date.now() - t0) / 1000)} s, log ${path.relative(REPO, LOG_FILE)}: ${size} bytes)`);
    }, 30_000);
    const code = await new Promise((resolve) => { child.on('exit', (c, sig) => resolve(sig ? 128 : c)); child.on('error', () => resolve(127)); });
    clearInterval(ticker);
    fs.closeSync(logFd);
    if (code !== 0) {
      const tail = fs.readFileSync(LOG_FILE, 'utf8').split('\n').slice(-40).join('\n');
      throw new Error(`npm install code-server@${CODE_SERVER_VERSION} failed (exit ${code}); last lines of ${LOG_FILE}:\n${tail}`);
    }
    // The parts that fail silently offline: ripgrep's binary and node-pty's native module.
    const vscodeModules = path.join(CACHE_DIR, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules');
    for (const f of [CODE_SERVER_BIN, path.join(vscodeModules, '@vscode', 'ripgrep', 'bin', 'rg'),
      path.join(vscodeModules, 'node-pty', 'build', 'Release', 'pty.node')]) {
      if (!fs.existsSync(f)) throw new Error(`code-server install incomplete: ${f} is missing (see ${LOG_FILE})`);
    }
    const v = spawnSync(CODE_SERVER_BIN, ['--version', '--config', '/dev/null'], { encoding: 'utf8' });
    if (v.status !== 0) throw new Error(`installed code-server does not start: ${v.stderr || v.stdout}`);
    fs.writeFileSync(MARKER, `${CODE_SERVER_VERSION}\n${new Date().toISOString()}\n`);
    log(`installed in ${Math.round((Date.now() - t0) / 1000)} s: ${v.stdout.trim().split('\n').pop()}`);
    return CODE_SERVER_BIN;
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureCodeServer({ force: process.argv.includes('--force') })
    .then((bin) => { console.log(bin); })
    .catch((e) => { console.error(`[code-server install] ERROR: ${e.message}`); process.exit(1); });
}
