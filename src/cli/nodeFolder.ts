// A workspace folder on disk for the CLI: the file listing (skipping node_modules, .git and large
// files) and cached texts, behind the same CodeAccess interface the editor implements.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodeAccess } from '../core/anchors';

export const MAX_CODE_FILE_BYTES = 1024 * 1024;
const SKIPPED_DIRS = new Set(['node_modules', '.git']);
export const INSIGHTS_FILE_NAMES = new Set(['customer-insights.yaml', 'customer-insights.yml']);

export class NodeFolder implements CodeAccess {
  private listing?: string[];
  private readonly sizes = new Map<string, number>();
  private readonly texts = new Map<string, string | undefined>();

  constructor(readonly root: string) {}

  files(): readonly string[] {
    if (!this.listing) {
      this.listing = [];
      this.walk('', this.listing);
      this.listing.sort();
    }
    return this.listing;
  }

  /** Insights files anywhere in the folder. */
  insightsFiles(): string[] {
    return this.files().filter((f) => INSIGHTS_FILE_NAMES.has(f.slice(f.lastIndexOf('/') + 1)));
  }

  size(file: string): number | undefined {
    this.files();
    return this.sizes.get(file);
  }

  /** Text of a listed file; undefined for unlisted, oversized or binary files. */
  text(file: string): string | undefined {
    if (this.texts.has(file)) return this.texts.get(file);
    let text: string | undefined;
    const size = this.size(file);
    if (size !== undefined && size <= MAX_CODE_FILE_BYTES) {
      const buffer = fs.readFileSync(path.join(this.root, file));
      text = buffer.subarray(0, 8192).includes(0) ? undefined : stripBom(buffer.toString('utf8'));
    }
    this.texts.set(file, text);
    return text;
  }

  /** Reads an insights file whatever its size (the parser applies its own limit). */
  readInsights(file: string): { text: string; byteSize: number } {
    const byteSize = this.size(file) ?? fs.statSync(path.join(this.root, file)).size;
    return { text: byteSize > MAX_CODE_FILE_BYTES * 64 ? '' : stripBom(fs.readFileSync(path.join(this.root, file), 'utf8')), byteSize };
  }

  private walk(dir: string, out: string[]): void {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(this.root, dir), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) this.walk(rel, out);
      } else if (entry.isFile()) {
        out.push(rel);
        try {
          this.sizes.set(rel, fs.statSync(path.join(this.root, rel)).size);
        } catch {
          // Vanished while listing: it stays listed without a size and reads as missing.
        }
      }
    }
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
