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

/** One changed block: original lines [originalStart, originalEnd) became proposed lines [proposedStart, proposedEnd). */
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

export function lineDiff(original: readonly string[], proposed: readonly string[], final: boolean): LineDiff {
  const prefix = commonPrefix(original, proposed);
  const suffix = final ? commonSuffix(original, proposed, prefix) : 0;
  const blocks = middleBlocks(original, proposed, prefix, original.length - suffix, proposed.length - suffix);
  if (final) return { blocks, reached: original.length };
  return unreachedTail(blocks, original.length, proposed.length);
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

/** The blocks between the common prefix and suffix, from a Myers diff of interned lines. */
function middleBlocks(
  original: readonly string[],
  proposed: readonly string[],
  start: number,
  originalEnd: number,
  proposedEnd: number,
): DiffBlock[] {
  if (start === originalEnd && start === proposedEnd) return [];
  if (start === originalEnd || start === proposedEnd)
    return [{ originalStart: start, originalEnd, proposedStart: start, proposedEnd }];
  const ids = new Map<string, number>();
  const intern = (line: string) => {
    let id = ids.get(line);
    if (id === undefined) ids.set(line, (id = ids.size));
    return id;
  };
  const a = original.slice(start, originalEnd).map(intern);
  const b = proposed.slice(start, proposedEnd).map(intern);
  const blocks: DiffBlock[] = [];
  let o = start;
  let p = start;
  let open: { originalStart: number; proposedStart: number } | undefined;
  for (const change of diffArrays(a, b)) {
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
 * While streaming: original lines after the last line the answer matched are not reached.
 * A last block that runs to the end of both texts keeps its new lines but removes nothing yet.
 */
function unreachedTail(blocks: DiffBlock[], originalLength: number, proposedLength: number): LineDiff {
  const last = blocks.at(-1);
  // Otherwise the answer's last lines matched the range's last lines: everything is reached.
  if (!last || last.originalEnd !== originalLength || last.proposedEnd !== proposedLength)
    return { blocks, reached: originalLength };
  const kept = blocks.slice(0, -1);
  if (last.proposedEnd > last.proposedStart) kept.push({ ...last, originalEnd: last.originalStart });
  return { blocks: kept, reached: last.originalStart };
}
