// All the code of a problem, whichever way it is linked: anchors in the insights file (resolved
// against the code as it is now), `@why` tags and ticket keys in comments anywhere in the folder.
// The tree, Show All Code and Find All References read this one list.
import vscode = require('vscode');
import type { Problem } from '../core/model';
import type { ResolvedAnchor } from '../core/anchors';
import { fileUri } from '../adapter/convert';
import type { Indexes } from './indexes';
import type { FolderIndex } from './folderIndex';
import { locationsOf, resolveAnchors } from './anchorResolver';

export type CodeLinkKind = 'symbol' | 'lines' | 'path' | 'tag' | 'ticket';

export interface CodeLink {
  kind: CodeLinkKind;
  uri: vscode.Uri;
  file: string;
  /** The region linked (a tag: its declaration or line; a ticket key: the key itself). */
  range: vscode.Range;
  /** For anchors. */
  resolved?: ResolvedAnchor;
  /** A short description: the symbol, the declaration a tag covers, the ticket key. */
  what: string;
}

export interface ProblemCode {
  links: CodeLink[];
  /** Anchors whose code is gone. */
  lost: ResolvedAnchor[];
  /** False while the folder's code is still being scanned (tags and tickets may be missing). */
  complete: boolean;
}

export async function problemCode(indexes: Indexes, folder: FolderIndex, problem: Problem): Promise<ProblemCode> {
  const resolved = await resolveAnchors(indexes, folder, problem.code);
  const links: CodeLink[] = [];
  const lost: ResolvedAnchor[] = [];
  for (const r of resolved) {
    const locations = locationsOf(folder, r);
    if (locations.length === 0) lost.push(r);
    for (const l of locations) {
      const kind: CodeLinkKind = r.anchor.glob ? 'path' : r.anchor.kind;
      links.push({ kind, uri: l.uri, file: r.files[0] ?? '', range: l.range, resolved: r, what: r.anchor.kind === 'symbol' ? r.anchor.symbol! : r.anchor.glob ? `glob ${r.anchor.written}` : r.anchor.kind });
    }
  }
  const code = indexes.codeOf(folder.folder);
  const root = folder.folder.uri;
  for (const { file, ref } of code?.refs.tagsOf(problem.id) ?? []) {
    links.push({
      kind: 'tag', file, uri: fileUri(root, file),
      range: new vscode.Range(ref.region.startLine, 0, ref.region.endLine, 0),
      what: ref.declaration ? `tag \u00b7 ${ref.declaration.path}` : 'tag',
    });
  }
  for (const ticket of problem.tickets) {
    for (const { file, ref } of code?.refs.mentionsOf(ticket.value) ?? []) {
      links.push({ kind: 'ticket', file, uri: fileUri(root, file), range: new vscode.Range(ref.line, ref.col, ref.line, ref.endCol), what: `ticket ${ref.key}` });
    }
  }
  return { links, lost, complete: code?.state === 'ready' };
}

/** How many places link code to each problem (anchors that resolve, tags, ticket mentions). */
export function codeLinkCounts(folder: FolderIndex, resolved: readonly ResolvedAnchor[], indexes: Indexes): Map<string, number> | undefined {
  const index = folder.index;
  const code = indexes.codeOf(folder.folder);
  if (!index || code?.state !== 'ready') return undefined;
  const counts = new Map<string, number>(index.problems.map((p) => [p.id, 0]));
  const add = (id: string, n: number) => counts.has(id) && counts.set(id, counts.get(id)! + n);
  for (const r of resolved) if (r.status !== 'lost') add(r.anchor.problemId, 1);
  for (const p of index.problems) {
    add(p.id, code.refs.tagsOf(p.id).length);
    for (const t of p.tickets) add(p.id, code.refs.mentionsOf(t.value).length);
  }
  return counts;
}
