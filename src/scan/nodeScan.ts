// Scanning a folder on a local disk for references (`@why` tags and ticket keys), with Node's fs and
// the skip policy of src/core/scanPolicy.ts. Used by the CLI and by the editor's code worker (a
// worker thread), so it never writes to the console, never exits the process and never throws for
// one bad file: what it cannot read is recorded as skipped, with the reason.
//
//   const listing = await listFolder(root);                     // sorted, '/' separators
//   const result = await scanFolder(root, { whyTag, trackers, parser, onRefs, listing });
//   const text = await readCodeText(root, 'src/a.ts');          // one file, for anchors
//
// How it stays fast and small on large trees. Each read slot owns one reusable buffer
// (MAX_CODE_FILE_BYTES + 1 bytes), so nothing proportional to the tree is ever held; the bytes are
// searched for the tag (and the tickets' literal prefixes) before any decoding, and only files that
// may hold a reference are decoded and scanned; a file's syntax is parsed only when it holds a tag.
//
// Two ways to do the I/O (`io`), both asynchronous for the caller and both cancellable:
//   'slices' (default)  plain system calls in time slices of about 8 ms, yielding to the event loop
//                       between slices, so a worker thread still answers its messages and an abort
//                       takes effect within a slice. One file at a time.
//   'pool'              Node's asynchronous fs on the libuv thread pool, `concurrency` files at once.
//                       Better when each read waits on a device (a cold cache on a disk that serves
//                       parallel requests, a network mount): the waits overlap.
// Measured on the 9,500 files (110 MB) the policy keeps of bench-data/corpus, warm cache, 2 cores:
// 'slices' reads them in about 100 ms, 'pool' in 300-450 ms whatever the concurrency (4-32) and
// thread-pool size (2-4): each asynchronous call costs a round trip through the thread pool, three
// per file (open, read, close), more than the read itself.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scanCodeText } from '../core/codeRefs';
import type { FileRefs } from '../core/codeRefs';
import { MAX_CODE_FILE_BYTES, isSkippedDirectory, looksBinary } from '../core/scanPolicy';
import type { FileSyntax } from '../core/syntax/types';
import type { CompiledTracker } from '../core/trackers';

/** What parses code for tag coverage: src/syntax/treeSitter.ts's SyntaxParser fits. */
export interface SyntaxSource {
  /** Loads what `syntaxOf` needs for these files (grammars), once. */
  prepare(files: Iterable<string>): Promise<void>;
  /** The file's syntax; undefined when its language has no grammar (synchronous). */
  syntaxOf(file: string, text: string): FileSyntax | undefined;
}

/**
 * Why a file was not scanned:
 *   unreadable  the system refused it (permissions, I/O error, gone between listing and reading)
 *   special     not a regular file: a FIFO, socket or device (never opened: reading could block)
 *   symlink     a symbolic link: the walk does not follow links (no loops, nothing outside the folder)
 *   too-large   larger than MAX_CODE_FILE_BYTES
 *   binary      a NUL byte in its first 8 KB
 *   limit       the listing stopped at `maxFiles`; `file` is the directory where it stopped
 * Directories the policy skips (node_modules, dist, .git…) are not listed at all, so they are not
 * recorded here. `unreadable`, `special` and `limit` are worth telling a person about; the others
 * are the policy working as intended.
 */
export type SkipKind = 'unreadable' | 'special' | 'symlink' | 'too-large' | 'binary' | 'limit';

export interface SkippedFile {
  /** Folder-relative, '/' separators; a directory ends with '/'. */
  file: string;
  kind: SkipKind;
  /** In words, e.g. "permission denied (EACCES)". */
  reason: string;
}

/** The skip kinds a person should be told about (the others are the policy at work). */
export const NOTEWORTHY_SKIPS: ReadonlySet<SkipKind> = new Set<SkipKind>(['unreadable', 'special', 'limit']);

export interface ListedFile {
  /** Folder-relative, '/' separators. */
  file: string;
  /** Bytes; undefined when listed with `sizes: false`, or when the file vanished before its stat. */
  size?: number;
}

export interface FolderListing {
  /** Sorted by path (code unit order). */
  files: ListedFile[];
  skipped: SkippedFile[];
  /** True when the walk stopped at `maxFiles`. */
  truncated: boolean;
}

export interface ListOptions {
  signal?: AbortSignal;
  /** The walk stops after this many files (a `limit` entry says where). Default 200,000. */
  maxFiles?: number;
  /** Stat every file for its size (one more system call per file). Default true. */
  sizes?: boolean;
  /** How the file system is read (see the top of this file). Default 'slices'. */
  io?: IoMode;
  /** With io 'pool': how many directories are read at once. Default 16. */
  concurrency?: number;
}

/** See the top of this file. */
export type IoMode = 'slices' | 'pool';

export const DEFAULT_MAX_FILES = 200_000;
const DEFAULT_CONCURRENCY = 16;

/**
 * Every file under `root` that the skip policy lets through, sorted. Skipped directories are not
 * entered; symbolic links (to files or directories) are not followed; a directory or file that
 * cannot be read is recorded in `skipped`, never thrown. Rejects only when `signal` aborts, or when
 * `root` itself cannot be read.
 */
export async function listFolder(root: string, options: ListOptions = {}): Promise<FolderListing> {
  const { signal, maxFiles = DEFAULT_MAX_FILES, sizes = true, io = 'slices', concurrency = DEFAULT_CONCURRENCY } = options;
  signal?.throwIfAborted();
  const lanes = io === 'pool' ? concurrency : 1;
  const names: string[] = [];
  const skipped: SkippedFile[] = [];
  let truncated = false;
  // The root must be a readable directory: that is a usage error, not a skip.
  const top = io === 'pool' ? await readDir(root) : readDirSync(root);
  if (top instanceof Error) throw top;

  const visit = (dir: string, entries: fs.Dirent[]): string[] => {
    const subdirs: string[] = [];
    for (const entry of entries) {
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!isSkippedDirectory(entry.name)) subdirs.push(rel);
      } else if (entry.isFile()) {
        if (names.length >= maxFiles) {
          if (!truncated) skipped.push({ file: dir ? `${dir}/` : './', kind: 'limit', reason: `the listing stopped at ${maxFiles} files` });
          truncated = true;
          break;
        }
        names.push(rel);
      } else if (entry.isSymbolicLink()) {
        skipped.push({ file: rel, kind: 'symlink', reason: 'a symbolic link (not followed)' });
      } else {
        skipped.push({ file: rel, kind: 'special', reason: `not a regular file (${specialKind(entry)})` });
      }
    }
    return subdirs;
  };

  const queue = visit('', top);
  await forEach(lanes, signal, () => (truncated ? undefined : queue.pop()), async (dir) => {
    const entries = io === 'pool' ? await readDir(path.join(root, dir)) : readDirSync(path.join(root, dir));
    if (entries instanceof Error) {
      skipped.push({ file: `${dir}/`, kind: 'unreadable', reason: errorReason(entries) });
      return;
    }
    if (!truncated) queue.push(...visit(dir, entries));
  });

  names.sort(compareCodeUnits);
  skipped.sort((a, b) => compareCodeUnits(a.file, b.file));
  const files: ListedFile[] = names.map((file) => ({ file }));
  if (sizes) {
    let next = 0;
    await forEach(lanes, signal, () => (next < files.length ? files[next++] : undefined), async (entry) => {
      const stat = io === 'pool' ? await statFile(path.join(root, entry.file)) : statFileSync(path.join(root, entry.file));
      if (!(stat instanceof Error)) entry.size = stat.size;
    });
  }
  return { files, skipped, truncated };
}

export interface ScanOptions {
  /** The tag (a setting; default `@why`). An empty tag finds no tag. */
  whyTag: string;
  /** The trackers whose ticket keys are looked for in comments (none: tickets are not scanned). */
  trackers: readonly CompiledTracker[];
  /** Parses the files that hold a tag, so a tag covers its declaration; without it tags cover their line. */
  parser?: SyntaxSource;
  /** Called once per file with at least one reference (with `includeEmpty`, once per file). */
  onRefs(refs: FileRefs): void;
  /** Progress: files done of the total, at most about every 100 ms, and once at the end. */
  onProgress?(done: number, total: number): void;
  signal?: AbortSignal;
  /** How the file system is read (see the top of this file). Default 'slices'. */
  io?: IoMode;
  /** With io 'pool': how many files are read at once. Default 16. */
  concurrency?: number;
}

export interface ScanFolderOptions extends ScanOptions {
  /** A listing already made (listFolder): scanned instead of walking the folder again. */
  listing?: FolderListing;
  /** For the walk when no listing is given. Default 200,000. */
  maxFiles?: number;
}

export interface ScanStats {
  /** Files opened and read. */
  read: number;
  /** Bytes read. */
  bytes: number;
  /** Files that passed the byte prefilter and were decoded and scanned. */
  decoded: number;
  /** Files with at least one reference. */
  withRefs: number;
  /** Files whose syntax was asked for (they hold a tag). */
  parsed: number;
}

export interface ScanResult {
  /** Every listed file (the folder's files under the skip policy), sorted. */
  files: string[];
  /** The listing's skips and the files the scan could not or would not read. */
  skipped: SkippedFile[];
  truncated: boolean;
  stats: ScanStats;
}

/**
 * Scans every file of the folder under the skip policy and reports each file's references through
 * `onRefs` as soon as it is read (files in completion order, not sorted). Rejects only when `signal`
 * aborts or the root cannot be read.
 */
export async function scanFolder(root: string, options: ScanFolderOptions): Promise<ScanResult> {
  const listing = options.listing ?? await listFolder(root, { signal: options.signal, maxFiles: options.maxFiles, sizes: false, io: options.io, concurrency: options.concurrency });
  const scanner = new Scanner(root, options, false);
  await scanner.run(listing.files);
  return {
    files: listing.files.map((f) => f.file),
    skipped: [...listing.skipped, ...scanner.skipped].sort((a, b) => compareCodeUnits(a.file, b.file)),
    truncated: listing.truncated,
    stats: scanner.stats,
  };
}

export interface ScanPathsOptions extends ScanOptions {
  /** Report every file, also those without references (so a caller can forget what they said). */
  includeEmpty?: boolean;
}

/**
 * Scans the given folder-relative files (a file that is gone, skipped or unreadable gives empty
 * refs when `includeEmpty` is set, and a `skipped` entry). Files in skipped directories are not read.
 */
export async function scanPaths(root: string, files: readonly string[], options: ScanPathsOptions): Promise<{ skipped: SkippedFile[]; stats: ScanStats }> {
  const scanner = new Scanner(root, options, options.includeEmpty === true);
  const listed: ListedFile[] = [];
  for (const file of files) {
    const rel = normaliseRelative(file);
    if (rel === undefined || isSkippedRelative(rel)) {
      if (options.includeEmpty) options.onRefs({ file, tags: [], tickets: [] });
      continue;
    }
    listed.push({ file: rel });
  }
  await scanner.run(listed);
  return { skipped: scanner.skipped, stats: scanner.stats };
}

/**
 * The text of one folder-relative file for anchors, under the same size and binary policy: undefined
 * when it does not exist, is not a regular file, is larger than MAX_CODE_FILE_BYTES, looks binary,
 * cannot be read, or lies outside `root` once symbolic links are resolved (a link may point inside
 * the folder; never out of it). A UTF-8 byte order mark is dropped.
 */
export async function readCodeText(root: string, rel: string): Promise<string | undefined> {
  const abs = await insideRoot(root, rel);
  if (abs === undefined) return undefined;
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(abs, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    const stat = await handle.stat();
    if (!stat.isFile() || stat.size > MAX_CODE_FILE_BYTES) return undefined;
    const buffer = Buffer.allocUnsafe(stat.size + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > MAX_CODE_FILE_BYTES) return undefined;
      if (length === buffer.length) break;
    }
    return decodeCode(buffer, length);
  } catch {
    return undefined;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** readCodeText, synchronously (for callers that cannot wait; same policy). */
export function readCodeTextSync(root: string, rel: string): string | undefined {
  const abs = insideRootSync(root, rel);
  if (abs === undefined) return undefined;
  let fd: number | undefined;
  try {
    fd = fs.openSync(abs, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    const stat = fs.fstatSync(fd);
    if (!stat.isFile() || stat.size > MAX_CODE_FILE_BYTES) return undefined;
    const buffer = Buffer.allocUnsafe(stat.size + 1);
    let length = 0;
    for (;;) {
      const bytesRead = fs.readSync(fd, buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > MAX_CODE_FILE_BYTES) return undefined;
      if (length === buffer.length) break;
    }
    return decodeCode(buffer, length);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

// ---- the scanner -------------------------------------------------------------------------------

/** What makes a file worth decoding: the tag's bytes, or a tracker's literal start. */
interface Prefilter {
  needles: Buffer[];
  /** A tracker pattern with no literal start: every text file must be decoded. */
  always: boolean;
}

class Scanner {
  readonly skipped: SkippedFile[] = [];
  readonly stats: ScanStats = { read: 0, bytes: 0, decoded: 0, withRefs: 0, parsed: 0 };
  private readonly prefilter: Prefilter;
  private readonly tagBytes?: Buffer;
  private readonly pooled: boolean;

  constructor(private readonly root: string, private readonly options: ScanOptions, private readonly includeEmpty: boolean) {
    this.pooled = options.io === 'pool';
    this.prefilter = prefilterFor(options.whyTag, options.trackers);
    this.tagBytes = options.whyTag ? Buffer.from(options.whyTag, 'utf8') : undefined;
  }

  async run(files: readonly ListedFile[]): Promise<void> {
    const { signal, onProgress } = this.options;
    const total = files.length;
    let next = 0;
    let done = 0;
    let reported = performance.now();
    const lanes = this.pooled ? Math.max(1, this.options.concurrency ?? DEFAULT_CONCURRENCY) : 1;
    // One buffer per read slot, reused for every file the slot reads.
    const buffers: Buffer[] = [];
    await forEach(lanes, signal, () => (next < total ? files[next++] : undefined), async (entry, slot) => {
      const buffer = (buffers[slot] ??= Buffer.allocUnsafe(MAX_CODE_FILE_BYTES + 1));
      await this.scanOne(entry, buffer);
      done++;
      if (onProgress && performance.now() - reported >= 100) {
        reported = performance.now();
        onProgress(done, total);
      }
    });
    onProgress?.(done, total);
  }

  private async scanOne(entry: ListedFile, buffer: Buffer): Promise<void> {
    const { file } = entry;
    const empty = () => {
      if (this.includeEmpty) this.options.onRefs({ file, tags: [], tickets: [] });
    };
    if (entry.size !== undefined && entry.size > MAX_CODE_FILE_BYTES) {
      this.skip(file, 'too-large', tooLargeReason());
      return empty();
    }
    const abs = path.join(this.root, file);
    const read = this.pooled ? await readInto(abs, buffer) : readIntoSync(abs, buffer);
    if (read instanceof Error) {
      this.skip(file, 'unreadable', errorReason(read));
      return empty();
    }
    this.stats.read++;
    this.stats.bytes += read;
    if (read > MAX_CODE_FILE_BYTES) {
      this.skip(file, 'too-large', tooLargeReason());
      return empty();
    }
    const bytes = buffer.subarray(0, read);
    if (looksBinary(bytes)) {
      this.skip(file, 'binary', 'a binary file');
      return empty();
    }
    if (!this.prefilter.always && !this.prefilter.needles.some((n) => bytes.indexOf(n) !== -1)) return empty();
    this.stats.decoded++;
    const text = decodeUtf8(bytes);
    const { parser, whyTag, trackers } = this.options;
    // The grammar is loaded only for files that hold the tag (the only ones whose syntax is asked).
    if (parser && this.tagBytes && bytes.indexOf(this.tagBytes) !== -1) await parser.prepare([file]);
    let parsed = false;
    const refs = scanCodeText(text, file, {
      whyTag, trackers,
      syntax: parser ? (f, t) => {
        parsed = true;
        return parser.syntaxOf(f, t);
      } : undefined,
    });
    if (parsed) this.stats.parsed++;
    if (refs.tags.length > 0 || refs.tickets.length > 0) {
      this.stats.withRefs++;
      this.options.onRefs(refs);
    } else {
      empty();
    }
  }

  private skip(file: string, kind: SkipKind, reason: string): void {
    this.skipped.push({ file, kind, reason });
  }
}

function tooLargeReason(): string {
  return `larger than ${MAX_CODE_FILE_BYTES / (1024 * 1024)} MiB`;
}

/** The byte strings whose presence makes a file worth decoding. */
function prefilterFor(whyTag: string, trackers: readonly CompiledTracker[]): Prefilter {
  const needles: Buffer[] = [];
  let always = false;
  if (whyTag) needles.push(Buffer.from(whyTag, 'utf8'));
  for (const { tracker } of trackers) {
    const literal = tracker.prefix !== undefined ? `${tracker.prefix}-` : literalStart(tracker.pattern ?? '');
    if (literal) needles.push(Buffer.from(literal, 'utf8'));
    else always = true;
  }
  return { needles, always };
}

/**
 * The literal text every match of a tracker pattern starts with ('GH-' for "GH-(\\d+)"), or '' when
 * there is none or it cannot be told safely (an alternation anywhere, an escape, a class, a group,
 * a quantifier on the first character). Tracker patterns run without flags, so the match is exact.
 */
export function literalStart(pattern: string): string {
  if (pattern.includes('|')) return '';
  let i = 0;
  while (i < pattern.length && /[A-Za-z0-9 _\-:#@/]/.test(pattern[i])) i++;
  let literal = pattern.slice(0, i);
  // A quantifier applies to the character before it, which may then be absent or repeated.
  if (i < pattern.length && /[?*+{]/.test(pattern[i])) literal = literal.slice(0, -1);
  return literal;
}

// ---- file system helpers -----------------------------------------------------------------------

/** How long synchronous I/O runs before yielding to the event loop ('slices'). */
const SLICE_MS = 8;

/**
 * Runs `work` on every item `take` gives: with more than one lane through `pool`, with one lane in
 * a loop that yields to the event loop every SLICE_MS (and checks `signal` before every item).
 */
async function forEach<T>(lanes: number, signal: AbortSignal | undefined, take: () => T | undefined, work: (item: T, slot: number) => Promise<void>): Promise<void> {
  if (lanes > 1) return pool(lanes, signal, take, work);
  let sliceStart = performance.now();
  for (let item = take(); item !== undefined; item = take()) {
    signal?.throwIfAborted();
    await work(item, 0);
    if (performance.now() - sliceStart >= SLICE_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
  signal?.throwIfAborted();
}

/**
 * Runs `work` on items from `take` with at most `limit` in flight; `slot` (0..limit-1) is free for
 * the item's exclusive use while it runs. `take` may return more items later (a walk adds the
 * directories it finds): idle lanes pick them up when a running item ends. Rejects with the first
 * failure, or with the signal's reason once it aborts (items in flight are awaited first).
 */
function pool<T>(limit: number, signal: AbortSignal | undefined, take: () => T | undefined, work: (item: T, slot: number) => Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    let inFlight = 0;
    let failure: unknown;
    let settled = false;
    const free: number[] = [];
    for (let s = limit - 1; s >= 0; s--) free.push(s);
    const finish = () => {
      if (settled || inFlight > 0) return;
      settled = true;
      if (failure !== undefined) reject(failure);
      else resolve();
    };
    const fill = () => {
      while (failure === undefined && inFlight < limit) {
        if (signal?.aborted) {
          failure = signal.reason ?? new Error('aborted');
          break;
        }
        const item = take();
        if (item === undefined) break;
        const slot = free.pop()!;
        inFlight++;
        work(item, slot).catch((e: unknown) => {
          failure ??= e;
        }).finally(() => {
          inFlight--;
          free.push(slot);
          fill();
        });
      }
      finish();
    };
    fill();
  });
}

function readDir(dir: string): Promise<fs.Dirent[] | Error> {
  return new Promise((resolve) => fs.readdir(dir, { withFileTypes: true }, (err, entries) => resolve(err ?? entries)));
}

function statFile(file: string): Promise<fs.Stats | Error> {
  return new Promise((resolve) => fs.stat(file, (err, stat) => resolve(err ?? stat)));
}

function readDirSync(dir: string): fs.Dirent[] | Error {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    return e as Error;
  }
}

function statFileSync(file: string): fs.Stats | Error {
  try {
    return fs.statSync(file);
  } catch (e) {
    return e as Error;
  }
}

/**
 * Reads up to buffer.length bytes of a file into `buffer` and returns how many (one read: a regular
 * file on a local disk reads in full up to the requested length, so a short read is its end); an
 * Error when it cannot be opened or read. No stat: the listing said it is a regular file, and a
 * count above MAX_CODE_FILE_BYTES says it is too large. O_NONBLOCK keeps a FIFO that replaced the
 * file after the listing from blocking the open; O_NOFOLLOW refuses a symbolic link that did.
 */
function readInto(file: string, buffer: Buffer): Promise<number | Error> {
  return new Promise((resolve) => {
    fs.open(file, READ_FLAGS, (err, fd) => {
      if (err) return resolve(err);
      fs.read(fd, buffer, 0, buffer.length, 0, (readErr, bytesRead) => {
        fs.close(fd, () => undefined);
        resolve(readErr ?? bytesRead);
      });
    });
  });
}

/** readInto with plain system calls. */
function readIntoSync(file: string, buffer: Buffer): number | Error {
  let fd: number;
  try {
    fd = fs.openSync(file, READ_FLAGS);
  } catch (e) {
    return e as Error;
  }
  try {
    return fs.readSync(fd, buffer, 0, buffer.length, 0);
  } catch (e) {
    return e as Error;
  } finally {
    fs.closeSync(fd);
  }
}

const READ_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOFOLLOW ?? 0);

/** UTF-8 text of the first `length` bytes, without a byte order mark; undefined when it looks binary. */
function decodeCode(buffer: Buffer, length: number): string | undefined {
  const bytes = buffer.subarray(0, length);
  return looksBinary(bytes) ? undefined : decodeUtf8(bytes);
}

function decodeUtf8(bytes: Buffer): string {
  const length = bytes.length;
  const bom = length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return bytes.toString('utf8', bom ? 3 : 0);
}

/** A folder-relative path with '/' separators, or undefined when it is absolute or leaves the folder. */
function normaliseRelative(rel: string): string | undefined {
  const parts = rel.replace(/\\/g, '/').split('/').filter((p) => p !== '' && p !== '.');
  if (rel.startsWith('/') || path.isAbsolute(rel) || parts.length === 0 || parts.includes('..')) return undefined;
  return parts.join('/');
}

function isSkippedRelative(rel: string): boolean {
  const parts = rel.split('/');
  for (let i = 0; i < parts.length - 1; i++) if (isSkippedDirectory(parts[i])) return true;
  return false;
}

const realRoots = new Map<string, string>();

/** The absolute path of `rel` when it resolves (links followed) inside `root`; undefined otherwise. */
async function insideRoot(root: string, rel: string): Promise<string | undefined> {
  const clean = normaliseRelative(rel);
  if (clean === undefined) return undefined;
  try {
    let realRoot = realRoots.get(root);
    if (realRoot === undefined) {
      realRoot = await fs.promises.realpath(root);
      realRoots.set(root, realRoot);
    }
    const real = await fs.promises.realpath(path.join(root, clean));
    return contains(realRoot, real) ? real : undefined;
  } catch {
    return undefined;
  }
}

function insideRootSync(root: string, rel: string): string | undefined {
  const clean = normaliseRelative(rel);
  if (clean === undefined) return undefined;
  try {
    let realRoot = realRoots.get(root);
    if (realRoot === undefined) {
      realRoot = fs.realpathSync(root);
      realRoots.set(root, realRoot);
    }
    const real = fs.realpathSync(path.join(root, clean));
    return contains(realRoot, real) ? real : undefined;
  } catch {
    return undefined;
  }
}

function contains(realRoot: string, real: string): boolean {
  const rel = path.relative(realRoot, real);
  return rel !== '' && !rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel);
}

function specialKind(entry: fs.Dirent): string {
  if (entry.isFIFO()) return 'a named pipe';
  if (entry.isSocket()) return 'a socket';
  if (entry.isCharacterDevice() || entry.isBlockDevice()) return 'a device';
  return 'an unknown kind of file';
}

function errorReason(e: Error): string {
  const code = (e as NodeJS.ErrnoException).code;
  const words: Record<string, string> = {
    EACCES: 'permission denied', EPERM: 'operation not permitted', ENOENT: 'it no longer exists', EIO: 'an I/O error',
    ELOOP: 'a loop of symbolic links', EISDIR: 'it is a directory', ENOTDIR: 'a path component is not a directory',
    EMFILE: 'too many open files', ENFILE: 'too many open files', EAGAIN: 'not ready to be read (a pipe?)',
  };
  if (code && words[code]) return `${words[code]} (${code})`;
  return code ? `${e.message.split(',')[0]} (${code})` : e.message;
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
