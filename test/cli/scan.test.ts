// `customer-lens check`, `why` and `trace` on folders that fight back: files that cannot be read
// (permissions, a FIFO), symbolic links (a loop, links that leave the folder, a link inside it),
// the skip policy (dependencies and build output skipped, packages/ scanned), and files too large or
// binary to scan. Each case builds its own folder in a temporary directory.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli, TODAY } from './run';

const INSIGHTS = [
  'version: 1',
  'problems:',
  '  - id: T-1',
  '    title: Receipts print too slowly',
  '    severity: high',
  '    code:',
  '      - path: src/receipt.ts',
  '        symbol: Printer.print',
  '      - path: src/outside.ts',
  '        lines: 1',
  '',
].join('\n');

const RECEIPT = [
  'export class Printer {',
  '  // @why T-1',
  '  print(lines: string[]): void {',
  '    send(lines.join("\\n"));',
  '  }',
  '}',
  'declare function send(s: string): void;',
  '',
].join('\n');

const isRoot = process.getuid?.() === 0;

describe('customer-lens on unreadable files, links and skipped folders', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-scan-'));
  after(() => {
    // chmod 000 files and folders must not stop the clean-up: restore permissions top-down.
    const restore = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isSymbolicLink()) continue;
        fs.chmodSync(full, 0o755);
        if (entry.isDirectory()) restore(full);
      }
    };
    restore(tmp);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** A fresh folder holding the insights file, src/receipt.ts and the given extra files. */
  function folder(name: string, files: Record<string, string | Buffer> = {}): string {
    const root = path.join(tmp, name);
    fs.mkdirSync(path.join(root, 'src'), { recursive: true });
    fs.writeFileSync(path.join(root, 'customer-insights.yaml'), INSIGHTS);
    fs.writeFileSync(path.join(root, 'src', 'receipt.ts'), RECEIPT);
    for (const [file, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), content);
    }
    return root;
  }

  const check = (root: string, ...extra: string[]) => runCli(['check', '--root', root, '--today', TODAY, ...extra], { timeoutMs: 20_000 });

  it('a folder without surprises is clean (the baseline of the cases below)', () => {
    const run = check(folder('baseline', { 'src/outside.ts': 'one line\n' }));
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.equal(run.stdout, '1 insights file, 1 problem: 0 errors, 0 warnings, 0 info\n');
  });

  (isRoot ? it.skip : it)('a file without read permission is a note, not an abort (skipped as root: chmod does not stop root)', () => {
    const root = folder('unreadable', { 'src/outside.ts': 'x\n', 'src/secret.ts': '// @why NOPE-1\n' });
    fs.chmodSync(path.join(root, 'src', 'secret.ts'), 0o000);
    const run = check(root);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.equal(run.stderr, '');
    assert.match(run.stdout, /^src\/secret\.ts: note: not scanned: permission denied \(EACCES\)$/m);
    assert.match(run.stdout, /; 1 path not scanned\n$/);
    const json = JSON.parse(check(root, '--format', 'json').stdout) as { skipped: { file: string; kind: string }[] };
    assert.deepEqual(json.skipped.map((s) => `${s.file} ${s.kind}`), ['src/secret.ts unreadable']);
  });

  (isRoot ? it.skip : it)('a folder without read permission is a note, and the rest is still checked', () => {
    const root = folder('unreadable-dir', { 'src/outside.ts': 'x\n', 'src/locked/a.ts': '// @why NOPE-1\n', 'src/b.ts': '// @why NOPE-2\n' });
    fs.chmodSync(path.join(root, 'src', 'locked'), 0o000);
    const run = check(root);
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /^src\/locked\/: note: not scanned: permission denied \(EACCES\)$/m);
    assert.match(run.stdout, /^src\/b\.ts:1:9: error: .*"NOPE-2"/m);
  });

  it('a FIFO is a note and never opened (opening it would block the check); this runs as root too', function () {
    const root = folder('fifo', { 'src/outside.ts': 'x\n' });
    try {
      execFileSync('mkfifo', [path.join(root, 'src', 'pipe.ts')]);
    } catch {
      this.skip(); // no mkfifo on this system
    }
    const run = check(root);
    assert.equal(run.signal, null, `killed after ${run.ms} ms: the check blocked on the FIFO`);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /^src\/pipe\.ts: note: not scanned: not a regular file \(a named pipe\)$/m);
    assert.match(run.stdout, /1 path not scanned\n$/);
  });

  it('a loop of directory links is not followed', () => {
    const root = folder('loop', { 'src/outside.ts': 'x\n' });
    fs.symlinkSync('..', path.join(root, 'src', 'loop'), 'dir');
    fs.symlinkSync('self', path.join(root, 'src', 'self'));
    const run = check(root);
    assert.equal(run.signal, null);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.equal(run.stdout, '1 insights file, 1 problem: 0 errors, 0 warnings, 0 info\n');
  });

  it('a link that leaves the folder is never read: not scanned, not anchored, not answered by why', () => {
    const outside = path.join(tmp, 'elsewhere');
    fs.mkdirSync(outside, { recursive: true });
    fs.writeFileSync(path.join(outside, 'outside.ts'), '// @why NOPE-9 a tag outside the folder\n');
    const root = folder('escape');
    fs.symlinkSync(path.join(outside, 'outside.ts'), path.join(root, 'src', 'outside.ts'));
    fs.symlinkSync(outside, path.join(root, 'src', 'elsewhere'), 'dir');

    const run = check(root);
    assert.doesNotMatch(run.stdout, /NOPE-9/, 'the tag behind the link was read');
    // The lines anchor on src/outside.ts cannot read its target: lost, a warning.
    assert.match(run.stdout, /warning: The code this anchor of T-1 points at is lost: "src\/outside\.ts" does not exist/);
    assert.equal(run.status, 0, run.stdout + run.stderr);

    const why = runCli(['why', 'src/outside.ts:1', '--root', root]);
    assert.equal(why.status, 2);
    assert.match(why.stderr, /src\/outside\.ts is not a readable text file/);
    const viaDir = runCli(['why', 'src/elsewhere/outside.ts:1', '--root', root]);
    assert.equal(viaDir.status, 2);

    const trace = JSON.parse(runCli(['trace', '--root', root, '--format', 'json']).stdout) as { links: { kind: string; file: string; status: string }[] };
    assert.deepEqual(trace.links.map((l) => `${l.kind} ${l.file} ${l.status}`), ['symbol src/receipt.ts ok', 'lines src/outside.ts lost', 'tag src/receipt.ts ok']);
  });

  it('a link to a file inside the folder is read for anchors and why', () => {
    const root = folder('inner-link');
    fs.symlinkSync('receipt.ts', path.join(root, 'src', 'outside.ts'));
    const run = check(root);
    assert.equal(run.stdout, '1 insights file, 1 problem: 0 errors, 0 warnings, 0 info\n');
    const why = runCli(['why', 'src/outside.ts:1', '--root', root]);
    assert.equal(why.status, 0, why.stderr);
    assert.match(why.stdout, /T-1 .*via lines\)/);
  });

  it('skips dependencies and build output, scans packages/, and ignores files too large or binary', () => {
    const big = `// @why NOPE-BIG\n${'x'.repeat(1024 * 1024)}\n`;
    const root = folder('policy', {
      'src/outside.ts': 'x\n',
      'node_modules/dep/index.js': '// @why NOPE-DEP\n',
      'dist/bundle.js': '// @why NOPE-DIST\n',
      'packages/app/build/out.js': '// @why NOPE-BUILD\n',
      'packages/app/src/app.ts': '// @why NOPE-PKG\n',
      'src/big.ts': big,
      'src/image.ts': Buffer.concat([Buffer.from('// @why NOPE-BIN\n'), Buffer.from([0, 1, 2])]),
    });
    const run = check(root);
    assert.equal(run.status, 1);
    const unknown = [...run.stdout.matchAll(/"(NOPE-[A-Z]+)"/g)].map((m) => m[1]);
    assert.deepEqual(unknown, ['NOPE-PKG']);
    // Large and binary files are the policy at work, not notes.
    assert.doesNotMatch(run.stdout, /note:/);
  });

  it('why answers a line inside a tagged method from the syntax tree', () => {
    const root = folder('tagged', { 'src/outside.ts': 'x\n' });
    const inBody = runCli(['why', 'src/receipt.ts:4', '--root', root]);
    assert.equal(inBody.status, 0, inBody.stderr);
    assert.match(inBody.stdout, /T-1 .*via symbol, tag\)/);
    const after = runCli(['why', 'src/receipt.ts:7', '--root', root]);
    assert.match(after.stdout, /^No customer problem is linked/);
  });
});
