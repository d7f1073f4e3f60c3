// The Problems tree's items: folders (multi-root), groups, problems and a problem's details. Items
// are rebuilt per index generation and kept stable in between so `reveal` can find them.
import vscode = require('vscode');
import type { Evidence, Problem, Severity, Status } from '../../core/model';
import type { InsightsIndex } from '../../core/workspaceIndex';
import type { FolderIndex } from '../../workspace/folderIndex';
import type { CodeLocation } from '../../workspace/anchorResolver';
import type { CodeLink } from '../../workspace/problemCode';
import { Commands } from '../../constants';
import { refOf } from '../../adapter/problemRefs';
import type { ProblemRef } from '../../adapter/problemRefs';
import { severityColor } from '../decorations';

export type Node = FolderNode | GroupNode | ProblemNode | DetailNode;

export interface FolderNode {
  kind: 'folder';
  folder: FolderIndex;
}

export interface GroupNode {
  kind: 'group';
  folder: FolderIndex;
  key: string;
  label: string;
  problems: Problem[];
  parent?: FolderNode;
}

export interface ProblemNode {
  kind: 'problem';
  folder: FolderIndex;
  problem: Problem;
  parent?: GroupNode;
  /** How many anchors of this problem resolve to code (undefined until resolved). */
  codeLinks?: number;
}

export interface DetailNode {
  kind: 'detail';
  parent: ProblemNode;
  item: vscode.TreeItem;
  /** For code links: the anchor's position in the problem's code list (for "Remove link"). */
  anchorIndex?: number;
}

const STATUS_ICON: Record<Status, string> = {
  hypothesis: 'question',
  validated: 'verified',
  'in-progress': 'tools',
  solved: 'pass',
  'wont-fix': 'circle-slash',
};

export function statusIcon(status: Status, severity: Severity): vscode.ThemeIcon {
  return new vscode.ThemeIcon(STATUS_ICON[status], severityColor(severity));
}

export function problemDescription(index: InsightsIndex, problem: Problem, codeLinks: number | undefined): string {
  const impact = index.impact(problem);
  const parts = [
    problem.id,
    `${impact.customers} customer${impact.customers === 1 ? '' : 's'}`,
    `${impact.tickets} ticket${impact.tickets === 1 ? '' : 's'}`,
  ];
  if (codeLinks === 0) parts.push('\u26a0 no code yet');
  else if (codeLinks !== undefined) parts.push(`${codeLinks} code link${codeLinks === 1 ? '' : 's'}`);
  return parts.join(' \u00b7 ');
}

export function problemRef(node: ProblemNode): ProblemRef {
  return refOf(node.folder, node.problem);
}

export function evidenceItem(index: InsightsIndex, e: Evidence): vscode.TreeItem {
  // One line: a block scalar (`summary: >`) ends in a line break the label would show.
  const text = (e.quote ? `\u201c${e.quote}\u201d` : e.summary ?? '').replace(/\s+/g, ' ').trim();
  const item = new vscode.TreeItem(text, vscode.TreeItemCollapsibleState.None);
  const customer = e.customer ? index.customer(e.customer.value)?.name ?? e.customer.value : undefined;
  item.description = [e.signal, e.kind, customer, e.date].filter(Boolean).join(' \u00b7 ');
  item.iconPath = new vscode.ThemeIcon(e.signal === 'observed' ? 'eye' : 'comment');
  item.tooltip = new vscode.MarkdownString().appendText(`${text}\n\n${e.signal === 'observed' ? 'Observed' : 'Said'} \u00b7 ${item.description}${e.count ? ` \u00b7 ${e.count} responses` : ''}`);
  if (e.url) item.command = { title: 'Open source', command: Commands.openTicket, arguments: [e.url] };
  item.contextValue = 'evidence';
  return item;
}

export function codeItem(location: CodeLocation): vscode.TreeItem {
  const { resolved } = location;
  const relative = vscode.workspace.asRelativePath(location.uri, false);
  const line = resolved.region ? `:${resolved.region.startLine + 1}` : '';
  const item = new vscode.TreeItem(`${relative}${line}`, vscode.TreeItemCollapsibleState.None);
  const anchor = resolved.anchor;
  item.description = [anchor.kind === 'symbol' ? anchor.symbol : anchor.glob ? `glob ${anchor.written}` : anchor.kind, resolved.status === 'moved' ? 'moved' : undefined]
    .filter(Boolean).join(' \u00b7 ');
  item.iconPath = new vscode.ThemeIcon(resolved.status === 'moved' ? 'warning' : 'file-code');
  item.tooltip = anchor.note ?? undefined;
  item.command = { title: 'Open', command: 'vscode.open', arguments: [location.uri, { selection: location.range }] };
  item.contextValue = 'codeLink';
  return item;
}

/** A `@why` tag or a ticket key in a comment that links code to the problem. */
export function referenceItem(link: CodeLink): vscode.TreeItem {
  const relative = vscode.workspace.asRelativePath(link.uri, false);
  const item = new vscode.TreeItem(`${relative}:${link.range.start.line + 1}`, vscode.TreeItemCollapsibleState.None);
  item.description = link.what;
  item.iconPath = new vscode.ThemeIcon(link.kind === 'tag' ? 'tag' : 'issues');
  item.tooltip = link.kind === 'tag'
    ? `A tag in the code links ${link.range.end.line > link.range.start.line ? `lines ${link.range.start.line + 1}-${link.range.end.line + 1}` : `line ${link.range.start.line + 1}`} to this problem.`
    : 'A comment in the code mentions a ticket of this problem.';
  item.command = { title: 'Open', command: 'vscode.open', arguments: [link.uri, { selection: new vscode.Range(link.range.start, link.range.start) }] };
  item.contextValue = link.kind === 'tag' ? 'codeTag' : 'codeTicket';
  return item;
}

export function lostCodeItem(written: string, reason: string | undefined): vscode.TreeItem {
  const item = new vscode.TreeItem(written, vscode.TreeItemCollapsibleState.None);
  item.description = 'lost';
  item.tooltip = reason ? `This anchor is lost: ${reason}.` : 'This anchor is lost.';
  item.iconPath = new vscode.ThemeIcon('error');
  item.contextValue = 'codeLink';
  return item;
}
