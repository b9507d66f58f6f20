/**
 * The last resort for a block with a typo, and the "closest candidates" told to the model
 * when nothing matched. A fuzzy match needs every line of the block to be at least
 * `FUZZY_THRESHOLD` similar (normalised Levenshtein) to the file's line in the same place,
 * over a window of exactly the block's height; two such windows are ambiguous.
 */
import type { FileIndex } from './fileIndex';
import { similarEnough, similarity } from './similarity';
import type { Candidate } from './types';

export const FUZZY_THRESHOLD = 0.9;

export interface FuzzyHit {
  readonly start: number;
  /** The lowest line similarity in the window. */
  readonly similarity: number;
}

/**
 * Every window whose lines all pass the threshold and at least one of whose lines is the
 * block's own (equal `loose` key): a typo is a slip in one place, not a block that is a
 * little different everywhere. Anchoring on equal lines is also what keeps this fast.
 */
export function findFuzzy(index: FileIndex, keys: readonly string[], threshold = FUZZY_THRESHOLD): FuzzyHit[] {
  const fileKeys = index.keys('loose');
  const height = keys.length;
  const starts = new Set<number>();
  keys.forEach((key, j) => {
    if (key === '') return;
    for (const position of index.positions('loose', key)) {
      const start = position - j;
      if (start >= 0 && start + height <= fileKeys.length) starts.add(start);
    }
  });
  // Check the most telling lines first: long lines reject a wrong window soonest.
  const order = keys.map((_, j) => j).sort((a, b) => keys[b].length - keys[a].length);
  const hits: FuzzyHit[] = [];
  for (const start of [...starts].sort((a, b) => a - b)) {
    let lowest = 1;
    for (const j of order) {
      const value = similarEnough(keys[j], fileKeys[start + j], threshold);
      if (value === undefined) {
        lowest = -1;
        break;
      }
      if (value < lowest) lowest = value;
    }
    if (lowest >= 0) hits.push({ start, similarity: lowest });
  }
  return hits;
}

const CANDIDATE_LIMIT = 3;

/** The windows most like the block, best first, for a refusal the model can act on. */
export function closestCandidates(index: FileIndex, keys: readonly string[]): Candidate[] {
  const fileKeys = index.keys('loose');
  const height = keys.length;
  const lineCount = fileKeys.length;
  if (height === 0 || lineCount === 0) return [];
  const starts = new Set<number>();
  const clamp = (start: number): number => Math.max(0, Math.min(start, lineCount - height));
  // Windows that share a distinctive line with the block…
  const votes = new Map<number, number>();
  keys.forEach((key, j) => {
    if (key.length < 4) return;
    const positions = index.positions('loose', key);
    if (positions.length > 50) return;
    for (const position of positions) votes.set(clamp(position - j), (votes.get(clamp(position - j)) ?? 0) + 1);
  });
  [...votes]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .forEach(([start]) => starts.add(start));
  // …and windows whose line is most like the block's longest line.
  const longest = keys.reduce((best, key, j) => (key.length > keys[best].length ? j : best), 0);
  const scores = diceScores(keys[longest], fileKeys);
  const scored: [number, number][] = [];
  for (let i = 0; i < lineCount; i++) if (scores[i] > 0.3) scored.push([scores[i], i]);
  scored
    .sort((a, b) => b[0] - a[0])
    .slice(0, 5)
    .forEach(([, i]) => starts.add(clamp(i - longest)));

  const candidates: Candidate[] = [];
  for (const start of starts) {
    let total = 0;
    let worst: Candidate['worst'];
    let worstValue = 2;
    const rows = Math.min(height, lineCount - start);
    for (let j = 0; j < rows; j++) {
      const value = similarity(keys[j], fileKeys[start + j]);
      total += value;
      if (value < worstValue) {
        worstValue = value;
        worst = value < 1 ? { line: start + j + 1, expected: keys[j], found: fileKeys[start + j] } : undefined;
      }
    }
    candidates.push({ line: start + 1, endLine: start + rows, similarity: round(total / height), worst });
  }
  return candidates
    .filter((candidate) => candidate.similarity >= 0.5)
    .sort((a, b) => b.similarity - a.similarity || a.line - b.line)
    .slice(0, CANDIDATE_LIMIT);
}

export const round = (value: number): number => Math.round(value * 100) / 100;

const BUCKETS = 4096;
const targetCounts = new Int32Array(BUCKETS);
const usedCounts = new Int32Array(BUCKETS);
const usedStamp = new Int32Array(BUCKETS);
let stamp = 0;

const bucket = (text: string, i: number): number =>
  (((text.charCodeAt(i) * 31 + text.charCodeAt(i + 1)) * 2654435761) >>> 20) & (BUCKETS - 1);

/**
 * Sørensen–Dice similarity of character bigrams of `target` and each of `texts`: a cheap
 * first sieve before Levenshtein. Bigrams are hashed into buckets (a collision only makes a
 * line look a little closer), so a 10,000-line scan allocates nothing.
 */
function diceScores(target: string, texts: readonly string[]): Float64Array {
  targetCounts.fill(0);
  for (let i = 0; i + 1 < target.length; i++) targetCounts[bucket(target, i)]++;
  const targetSize = Math.max(0, target.length - 1);
  const scores = new Float64Array(texts.length);
  for (let line = 0; line < texts.length; line++) {
    const text = texts[line];
    const size = Math.max(0, text.length - 1);
    if (size + targetSize === 0 || Math.min(size, targetSize) * 2 < 0.3 * (size + targetSize)) continue;
    stamp++;
    let shared = 0;
    for (let i = 0; i + 1 < text.length; i++) {
      const b = bucket(text, i);
      if (usedStamp[b] !== stamp) {
        usedStamp[b] = stamp;
        usedCounts[b] = 0;
      }
      if (usedCounts[b] < targetCounts[b]) shared++;
      usedCounts[b]++;
    }
    scores[line] = (2 * shared) / (size + targetSize);
  }
  return scores;
}
