// The CI report formats (src/core/report.ts) and the rule descriptions (src/core/rules.ts), in plain
// Node: escaping as GitHub's toolkit does, ordering, paths, fingerprints, SARIF's shape.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULE_SEVERITY } from '../../src/core/model';
import type { Diagnostic, RuleId } from '../../src/core/model';
import {
  escapeData, escapeProperty, fingerprints, githubAnnotations, repositoryPath, sarifLog, uriOfPath,
} from '../../src/core/report';
import { RULES, ruleInfo } from '../../src/core/rules';
import { repoRoot } from './helpers';

function diag(file: string, line: number, rule: RuleId, message: string, col = 2): Diagnostic {
  return { file, span: { line, col, endLine: line, endCol: col + 3 }, severity: RULE_SEVERITY[rule], rule, message };
}

const TOOL = { name: 'Customer Lens', version: '1.2.3', informationUri: 'https://example.invalid/customer-lens' };

describe('rules', () => {
  it('one entry per rule id, in RULE_SEVERITY\'s order and with its severity', () => {
    assert.deepEqual(RULES.map((r) => r.id), Object.keys(RULE_SEVERITY));
    for (const r of RULES) assert.equal(r.severity, RULE_SEVERITY[r.id]);
    assert.equal(ruleInfo('stale').name, 'Stale');
    assert.equal(ruleInfo('ticket-unrecognised').name, 'TicketUnrecognised');
  });

  it('every rule has a short description, a full one and help, each a plain sentence or more', () => {
    for (const r of RULES) {
      assert.ok(r.short.length > 5 && r.short.length <= 80 && !r.short.endsWith('.'), `${r.id} short: ${r.short}`);
      assert.ok(r.full.length > r.short.length && r.full.length <= 1024 && r.full.endsWith('.'), `${r.id} full`);
      assert.ok(r.help.length > 10 && r.help.length <= 1024 && r.help.endsWith('.'), `${r.id} help`);
    }
  });

  it('docs/format.md lists the same rules with the same severities', () => {
    const doc = fs.readFileSync(path.join(repoRoot(), 'docs', 'format.md'), 'utf8');
    const table = doc.slice(doc.indexOf('## Diagnostics (rule ids)'));
    const rows = [...table.matchAll(/^\| `([a-z-]+)` \| (error|warning|info) \|/gm)].map((m) => `${m[1]} ${m[2]}`);
    assert.deepEqual(rows, RULES.map((r) => `${r.id} ${r.severity}`));
  });
});

describe('GitHub workflow commands', () => {
  it('escapes data and properties as @actions/core does', () => {
    assert.equal(escapeData('50% done\r\nnext'), '50%25 done%0D%0Anext');
    assert.equal(escapeData('a: b, c'), 'a: b, c');
    assert.equal(escapeProperty('a: b, c%\n'), 'a%3A b%2C c%25%0A');
    // % first: an escape written in the text stays literal.
    assert.equal(escapeData('%0A'), '%250A');
  });

  it('one line per diagnostic, errors first, then warnings, then notices, in the given order within each', () => {
    const lines = githubAnnotations([
      diag('customer-insights.yaml', 3, 'stale', 'old'),
      diag('customer-insights.yaml', 5, 'ticket-unrecognised', 'tick'),
      diag('customer-insights.yaml', 9, 'schema', 'bad'),
      diag('src/a.ts', 1, 'unknown-reference', 'who'),
    ], RULES, { folder: 'pkg/shop' });
    assert.deepEqual(lines, [
      '::error file=pkg/shop/customer-insights.yaml,line=10,col=3,endLine=10,endColumn=6,title=Customer Lens schema (A value does not fit the format)::bad',
      '::error file=pkg/shop/src/a.ts,line=2,col=3,endLine=2,endColumn=6,title=Customer Lens unknown-reference (An id that names nothing)::who',
      '::warning file=pkg/shop/customer-insights.yaml,line=4,col=3,endLine=4,endColumn=6,title=Customer Lens stale (A problem nobody confirmed for a long time)::old',
      '::notice file=pkg/shop/customer-insights.yaml,line=6,col=3,endLine=6,endColumn=6,title=Customer Lens ticket-unrecognised (A ticket no tracker recognises)::tick',
    ]);
  });

  it('a message or a path cannot start another command', () => {
    const [line] = githubAnnotations([diag('a,b:c/customer-insights.yaml', 0, 'schema', 'x\n::error file=evil::owned %0A')], RULES, { folder: '' });
    assert.equal(line.split('\n').length, 1);
    assert.ok(line.startsWith('::error file=a%2Cb%3Ac/customer-insights.yaml,line=1,'), line);
    assert.ok(line.endsWith('::x%0A::error file=evil::owned %250A'), line);
  });
});

describe('paths', () => {
  it('from the repository root', () => {
    assert.equal(repositoryPath('', 'customer-insights.yaml'), 'customer-insights.yaml');
    assert.equal(repositoryPath('examples/acme-shop', 'src/a.ts'), 'examples/acme-shop/src/a.ts');
    assert.equal(repositoryPath('./examples/acme-shop/', 'src/a.ts'), 'examples/acme-shop/src/a.ts');
    assert.equal(repositoryPath('examples\\acme-shop', 'a.ts'), 'examples/acme-shop/a.ts');
  });

  it('as URI references', () => {
    assert.equal(uriOfPath('src/export/csv.ts'), 'src/export/csv.ts');
    assert.equal(uriOfPath('my docs/#1 100%.ts'), 'my%20docs/%231%20100%25.ts');
    assert.equal(uriOfPath('été/ü.ts'), '%C3%A9t%C3%A9/%C3%BC.ts');
  });
});

describe('fingerprints', () => {
  const lines: Record<string, string[]> = {
    'customer-insights.yaml': ['version: 1', 'problems:', '  - id: P-1', '    stauts: x', '  - id: P-2', '    stauts: x'],
  };
  const text = (file: string, line: number) => lines[file]?.[line];

  it('hash the rule, the file and the trimmed line, whatever the line number; equal ones are counted', () => {
    const a = fingerprints([diag('customer-insights.yaml', 3, 'unknown-key', 'm1'), diag('customer-insights.yaml', 5, 'unknown-key', 'm2')], text, { folder: '' });
    assert.match(a[0], /^[0-9a-f]{32}:1$/);
    assert.equal(a[1], `${a[0].split(':')[0]}:2`);
    const moved = fingerprints([diag('customer-insights.yaml', 5, 'unknown-key', 'other message', 9)], text, { folder: '' });
    assert.equal(moved[0], a[0]);
  });

  it('differ by rule, by file and by folder', () => {
    const base = fingerprints([diag('customer-insights.yaml', 3, 'unknown-key', 'm')], text, { folder: '' })[0];
    assert.notEqual(fingerprints([diag('customer-insights.yaml', 3, 'schema', 'm')], text, { folder: '' })[0], base);
    assert.notEqual(fingerprints([diag('customer-insights.yaml', 3, 'unknown-key', 'm')], text, { folder: 'pkg' })[0], base);
    assert.notEqual(fingerprints([diag('customer-insights.yaml', 2, 'unknown-key', 'm')], text, { folder: '' })[0], base);
  });

  it('hash the message when the line cannot be read', () => {
    const [x] = fingerprints([diag('gone.yaml', 3, 'schema', 'm')], text, { folder: '' });
    const [y] = fingerprints([diag('gone.yaml', 7, 'schema', 'm')], text, { folder: '' });
    const [z] = fingerprints([diag('gone.yaml', 3, 'schema', 'n')], text, { folder: '' });
    assert.equal(x.split(':')[0], y.split(':')[0]);
    assert.notEqual(x.split(':')[0], z.split(':')[0]);
  });
});

describe('SARIF log', () => {
  it('one run: the tool with every rule, the results with rule index, level, 1-based region and fingerprint', () => {
    const log = sarifLog([diag('customer-insights.yaml', 3, 'ticket-unrecognised', 'No tracker')], RULES, TOOL, () => '  tickets: [X-1]', { folder: 'app' },
      [{ file: 'secret.ts', message: 'Not scanned: unreadable' }]);
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs.length, 1);
    const run = log.runs[0];
    assert.equal(run.tool.driver.version, '1.2.3');
    assert.deepEqual(run.tool.driver.rules.map((r) => r.id), RULES.map((r) => r.id));
    assert.deepEqual(run.tool.driver.rules.find((r) => r.id === 'ticket-unrecognised')!.defaultConfiguration, { level: 'note' });
    const [result] = run.results;
    assert.equal(result.ruleIndex, RULES.findIndex((r) => r.id === 'ticket-unrecognised'));
    assert.equal(result.level, 'note');
    assert.deepEqual(result.locations[0].physicalLocation, {
      artifactLocation: { uri: 'app/customer-insights.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 4, startColumn: 3, endLine: 4, endColumn: 6 },
    });
    assert.deepEqual(Object.keys(result.partialFingerprints), ['customerLensFinding/v1']);
    assert.deepEqual(run.invocations[0].toolExecutionNotifications[0].locations[0].physicalLocation.artifactLocation.uri, 'app/secret.ts');
  });

  it('a clean check is a run with no results', () => {
    const log = sarifLog([], RULES, TOOL, () => undefined, { folder: '' });
    assert.deepEqual(log.runs[0].results, []);
    assert.equal(log.runs[0].tool.driver.rules.length, RULES.length);
  });
});
