// Typed settings, read per resource so every workspace folder may set its own.
import vscode = require('vscode');
import { Settings } from './constants';

import type { GroupBy } from './core/grouping';

export type { GroupBy };
export type LinkMode = 'anchor' | 'comment' | 'ask';

export interface LensConfig {
  insightsGlob: string;
  maxFileBytes: number;
  staleAfterDays: number;
  whyTag: string;
  hoverEnabled: boolean;
  codeLensEnabled: boolean;
  gutterEnabled: boolean;
  explorerBadgesEnabled: boolean;
  statusBarEnabled: boolean;
  diagnosticsEnabled: boolean;
  groupBy: GroupBy;
  linkMode: LinkMode;
  saveAfterEdit: boolean;
}

/** The settings for a resource; without one, the values that apply to any resource (null, as VS Code asks). */
export function readConfig(scope?: vscode.ConfigurationScope): LensConfig {
  const c = vscode.workspace.getConfiguration(Settings.section, scope ?? null);
  // Window-scoped settings (package.json "scope": "window") are read without a resource.
  const window = vscode.workspace.getConfiguration(Settings.section);
  return {
    insightsGlob: c.get<string>(Settings.insightsGlob, '**/customer-insights.{yaml,yml}'),
    maxFileBytes: Math.max(1, c.get<number>(Settings.maxFileSizeKB, 5120)) * 1024,
    staleAfterDays: Math.max(1, c.get<number>(Settings.staleAfterDays, 180)),
    whyTag: c.get<string>(Settings.whyTag, '@why') || '@why',
    hoverEnabled: c.get<boolean>(Settings.hoverEnabled, true),
    codeLensEnabled: c.get<boolean>(Settings.codeLensEnabled, true),
    gutterEnabled: c.get<boolean>(Settings.gutterEnabled, true),
    explorerBadgesEnabled: c.get<boolean>(Settings.explorerBadgesEnabled, true),
    statusBarEnabled: c.get<boolean>(Settings.statusBarEnabled, true),
    diagnosticsEnabled: c.get<boolean>(Settings.diagnosticsEnabled, true),
    groupBy: window.get<GroupBy>(Settings.groupBy, 'severity'),
    linkMode: c.get<LinkMode>(Settings.linkMode, 'ask'),
    saveAfterEdit: c.get<boolean>(Settings.saveAfterEdit, false),
  };
}

/** Whether a configuration change touches one of our settings. */
export function affectsLens(e: vscode.ConfigurationChangeEvent, key?: string): boolean {
  return e.affectsConfiguration(key ? `${Settings.section}.${key}` : Settings.section);
}
