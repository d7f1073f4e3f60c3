// Resolves anchors of a folder against its files as they are now (open editors first), reading
// only the files the anchors name. Used by diagnostics, the tree and "show all code".
import vscode = require('vscode');
import type { Anchor } from '../core/model';
import { resolveAnchor } from '../core/anchors';
import type { ResolvedAnchor } from '../core/anchors';
import type { FileSyntax } from '../core/syntax/types';
import { fileUri } from '../adapter/convert';
import type { Indexes } from './indexes';
import type { FolderIndex } from './folderIndex';
import { readText } from './files';

export async function resolveAnchors(indexes: Indexes, folder: FolderIndex, anchors: readonly Anchor[]): Promise<ResolvedAnchor[]> {
  const root = folder.folder.uri;
  const paths = [...new Set(anchors.filter((a) => a.path !== undefined && !a.glob).map((a) => a.path!))];
  const texts = new Map<string, string | undefined>();
  const syntaxes = new Map<string, FileSyntax | undefined>();
  await Promise.all(paths.map(async (p) => {
    const text = await readText(fileUri(root, p));
    texts.set(p, text);
    // Symbols come from the syntax tree, parsed in the code worker, exactly as the CLI does.
    if (text !== undefined && anchors.some((a) => a.path === p && a.kind === 'symbol')) syntaxes.set(p, await indexes.code.syntax(p, text));
  }));
  const listing = anchors.some((a) => a.glob || (a.kind === 'path' && texts.get(a.path ?? '') === undefined))
    ? await indexes.filesOf(folder.folder)?.files() ?? []
    : [];
  const access = { files: () => listing, text: (f: string) => texts.get(f), syntax: (f: string) => syntaxes.get(f) };
  // Thousands of anchors are resolved in slices, yielding between them, so the extension host
  // never blocks for long (textual symbol search and glob matching add up).
  const resolved: ResolvedAnchor[] = [];
  let slice = performance.now();
  for (const anchor of anchors) {
    resolved.push(resolveAnchor(anchor, access));
    if (performance.now() - slice > SLICE_MS) {
      await new Promise((r) => setImmediate(r));
      slice = performance.now();
    }
  }
  return resolved;
}

/** The longest the anchor resolution runs before yielding to other work on the extension host. */
const SLICE_MS = 8;

export interface CodeLocation {
  uri: vscode.Uri;
  range: vscode.Range;
  resolved: ResolvedAnchor;
}

/** Where a resolved anchor's code is, one location per file (lost anchors have none). */
export function locationsOf(folder: FolderIndex, resolved: ResolvedAnchor): CodeLocation[] {
  if (resolved.status === 'lost') return [];
  return resolved.files.map((f) => ({
    uri: fileUri(folder.folder.uri, f),
    range: resolved.region ? new vscode.Range(resolved.region.startLine, 0, resolved.region.endLine, 0) : new vscode.Range(0, 0, 0, 0),
    resolved,
  }));
}
