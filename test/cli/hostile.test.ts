// `customer-lens check` on a folder holding each file of the hostile corpus
// (test/fixtures/hostile/corpus.ts): it must finish, exit 1 (each file has at least one error) and
// print the expected diagnostic as file:line:col. Time is measured as the CLI process's CPU time
// (under 2 s), which does not grow when other jobs load the machine; a run that does not finish
// within the wall-clock limit is killed and fails.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hostileCases } from '../fixtures/hostile/corpus';
import { ROOT, runCli, TODAY } from './run';

const CPU_LIMIT_MS = 2000;
const WALL_LIMIT_MS = 20_000;

describe('customer-lens check on hostile files', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-hostile-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  for (const c of hostileCases(path.join(ROOT, 'test', 'fixtures', 'hostile'))) {
    it(`${c.name}: exit 1 with ${c.rule} at ${c.line}:${c.column ?? '*'}, under ${CPU_LIMIT_MS} ms of CPU`, () => {
      const folder = path.join(tmp, c.name.replace(/[^\w.-]+/g, '_'));
      fs.mkdirSync(path.join(folder, 'src'), { recursive: true });
      fs.writeFileSync(path.join(folder, 'customer-insights.yaml'), c.bytes());
      fs.writeFileSync(path.join(folder, 'src', 'a.ts'), '// aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\nexport const a = 1;\n');

      const run = runCli(['check', '--root', folder, '--today', TODAY], { timeoutMs: WALL_LIMIT_MS });
      assert.equal(run.signal, null, `killed after ${run.ms} ms: the check did not finish (a hang)`);
      assert.equal(run.status, 1, `exit ${run.status}\nstdout:\n${run.stdout.slice(0, 2000)}\nstderr:\n${run.stderr.slice(0, 2000)}`);
      assert.equal(run.stderr, '');
      assert.ok(run.cpuMs !== undefined && run.cpuMs < CPU_LIMIT_MS, `the check used ${run.cpuMs} ms of CPU (${run.ms} ms wall)`);

      const lines = run.stdout.split('\n');
      const where = `customer-insights.yaml:${c.line}:${c.column ?? ''}`;
      const expected = lines.filter((l) => l.startsWith(where) && l.endsWith(`[${c.rule}]`));
      assert.ok(expected.length > 0, `no line "${where}…[${c.rule}]" in:\n${lines.slice(0, 20).join('\n')}`);
      assert.match(expected[0], /^customer-insights\.yaml:\d+:\d+: (error|warning|info): [^\n]+ \[[a-z-]+\]$/);
      if (c.message) assert.ok(expected.some((l) => c.message!.test(l)), `no line matches ${c.message}`);
      // Text quoted from a hostile file must not reach the terminal as control characters (ESC
      // sequences can clear the screen or rewrite the title; CR hides what was printed before it).
      const control = lines.filter((l) => /[\x00-\x08\x0b-\x1f\x7f]/.test(l));
      assert.deepEqual(control.map((l) => JSON.stringify(l.slice(0, 120))), [], 'output lines hold control characters');
      assert.match(lines.filter(Boolean).pop()!, /^1 insights file, \d+ problems?: [1-9]\d* errors?, /);
    });
  }
});
