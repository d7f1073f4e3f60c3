// Ids owned by the search feature that src/constants.ts does not list.

/**
 * Internal command (hidden from the palette): `(query: string, filter?: SearchFilter, limit?: number)`
 * → `SearchQueryResult[]`, the merged ranking across workspace folders. A seam for integration tests:
 * it checks ranking through the real extension host.
 */
export const SEARCH_QUERY_COMMAND = 'customerLens.searchQuery';

export interface SearchQueryResult {
  /** The workspace folder's URI, as a string. */
  folder: string;
  id: string;
  title: string;
  /** 0 is a perfect match, 1 no match. */
  score: number;
}
