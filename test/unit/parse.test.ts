// The parser and validator: every rule that can be decided from one insights file alone.
import * as assert from 'node:assert/strict';
import { RULE_SEVERITY } from '../../src/core/model';
import type { Anchor, Problem } from '../../src/core/model';
import { DEFAULT_MAX_FILE_BYTES, defaultSignal, isValidDate, isWebUrl, SUPPORTED_VERSION } from '../../src/core/parse';
import { byRule, clean, one, parse, show, span, textAt, yml } from './helpers';

/** A file with one problem P-1 (title T) whose further lines start at line 4. */
function withProblem(...lines: string[]): string {
  return yml('version: 1', 'problems:', '  - id: P-1', '    title: T', ...lines);
}

function onlyProblem(text: string, file?: string): Problem {
  const result = parse(text, file);
  assert.equal(result.problems.length, 1, show(result.diagnostics));
  return result.problems[0];
}

describe('parse: yaml-syntax', () => {
  it('reports bad indentation as a YAML error and builds no model', () => {
    const text = yml('version: 1', 'product:', '  name: Acme', ' value: Same-day payouts', 'problems: []');
    const r = parse(text);
    assert.equal(r.parsed, false);
    assert.ok(r.diagnostics.length > 0);
    for (const d of r.diagnostics) assert.equal(d.rule, 'yaml-syntax');
    assert.ok(r.diagnostics.some((d) => d.span.line === 3), `no diagnostic on line 3:\n${show(r.diagnostics)}`);
    assert.equal(r.version, undefined);
    assert.deepEqual(r.problems, []);
  });

  it('reports an over-indented key inside a problem', () => {
    const r = parse(yml('version: 1', 'problems:', '  - id: P-1', '     title: x'));
    assert.equal(r.parsed, false);
    assert.ok(r.diagnostics.length > 0);
    assert.ok(r.diagnostics.every((d) => d.rule === 'yaml-syntax' && d.severity === 'error'));
    assert.ok(r.diagnostics.some((d) => d.span.line <= 3 && d.span.endLine >= 2), show(r.diagnostics));
  });

  it('reports tabs used for indentation at the tab', () => {
    const r = parse('version: 1\nproblems:\n\t- id: P-1\n\t  title: T\n');
    assert.equal(r.parsed, false);
    const d = r.diagnostics[0];
    assert.equal(d.rule, 'yaml-syntax');
    assert.deepEqual([d.span.line, d.span.col], [2, 0]);
    assert.match(d.message, /^YAML syntax: .*tab/i);
  });

  it('reports an unclosed quote', () => {
    const r = parse(yml('version: 1', 'product:', '  name: "Acme Shop', '  value: x'));
    assert.equal(r.parsed, false);
    assert.ok(r.diagnostics.length > 0);
    assert.ok(r.diagnostics.every((d) => d.rule === 'yaml-syntax'));
    assert.ok(r.diagnostics.some((d) => /quote/i.test(d.message)), show(r.diagnostics));
  });

  it('reports a duplicate key at its second occurrence instead of silently keeping one', () => {
    const r = parse(withProblem('    status: validated', '    severity: high', '    status: solved'));
    assert.equal(r.parsed, false);
    const d = one(r.diagnostics, 'yaml-syntax');
    assert.equal(d.span.line, 6);
    assert.equal(d.span.col, 4);
    assert.match(d.message, /unique/i);
    assert.deepEqual(r.problems, []);
  });

  it('reports a duplicate top-level key', () => {
    const d = one(parse(yml('version: 1', 'problems: []', 'version: 1')).diagnostics, 'yaml-syntax');
    assert.equal(d.span.line, 2);
  });

  it('keeps the parser\'s first message line, prefixed, without a source excerpt', () => {
    const r = parse(yml('version: 1', 'product:', '  name: "Acme Shop'));
    for (const d of r.diagnostics) {
      assert.match(d.message, /^YAML syntax: /);
      assert.doesNotMatch(d.message, /\n/);
      assert.doesNotMatch(d.message, /at line \d+, column \d+/);
    }
  });
});

describe('parse: version', () => {
  it('accepts version 1', () => {
    const r = parse(yml('version: 1'));
    clean(r.diagnostics);
    assert.equal(r.parsed, true);
    assert.equal(r.version, SUPPORTED_VERSION);
    assert.equal(SUPPORTED_VERSION, 1);
  });

  it('reports a missing version at the first line of the top-level map', () => {
    const r = parse(yml('# comment', 'product:', '  name: Acme'));
    const d = one(r.diagnostics, 'version');
    assert.equal(d.severity, 'error');
    assert.equal(d.span.line, 1);
    assert.equal(d.span.endLine, 1);
    assert.match(d.message, /version: 1/);
    assert.equal(r.version, undefined);
  });

  it('reports version 2 at the value, naming the supported version', () => {
    const r = parse(yml('version: 2'));
    const d = one(r.diagnostics, 'version');
    assert.deepEqual(d.span, span(0, 9, 0, 10));
    assert.match(d.message, /2/);
    assert.match(d.message, /format version 1/);
    assert.equal(r.version, undefined);
  });

  it('reports version "1" written as a string', () => {
    const r = parse(yml('version: "1"'));
    const d = one(r.diagnostics, 'version');
    assert.deepEqual(d.span, span(0, 9, 0, 12));
    assert.match(d.message, /"1"/);
    assert.equal(r.version, undefined);
  });

  it('reports a version that is a list', () => {
    const d = one(parse(yml('version: [1]')).diagnostics, 'version');
    assert.equal(d.span.line, 0);
  });

  it('reports an empty file, a whitespace-only file and a comment-only file as having no version', () => {
    for (const text of ['', '\n\n   \n', '# nothing yet\n']) {
      const r = parse(text);
      const d = one(r.diagnostics, 'version');
      assert.equal(d.span.line, 0);
      assert.match(d.message, /empty/i);
      assert.match(d.message, /version: 1/);
      assert.equal(r.diagnostics.length, 1);
    }
  });
});

describe('parse: schema', () => {
  it('requires a problem id, at the problem\'s first line', () => {
    const r = parse(yml('version: 1', 'problems:', '  - title: No id here', '    status: validated'));
    const d = one(r.diagnostics, 'schema');
    assert.equal(d.span.line, 2);
    assert.equal(d.span.endLine, 2);
    assert.match(d.message, /"id" is required/);
    assert.deepEqual(r.problems, []);
  });

  it('requires a title, and says which problem lacks it', () => {
    const r = parse(yml('version: 1', 'problems:', '  - id: P-1', '    status: validated'));
    const d = one(r.diagnostics, 'schema');
    assert.equal(d.span.line, 2);
    assert.match(d.message, /P-1/);
    assert.match(d.message, /"title" is required/);
  });

  it('treats an empty title as missing, at the empty value', () => {
    const r = parse(withProblem().replace('title: T', 'title: ""'));
    const d = one(r.diagnostics, 'schema');
    assert.deepEqual(d.span, span(3, 11, 3, 13));
    assert.match(d.message, /title/);
  });

  it('reports a title written as a map, at the map, and only once', () => {
    const text = withProblem().replace('title: T', 'title: {text: T}');
    const r = parse(text);
    const d = one(r.diagnostics, 'schema');
    assert.equal(textAt(text, d.span), '{text: T}');
    assert.match(d.message, /"title" must be text, found a map/);
  });

  it('reports personas written as a string', () => {
    const text = withProblem('    personas: shop-owner');
    const d = one(parse(text).diagnostics, 'schema');
    assert.equal(textAt(text, d.span), 'shop-owner');
    assert.match(d.message, /"personas" must be a list/);
    assert.match(d.message, /shop-owner/);
  });

  it('reports list items that are not single values', () => {
    const text = withProblem('    tags: [export, {a: 1}, [b]]');
    const r = parse(text);
    const ds = byRule(r.diagnostics, 'schema');
    assert.deepEqual(ds.map((d) => textAt(text, d.span)), ['{a: 1}', '[b]']);
    assert.deepEqual(r.problems[0].tags, ['export']);
  });

  it('reports arr written as "lots", at the value', () => {
    const text = yml('version: 1', 'customers:', '  - id: globex', '    name: Globex', '    arr: lots');
    const r = parse(text);
    const d = one(r.diagnostics, 'schema');
    assert.deepEqual(d.span, span(4, 9, 4, 13));
    assert.match(d.message, /"arr" must be a number/);
    assert.equal(r.customers[0].arr, undefined);
  });

  it('rejects negative and infinite numbers and quoted numbers', () => {
    const text = withProblem('    impact:', '      customers: "14"', '      arr: 1e400', '      votes: -3', '      tickets: 52');
    const r = parse(text);
    const ds = byRule(r.diagnostics, 'schema');
    assert.deepEqual(ds.map((d) => d.span.line), [5, 6, 7]);
    assert.deepEqual(r.problems[0].impact, { customers: undefined, arr: undefined, votes: undefined, tickets: 52, asOf: undefined });
  });

  const enums: [string, string, string, string][] = [
    ['status', 'done', 'hypothesis, validated, in-progress, solved, wont-fix', 'solved'],
    ['severity', 'huge', 'critical, high, medium, low', 'high'],
    ['horizon', 'someday', 'urgent, active, strategic', 'urgent'],
  ];
  for (const [key, bad, allowed, nearest] of enums) {
    it(`reports an unknown ${key}, listing the allowed values and the nearest`, () => {
      const text = withProblem(`    ${key}: ${bad}`);
      const r = parse(text);
      const d = one(r.diagnostics, 'schema');
      assert.deepEqual(d.span, span(4, 6 + key.length, 4, 6 + key.length + bad.length));
      assert.ok(d.message.includes(allowed), d.message);
      assert.ok(d.message.includes(`"${bad}"`), d.message);
      assert.ok(d.message.includes(`nearest: "${nearest}"`), d.message);
    });
  }

  it('falls back to the defaults when status or severity is unknown', () => {
    const p = onlyProblem(withProblem('    status: done', '    severity: huge', '    horizon: someday'));
    assert.equal(p.status, 'hypothesis');
    assert.equal(p.severity, 'medium');
    assert.equal(p.horizon, undefined);
  });

  it('reports an unknown evidence kind and signal', () => {
    const text = withProblem('    evidence:', '      - kind: chat', '        signal: heard', '        quote: q');
    const r = parse(text);
    const ds = byRule(r.diagnostics, 'schema');
    assert.deepEqual(ds.map((d) => textAt(text, d.span)), ['chat', 'heard']);
    assert.match(ds[0].message, /interview, field-study, focus-group, survey, support, sales-call, usage-data, review, other/);
    assert.match(ds[1].message, /said, observed/);
  });

  it('requires an evidence kind', () => {
    const text = withProblem('    evidence:', '      - quote: q');
    const d = one(parse(text).diagnostics, 'schema');
    assert.equal(d.span.line, 5);
    assert.match(d.message, /"kind"/);
    assert.match(d.message, /P-1/);
  });

  it('reports an unknown customer health', () => {
    const text = yml('version: 1', 'customers:', '  - id: c', '    name: C', '    health: sick');
    const d = one(parse(text).diagnostics, 'schema');
    assert.equal(textAt(text, d.span), 'sick');
    assert.match(d.message, /healthy, at-risk, churned/);
  });

  it('reports an impossible date (2026-02-30) and dates in other shapes', () => {
    const text = withProblem(
      '    validated: 2026-02-30',
      '    impact:',
      '      as_of: yesterday',
      '    evidence:',
      '      - kind: interview',
      '        quote: q',
      '        date: 2026-13-01',
    );
    const r = parse(text);
    const ds = byRule(r.diagnostics, 'schema');
    assert.deepEqual(ds.map((d) => textAt(text, d.span)).sort(), ['2026-02-30', '2026-13-01', 'yesterday']);
    for (const d of ds) assert.match(d.message, /YYYY-MM-DD/);
    assert.equal(r.problems[0].validated, undefined);
    assert.equal(r.problems[0].evidence[0].date, undefined);
  });

  it('accepts valid dates, including 29 February in a leap year', () => {
    const p = onlyProblem(withProblem('    validated: 2028-02-29'));
    assert.equal(p.validated, '2028-02-29');
    assert.equal(isValidDate('2028-02-29'), true);
    assert.equal(isValidDate('2026-02-29'), false);
    assert.equal(isValidDate('2026-02-30'), false);
    assert.equal(isValidDate('2026-00-10'), false);
    assert.equal(isValidDate('2026-1-10'), false);
    assert.equal(isValidDate('2026-01-10T00:00'), false);
    assert.equal(isValidDate('2026-12-31'), true);
  });

  it('reports lines "10-5" (backwards) and lines 0', () => {
    const text = withProblem(
      '    code:',
      '      - path: a.ts',
      '        lines: "10-5"',
      '      - path: b.ts',
      '        lines: 0',
      '      - path: c.ts',
      '        lines: ten',
    );
    const r = parse(text);
    const ds = byRule(r.diagnostics, 'schema');
    assert.deepEqual(ds.map((d) => [d.span.line, textAt(text, d.span)]), [[6, '"10-5"'], [8, '0'], [10, 'ten']]);
    assert.match(ds[0].message, /10-5/);
    assert.match(ds[2].message, /"88-104"/);
    // The anchors are kept (as plain path anchors), without lines.
    assert.deepEqual(r.problems[0].code.map((a) => [a.kind, a.lines]), [['path', undefined], ['path', undefined], ['path', undefined]]);
  });

  it('reports symbol and lines together at the lines key, and uses the symbol', () => {
    const text = withProblem('    code:', '      - path: a.ts', '        symbol: A.b', '        lines: 3');
    const r = parse(text);
    const d = one(r.diagnostics, 'schema');
    assert.deepEqual(d.span, span(7, 8, 7, 13));
    assert.match(d.message, /either a "symbol" or "lines"/);
    assert.equal(r.problems[0].code[0].kind, 'symbol');
  });

  it('reports text without lines at the text key', () => {
    const text = withProblem('    code:', '      - path: a.ts', '        text: "if (x) {"');
    const d = one(parse(text).diagnostics, 'schema');
    assert.deepEqual(d.span, span(6, 8, 6, 12));
    assert.match(d.message, /"text" belongs with "lines"/);
  });

  it('reports a lines or symbol anchor on a glob', () => {
    const text = withProblem('    code:', '      - path: "src/*.ts"', '        lines: 3');
    const d = one(parse(text).diagnostics, 'schema');
    assert.equal(textAt(text, d.span), '"src/*.ts"');
    assert.match(d.message, /one file, not a glob/);
  });

  it('requires an anchor path', () => {
    const text = withProblem('    code:', '      - symbol: A.b');
    const r = parse(text);
    const d = one(r.diagnostics, 'schema');
    assert.equal(d.span.line, 5);
    assert.match(d.message, /no "path"/);
    assert.deepEqual(r.problems[0].code, []);
  });

  it('reports an empty anchor path', () => {
    const text = withProblem('    code:', '      - ""');
    const d = one(parse(text).diagnostics, 'schema');
    assert.equal(d.span.line, 5);
    assert.match(d.message, /empty/);
  });

  it('reports evidence without quote and without summary', () => {
    const text = withProblem('    evidence:', '      - kind: interview', '        customer: globex');
    const d = one(parse(text).diagnostics, 'schema');
    assert.equal(d.span.line, 5);
    assert.match(d.message, /neither "quote" nor "summary"/);
  });

  it('reports ids that do not start with a letter or hold other characters', () => {
    for (const bad of ['12abc', '-x', 'P 1', 'P/1', 'é1']) {
      const text = withProblem().replace('id: P-1', `id: "${bad}"`);
      const r = parse(text);
      const d = one(r.diagnostics, 'schema');
      assert.equal(d.span.line, 2);
      assert.ok(d.message.includes(`"${bad}"`), d.message);
      assert.deepEqual(r.problems, [], `problem ${bad} should be dropped`);
    }
    for (const good of ['P-1', 'a', 'A.b_c-9', 'shop-owner']) {
      clean(parse(withProblem().replace('id: P-1', `id: ${good}`)).diagnostics);
    }
  });

  it('reports bad persona and customer ids the same way', () => {
    const text = yml('version: 1', 'personas:', '  - id: 1st', '    name: First', 'customers:', '  - id: _x', '    name: X');
    const r = parse(text);
    assert.deepEqual(byRule(r.diagnostics, 'schema').map((d) => d.span.line), [2, 5]);
    assert.deepEqual(r.personas, []);
    assert.deepEqual(r.customers, []);
  });

  it('requires persona and customer names', () => {
    const text = yml('version: 1', 'personas:', '  - id: owner', 'customers:', '  - id: globex');
    const r = parse(text);
    const ds = byRule(r.diagnostics, 'schema');
    assert.deepEqual(ds.map((d) => d.span.line), [2, 4]);
    assert.match(ds[0].message, /Persona owner has no name/);
    assert.match(ds[1].message, /Customer globex has no name/);
  });

  it('reports a tracker with both prefix and pattern, and makes it unusable', () => {
    const text = yml('version: 1', 'trackers:', '  - prefix: ACME', '    pattern: "ACME-\\\\d+"', '    url: https://t.example/{key}');
    const r = parse(text);
    const d = one(r.diagnostics, 'schema');
    assert.equal(d.span.line, 3);
    assert.match(d.message, /either a "prefix" or a "pattern", not both/);
    assert.equal(r.trackers[0].usable, false);
  });

  it('reports a tracker with neither prefix nor pattern, or without url', () => {
    const text = yml('version: 1', 'trackers:', '  - url: https://t.example/{key}', '  - prefix: ACME');
    const r = parse(text);
    const ds = byRule(r.diagnostics, 'schema');
    assert.deepEqual(ds.map((d) => d.span.line), [2, 3]);
    assert.match(ds[0].message, /"prefix".*"pattern"/);
    assert.match(ds[1].message, /"url"/);
    assert.deepEqual(r.trackers.map((t) => t.usable), [false, false]);
  });

  it('reports a tracker prefix that is not a word', () => {
    const text = yml('version: 1', 'trackers:', '  - prefix: AC-ME', '    url: https://t.example/{key}');
    const r = parse(text);
    const d = one(r.diagnostics, 'schema');
    assert.equal(textAt(text, d.span), 'AC-ME');
    assert.equal(r.trackers[0].usable, false);
  });

  it('reports a tracker pattern that is not a regular expression', () => {
    const text = yml('version: 1', 'trackers:', '  - pattern: "GH-("', '    url: https://t.example/{key}');
    const r = parse(text);
    const d = one(r.diagnostics, 'schema');
    assert.equal(textAt(text, d.span), '"GH-("');
    assert.match(d.message, /not a valid regular expression/);
    assert.equal(r.trackers[0].usable, false);
  });

  it('reports a javascript: tracker url at the url', () => {
    const text = yml('version: 1', 'trackers:', '  - prefix: ACME', '    url: javascript:alert(1)');
    const r = parse(text);
    const d = one(r.diagnostics, 'schema');
    assert.equal(textAt(text, d.span), 'javascript:alert(1)');
    assert.match(d.message, /https:\/\//);
    assert.equal(r.trackers[0].usable, false);
  });

  it('accepts a tracker url with placeholders', () => {
    const text = yml('version: 1', 'trackers:', '  - pattern: "GH-(\\\\d+)"', '    url: https://gh.example/{1}?k={key}');
    const r = parse(text);
    clean(r.diagnostics);
    assert.equal(r.trackers[0].usable, true);
    assert.equal(r.trackers[0].pattern, 'GH-(\\d+)');
    assert.equal(r.trackers[0].url, 'https://gh.example/{1}?k={key}');
    assert.equal(r.trackers[0].keySpan.line, 2);
  });

  it('reports an ftp:// evidence url and drops it', () => {
    const text = withProblem('    evidence:', '      - kind: support', '        summary: s', '        url: ftp://files.example/a');
    const r = parse(text);
    const d = one(r.diagnostics, 'schema');
    assert.equal(textAt(text, d.span), 'ftp://files.example/a');
    assert.equal(r.problems[0].evidence[0].url, undefined);
    assert.equal(isWebUrl('https://a.example/x'), true);
    assert.equal(isWebUrl('HTTP://A.EXAMPLE'), true);
    for (const bad of ['ftp://a.example', 'javascript:alert(1)', 'https://', 'https:// space', 'mailto:a@b.example', '//a.example']) {
      assert.equal(isWebUrl(bad), false, bad);
    }
  });

  it('reports a top level that is not a map', () => {
    const d = one(parse(yml('- a', '- b')).diagnostics, 'schema');
    assert.match(d.message, /top level .* must be a map/);
    assert.match(d.message, /a list/);
    const s = one(parse(yml('hello')).diagnostics, 'schema');
    assert.match(s.message, /the text "hello"/);
  });

  it('reports sections of the wrong type', () => {
    const text = yml('version: 1', 'product: [Acme]', 'trackers: ACME', 'personas: {a: 1}', 'customers: 3', 'problems: {}');
    const r = parse(text);
    assert.deepEqual(byRule(r.diagnostics, 'schema').map((d) => d.span.line), [1, 2, 3, 4, 5]);
  });

  it('reports problem list items that are not maps', () => {
    const r = parse(yml('version: 1', 'problems:', '  - 42', '  - just text'));
    assert.deepEqual(byRule(r.diagnostics, 'schema').map((d) => d.span.line), [2, 3]);
    assert.deepEqual(r.problems, []);
  });

  it('reports keys that are not plain names', () => {
    const d = one(parse(yml('version: 1', '? [a, b]', ': 1')).diagnostics, 'schema');
    assert.equal(d.span.line, 1);
  });

  it('treats empty sections as empty', () => {
    const r = parse(yml('version: 1', 'trackers:', 'personas: []', 'customers: ~', 'problems:'));
    clean(r.diagnostics);
    assert.deepEqual([r.trackers, r.personas, r.customers, r.problems], [[], [], [], []]);
  });

  it('gives every diagnostic the severity of its rule', () => {
    const text = withProblem('    stauts: x', '    severity: huge', '    code: [../../x]');
    const r = parse(text);
    assert.deepEqual(new Set(r.diagnostics.map((d) => d.rule)), new Set(['unknown-key', 'schema', 'path-escapes']));
    for (const d of r.diagnostics) {
      assert.equal(d.severity, RULE_SEVERITY[d.rule]);
      assert.equal(d.file, 'customer-insights.yaml');
    }
    assert.equal(RULE_SEVERITY['unknown-key'], 'warning');
    assert.equal(RULE_SEVERITY.schema, 'error');
    assert.equal(RULE_SEVERITY['path-escapes'], 'error');
  });
});

describe('parse: unknown-key', () => {
  it('warns about a misspelt problem key, naming the nearest known key, at the key', () => {
    const text = withProblem('    stauts: validated', '    severty: high');
    const r = parse(text);
    const ds = byRule(r.diagnostics, 'unknown-key');
    assert.equal(ds.length, 2);
    assert.deepEqual(ds[0].span, span(4, 4, 4, 10));
    assert.deepEqual(ds[1].span, span(5, 4, 5, 11));
    assert.ok(ds[0].message.includes('"stauts"') && ds[0].message.includes('"status"'), ds[0].message);
    assert.ok(ds[1].message.includes('"severty"') && ds[1].message.includes('"severity"'), ds[1].message);
    for (const d of ds) assert.equal(d.severity, 'warning');
    // Ignored, not applied: the defaults stay.
    assert.equal(r.problems[0].status, 'hypothesis');
    assert.equal(r.problems[0].severity, 'medium');
  });

  it('warns about unknown keys at every level, naming the level', () => {
    const text = yml(
      'version: 1',
      'prodcut: {}',
      'personas:',
      '  - id: a',
      '    name: A',
      '    job: x',
      'problems:',
      '  - id: P-1',
      '    title: T',
      '    impact: {custmers: 3}',
      '    evidence:',
      '      - kind: interview',
      '        qoute: q',
      '        summary: s',
      '    code:',
      '      - path: a.ts',
      '        line: 3',
    );
    const r = parse(text);
    const ds = byRule(r.diagnostics, 'unknown-key');
    assert.deepEqual(ds.map((d) => [d.span.line, textAt(text, d.span)]), [
      [1, 'prodcut'], [5, 'job'], [9, 'custmers'], [12, 'qoute'], [16, 'line'],
    ]);
    assert.deepEqual(ds.map((d) => /nearest known key is "([^"]+)"/.exec(d.message)?.[1]), ['product', 'jobs', 'customers', 'quote', 'lines']);
    assert.match(ds[0].message, /top level/);
    assert.match(ds[1].message, /a persona/);
    assert.match(ds[2].message, /impact/);
    assert.match(ds[3].message, /an evidence item/);
    assert.match(ds[4].message, /a code anchor/);
  });
});

describe('parse: path-escapes', () => {
  it('reports ../../etc/passwd and /etc/passwd from a root file, at the path', () => {
    const text = withProblem('    code:', '      - ../../etc/passwd', '      - path: /etc/passwd', '        lines: 1');
    const r = parse(text);
    const ds = byRule(r.diagnostics, 'path-escapes');
    assert.deepEqual(ds.map((d) => textAt(text, d.span)), ['../../etc/passwd', '/etc/passwd']);
    assert.deepEqual(ds.map((d) => d.span.line), [5, 6]);
    for (const d of ds) {
      assert.equal(d.severity, 'error');
      assert.match(d.message, /outside the workspace folder/);
    }
    // The anchors stay, without a path, so nothing ever reads outside the folder.
    assert.deepEqual(r.problems[0].code.map((a) => a.path), [undefined, undefined]);
  });

  it('reports ../x from a root file', () => {
    const d = one(parse(withProblem('    code: [../x]')).diagnostics, 'path-escapes');
    assert.equal(d.span.line, 4);
  });

  it('reports Windows drive and UNC paths', () => {
    const text = withProblem('    code: ["C:\\\\src\\\\a.ts", "\\\\\\\\server\\\\share"]');
    const ds = byRule(parse(text).diagnostics, 'path-escapes');
    assert.equal(ds.length, 2);
  });

  it('lets ../x from pkg/customer-insights.yaml stay inside the folder, and resolves it from the file\'s folder', () => {
    const text = withProblem('    code:', '      - ../x.ts', '      - src/a.ts', '      - ../../y.ts');
    const r = parse(text, 'pkg/customer-insights.yaml');
    const d = one(r.diagnostics, 'path-escapes');
    assert.equal(textAt(text, d.span), '../../y.ts');
    assert.equal(d.file, 'pkg/customer-insights.yaml');
    assert.deepEqual(r.problems[0].code.map((a) => a.path), ['x.ts', 'pkg/src/a.ts', undefined]);
  });

  it('normalises ./ and inner ../ segments that stay inside', () => {
    const p = onlyProblem(withProblem('    code:', '      - ./src/../src/a.ts', '      - src/', '      - .'));
    assert.deepEqual(p.code.map((a) => a.path), ['src/a.ts', 'src', '']);
    assert.deepEqual(p.code.map((a) => a.written), ['./src/../src/a.ts', 'src/', '.']);
  });
});

describe('parse: defaults', () => {
  it('defaults status to hypothesis and severity to medium', () => {
    const p = onlyProblem(withProblem());
    assert.equal(p.status, 'hypothesis');
    assert.equal(p.severity, 'medium');
    assert.deepEqual([p.personas, p.customers, p.tags, p.related, p.evidence, p.tickets, p.code], [[], [], [], [], [], [], []]);
    assert.equal(p.horizon, undefined);
    assert.equal(p.impact, undefined);
  });

  it('keeps explicit status and severity', () => {
    const p = onlyProblem(withProblem('    status: wont-fix', '    severity: critical', '    horizon: strategic'));
    assert.deepEqual([p.status, p.severity, p.horizon], ['wont-fix', 'critical', 'strategic']);
  });

  it('derives the signal from the kind: field-study and usage-data are observed, the others said', () => {
    const kinds = ['interview', 'field-study', 'focus-group', 'survey', 'support', 'sales-call', 'usage-data', 'review', 'other'];
    const lines = ['    evidence:'];
    for (const k of kinds) lines.push(`      - kind: ${k}`, '        summary: s');
    const p = onlyProblem(withProblem(...lines));
    const signals = Object.fromEntries(p.evidence.map((e) => [e.kind, e.signal]));
    assert.deepEqual(signals, {
      interview: 'said', 'field-study': 'observed', 'focus-group': 'said', survey: 'said', support: 'said',
      'sales-call': 'said', 'usage-data': 'observed', review: 'said', other: 'said',
    });
    assert.equal(defaultSignal('usage-data'), 'observed');
    assert.equal(defaultSignal('review'), 'said');
  });

  it('lets an explicit signal win over the kind\'s default', () => {
    const p = onlyProblem(withProblem(
      '    evidence:',
      '      - kind: interview',
      '        signal: observed',
      '        summary: watched them',
      '      - kind: usage-data',
      '        signal: said',
      '        summary: s',
    ));
    assert.deepEqual(p.evidence.map((e) => e.signal), ['observed', 'said']);
  });

  it('reads every evidence field', () => {
    const text = withProblem(
      '    evidence:',
      '      - kind: interview',
      '        quote: "Every Monday it dies."',
      '        summary: Monday exports fail',
      '        customer: globex',
      '        persona: bookkeeper',
      '        date: 2026-09-28',
      '        url: https://research.example/s/1',
      '        count: 52',
    );
    const e = onlyProblem(text).evidence[0];
    assert.equal(e.quote, 'Every Monday it dies.');
    assert.equal(e.summary, 'Monday exports fail');
    assert.equal(e.customer?.value, 'globex');
    assert.equal(textAt(text, e.customer!.span), 'globex');
    assert.equal(e.persona?.value, 'bookkeeper');
    assert.equal(e.persona!.span.line, 9);
    assert.equal(e.date, '2026-09-28');
    assert.equal(e.url, 'https://research.example/s/1');
    assert.equal(e.count, 52);
    assert.equal(e.span.line, 5);
  });

  it('reads product, personas, customers and impact', () => {
    const text = yml(
      'version: 1',
      'product:',
      '  name: Acme Shop',
      '  value: Small shops get paid the same day.',
      'personas:',
      '  - id: shop-owner',
      '    name: Shop owner',
      '    description: Runs a shop.',
      '    jobs: [Get paid today, Reconcile in 10 minutes]',
      'customers:',
      '  - id: globex',
      '    name: Globex Corp',
      '    segment: enterprise',
      '    arr: 240000',
      '    health: at-risk',
      'problems:',
      '  - id: P-12',
      '    title: CSV export times out',
      '    impact: {customers: 14, arr: 410000, votes: 37, tickets: 52, as_of: 2026-10-01}',
      '    validated: 2026-10-01',
      '    owner: dana',
    );
    const r = parse(text);
    clean(r.diagnostics);
    assert.deepEqual(r.product, { name: 'Acme Shop', value: 'Small shops get paid the same day.' });
    const persona = r.personas[0];
    assert.deepEqual([persona.id, persona.name, persona.description, persona.jobs], ['shop-owner', 'Shop owner', 'Runs a shop.', ['Get paid today', 'Reconcile in 10 minutes']]);
    assert.deepEqual(persona.idSpan, span(5, 8, 5, 18));
    const c = r.customers[0];
    assert.deepEqual([c.id, c.name, c.segment, c.arr, c.health], ['globex', 'Globex Corp', 'enterprise', 240000, 'at-risk']);
    const p = r.problems[0];
    assert.deepEqual(p.impact, { customers: 14, arr: 410000, votes: 37, tickets: 52, asOf: '2026-10-01' });
    assert.deepEqual([p.validated, p.owner, p.file], ['2026-10-01', 'dana', 'customer-insights.yaml']);
  });

  it('keeps a block description as markdown text', () => {
    const p = onlyProblem(withProblem('    description: |', '      Line **one**.', '', '      - item'));
    assert.equal(p.description, 'Line **one**.\n\n- item\n');
  });
});

describe('parse: spans (0-based)', () => {
  const text = yml(
    'version: 1',
    'problems:',
    '  - id: P-12',
    '    title: CSV export times out',
    '    tickets: [ACME-881, GH-412]',
    '    personas:',
    '      - shop-owner',
    '    related: [P-14]',
    '    stauts: validated',
  );
  const r = parse(text);
  const p = r.problems[0];

  it('locates the problem id', () => {
    assert.deepEqual(p.idSpan, span(2, 8, 2, 12));
    assert.equal(textAt(text, p.idSpan), 'P-12');
  });

  it('locates the problem by its first line', () => {
    assert.deepEqual(p.span, span(2, 4, 2, 12));
  });

  it('locates each ticket in a flow sequence', () => {
    assert.deepEqual(p.tickets, [
      { value: 'ACME-881', span: span(4, 14, 4, 22) },
      { value: 'GH-412', span: span(4, 24, 4, 30) },
    ]);
  });

  it('locates block sequence items and related ids', () => {
    assert.deepEqual(p.personas, [{ value: 'shop-owner', span: span(6, 8, 6, 18) }]);
    assert.deepEqual(p.related, [{ value: 'P-14', span: span(7, 14, 7, 18) }]);
  });

  it('locates an unknown key', () => {
    assert.deepEqual(one(r.diagnostics, 'unknown-key').span, span(8, 4, 8, 10));
  });

  it('counts columns in UTF-16 code units after non-ASCII text on the line', () => {
    const t = yml('version: 1', 'problems:', '  - {id: P-1, title: "Ünïcödé 🚀", stauts: x}');
    const d = one(parse(t).diagnostics, 'unknown-key');
    assert.equal(textAt(t, d.span), 'stauts');
  });
});

describe('parse: anchors', () => {
  const text = withProblem(
    '    code:',
    '      - src/export/**',
    '      - src/notifications/email.ts',
    '      - path: src/export/csv.ts',
    '        symbol: CsvWriter.flush',
    '        note: Rows are flushed in chunks.',
    '      - path: src/payments/payouts.ts',
    '        lines: 36',
    '        text: "  if (now < cutoff) {  "',
    '      - path: src/export/csv.ts',
    '        lines: "88-104"',
    '      - path: src/export/csv.ts',
    '        lines: 3-4',
  );
  const r = parse(text);
  const code = r.problems[0]?.code ?? [];

  it('reads them without diagnostics', () => {
    clean(r.diagnostics);
    assert.equal(code.length, 6);
  });

  it('reads a glob string as a path anchor that is a glob', () => {
    const a = code[0];
    assert.deepEqual([a.kind, a.written, a.path, a.glob], ['path', 'src/export/**', 'src/export/**', true]);
    assert.deepEqual(a.span, span(5, 8, 5, 21));
    assert.deepEqual(a.pathSpan, a.span);
  });

  it('reads a plain string as a path anchor', () => {
    const a = code[1];
    assert.deepEqual([a.kind, a.path, a.glob, a.symbol, a.lines], ['path', 'src/notifications/email.ts', false, undefined, undefined]);
  });

  it('reads a symbol anchor with its note', () => {
    const a = code[2];
    assert.deepEqual([a.kind, a.path, a.symbol, a.note], ['symbol', 'src/export/csv.ts', 'CsvWriter.flush', 'Rows are flushed in chunks.']);
    assert.equal(textAt(text, a.pathSpan), 'src/export/csv.ts');
    assert.deepEqual([a.span.line, a.span.endLine], [7, 7]);
  });

  it('reads lines: 36 (a number), trimming the text', () => {
    const a = code[3];
    assert.equal(a.kind, 'lines');
    assert.deepEqual(a.lines, { start: 36, end: 36 });
    assert.equal(a.text, 'if (now < cutoff) {');
    assert.equal(textAt(text, a.linesSpan!), '36');
  });

  it('reads lines: "88-104" (a quoted range) and 3-4 (a plain one)', () => {
    assert.deepEqual(code[4].lines, { start: 88, end: 104 });
    assert.equal(textAt(text, code[4].linesSpan!), '"88-104"');
    assert.equal(code[4].text, undefined);
    assert.deepEqual(code[5].lines, { start: 3, end: 4 });
  });

  it('numbers anchors by position and names their problem and file', () => {
    assert.deepEqual(code.map((a: Anchor) => a.index), [0, 1, 2, 3, 4, 5]);
    for (const a of code) assert.deepEqual([a.problemId, a.file], ['P-1', 'customer-insights.yaml']);
  });

  it('reads flow sequences and flow maps', () => {
    const t = yml('version: 1', 'problems:', '  - {id: P-1, title: T, personas: [a, b], code: [src/search/**, {path: a.ts, lines: 3}]}');
    const p = onlyProblem(t);
    assert.deepEqual(p.personas.map((x) => x.value), ['a', 'b']);
    assert.deepEqual(p.code.map((a) => [a.kind, a.path, a.glob]), [['path', 'src/search/**', true], ['lines', 'a.ts', false]]);
    assert.equal(textAt(t, p.code[1].pathSpan), 'a.ts');
    assert.equal(textAt(t, p.code[1].linesSpan!), '3');
  });
});

describe('parse: line endings, BOM, size', () => {
  it('reads CRLF text with the same model and spans as LF text', () => {
    const lf = withProblem('    tickets: [ACME-1]', '    stauts: x', '    code:', '      - path: a.ts', '        lines: 3', '        text: "if (x) {"');
    const crlf = lf.replace(/\n/g, '\r\n');
    const a = parse(lf);
    const b = parse(crlf);
    assert.equal(b.problems[0].title, 'T');
    assert.equal(b.problems[0].code[0].text, 'if (x) {');
    assert.deepEqual(b.problems[0].tickets, a.problems[0].tickets);
    assert.deepEqual(b.problems[0].idSpan, a.problems[0].idSpan);
    assert.deepEqual(b.diagnostics, a.diagnostics);
  });

  it('reads a file that starts with a byte-order mark', () => {
    const r = parse(`\uFEFF${withProblem('    stauts: x')}`);
    assert.equal(r.version, 1);
    assert.equal(r.problems[0].id, 'P-1');
    assert.deepEqual(one(r.diagnostics, 'unknown-key').span, span(4, 4, 4, 10));
  });

  it('refuses a text over maxBytes before parsing, advising how to split it', () => {
    const r = parse(withProblem(), 'customer-insights.yaml', { maxBytes: 10 });
    assert.equal(r.parsed, false);
    assert.deepEqual(r.problems, []);
    const d = one(r.diagnostics, 'yaml-syntax');
    assert.deepEqual(d.span, span(0, 0, 0, 0));
    assert.match(d.message, /Split it/);
    assert.match(d.message, /customerLens\.maxFileSizeKB/);
  });

  it('uses byteSize when given (multi-byte text is larger than its length)', () => {
    const text = withProblem();
    assert.equal(parse(text, 'customer-insights.yaml', { maxBytes: 1000, byteSize: 1001 }).parsed, false);
    assert.equal(parse(text, 'customer-insights.yaml', { maxBytes: 1000, byteSize: 1000 }).parsed, true);
    assert.equal(DEFAULT_MAX_FILE_BYTES, 5 * 1024 * 1024);
  });
});

describe('parse: a tracker whose url is empty', () => {
  it('is reported at the url key, and recognises nothing', () => {
    // `url:` with nothing after it was accepted silently (the quoted empty string already was not).
    for (const value of ['', ' ""', " ''"]) {
      const r = parse(yml('version: 1', 'trackers:', '  - prefix: ACME', `    url:${value}`));
      const found = r.diagnostics.filter((d) => d.rule === 'schema' && /tracker url (is empty|must start)/.test(d.message));
      assert.equal(found.length, 1, `url:${value} -> ${r.diagnostics.map((d) => d.message).join(' | ')}`);
      assert.equal(found[0].span.line, 3);
      assert.equal(r.trackers[0].usable, false);
    }
  });
});
