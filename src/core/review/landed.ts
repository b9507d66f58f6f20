/**
 * Which hunks landed: VS Code's Refactor Preview lets the user untick single changes and
 * returns only "applied or not", so the result is read back from the document. The text
 * after must be the base with some subset of the hunks applied; the search walks the hunks
 * in order, trying "landed" then "not landed" at each, and backtracks on a mismatch.
 */
import type { Hunk } from '../edits';
import { comparable } from './texts';

const STEP_BUDGET = 100_000;

/**
 * The ids of the hunks of `base` that are in `after`, or undefined when `after` is not
 * `base` with any subset of them (someone else changed the text too). BOM and CRLF/LF
 * differences are ignored: a document shows neither.
 */
export function landedHunks(base: string, after: string, hunks: readonly Hunk[]): Set<number> | undefined {
  const ordered = [...hunks].sort((a, b) => a.start - b.start);
  const gaps: string[] = [];
  let cursor = 0;
  for (const hunk of ordered) {
    gaps.push(comparable(base.slice(cursor, hunk.start)));
    cursor = hunk.end;
  }
  const tail = comparable(base.slice(cursor));
  const olds = ordered.map((hunk) => comparable(hunk.oldText));
  const news = ordered.map((hunk) => comparable(hunk.newText));
  const target = comparable(after);
  const landed = new Set<number>();
  let steps = 0;

  const walk = (index: number, position: number): boolean => {
    if (++steps > STEP_BUDGET) return false;
    if (index === ordered.length) return target.length - position === tail.length && target.endsWith(tail);
    const gap = gaps[index];
    if (!target.startsWith(gap, position)) return false;
    const at = position + gap.length;
    if (target.startsWith(news[index], at) && walk(index + 1, at + news[index].length)) {
      landed.add(ordered[index].id);
      return true;
    }
    return target.startsWith(olds[index], at) && walk(index + 1, at + olds[index].length);
  };

  return walk(0, 0) ? landed : undefined;
}
