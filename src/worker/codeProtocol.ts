// Messages between the extension host and the code worker, which parses code with the tree-sitter
// grammars and scans folders for `@why` tags and ticket keys, so neither ever runs on the host's
// thread. Everything here is plain data.
import type { FileRefs } from '../core/codeRefs';
import type { Tracker } from '../core/model';
import type { FileSyntax } from '../core/syntax/types';

/** What finds references: the tag and the insights files' trackers (compiled in the worker). */
export interface ScanSettings {
  whyTag: string;
  trackers: Tracker[];
}

export type CodeRequest =
  /** The syntax of one text (an anchored file). */
  | { id: number; kind: 'syntax'; file: string; text: string }
  /** The syntax and the references of one text (an open document): nothing of it runs on the host. */
  | { id: number; kind: 'analyze'; file: string; text: string; settings: ScanSettings }
  /** References of texts the host read (unsaved editors, non-file workspaces). */
  | { id: number; kind: 'scanTexts'; items: { file: string; text: string }[]; settings: ScanSettings }
  /** References of files on disk under `root` (a file: folder); a file that is gone gives empty refs. */
  | { id: number; kind: 'scanPaths'; root: string; files: string[]; settings: ScanSettings }
  /** Every file under `root` that the checker scans, streamed back in batches with progress. */
  | { id: number; kind: 'scanFolder'; root: string; settings: ScanSettings }
  /** The folder's files, by the checker's policy, sorted (folder-relative, '/' separators). */
  | { id: number; kind: 'list'; root: string }
  | { id: number; kind: 'cancel' };

export type CodeResponse =
  | { id: number; kind: 'syntax'; syntax?: FileSyntax }
  | { id: number; kind: 'analyzed'; syntax?: FileSyntax; refs: FileRefs }
  | { id: number; kind: 'refs'; refs: FileRefs[] }
  | { id: number; kind: 'progress'; done: number; total: number }
  | { id: number; kind: 'listed'; files: string[] }
  | { id: number; kind: 'done'; files?: number; skipped?: number }
  | { id: number; kind: 'error'; error: string };

/** References go back in batches of this many files, so each message is a short task for the host. */
export const REFS_PER_MESSAGE = 50;
