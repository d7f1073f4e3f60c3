// The Customer Impact view's nodes and their tree items: (in multi-root workspaces) a node per
// folder, the touched problems ranked as the report ranks them (severity, then impact), the places
// the change touches each of them, and the anchors the change breaks. Every string from the
// insights file or the diff is shown as text: tooltips are MarkdownStrings built with appendText,
// never trusted.
import vscode = require('vscode');
import type { BrokenAnchor, ImpactProblem, ImpactTouch, TouchKind } from '../../core/impact';
import { formatArr } from '../../core/card';
import { Commands } from '../../constants';
import type { ImpactResult } from '../../git/impactGather';
import { severityColor } from '../decorations';
import { statusIcon } from '../tree/model';

/**
 * Where a folder stands: being compared for the first time, not comparable (a folder not on disk,
 * no git, not in a repository, no insights file, git refused: the message says why), or compared.
 */
export type FolderState = 'computing' | 'unsupported' | 'noGit' | 'noRepository' | 'noInsights' | 'gitError' | 'clean' | 'ready';

export interface FolderEntry {
  folder: vscode.WorkspaceFolder;
  state: FolderState;
  /** Git's message for 'gitError', what went wrong for other failures; the headline when compared. */
  message?: string;
  result?: ImpactResult;
  /** Increases with every result that differs from the one before. */
  generation: number;
}

export type ImpactNode = FolderNode | ProblemNode | TouchNode | BrokenGroupNode | BrokenNode;

export interface FolderNode {
  kind: 'folder';
  entry: FolderEntry;
}

export interface ProblemNode {
  kind: 'problem';
  entry: FolderEntry;
  problem: ImpactProblem;
  parent?: FolderNode;
}

export interface TouchNode {
  kind: 'touch';
  entry: FolderEntry;
  touch: ImpactTouch;
  parent: ProblemNode;
}

export interface BrokenGroupNode {
  kind: 'brokenGroup';
  entry: FolderEntry;
  parent?: FolderNode;
}

export interface BrokenNode {
  kind: 'broken';
  entry: FolderEntry;
  anchor: BrokenAnchor;
  parent: BrokenGroupNode;
}

/** What the internal command that opens a touched place receives (checked before use). */
export interface ChangeTarget {
  /** The workspace folder's URI, as a string. */
  folder: string;
  file: string;
  side: 'head' | 'base';
  /** 1-based. */
  line: number;
}

const FOLDER_STATE_WORDS: Record<Exclude<FolderState, 'clean' | 'ready'>, string> = {
  computing: 'comparing with the base\u2026',
  unsupported: 'not a folder on this machine\u2019s disk',
  noGit: 'git was not found',
  noRepository: 'not a git repository',
  noInsights: 'no customer-insights.yaml',
  gitError: 'git could not compare this branch',
};

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The problems and broken anchors a folder's result shows, in report order. */
export function hasItems(entry: FolderEntry): boolean {
  return entry.state === 'ready' && !!entry.result && (entry.result.report.problems.length > 0 || entry.result.report.anchorsBroken.length > 0);
}

export function folderItem(entry: FolderEntry): vscode.TreeItem {
  const item = new vscode.TreeItem(entry.folder.name, hasItems(entry) ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
  item.id = `impact-folder:${entry.folder.uri}`;
  item.iconPath = vscode.ThemeIcon.Folder;
  item.resourceUri = entry.folder.uri;
  item.contextValue = `impactFolder.${entry.state}`;
  if (entry.state === 'ready' || entry.state === 'clean') {
    const report = entry.result!.report;
    const suspect = report.problems.filter((p) => p.suspect).length;
    item.description = report.problems.length === 0
      ? `no customer problem touched \u00b7 ${plural(report.files, 'changed file')}`
      : [plural(report.problems.length, 'problem'), suspect > 0 ? `${suspect} suspect` : undefined, report.anchorsBroken.length > 0 ? plural(report.anchorsBroken.length, 'anchor') + ' broken' : undefined]
        .filter(Boolean).join(' \u00b7 ');
  } else {
    item.description = FOLDER_STATE_WORDS[entry.state];
  }
  item.tooltip = entry.message ? new vscode.MarkdownString().appendText(entry.message) : undefined;
  return item;
}

export function problemItem(node: ProblemNode, expand: boolean): vscode.TreeItem {
  const p = node.problem;
  const item = new vscode.TreeItem(p.title, expand ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `impact-problem:${node.entry.folder.uri}:${p.id}`;
  item.description = [p.id, p.severity, p.status, p.suspect ? '\u26a0 suspect' : undefined, p.removed ? 'removed by this change' : undefined]
    .filter(Boolean).join(' \u00b7 ');
  // The shape says suspect (else the status, as in the Problems view), the colour the severity.
  item.iconPath = p.suspect ? new vscode.ThemeIcon('warning', severityColor(p.severity)) : statusIcon(p.status, p.severity);
  item.contextValue = p.suspect ? 'impactProblem.suspect' : 'impactProblem';
  item.accessibilityInformation = {
    label: `${p.title}, ${p.id}, ${p.severity} severity, ${p.status}${p.suspect ? ', suspect' : ''}, ${plural(p.touches.length, 'changed place')}`,
  };
  item.tooltip = problemTooltip(p);
  return item;
}

function problemTooltip(p: ImpactProblem): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown('**').appendText(p.title).appendMarkdown('** \u00b7 ').appendText(p.id).appendMarkdown('\n\n');
  md.appendText([p.status, `${p.severity} severity`, p.horizon].filter(Boolean).join(' \u00b7 ')).appendMarkdown('\n\n');
  const who = p.personas.map((x) => x.name ?? x.id).join(', ');
  const reach = [who || undefined, plural(p.impact.customers, 'customer'), p.impact.arr !== undefined ? formatArr(p.impact.arr) : undefined,
    plural(p.evidence.count, 'evidence item'), p.evidence.newest ? `newest ${p.evidence.newest}` : undefined, p.evidence.stale ? 'stale' : undefined];
  md.appendText(reach.filter(Boolean).join(' \u00b7 '));
  const s = p.evidence.strongest;
  if (s) {
    md.appendMarkdown('\n\n> ').appendText(s.quote ? `\u201c${s.text}\u201d` : s.text)
      .appendMarkdown(' \u2014 ').appendText([s.signal, s.kind, s.customer, s.date].filter(Boolean).join(', '));
  }
  if (p.suspect) {
    md.appendMarkdown('\n\n$(warning) ').appendText('Suspect: code its link already named changed. Check that its evidence still describes the code.');
    md.supportThemeIcons = true;
  }
  if (p.removed) md.appendMarkdown('\n\n').appendText('This change removes the problem from the insights file.');
  return md;
}

const TOUCH_ICON: Record<TouchKind, string> = {
  symbol: 'symbol-method',
  lines: 'list-selection',
  path: 'file-code',
  tag: 'tag',
  'tag-added': 'diff-added',
  'tag-removed': 'diff-removed',
  ticket: 'issues',
  'anchor-lost': 'error',
  'anchor-moved': 'arrow-swap',
  'insights-entry': 'note',
};

const TOUCH_WHY: Record<TouchKind, string> = {
  symbol: 'Changed lines inside the symbol an anchor names.',
  lines: 'Changed lines inside the lines an anchor names.',
  path: 'Changed lines in a file a path or glob anchor covers.',
  tag: 'Changed lines inside the code a tag covers.',
  'tag-added': 'The change adds a tag for this problem.',
  'tag-removed': 'The change removes a tag for this problem.',
  ticket: 'A changed comment mentions a ticket of this problem.',
  'anchor-lost': 'The change makes an anchor of this problem lose its code.',
  'anchor-moved': 'The change moves code an anchor of this problem names.',
  'insights-entry': 'The change edits this problem\u2019s entry in the insights file.',
};

/** A problem's places as the Markdown report lists them: changed code first, bookkeeping last; then by file and line. */
const TOUCH_ORDER: readonly TouchKind[] = ['symbol', 'lines', 'tag', 'tag-removed', 'tag-added', 'anchor-lost', 'path', 'ticket', 'anchor-moved', 'insights-entry'];

export function orderedTouches(touches: readonly ImpactTouch[]): ImpactTouch[] {
  return [...touches].sort((a, b) => TOUCH_ORDER.indexOf(a.kind) - TOUCH_ORDER.indexOf(b.kind)
    || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.startLine - b.startLine);
}

function lineRange(t: { startLine: number; endLine: number }): string {
  return t.startLine === t.endLine ? String(t.startLine) : `${t.startLine}-${t.endLine}`;
}

export function touchItem(node: TouchNode): vscode.TreeItem {
  const t = node.touch;
  const item = new vscode.TreeItem(`${t.file}:${lineRange(t)}`, vscode.TreeItemCollapsibleState.None);
  item.id = `impact-touch:${node.entry.folder.uri}:${node.parent.problem.id}:${t.side}:${t.file}:${lineRange(t)}:${t.how}`;
  item.description = t.side === 'base' ? `${t.how} \u00b7 deleted file` : t.how;
  item.iconPath = new vscode.ThemeIcon(TOUCH_ICON[t.kind]);
  item.tooltip = new vscode.MarkdownString().appendText(`${TOUCH_WHY[t.kind]} ${t.side === 'base' ? 'The change deletes this file: click to see it at the base.' : 'Click to see the change.'}`);
  const target: ChangeTarget = { folder: node.entry.folder.uri.toString(), file: t.file, side: t.side, line: t.startLine };
  item.command = { title: 'Show the change', command: Commands.openImpactChange, arguments: [target] };
  item.contextValue = `impactTouch.${t.kind}`;
  return item;
}

export function brokenGroupItem(node: BrokenGroupNode): vscode.TreeItem {
  const count = node.entry.result?.report.anchorsBroken.length ?? 0;
  const item = new vscode.TreeItem('Anchors this change breaks', vscode.TreeItemCollapsibleState.Expanded);
  item.id = `impact-broken:${node.entry.folder.uri}`;
  item.description = String(count);
  item.iconPath = new vscode.ThemeIcon('debug-disconnect');
  item.contextValue = 'impactBrokenAnchors';
  return item;
}

export function brokenItem(node: BrokenNode): vscode.TreeItem {
  const a = node.anchor;
  const item = new vscode.TreeItem(`${a.problem} \u00b7 ${a.anchor}`, vscode.TreeItemCollapsibleState.None);
  item.id = `impact-broken:${node.entry.folder.uri}:${a.insightsFile}:${a.line}:${a.problem}:${a.anchor}`;
  item.description = `${a.status} \u00b7 ${a.insightsFile}:${a.line}`;
  item.iconPath = new vscode.ThemeIcon(a.status === 'lost' ? 'error' : 'warning');
  item.tooltip = new vscode.MarkdownString().appendText(`Anchor ${a.status}: ${a.reason}.${a.fix ? ` Set lines: ${a.fix}.` : ''}`);
  const uri = vscode.Uri.joinPath(node.entry.folder.uri, ...a.insightsFile.split('/'));
  const at = new vscode.Position(Math.max(0, a.line - 1), 0);
  item.command = { title: 'Open the anchor', command: 'vscode.open', arguments: [uri, { selection: new vscode.Range(at, at) }] };
  item.contextValue = `impactBrokenAnchor.${a.status}`;
  return item;
}
