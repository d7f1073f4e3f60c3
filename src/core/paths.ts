// Paths in insights files: relative to the file's directory, '/' separators, never leaving the folder.
import * as posix from 'node:path/posix';
import picomatch from 'picomatch';

export interface AnchorTarget {
  /** Relative to the workspace folder, normalised, '/' separators. */
  path: string;
  glob: boolean;
  escapes: boolean;
}

/** Resolves a path or glob written in an insights file living in `dir` (relative to the folder). */
export function anchorPath(dir: string, written: string): AnchorTarget {
  const raw = written.trim();
  if (raw.startsWith('/') || /^[A-Za-z]:[\\/]/.test(raw) || raw.startsWith('\\')) {
    return { path: raw, glob: false, escapes: true };
  }
  const joined = posix.normalize(posix.join(dir || '.', raw));
  const escapes = joined === '..' || joined.startsWith('../');
  const path = joined === '.' ? '' : joined.replace(/\/$/, '');
  return { path, glob: picomatch.scan(path).isGlob, escapes };
}

/** The directory part of a folder-relative path ('' for the folder itself). */
export function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

const compiledGlobs = new Map<string, (file: string) => boolean>();

/** A compiled glob, cached: the same globs come back with every reload of a file. */
export function globMatcher(glob: string): (file: string) => boolean {
  let matcher = compiledGlobs.get(glob);
  if (!matcher) {
    if (compiledGlobs.size > 5000) compiledGlobs.clear();
    matcher = picomatch(glob, { dot: true });
    compiledGlobs.set(glob, matcher);
  }
  return matcher;
}

/** A matcher for a glob anchor; plain paths match the file itself or anything under that directory. */
export function pathMatcher(path: string, glob: boolean): (file: string) => boolean {
  if (glob) return globMatcher(path);
  if (path === '') return () => true;
  const prefix = `${path}/`;
  return (file) => file === path || file.startsWith(prefix);
}
