// The skip policy (src/core/scanPolicy.ts) and the Node scanner (src/scan/nodeScan.ts) on small
// folders in a temporary directory: what is listed, what is scanned, what is decoded, both I/O
// modes, cancellation, and the reads for anchors that must stay inside the folder.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FileRefs } from '../../src/core/codeRefs';
import { MAX_CODE_FILE_BYTES, isSkippedDirectory, isSkippedPath, looksBinary } from '../../src/core/scanPolicy';
import { compileTrackers } from '../../src/core/trackers';
import type { Tracker } from '../../src/core/model';
import { listFolder, literalStart, readCodeText, readCodeTextSync, scanFolder, scanPaths } from '../../src/scan/nodeScan';
import type { IoMode, SyntaxSource } from '../../src/scan/nodeScan';

const span = { line: 0, col: 0, endLine: 0, endCol: 0 };
const tracker = (t: Partial<Tracker>): Tracker => ({ url: 'https://x.example/{key}', span, keySpan: span, usable: true, ...t });

describe('scan policy', () => {
  it('skips dependencies, version control and build output at any depth, never packages/', () => {
    for (const dir of ['node_modules', 'bower_components', 'jspm_packages', '.venv', 'venv', '__pycache__', '.git', '.hg', '.svn', 'dist', 'out', 'build', 'target', '.next', '.nuxt', 'coverage', '.cache']) {
      assert.ok(isSkippedDirectory(dir), dir);
      assert.ok(isSkippedPath(`${dir}/a.ts`), dir);
      assert.ok(isSkippedPath(`packages/app/${dir}/a.ts`), dir);
    }
    for (const file of ['packages/app/src/a.ts', 'vendor/lib.go', 'src/build.ts', 'build', 'src/dist', 'Dist/a.ts', 'src/node_modules_x/a.ts']) {
      assert.ok(!isSkippedPath(file), file);
    }
  });

  it('calls a file binary when a NUL is in its first 8 KB', () => {
    assert.ok(looksBinary(Uint8Array.from([65, 0, 66])));
    assert.ok(!looksBinary(Buffer.from('plain text')));
    const late = Buffer.alloc(9000, 65);
    late[8500] = 0;
    assert.ok(!looksBinary(late));
  });

  it('reads the literal start of tracker patterns, or none when unsure', () => {
    assert.equal(literalStart('GH-(\\d+)'), 'GH-');
    assert.equal(literalStart('JIRA-?\\d+'), 'JIRA');
    assert.equal(literalStart('(?:GH|GL)-\\d+'), '');
    assert.equal(literalStart('GH-\\d+|GL-\\d+'), '');
    assert.equal(literalStart('[A-Z]+-\\d+'), '');
  });
});

describe('nodeScan', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-nodescan-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  function tree(name: string, files: Record<string, string | Buffer>): string {
    const root = path.join(tmp, name);
    for (const [file, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), content);
    }
    return root;
  }

  const root = tree('basic', {
    'src/a.ts': '// @why P-1\nexport function a() {}\n',
    'src/b.ts': 'export const b = 1; // ACME-12 in a comment\n',
    'src/c.ts': 'export const c = "no references";\n',
    'src/gh.ts': '// GH-7 fixed here\n',
    'src/bom.ts': '\ufeff// @why P-2\n',
    'src/big.ts': `// @why P-3\n${'x'.repeat(MAX_CODE_FILE_BYTES)}`,
    'src/bin.dat': Buffer.from([0x40, 0x77, 0x68, 0x79, 0x20, 0x50, 0x2d, 0x31, 0, 0]),
    'node_modules/x/index.js': '// @why P-9\n',
    'dist/out.js': '// @why P-9\n',
    'packages/p/src/p.ts': '// @why P-4\n',
    'Zed.ts': '// capital letters sort first\n',
  });
  fs.symlinkSync('src', path.join(root, 'linked'));

  for (const io of ['slices', 'pool'] as IoMode[]) {
    describe(`io: ${io}`, () => {
      it('lists the kept files sorted, with sizes, and records the link as skipped', async () => {
        const listing = await listFolder(root, { io });
        assert.deepEqual(listing.files.map((f) => f.file), [
          'Zed.ts', 'packages/p/src/p.ts', 'src/a.ts', 'src/b.ts', 'src/big.ts', 'src/bin.dat', 'src/bom.ts', 'src/c.ts', 'src/gh.ts',
        ]);
        assert.equal(listing.files.find((f) => f.file === 'src/c.ts')!.size, 34);
        assert.deepEqual(listing.skipped.map((s) => `${s.file} ${s.kind}`), ['linked symlink']);
        assert.equal(listing.truncated, false);
      });

      it('scans tags and ticket keys, decoding only files that may hold one', async () => {
        const seen: FileRefs[] = [];
        const trackers = compileTrackers([tracker({ prefix: 'ACME' }), tracker({ pattern: 'GH-(\\d+)' })]);
        const result = await scanFolder(root, { whyTag: '@why', trackers, onRefs: (r) => seen.push(r), io, concurrency: 3 });
        const got = seen.map((r) => `${r.file}: ${[...r.tags.map((t) => t.id), ...r.tickets.map((t) => t.key)].join(' ')}`).sort();
        assert.deepEqual(got, ['packages/p/src/p.ts: P-4', 'src/a.ts: P-1', 'src/b.ts: ACME-12', 'src/bom.ts: P-2', 'src/gh.ts: GH-7']);
        // The BOM is not part of the text: the id is at column 8 of line 0.
        assert.equal(seen.find((r) => r.file === 'src/bom.ts')!.tags[0].col, 8);
        assert.deepEqual(result.skipped.map((s) => `${s.file} ${s.kind}`), ['linked symlink', 'src/big.ts too-large', 'src/bin.dat binary']);
        // c.ts and Zed.ts hold neither the tag nor a tracker's literal start: never decoded.
        assert.equal(result.stats.decoded, 5);
        assert.equal(result.files.length, 9);
      });

      it('asks for syntax only for files holding a tag, after preparing their grammar', async () => {
        const prepared: string[] = [];
        const asked: string[] = [];
        const parser: SyntaxSource = {
          prepare: async (files) => { prepared.push(...files); },
          syntaxOf: (file) => {
            asked.push(file);
            return { language: 'test', errors: [], symbols: file === 'src/a.ts' ? [{ name: 'a', kind: 'function', startLine: 1, endLine: 1, nameLine: 1, nameCol: 16, children: [] }] : [] };
          },
        };
        const seen: FileRefs[] = [];
        await scanFolder(root, { whyTag: '@why', trackers: compileTrackers([tracker({ prefix: 'ACME' })]), parser, onRefs: (r) => seen.push(r), io });
        assert.deepEqual(asked.sort(), ['packages/p/src/p.ts', 'src/a.ts', 'src/bom.ts']);
        assert.deepEqual(prepared.sort(), asked);
        const a = seen.find((r) => r.file === 'src/a.ts')!.tags[0];
        assert.deepEqual([a.region, a.declaration?.path], [{ startLine: 1, endLine: 1 }, 'a']);
      });

      it('stops when the signal aborts', async () => {
        const controller = new AbortController();
        controller.abort(new Error('stop'));
        await assert.rejects(scanFolder(root, { whyTag: '@why', trackers: [], onRefs: () => undefined, io, signal: controller.signal }), /stop/);
        const late = new AbortController();
        let calls = 0;
        await assert.rejects(scanFolder(root, {
          whyTag: '@why', trackers: [], io, signal: late.signal,
          onRefs: () => {
            calls++;
            late.abort(new Error('late stop'));
          },
        }), /late stop/);
        assert.ok(calls >= 1);
      });
    });
  }

  it('stops listing at maxFiles and says where', async () => {
    const listing = await listFolder(root, { maxFiles: 3 });
    assert.equal(listing.files.length, 3);
    assert.equal(listing.truncated, true);
    assert.ok(listing.skipped.some((s) => s.kind === 'limit'));
  });

  it('rejects a root that is not a readable directory', async () => {
    await assert.rejects(listFolder(path.join(tmp, 'missing')), /ENOENT/);
  });

  it('scanPaths reports every given file with includeEmpty, gone and skipped ones empty', async () => {
    const seen: string[] = [];
    await scanPaths(root, ['src/a.ts', 'src/c.ts', 'src/gone.ts', 'node_modules/x/index.js', '../outside.ts'], {
      whyTag: '@why', trackers: [], includeEmpty: true,
      onRefs: (r) => seen.push(`${r.file} ${r.tags.length}`),
    });
    assert.deepEqual(seen.sort(), ['../outside.ts 0', 'node_modules/x/index.js 0', 'src/a.ts 1', 'src/c.ts 0', 'src/gone.ts 0']);
  });

  describe('readCodeText', () => {
    const inside = tree('reads', { 'src/a.ts': '\ufeffexport const a = 1;\n', 'src/bin': Buffer.from([1, 0, 2]), 'big.ts': 'x'.repeat(MAX_CODE_FILE_BYTES + 1) });
    const outside = tree('reads-outside', { 'secret.ts': 'secret\n' });
    fs.symlinkSync(path.join(outside, 'secret.ts'), path.join(inside, 'src', 'secret.ts'));
    fs.symlinkSync(outside, path.join(inside, 'out-dir'));
    fs.symlinkSync('a.ts', path.join(inside, 'src', 'alias.ts'));

    for (const [name, read] of [['async', readCodeText], ['sync', readCodeTextSync]] as const) {
      it(`${name}: reads text without its BOM, follows links that stay inside, refuses the rest`, async () => {
        assert.equal(await read(inside, 'src/a.ts'), 'export const a = 1;\n');
        assert.equal(await read(inside, './src/alias.ts'), 'export const a = 1;\n');
        for (const refused of ['src/secret.ts', 'out-dir/secret.ts', '../reads-outside/secret.ts', path.join(outside, 'secret.ts'), 'src/bin', 'big.ts', 'src', 'nope.ts', '']) {
          assert.equal(await read(inside, refused), undefined, refused);
        }
      });
    }
  });
});
