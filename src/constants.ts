// Every command id, view id, setting key and context key the extension uses, in one place.

export const EXTENSION_ID = 'customer-lens.customer-lens';
export const DIAGNOSTIC_SOURCE = 'Customer Lens';
export const INSIGHTS_FILE_NAMES = ['customer-insights.yaml', 'customer-insights.yml'];

/** Providers for code in any language and any file system (with a scheme, as VS Code asks). */
export const ANY_DOCUMENT = { scheme: '*' } as const;
/** The insights files, by their default names, on any file system. */
export const INSIGHTS_DOCUMENTS = { scheme: '*', pattern: '**/customer-insights.{yaml,yml}' } as const;
/** YAML on any file system: insights files named by a custom `insightsGlob` (providers check the glob). */
export const YAML_DOCUMENTS = { scheme: '*', language: 'yaml' } as const;

export const Commands = {
  // Palette commands (category "Customer Lens").
  search: 'customerLens.search',
  linkSelection: 'customerLens.linkSelection',
  linkTicket: 'customerLens.linkTicket',
  newProblem: 'customerLens.newProblem',
  addEvidence: 'customerLens.addEvidence',
  createInsightsFile: 'customerLens.createInsightsFile',
  refresh: 'customerLens.refresh',
  showFormatDocs: 'customerLens.showFormatDocs',
  // Tree title bar and context menus.
  groupBy: 'customerLens.groupBy',
  openInInsightsFile: 'customerLens.openInInsightsFile',
  copyAsMarkdown: 'customerLens.copyAsMarkdown',
  linkSelectionHere: 'customerLens.linkSelectionHere',
  removeLink: 'customerLens.removeLink',
  // Internal: used by hovers, CodeLens, the tree and the search view; hidden from the palette.
  revealProblem: 'customerLens.revealProblem',
  openProblem: 'customerLens.openProblem',
  showProblemCode: 'customerLens.showProblemCode',
  showProblems: 'customerLens.showProblems',
  openTicket: 'customerLens.openTicket',
  openLocation: 'customerLens.openLocation',
  // Customer Impact view (src/features/impact): palette and title bar, then internal.
  copyImpact: 'customerLens.copyImpactForPullRequest',
  refreshImpact: 'customerLens.refreshImpact',
  openImpactChange: 'customerLens.openImpactChange',
} as const;

/** Commands for integration tests only: registered, never contributed, so never in the palette. */
export const TestCommands = {
  treeSnapshot: 'customerLens.test.treeSnapshot',
  thisFile: 'customerLens.test.thisFile',
  treeSelection: 'customerLens.test.selection',
  problemChildren: 'customerLens.test.problemChildren',
  /** The Customer Impact view: its state, message and items (src/features/impact). */
  impactSnapshot: 'customerLens.test.impactSnapshot',
} as const;

export const Views = {
  container: 'customerLens',
  problems: 'customerLens.problems',
  thisFile: 'customerLens.thisFile',
  search: 'customerLens.searchView',
  impact: 'customerLens.impact',
} as const;

export const Settings = {
  section: 'customerLens',
  insightsGlob: 'insightsGlob',
  maxFileSizeKB: 'maxFileSizeKB',
  staleAfterDays: 'staleAfterDays',
  whyTag: 'whyTag',
  hoverEnabled: 'hover.enabled',
  codeLensEnabled: 'codeLens.enabled',
  gutterEnabled: 'decorations.gutter',
  explorerBadgesEnabled: 'decorations.explorerBadges',
  statusBarEnabled: 'statusBar.enabled',
  diagnosticsEnabled: 'diagnostics.enabled',
  groupBy: 'tree.groupBy',
  linkMode: 'linking.mode',
  saveAfterEdit: 'linking.saveAfterEdit',
} as const;

export const ContextKeys = {
  hasInsights: 'customerLens.hasInsights',
  /** Set once the insights files were first read: until then the sidebar says it is loading. */
  loaded: 'customerLens.loaded',
  groupBy: 'customerLens.groupBy',
  /**
   * The Customer Impact view's state, for its welcome content: computing, unsupported, noGit,
   * noRepository, noInsights, gitError, clean, ready (one folder, or all folders alike), folders
   * (several folders that differ: each says where it stands), noFolder.
   */
  impactState: 'customerLens.impact.state',
} as const;

/** The Customer Impact view's read-only documents of a file at the base commit (src/features/impact/baseContent.ts). */
export const IMPACT_BASE_SCHEME = 'customer-lens-base';
