// A workspace folder on disk for the CLI, behind the same CodeAccess interface the editor implements:
// the listing (src/scan/nodeScan.ts, under the skip policy of src/core/scanPolicy.ts), the texts of
// the files anchors and `why` name (read on demand, never the whole tree), and their syntax from
// the tree-sitter grammars.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodeAccess } from '../core/anchors';
import type { FileSyntax } from '../core/syntax/types';
import { listFolder, readCodeText, readCodeTextSync } from '../scan/nodeScan';
import type { FolderListing, SyntaxSource } from '../scan/nodeScan';

export { MAX_CODE_FILE_BYTES } from '../core/scanPolicy';
export const INSIGHTS_FILE_NAMES = new Set(['customer-insights.yaml', 'customer-insights.yml']);

/** Insights files larger than this are not read at all (the parser reports them as too large). */
const MAX_INSIGHTS_READ_BYTES = 64 * 1024 * 1024;

/** Files read at once by `load`. */
const LOAD_CONCURRENCY = 8;

export class NodeFolder implements CodeAccess {
  private readonly texts = new Map<string, string | undefined>();
  private readonly syntaxes = new Map<string, FileSyntax | undefined>();
  private readonly listed: readonly string[];

  /** Where syntax comes from (set before `load` when symbols or tags need it). */
  parser?: SyntaxSource;

  constructor(readonly root: string, readonly listing: FolderListing) {
    this.listed = listing.files.map((f) => f.file);
  }

  /** Lists the folder (no sizes: the scan finds large files by reading at most 1 MiB + 1 byte). */
  static async open(root: string): Promise<NodeFolder> {
    return new NodeFolder(root, await listFolder(root, { sizes: false }));
  }

  files(): readonly string[] {
    return this.listed;
  }

  /** Insights files anywhere in the folder (outside skipped directories). */
  insightsFiles(): string[] {
    return this.listed.filter((f) => isInsightsFile(f));
  }

  /**
   * Reads these files' texts and loads the grammars they need, so that `text` and `syntax` answer
   * from memory. Files that are missing, too large, binary or outside the folder read as undefined.
   */
  async load(files: Iterable<string>): Promise<void> {
    const all = [...new Set(files)];
    const wanted = all.filter((f) => !this.texts.has(f));
    let next = 0;
    const lane = async () => {
      while (next < wanted.length) {
        const file = wanted[next++];
        this.texts.set(file, await readCodeText(this.root, file));
      }
    };
    await Promise.all([...Array(Math.min(LOAD_CONCURRENCY, wanted.length))].map(lane));
    if (this.parser) await this.parser.prepare(all.filter((f) => this.texts.get(f) !== undefined));
  }

  /** The text of a folder-relative file (after `load`, from memory; else read now). */
  text(file: string): string | undefined {
    if (!this.texts.has(file)) this.texts.set(file, readCodeTextSync(this.root, file));
    return this.texts.get(file);
  }

  /** The file's syntax tree, when a grammar for its language is loaded (`load` loads it). */
  syntax(file: string): FileSyntax | undefined {
    if (!this.parser) return undefined;
    if (!this.syntaxes.has(file)) {
      const text = this.text(file);
      this.syntaxes.set(file, text === undefined ? undefined : this.parser.syntaxOf(file, text));
    }
    return this.syntaxes.get(file);
  }

  /** Reads an insights file whatever its size up to 64 MiB (the parser applies its own limit). */
  async readInsights(file: string): Promise<{ text: string; byteSize: number }> {
    const abs = path.join(this.root, file);
    const byteSize = (await fs.promises.stat(abs)).size;
    return { text: byteSize > MAX_INSIGHTS_READ_BYTES ? '' : stripBom(await fs.promises.readFile(abs, 'utf8')), byteSize };
  }
}

export function isInsightsFile(file: string): boolean {
  return INSIGHTS_FILE_NAMES.has(file.slice(file.lastIndexOf('/') + 1));
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
