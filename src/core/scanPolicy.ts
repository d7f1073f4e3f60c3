// The one policy for which files the checker scans for references, shared by the CLI, the
// editor's code worker and the editor's fallback through the workspace file system.

/** Code files larger than this are not scanned (generated bundles, data). */
export const MAX_CODE_FILE_BYTES = 1024 * 1024;

/** Dependencies and version control: never the team's own code. */
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', '.hg', '.svn']);

/** Whether a folder-relative path ('/' separators) lies in a skipped directory. */
export function isSkippedPath(rel: string): boolean {
  const parts = rel.split('/');
  for (let i = 0; i < parts.length - 1; i++) if (SKIPPED_DIRECTORIES.has(parts[i])) return true;
  return false;
}

/** A NUL byte in the first 8 KB: binary, not code. */
export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 8192).includes(0);
}
