import { editDistance, skuKey, tokenize } from './tokenize';

/**
 * Product search, used by the storefront search box and by staff at the
 * till ("find me the blue mug, medium").
 */

export interface Product {
  id: string;
  sku: string;
  title: string;
  description: string;
  tags: string[];
  inStock: boolean;
}

export interface SearchHit {
  product: Product;
  score: number;
}

interface Indexed {
  product: Product;
  tokens: string[];
  sku: string;
}

// @why P-9
export class ProductSearch {
  private index: Indexed[] = [];

  constructor(products: Product[]) {
    this.reindex(products);
  }

  reindex(products: Product[]): void {
    this.index = products.map((product) => ({
      product,
      tokens: tokenize(`${product.title} ${product.tags.join(' ')} ${product.description}`),
      sku: skuKey(product.sku),
    }));
  }

  // GH-402: staff type SKUs from the label, with or without dashes.
  search(query: string, limit = 20): SearchHit[] {
    const key = skuKey(query);
    const exact = this.index.find((entry) => entry.sku === key);
    if (exact) {
      return [{ product: exact.product, score: 100 }];
    }

    const terms = tokenize(query);
    const hits: SearchHit[] = [];
    for (const entry of this.index) {
      const score = this.score(terms, entry.tokens) + (entry.product.inStock ? 1 : 0);
      if (score > 1) {
        hits.push({ product: entry.product, score });
      }
    }
    return hits.sort((a, b) => b.score - a.score).slice(0, limit);
  }

  /** Each query term scores 10 for an exact token, 5 for a prefix, 3 for one typo. */
  private score(terms: string[], tokens: string[]): number {
    let total = 0;
    for (const term of terms) {
      let best = 0;
      for (const token of tokens) {
        if (token === term) best = Math.max(best, 10);
        else if (token.startsWith(term)) best = Math.max(best, 5);
        else if (term.length > 3 && editDistance(term, token, 2) === 1) best = Math.max(best, 3);
      }
      total += best;
    }
    return total;
  }
}
