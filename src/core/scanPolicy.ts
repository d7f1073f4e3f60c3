// The one policy for which files are scanned for references (`@why` tags, ticket keys), shared by
// the CLI (src/scan/nodeScan.ts), the editor's code worker (the same module) and the editor's
// fallback through the workspace file system (src/workspace/codeIndex.ts). Pure: no I/O.
//
// What is skipped, and why (format: "References in code": "files the checker skips (dependencies,
// build output, version control, binary, larger than 1 MB) are not scanned"):
//   - a directory with one of the names below, at any depth (so `packages/app/dist` is skipped like
//     `dist`); everything else is scanned, `packages/` included: monorepos keep their code there;
//   - files larger than MAX_CODE_FILE_BYTES (generated bundles, data, minified code);
//   - files that look binary (a NUL byte in their first 8 KB);
//   - symbolic links are not followed by the folder walk (no loops, nothing outside the folder);
//     an anchor that names a link is read only when its target lies inside the folder.
// The names are matched exactly and case-sensitively, on directories only: a file called `build`
// is scanned.

/** Code files larger than this are not scanned (generated bundles, data). 1 MiB. */
export const MAX_CODE_FILE_BYTES = 1024 * 1024;

/** How much of a file's start `looksBinary` examines. */
export const BINARY_SNIFF_BYTES = 8192;

/**
 * Directory names that never hold the team's own code. Each was decided on its own:
 *
 * Dependencies (installed by a package manager; their tags, if any, are someone else's):
 *   node_modules       npm, yarn, pnpm
 *   bower_components   Bower
 *   jspm_packages      jspm
 *   .venv, venv        Python virtual environments (the two names `python -m venv` is run with)
 *   __pycache__        Python bytecode caches (binary anyway; skipping saves the reads)
 *   `vendor` is NOT skipped: Go, PHP (Composer) and Ruby put dependencies there, but many projects
 *   keep their own or patched code under that plain name too, and a skip rule that silently drops a
 *   team's tags is worse than scanning some third-party files. A path-only rule cannot look for the
 *   vendor manifest that would tell the two apart.
 *
 * Version control (metadata, never code):
 *   .git, .hg, .svn
 *
 * Build output (copies of the sources: scanning them would report every tag twice, at the wrong
 * lines, or read megabytes of bundles):
 *   dist, out, build   bundlers, tsc, esbuild, Create React App, Gradle, CMake, setuptools
 *   target             Cargo, Maven, sbt
 *   .next, .nuxt       Next.js and Nuxt build directories
 *   coverage           coverage reports (istanbul's HTML holds copies of every source line)
 *   .cache             tool caches (Parcel, Gatsby, babel-loader, ESLint…)
 *   A project that keeps hand-written code in a directory named `build` or `out` loses its tags
 *   there; that is the price of one fixed rule (rename the folder, or anchor the code from the
 *   insights file: anchors are resolved wherever they point).
 */
export const SKIPPED_DIRECTORY_NAMES: ReadonlySet<string> = new Set([
  // dependencies
  'node_modules', 'bower_components', 'jspm_packages', '.venv', 'venv', '__pycache__',
  // version control
  '.git', '.hg', '.svn',
  // build output
  'dist', 'out', 'build', 'target', '.next', '.nuxt', 'coverage', '.cache',
]);

/** Whether a directory with this name (one path segment) is skipped. */
export function isSkippedDirectory(name: string): boolean {
  return SKIPPED_DIRECTORY_NAMES.has(name);
}

/**
 * Whether a folder-relative path ('/' separators; a file's path, or a directory's) lies in a skipped
 * directory. The last segment is the file's own name and is not tested; for a directory's own path
 * use `isSkippedDirectory` on its name as well.
 */
export function isSkippedPath(rel: string): boolean {
  let start = 0;
  for (let slash = rel.indexOf('/'); slash !== -1; slash = rel.indexOf('/', start)) {
    if (slash > start && SKIPPED_DIRECTORY_NAMES.has(rel.slice(start, slash))) return true;
    start = slash + 1;
  }
  return false;
}

/** A NUL byte in the first 8 KB: binary, not code. */
export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0);
}
