/**
 * Tokenising for product search. Deliberately simple: shops have hundreds
 * or a few thousand products, not millions.
 */

const STOP_WORDS = new Set(['a', 'an', 'and', 'the', 'of', 'for', 'with']);

export function normalise(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // strip accents: "café" finds "cafe"
    .replace(/[^a-z0-9\-\s]/g, ' ');
}

export function tokenize(text: string): string[] {
  return normalise(text)
    .split(/\s+/)
    .filter((t) => t.length > 0 && !STOP_WORDS.has(t));
}

/** SKUs are matched as a whole and without dashes: "TSH-BLK-M" and "tshblkm" are the same. */
export function skuKey(sku: string): string {
  return sku.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Classic edit distance, capped: we only care whether it is 0, 1 or 2. */
export function editDistance(a: string, b: string, cap = 3): number {
  if (Math.abs(a.length - b.length) >= cap) return cap;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const curr = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      curr[j] = Math.min(prev[j] + 1, curr[j - 1] + 1, prev[j - 1] + cost);
    }
    prev = curr;
  }
  return Math.min(prev[b.length], cap);
}
