// What links one code file to problems, and which of those links cover a given line: the answer to
// "why does this code exist?" for the CLI's `why`, the hovers, CodeLens and the status bar.
import type { Problem } from './model';
import { resolveAnchor } from './anchors';
import type { CodeAccess, ResolvedAnchor } from './anchors';
import { scanCodeText } from './codeRefs';
import type { FileRefs, TagRef } from './codeRefs';
import type { CodeReference, TicketReference } from './references';
import { DEFAULT_WHY_TAG } from './references';
import type { InsightsIndex } from './workspaceIndex';

export type Via = 'tag' | 'ticket' | 'symbol' | 'lines' | 'path';

export interface Link {
  problem: Problem;
  via: Via;
  /** For anchors (symbol, lines, path). */
  anchor?: ResolvedAnchor;
  /** For references written in the code (tag, ticket). */
  ref?: CodeReference;
  /** For tags: the lines the tag covers (its declaration, or its line). */
  region?: { startLine: number; endLine: number };
}

export class FileLinks {
  constructor(
    readonly file: string,
    /** Anchors naming this file, resolved (lost ones included, so surfaces can say so). */
    readonly anchors: readonly ResolvedAnchor[],
    readonly refs: FileRefs,
    private readonly index: InsightsIndex,
  ) {}

  /** Every link of the file (lost anchors excluded), one per problem and way, ranked by impact. */
  all(): Link[] {
    return this.dedupe([...this.anchorLinks(() => true), ...this.refLinks(() => true)]);
  }

  /**
   * Links that cover a 0-based line: an anchored region holding it, a path anchor, a tag whose
   * region (its declaration, or its line) holds it, or a ticket key on it.
   */
  at(line: number): Link[] {
    return this.dedupe([
      ...this.anchorLinks((r) => !r.region || (r.region.startLine <= line && line <= r.region.endLine)),
      ...this.refLinks((ref) => ('region' in ref ? ref.region.startLine <= line && line <= ref.region.endLine : ref.line === line)),
    ]);
  }

  /**
   * What a hover at a 0-based position shows: the problems of a `@why` id or a ticket key in a
   * comment under the cursor, of an anchored symbol's name, or of the first line of a lines region
   * (from its first non-blank character). Nothing anywhere else: hovers must not get in the way.
   */
  hoverAt(line: number, character: number, lineText: string): { problems: Problem[]; line: number; col: number; endCol: number } | undefined {
    for (const ref of this.references()) {
      if (ref.line !== line || character < ref.col || character > ref.endCol) continue;
      const problems = ref.kind === 'tag' ? [this.index.problem(ref.id)].filter((p): p is Problem => !!p) : this.index.problemsForTicket(ref.key);
      return problems.length > 0 ? { problems, line, col: ref.col, endCol: ref.endCol } : undefined;
    }
    const found = new Set<Problem>();
    let col = 0;
    let endCol = 0;
    const onName = (name: { line: number; col: number; length: number }, problem: Problem) => {
      if (name.line !== line || character < name.col || character > name.col + name.length) return;
      found.add(problem);
      col = name.col;
      endCol = name.col + name.length;
    };
    for (const r of this.anchors) {
      const problem = r.status === 'lost' ? undefined : this.index.problem(r.anchor.problemId);
      if (!problem) continue;
      if (r.anchor.kind === 'symbol' && r.name) {
        onName(r.name, problem);
      } else if (r.anchor.kind === 'lines' && r.region?.startLine === line) {
        const start = lineText.length - lineText.trimStart().length;
        if (character < start) continue;
        found.add(problem);
        col = start;
        endCol = lineText.length;
      }
    }
    // The name of a declaration a tag covers.
    for (const tag of this.refs.tags) {
      const problem = tag.declaration && this.index.problem(tag.id);
      if (problem) onName({ line: tag.declaration!.nameLine, col: tag.declaration!.nameCol, length: tag.declaration!.nameLength }, problem);
    }
    return found.size > 0 ? { problems: this.index.rank([...found]), line, col, endCol } : undefined;
  }

  /**
   * CodeLens positions: one per 0-based line where anchored regions start (line 0 for path and glob
   * anchors), with its problems ranked by impact and the anchors written for this very code.
   */
  lenses(): { line: number; problems: Problem[]; anchors: ResolvedAnchor[] }[] {
    const byLine = new Map<number, { problems: Set<Problem>; anchors: ResolvedAnchor[] }>();
    const entry = (line: number) => byLine.get(line) ?? byLine.set(line, { problems: new Set(), anchors: [] }).get(line)!;
    for (const r of this.anchors) {
      const problem = r.status === 'lost' ? undefined : this.index.problem(r.anchor.problemId);
      if (!problem) continue;
      const at = entry(r.region?.startLine ?? 0);
      at.problems.add(problem);
      at.anchors.push(r);
    }
    // A tag that covers a declaration puts its problem above the declaration, as an anchor would.
    for (const tag of this.refs.tags) {
      const problem = tag.declaration && this.index.problem(tag.id);
      if (problem) entry(tag.region.startLine).problems.add(problem);
    }
    return [...byLine].sort(([a], [b]) => a - b)
      .map(([line, { problems, anchors }]) => ({ line, problems: this.index.rank([...problems]), anchors }));
  }

  /** Tags and ticket keys in text order. */
  references(): (TagRef | TicketReference)[] {
    return [...this.refs.tags, ...this.refs.tickets].sort((a, b) => a.line - b.line || a.col - b.col);
  }

  /** The problems of the whole file, ranked by impact. */
  problems(): Problem[] {
    return this.index.rank([...new Set(this.all().map((l) => l.problem))]);
  }

  private anchorLinks(covers: (r: ResolvedAnchor) => boolean): Link[] {
    const links: Link[] = [];
    for (const r of this.anchors) {
      if (r.status === 'lost' || !covers(r)) continue;
      const problem = this.index.problem(r.anchor.problemId);
      if (problem) links.push({ problem, via: r.anchor.glob ? 'path' : r.anchor.kind, anchor: r });
    }
    return links;
  }

  private refLinks(on: (ref: TagRef | TicketReference) => boolean): Link[] {
    const links: Link[] = [];
    for (const ref of this.references()) {
      if (!on(ref)) continue;
      if (ref.kind === 'tag') {
        const problem = this.index.problem(ref.id);
        if (problem) links.push({ problem, via: 'tag', ref, region: (ref as TagRef).region });
      } else {
        for (const problem of this.index.problemsForTicket(ref.key)) links.push({ problem, via: 'ticket', ref, region: { startLine: ref.line, endLine: ref.line } });
      }
    }
    return links;
  }

  private dedupe(links: Link[]): Link[] {
    const seen = new Set<string>();
    const order = new Map(this.index.problems.map((p, i) => [p.id, i]));
    return links
      .filter((l) => {
        const key = `${l.problem.id}\u0000${l.via}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      })
      .sort((a, b) => order.get(a.problem.id)! - order.get(b.problem.id)!);
  }
}

/** Resolves the anchors of one file and scans its references (tags cover what the syntax says). */
export function linksForFile(index: InsightsIndex, file: string, text: string, code: CodeAccess, whyTag = DEFAULT_WHY_TAG): FileLinks {
  const refs = scanCodeText(text, file, { whyTag, trackers: index.trackers, syntax: (f) => code.syntax?.(f) });
  return linksFromRefs(index, file, refs, code);
}

/** The links of one file whose references were scanned elsewhere (in the editor, by the code worker). */
export function linksFromRefs(index: InsightsIndex, file: string, refs: FileRefs, code: CodeAccess): FileLinks {
  const anchors = index.anchorsForFile(file).map((a) => resolveAnchor(a, code));
  return new FileLinks(file, anchors, refs, index);
}
