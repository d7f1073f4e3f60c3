// The sidebar's Problems and This File views, their commands (group by, reveal, open in the
// insights file, copy as Markdown), the welcome content and the starter insights file.
import vscode = require('vscode');
import { readConfig } from '../../config';
import type { GroupBy } from '../../config';
import { Commands, ContextKeys, Settings, TestCommands, Views } from '../../constants';
import type { Services } from '../../services';
import { problemCard } from '../../core/card';
import { resolveRef, refOf } from '../../adapter/problemRefs';
import { cardMarkdown } from '../../adapter/cards';
import type { FolderIndex } from '../../workspace/folderIndex';
import { resolveAnchors } from '../../workspace/anchorResolver';
import type { ResolvedAnchor } from '../../core/anchors';
import { codeLinkCounts, problemCode } from '../../workspace/problemCode';
import {
  codeItem, evidenceItem, lostCodeItem, problemDescription, referenceItem, statusIcon,
} from './model';
import type { DetailNode, FolderNode, GroupNode, Node, ProblemNode } from './model';
import { STARTER_FILE } from './starter';
import { groupProblems } from '../../core/grouping';

interface FolderCache {
  generation: number;
  codeGeneration: number;
  groupBy: GroupBy;
  folderNode: FolderNode;
  groups: GroupNode[];
  problems: Map<GroupNode, ProblemNode[]>;
  codeLinks?: Map<string, number>;
}

class ProblemsProvider implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly caches = new Map<FolderIndex, FolderCache>();
  private readonly resolved = new Map<FolderIndex, { generation: number; resolved: ResolvedAnchor[] }>();

  /** The grouping setting, read once per refresh rather than for every row the tree asks about. */
  private groupBy = readConfig().groupBy;

  constructor(private readonly services: Services) {}

  refresh(): void {
    this.groupBy = readConfig().groupBy;
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.changed.dispose();
  }

  private folders(): FolderIndex[] {
    return this.services.indexes.all().filter((f) => f.index);
  }

  cache(folder: FolderIndex): FolderCache {
    const groupBy = this.groupBy;
    const existing = this.caches.get(folder);
    const codeGeneration = this.codeGeneration(folder);
    if (existing && existing.generation === folder.generation && existing.codeGeneration === codeGeneration && existing.groupBy === groupBy) return existing;
    const multi = this.folders().length > 1;
    const folderNode: FolderNode = { kind: 'folder', folder };
    const groups: GroupNode[] = groupProblems(folder.index!, groupBy).map((g) => ({
      kind: 'group', folder, key: g.key, label: g.label, problems: g.problems, parent: multi ? folderNode : undefined,
    }));
    const cache: FolderCache = { generation: folder.generation, codeGeneration, groupBy, folderNode, groups, problems: new Map() };
    this.caches.set(folder, cache);
    void this.countCodeLinks(folder, cache);
    return cache;
  }

  private codeGeneration(folder: FolderIndex): number {
    const code = this.services.indexes.codeOf(folder.folder);
    return code?.state === 'ready' ? code.generation : -1;
  }

  /**
   * Resolves every anchor once per generation and counts tags and ticket mentions, to show "N code
   * links" and flag problems with none; while the code is still being scanned nothing is claimed.
   */
  private async countCodeLinks(folder: FolderIndex, cache: FolderCache): Promise<void> {
    const index = folder.index!;
    // A change of tags or ticket mentions alone keeps the anchors' resolution of this generation.
    const previous = this.resolved.get(folder);
    const resolved = previous?.generation === cache.generation
      ? previous.resolved
      : await resolveAnchors(this.services.indexes, folder, index.allAnchors());
    this.resolved.set(folder, { generation: cache.generation, resolved });
    const counts = codeLinkCounts(folder, resolved, this.services.indexes);
    if (this.caches.get(folder) !== cache || !counts) return;
    cache.codeLinks = counts;
    this.changed.fire(undefined);
  }

  problemNodes(group: GroupNode): ProblemNode[] {
    const cache = this.cache(group.folder);
    let nodes = cache.problems.get(group);
    if (!nodes) {
      nodes = group.problems.map((problem) => ({ kind: 'problem', folder: group.folder, problem, parent: group }));
      cache.problems.set(group, nodes);
    }
    return nodes;
  }

  /** The node to reveal for a problem: in the first group that holds it. */
  find(folder: FolderIndex, id: string): ProblemNode | undefined {
    for (const group of this.cache(folder).groups) {
      const node = this.problemNodes(group).find((n) => n.problem.id === id);
      if (node) return node;
    }
    return undefined;
  }

  getChildren(node?: Node): vscode.ProviderResult<Node[]> {
    if (!node) {
      const folders = this.folders();
      if (folders.length > 1) return folders.map((f) => this.cache(f).folderNode);
      return folders.length === 1 ? this.cache(folders[0]).groups : [];
    }
    switch (node.kind) {
      case 'folder': return this.cache(node.folder).groups;
      case 'group': return this.problemNodes(node);
      case 'problem': return problemDetails(this.services, node);
      default: return [];
    }
  }

  getParent(node: Node): Node | undefined {
    switch (node.kind) {
      case 'group': return node.parent;
      case 'problem': return node.parent;
      case 'detail': return node.parent;
      default: return undefined;
    }
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'folder': {
        const item = new vscode.TreeItem(node.folder.folder.name, vscode.TreeItemCollapsibleState.Expanded);
        item.iconPath = vscode.ThemeIcon.Folder;
        item.description = `${node.folder.index?.problems.length ?? 0} problems`;
        item.id = `folder:${node.folder.folder.uri}`;
        return item;
      }
      case 'group': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
        item.description = String(node.problems.length);
        item.id = `group:${node.folder.folder.uri}:${node.key}`;
        item.contextValue = 'group';
        return item;
      }
      case 'problem': return problemItem(node, this.cache(node.folder).codeLinks?.get(node.problem.id), `${node.parent?.key ?? ''}`);
      case 'detail': return node.item;
    }
  }

  resolveTreeItem(item: vscode.TreeItem, node: Node): vscode.TreeItem {
    if (node.kind === 'problem' && node.folder.index) item.tooltip = cardMarkdown(node.folder, [node.problem]);
    return item;
  }
}

function problemItem(node: ProblemNode, codeLinks: number | undefined, scope: string): vscode.TreeItem {
  const { problem, folder } = node;
  const item = new vscode.TreeItem(problem.title, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `problem:${folder.folder.uri}:${scope}:${problem.id}`;
  item.description = problemDescription(folder.index!, problem, codeLinks);
  item.iconPath = statusIcon(problem.status, problem.severity);
  item.contextValue = codeLinks === 0 ? 'problem.noCode' : 'problem';
  item.accessibilityInformation = { label: `${problem.title}, ${problem.id}, ${problem.status}, ${problem.severity} severity` };
  return item;
}

async function problemDetails(services: Services, node: ProblemNode): Promise<DetailNode[]> {
  const { problem, folder } = node;
  const index = folder.index;
  if (!index) return [];
  const details: DetailNode[] = [];
  const add = (item: vscode.TreeItem, anchorIndex?: number) => details.push({ kind: 'detail', parent: node, item, anchorIndex });
  for (const e of problem.evidence) add(evidenceItem(index, e));
  for (const t of problem.tickets) {
    const item = new vscode.TreeItem(t.value, vscode.TreeItemCollapsibleState.None);
    const url = index.ticketLink(t.value);
    item.iconPath = new vscode.ThemeIcon('issues');
    item.description = url ? 'ticket' : 'ticket \u00b7 no tracker recognises it';
    if (url) item.command = { title: 'Open ticket', command: Commands.openTicket, arguments: [url] };
    item.tooltip = url;
    item.contextValue = 'ticket';
    add(item);
  }
  const code = await problemCode(services.indexes, folder, problem);
  for (const r of code.lost) add(lostCodeItem(r.anchor.written, r.reason), r.anchor.index);
  for (const link of code.links) {
    if (link.resolved) add(codeItem({ uri: link.uri, range: link.range, resolved: link.resolved }), link.resolved.anchor.index);
    else add(referenceItem(link));
  }
  if (!code.complete) add(scanningItem());
  for (const ref of problem.personas) {
    const persona = index.persona(ref.value);
    const item = new vscode.TreeItem(persona?.name ?? ref.value, vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon('person');
    item.description = persona?.jobs[0] ?? 'persona';
    item.tooltip = persona?.description;
    add(item);
  }
  for (const ref of problem.customers) {
    const customer = index.customer(ref.value);
    const item = new vscode.TreeItem(customer?.name ?? ref.value, vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon(customer?.health === 'at-risk' || customer?.health === 'churned' ? 'warning' : 'organization');
    item.description = [customer?.segment, customer?.arr !== undefined ? `$${customer.arr.toLocaleString('en-US')} ARR` : undefined, customer?.health]
      .filter(Boolean).join(' \u00b7 ');
    add(item);
  }
  for (const ref of problem.related) {
    const related = index.problem(ref.value);
    const item = new vscode.TreeItem(related?.title ?? ref.value, vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon('references');
    item.description = `related \u00b7 ${ref.value}`;
    if (related) item.command = { title: 'Reveal', command: Commands.revealProblem, arguments: [refOf(folder, related)] };
    add(item);
  }
  return details;
}

function scanningItem(): vscode.TreeItem {
  const item = new vscode.TreeItem('Looking for tags and ticket keys in the code\u2026', vscode.TreeItemCollapsibleState.None);
  item.iconPath = new vscode.ThemeIcon('loading~spin');
  return item;
}

/** The problems linked to the active editor. */
class ThisFileProvider implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  nodes: ProblemNode[] = [];

  constructor(private readonly services: Services) {}

  async update(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      // Focus moved to a panel or the sidebar: keep showing the last file's problems.
      return;
    }
    const found = await this.services.links.linksFor(editor.document);
    this.nodes = found ? found.links.problems().map((problem) => ({ kind: 'problem', folder: found.folder, problem })) : [];
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.changed.dispose();
  }

  getChildren(node?: Node): vscode.ProviderResult<Node[]> {
    if (!node) return this.nodes;
    return node.kind === 'problem' ? problemDetails(this.services, node) : [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'problem') {
      const item = problemItem(node, undefined, 'this-file');
      item.tooltip = cardMarkdown(node.folder, [node.problem]);
      return item;
    }
    return node.kind === 'detail' ? node.item : new vscode.TreeItem('');
  }

  getParent(node: Node): Node | undefined {
    return node.kind === 'detail' ? node.parent : undefined;
  }
}

export function register(services: Services): vscode.Disposable {
  const { indexes, prompts } = services;
  const problems = new ProblemsProvider(services);
  const thisFile = new ThisFileProvider(services);
  const problemsView = vscode.window.createTreeView(Views.problems, { treeDataProvider: problems, showCollapseAll: true });
  const thisFileView = vscode.window.createTreeView(Views.thisFile, { treeDataProvider: thisFile, showCollapseAll: true });

  const updateContext = () => {
    const has = indexes.all().some((f) => f.index);
    void vscode.commands.executeCommand('setContext', ContextKeys.hasInsights, has);
    problemsView.message = undefined;
    const count = indexes.all().reduce((n, f) => n + (f.index?.problems.length ?? 0), 0);
    problemsView.description = has ? `${count}` : undefined;
  };

  const revealProblem = async (ref: unknown) => {
    const found = resolveRef(indexes, ref);
    if (!found) return false;
    const node = problems.find(found.folder, found.problem.id);
    if (!node) return false;
    await problemsView.reveal(node, { select: true, focus: true, expand: false });
    return true;
  };

  const groupBy = async () => {
    const options: { value: GroupBy; label: string }[] = [
      { value: 'severity', label: 'Severity' }, { value: 'status', label: 'Status' }, { value: 'persona', label: 'Persona' },
      { value: 'customer', label: 'Customer' }, { value: 'horizon', label: 'Horizon' }, { value: 'tag', label: 'Tag' },
    ];
    const current = readConfig().groupBy;
    const chosen = await prompts.pick<GroupBy>(
      options.map((o) => ({ ...o, id: o.value, description: o.value === current ? 'current' : undefined })),
      { title: 'Group customer problems by' },
    );
    if (!chosen) return;
    await vscode.workspace.getConfiguration(Settings.section).update(Settings.groupBy, chosen, vscode.ConfigurationTarget.Global);
    problems.refresh();
  };

  const nodeRef = (node: unknown) => {
    const n = node as Node | undefined;
    return n && n.kind === 'problem' ? refOf(n.folder, n.problem) : node;
  };

  const copyAsMarkdown = async (node: unknown) => {
    const found = resolveRef(indexes, nodeRef(node));
    if (!found) return;
    // The card without our command links and theme icons: plain Markdown for a PR or a doc.
    const text = problemCard(found.problem, found.index, { evidence: found.problem.evidence.length }).replace(/(?<!\\)\$\([a-z-]+\)\s?/g, '');
    await vscode.env.clipboard.writeText(text);
    void vscode.window.setStatusBarMessage(`Copied ${found.problem.id} as Markdown`, 3000);
  };

  const createInsightsFile = async () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length === 0) return void vscode.window.showWarningMessage('Customer Lens: open a folder first.');
    const folder = folders.length === 1 ? folders[0] : await prompts.pick(
      folders.map((f) => ({ label: f.name, id: f.name, description: f.uri.fsPath, value: f })),
      { title: 'Create customer-insights.yaml in which folder?' },
    );
    if (!folder) return;
    const uri = vscode.Uri.joinPath(folder.uri, 'customer-insights.yaml');
    let exists = true;
    try {
      await vscode.workspace.fs.stat(uri);
    } catch {
      exists = false;
    }
    // Never overwrite what someone wrote: an existing file is opened as it is.
    if (!exists) await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(STARTER_FILE));
    await vscode.window.showTextDocument(uri);
    await indexes.forFolder(folder)?.update(uri);
    return uri;
  };

  const showFormatDocs = async () => {
    const uri = vscode.Uri.joinPath(services.context.extensionUri, 'docs', 'format.md');
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  };

  const refresh = async () => {
    await Promise.all(indexes.all().map((f) => f.reloadAll()));
  };

  updateContext();
  void thisFile.update();
  // The welcome that says "no insights" only once loading is over; until then, "Loading…".
  void indexes.whenLoaded().then(() => vscode.commands.executeCommand('setContext', ContextKeys.loaded, true));
  return vscode.Disposable.from(
    problems, thisFile, problemsView, thisFileView,
    indexes.onDidChange(() => {
      updateContext();
      problems.refresh();
      void thisFile.update();
    }),
    indexes.onDidChangeCode(() => {
      problems.refresh();
      void thisFile.update();
    }),
    vscode.window.onDidChangeActiveTextEditor(() => void thisFile.update()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${Settings.section}.${Settings.groupBy}`)) problems.refresh();
    }),
    vscode.commands.registerCommand(Commands.revealProblem, revealProblem),
    vscode.commands.registerCommand(Commands.groupBy, groupBy),
    vscode.commands.registerCommand(Commands.openInInsightsFile, (node: unknown) => vscode.commands.executeCommand(Commands.openProblem, nodeRef(node))),
    vscode.commands.registerCommand(Commands.copyAsMarkdown, copyAsMarkdown),
    vscode.commands.registerCommand(Commands.createInsightsFile, createInsightsFile),
    vscode.commands.registerCommand(Commands.showFormatDocs, showFormatDocs),
    vscode.commands.registerCommand(Commands.refresh, refresh),
    // Test seam: the tree's first level and a problem's children, as labels.
    vscode.commands.registerCommand(TestCommands.treeSnapshot, async () => {
      const roots = (await problems.getChildren()) ?? [];
      return Promise.all(roots.map(async (n) => ({
        label: problems.getTreeItem(n).label,
        children: await Promise.all(((await problems.getChildren(n)) ?? []).map((c) => {
          const item = problems.getTreeItem(c);
          return { label: item.label, description: item.description, contextValue: item.contextValue };
        })),
      })));
    }),
    vscode.commands.registerCommand(TestCommands.thisFile, () => thisFile.nodes.map((n) => n.problem.id)),
    // Test seam: a problem's children (evidence, tickets, code, people) as labels and descriptions.
    vscode.commands.registerCommand(TestCommands.problemChildren, async (id: unknown) => {
      for (const folder of indexes.all()) {
        const node = typeof id === 'string' && folder.index ? problems.find(folder, id) : undefined;
        if (!node) continue;
        return (await problemDetails(services, node)).map((d) => ({ label: d.item.label, description: d.item.description, contextValue: d.item.contextValue }));
      }
      return undefined;
    }),
    vscode.commands.registerCommand(TestCommands.treeSelection, () => problemsView.selection.map((n) => (n.kind === 'problem' ? n.problem.id : n.kind))),
  );
}

