// Runs the built CLI (dist/cli.js) as a child process, the way CI and scripts run it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';

/** The repository root: the nearest directory above this file holding package.json and src/cli. */
export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'src', 'cli'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no repository root above ${__dirname}`);
    dir = up;
  }
}

export const ROOT = repoRoot();
export const CLI = path.join(ROOT, 'dist', 'cli.js');
export const TODAY = '2026-11-22';

export interface CliRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall-clock milliseconds. */
  ms: number;
  /** CPU milliseconds (user + system) the CLI process used, when it exited by itself. */
  cpuMs?: number;
}

let cpuHook: string | undefined;

/** A preload script that writes the process's CPU time to $CUSTOMER_LENS_CPU_FILE on exit. */
function cpuHookFile(): string {
  if (!cpuHook) {
    cpuHook = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-cli-')), 'cpu-hook.js');
    fs.writeFileSync(cpuHook, [
      "process.on('exit', () => {",
      '  const u = process.cpuUsage();',
      "  require('node:fs').writeFileSync(process.env.CUSTOMER_LENS_CPU_FILE, String((u.user + u.system) / 1000));",
      '});',
    ].join('\n'));
  }
  return cpuHook;
}

/** Runs `customer-lens ARGS` from the repository root; kills it after `timeoutMs`. */
export function runCli(args: string[], options: { cwd?: string; timeoutMs?: number } = {}): CliRun {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" (or "node esbuild.js --tests") first`);
  const cpuFile = path.join(path.dirname(cpuHookFile()), `cpu-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  const start = Date.now();
  const r = spawnSync(process.execPath, ['--require', cpuHookFile(), CLI, ...args], {
    cwd: options.cwd ?? ROOT,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 20_000,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, CUSTOMER_LENS_CPU_FILE: cpuFile, NO_COLOR: '1' },
  });
  const ms = Date.now() - start;
  let cpuMs: number | undefined;
  if (fs.existsSync(cpuFile)) {
    cpuMs = Number(fs.readFileSync(cpuFile, 'utf8'));
    fs.rmSync(cpuFile);
  }
  return { status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '', ms, cpuMs };
}
