// The checker's findings in the formats CI systems read: GitHub Actions workflow commands (annotations
// on a pull request's files) and SARIF 2.1.0 (GitHub code scanning and other SARIF viewers). Pure:
// the caller passes the diagnostics, the rules, and how to read the text of a line.
import { createHash } from 'node:crypto';
import type { Diagnostic, DiagnosticSeverity, RuleId } from './model';
import type { RuleInfo } from './rules';

/** The text of a 0-based line of a file (relative to the checked folder), when it can be read. */
export type LineText = (file: string, line: number) => string | undefined;

export interface ReportOptions {
  /** The checked folder relative to the repository's root, '/' separators ('' for the root itself). */
  folder: string;
}

/** A file of the checked folder as a path from the repository's root. */
export function repositoryPath(folder: string, file: string): string {
  const prefix = folder.replace(/\\/g, '/').replace(/^\.\/?|\/+$/g, '');
  return prefix === '' ? file : `${prefix}/${file}`;
}

// ---- GitHub Actions workflow commands --------------------------------------------------------------

const GITHUB_LEVEL: Record<DiagnosticSeverity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', info: 'notice' };
const SEVERITY_ORDER: Record<DiagnosticSeverity, number> = { error: 0, warning: 1, info: 2 };

/** A workflow command's data (the message), escaped as GitHub's toolkit does. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A workflow command's property value, escaped as GitHub's toolkit does. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * One `::error|warning|notice file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message` line per
 * diagnostic, the most severe first (GitHub shows a limited number of annotations per step), in
 * reading order within a severity. Lines and columns are 1-based; the end column is the one after
 * the span, as in `check --format json`. The caller makes the lines printable.
 */
export function githubAnnotations(diagnostics: readonly Diagnostic[], rules: readonly RuleInfo[], options: ReportOptions): string[] {
  const ordered = diagnostics.map((d, i) => ({ d, i }))
    .sort((a, b) => SEVERITY_ORDER[a.d.severity] - SEVERITY_ORDER[b.d.severity] || a.i - b.i);
  return ordered.map(({ d }) => {
    const rule = rules.find((r) => r.id === d.rule);
    const props = [
      ['file', repositoryPath(options.folder, d.file)],
      ['line', String(d.span.line + 1)],
      ['col', String(d.span.col + 1)],
      ['endLine', String(d.span.endLine + 1)],
      ['endColumn', String(d.span.endCol + 1)],
      ['title', `Customer Lens ${d.rule}${rule ? ` (${rule.short})` : ''}`],
    ].map(([k, v]) => `${k}=${escapeProperty(v)}`).join(',');
    return `::${GITHUB_LEVEL[d.severity]} ${props}::${escapeData(d.message)}`;
  });
}

// ---- SARIF 2.1.0 ------------------------------------------------------------------------------------

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
/** The key of our partial fingerprint (GitHub computes its own primaryLocationLineHash beside it). */
export const FINGERPRINT_KEY = 'customerLensFinding/v1';

const SARIF_LEVEL: Record<DiagnosticSeverity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

export interface ToolInfo {
  name: string;
  version: string;
  informationUri: string;
}

/** A note about the run itself (a path that was not scanned), reported beside the results. */
export interface RunNote {
  file: string;
  message: string;
}

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: SarifRun[];
}

interface SarifMessage {
  text: string;
  markdown?: string;
}

interface SarifLocation {
  physicalLocation: {
    artifactLocation: { uri: string; uriBaseId: '%SRCROOT%' };
    region?: { startLine: number; startColumn: number; endLine: number; endColumn: number };
  };
}

interface SarifRun {
  tool: {
    driver: {
      name: string;
      informationUri: string;
      version: string;
      semanticVersion: string;
      rules: {
        id: RuleId;
        name: string;
        shortDescription: SarifMessage;
        fullDescription: SarifMessage;
        help: SarifMessage;
        defaultConfiguration: { level: 'error' | 'warning' | 'note' };
        properties: { tags: string[] };
      }[];
    };
  };
  invocations: {
    executionSuccessful: boolean;
    toolExecutionNotifications: { level: 'note'; message: SarifMessage; locations: SarifLocation[] }[];
  }[];
  columnKind: 'utf16CodeUnits';
  results: {
    ruleId: RuleId;
    ruleIndex: number;
    level: 'error' | 'warning' | 'note';
    message: SarifMessage;
    locations: SarifLocation[];
    partialFingerprints: Record<string, string>;
  }[];
}

/** A relative path as a URI reference: each segment percent-encoded, '/' kept. */
export function uriOfPath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/**
 * A fingerprint that survives lines moving: a hash of the rule, the file and the trimmed text of the
 * finding's first line (the message when the line cannot be read), then ':' and the occurrence of
 * that hash among the findings so far (1 for the first), so that equal lines stay distinct.
 */
export function fingerprints(diagnostics: readonly Diagnostic[], lineText: LineText, options: ReportOptions): string[] {
  const seen = new Map<string, number>();
  return diagnostics.map((d) => {
    const text = lineText(d.file, d.span.line);
    const basis = text === undefined ? `message\u0000${d.message}` : `line\u0000${text.trim()}`;
    const hash = createHash('sha256').update(`${d.rule}\u0000${repositoryPath(options.folder, d.file)}\u0000${basis}`).digest('hex').slice(0, 32);
    const n = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, n);
    return `${hash}:${n}`;
  });
}

function location(path: string, region?: SarifLocation['physicalLocation']['region']): SarifLocation {
  return { physicalLocation: { artifactLocation: { uri: uriOfPath(path), uriBaseId: '%SRCROOT%' }, ...(region ? { region } : {}) } };
}

function markdownHelp(rule: RuleInfo): string {
  return `**${rule.short}** (\`${rule.id}\`, ${rule.severity})\n\n${rule.full}\n\n**How to fix:** ${rule.help}\n\nThe insights format: docs/format.md.`;
}

/** One SARIF run with every rule and one result per diagnostic, in the order given. */
export function sarifLog(
  diagnostics: readonly Diagnostic[], rules: readonly RuleInfo[], tool: ToolInfo, lineText: LineText,
  options: ReportOptions, notes: readonly RunNote[] = [],
): SarifLog {
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const prints = fingerprints(diagnostics, lineText, options);
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: tool.name,
          informationUri: tool.informationUri,
          version: tool.version,
          semanticVersion: tool.version,
          rules: rules.map((r) => ({
            id: r.id,
            name: r.name,
            shortDescription: { text: r.short },
            fullDescription: { text: r.full },
            help: { text: r.help, markdown: markdownHelp(r) },
            defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
            properties: { tags: ['customer-insights'] },
          })),
        },
      },
      invocations: [{
        executionSuccessful: true,
        toolExecutionNotifications: notes.map((n) => ({
          level: 'note' as const, message: { text: n.message }, locations: [location(repositoryPath(options.folder, n.file))],
        })),
      }],
      columnKind: 'utf16CodeUnits',
      results: diagnostics.map((d, i) => ({
        ruleId: d.rule,
        ruleIndex: index.get(d.rule) ?? -1,
        level: SARIF_LEVEL[d.severity],
        message: { text: d.message },
        locations: [location(repositoryPath(options.folder, d.file), {
          startLine: d.span.line + 1,
          startColumn: d.span.col + 1,
          endLine: d.span.endLine + 1,
          endColumn: d.span.endCol + 1,
        })],
        partialFingerprints: { [FINGERPRINT_KEY]: prints[i] },
      })),
    }],
  };
}
