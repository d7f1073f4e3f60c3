// The JSON Schema (schema/customer-insights.schema.json) says what the core says, as far as a schema
// can. Editors with Red Hat's YAML extension validate insights files with that schema (package.json
// registers it through contributes.yamlValidation); Customer Lens validates them with the core. A
// person must not see the YAML extension call a file broken that Customer Lens accepts, or the reverse.
//
// The proof runs the real thing: yaml-language-server (the server inside Red Hat's YAML extension)
// is started with --stdio and driven over the Language Server Protocol as an editor drives it
// (initialize, workspace/didChangeConfiguration with `yaml.schemas` mapping the schema to the file
// names package.json registers, textDocument/didOpen, textDocument/publishDiagnostics). Every file
// of the corpus (the examples, every YAML fixture, and the table of small cases below) is checked
// by both, and for each the lines where each reports an error are compared. The core checks each
// file as its own workspace folder, as `customer-lens check --root <its folder>` would read it alone.
//
// Any disagreement fails the test, except those ALLOWED lists: rules no JSON Schema can express,
// each with the reason. Unknown keys are not among them: the core warns about an unknown key and
// ignores its value, so the schema allows additional properties (JSON Schema has no warnings) and
// neither side calls them an error. CUSTOMER_LENS_SCHEMA_REPORT=1 prints every disagreement found,
// allowed or not.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadIndex } from '../../src/core/check';
import { EVIDENCE_KINDS, HEALTHS, HORIZONS, ID_PATTERN, SEVERITIES, SIGNALS, STATUSES } from '../../src/core/model';
import type { RuleId } from '../../src/core/model';
import { FORMAT_KEYS, isValidDate } from '../../src/core/parse';
import { LspClient } from './lspClient';
import type { LspDiagnostic } from './lspClient';
import { ROOT, TODAY } from './run';

const SCHEMA = path.join(ROOT, 'schema', 'customer-insights.schema.json');
const SERVER = require.resolve('yaml-language-server/bin/yaml-language-server', { paths: [ROOT] });
const REPORT = process.env.CUSTOMER_LENS_SCHEMA_REPORT === '1';

/** A difference between the core and the schema that is allowed, because no schema can express the rule. */
interface Allowed {
  /** Which side reports the error the other does not. */
  side: 'core' | 'server';
  /** Core side: the core's rule. */
  rule?: RuleId;
  /** Server side: allowed only in a file where the core reports this rule. */
  coreReports?: RuleId;
  /** Only messages (of that side) matching this: the rule's other checks must agree. */
  message?: RegExp;
  reason: string;
}

/** The documented allow-list: each rule (or part of one) that a JSON Schema cannot express. */
export const ALLOWED: Allowed[] = [
  {
    side: 'core', rule: 'duplicate-id',
    reason: 'ids are unique across the items of a list (and across files): uniqueItems compares whole items, '
      + 'and no JSON Schema keyword compares one property across items.',
  },
  {
    side: 'core', rule: 'unknown-reference',
    reason: 'a persona, customer or related problem id must name an item defined elsewhere in the file (or in '
      + 'another file of the folder): JSON Schema cannot refer from one value to the values of another list.',
  },
  {
    side: 'core', rule: 'path-escapes', message: /^"\.\./,
    reason: 'whether "../x" leaves the workspace folder depends on where the insights file sits in it, which '
      + 'the schema does not know. (An absolute path always escapes: the schema reports that one too.)',
  },
  {
    side: 'core', rule: 'schema', message: /^"lines" \d+-\d+ is not a valid range/,
    reason: 'a range must not run backwards ("104-88"): comparing two numbers inside one text is beyond a '
      + 'pattern.',
  },
  {
    side: 'core', rule: 'schema', message: /^The tracker pattern (is not a valid regular expression|matches empty text)/,
    reason: 'a tracker pattern must be valid RE2 and must not match empty text: a schema can check its length '
      + 'but cannot compile it, and format "regex" means ECMAScript, not RE2.',
  },
  {
    side: 'core', rule: 'yaml-syntax', message: /YAML bomb|more than \d+ levels deep|over the .* limit/,
    reason: 'resource limits (alias expansion, nesting depth, file size) protect the reader before any '
      + 'schema applies; the language server has its own.',
  },
  {
    side: 'core', rule: 'yaml-syntax', message: /multiple documents/,
    reason: 'an insights file is one YAML document; a schema applies to each document of a stream on its own.',
  },
  {
    side: 'core', rule: 'version', message: /^This file is empty/,
    reason: 'a file of comments alone has no YAML node, and yaml-language-server applies no schema to it.',
  },
  {
    side: 'server', coreReports: 'yaml-syntax',
    reason: 'in a file that does not parse, the core reports the syntax errors and stops; the language server '
      + 'also validates what it could recover, so its schema errors there are not the schema\'s disagreement.',
  },
  {
    side: 'server', message: /^Unresolved tag: /,
    reason: 'YAML tags (!name) are not part of the format: the core reads a tagged value as its text, while '
      + 'yaml-language-server reports every tag its yaml.customTags setting does not name. A schema has no say.',
  },
];

/** A file of the corpus. */
interface Entry {
  name: string;
  text: string;
  /** .yaml or .yml, as the file is named. */
  ext: '.yaml' | '.yml';
  /** Table cases: the rule the core must report as an error (the case is what it claims). */
  expect?: RuleId;
  /** Table cases the core accepts: it must report no error. */
  valid?: boolean;
}

interface Finding {
  line: number;
  message: string;
  rule?: RuleId;
}

interface Disagreement {
  file: string;
  side: 'core' | 'server';
  line: number;
  rule?: RuleId;
  message: string;
  allowed?: Allowed;
}

// ---- the corpus ---------------------------------------------------------------------------------

const BASE = [
  'version: 1',
  'personas:',
  '  - id: owner',
  '    name: Owner',
  'customers:',
  '  - id: globex',
  '    name: Globex',
  'problems:',
  '  - id: P-1',
  '    title: Exports time out',
];

/** A small insights file: the base, then `lines` inside the problem P-1 (or after it). */
function problemWith(...lines: string[]): string {
  return [...BASE, ...lines, ''].join('\n');
}

/** Small cases, valid and invalid, each on the smallest file that shows it. */
const TABLE: { name: string; text: string; expect?: RuleId; valid?: true }[] = [
  // valid: what the core accepts, the schema must accept
  { name: 'the base file', text: problemWith(), valid: true },
  { name: 'numbers and booleans as text', text: problemWith('    owner: 42', '    description: true', '    tags: [1, 2.5, false]'), valid: true },
  { name: 'empty values of optional keys', text: problemWith('    status:', '    severity:', '    horizon:', '    description:', '    owner:', '    validated:', '    tags:', '    code:', '    evidence:'), valid: true },
  { name: 'empty top-level sections', text: 'version: 1\ntrackers:\npersonas:\ncustomers:\nproblems:\n', valid: true },
  { name: 'evidence with an empty kind (read as other)', text: problemWith('    evidence:', '      - kind:', '        quote: Q'), valid: true },
  { name: 'an unknown key (a warning)', text: problemWith('    stauts: solved'), valid: true },
  { name: 'an unknown key at the top (a warning)', text: problemWith('extra: [1, {a: b}]'), valid: true },
  { name: 'lines as a number, a text and a range', text: problemWith('    code:', '      - path: a.ts', '        lines: 88', '      - path: a.ts', '        lines: "88"', '      - path: b.ts', '        lines: 88-104', '        text: "if (x) {"'), valid: true },
  { name: 'a leap day', text: problemWith('    validated: 2024-02-29'), valid: true },
  { name: 'a tracker with a pattern and groups', text: 'version: 1\ntrackers:\n  - pattern: "GH-(\\\\d+)"\n    url: https://github.example/acme/shop/issues/{1}\n', valid: true },
  { name: 'an evidence item with a summary', text: problemWith('    evidence:', '      - kind: usage-data', '        summary: Half the exports fail', '        count: 52', '        url: HTTPS://support.example/52'), valid: true },
  { name: 'ids with dots and underscores', text: problemWith('  - id: P.2_b-3', '    title: Another'), valid: true },
  { name: 'a directory anchor and a glob', text: problemWith('    code:', '      - src/export', '      - src/**/*.ts', '      - path: src/export/**'), valid: true },
  // version
  { name: 'missing version', text: 'problems:\n  - id: P-1\n    title: T\n', expect: 'version' },
  { name: 'version 2', text: 'version: 2\n', expect: 'version' },
  { name: 'version "1" in quotes', text: 'version: "1"\n', expect: 'version' },
  { name: 'version empty', text: 'version:\n', expect: 'version' },
  // missing required fields
  { name: 'a problem without a title', text: 'version: 1\nproblems:\n  - id: P-1\n', expect: 'schema' },
  { name: 'a problem with an empty title', text: 'version: 1\nproblems:\n  - id: P-1\n    title: ""\n', expect: 'schema' },
  { name: 'a problem with a null title', text: 'version: 1\nproblems:\n  - id: P-1\n    title:\n', expect: 'schema' },
  { name: 'a problem without an id', text: 'version: 1\nproblems:\n  - title: T\n', expect: 'schema' },
  { name: 'a persona without a name', text: 'version: 1\npersonas:\n  - id: owner\n', expect: 'schema' },
  { name: 'a customer without an id', text: 'version: 1\ncustomers:\n  - name: Globex\n', expect: 'schema' },
  { name: 'an evidence item without a kind', text: problemWith('    evidence:', '      - quote: It hangs'), expect: 'schema' },
  { name: 'an evidence item without quote or summary', text: problemWith('    evidence:', '      - kind: interview'), expect: 'schema' },
  { name: 'a code anchor without a path', text: problemWith('    code:', '      - symbol: CsvWriter.flush'), expect: 'schema' },
  { name: 'a tracker without a url', text: 'version: 1\ntrackers:\n  - prefix: ACME\n', expect: 'schema' },
  { name: 'a tracker without prefix or pattern', text: 'version: 1\ntrackers:\n  - url: https://t.example/{key}\n', expect: 'schema' },
  { name: 'a tracker with both prefix and pattern', text: 'version: 1\ntrackers:\n  - prefix: ACME\n    pattern: "X-\\\\d+"\n    url: https://t.example/{key}\n', expect: 'schema' },
  // wrong types
  { name: 'the top level is a list', text: '- version: 1\n', expect: 'schema' },
  { name: 'the top level is text', text: 'customer insights\n', expect: 'schema' },
  { name: 'problems is a map', text: 'version: 1\nproblems:\n  P-1: {title: T}\n', expect: 'schema' },
  { name: 'a title that is a map', text: 'version: 1\nproblems:\n  - id: P-1\n    title: {en: T}\n', expect: 'schema' },
  { name: 'tags as one value', text: problemWith('    tags: export'), expect: 'schema' },
  { name: 'a tag that is a map', text: problemWith('    tags: [{a: b}]'), expect: 'schema' },
  { name: 'arr as text', text: 'version: 1\ncustomers:\n  - id: globex\n    name: Globex\n    arr: "240k"\n', expect: 'schema' },
  { name: 'a negative count', text: problemWith('    evidence:', '      - kind: survey', '        summary: S', '        count: -3'), expect: 'schema' },
  { name: 'impact empty (a map is expected)', text: problemWith('    impact:'), expect: 'schema' },
  { name: 'impact as a number', text: problemWith('    impact: 12'), expect: 'schema' },
  { name: 'product empty (a map is expected)', text: 'version: 1\nproduct:\n', expect: 'schema' },
  { name: 'an evidence item with an empty quote and no summary', text: problemWith('    evidence:', '      - kind: interview', '        quote:'), expect: 'schema' },
  { name: 'a tracker with an empty prefix and no pattern', text: 'version: 1\ntrackers:\n  - prefix:\n    url: https://t.example/{key}\n', expect: 'schema' },
  { name: 'a tracker with the pattern before the prefix', text: 'version: 1\ntrackers:\n  - pattern: "X-\\\\d+"\n    url: https://t.example/{key}\n    prefix: ACME\n', expect: 'schema' },
  { name: 'product as text', text: 'version: 1\nproduct: Acme Shop\n', expect: 'schema' },
  { name: 'a severity that is a list', text: problemWith('    severity: [high]'), expect: 'schema' },
  { name: 'a null code anchor', text: problemWith('    code:', '      -'), expect: 'schema' },
  // unknown enum values
  { name: 'an unknown status', text: problemWith('    status: done'), expect: 'schema' },
  { name: 'an unknown severity', text: problemWith('    severity: huge'), expect: 'schema' },
  { name: 'an unknown horizon', text: problemWith('    horizon: later'), expect: 'schema' },
  { name: 'an unknown evidence kind', text: problemWith('    evidence:', '      - kind: chat', '        quote: Q'), expect: 'schema' },
  { name: 'an unknown signal', text: problemWith('    evidence:', '      - kind: interview', '        signal: heard', '        quote: Q'), expect: 'schema' },
  { name: 'an unknown health', text: 'version: 1\ncustomers:\n  - id: globex\n    name: Globex\n    health: sick\n', expect: 'schema' },
  // dates
  { name: 'a date in another format', text: problemWith('    validated: 01/10/2026'), expect: 'schema' },
  { name: 'a date that is not in the calendar', text: problemWith('    validated: 2026-02-30'), expect: 'schema' },
  { name: 'month 13', text: problemWith('    validated: 2026-13-01'), expect: 'schema' },
  { name: 'February 29 of a common year', text: problemWith('    validated: 2026-02-29'), expect: 'schema' },
  { name: 'February 29 of 1900', text: problemWith('    validated: 1900-02-29'), expect: 'schema' },
  { name: 'a bad evidence date', text: problemWith('    evidence:', '      - kind: interview', '        quote: Q', '        date: 2026-9-28'), expect: 'schema' },
  { name: 'a bad impact as_of', text: problemWith('    impact:', '      as_of: yesterday'), expect: 'schema' },
  // ids
  { name: 'an id starting with a digit', text: 'version: 1\nproblems:\n  - id: 12\n    title: T\n', expect: 'schema' },
  { name: 'an id with a space', text: 'version: 1\npersonas:\n  - id: shop owner\n    name: Shop owner\n', expect: 'schema' },
  { name: 'a tracker prefix with a dash', text: 'version: 1\ntrackers:\n  - prefix: AC-ME\n    url: https://t.example/{key}\n', expect: 'schema' },
  // lines and anchors
  { name: 'lines 0', text: problemWith('    code:', '      - path: a.ts', '        lines: 0'), expect: 'schema' },
  { name: 'lines "0-5"', text: problemWith('    code:', '      - path: a.ts', '        lines: "0-5"'), expect: 'schema' },
  { name: 'lines as words', text: problemWith('    code:', '      - path: a.ts', '        lines: eighty'), expect: 'schema' },
  { name: 'lines 88.5', text: problemWith('    code:', '      - path: a.ts', '        lines: 88.5'), expect: 'schema' },
  { name: 'a range that runs backwards', text: problemWith('    code:', '      - path: a.ts', '        lines: 104-88'), expect: 'schema' },
  { name: 'symbol and lines together', text: problemWith('    code:', '      - path: a.ts', '        symbol: f', '        lines: 3'), expect: 'schema' },
  { name: 'text without lines', text: problemWith('    code:', '      - path: a.ts', '        text: "if (x) {"'), expect: 'schema' },
  { name: 'a symbol anchor on a glob', text: problemWith('    code:', '      - path: src/*.ts', '        symbol: f'), expect: 'schema' },
  { name: 'an empty path', text: problemWith('    code:', '      - ""'), expect: 'schema' },
  { name: 'a path that escapes', text: problemWith('    code:', '      - ../../outside.ts'), expect: 'path-escapes' },
  { name: 'an absolute path', text: problemWith('    code:', '      - path: /etc/passwd'), expect: 'path-escapes' },
  // URLs and trackers
  { name: 'a javascript: evidence url', text: problemWith('    evidence:', '      - kind: support', '        quote: Q', '        url: "javascript:alert(1)"'), expect: 'schema' },
  { name: 'an ftp tracker url', text: 'version: 1\ntrackers:\n  - prefix: ACME\n    url: ftp://t.example/{key}\n', expect: 'schema' },
  { name: 'a url without a host', text: problemWith('    evidence:', '      - kind: support', '        quote: Q', '        url: "https://"'), expect: 'schema' },
  { name: 'a tracker pattern over 200 characters', text: `version: 1\ntrackers:\n  - pattern: "${'A'.repeat(201)}"\n    url: https://t.example/{key}\n`, expect: 'schema' },
  { name: 'a tracker pattern that is not RE2', text: 'version: 1\ntrackers:\n  - pattern: "(?<=A)B"\n    url: https://t.example/{key}\n', expect: 'schema' },
  { name: 'a tracker pattern that matches empty text', text: 'version: 1\ntrackers:\n  - pattern: "X*"\n    url: https://t.example/{key}\n', expect: 'schema' },
  // cross-item rules
  { name: 'duplicate problem ids', text: problemWith('  - id: P-1', '    title: Again'), expect: 'duplicate-id' },
  { name: 'duplicate persona ids', text: 'version: 1\npersonas:\n  - id: owner\n    name: A\n  - id: owner\n    name: B\n', expect: 'duplicate-id' },
  { name: 'an unknown persona', text: problemWith('    personas: [ownr]'), expect: 'unknown-reference' },
  { name: 'an unknown customer', text: problemWith('    customers: [initech]'), expect: 'unknown-reference' },
  { name: 'an unknown related problem', text: problemWith('    related: [P-9]'), expect: 'unknown-reference' },
  // YAML
  { name: 'an empty file', text: '', expect: 'version' },
  { name: 'a file of comments only', text: '# customer insights\n', expect: 'version' },
  { name: 'two documents', text: 'version: 1\n---\nversion: 1\n', expect: 'yaml-syntax' },
  { name: 'an unresolved tag (read as text by the core)', text: 'version: 1\nproduct:\n  name: !secret name\n', valid: true },
  { name: 'a repeated key', text: problemWith('    title: Again'), expect: 'yaml-syntax' },
  { name: 'tabs for indentation', text: 'version: 1\nproblems:\n\t- id: P-1\n', expect: 'yaml-syntax' },
  { name: 'an unclosed quote', text: 'version: 1\nproduct:\n  name: "Acme\n', expect: 'yaml-syntax' },
];

function corpus(): Entry[] {
  const entries: Entry[] = [];
  const add = (file: string) => {
    const rel = path.relative(ROOT, file).split(path.sep).join('/');
    entries.push({ name: rel, text: fs.readFileSync(file).toString('utf8'), ext: file.endsWith('.yml') ? '.yml' : '.yaml' });
  };
  for (const example of fs.readdirSync(path.join(ROOT, 'examples')).sort()) {
    for (const name of ['customer-insights.yaml', 'customer-insights.yml']) {
      const file = path.join(ROOT, 'examples', example, name);
      if (fs.existsSync(file)) add(file);
    }
  }
  // Every YAML file under test/fixtures is an insights file (whole, or before and after an edit).
  const fixtures = path.join(ROOT, 'test', 'fixtures');
  for (const f of (fs.readdirSync(fixtures, { recursive: true }) as string[]).sort()) {
    if (/\.ya?ml$/.test(f)) add(path.join(fixtures, f));
  }
  for (const c of TABLE) entries.push({ name: `table: ${c.name}`, text: c.text, ext: '.yaml', expect: c.expect, valid: c.valid });
  return entries;
}

// ---- the two checkers ---------------------------------------------------------------------------

function coreErrors(text: string): Finding[] {
  const index = loadIndex([{ file: 'customer-insights.yaml', text, byteSize: Buffer.byteLength(text, 'utf8') }], { today: TODAY });
  return index.diagnostics.filter((d) => d.severity === 'error').map((d) => ({ line: d.span.line + 1, message: d.message, rule: d.rule }));
}

function serverErrors(diagnostics: LspDiagnostic[]): Finding[] {
  return diagnostics.filter((d) => (d.severity ?? 1) === 1).map((d) => ({ line: d.range.start.line + 1, message: d.message }));
}

function allowedFor(side: 'core' | 'server', finding: Finding, core: Finding[]): Allowed | undefined {
  return ALLOWED.find((a) => a.side === side
    && (a.rule === undefined || a.rule === finding.rule)
    && (a.coreReports === undefined || core.some((f) => f.rule === a.coreReports))
    && (a.message === undefined || a.message.test(finding.message)));
}

/** Where the two disagree: errors on a line the other side has no error on. */
function compare(file: string, core: Finding[], server: Finding[]): Disagreement[] {
  const coreLines = new Set(core.map((f) => f.line));
  const serverLines = new Set(server.map((f) => f.line));
  const out: Disagreement[] = [];
  for (const f of core) if (!serverLines.has(f.line)) out.push({ file, side: 'core', ...f, allowed: allowedFor('core', f, core) });
  for (const f of server) if (!coreLines.has(f.line)) out.push({ file, side: 'server', ...f, allowed: allowedFor('server', f, core) });
  return out;
}

function describeDisagreement(d: Disagreement): string {
  const who = d.side === 'core' ? `only the core: ${d.rule}` : 'only the language server';
  return `${d.file}:${d.line}: ${who}: ${d.message.split('\n')[0].slice(0, 160)}${d.allowed ? ' (allowed)' : ''}`;
}

// ---- the test -----------------------------------------------------------------------------------

describe('the JSON Schema agrees with the core (yaml-language-server over LSP)', function () {
  this.timeout(180_000);
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    contributes: { yamlValidation?: { fileMatch: string[]; url: string }[] };
  };
  const registration = pkg.contributes.yamlValidation ?? [];
  let client: LspClient;
  const schemaUri = pathToFileURL(SCHEMA).href;
  const settings = {
    yaml: {
      validate: true, completion: true, hover: true, format: { enable: false },
      schemaStore: { enable: false },
      schemas: { [schemaUri]: registration.flatMap((r) => r.fileMatch) },
    },
  };
  const documentBase = pathToFileURL(path.join(ROOT, 'out', 'schema-test-documents')).href;
  let opened = 0;

  /** The language server's diagnostics for `text`, opened as an insights file of its own folder. */
  async function diagnose(text: string, ext: '.yaml' | '.yml'): Promise<LspDiagnostic[]> {
    const uri = `${documentBase}/${++opened}/customer-insights${ext}`;
    const published = client.nextDiagnostics(uri, 15_000);
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    try {
      return await published;
    } finally {
      client.notify('textDocument/didClose', { textDocument: { uri } });
    }
  }

  before(async () => {
    client = new LspClient(process.execPath, [SERVER, '--stdio'], (method, params) => {
      if (method === 'workspace/configuration') {
        return (params as { items: { section?: string }[] }).items.map((i) => (i.section === 'yaml' ? settings.yaml : null));
      }
      return null;
    });
    await client.request('initialize', {
      processId: process.pid,
      rootUri: documentBase,
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: false } },
        textDocument: { publishDiagnostics: { relatedInformation: false }, synchronization: { didSave: false } },
      },
      initializationOptions: {},
    });
    client.notify('initialized', {});
    client.notify('workspace/didChangeConfiguration', { settings });
    // The settings reach the server asynchronously: wait until a document shows the schema is in use.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const diagnostics = await diagnose('version: 2\n', '.yaml');
      if (serverErrors(diagnostics).length > 0) break;
      if (Date.now() > deadline) throw new Error(`the schema never applied:\n${client.log.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  after(async () => {
    await client?.close();
  });

  it('package.json registers the schema for both file names through contributes.yamlValidation', () => {
    assert.deepEqual(registration, [{ fileMatch: ['customer-insights.yaml', 'customer-insights.yml'], url: './schema/customer-insights.schema.json' }]);
    assert.ok(fs.existsSync(path.join(ROOT, registration[0].url)));
  });

  const entries = corpus();
  const disagreements: Disagreement[] = [];
  const exercised = new Set<Allowed>();

  it(`the core and the schema find errors on the same lines of ${entries.length} files`, async () => {
    const untrue: string[] = [];
    // yaml-language-server validates 200 ms after a document opens: open a batch at a time.
    const published: LspDiagnostic[][] = [];
    for (let i = 0; i < entries.length; i += 25) {
      published.push(...await Promise.all(entries.slice(i, i + 25).map((e) => diagnose(e.text, e.ext))));
    }
    for (const [i, entry] of entries.entries()) {
      const core = coreErrors(entry.text);
      // A table case must be what it says, or agreeing on it proves nothing.
      if (entry.expect && !core.some((f) => f.rule === entry.expect)) untrue.push(`${entry.name}: the core reports no ${entry.expect} error (${JSON.stringify(core)})`);
      if (entry.valid && core.length > 0) untrue.push(`${entry.name}: the core reports errors (${JSON.stringify(core)})`);
      const server = serverErrors(published[i]);
      const found = compare(entry.name, core, server);
      for (const d of found) if (d.allowed) exercised.add(d.allowed);
      disagreements.push(...found);
    }
    if (REPORT) for (const d of disagreements) console.log(`    ${describeDisagreement(d)}`);
    assert.deepEqual(untrue, [], 'table cases that are not what they claim');
    const wrong = disagreements.filter((d) => !d.allowed);
    assert.equal(wrong.length, 0, `${wrong.length} disagreements outside the allow-list:\n${wrong.map(describeDisagreement).join('\n')}`);
  });

  it('every entry of the allow-list is needed by some file of the corpus', () => {
    const unused = ALLOWED.filter((a) => !exercised.has(a));
    assert.deepEqual(unused.map((a) => `${a.side} ${a.rule ?? a.coreReports ?? ''} ${a.message ?? ''}`), []);
  });
});

// ---- the schema's tables are the core's ----------------------------------------------------------

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  oneOf?: SchemaNode[];
  enum?: unknown[];
  pattern?: string;
  $ref?: string;
  definitions?: Record<string, SchemaNode>;
}

describe('the JSON Schema lists what the core knows', () => {
  const schema = JSON.parse(fs.readFileSync(SCHEMA, 'utf8')) as SchemaNode;
  const deref = (node: SchemaNode): SchemaNode => (node.$ref ? schema.definitions![node.$ref.replace('#/definitions/', '')] : node);
  const problem = schema.properties!.problems.items!;
  const evidence = problem.properties!.evidence.items!;
  const anchor = problem.properties!.code.items!.oneOf![1];

  it("the keys of every map, in the core's order (completions offer them)", () => {
    const maps: [keyof typeof FORMAT_KEYS, SchemaNode][] = [
      ['top', schema], ['product', schema.properties!.product], ['tracker', schema.properties!.trackers.items!],
      ['persona', schema.properties!.personas.items!], ['customer', schema.properties!.customers.items!],
      ['problem', problem], ['impact', problem.properties!.impact], ['evidence', evidence], ['anchor', anchor],
    ];
    for (const [name, node] of maps) assert.deepEqual(Object.keys(node.properties!), [...FORMAT_KEYS[name]], name);
  });

  it('the values of every enumeration (an empty value is the default)', () => {
    const values = (node: SchemaNode) => node.enum!.filter((v) => v !== null);
    assert.deepEqual(values(problem.properties!.status), [...STATUSES]);
    assert.deepEqual(values(problem.properties!.severity), [...SEVERITIES]);
    assert.deepEqual(values(problem.properties!.horizon), [...HORIZONS]);
    assert.deepEqual(values(evidence.properties!.kind), [...EVIDENCE_KINDS]);
    assert.deepEqual(values(evidence.properties!.signal), [...SIGNALS]);
    assert.deepEqual(values(schema.properties!.customers.items!.properties!.health), [...HEALTHS]);
  });

  it('the id pattern', () => {
    assert.equal(schema.definitions!.id.pattern, ID_PATTERN.source);
    assert.equal(deref(problem.properties!.id).pattern, ID_PATTERN.source);
  });

  it('the date pattern accepts exactly the calendar dates the core accepts (years 1000 to 2800, and odd shapes)', () => {
    const pattern = new RegExp(schema.definitions!.date.pattern!, 'u');
    const differ: string[] = [];
    const two = (n: number) => String(n).padStart(2, '0');
    for (let year = 1000; year <= 2800 && differ.length < 10; year++) {
      for (let month = 0; month <= 13; month++) {
        for (let day = 0; day <= 32; day++) {
          const date = `${year}-${two(month)}-${two(day)}`;
          if (pattern.test(date) !== isValidDate(date)) differ.push(date);
        }
      }
    }
    for (const odd of ['2026-1-01', '2026-01-1', '26-01-01', '2026/01/01', ' 2026-01-01', '2026-01-01 ', '2026-01-01T00:00', '']) {
      if (pattern.test(odd) !== isValidDate(odd)) differ.push(odd);
    }
    assert.deepEqual(differ, []);
  });
});

describe('the comparison itself', () => {
  it('reports an error on one side only, and allows only what the allow-list names', () => {
    const found = compare('f', [{ line: 3, rule: 'schema', message: 'x' }, { line: 5, rule: 'duplicate-id', message: 'y' }], [{ line: 7, message: 'z' }]);
    assert.deepEqual(found.map((d) => `${d.side} ${d.line} ${d.allowed ? 'allowed' : 'not allowed'}`), ['core 3 not allowed', 'core 5 allowed', 'server 7 not allowed']);
    assert.deepEqual(compare('f', [{ line: 2, rule: 'schema', message: 'x' }], [{ line: 2, message: 'w' }]), []);
  });
});
