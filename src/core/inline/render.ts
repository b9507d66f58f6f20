/**
 * What the edited range shows while a rewrite is under review: each undecided block as its
 * old lines (decorated as removed) followed by its new lines (decorated as added); a block
 * already accepted as its new lines, a rejected one as its old lines; original lines the
 * stream has not reached yet after the rest. The same walk gives the text to write once
 * every block is decided.
 */
import type { LineDiff } from './diff';

export type Decision = 'pending' | 'accepted' | 'rejected';

/** Rendered lines [start, end), 0-based, relative to the first line of the range. */
export interface LineSpan {
  readonly start: number;
  readonly end: number;
}

export interface RenderedBlock {
  readonly index: number;
  /** The block's first rendered line (where its Accept | Reject goes). */
  readonly line: number;
  readonly decision: Decision;
}

export interface RenderedDiff {
  readonly lines: readonly string[];
  readonly added: readonly LineSpan[];
  readonly removed: readonly LineSpan[];
  /** Original lines the answer has not reached yet. */
  readonly unreached?: LineSpan;
  readonly blocks: readonly RenderedBlock[];
}

export function renderDiff(
  original: readonly string[],
  proposed: readonly string[],
  diff: LineDiff,
  decisions: readonly Decision[],
): RenderedDiff {
  const lines: string[] = [];
  const added: LineSpan[] = [];
  const removed: LineSpan[] = [];
  const blocks: RenderedBlock[] = [];
  const put = (from: readonly string[], start: number, end: number, spans?: LineSpan[]) => {
    const first = lines.length;
    for (let i = start; i < end; i++) lines.push(from[i]);
    if (spans && end > start) spans.push({ start: first, end: lines.length });
  };
  let at = 0;
  diff.blocks.forEach((block, index) => {
    put(original, at, block.originalStart);
    const decision = decisions[index] ?? 'pending';
    blocks.push({ index, line: lines.length, decision });
    const pending = decision === 'pending';
    if (decision !== 'accepted') put(original, block.originalStart, block.originalEnd, pending ? removed : undefined);
    if (decision !== 'rejected') put(proposed, block.proposedStart, block.proposedEnd, pending ? added : undefined);
    at = block.originalEnd;
  });
  put(original, at, diff.reached);
  const tail = lines.length;
  put(original, diff.reached, original.length);
  const unreached = lines.length > tail ? { start: tail, end: lines.length } : undefined;
  return { lines, added, removed, blocks, ...(unreached ? { unreached } : {}) };
}

/** The lines the range ends with: undecided blocks count as `rest`. */
export function resolveDiff(
  original: readonly string[],
  proposed: readonly string[],
  diff: LineDiff,
  decisions: readonly Decision[],
  rest: 'accepted' | 'rejected',
): string[] {
  const final = diff.blocks.map((_, index) => {
    const decision = decisions[index] ?? 'pending';
    return decision === 'pending' ? rest : decision;
  });
  return [...renderDiff(original, proposed, diff, final).lines];
}
