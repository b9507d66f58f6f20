/** Edit distance between lines, bounded so that scanning a large file stays cheap. */

let previousRow = new Int32Array(256);
let currentRow = new Int32Array(256);

/**
 * Levenshtein distance of `a` and `b` if it is at most `limit`, else `limit + 1`.
 * Only the diagonal band of width `2 * limit + 1` is computed: O(length × limit).
 */
export function boundedLevenshtein(a: string, b: string, limit: number): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  if (a.length > b.length) [a, b] = [b, a];
  const n = a.length;
  const m = b.length;
  if (n === 0) return m <= limit ? m : limit + 1;
  if (previousRow.length <= m) {
    previousRow = new Int32Array(m + 1);
    currentRow = new Int32Array(m + 1);
  }
  const big = limit + 1;
  let previous = previousRow;
  let current = currentRow;
  for (let j = 0; j <= m; j++) previous[j] = j <= limit ? j : big;
  for (let i = 1; i <= n; i++) {
    const from = Math.max(1, i - limit);
    const to = Math.min(m, i + limit);
    current[from - 1] = from === 1 ? (i <= limit ? i : big) : big;
    let rowMinimum = current[from - 1];
    const charA = a.charCodeAt(i - 1);
    for (let j = from; j <= to; j++) {
      const substitution = previous[j - 1] + (charA === b.charCodeAt(j - 1) ? 0 : 1);
      const deletion = (j <= i - 1 + limit ? previous[j] : big) + 1;
      const insertion = current[j - 1] + 1;
      let value = substitution < deletion ? substitution : deletion;
      if (insertion < value) value = insertion;
      if (value > big) value = big;
      current[j] = value;
      if (value < rowMinimum) rowMinimum = value;
    }
    if (to < m) current[to + 1] = big;
    if (rowMinimum > limit) return big;
    [previous, current] = [current, previous];
  }
  return Math.min(previous[m], big);
}

/** 1 − distance / longer length; 1 for two empty lines. */
export function similarity(a: string, b: string, cap = 400): number {
  const longer = Math.max(a.length, b.length);
  if (longer === 0) return 1;
  const x = a.length > cap ? a.slice(0, cap) : a;
  const y = b.length > cap ? b.slice(0, cap) : b;
  const distance = boundedLevenshtein(x, y, Math.max(x.length, y.length));
  return 1 - distance / Math.max(x.length, y.length, 1);
}

/**
 * Whether `found` is within `threshold` similarity of `expected`, and how similar:
 * the distance limit follows from the threshold, so lines that are far apart cost little.
 */
export function similarEnough(expected: string, found: string, threshold: number): number | undefined {
  if (expected === found) return 1;
  const longer = Math.max(expected.length, found.length);
  const limit = Math.floor((1 - threshold) * longer + 1e-9);
  if (limit === 0) return undefined;
  const distance = boundedLevenshtein(expected, found, limit);
  if (distance > limit) return undefined;
  const value = 1 - distance / longer;
  return value >= threshold ? value : undefined;
}
