// What links an open document to problems (core FileLinks), computed once per document version and
// index generation, with the syntax tree of the language's grammar (the same one the CLI uses).
import vscode = require('vscode');
import { linksFromRefs, FileLinks } from '../core/fileLinks';
import { scanSettings } from './codeIndex';
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
    const text = document.getText();
    // Parsing and scanning run in the code worker: a large file never blocks the extension host.
    const { syntax, refs } = await this.indexes.code.analyze(file, text, scanSettings(folder, readConfig(document.uri).whyTag));
    const listing = anchors.some((a) => a.glob) ? await this.indexes.filesOf(folder.folder)?.files() : undefined;
    const links = linksFromRefs(index, file, refs, {
      files: () => listing ?? [file],
      text: (f) => (f === file ? text : undefined),
      syntax: (f) => (f === file ? syntax : undefined),
    });
    return { folder, file, links };
  }
}
