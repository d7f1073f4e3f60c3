// Golden tests of the edit engine. Each folder of test/fixtures/edit holds before.yaml, op.json (the
// operation, and the lines it must add and remove) and, when the edit is made, after.yaml.
// For every case: (a) the edited text equals after.yaml byte for byte; (b) the line diff between
// before and after is exactly op.json's `added` and `removed` lines; (c) the result parses to the
// intended model with no new YAML or schema problem; and the engine gives the same answer with and
// without the parsed model (the fast path and the whole-file path).
// UPDATE_EDIT_GOLDEN=1 writes after.yaml and the expected lines from the engine's output (review them!).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  addAnchor, addEvidence, addProblem, addTicket, applyEdits, removeAnchor, removeTicket,
} from '../../src/core/edit';
import type { AnchorSpec, EditOptions, EditResult, EvidenceSpec, ProblemSpec } from '../../src/core/edit';
import { diffLines } from '../../src/core/editDiff';
import { parseInsightsFile } from '../../src/core/parse';
import type { InsightsFile, Problem } from '../../src/core/model';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/edit');
const UPDATE = process.env.UPDATE_EDIT_GOLDEN === '1';

interface Op {
  op: 'addAnchor' | 'addTicket' | 'addEvidence' | 'addProblem' | 'removeAnchor' | 'removeTicket';
  problem: string | ProblemSpec;
  anchor?: AnchorSpec;
  key?: string;
  evidence?: EvidenceSpec;
  index?: number;
  expect?: 'alreadyLinked' | { refused: string; line?: number; nearest?: string };
  added?: string[];
  removed?: string[];
}

function run(op: Op, text: string, options: EditOptions): EditResult {
  switch (op.op) {
    case 'addAnchor': return addAnchor(text, op.problem as string, op.anchor!, options);
    case 'addTicket': return addTicket(text, op.problem as string, op.key!, options);
    case 'addEvidence': return addEvidence(text, op.problem as string, op.evidence!, options);
    case 'addProblem': return addProblem(text, op.problem as ProblemSpec, options);
    case 'removeAnchor': return removeAnchor(text, op.problem as string, op.index!, options);
    case 'removeTicket': return removeTicket(text, op.problem as string, op.key!, options);
  }
}

function parse(text: string): InsightsFile {
  return parseInsightsFile(text.replace(/^\uFEFF/, ''), 'customer-insights.yaml');
}

function countRules(file: InsightsFile): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const d of file.diagnostics) if (d.rule === 'yaml-syntax' || d.rule === 'schema') counts[d.rule] = (counts[d.rule] ?? 0) + 1;
  return counts;
}

function problem(file: InsightsFile, id: string): Problem {
  const p = file.problems.find((x) => x.id === id);
  assert.ok(p, `problem ${id} in the model`);
  return p;
}

/** (c): the edited file reads as the intended model. */
function checkModel(op: Op, before: InsightsFile, after: InsightsFile): void {
  assert.ok(after.parsed, 'the result parses');
  const b = countRules(before);
  const a = countRules(after);
  for (const rule of Object.keys(a)) assert.ok(a[rule] <= (b[rule] ?? 0), `no new ${rule} diagnostics: ${JSON.stringify(after.diagnostics)}`);
  const id = typeof op.problem === 'string' ? op.problem : op.problem.id;
  switch (op.op) {
    case 'addAnchor': {
      const oldCode = before.problems.find((p) => p.id === id)!.code;
      const code = problem(after, id).code;
      assert.equal(code.length, oldCode.length + 1);
      const added = code[code.length - 1];
      const spec = op.anchor!;
      assert.equal(added.written, spec.path.replace(/^\.\//, ''));
      assert.equal(added.symbol, spec.symbol);
      assert.deepEqual(added.lines, spec.lines);
      const text = spec.text?.trim();
      assert.equal(added.text, text === '' ? undefined : text);
      assert.equal(added.note, spec.note);
      assert.equal(added.kind, spec.symbol ? 'symbol' : spec.lines ? 'lines' : 'path');
      break;
    }
    case 'addTicket': {
      const old = before.problems.find((p) => p.id === id)!.tickets;
      const tickets = problem(after, id).tickets.map((t) => t.value);
      assert.deepEqual(tickets, [...old.map((t) => t.value), op.key]);
      break;
    }
    case 'addEvidence': {
      const old = before.problems.find((p) => p.id === id)!.evidence;
      const evidence = problem(after, id).evidence;
      assert.equal(evidence.length, old.length + 1);
      const e = evidence[evidence.length - 1];
      const spec = op.evidence!;
      assert.equal(e.kind, spec.kind);
      assert.equal(e.date, spec.date);
      assert.equal(e.quote, spec.quote);
      assert.equal(e.summary, spec.summary);
      assert.equal(e.customer?.value, spec.customer);
      assert.equal(e.url, spec.url);
      assert.equal(e.count, spec.count);
      if (spec.signal) assert.equal(e.signal, spec.signal);
      break;
    }
    case 'addProblem': {
      const spec = op.problem as ProblemSpec;
      assert.equal(after.problems.length, before.problems.length + 1);
      const p = problem(after, spec.id);
      assert.equal(p.title, spec.title);
      assert.equal(p.description, spec.description);
      assert.equal(p.status, spec.status ?? 'hypothesis');
      assert.equal(p.severity, spec.severity ?? 'medium');
      assert.equal(p.horizon, spec.horizon);
      assert.deepEqual(p.personas.map((x) => x.value), spec.personas ?? []);
      assert.deepEqual(p.tags, spec.tags ?? []);
      assert.equal(p.owner, spec.owner);
      assert.equal(p.validated, spec.validated);
      assert.equal(after.problems[after.problems.length - 1].id, spec.id, 'appended at the end');
      break;
    }
    case 'removeAnchor': {
      const old = before.problems.find((p) => p.id === id)!.code;
      const code = problem(after, id).code;
      const gone = old[op.index!];
      assert.equal(code.length, old.length - 1);
      const key = (x: typeof gone) => JSON.stringify([x.written, x.symbol, x.lines]);
      assert.deepEqual(code.map(key), old.filter((x) => x !== gone).map(key));
      break;
    }
    case 'removeTicket': {
      const old = before.problems.find((p) => p.id === id)!.tickets.map((t) => t.value);
      assert.deepEqual(problem(after, id).tickets.map((t) => t.value), old.filter((t) => t !== op.key));
      break;
    }
  }
  // Everything else in the file reads as before, the edited problem's other fields included.
  const field = { addAnchor: 'code', removeAnchor: 'code', addTicket: 'tickets', removeTicket: 'tickets', addEvidence: 'evidence', addProblem: '' }[op.op];
  assert.equal(summary(after, id, field), summary(before, id, field), 'the rest of the file reads as before');
  assert.deepEqual([after.personas.length, after.customers.length, after.trackers.length, after.version], [before.personas.length, before.customers.length, before.trackers.length, before.version]);
}

/** The file's problems as plain data without positions; the edited field (or the added problem) left out. */
function summary(f: InsightsFile, id: string, field: string): string {
  return JSON.stringify(f.problems.filter((p) => field !== '' || p.id !== id).map((p) => {
    const data: Record<string, unknown> = {
      ...p, span: undefined, idSpan: undefined,
      personas: p.personas.map((x) => x.value), customers: p.customers.map((x) => x.value), related: p.related.map((x) => x.value),
      tickets: p.tickets.map((x) => x.value), code: p.code.map((c) => [c.written, c.symbol, c.lines, c.text, c.note]),
      evidence: p.evidence.map((e) => ({ ...e, span: undefined, customer: e.customer?.value, persona: e.persona?.value })),
    };
    if (p.id === id) delete data[field];
    return data;
  }));
}

describe('edit engine: golden cases', () => {
  // Every folder with an op.json is a case (cli-workspace is the CLI tests' workspace).
  const cases = fs.readdirSync(FIXTURES, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(FIXTURES, d.name, 'op.json'))).map((d) => d.name).sort();

  it('has the cases', () => {
    assert.ok(cases.length >= 40, `found ${cases.length} cases`);
  });

  for (const name of cases) {
    it(name, () => {
      const dir = path.join(FIXTURES, name);
      const opPath = path.join(dir, 'op.json');
      const op = JSON.parse(fs.readFileSync(opPath, 'utf8')) as Op;
      // Read bytes and decode as the CLI does: a BOM stays in the text.
      const before = new TextDecoder('utf-8', { ignoreBOM: true }).decode(fs.readFileSync(path.join(dir, 'before.yaml')));
      const model = parse(before);
      const fast = run(op, before, { parsed: model });
      const slow = run(op, before, {});
      assert.deepEqual(fast, slow, 'the same result with and without the parsed model');
      const afterPath = path.join(dir, 'after.yaml');

      if (op.expect === 'alreadyLinked') {
        assert.ok(fast.ok && fast.alreadyLinked, JSON.stringify(fast));
        assert.deepEqual(fast.edits, []);
        assert.match(fast.message, /already/);
        assert.ok(!fs.existsSync(afterPath), 'no after.yaml for a case that changes nothing');
        return;
      }
      if (op.expect) {
        assert.ok(!fast.ok, JSON.stringify(fast));
        assert.ok(fast.reason.includes(op.expect.refused), fast.reason);
        if (op.expect.line !== undefined) assert.equal(fast.span?.line, op.expect.line, JSON.stringify(fast.span));
        if (op.expect.nearest !== undefined) assert.equal(fast.nearest, op.expect.nearest);
        return;
      }
      assert.ok(fast.ok && !fast.alreadyLinked, JSON.stringify(fast));
      assert.ok(fast.edits.length > 0);
      const result = applyEdits(before, fast.edits);
      const diff = diffLines(before, result);
      const added = diff.filter((l) => l.op === '+').map((l) => l.text);
      const removed = diff.filter((l) => l.op === '-').map((l) => l.text);
      if (UPDATE) {
        fs.writeFileSync(afterPath, result, 'utf8');
        fs.writeFileSync(opPath, `${JSON.stringify({ ...op, added, removed }, null, 2)}\n`);
      }
      // (a) byte for byte.
      const expected = new TextDecoder('utf-8', { ignoreBOM: true }).decode(fs.readFileSync(afterPath));
      assert.equal(result, expected);
      // (b) exactly the intended lines.
      assert.deepEqual(added, op.added, 'added lines');
      assert.deepEqual(removed, op.removed, 'removed lines');
      if (op.op.startsWith('add')) assert.ok(removed.length <= 1, 'an addition changes at most the one line whose value it extends');
      // Line endings and the BOM survive.
      if (!/(^|[^\r])\n/.test(before) && before.includes('\r\n')) assert.ok(!/(^|[^\r])\n/.test(result), 'CRLF only');
      if (!before.includes('\r')) assert.ok(!result.includes('\r'), 'LF only');
      assert.equal(result.startsWith('\uFEFF'), before.startsWith('\uFEFF'), 'BOM kept');
      assert.ok(!result.slice(1).includes('\uFEFF'), 'no stray BOM');
      // (c) the intended model.
      checkModel(op, model, parse(result));
    });
  }
});
