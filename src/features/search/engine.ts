// The search both surfaces use (the Search view and the palette's quick pick): one ProblemSearch per
// workspace folder, built on first use and rebuilt only when that folder's index generation changes;
// every folder is searched and the hits are merged by score.
import { ProblemSearch } from '../../core/search';
import type { SearchFilter, SearchHit } from '../../core/search';
import { SEVERITIES } from '../../core/model';
import type { Persona } from '../../core/model';
import type { InsightsIndex } from '../../core/workspaceIndex';
import type { Indexes } from '../../workspace/indexes';
import type { FolderIndex } from '../../workspace/folderIndex';

export interface FolderHit {
  folder: FolderIndex;
  index: InsightsIndex;
  hit: SearchHit;
}

interface CachedSearch {
  generation: number;
  index: InsightsIndex;
  search: ProblemSearch;
}

const SEVERITY_RANK = new Map<string, number>(SEVERITIES.map((s, i) => [s, i]));

export class SearchEngine {
  private readonly cache = new Map<string, CachedSearch>();
  /** How many ProblemSearch instances were built (each costs a fuse.js index over the folder). */
  builds = 0;

  constructor(private readonly indexes: Indexes) {}

  /** Folders that have an index right now, in workspace order. */
  folders(): FolderIndex[] {
    return this.indexes.all().filter((f) => f.index !== undefined);
  }

  /** Whether results should name their folder (more than one folder has insights). */
  isMultiRoot(): boolean {
    return this.folders().length > 1;
  }

  /** Personas across every folder, by id (the first folder's name wins), sorted by name. */
  personas(): Pick<Persona, 'id' | 'name'>[] {
    const byId = new Map<string, string>();
    for (const f of this.folders()) for (const p of f.index!.personas) if (!byId.has(p.id)) byId.set(p.id, p.name);
    return [...byId].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * Searches every folder. Each folder's own order is kept; folders are merged by score (ties: the
   * more severe, then the more customers). At most `limit` hits.
   */
  search(query: string, filter: SearchFilter | undefined, limit: number): FolderHit[] {
    const lists: FolderHit[][] = [];
    const live = new Set<string>();
    for (const folder of this.folders()) {
      live.add(folder.folder.uri.toString());
      const cached = this.searchFor(folder);
      if (!cached) continue;
      const hits = cached.search.search(query, { limit, filter });
      if (hits.length > 0) lists.push(hits.map((hit) => ({ folder, index: cached.index, hit })));
    }
    for (const key of [...this.cache.keys()]) if (!live.has(key)) this.cache.delete(key);
    if (lists.length === 1) return lists[0].slice(0, limit);
    return mergeByScore(lists, limit);
  }

  private searchFor(folder: FolderIndex): CachedSearch | undefined {
    const index = folder.index;
    if (!index) return undefined;
    const key = folder.folder.uri.toString();
    const cached = this.cache.get(key);
    if (cached && cached.generation === folder.generation && cached.index === index) return cached;
    const fresh: CachedSearch = { generation: folder.generation, index, search: new ProblemSearch(index) };
    this.builds++;
    this.cache.set(key, fresh);
    return fresh;
  }
}

/** K-way merge of per-folder lists (each already in its best-first order). */
function mergeByScore(lists: FolderHit[][], limit: number): FolderHit[] {
  const heads = lists.map(() => 0);
  const out: FolderHit[] = [];
  while (out.length < limit) {
    let best = -1;
    for (let i = 0; i < lists.length; i++) {
      if (heads[i] >= lists[i].length) continue;
      if (best < 0 || compareHits(lists[i][heads[i]], lists[best][heads[best]]) < 0) best = i;
    }
    if (best < 0) break;
    out.push(lists[best][heads[best]++]);
  }
  return out;
}

function compareHits(a: FolderHit, b: FolderHit): number {
  return (a.hit.score - b.hit.score)
    || (SEVERITY_RANK.get(a.hit.problem.severity)! - SEVERITY_RANK.get(b.hit.problem.severity)!)
    || (b.index.impact(b.hit.problem).customers - a.index.impact(a.hit.problem).customers);
}
