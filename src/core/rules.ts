// What each diagnostic rule is about, in one place: the short and full descriptions and the help
// that reports show (SARIF's rule metadata, the annotations' titles). The severity stays in
// RULE_SEVERITY (model.ts), the format's contract; docs/format.md documents the same rules.
import { RULE_SEVERITY } from './model';
import type { DiagnosticSeverity, RuleId } from './model';

export interface RuleInfo {
  id: RuleId;
  /** The rule's name in CamelCase, as SARIF tools show it. */
  name: string;
  severity: DiagnosticSeverity;
  /** One line, a few words. */
  short: string;
  /** What the rule checks, in a sentence or two. */
  full: string;
  /** How to fix a finding, in plain text. */
  help: string;
}

type RuleText = Omit<RuleInfo, 'id' | 'name' | 'severity'>;

const TEXTS: Record<RuleId, RuleText> = {
  'yaml-syntax': {
    short: 'The insights file is not valid YAML',
    full: 'The text cannot be read as YAML (tabs for indentation, a repeated key, an unclosed quote…), the file is over the size limit, or its aliases expand like a YAML bomb. Nothing else in the file is checked until it reads.',
    help: 'Fix the first syntax error the message names; later ones often follow from it. Indent with spaces, write each key once per map and close every quote. A file over the size limit can be split: several customer-insights.yaml files in one folder merge into one index.',
  },
  version: {
    short: 'The format version is missing or not 1',
    full: 'An insights file starts with "version: 1", the format version Customer Lens reads. "1" in quotes is text, not the version.',
    help: 'Write "version: 1" as the first key of the file.',
  },
  schema: {
    short: 'A value does not fit the format',
    full: 'A required field is missing, a value has the wrong type, an enumeration has an unknown value, or a date, id, line range, URL or tracker pattern is invalid.',
    help: 'Change the value as the message says. Dates are YYYY-MM-DD, ids start with a letter and use letters, digits, ".", "_" and "-", line ranges read "88" or "88-104", URLs start with https:// or http://. The format is in docs/format.md.',
  },
  'unknown-key': {
    short: 'A key the format does not know',
    full: 'The format does not know this key, so its value is ignored. Often a typo: the message names the nearest known key.',
    help: 'Rename the key to the one the message suggests, or remove it.',
  },
  'duplicate-id': {
    short: 'An id is used twice',
    full: 'Problem, persona and customer ids are unique across every insights file of a workspace folder. The first in path order is kept; later ones are ignored.',
    help: 'Give one of the two items a new id, or merge them. Code that names the id with @why keeps pointing at the first.',
  },
  'unknown-reference': {
    short: 'An id that names nothing',
    full: 'A persona, customer or related problem id in the insights file, or an id after @why in code, that no item defines. The message names the nearest id.',
    help: 'Correct the id to the one the message suggests, or define the missing persona, customer or problem in the insights file.',
  },
  'anchor-lost': {
    short: 'Linked code cannot be found',
    full: 'An anchor in the insights file (a path, a symbol or a line range) no longer finds its code: the file, the symbol or the text of its first line is gone. The message says why.',
    help: 'Point the anchor at where the code lives now (path, symbol or lines with text), or remove the anchor if the code no longer solves the problem.',
  },
  'anchor-moved': {
    short: 'Linked code has moved',
    full: 'A lines anchor with text found its code on other lines: the link still holds, but "lines" is out of date.',
    help: 'Update "lines" to the range the message names (in VS Code, the quick fix does it).',
  },
  'path-escapes': {
    short: 'A path leaves the workspace folder',
    full: 'Paths in an insights file are relative to its folder and must stay inside the workspace folder: "../" that climbs out of it, and absolute paths, are refused.',
    help: 'Write the path relative to the insights file\'s folder, inside the repository; an insights file in a package can only link that package\'s neighbours below the workspace folder.',
  },
  stale: {
    short: 'A problem nobody confirmed for a long time',
    full: 'The newest of the problem\'s "validated" date and its evidence dates is older than the staleness limit (180 days by default). Customer knowledge goes stale.',
    help: 'Talk to a customer and record it: add evidence with a date, or update "validated". Mark the problem solved or wont-fix if nobody acts on it any more.',
  },
  'ticket-unrecognised': {
    short: 'A ticket no tracker recognises',
    full: 'A ticket key that matches no tracker prefix or pattern, so it cannot be linked.',
    help: 'Add a tracker (a prefix such as ACME, or a pattern) under "trackers" with its url, or write the ticket as its URL.',
  },
};

function camelName(id: string): string {
  return id.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

/** Every rule, in the order of RULE_SEVERITY (the format's order). */
export const RULES: readonly RuleInfo[] = (Object.keys(RULE_SEVERITY) as RuleId[]).map((id) => ({
  id, name: camelName(id), severity: RULE_SEVERITY[id], ...TEXTS[id],
}));

export function ruleInfo(id: RuleId): RuleInfo {
  return RULES.find((r) => r.id === id)!;
}
