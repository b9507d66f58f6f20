/**
 * Reciprocal-rank fusion: each signal (the editor's structure, the lexical index, a
 * traceback, definition sites, file names) ranks files its own way; a file's score is
 * the sum over signals of weight / (K + rank). Ranks, not raw scores, so signals on
 * different scales combine without calibration, and a file several signals agree on rises.
 */
import type { Candidate } from '../types';

export interface ListEntry {
  readonly path: string;
  readonly reasons: readonly string[];
  readonly focus?: readonly number[];
  /** Query terms the file matched (lower case, most telling first), for choosing the lines to show. */
  readonly terms?: readonly string[];
}

export interface RankedList {
  readonly weight: number;
  /** Best first. */
  readonly entries: readonly ListEntry[];
}

/** The usual constant: it keeps one list's top item from outweighing agreement between lists. */
export const RRF_K = 60;

interface Fused {
  score: number;
  reasons: [string, number][];
  focus: Set<number>;
  terms: string[];
}

export function fuse(lists: readonly RankedList[], exclude: ReadonlySet<string>, k = RRF_K): Candidate[] {
  const fused = new Map<string, Fused>();
  for (const list of lists) {
    list.entries.forEach((entry, rank) => {
      if (exclude.has(entry.path)) return;
      const gain = list.weight / (k + rank + 1);
      let file = fused.get(entry.path);
      if (!file) fused.set(entry.path, (file = { score: 0, reasons: [], focus: new Set(), terms: [] }));
      file.score += gain;
      for (const reason of entry.reasons) file.reasons.push([reason, gain]);
      for (const line of entry.focus ?? []) file.focus.add(line);
      for (const term of entry.terms ?? []) if (!file.terms.includes(term)) file.terms.push(term);
    });
  }
  const best = Math.max(0, ...[...fused.values()].map((file) => file.score));
  const scored: [number, Candidate][] = [];
  for (const [path, file] of fused) {
    const reasons = [...new Set(file.reasons.sort((a, b) => b[1] - a[1]).map(([reason]) => reason))];
    const candidate: Candidate = {
      key: `file:${path}`,
      title: path,
      path,
      pinned: false,
      score: Math.round((1000 * file.score) / best) / 10,
      reasons,
      focus: [...file.focus].sort((a, b) => a - b),
      ...(file.terms.length ? { terms: file.terms } : {}),
    };
    scored.push([file.score, candidate]);
  }
  scored.sort((a, b) => b[0] - a[0] || (a[1].path as string).localeCompare(b[1].path as string));
  return scored.map(([, candidate]) => candidate);
}
