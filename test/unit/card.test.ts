// The problem card shown in hovers and tooltips: what it says, and that what it quotes is escaped.
import * as assert from 'node:assert/strict';
import { escapeMarkdown, problemCard, webLink } from '../../src/core/card';
import { index, parse, yml } from './helpers';

function card(...problem: string[]): string {
  const idx = index([parse(yml('version: 1', 'problems:', ...problem))], { today: '2026-12-02' });
  return problemCard(idx.problems[0], idx);
}

describe('card', () => {
  it('a hypothesis never says "validated": its date is the newest evidence', () => {
    const text = card(
      '  - id: P-1', '    title: T', '    status: hypothesis',
      '    evidence:', '      - {kind: survey, summary: "Some said so", date: 2026-12-02}',
    );
    assert.match(text, /Hypothesis: no customer has confirmed this problem yet/);
    assert.match(text, /Newest evidence today\./);
    assert.doesNotMatch(text, /Validated/);
  });

  it('a validated problem says when a customer last confirmed it', () => {
    const text = card('  - id: P-1', '    title: T', '    status: validated', '    validated: 2026-11-30');
    assert.match(text, /Validated 2 days ago\./);
  });

  it('a stale hypothesis says its newest evidence is old', () => {
    const text = card(
      '  - id: P-1', '    title: T', '    status: hypothesis',
      '    evidence:', '      - {kind: interview, quote: "x", date: 2025-01-01}',
    );
    assert.match(text, /\*\*Stale:\*\* newest evidence \d+ days ago \(2025-01-01\)/);
  });

  it('labels a summary as a summary, and a quote by what the customer did or said', () => {
    const text = card(
      '  - id: P-1', '    title: T',
      '    evidence:',
      '      - {kind: survey, summary: "Most respondents export monthly", count: 40}',
      '      - {kind: field-study, quote: "Watched her retype the totals"}',
      '      - {kind: interview, quote: "I dread month end"}',
    );
    const quoted = text.split('\n').filter((l) => l.startsWith('> \u2014'));
    // The strongest first: observed beats said; here only two are quoted.
    assert.equal(quoted.length, 2);
    assert.match(quoted[0], /\$\(eye\) observed/);
    assert.match(text, /summary of what customers said/);
    assert.doesNotMatch(text, /I dread month end/);
  });

  it('escapes Markdown and HTML from the file and links only http(s) URLs', () => {
    const text = card('  - id: P-1', '    title: "<img src=x onerror=alert(1)> [click](command:evil) **bold**"');
    assert.doesNotMatch(text, /(?<!\\)<img/);
    assert.doesNotMatch(text, /\]\(command:/);
    assert.match(text, /\\<img/);
    assert.equal(webLink('x', 'javascript:alert(1)'), 'x');
    assert.equal(webLink('a', 'https://e.example/a(b)'), '[a](https://e.example/a%28b%29)');
    assert.equal(webLink('a', 'https://e.example/a b'), 'a');
    assert.equal(escapeMarkdown('line\nbreak'), 'line break');
  });
});
