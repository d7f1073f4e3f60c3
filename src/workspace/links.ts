// What links an open document to problems (core FileLinks), computed once per document version and
// index generation, using the language's own symbols when a symbol provider knows the language.
import * as vscode from 'vscode';
import type { SymbolNode } from '../core/anchors';
import { linksForFile, FileLinks } from '../core/fileLinks';
import { readConfig } from '../config';
import { relativePath } from '../adapter/convert';
import type { Indexes } from './indexes';
import type { FolderIndex } from './folderIndex';

export interface DocumentLinks {
  folder: FolderIndex;
  file: string;
  links: FileLinks;
}

interface CacheEntry {
  /** The folder index the links were computed against: a folder removed and added back gets a new one. */
  folder: FolderIndex;
  version: number;
  generation: number;
  filesGeneration: number;
  result: Promise<DocumentLinks | undefined>;
}

export class LinkService implements vscode.Disposable {
  private readonly cache = new Map<string, CacheEntry>();
  private filesGeneration = 0;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly indexes: Indexes) {
    this.subscriptions = [
      vscode.workspace.onDidCloseTextDocument((d) => this.cache.delete(d.uri.toString())),
      indexes.onDidChangeFiles(() => this.filesGeneration++),
    ];
  }

  /** Links of a document, or undefined outside any indexed folder. */
  linksFor(document: vscode.TextDocument): Promise<DocumentLinks | undefined> {
    const folder = this.indexes.forUri(document.uri);
    if (!folder?.index) return Promise.resolve(undefined);
    const key = document.uri.toString();
    const cached = this.cache.get(key);
    if (cached && cached.folder === folder && cached.version === document.version && cached.generation === folder.generation
      && cached.filesGeneration === this.filesGeneration) {
      return cached.result;
    }
    const result = this.compute(document, folder);
    this.cache.set(key, { folder, version: document.version, generation: folder.generation, filesGeneration: this.filesGeneration, result });
    return result;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.cache.clear();
  }

  private async compute(document: vscode.TextDocument, folder: FolderIndex): Promise<DocumentLinks | undefined> {
    const index = folder.index;
    const file = relativePath(folder.folder.uri, document.uri);
    if (!index || file === undefined) return undefined;
    const anchors = index.anchorsForFile(file);
    const symbols = anchors.some((a) => a.kind === 'symbol') ? await documentSymbols(document.uri) : undefined;
    const listing = anchors.some((a) => a.glob) ? await this.indexes.filesOf(folder.folder)?.files() : undefined;
    const text = document.getText();
    const links = linksForFile(index, file, text, {
      files: () => listing ?? [file],
      text: (f) => (f === file ? text : undefined),
      symbols: (f) => (f === file ? symbols : undefined),
    }, readConfig(document.uri).whyTag);
    return { folder, file, links };
  }
}

/** The language's document symbols as core SymbolNodes, or undefined when no provider answers. */
export async function documentSymbols(uri: vscode.Uri): Promise<SymbolNode[] | undefined> {
  let result: (vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined;
  try {
    result = await vscode.commands.executeCommand<(vscode.DocumentSymbol | vscode.SymbolInformation)[]>('vscode.executeDocumentSymbolProvider', uri);
  } catch {
    return undefined;
  }
  if (!result || result.length === 0) return undefined;
  if ('children' in result[0]) return (result as vscode.DocumentSymbol[]).map(fromDocumentSymbol);
  // Flat SymbolInformation: nest by container name.
  return (result as vscode.SymbolInformation[]).map((s) => {
    const node: SymbolNode = {
      name: s.name, startLine: s.location.range.start.line, endLine: s.location.range.end.line,
      nameLine: s.location.range.start.line, nameCol: s.location.range.start.character, children: [],
    };
    return s.containerName ? { ...node, name: s.containerName, children: [node] } : node;
  });
}

function fromDocumentSymbol(s: vscode.DocumentSymbol): SymbolNode {
  return {
    name: s.name, startLine: s.range.start.line, endLine: s.range.end.line,
    nameLine: s.selectionRange.start.line, nameCol: s.selectionRange.start.character,
    children: s.children.map(fromDocumentSymbol),
  };
}
