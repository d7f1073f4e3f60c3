// The typed model of customer-insights files (format version 1). Everything here is plain data so it
// can cross a worker boundary; every item keeps where it was written so messages can point at it.

/** A span in a text file. Lines and columns are 0-based, the end is exclusive (as in editors). */
export interface Span {
  line: number;
  col: number;
  endLine: number;
  endCol: number;
}

/** Ids of problems, personas and customers: letters, digits, '.', '_' and '-', starting with a letter. */
export const ID_PATTERN = /^[A-Za-z][A-Za-z0-9._-]*$/;

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export const STATUSES = ['hypothesis', 'validated', 'in-progress', 'solved', 'wont-fix'] as const;
export const HORIZONS = ['urgent', 'active', 'strategic'] as const;
export const EVIDENCE_KINDS = [
  'interview', 'field-study', 'focus-group', 'survey', 'support', 'sales-call', 'usage-data', 'review', 'other',
] as const;
export const SIGNALS = ['said', 'observed'] as const;
export const HEALTHS = ['healthy', 'at-risk', 'churned'] as const;

export type Severity = (typeof SEVERITIES)[number];
export type Status = (typeof STATUSES)[number];
export type Horizon = (typeof HORIZONS)[number];
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];
export type Signal = (typeof SIGNALS)[number];
export type Health = (typeof HEALTHS)[number];

/** A string value together with where it was written. */
export interface Located<T = string> {
  value: T;
  span: Span;
}

export interface Product {
  name?: string;
  value?: string;
}

export interface Tracker {
  prefix?: string;
  pattern?: string;
  url: string;
  span: Span;
  /** Where the prefix or pattern was written (diagnostics about it point here). */
  keySpan: Span;
  /** False when the tracker was rejected (bad or unsafe pattern): it then recognises nothing. */
  usable: boolean;
}

export interface Persona {
  id: string;
  name: string;
  description?: string;
  jobs: string[];
  file: string;
  span: Span;
  idSpan: Span;
}

export interface Customer {
  id: string;
  name: string;
  segment?: string;
  arr?: number;
  health?: Health;
  file: string;
  span: Span;
  idSpan: Span;
}

export interface Evidence {
  kind: EvidenceKind;
  /** What the item is: given explicitly, or the kind's default (field-study and usage-data are observed). */
  signal: Signal;
  quote?: string;
  summary?: string;
  /** A customer id when it names one, otherwise free text. */
  customer?: Located;
  persona?: Located;
  date?: string;
  url?: string;
  count?: number;
  span: Span;
}

export interface Impact {
  customers?: number;
  arr?: number;
  votes?: number;
  tickets?: number;
  asOf?: string;
}

export type AnchorKind = 'path' | 'symbol' | 'lines';

export interface Anchor {
  kind: AnchorKind;
  /** The path or glob exactly as written, relative to the insights file's directory. */
  written: string;
  /** The path or glob relative to the workspace folder, with '/' separators; undefined when it escapes. */
  path?: string;
  /** True when `path` holds glob characters (then it matches a set of files). */
  glob: boolean;
  symbol?: string;
  /** 1-based inclusive line range, as written. */
  lines?: { start: number; end: number };
  text?: string;
  note?: string;
  problemId: string;
  file: string;
  /** Position of this anchor in the problem's `code` list. */
  index: number;
  span: Span;
  pathSpan: Span;
  linesSpan?: Span;
}

export interface Problem {
  id: string;
  title: string;
  description?: string;
  status: Status;
  severity: Severity;
  horizon?: Horizon;
  personas: Located[];
  customers: Located[];
  tags: string[];
  impact?: Impact;
  validated?: string;
  owner?: string;
  related: Located[];
  evidence: Evidence[];
  tickets: Located[];
  code: Anchor[];
  file: string;
  span: Span;
  idSpan: Span;
}

export type RuleId =
  | 'yaml-syntax'
  | 'version'
  | 'schema'
  | 'unknown-key'
  | 'duplicate-id'
  | 'unknown-reference'
  | 'anchor-lost'
  | 'anchor-moved'
  | 'path-escapes'
  | 'stale'
  | 'ticket-unrecognised';

export type DiagnosticSeverity = 'error' | 'warning' | 'info';

/** The severity each rule carries (the format's contract; documented in docs/format.md). */
export const RULE_SEVERITY: Record<RuleId, DiagnosticSeverity> = {
  'yaml-syntax': 'error',
  version: 'error',
  schema: 'error',
  'unknown-key': 'warning',
  'duplicate-id': 'error',
  'unknown-reference': 'error',
  'anchor-lost': 'warning',
  'anchor-moved': 'warning',
  'path-escapes': 'error',
  stale: 'warning',
  'ticket-unrecognised': 'info',
};

export interface TextFix {
  title: string;
  span: Span;
  newText: string;
}

export interface Diagnostic {
  /** File the diagnostic is about, relative to the workspace folder. */
  file: string;
  span: Span;
  severity: DiagnosticSeverity;
  rule: RuleId;
  message: string;
  fix?: TextFix;
}

/** One parsed insights file. `parsed` is false when the text could not be read as YAML at all. */
export interface InsightsFile {
  /** Relative to the workspace folder, with '/' separators. */
  file: string;
  parsed: boolean;
  version?: number;
  product?: Product;
  trackers: Tracker[];
  personas: Persona[];
  customers: Customer[];
  problems: Problem[];
  diagnostics: Diagnostic[];
}
