// The extension host's side of the code worker, against the real worker bundle (dist/codeWorker.js,
// built by `node esbuild.js` before the unit tests): answers, streaming, and answers without it.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { FileRefs } from '../../src/core/codeRefs';
import type { Tracker } from '../../src/core/model';
import { CodeClient } from '../../src/worker/codeClient';

const REPO = path.resolve(__dirname, '..', '..', '..');
const WORKER = path.join(REPO, 'dist', 'codeWorker.js');
const span = { line: 0, col: 0, endLine: 0, endCol: 0 };
const ACME: Tracker = { prefix: 'ACME', url: 'https://acme.example/{key}', span, keySpan: span, usable: true };
const settings = { whyTag: '@why', trackers: [ACME] };

describe('code worker client', function () {
  this.timeout(20_000);
  let client: CodeClient;
  const logged: string[] = [];

  before(() => {
    client = new CodeClient(WORKER, (m) => logged.push(m));
  });
  after(() => client.dispose());

  it('analyzes a text in the worker: syntax and what its tag covers', async () => {
    const { syntax, refs } = await client.analyze('a.ts', '// @why P-1\nexport class A {\n  m() {} // ACME-7\n}\n', settings);
    assert.equal(syntax?.language, 'typescript');
    assert.deepEqual(refs.tags.map((t) => [t.id, t.region.startLine, t.region.endLine, t.declaration?.path]), [['P-1', 1, 3, 'A']]);
    assert.deepEqual(refs.tickets.map((t) => t.key), ['ACME-7']);
  });

  it('scans a folder on disk, streaming references and progress', async () => {
    const found: FileRefs[] = [];
    const progress: number[] = [];
    const ok = await client.scanFolder(path.join(REPO, 'examples', 'acme-shop'), settings, (batch) => found.push(...batch), (done) => progress.push(done));
    assert.equal(ok, true);
    const files = found.map((r) => r.file);
    assert.ok(files.includes('src/export/csv.ts'), files.join(', '));
    assert.ok(files.includes('scripts/backfill_payouts.py'), files.join(', '));
    const csv = found.find((r) => r.file === 'src/export/csv.ts')!;
    assert.ok(csv.tags.some((t) => t.declaration?.path === 'CsvWriter'), JSON.stringify(csv.tags));
    assert.ok(progress.length > 0);
  });

  it('answers every requested path, empty for a file that is gone', async () => {
    const refs = await client.scanPaths(path.join(REPO, 'examples', 'acme-shop'), ['src/export/csv.ts', 'src/nope.ts'], settings);
    assert.deepEqual(refs?.map((r) => r.file).sort(), ['src/export/csv.ts', 'src/nope.ts']);
    assert.deepEqual(refs?.find((r) => r.file === 'src/nope.ts')?.tags, []);
  });

  it('without a worker, answers on the host without syntax: a tag covers its line', async () => {
    const broken = new CodeClient(path.join(REPO, 'dist', 'no-such-worker.js'), (m) => logged.push(m));
    try {
      const { syntax, refs } = await broken.analyze('a.ts', '// @why P-1\nexport class A {}\n', settings);
      assert.equal(syntax, undefined);
      assert.deepEqual(refs.tags.map((t) => [t.id, t.region.startLine, t.region.endLine]), [['P-1', 0, 0]]);
      assert.equal(await broken.syntax('a.ts', 'class A {}'), undefined);
      assert.ok(logged.some((m) => /code worker/.test(m)), logged.join('\n'));
    } finally {
      broken.dispose();
    }
  });
});
