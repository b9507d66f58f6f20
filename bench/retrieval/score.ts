/**
 * How the retrieval benchmark judges one packed context against a real fix: the files
 * the gold patch touches and the lines of each hunk (in the file before the fix), and
 * whether every gold file went in whole, or whole or as ranges touching every hunk.
 * Also the baseline it is measured against: plain BM25 over whole files, packed whole
 * in rank order. Independent of the ranker under test (its own words, its own index).
 */
import type { LedgerItem } from '../../src/core/context';

export interface Hunk {
  /** 1-based lines of the file before the fix that the hunk spans (context lines included). */
  readonly start: number;
  readonly end: number;
}

/** Gold file → its hunks, from a unified diff. New files (nothing to retrieve) are left out. */
export function goldHunks(patch: string): Map<string, Hunk[]> {
  const out = new Map<string, Hunk[]>();
  let current: Hunk[] | undefined;
  for (const line of patch.split('\n')) {
    const file = /^diff --git a\/(\S+) b\//.exec(line);
    if (file) {
      current = [];
      out.set(file[1], current);
      continue;
    }
    if (line.startsWith('--- /dev/null') && current) {
      for (const [path, hunks] of out) if (hunks === current) out.delete(path);
      current = undefined;
      continue;
    }
    const hunk = /^@@ -(\d+)(?:,(\d+))? \+/.exec(line);
    if (hunk && current) {
      const start = Number(hunk[1]);
      const length = hunk[2] === undefined ? 1 : Number(hunk[2]);
      current.push({ start: Math.max(1, start), end: Math.max(start, start + length - 1) });
    }
  }
  return out;
}

export interface Judgement {
  /** Every gold file went in whole. */
  readonly whole: boolean;
  /** Every gold file went in whole, or with shown ranges touching every one of its hunks. */
  readonly covered: boolean;
}

export function judge(items: readonly LedgerItem[], gold: ReadonlyMap<string, readonly Hunk[]>): Judgement {
  const byPath = new Map(items.filter((item) => item.included && item.path).map((item) => [item.path, item]));
  let whole = gold.size > 0;
  let covered = gold.size > 0;
  for (const [path, hunks] of gold) {
    const item = byPath.get(path);
    const isWhole = item?.form === 'whole';
    if (!isWhole) whole = false;
    const ranges = item?.ranges ?? [];
    const touches = (hunk: Hunk) => ranges.some((range) => range.start <= hunk.end && range.end >= hunk.start);
    if (!isWhole && !(ranges.length && hunks.every(touches))) covered = false;
  }
  return { whole, covered };
}

/** Plain words, lower case: the baseline knows nothing about code. */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9_]+/g) ?? [];
}

/** Okapi BM25 (k1 1.2, b 0.75) over whole documents. */
export class PlainBm25 {
  private readonly frequencies: Map<string, number>[] = [];
  private readonly lengths: number[] = [];
  private readonly documentFrequency = new Map<string, number>();

  constructor(
    readonly ids: readonly string[],
    texts: readonly string[],
  ) {
    for (const text of texts) {
      const counts = new Map<string, number>();
      for (const word of words(text)) counts.set(word, (counts.get(word) ?? 0) + 1);
      for (const word of counts.keys()) this.documentFrequency.set(word, (this.documentFrequency.get(word) ?? 0) + 1);
      this.frequencies.push(counts);
      this.lengths.push([...counts.values()].reduce((a, b) => a + b, 0));
    }
  }

  /** Document indexes with a positive score, best first. */
  rank(query: string): number[] {
    const terms = [...new Set(words(query))];
    const n = this.ids.length;
    const average = this.lengths.reduce((a, b) => a + b, 0) / Math.max(1, n);
    const scores: [number, number][] = [];
    this.frequencies.forEach((counts, i) => {
      let score = 0;
      for (const term of terms) {
        const tf = counts.get(term);
        if (!tf) continue;
        const df = this.documentFrequency.get(term) ?? 0;
        const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        score += (idf * tf * 2.2) / (tf + 1.2 * (0.25 + (0.75 * this.lengths[i]) / average));
      }
      if (score > 0) scores.push([score, i]);
    });
    return scores.sort((a, b) => b[0] - a[0] || a[1] - b[1]).map(([, i]) => i);
  }
}

/** Whole files in rank order, each that still fits, until the cap: the baseline's packing. */
export function packWhole(order: readonly number[], tokens: (i: number) => number, cap: number): Set<number> {
  const chosen = new Set<number>();
  let left = cap;
  for (const i of order) {
    const cost = tokens(i);
    if (cost > left) continue;
    chosen.add(i);
    left -= cost;
    if (left < 24) break;
  }
  return chosen;
}

export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
