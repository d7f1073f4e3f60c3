// What a change is, from the user's own `git`: the two sides (a base commit, and the working tree or
// a head commit), the diff between them as data for src/core/impact.ts, and the files of either
// side. Node only (child processes), never vscode: the CLI's `impact` uses it, and the editor can.
//
//   const repo = await GitRepository.open(folder);                   // GitError when git or the repo is missing
//   const change = await repo.changes({ base: 'origin/main' });      // or {} for the default base
//   const text = await repo.readFile(change.base.commit, 'src/a.ts'); // a file at the base (bounded)
//
// Every git call is `execFile` with an argument array (never a shell), a timeout and a maxBuffer
// (reading many files at a commit streams one `git cat-file --batch` through `spawn`, also without a
// shell, with a timeout, keeping at most maxBytes of each file),
// and options that make the output the same whatever the user's configuration says: no colour, no
// external diff or text conversion, fixed `a/` `b/` prefixes, paths unquoted where git allows.
// Paths are relative to the folder the repository was opened on (`--relative`), '/' separators.
import { execFile, spawn } from 'node:child_process';
import type { ExecFileException } from 'node:child_process';
import { looksBinary, MAX_CODE_FILE_BYTES, isSkippedPath } from '../core/scanPolicy';
import type { DiffHunk, FileDiff } from '../core/impact';
import { readCodeText } from '../scan/nodeScan';

export type GitErrorKind = 'git-missing' | 'not-a-repository' | 'bad-ref' | 'no-base' | 'failed' | 'timeout';

/** A git problem, in words a person can act on (the CLI prints the message and exits 2). */
export class GitError extends Error {
  constructor(message: string, readonly kind: GitErrorKind) {
    super(message);
  }
}

export interface GitOptions {
  /** The git executable (default `git`, from the PATH). */
  git?: string;
  /** Milliseconds one git call may take (default 60,000; the diff gets twice that). */
  timeoutMs?: number;
  /** Environment for git (default: this process's, with GIT_OPTIONAL_LOCKS=0). */
  env?: NodeJS.ProcessEnv;
}

export interface DiffLimits {
  /** The diff is cut after this many files (default 20,000). */
  maxFiles?: number;
  /** The diff is cut after this many bytes of `git diff` output (default 50 MB). */
  maxBytes?: number;
  /** Each changed line's text is kept up to this many characters (default 1,000). */
  maxLineLength?: number;
}

export const DEFAULT_DIFF_LIMITS: Required<DiffLimits> = { maxFiles: 20_000, maxBytes: 50 * 1024 * 1024, maxLineLength: 1000 };

export interface ChangeSide {
  /** What the user named (`origin/main`, a SHA), or undefined for the working tree. */
  ref?: string;
  /** The commit (full SHA): the base, or the head's commit (for the working tree, HEAD's). */
  commit: string;
}

export interface ChangeSet {
  base: ChangeSide & {
    /** How the base was chosen: the merge base with the head, or the named commit itself. */
    via: 'merge-base' | 'ref';
  };
  /** `ref` undefined: the working tree (staged and unstaged changes, and untracked files). */
  head: ChangeSide;
  files: FileDiff[];
  /** Set when the diff was cut at a bound: what was left out, in words. */
  truncated?: string;
  /** Things worth telling the user (how the base was chosen when the merge base is missing…). */
  notes: string[];
}

export interface ChangesOptions {
  /** The base: a branch, tag or commit. Default: the merge base of HEAD and the default branch. */
  base?: string;
  /** The head commit. Default: the working tree. */
  head?: string;
  limits?: DiffLimits;
  /** With the working tree: count untracked (not ignored) files as added. Default true. */
  untracked?: boolean;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const SMALL_OUTPUT = 1024 * 1024;

export class GitRepository {
  private constructor(
    /** The folder the repository was opened on (absolute). */
    readonly root: string,
    /** The repository's top folder (absolute, as git writes it). */
    readonly top: string,
    /** `root` relative to `top`: '' or 'sub/dir/' (what GitHub annotations need in front of paths). */
    readonly prefix: string,
    private readonly options: GitOptions,
  ) {}

  /** Opens the repository holding `folder`; GitError when git is missing or the folder is not in a repository. */
  static async open(folder: string, options: GitOptions = {}): Promise<GitRepository> {
    const r = await runGit(folder, ['rev-parse', '--show-toplevel', '--show-prefix'], options);
    if (r.code !== 0) {
      if (/not a git repository/i.test(r.stderr)) throw new GitError(`${folder} is not inside a git repository.`, 'not-a-repository');
      throw failed('rev-parse', r);
    }
    const [top, prefix = ''] = r.stdout.split('\n');
    return new GitRepository(folder, top, prefix, options);
  }

  /** Runs git in the folder (argument array, no shell); the exit code and output, never thrown for a non-zero exit. */
  run(args: readonly string[], extra: { maxBuffer?: number; timeoutMs?: number } = {}): Promise<GitRun> {
    return runGit(this.root, args, this.options, extra);
  }

  /** The full SHA of the commit `ref` names; GitError 'bad-ref' when it names none. */
  async commit(ref: string): Promise<string> {
    checkRef(ref);
    const r = await this.run(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
    if (r.code === 0 && /^[0-9a-f]{40,64}$/.test(r.stdout.trim())) return r.stdout.trim();
    const shallow = await this.isShallow();
    throw new GitError(`"${ref}" names no commit in this repository.`
      + (shallow ? ' This is a shallow clone: fetch the branch first (git fetch origin <branch>), or clone with more history (fetch-depth: 0 on actions/checkout).' : '')
      + (/^origin\//.test(ref) && !shallow ? ' Fetch it first (git fetch origin).' : ''), 'bad-ref');
  }

  async isShallow(): Promise<boolean> {
    const r = await this.run(['rev-parse', '--is-shallow-repository']);
    return r.code === 0 && r.stdout.trim() === 'true';
  }

  /** Whether HEAD is detached (not on a branch). */
  async isDetached(): Promise<boolean> {
    const r = await this.run(['symbolic-ref', '--quiet', 'HEAD']);
    return r.code !== 0;
  }

  /**
   * The branch changes merge into: origin/HEAD's target when the remote says, else the first of
   * main, master, origin/main, origin/master that exists; undefined when none does.
   */
  async defaultBranch(): Promise<string | undefined> {
    const r = await this.run(['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD']);
    if (r.code === 0 && r.stdout.trim()) return r.stdout.trim();
    for (const [name, full] of [['main', 'refs/heads/main'], ['master', 'refs/heads/master'], ['origin/main', 'refs/remotes/origin/main'], ['origin/master', 'refs/remotes/origin/master']]) {
      const v = await this.run(['rev-parse', '--verify', '--quiet', full]);
      if (v.code === 0) return name;
    }
    return undefined;
  }

  /** The merge base of two commits, or undefined when the history at hand has none (shallow, unrelated). */
  async mergeBase(a: string, b: string): Promise<string | undefined> {
    const r = await this.run(['merge-base', a, b]);
    return r.code === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
  }

  /**
   * The change: its two sides and the diff between them. With `base` the base is the merge base of
   * it and the head (what a pull request shows), or the named commit itself when the history at hand
   * has no merge base (a shallow clone; a note says so). Without it, the merge base of the head and
   * the default branch, and a GitError 'no-base' naming `--base` when that cannot be found.
   */
  async changes(options: ChangesOptions = {}): Promise<ChangeSet> {
    const notes: string[] = [];
    const headCommit = await this.commit(options.head ?? 'HEAD').catch((e: unknown) => {
      if (options.head === undefined && e instanceof GitError) throw new GitError('This repository has no commit yet: commit something first, or name the base with --base.', 'no-base');
      throw e;
    });
    let base: ChangeSet['base'];
    if (options.base !== undefined) {
      const named = await this.commit(options.base);
      const merge = await this.mergeBase(named, headCommit);
      if (merge) base = { ref: options.base, commit: merge, via: 'merge-base' };
      else {
        base = { ref: options.base, commit: named, via: 'ref' };
        notes.push(`${options.base} and ${options.head ?? 'HEAD'} have no common ancestor in this clone${await this.isShallow() ? ' (a shallow clone)' : ''}: the change is compared with ${options.base} itself.`);
      }
    } else {
      base = await this.defaultBase(headCommit, options.head ?? 'HEAD');
    }
    const limits = { ...DEFAULT_DIFF_LIMITS, ...options.limits };
    const args = [
      '-c', 'core.quotePath=false', 'diff', '--no-color', '--no-ext-diff', '--no-textconv', '-M', '--unified=0',
      '--src-prefix=a/', '--dst-prefix=b/', '--relative', '--ignore-submodules=none', base.commit,
      ...(options.head !== undefined ? [headCommit] : []), '--',
    ];
    const r = await this.run(args, { maxBuffer: limits.maxBytes, timeoutMs: (this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS) * 2 });
    if (r.code !== 0 && !r.overflow) throw failed('diff', r);
    const parsed = parseUnifiedDiff(r.stdout, limits);
    let truncated = parsed.truncated;
    if (r.overflow) {
      // The output stopped mid-file: the last file read is incomplete, so it goes too.
      parsed.files.pop();
      truncated = `the diff is larger than ${Math.round(limits.maxBytes / 1024 / 1024)} MB: only its first ${parsed.files.length} files are looked at`;
    }
    const files = parsed.files;
    if (options.head === undefined && options.untracked !== false && !truncated) {
      const extra = await this.untrackedFiles(limits, limits.maxFiles - files.length);
      files.push(...extra.files);
      truncated = extra.truncated;
    }
    return { base, head: { ref: options.head, commit: headCommit }, files, ...(truncated ? { truncated } : {}), notes };
  }

  private async defaultBase(headCommit: string, headName: string): Promise<ChangeSet['base']> {
    const branch = await this.defaultBranch();
    const detached = headName === 'HEAD' && await this.isDetached();
    const shallow = await this.isShallow();
    const why = [detached ? 'HEAD is detached' : undefined, shallow ? 'this is a shallow clone' : undefined].filter(Boolean).join(' and ');
    if (branch === undefined) {
      throw new GitError('Cannot tell which branch this change merges into: no origin/HEAD, and no main or master branch'
        + `${why ? ` (${why})` : ''}. Name the base with --base REF, e.g. --base origin/main.`, 'no-base');
    }
    const named = await this.commit(branch);
    const merge = await this.mergeBase(headCommit, named);
    if (!merge) {
      throw new GitError(`${headName} and ${branch} have no common ancestor in this clone${why ? ` (${why})` : ''}. `
        + 'Fetch more history (git fetch --unshallow, or fetch-depth: 0 on actions/checkout), or name the base with --base REF.', 'no-base');
    }
    return { ref: branch, commit: merge, via: 'merge-base' };
  }

  /** Untracked files that are not ignored, as added files (their text read under the scan policy). */
  private async untrackedFiles(limits: Required<DiffLimits>, room: number): Promise<{ files: FileDiff[]; truncated?: string }> {
    const r = await this.run(['ls-files', '--others', '--exclude-standard', '-z'], { maxBuffer: limits.maxBytes });
    if (r.code !== 0 && !r.overflow) throw failed('ls-files', r);
    const names = r.stdout.split('\0').filter(Boolean).sort(compareCodeUnits);
    const files: FileDiff[] = [];
    const take = names.slice(0, Math.max(0, room));
    for (const name of take) {
      const text = await readCodeText(this.root, name);
      if (text === undefined) {
        files.push({ newPath: name, status: 'added', binary: true, hunks: [] });
        continue;
      }
      const lines = text.split(/\r?\n/);
      if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
      const hunks: DiffHunk[] = lines.length === 0 ? [] : [{ oldStart: 0, oldLines: 0, newStart: 1, newLines: lines.length, added: lines.map((l) => cut(l, limits.maxLineLength)) }];
      files.push({ newPath: name, status: 'added', binary: false, hunks });
    }
    const left = names.length - take.length;
    return left > 0 || r.overflow ? { files, truncated: `the change holds more than ${limits.maxFiles} files: ${left} untracked files are not looked at` } : { files };
  }

  /**
   * The bytes of a folder-relative file at a commit: 'too-large' past `maxBytes`, undefined when it
   * does not exist there (or is not a file).
   */
  async readBlob(commit: string, file: string, maxBytes: number): Promise<Buffer | 'too-large' | undefined> {
    checkRef(commit);
    const r = await this.run(['show', '--no-textconv', `${commit}:${this.prefix}${file}`], { maxBuffer: maxBytes });
    if (r.overflow) return 'too-large';
    return r.code === 0 ? r.bytes : undefined;
  }

  /**
   * The text of a folder-relative file at a commit, under the scan policy: undefined when it does not
   * exist there, is larger than `maxBytes` (default 1 MiB), looks binary, or is not a file.
   */
  async readFile(commit: string, file: string, maxBytes = MAX_CODE_FILE_BYTES): Promise<string | undefined> {
    const bytes = await this.readBlob(commit, file, maxBytes);
    if (bytes === undefined || bytes === 'too-large' || looksBinary(bytes)) return undefined;
    return decodeText(bytes);
  }

  /**
   * Reads several folder-relative files at a commit through one `git cat-file --batch` (a process
   * per file costs more than reading it): a Map of path to text, undefined as readFile says.
   */
  async readFiles(commit: string, files: Iterable<string>, maxBytes = MAX_CODE_FILE_BYTES): Promise<Map<string, string | undefined>> {
    checkRef(commit);
    const wanted = [...new Set(files)];
    const out = new Map<string, string | undefined>();
    // A name with a line break cannot go through the batch's line protocol: read it on its own.
    const plain = wanted.filter((f) => !/[\r\n]/.test(f));
    for (const f of wanted) if (/[\r\n]/.test(f)) out.set(f, await this.readFile(commit, f, maxBytes));
    if (plain.length === 0) return out;
    const blobs = await catFileBatch(this.root, plain.map((f) => `${commit}:${this.prefix}${f}`), maxBytes, this.options);
    plain.forEach((f, i) => {
      const bytes = blobs[i];
      out.set(f, bytes === undefined || looksBinary(bytes) ? undefined : decodeText(bytes));
    });
    return out;
  }

  /** Every file of the folder at a commit, folder-relative and sorted, without the scan policy's skipped directories. */
  async listFiles(commit: string): Promise<string[]> {
    checkRef(commit);
    const r = await this.run(['-c', 'core.quotePath=false', 'ls-tree', '-r', '-z', '--name-only', commit], { maxBuffer: 256 * 1024 * 1024 });
    if (r.code !== 0) throw failed('ls-tree', r);
    return r.stdout.split('\0').filter((f) => f && !isSkippedPath(f)).sort(compareCodeUnits);
  }
}

// ---- running git -------------------------------------------------------------------------------

export interface GitRun {
  code: number;
  /** stdout as UTF-8 text. */
  stdout: string;
  /** stdout's bytes. */
  bytes: Buffer;
  stderr: string;
  /** True when stdout reached maxBuffer: git was stopped and stdout is cut there. */
  overflow: boolean;
}

function runGit(cwd: string, args: readonly string[], options: GitOptions, extra: { maxBuffer?: number; timeoutMs?: number } = {}): Promise<GitRun> {
  const git = options.git ?? 'git';
  const timeout = extra.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    execFile(git, [...args], {
      cwd, timeout, maxBuffer: extra.maxBuffer ?? SMALL_OUTPUT, encoding: 'buffer', windowsHide: true,
      env: { ...(options.env ?? process.env), GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', PAGER: 'cat' },
    }, (error: ExecFileException | null, stdout: Buffer, stderr: Buffer) => {
      const result = { stdout: stdout.toString('utf8'), bytes: stdout, stderr: stderr.toString('utf8') };
      if (!error) return resolve({ ...result, code: 0, overflow: false });
      const code = (error as NodeJS.ErrnoException).code as unknown;
      if (code === 'ENOENT') return reject(new GitError(`git was not found (${git}): install git, or put it on the PATH.`, 'git-missing'));
      if (code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return resolve({ ...result, code: 1, overflow: true });
      if (typeof code === 'number') return resolve({ ...result, code, overflow: false });
      if (error.killed || error.signal) {
        const command = args.find((a) => !a.startsWith('-') && !a.includes('=')) ?? '';
        return reject(new GitError(`git ${command} took longer than ${Math.round(timeout / 1000)} s and was stopped.`, 'timeout'));
      }
      return reject(new GitError(`git could not be run: ${error.message}`, 'failed'));
    });
  });
}

/**
 * `git cat-file --batch` over object names: each blob's bytes, or undefined when it is missing, not
 * a blob, or larger than `maxBytes` (its bytes are read past, never kept). One process, streamed.
 */
function catFileBatch(cwd: string, names: readonly string[], maxBytes: number, options: GitOptions): Promise<(Buffer | undefined)[]> {
  const git = options.git ?? 'git';
  const timeout = (options.timeoutMs ?? DEFAULT_TIMEOUT_MS) * 2;
  return new Promise((resolve, reject) => {
    const child = spawn(git, ['cat-file', '--batch'], {
      cwd, windowsHide: true, stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...(options.env ?? process.env), GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0' },
    });
    const results: (Buffer | undefined)[] = [];
    let pending: Buffer = Buffer.alloc(0);
    // The object being read: its size, the bytes kept (undefined when too large), how many are left.
    let current: { left: number; chunks: Buffer[] | undefined } | undefined;
    let stderr = '';
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        child.kill();
        reject(error);
      } else {
        resolve(results);
      }
    };
    const timer = setTimeout(() => finish(new GitError(`git cat-file took longer than ${Math.round(timeout / 1000)} s and was stopped.`, 'timeout')), timeout);
    child.on('error', (e: NodeJS.ErrnoException) => finish(e.code === 'ENOENT' ? new GitError(`git was not found (${git}): install git, or put it on the PATH.`, 'git-missing') : new GitError(`git could not be run: ${e.message}`, 'failed')));
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 4096) stderr += d.toString('utf8');
    });
    child.stdout.on('data', (data: Buffer) => {
      pending = pending.length === 0 ? data : Buffer.concat([pending, data]);
      // Bounded by the bytes at hand: every turn consumes a header or some content.
      for (let guard = 0; guard < 1_000_000 && pending.length > 0; guard++) {
        if (current) {
          const take = Math.min(current.left, pending.length);
          if (current.chunks) current.chunks.push(pending.subarray(0, take));
          current.left -= take;
          pending = pending.subarray(take);
          if (current.left > 0) break;
          // The content is followed by one line feed.
          if (pending.length === 0) break;
          pending = pending.subarray(1);
          results.push(current.chunks ? Buffer.concat(current.chunks) : undefined);
          current = undefined;
          continue;
        }
        const nl = pending.indexOf(10);
        if (nl < 0) break;
        const header = pending.subarray(0, nl).toString('utf8');
        pending = pending.subarray(nl + 1);
        const m = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
        if (!m) {
          results.push(undefined); // "<name> missing", "<name> ambiguous"…
          continue;
        }
        const size = Number(m[2]);
        const keep = m[1] === 'blob' && size <= maxBytes;
        current = { left: size, chunks: keep ? [] : undefined };
      }
    });
    child.on('close', (code) => {
      if (results.length === names.length) finish();
      else finish(new GitError(`git cat-file failed: ${stderr.split('\n').find((l) => l.trim()) ?? `exit code ${code}`}`, 'failed'));
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(`${names.join('\n')}\n`);
  });
}

function failed(what: string, r: GitRun): GitError {
  const first = r.stderr.split('\n').find((l) => l.trim()) ?? `exit code ${r.code}`;
  return new GitError(`git ${what} failed: ${first.trim()}`, 'failed');
}

/** A ref the user typed must not be read as an option, nor hold what git cannot take. */
function checkRef(ref: string): void {
  if (ref === '' || ref.startsWith('-') || /[\0\n\r]/.test(ref)) throw new GitError(`"${ref}" is not a valid git reference.`, 'bad-ref');
}

/** UTF-8 text without a byte order mark. */
export function decodeText(bytes: Buffer): string {
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return bytes.toString('utf8', bom ? 3 : 0);
}

function cut(s: string, max: number): string {
  return s.length > max ? s.slice(0, max) : s;
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---- parsing `git diff --unified=0` ------------------------------------------------------------

/**
 * Parses the output of `git diff --no-color -M --unified=0 --src-prefix=a/ --dst-prefix=b/`: each
 * file's paths (renames followed), status, whether it is binary (or a submodule: never read), and
 * its hunks with the changed lines' text. Stops after `maxFiles` files, saying so in `truncated`.
 */
export function parseUnifiedDiff(text: string, limits: DiffLimits = {}): { files: FileDiff[]; truncated?: string } {
  const { maxFiles, maxLineLength } = { ...DEFAULT_DIFF_LIMITS, ...limits };
  const files: FileDiff[] = [];
  const lines = text.split('\n');
  let file: (FileDiff & { header: string }) | undefined;
  let hunk: DiffHunk | undefined;
  let oldLeft = 0;
  let newLeft = 0;
  let truncated: string | undefined;

  const finish = () => {
    if (!file) return;
    const { header, ...diff } = file;
    if (diff.oldPath === undefined && diff.newPath === undefined) {
      const [a, b] = headerPaths(header);
      if (diff.status !== 'added') diff.oldPath = a;
      if (diff.status !== 'deleted') diff.newPath = b;
    }
    if (diff.status === 'renamed' && diff.oldPath === diff.newPath) diff.status = 'modified';
    files.push(diff);
    file = undefined;
    hunk = undefined;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (hunk && (oldLeft > 0 || newLeft > 0)) {
      // Inside a hunk: exactly oldLines '-' and newLines '+' lines (and "\ No newline" markers).
      if (line.startsWith('-') && oldLeft > 0) {
        (hunk.removed ??= []).push(cut(line.slice(1), maxLineLength));
        oldLeft--;
        continue;
      }
      if (line.startsWith('+') && newLeft > 0) {
        (hunk.added ??= []).push(cut(line.slice(1), maxLineLength));
        newLeft--;
        continue;
      }
      if (line.startsWith('\\')) continue;
      // Anything else ends the hunk early (a cut output): fall through and read it as a header.
      oldLeft = 0;
      newLeft = 0;
    }
    if (line.startsWith('diff --git ')) {
      finish();
      if (files.length >= maxFiles) {
        truncated = `the diff holds more than ${maxFiles} files: only the first ${maxFiles} are looked at`;
        break;
      }
      file = { header: line.slice('diff --git '.length), status: 'modified', binary: false, hunks: [] };
      continue;
    }
    if (!file) continue;
    if (line.startsWith('\\')) continue;
    const m = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (m) {
      hunk = { oldStart: Number(m[1]), oldLines: m[2] === undefined ? 1 : Number(m[2]), newStart: Number(m[3]), newLines: m[4] === undefined ? 1 : Number(m[4]) };
      oldLeft = hunk.oldLines;
      newLeft = hunk.newLines;
      if (!file.binary) file.hunks.push(hunk);
      continue;
    }
    if (hunk) continue; // stray text after a hunk (never in git's output)
    if (line.startsWith('new file mode ')) {
      file.status = 'added';
      if (line.endsWith(' 160000')) file.binary = true;
    } else if (line.startsWith('deleted file mode ')) {
      file.status = 'deleted';
      if (line.endsWith(' 160000')) file.binary = true;
    } else if (line.startsWith('rename from ')) {
      file.status = 'renamed';
      file.oldPath = unquotePath(line.slice('rename from '.length));
    } else if (line.startsWith('rename to ')) {
      file.status = 'renamed';
      file.newPath = unquotePath(line.slice('rename to '.length));
    } else if (line.startsWith('index ')) {
      // A submodule (gitlink, mode 160000) changes a commit id, not lines: never read.
      if (/ 160000$/.test(line)) file.binary = true;
    } else if (line.startsWith('--- ')) {
      const p = line.slice(4);
      if (p !== '/dev/null') file.oldPath = stripPrefix(unquotePath(p), 'a/');
    } else if (line.startsWith('+++ ')) {
      const p = line.slice(4);
      if (p !== '/dev/null') file.newPath = stripPrefix(unquotePath(p), 'b/');
    } else if (line.startsWith('Binary files ') || line === 'GIT binary patch') {
      file.binary = true;
      file.hunks = [];
    }
  }
  finish();
  // A submodule's "Subproject commit" hunk is not code.
  for (const f of files) if (f.binary) f.hunks = [];
  return truncated ? { files, truncated } : { files };
}

function stripPrefix(p: string, prefix: string): string {
  return p.startsWith(prefix) ? p.slice(prefix.length) : p;
}

/**
 * The two paths of a `diff --git a/X b/Y` header, for files without `---`/`+++` or rename lines
 * (binary files, mode changes). Quoted paths are read as git quotes them; unquoted ones with spaces
 * are split where the two halves name the same path (they do: renames have their own lines).
 */
function headerPaths(header: string): [string | undefined, string | undefined] {
  if (header.startsWith('"')) {
    const first = readQuoted(header, 0);
    if (first) {
      const rest = header.slice(first.end).trimStart();
      const second = rest.startsWith('"') ? readQuoted(rest, 0)?.value : rest;
      return [stripPrefix(first.value, 'a/'), second === undefined ? undefined : stripPrefix(second, 'b/')];
    }
  }
  if (header.endsWith('"')) {
    const at = header.lastIndexOf(' "');
    if (at > 0) return [stripPrefix(header.slice(0, at), 'a/'), stripPrefix(unquotePath(header.slice(at + 1)), 'b/')];
  }
  // a/X b/X: both halves are the same length.
  const half = (header.length - 1) / 2;
  if (Number.isInteger(half) && header[half] === ' ') {
    const a = header.slice(0, half);
    const b = header.slice(half + 1);
    if (a.slice(2) === b.slice(2)) return [stripPrefix(a, 'a/'), stripPrefix(b, 'b/')];
  }
  const at = header.indexOf(' b/');
  return at < 0 ? [undefined, undefined] : [stripPrefix(header.slice(0, at), 'a/'), header.slice(at + 3)];
}

/** Reads a C-style quoted string at `start` (git's quoting of unusual paths). */
function readQuoted(s: string, start: number): { value: string; end: number } | undefined {
  if (s[start] !== '"') return undefined;
  const bytes: number[] = [];
  const ESC: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, '\\': 92, a: 7, b: 8, f: 12, v: 11 };
  for (let i = start + 1; i < s.length; i++) {
    const c = String.fromCodePoint(s.codePointAt(i)!);
    if (c === '"') return { value: Buffer.from(bytes).toString('utf8'), end: i + 1 };
    if (c === '\\' && i + 1 < s.length) {
      const n = s[i + 1];
      if (/[0-7]/.test(n)) {
        const oct = /^[0-7]{1,3}/.exec(s.slice(i + 1, i + 4))![0];
        bytes.push(parseInt(oct, 8));
        i += oct.length;
      } else {
        bytes.push(ESC[n] ?? n.charCodeAt(0));
        i++;
      }
      continue;
    }
    for (const b of Buffer.from(c, 'utf8')) bytes.push(b);
    i += c.length - 1;
  }
  return undefined;
}

/** A path as git writes it in a diff: C-style quoted when it holds unusual characters, else as is. */
export function unquotePath(p: string): string {
  if (!p.startsWith('"')) return p;
  return readQuoted(p, 0)?.value ?? p;
}
