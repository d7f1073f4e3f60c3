// The customer impact of a change: which customer problems a branch, a pull request or the working
// tree touches, and how. Pure (no I/O): the caller hands in the diff as data (src/git/gitDiff.ts
// makes it from `git diff`), the insights index of each side, the anchors of each side resolved
// against that side's code (with the syntax tree), and the references (tags, ticket mentions) of
// each side's touched files. The CLI's `impact` and the editor's view both call `computeImpact`.
//
// What touches a problem (docs/format.md, "Customer impact of a change"):
//   symbol / lines / path   a changed line inside an anchored region: added lines against the
//                           head's regions, removed lines against the base's (so a deletion inside
//                           a function counts); a path or glob anchor covers its whole files
//   tag                     a changed line inside the region of a tag that is there on both sides
//                           (a tag covers its declaration, or its own line)
//   tag added / removed     a tag line added, or removed (a tag whose line is edited but keeps the
//                           same id is neither)
//   ticket                  a recognised ticket key in a changed comment line (added or removed)
//   anchor lost / moved     an anchor that resolved at the base and does not at the head, or whose
//                           code moved; also a `lines` anchor without `text` that lines added or
//                           removed above it silently shifted (it would now name other code)
//   insights entry          a changed line inside the problem's entry in an insights file
// A problem is *suspect* when code its link already named changed (a symbol, lines or tag region,
// or a path anchor naming exactly that file), or when such an anchor is lost by more than a rename:
// its evidence may no longer describe the code. Globs and directories name an area, not code, and
// never make a problem suspect; new links (an added tag, a new anchor) do not either.
//
// Lines are 1-based and inclusive. Every touch sits on the head side (`side: 'head'`: base lines are
// mapped through the hunks to where the change put them) except in files the change deletes, which
// only exist at the base (`side: 'base'`).
import type { ResolvedAnchor } from './anchors';
import { formatArr, strongestEvidence } from './card';
import type { FileRefs } from './codeRefs';
import { EVIDENCE_KINDS, SEVERITIES } from './model';
import type { Anchor, EvidenceKind, Horizon, Problem, Severity, Signal, Status } from './model';
import { printable } from './parse';
import { scanTicketKeys, scanWhyTags } from './references';
import { escapeData as githubData, escapeProperty as githubProperty } from './report';
import { markdownText } from './trace';
import type { InsightsIndex } from './workspaceIndex';

// ---- the diff, as data -------------------------------------------------------------------------

export type FileChangeStatus = 'added' | 'deleted' | 'modified' | 'renamed';

/**
 * One hunk of a zero-context unified diff, as git writes it: `@@ -oldStart,oldLines +newStart,newLines @@`.
 * Lines are 1-based. When `oldLines` is 0 the hunk adds lines after old line `oldStart` (0: at the
 * top); when `newLines` is 0 it removes lines, and `newStart` is the new line above the removal.
 */
export interface DiffHunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** The removed lines' text (each cut to a bounded length), when the diff was read with text. */
  removed?: string[];
  /** The added lines' text. */
  added?: string[];
}

/** One file of the change. Paths are relative to the workspace folder, '/' separators. */
export interface FileDiff {
  /** The path at the base; absent for an added file. */
  oldPath?: string;
  /** The path at the head; absent for a deleted file. */
  newPath?: string;
  status: FileChangeStatus;
  /**
   * The content was not diffed line by line: a binary file (or one the reader would not read).
   * Such a file, like an added or deleted file without hunks (an empty file), counts as changed as a
   * whole: its touches are at line 1.
   */
  binary: boolean;
  /** Sorted by position. */
  hunks: DiffHunk[];
}

// ---- the input ---------------------------------------------------------------------------------

/** What one side of the change (the base, or the head) knows. */
export interface ImpactSide {
  /** The insights index of this side. When no insights file changed, pass the head's for both. */
  index: InsightsIndex;
  /**
   * Anchors resolved against this side's code: at least `anchorsToResolve(index, files, side)`.
   * Others are ignored unless they name a touched file.
   */
  anchors: readonly ResolvedAnchor[];
  /** Tags and ticket mentions of this side's touched files, by path (absent: the file was not read). */
  refs: ReadonlyMap<string, FileRefs>;
  /** The texts of this side's insights files, by path, to find where each problem's entry ends. */
  insightsTexts?: ReadonlyMap<string, string>;
}

export interface ImpactInput {
  files: readonly FileDiff[];
  base: ImpactSide;
  head: ImpactSide;
  /**
   * The tag (default `@why`): only used for files whose references were not given, where tags and
   * ticket keys are looked for in the hunks' changed lines themselves (each line on its own).
   */
  whyTag?: string;
}

// ---- the output --------------------------------------------------------------------------------

export type TouchKind =
  | 'symbol' | 'lines' | 'path' | 'tag' | 'tag-added' | 'tag-removed' | 'ticket'
  | 'anchor-lost' | 'anchor-moved' | 'insights-entry';

export interface ImpactTouch {
  /** Folder-relative; the head's path unless the file is deleted. */
  file: string;
  /** 'base' only in files the change deletes: the lines are the base's. */
  side: 'head' | 'base';
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  kind: TouchKind;
  /** In words: `symbol CsvWriter.flush`, `lines 88-104`, `path src/export/**`, `tag`, `ticket ACME-881`… */
  how: string;
}

export interface StrongestEvidence {
  /** The quote, or the summary when no item has a quote (`quote` says which). */
  text: string;
  quote: boolean;
  signal: Signal;
  kind: EvidenceKind;
  /** The customer's name when the id names one, else the text written. */
  customer?: string;
  date?: string;
  count?: number;
  url?: string;
}

export interface EvidenceSummary {
  count: number;
  /** Items by kind, in the format's order of kinds; kinds without items are left out. */
  byKind: Partial<Record<EvidenceKind, number>>;
  said: number;
  observed: number;
  /** The newest evidence date. */
  newest?: string;
  /** The newest customer confirmation: `validated` or the newest evidence date (InsightsIndex.impact). */
  lastConfirmed?: string;
  stale: boolean;
  /**
   * The item a card quotes first (observed before said, then the most responses, then the newest),
   * among the items with a quote; a summary only when no item has a quote.
   */
  strongest?: StrongestEvidence;
}

export interface ImpactProblem {
  id: string;
  title: string;
  status: Status;
  severity: Severity;
  horizon?: Horizon;
  /** Persona ids with their names (absent when the id names no persona). */
  personas: { id: string; name?: string }[];
  impact: { customers: number; arr?: number; tickets: number };
  evidence: EvidenceSummary;
  /** Code its link already named changed: its evidence may no longer describe the code. */
  suspect: boolean;
  /** Set when the change deletes the problem from the insights files (it is described as it was). */
  removed?: boolean;
  /** By file, then line. */
  touches: ImpactTouch[];
}

export interface BrokenAnchor {
  problem: string;
  status: 'lost' | 'moved';
  /** Where the anchor is written: the insights file and its 1-based line (at the head). */
  insightsFile: string;
  line: number;
  /** What it names, as written: `src/export/csv.ts symbol CsvWriter.flush`, `src/export/**`. */
  anchor: string;
  /** The code file it names (folder-relative), when it names one. */
  file?: string;
  /** For moved anchors: where the code is now (1-based, inclusive). */
  startLine?: number;
  endLine?: number;
  reason: string;
  /** For moved anchors: the `lines` value that makes the anchor hold again. */
  fix?: string;
}

export interface ImpactReport {
  /** By severity, then impact (customers, then ARR), then id. */
  problems: ImpactProblem[];
  /** Anchors this change makes lost or moved, by insights file and line. */
  anchorsBroken: BrokenAnchor[];
  /** How many files the change holds. */
  files: number;
}

// ---- helpers for callers -----------------------------------------------------------------------

/** The paths of the change that exist on one side (binary files included). */
export function sidePaths(files: readonly FileDiff[], side: 'base' | 'head'): string[] {
  const out = new Set<string>();
  for (const f of files) {
    const p = side === 'head' ? f.newPath : f.oldPath;
    if (p !== undefined) out.add(p);
  }
  return [...out].sort(compareCodeUnits);
}

/** Whether the change touches an insights file of either index (then the base needs its own index). */
export function changesInsights(files: readonly FileDiff[], isInsightsFile: (file: string) => boolean): boolean {
  return files.some((f) => (f.oldPath !== undefined && isInsightsFile(f.oldPath)) || (f.newPath !== undefined && isInsightsFile(f.newPath)));
}

/**
 * The anchors of one side that `computeImpact` needs resolved on that side: those naming a path of
 * the change (either side's path: an anchor still naming a renamed file's old path is lost at the
 * head), and every anchor of a problem whose entry in an insights file changed.
 */
export function anchorsToResolve(index: InsightsIndex, files: readonly FileDiff[], side: 'base' | 'head', insightsTexts?: ReadonlyMap<string, string>): Anchor[] {
  const out = new Set<Anchor>();
  for (const path of new Set([...sidePaths(files, 'base'), ...sidePaths(files, 'head')])) {
    for (const a of index.anchorsForFile(path)) out.add(a);
  }
  for (const problem of problemsWithChangedEntries(index, files, side, insightsTexts)) for (const a of problem.code) out.add(a);
  return [...out];
}

/** Problems of `index` whose entry a hunk of this side changes. */
function problemsWithChangedEntries(index: InsightsIndex, files: readonly FileDiff[], side: 'base' | 'head', texts?: ReadonlyMap<string, string>): Problem[] {
  const out: Problem[] = [];
  for (const f of files) {
    const path = side === 'head' ? f.newPath : f.oldPath;
    if (path === undefined) continue;
    const ranges = side === 'head' ? addedRanges(f) : removedRanges(f);
    if (ranges.length === 0) continue;
    for (const { problem, start, end } of entryExtents(index, path, texts?.get(path))) {
      if (ranges.some((r) => r.start <= end && start <= r.end)) out.push(problem);
    }
  }
  return out;
}

/**
 * Where a base line is at the head: shifted by the hunks above it. A line the change removes maps
 * to where the hunk's new lines start (for a pure removal, the line above it; at least 1).
 */
export function headLine(hunks: readonly DiffHunk[], oldLine: number): number {
  let delta = 0;
  for (const h of hunks) {
    if (h.oldLines === 0) {
      // Lines added after old line `oldStart`: they push down every later line.
      if (h.oldStart < oldLine) delta += h.newLines;
      else break;
      continue;
    }
    if (oldLine < h.oldStart) break;
    if (oldLine <= h.oldStart + h.oldLines - 1) return Math.max(1, h.newStart);
    delta += h.newLines - h.oldLines;
  }
  return Math.max(1, oldLine + delta);
}

// ---- the computation ---------------------------------------------------------------------------

interface Range {
  start: number;
  end: number;
}

/** A problem being collected, with the index that describes it. */
interface Collected {
  problem: Problem;
  index: InsightsIndex;
  removed: boolean;
  touches: ImpactTouch[];
  suspect: boolean;
}

export function computeImpact(input: ImpactInput): ImpactReport {
  const { files, base, head } = input;
  const collected = new Map<string, Collected>();
  const problemFor = (id: string, preferBase = false): Collected | undefined => {
    const known = collected.get(id);
    if (known) return known;
    const atHead = head.index.problem(id);
    const atBase = base.index.problem(id);
    const problem = preferBase ? atBase ?? atHead : atHead ?? atBase;
    if (!problem) return undefined;
    const entry: Collected = { problem, index: problem === atHead ? head.index : base.index, removed: !atHead, touches: [], suspect: false };
    collected.set(id, entry);
    return entry;
  };
  const touch = (id: string, t: ImpactTouch, suspect = false) => {
    const entry = problemFor(id);
    if (!entry) return;
    entry.touches.push(t);
    if (suspect) entry.suspect = true;
  };

  const headResolved = byFile(head.anchors);
  const baseResolved = byFile(base.anchors);
  const baseByKey = new Map<string, ResolvedAnchor>();
  for (const r of base.anchors) if (!baseByKey.has(anchorKey(r.anchor))) baseByKey.set(anchorKey(r.anchor), r);
  // Anchors the base writes too: one of these without a base resolution cannot be compared.
  const baseKeys = new Set(base.index.allAnchors().map(anchorKey));
  const renamedFrom = new Map<string, FileDiff>();
  for (const f of files) if (f.oldPath !== undefined) renamedFrom.set(f.oldPath, f);

  for (const f of files) {
    const added = addedRanges(f);
    const removed = removedRanges(f);
    const whole = wholeFile(f);
    // Where a base range lands in the report: mapped to the head, or kept in a deleted file.
    const fromBase = (r: Range): { file: string; side: 'head' | 'base'; start: number; end: number } => (f.newPath === undefined
      ? { file: f.oldPath!, side: 'base', start: r.start, end: r.end }
      : { file: f.newPath, side: 'head', start: headLine(f.hunks, r.start), end: Math.max(headLine(f.hunks, r.start), headLine(f.hunks, r.end)) });
    const onHead = (r: Range) => ({ file: f.newPath!, side: 'head' as const, start: r.start, end: r.end });
    const emit = (id: string, at: { file: string; side: 'head' | 'base'; start: number; end: number }, kind: TouchKind, how: string, suspect = false) =>
      touch(id, { file: at.file, side: at.side, startLine: at.start, endLine: at.end, kind, how }, suspect);
    const wholeAt = f.newPath !== undefined ? { file: f.newPath, side: 'head' as const, start: 1, end: 1 } : { file: f.oldPath!, side: 'base' as const, start: 1, end: 1 };

    // 1. Anchored regions: symbol and lines anchors by their resolved region, path and glob anchors
    //    by the files they match.
    if (f.newPath !== undefined) {
      for (const r of headResolved.get(f.newPath) ?? []) {
        if (r.status === 'lost' || !r.region || (r.anchor.kind !== 'symbol' && r.anchor.kind !== 'lines')) continue;
        const before = baseByKey.get(anchorKey(r.anchor));
        const existed = before !== undefined && before.status !== 'lost';
        let region = { start: r.region.startLine + 1, end: r.region.endLine + 1 };
        // A lines anchor without text keeps its numbers while its code moves: the code is where the
        // hunks carried its base region (brokenBy reports the move).
        if (r.anchor.kind === 'lines' && !r.anchor.text && before?.status === 'ok' && before.region && f.oldPath === f.newPath) {
          const start = headLine(f.hunks, before.region.startLine + 1);
          region = { start, end: Math.max(start, headLine(f.hunks, before.region.endLine + 1)) };
        }
        for (const hit of intersections(added, region)) emit(r.anchor.problemId, onHead(hit), r.anchor.kind, anchorHow(r.anchor), existed);
        if (whole) emit(r.anchor.problemId, wholeAt, r.anchor.kind, anchorHow(r.anchor), existed);
      }
      for (const a of head.index.anchorsForFile(f.newPath)) {
        if (a.kind !== 'path' && !a.glob) continue;
        const exact = !a.glob && a.path === f.newPath;
        for (const hit of added) emit(a.problemId, onHead(hit), 'path', anchorHow(a), exact);
        if (whole) emit(a.problemId, wholeAt, 'path', anchorHow(a), exact);
      }
    }
    if (f.oldPath !== undefined) {
      for (const r of baseResolved.get(f.oldPath) ?? []) {
        if (r.status === 'lost' || !r.region || (r.anchor.kind !== 'symbol' && r.anchor.kind !== 'lines')) continue;
        const region = { start: r.region.startLine + 1, end: r.region.endLine + 1 };
        for (const hit of intersections(removed, region)) emit(r.anchor.problemId, fromBase(hit), r.anchor.kind, anchorHow(r.anchor), true);
        if (whole && f.newPath === undefined) emit(r.anchor.problemId, wholeAt, r.anchor.kind, anchorHow(r.anchor), true);
      }
      for (const a of base.index.anchorsForFile(f.oldPath)) {
        if (a.kind !== 'path' && !a.glob) continue;
        const exact = !a.glob && a.path === f.oldPath;
        for (const hit of removed) emit(a.problemId, fromBase(hit), 'path', anchorHow(a), exact);
        if (whole && f.newPath === undefined) emit(a.problemId, wholeAt, 'path', anchorHow(a), exact);
      }
    }

    // 2. Tags and ticket mentions.
    const headRefs = f.newPath === undefined ? undefined : head.refs.get(f.newPath) ?? refsFromHunks(f, 'head', head.index, input.whyTag);
    const baseRefs = f.oldPath === undefined ? undefined : base.refs.get(f.oldPath) ?? refsFromHunks(f, 'base', base.index, input.whyTag);
    const addedLines = (hunk: DiffHunk) => ({ start: hunk.newStart, end: hunk.newStart + hunk.newLines - 1 });
    const removedLines = (hunk: DiffHunk) => ({ start: hunk.oldStart, end: hunk.oldStart + hunk.oldLines - 1 });
    // Tag ids on the changed lines of each hunk, per side, so an edited tag line is not "added".
    const idsInHunk = (refs: FileRefs | undefined, lines: (h: DiffHunk) => Range, h: DiffHunk): Set<string> => {
      const ids = new Set<string>();
      if (!refs) return ids;
      const r = lines(h);
      for (const t of refs.tags) if (t.line + 1 >= r.start && t.line + 1 <= r.end) ids.add(t.id);
      return ids;
    };
    const hunkOf = (line: number, lines: (h: DiffHunk) => Range): DiffHunk | undefined => f.hunks.find((h) => {
      const r = lines(h);
      return r.start <= line && line <= r.end;
    });

    if (headRefs) {
      for (const t of headRefs.tags) {
        const line = t.line + 1;
        const hunk = whole ? undefined : hunkOf(line, addedLines);
        const isNew = whole ? f.status === 'added' : hunk !== undefined && !idsInHunk(baseRefs, removedLines, hunk).has(t.id);
        if (f.status === 'added' || isNew) {
          emit(t.id, { file: f.newPath!, side: 'head', start: line, end: line }, 'tag-added', tagHow('tag added', t.declaration?.path));
          continue;
        }
        const region = { start: t.region.startLine + 1, end: t.region.endLine + 1 };
        for (const hit of intersections(added, region)) emit(t.id, onHead(hit), 'tag', tagHow('tag', t.declaration?.path), true);
        if (whole) emit(t.id, wholeAt, 'tag', tagHow('tag', t.declaration?.path), true);
      }
      for (const k of headRefs.tickets) {
        const line = k.line + 1;
        if (!whole && !added.some((r) => r.start <= line && line <= r.end)) continue;
        for (const id of ticketProblems(k.key, head.index, base.index)) emit(id, { file: f.newPath!, side: 'head', start: line, end: line }, 'ticket', `ticket ${k.key}`);
      }
    }
    if (baseRefs) {
      for (const t of baseRefs.tags) {
        const line = t.line + 1;
        const hunk = whole ? undefined : hunkOf(line, removedLines);
        const isGone = whole ? f.status === 'deleted' : hunk !== undefined && !idsInHunk(headRefs, addedLines, hunk).has(t.id);
        if (f.status === 'deleted' || isGone) {
          emit(t.id, fromBase({ start: line, end: line }), 'tag-removed', tagHow('tag removed', t.declaration?.path));
          continue;
        }
        const region = { start: t.region.startLine + 1, end: t.region.endLine + 1 };
        for (const hit of intersections(removed, region)) emit(t.id, fromBase(hit), 'tag', tagHow('tag', t.declaration?.path), true);
      }
      for (const k of baseRefs.tickets) {
        const line = k.line + 1;
        if (!(whole && f.status === 'deleted') && !removed.some((r) => r.start <= line && line <= r.end)) continue;
        for (const id of ticketProblems(k.key, head.index, base.index)) emit(id, fromBase({ start: line, end: line }), 'ticket', `ticket ${k.key}`);
      }
    }

    // 3. Insights entries.
    if (f.newPath !== undefined) {
      for (const { problem, start, end } of entryExtents(head.index, f.newPath, head.insightsTexts?.get(f.newPath))) {
        for (const hit of intersections(added, { start, end })) emit(problem.id, onHead(hit), 'insights-entry', 'insights entry');
      }
    }
    if (f.oldPath !== undefined) {
      for (const { problem, start, end } of entryExtents(base.index, f.oldPath, base.insightsTexts?.get(f.oldPath))) {
        const hits = intersections(removed, { start, end });
        // A problem the change deletes is described as it was at the base.
        if (hits.length > 0 && !head.index.problem(problem.id)) problemFor(problem.id, true);
        for (const hit of hits) emit(problem.id, fromBase(hit), 'insights-entry', 'insights entry');
      }
    }
  }

  // 4. Anchors the change breaks.
  const anchorsBroken: BrokenAnchor[] = [];
  const seen = new Set<Anchor>();
  for (const r of head.anchors) {
    if (seen.has(r.anchor)) continue;
    seen.add(r.anchor);
    const key = anchorKey(r.anchor);
    const before = baseByKey.get(key);
    if (!before && baseKeys.has(key)) continue;
    const broken = brokenBy(r, before, files, renamedFrom);
    if (!broken) continue;
    anchorsBroken.push(broken.report);
    touch(r.anchor.problemId, broken.touch, broken.suspect);
  }

  const problems = [...collected.values()].map((c) => describe(c));
  problems.sort((a, b) => compareProblems(a, b));
  anchorsBroken.sort((a, b) => compareCodeUnits(a.insightsFile, b.insightsFile) || a.line - b.line || compareCodeUnits(a.problem, b.problem) || compareCodeUnits(a.anchor, b.anchor));
  return { problems, anchorsBroken, files: files.length };
}

/** Problems listing a ticket key, at the head or (for one the change removes) at the base. */
function ticketProblems(key: string, head: InsightsIndex, base: InsightsIndex): string[] {
  const ids = head.problemsForTicket(key).map((p) => p.id);
  if (base !== head) for (const p of base.problemsForTicket(key)) if (!ids.includes(p.id)) ids.push(p.id);
  return ids;
}

/**
 * Tags and ticket keys on the changed lines themselves, for a file whose references were not given
 * (each line read on its own: a tag covers its line; a key counts in a line comment).
 */
function refsFromHunks(f: FileDiff, side: 'base' | 'head', index: InsightsIndex, whyTag = '@why'): FileRefs | undefined {
  const path = side === 'head' ? f.newPath! : f.oldPath!;
  const refs: FileRefs = { file: path, tags: [], tickets: [] };
  let any = false;
  for (const h of f.hunks) {
    const lines = side === 'head' ? h.added : h.removed;
    if (!lines) continue;
    any = true;
    const first = side === 'head' ? h.newStart : h.oldStart;
    for (let i = 0; i < lines.length; i++) {
      const line = first + i - 1;
      for (const t of scanWhyTags(lines[i], whyTag)) refs.tags.push({ ...t, line, region: { startLine: line, endLine: line } });
      for (const k of scanTicketKeys(lines[i], path, index.trackers)) refs.tickets.push({ ...k, line });
    }
  }
  return any ? refs : undefined;
}

function brokenBy(r: ResolvedAnchor, before: ResolvedAnchor | undefined, files: readonly FileDiff[], renamedFrom: Map<string, FileDiff>):
  { report: BrokenAnchor; touch: ImpactTouch; suspect: boolean } | undefined {
  const { anchor } = r;
  const base: Omit<BrokenAnchor, 'status' | 'reason'> = {
    problem: anchor.problemId, insightsFile: anchor.file, line: anchor.span.line + 1, anchor: anchorWritten(anchor),
    ...(anchor.path !== undefined && !anchor.glob ? { file: anchor.path } : {}),
  };
  const yamlTouch = (kind: TouchKind, how: string): ImpactTouch => ({ file: anchor.file, side: 'head', startLine: anchor.span.line + 1, endLine: anchor.span.line + 1, kind, how });

  if (r.status === 'lost') {
    if (before?.status === 'lost') return undefined;
    const change = anchor.path !== undefined ? renamedFrom.get(anchor.path) : undefined;
    let reason = r.reason ?? 'its code cannot be found';
    let renamedOnly = false;
    if (change && !anchor.glob && change.oldPath === anchor.path) {
      if (change.status === 'deleted') reason = `this change deletes ${anchor.path}`;
      else if (change.status === 'renamed' && change.newPath !== undefined) {
        reason = `this change renames ${anchor.path} to ${change.newPath}; update the anchor's path`;
        renamedOnly = change.hunks.length === 0;
      }
    }
    // Where the code was: its region at the base, carried to the head (or kept in a deleted file).
    let at: ImpactTouch = yamlTouch('anchor-lost', 'anchor lost');
    if (before && before.files.length > 0) {
      // A path or glob anchor covered several files: the first the change deletes or renames.
      const file = before.files.find((x) => files.some((d) => d.oldPath === x)) ?? before.files[0];
      const f = files.find((d) => d.oldPath === file);
      const region = before.region ? { start: before.region.startLine + 1, end: before.region.endLine + 1 } : { start: 1, end: 1 };
      if (f?.newPath !== undefined) {
        const start = headLine(f.hunks, region.start);
        at = { file: f.newPath, side: 'head', startLine: start, endLine: Math.max(start, headLine(f.hunks, region.end)), kind: 'anchor-lost', how: 'anchor lost' };
      } else if (f) {
        at = { file, side: 'base', startLine: region.start, endLine: region.end, kind: 'anchor-lost', how: 'anchor lost' };
      }
    }
    // Code the evidence describes is gone: suspect, unless the anchor is new (it never held), a rename
    // alone lost it, or it names an area (a glob or a directory) rather than code.
    const namesCode = anchor.kind !== 'path' || (!anchor.glob && before?.files.length === 1 && before.files[0] === anchor.path);
    const suspect = before !== undefined && !renamedOnly && namesCode;
    return { report: { ...base, status: 'lost', reason }, touch: at, suspect };
  }

  if (r.status === 'moved' && r.region) {
    if (before?.status === 'moved' && before.region?.startLine === r.region.startLine && before.region.endLine === r.region.endLine) return undefined;
    const startLine = r.region.startLine + 1;
    const endLine = r.region.endLine + 1;
    return {
      report: { ...base, status: 'moved', startLine, endLine, reason: r.reason ?? 'its code moved', fix: startLine === endLine ? String(startLine) : `${startLine}-${endLine}` },
      touch: { file: r.files[0], side: 'head', startLine, endLine, kind: 'anchor-moved', how: 'anchor moved' },
      suspect: false,
    };
  }

  // A `lines` anchor without `text` holds by its numbers alone: lines added or removed above it
  // make it name other code, silently. The diff says where its code went.
  if (r.status === 'ok' && anchor.kind === 'lines' && !anchor.text && anchor.lines && before?.status === 'ok' && anchor.path !== undefined) {
    const f = files.find((d) => d.oldPath === anchor.path && d.newPath === anchor.path);
    if (!f) return undefined;
    const { start, end } = anchor.lines;
    // Its first line itself changed: where it went is not known (the change is a touch of the region).
    if (f.hunks.some((h) => h.oldLines > 0 && h.oldStart <= start && start <= h.oldStart + h.oldLines - 1)) return undefined;
    const newStart = headLine(f.hunks, start);
    if (newStart === start) return undefined;
    const newEnd = Math.max(newStart, headLine(f.hunks, end));
    return {
      report: {
        ...base, status: 'moved', startLine: newStart, endLine: newEnd, fix: newStart === newEnd ? String(newStart) : `${newStart}-${newEnd}`,
        reason: `lines added or removed above line ${start} move its code to line ${newStart}; without "text" the anchor does not follow it`,
      },
      touch: { file: anchor.path, side: 'head', startLine: newStart, endLine: newEnd, kind: 'anchor-moved', how: 'anchor moved' },
      suspect: false,
    };
  }
  return undefined;
}

function describe(c: Collected): ImpactProblem {
  const { problem, index } = c;
  const impact = index.impact(problem);
  const out: ImpactProblem = {
    id: problem.id,
    title: problem.title,
    status: problem.status,
    severity: problem.severity,
    ...(problem.horizon ? { horizon: problem.horizon } : {}),
    personas: problem.personas.map((p) => {
      const name = index.persona(p.value)?.name;
      return name === undefined ? { id: p.value } : { id: p.value, name };
    }),
    impact: { customers: impact.customers, ...(impact.arr !== undefined ? { arr: impact.arr } : {}), tickets: impact.tickets },
    evidence: evidenceSummary(problem, index),
    suspect: c.suspect,
    ...(c.removed ? { removed: true } : {}),
    touches: mergeTouches(c.touches),
  };
  return out;
}

export function evidenceSummary(problem: Problem, index: InsightsIndex): EvidenceSummary {
  const counts = new Map<EvidenceKind, number>();
  let said = 0;
  let observed = 0;
  let newest: string | undefined;
  for (const e of problem.evidence) {
    counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
    if (e.signal === 'observed') observed++;
    else said++;
    if (e.date && (!newest || e.date > newest)) newest = e.date;
  }
  const byKind: Partial<Record<EvidenceKind, number>> = {};
  for (const kind of EVIDENCE_KINDS) if (counts.has(kind)) byKind[kind] = counts.get(kind);
  const ordered = strongestEvidence(problem);
  const chosen = ordered.find((e) => e.quote) ?? ordered[0];
  const impact = index.impact(problem);
  const summary: EvidenceSummary = {
    count: problem.evidence.length, byKind, said, observed,
    ...(newest ? { newest } : {}),
    ...(impact.lastConfirmed ? { lastConfirmed: impact.lastConfirmed } : {}),
    stale: index.isStale(problem),
  };
  if (chosen) {
    const customer = chosen.customer ? index.customer(chosen.customer.value)?.name ?? chosen.customer.value : undefined;
    summary.strongest = {
      text: chosen.quote ?? chosen.summary ?? '', quote: chosen.quote !== undefined, signal: chosen.signal, kind: chosen.kind,
      ...(customer !== undefined ? { customer } : {}),
      ...(chosen.date ? { date: chosen.date } : {}),
      ...(chosen.count !== undefined ? { count: chosen.count } : {}),
      ...(chosen.url ? { url: chosen.url } : {}),
    };
  }
  return summary;
}

const SEVERITY_RANK = new Map<Severity, number>(SEVERITIES.map((s, i) => [s, i]));

function compareProblems(a: ImpactProblem, b: ImpactProblem): number {
  return SEVERITY_RANK.get(a.severity)! - SEVERITY_RANK.get(b.severity)!
    || b.impact.customers - a.impact.customers
    || (b.impact.arr ?? 0) - (a.impact.arr ?? 0)
    || a.id.localeCompare(b.id, undefined, { numeric: true })
    || compareCodeUnits(a.id, b.id);
}

/** Touches of one kind and way in one file that overlap or follow each other become one; sorted. */
function mergeTouches(touches: readonly ImpactTouch[]): ImpactTouch[] {
  const sorted = [...touches].sort((a, b) => compareCodeUnits(a.file, b.file) || compareCodeUnits(a.side, b.side)
    || compareCodeUnits(a.kind, b.kind) || compareCodeUnits(a.how, b.how) || a.startLine - b.startLine || a.endLine - b.endLine);
  const merged: ImpactTouch[] = [];
  for (const t of sorted) {
    const last = merged[merged.length - 1];
    if (last && last.file === t.file && last.side === t.side && last.kind === t.kind && last.how === t.how && t.startLine <= last.endLine + 1) {
      last.endLine = Math.max(last.endLine, t.endLine);
    } else {
      merged.push({ ...t });
    }
  }
  return merged.sort((a, b) => compareCodeUnits(a.file, b.file) || a.startLine - b.startLine || a.endLine - b.endLine || compareCodeUnits(a.how, b.how));
}

// ---- small pieces ------------------------------------------------------------------------------

function addedRanges(f: FileDiff): Range[] {
  return f.hunks.filter((h) => h.newLines > 0).map((h) => ({ start: h.newStart, end: h.newStart + h.newLines - 1 }));
}

function removedRanges(f: FileDiff): Range[] {
  return f.hunks.filter((h) => h.oldLines > 0).map((h) => ({ start: h.oldStart, end: h.oldStart + h.oldLines - 1 }));
}

/** A file changed as a whole, without lines to compare: binary, or added or deleted without hunks. */
function wholeFile(f: FileDiff): boolean {
  return f.binary || (f.hunks.length === 0 && (f.status === 'added' || f.status === 'deleted'));
}

function intersections(ranges: readonly Range[], region: Range): Range[] {
  const out: Range[] = [];
  for (const r of ranges) {
    const start = Math.max(r.start, region.start);
    const end = Math.min(r.end, region.end);
    if (start <= end) out.push({ start, end });
  }
  return out;
}

function byFile(resolved: readonly ResolvedAnchor[]): Map<string, ResolvedAnchor[]> {
  const map = new Map<string, ResolvedAnchor[]>();
  for (const r of resolved) {
    if (r.anchor.kind !== 'symbol' && r.anchor.kind !== 'lines') continue;
    const file = r.files[0];
    if (file === undefined) continue;
    const list = map.get(file);
    if (list) list.push(r);
    else map.set(file, [r]);
  }
  return map;
}

/** The same anchor on both sides: same problem, same target, same way of naming it. */
function anchorKey(a: Anchor): string {
  return [a.problemId, a.kind, a.glob ? 'glob' : '', a.path ?? `!${a.written}`, a.symbol ?? '', a.lines ? `${a.lines.start}-${a.lines.end}` : '', a.text ?? ''].join('\u0000');
}

function anchorHow(a: Anchor): string {
  if (a.kind === 'symbol') return `symbol ${a.symbol}`;
  if (a.kind === 'lines' && a.lines) return `lines ${a.lines.start === a.lines.end ? a.lines.start : `${a.lines.start}-${a.lines.end}`}`;
  return `path ${a.written}`;
}

function anchorWritten(a: Anchor): string {
  if (a.kind === 'symbol') return `${a.written} symbol ${a.symbol}`;
  if (a.kind === 'lines' && a.lines) return `${a.written} lines ${a.lines.start === a.lines.end ? a.lines.start : `${a.lines.start}-${a.lines.end}`}`;
  return a.written;
}

function tagHow(what: string, declaration: string | undefined): string {
  return declaration ? `${what} ${declaration}` : what;
}

/**
 * The lines of each problem's entry in an insights file (1-based, inclusive). With the file's text:
 * from the entry's first line through every line indented at least as deep as its keys (blank lines
 * and comments in between included, trailing ones not). Without it: up to the next entry of the
 * file, the last one up to its last known line.
 */
function entryExtents(index: InsightsIndex, file: string, text: string | undefined): { problem: Problem; start: number; end: number }[] {
  if (!index.files.some((f) => f.file === file)) return [];
  const problems = index.problems.filter((p) => p.file === file).sort((a, b) => a.span.line - b.span.line);
  if (problems.length === 0) return [];
  const lines = text === undefined ? undefined : text.split(/\r?\n/);
  return problems.map((problem, i) => {
    const first = problem.span.line;
    if (lines) {
      const indent = problem.span.col;
      let last = first;
      for (let l = first + 1; l < lines.length; l++) {
        const line = lines[l];
        const trimmed = line.trim();
        if (trimmed === '' || trimmed.startsWith('#')) continue;
        if (line.length - line.trimStart().length < indent) break;
        last = l;
      }
      return { problem, start: first + 1, end: last + 1 };
    }
    const next = problems[i + 1]?.span.line;
    const known = Math.max(first, ...problem.evidence.map((e) => e.span.endLine), ...problem.code.map((a) => a.span.endLine),
      ...problem.tickets.map((t) => t.span.endLine), problem.idSpan.endLine);
    return { problem, start: first + 1, end: (next !== undefined ? Math.max(first, next - 1) : known) + 1 };
  });
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---- formats -----------------------------------------------------------------------------------
// Every value from the insights files, the code or git is untrusted: control characters become
// visible escapes in every format, and each format escapes what is special to it.

/** What the formats say about the two sides, in words (`origin/main (1a2b3c4)`, `the working tree`). */
export interface ImpactLabels {
  base: string;
  head: string;
  /** Notes about the run: a diff cut at a bound, a base chosen without its merge base… */
  notes?: readonly string[];
}

/** Touches by how much they say about the problem's code: changed code first, bookkeeping last. */
const HOW_ORDER: readonly TouchKind[] = ['symbol', 'lines', 'tag', 'tag-removed', 'tag-added', 'anchor-lost', 'path', 'ticket', 'anchor-moved', 'insights-entry'];

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function lineRange(t: { startLine: number; endLine: number }): string {
  return t.startLine === t.endLine ? String(t.startLine) : `${t.startLine}-${t.endLine}`;
}

function evidenceWords(e: EvidenceSummary): string {
  if (e.count === 0) return 'no evidence';
  const kinds = Object.entries(e.byKind).map(([k, n]) => `${n} ${k}`).join(', ');
  const parts = [`${plural(e.count, 'evidence item')} (${kinds})`];
  if (e.newest) parts.push(`newest ${e.newest}`);
  if (e.stale) parts.push('stale');
  return parts.join(', ');
}

function headline(report: ImpactReport): string {
  const bySeverity = SEVERITIES.map((s) => [s, report.problems.filter((p) => p.severity === s).length] as const).filter(([, n]) => n > 0);
  const suspect = report.problems.filter((p) => p.suspect).length;
  if (report.problems.length === 0) return `No customer problem is touched by ${plural(report.files, 'changed file')}.`;
  return `${plural(report.problems.length, 'customer problem')} touched by ${plural(report.files, 'changed file')} `
    + `(${bySeverity.map(([s, n]) => `${n} ${s}`).join(', ')}); ${suspect} suspect`
    + (report.anchorsBroken.length > 0 ? `; ${plural(report.anchorsBroken.length, 'anchor')} broken` : '') + '.';
}

/** The JSON document of `customer-lens impact --format json` (without base and head, which the caller adds). */
export function impactJson(report: ImpactReport): { problems: Record<string, unknown>[]; anchorsBroken: Record<string, unknown>[] } {
  return {
    problems: report.problems.map((p) => ({
      id: p.id, title: p.title, status: p.status, severity: p.severity, horizon: p.horizon ?? null,
      personas: p.personas.map((x) => x.id), impact: p.impact, suspect: p.suspect,
      ...(p.removed ? { removed: true } : {}),
      touches: p.touches.map((t) => ({ file: t.file, startLine: t.startLine, endLine: t.endLine, how: t.how, kind: t.kind, side: t.side })),
      evidence: p.evidence,
    })),
    anchorsBroken: report.anchorsBroken.map((a) => ({ ...a })),
  };
}

/** A readable report for a terminal: one block per problem, then the broken anchors (every line printable). */
export function impactText(report: ImpactReport, labels: ImpactLabels): string[] {
  const out: string[] = [`Customer impact of ${labels.head} against ${labels.base}`, headline(report)];
  for (const note of labels.notes ?? []) out.push(`note: ${note}`);
  for (const p of report.problems) {
    out.push('');
    const flags = [p.status, p.severity, p.horizon, p.suspect ? 'SUSPECT' : undefined, p.removed ? 'removed by this change' : undefined].filter(Boolean).join(', ');
    out.push(`${p.id}  ${p.title}  (${flags})`);
    const who = p.personas.map((x) => x.name ?? x.id).join(', ');
    out.push(`  ${[who || undefined, plural(p.impact.customers, 'customer'), evidenceWords(p.evidence)].filter(Boolean).join('; ')}`);
    if (p.suspect) out.push('  suspect: code its link names changed; check its evidence still describes the code');
    for (const t of p.touches) out.push(`  ${t.file}:${lineRange(t)}${t.side === 'base' ? ' (deleted file)' : ''}  ${t.how}`);
  }
  if (report.anchorsBroken.length > 0) {
    out.push('', 'Anchors this change breaks:');
    for (const a of report.anchorsBroken) {
      out.push(`  ${a.insightsFile}:${a.line}  ${a.problem}  ${a.anchor}  ${a.status}: ${a.reason}${a.fix ? ` (fix: lines: ${a.fix})` : ''}`);
    }
  }
  return out.map((l) => printable(l));
}

/** Markdown text that cannot mention anyone: `@name` would notify people from a pull-request comment. */
function md(value: string): string {
  return markdownText(value).replace(/@/g, '@\u200b');
}

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}\u2026` : s;
}

/** UTF-8 length of a string (pure: no TextEncoder or Buffer). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

export interface MarkdownOptions {
  /** The most UTF-8 bytes the section may take (a GitHub comment holds 65,536 characters). Default 64,000. */
  maxBytes?: number;
  /** Touches listed per problem before "and N more". Default 8. */
  touchesPerProblem?: number;
  /** Broken anchors listed before "and N more". Default 30. */
  brokenAnchors?: number;
}

const SEVERITY_HEADING: Record<Severity, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low' };

/**
 * A section a pull-request description or comment can hold: problems by severity, each with its
 * strongest evidence (as a card quotes it: observed before said, then reach, then recency; a quote
 * before a summary), what it touches, then the broken anchors. Every value is escaped for Markdown
 * and HTML and cannot mention anyone; over `maxBytes` the least severe problems are cut, with a count.
 */
export function impactMarkdown(report: ImpactReport, labels: ImpactLabels, options: MarkdownOptions = {}): string {
  const maxBytes = options.maxBytes ?? 64_000;
  const perProblem = options.touchesPerProblem ?? 8;
  const maxBroken = options.brokenAnchors ?? 30;
  const head = ['## Customer impact', '', `${md(headline(report))} Compared: ${md(labels.head)} against ${md(labels.base)}.`];
  for (const note of labels.notes ?? []) head.push('', `*Note: ${md(note)}*`);

  const blocks: { severity: Severity; text: string }[] = report.problems.map((p) => ({ severity: p.severity, text: problemBlock(p, perProblem) }));

  const tail: string[] = [];
  if (report.anchorsBroken.length > 0) {
    tail.push('', '### Anchors this change breaks', '', '| Problem | Written at | Anchor | What happened |', '| --- | --- | --- | --- |');
    for (const a of report.anchorsBroken.slice(0, maxBroken)) {
      const what = `${a.status}: ${a.reason}${a.fix ? ` (set lines: ${a.fix})` : ''}`;
      tail.push(`| ${[a.problem, `${a.insightsFile}:${a.line}`, a.anchor, clip(what, 300)].map(md).join(' | ')} |`);
    }
    if (report.anchorsBroken.length > maxBroken) tail.push('', `…and ${report.anchorsBroken.length - maxBroken} more (run \`customer-lens impact\` for all).`);
  }
  tail.push('', '<sub>Customer Lens: `customer-lens impact`. A *suspect* problem had code its evidence describes changed: check the evidence still holds.</sub>');

  const size = (parts: string[]) => utf8Length(parts.join('\n')) + 1;
  const fixed = size(head) + size(tail) + 200;
  let kept = blocks.length;
  let total = fixed + blocks.reduce((n, b) => n + size([b.text]) + 30, 0);
  // Cut the least severe first (blocks are in report order: most severe first).
  while (kept > 0 && total > maxBytes) {
    kept--;
    total -= size([blocks[kept].text]) + 30;
  }
  const out = [...head];
  let current: Severity | undefined;
  for (const b of blocks.slice(0, kept)) {
    if (b.severity !== current) {
      current = b.severity;
      out.push('', `### ${SEVERITY_HEADING[b.severity]}`);
    }
    out.push('', b.text);
  }
  if (kept < blocks.length) {
    out.push('', `*${plural(blocks.length - kept, 'less severe problem')} not shown (the comment has a size limit): run \`customer-lens impact\` for the full report.*`);
  }
  out.push(...tail);
  return `${out.join('\n')}\n`;
}

function problemBlock(p: ImpactProblem, perProblem: number): string {
  const lines: string[] = [];
  const flags = [p.status, p.horizon].filter(Boolean).map((s) => md(s!)).join(' · ');
  lines.push(`**${md(p.id)} · ${md(clip(p.title, 200))}** — ${flags}${p.suspect ? ' · ⚠️ **suspect**' : ''}${p.removed ? ' · removed by this change' : ''}`);
  const who = p.personas.map((x) => md(x.name ?? x.id)).join(', ');
  const reach = [who || undefined, plural(p.impact.customers, 'customer'), p.impact.arr !== undefined ? formatArr(p.impact.arr) : undefined, md(evidenceWords(p.evidence))];
  lines.push('', reach.filter(Boolean).join(' · '));
  const s = p.evidence.strongest;
  if (s) {
    const source = [s.signal === 'observed' ? 'observed' : 'said', s.kind, s.customer, s.date].filter(Boolean).map((x) => md(String(x))).join(', ');
    const text = md(clip(s.text, 300));
    lines.push('', s.quote ? `> “${text}” — ${source}` : `> ${s.signal === 'observed' ? 'Summary of what we observed' : 'Summary of what customers said'}: ${text} — ${source}`);
  }
  const touches = [...p.touches].sort((a, b) => HOW_ORDER.indexOf(a.kind) - HOW_ORDER.indexOf(b.kind)
    || compareCodeUnits(a.file, b.file) || a.startLine - b.startLine);
  lines.push('');
  for (const t of touches.slice(0, perProblem)) {
    lines.push(`- ${md(t.file)} ${t.startLine === t.endLine ? 'line' : 'lines'} ${lineRange(t)}${t.side === 'base' ? ' (deleted file)' : ''}: ${md(t.how)}`);
  }
  if (touches.length > perProblem) lines.push(`- …and ${touches.length - perProblem} more`);
  return lines.join('\n');
}

export interface GithubOptions {
  /** Prepended to every path: the workspace folder's path inside the repository ('' or 'sub/dir/'). */
  pathPrefix?: string;
  /** Annotations per level; GitHub shows at most 10 warnings and 10 notices per step. Default 10. */
  perLevel?: number;
}

/** GitHub's escaping of workflow commands: one implementation, in the CI report module. */
export { githubData, githubProperty };

/** Untrusted text on one line, printable. */
function oneLine(s: string): string {
  return printable(s.replace(/\r\n|\r|\n/g, ' '));
}

/**
 * GitHub workflow command annotations: one per problem on its first changed line at the head
 * (`warning` for critical and high problems, `notice` for medium and low), one `warning` per broken
 * anchor at the line that writes it; the most severe first, at most `perLevel` per level, then one
 * `::notice::` saying how many more were left out.
 */
export function impactGithub(report: ImpactReport, options: GithubOptions = {}): string[] {
  const prefix = options.pathPrefix ?? '';
  const perLevel = options.perLevel ?? 10;
  const annotations: { level: 'warning' | 'notice'; line: string }[] = [];
  const command = (level: 'warning' | 'notice', props: Record<string, string | number | undefined>, message: string) => {
    const list = Object.entries(props).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${githubProperty(String(v))}`).join(',');
    annotations.push({ level, line: `::${level}${list ? ` ${list}` : ''}::${githubData(message)}` });
  };
  for (const p of report.problems) {
    const level = p.severity === 'critical' || p.severity === 'high' ? 'warning' : 'notice';
    // The most specific place: an anchor or tag before a path, a ticket or the insights entry.
    const at = [...p.touches].sort((a, b) => (a.side === b.side ? 0 : a.side === 'head' ? -1 : 1) || HOW_ORDER.indexOf(a.kind) - HOW_ORDER.indexOf(b.kind))[0];
    const title = oneLine(`${p.id} (${p.severity}${p.suspect ? ', suspect' : ''}): ${clip(p.title, 120)}`);
    const others = p.touches.length - 1;
    const message = [
      oneLine(`This change touches customer problem ${p.id} (${p.status}, ${p.severity}): ${at ? at.how : ''}${others > 0 ? `, and ${plural(others, 'other place')}` : ''}.`),
      oneLine(`${plural(p.impact.customers, 'customer')}; ${evidenceWords(p.evidence)}.`),
      ...(p.suspect ? ['Suspect: code its evidence describes changed; check the evidence still holds.'] : []),
    ].join('\n');
    command(level, at ? { file: prefix + oneLine(at.file), line: at.startLine, endLine: at.endLine, title } : { title }, message);
    for (const a of report.anchorsBroken.filter((x) => x.problem === p.id)) {
      command('warning', { file: prefix + oneLine(a.insightsFile), line: a.line, endLine: a.line, title: oneLine(`Anchor of ${a.problem} ${a.status}`) },
        oneLine(`${a.anchor}: ${a.reason}.${a.fix ? ` Set lines: ${a.fix}.` : ''}`));
    }
  }
  const warnings = annotations.filter((a) => a.level === 'warning');
  const notices = annotations.filter((a) => a.level === 'notice');
  const cut = warnings.length > perLevel || notices.length > perLevel;
  // The closing notice takes a notice's place, so that GitHub shows it.
  const keptNotices = cut ? Math.max(0, perLevel - 1) : perLevel;
  const out: string[] = [];
  let w = 0;
  let n = 0;
  for (const a of annotations) {
    if (a.level === 'warning' ? w++ < perLevel : n++ < keptNotices) out.push(a.line);
  }
  const left = annotations.length - out.length;
  if (left > 0) out.push(`::notice title=${githubProperty('Customer impact')}::${githubData(`${plural(left, 'more annotation')} not shown (GitHub shows at most ${perLevel} per level): see the pull-request comment or run customer-lens impact.`)}`);
  return out;
}
