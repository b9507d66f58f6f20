/**
 * The line diff between the range as it was and the rewrite as far as it has arrived, as
 * changed blocks. While the answer streams, the original lines past the last one the
 * rewrite has matched are "not reached yet": they are neither kept nor removed, and a
 * final block of removals is not shown until the answer ends (it would flash red for
 * every line the model has simply not written yet).
 *
 * Lines are interned to numbers and the common prefix and suffix are cut off before the
 * `diff` package's Myers diff runs on what is left, so a local change in a 5,000-line range
 * costs little more than the comparison of the lines around it.
 */
import { diffArrays } from 'diff';

/**
 * One changed block: original lines [originalStart, originalEnd) became proposed lines [proposedStart, proposedEnd).
 */
export interface DiffBlock {
  readonly originalStart: number;
  readonly originalEnd: number;
  readonly proposedStart: number;
  readonly proposedEnd: number;
}

export interface LineDiff {
  readonly blocks: readonly DiffBlock[];
  /** Original lines before this index are accounted for; from here on not reached yet (all of them once final). */
  readonly reached: number;
}

/** While streaming, the original is compared up to this many lines (or a quarter more) past the answer's length. */
export const STREAM_SLACK = 64;
/** Most line edits Myers looks for in one gap between anchors (its cost grows with their number times the gap). */
export const MAX_EDITS = 300;

export function lineDiff(original: readonly string[], proposed: readonly string[], final: boolean): LineDiff {
  const prefix = commonPrefix(original, proposed);
  if (final) {
    const suffix = commonSuffix(original, proposed, prefix);
    return {
      blocks: middleBlocks(original, proposed, prefix, original.length - suffix, proposed.length - suffix),
      reached: original.length,
    };
  }
  // The answer so far covers about as many lines of the original as it has: comparing it with all of a long
  // range would cost a deletion per line not written yet, on every line streamed.
  const horizon = Math.min(original.length, proposed.length + Math.max(STREAM_SLACK, proposed.length >> 2));
  const blocks = middleBlocks(original, proposed, Math.min(prefix, horizon), horizon, proposed.length);
  return unreachedTail(blocks, horizon, proposed.length);
}

function commonPrefix(a: readonly string[], b: readonly string[]): number {
  const max = Math.min(a.length, b.length);
  let i = 0;
  while (i < max && a[i] === b[i]) i++;
  return i;
}

function commonSuffix(a: readonly string[], b: readonly string[], prefix: number): number {
  const max = Math.min(a.length, b.length) - prefix;
  let i = 0;
  while (i < max && a[a.length - 1 - i] === b[b.length - 1 - i]) i++;
  return i;
}

/**
 * The blocks between the common prefix and suffix. Lines that occur exactly once on each side
 * and in the same order (the longest such chain) are anchors, as in patience diff: only the gaps
 * between anchors go through Myers, so scattered changes in a long range cost little, and a
 * moved brace does not pair up with an unrelated one.
 */
function middleBlocks(
  original: readonly string[],
  proposed: readonly string[],
  start: number,
  originalEnd: number,
  proposedEnd: number,
): DiffBlock[] {
  const anchors = uniqueAnchors(original, proposed, start, originalEnd, start, proposedEnd);
  const blocks: DiffBlock[] = [];
  let o = start;
  let p = start;
  for (const [anchorO, anchorP] of [...anchors, [originalEnd, proposedEnd] as const]) {
    // Equal lines at the edges of a gap are not part of its blocks.
    let from = 0;
    while (o + from < anchorO && p + from < anchorP && original[o + from] === proposed[p + from]) from++;
    let to = 0;
    while (
      anchorO - to > o + from &&
      anchorP - to > p + from &&
      original[anchorO - 1 - to] === proposed[anchorP - 1 - to]
    )
      to++;
    blocks.push(...myersBlocks(original, proposed, o + from, anchorO - to, p + from, anchorP - to));
    o = anchorO + 1;
    p = anchorP + 1;
  }
  return blocks;
}

/** Pairs [original index, proposed index] of lines unique on both sides, the longest chain increasing in both. */
function uniqueAnchors(
  original: readonly string[],
  proposed: readonly string[],
  oStart: number,
  oEnd: number,
  pStart: number,
  pEnd: number,
): (readonly [number, number])[] {
  const seen = new Map<string, { o: number; p: number; inO: number; inP: number }>();
  for (let i = oStart; i < oEnd; i++) {
    const entry = seen.get(original[i]);
    if (entry) entry.inO++;
    else seen.set(original[i], { o: i, p: -1, inO: 1, inP: 0 });
  }
  for (let j = pStart; j < pEnd; j++) {
    const entry = seen.get(proposed[j]);
    if (entry && ++entry.inP === 1) entry.p = j;
  }
  const pairs: (readonly [number, number])[] = [];
  for (const entry of seen.values()) if (entry.inO === 1 && entry.inP === 1) pairs.push([entry.o, entry.p]);
  return longestIncreasing(pairs);
}

/** The longest chain of pairs (in original order) whose proposed indexes increase: patience sorting. */
function longestIncreasing(pairs: readonly (readonly [number, number])[]): (readonly [number, number])[] {
  const tops: number[] = [];
  const previous = new Int32Array(pairs.length).fill(-1);
  for (let k = 0; k < pairs.length; k++) {
    let low = 0;
    let high = tops.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (pairs[tops[middle]][1] < pairs[k][1]) low = middle + 1;
      else high = middle;
    }
    if (low > 0) previous[k] = tops[low - 1];
    tops[low] = k;
  }
  const chain: (readonly [number, number])[] = [];
  for (let k = tops.length ? tops[tops.length - 1] : -1; k !== -1; k = previous[k]) chain.push(pairs[k]);
  return chain.reverse();
}

/** Myers (the `diff` package) on interned lines of original [oStart, oEnd) and proposed [pStart, pEnd). */
function myersBlocks(
  original: readonly string[],
  proposed: readonly string[],
  oStart: number,
  oEnd: number,
  pStart: number,
  pEnd: number,
): DiffBlock[] {
  if (oStart === oEnd && pStart === pEnd) return [];
  if (oStart === oEnd || pStart === pEnd)
    return [{ originalStart: oStart, originalEnd: oEnd, proposedStart: pStart, proposedEnd: pEnd }];
  const ids = new Map<string, number>();
  const intern = (line: string) => {
    let id = ids.get(line);
    if (id === undefined) ids.set(line, (id = ids.size));
    return id;
  };
  const a = original.slice(oStart, oEnd).map(intern);
  const b = proposed.slice(pStart, pEnd).map(intern);
  const blocks: DiffBlock[] = [];
  let o = oStart;
  let p = pStart;
  let open: { originalStart: number; proposedStart: number } | undefined;
  const changes = diffArrays(a, b, { maxEditLength: MAX_EDITS });
  // Past the cap (a range re-indented line by line) the gap is one block: Myers would take seconds.
  if (!changes) return [{ originalStart: oStart, originalEnd: oEnd, proposedStart: pStart, proposedEnd: pEnd }];
  for (const change of changes) {
    const count = change.value.length;
    if (!change.added && !change.removed) {
      if (open) blocks.push({ ...open, originalEnd: o, proposedEnd: p });
      open = undefined;
      o += count;
      p += count;
      continue;
    }
    open ??= { originalStart: o, proposedStart: p };
    if (change.removed) o += count;
    else p += count;
  }
  if (open) blocks.push({ ...open, originalEnd: o, proposedEnd: p });
  return blocks;
}

/**
 * While streaming: original lines after the last line the answer matched (within the horizon) are not reached.
 * A last block that runs to the end of both texts keeps its new lines but removes nothing yet.
 */
function unreachedTail(blocks: DiffBlock[], horizon: number, proposedLength: number): LineDiff {
  const last = blocks.at(-1);
  // Otherwise the answer's last lines matched the original's lines up to the horizon.
  if (!last || last.originalEnd !== horizon || last.proposedEnd !== proposedLength) return { blocks, reached: horizon };
  const kept = blocks.slice(0, -1);
  if (last.proposedEnd > last.proposedStart) kept.push({ ...last, originalEnd: last.originalStart });
  return { blocks: kept, reached: last.originalStart };
}
