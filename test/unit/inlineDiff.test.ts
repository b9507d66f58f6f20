import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type LineDiff, lineDiff, renderDiff, resolveDiff } from '../../src/core/inline';

/** Applies the blocks to the original: what a reader of the diff would reconstruct. */
function apply(original: readonly string[], proposed: readonly string[], diff: LineDiff): string[] {
  const out: string[] = [];
  let at = 0;
  for (const block of diff.blocks) {
    out.push(...original.slice(at, block.originalStart), ...proposed.slice(block.proposedStart, block.proposedEnd));
    at = block.originalEnd;
  }
  return [...out, ...original.slice(at, diff.reached)];
}

const lines = fc.array(fc.constantFrom('a', 'b', 'c', '}', '', 'return x;'), { maxLength: 30 });
/** Mostly unique lines, so patience anchors come into play, with repeats among them. */
const varied = fc.array(fc.oneof(fc.integer({ min: 0, max: 40 }).map(String), fc.constantFrom('}', '')), {
  maxLength: 60,
});

describe('inline edit: the line diff', () => {
  it('finds one block for a changed line, with its place in both texts', () => {
    const diff = lineDiff(['a', 'b', 'c'], ['a', 'B', 'c'], true);
    assert.deepEqual(diff, {
      blocks: [{ originalStart: 1, originalEnd: 2, proposedStart: 1, proposedEnd: 2 }],
      reached: 3,
    });
  });

  it('finds separate blocks for an insertion and a deletion', () => {
    const diff = lineDiff(['a', 'b', 'c', 'd'], ['a', 'x', 'b', 'c'], true);
    assert.deepEqual(diff.blocks, [
      { originalStart: 1, originalEnd: 1, proposedStart: 1, proposedEnd: 2 },
      { originalStart: 3, originalEnd: 4, proposedStart: 4, proposedEnd: 4 },
    ]);
  });

  it('has no blocks for identical texts, and one for everything against nothing', () => {
    assert.deepEqual(lineDiff(['a'], ['a'], true).blocks, []);
    assert.deepEqual(lineDiff([], ['a', 'b'], true).blocks, [
      { originalStart: 0, originalEnd: 0, proposedStart: 0, proposedEnd: 2 },
    ]);
    assert.deepEqual(lineDiff(['a', 'b'], [], true).blocks, [
      { originalStart: 0, originalEnd: 2, proposedStart: 0, proposedEnd: 0 },
    ]);
  });

  it('once final, the blocks turn the original into the proposal exactly, and touch no equal line', () => {
    fc.assert(
      fc.property(lines, lines, (original, proposed) => {
        const diff = lineDiff(original, proposed, true);
        assert.deepEqual(apply(original, proposed, diff), proposed);
        for (const block of diff.blocks) {
          assert.ok(block.originalEnd > block.originalStart || block.proposedEnd > block.proposedStart);
        }
        for (let i = 1; i < diff.blocks.length; i++)
          assert.ok(diff.blocks[i].originalStart > diff.blocks[i - 1].originalEnd, 'blocks are apart');
      }),
    );
  });

  it('with unique lines as anchors, the blocks still give the proposal exactly and stay minimal in count', () => {
    fc.assert(
      fc.property(varied, varied, (original, proposed) => {
        const diff = lineDiff(original, proposed, true);
        assert.deepEqual(apply(original, proposed, diff), proposed);
        for (let i = 1; i < diff.blocks.length; i++)
          assert.ok(diff.blocks[i].originalStart > diff.blocks[i - 1].originalEnd, 'blocks are apart');
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a unique line that stays as an anchor and reports the changes on each side of it', () => {
    const diff = lineDiff(['x', 'a', 'UNIQUE', 'b', 'y'], ['x', 'A', 'UNIQUE', 'B', 'y'], true);
    assert.deepEqual(diff.blocks, [
      { originalStart: 1, originalEnd: 2, proposedStart: 1, proposedEnd: 2 },
      { originalStart: 3, originalEnd: 4, proposedStart: 3, proposedEnd: 4 },
    ]);
  });

  it('aligns on a line unique on both sides (patience), where plain Myers would pair other lines', () => {
    // Myers alone: [0,1→0,0] [2,3→1,1] [4,4→2,3] [5,5→4,5]; anchored on U: three blocks around it.
    const diff = lineDiff(['U', '}', '}', 'b', 'b'], ['}', 'b', 'U', 'b', '}'], true);
    assert.deepEqual(
      diff.blocks.map((b) => [b.originalStart, b.originalEnd, b.proposedStart, b.proposedEnd]),
      [
        [0, 0, 0, 2],
        [1, 3, 3, 3],
        [4, 5, 4, 5],
      ],
    );
  });

  it('keeps the common last lines out of the blocks before diffing the rest', () => {
    // Myers alone pairs nothing here and splits it in two; the common last line U stays out of one block.
    const diff = lineDiff(['a', 'a', 'a', '}', 'U'], ['U', 'b', 'b', 'b', 'U'], true);
    assert.deepEqual(diff.blocks, [{ originalStart: 0, originalEnd: 4, proposedStart: 0, proposedEnd: 4 }]);
  });

  it('while streaming, the proposal so far is reproduced and the original lines after it are not reached', () => {
    fc.assert(
      fc.property(lines, lines, (original, proposed) => {
        const diff = lineDiff(original, proposed, false);
        assert.deepEqual(apply(original, proposed, diff), proposed);
        assert.ok(diff.reached <= original.length);
      }),
    );
  });

  it('while streaming a rewrite, shows new lines as added and leaves the rest of the original unreached', () => {
    const original = ['a', 'b', 'c', 'd'];
    assert.deepEqual(lineDiff(original, ['a', 'X'], false), {
      blocks: [{ originalStart: 1, originalEnd: 1, proposedStart: 1, proposedEnd: 2 }],
      reached: 1,
    });
    // b was replaced (c matched after it); d is not reached yet.
    assert.deepEqual(lineDiff(original, ['a', 'X', 'c'], false), {
      blocks: [{ originalStart: 1, originalEnd: 2, proposedStart: 1, proposedEnd: 2 }],
      reached: 3,
    });
    assert.deepEqual(lineDiff(original, ['a', 'b'], false), { blocks: [], reached: 2 });
    assert.deepEqual(lineDiff(original, [], false), { blocks: [], reached: 0 });
    assert.deepEqual(lineDiff(original, original, false), { blocks: [], reached: 4 });
  });
});

describe('inline edit: rendering and resolving the review', () => {
  const original = ['keep', 'old1', 'old2', 'same', 'gone'];
  const proposed = ['keep', 'new1', 'same'];
  const diff = lineDiff(original, proposed, true);

  it('shows each undecided block as removed lines then added lines, with its lens line', () => {
    const shown = renderDiff(original, proposed, diff, []);
    assert.deepEqual(shown.lines, ['keep', 'old1', 'old2', 'new1', 'same', 'gone']);
    assert.deepEqual(shown.removed, [
      { start: 1, end: 3 },
      { start: 5, end: 6 },
    ]);
    assert.deepEqual(shown.added, [{ start: 3, end: 4 }]);
    assert.deepEqual(
      shown.blocks.map((block) => [block.index, block.line, block.decision]),
      [
        [0, 1, 'pending'],
        [1, 5, 'pending'],
      ],
    );
    assert.equal(shown.unreached, undefined);
  });

  it('shows a decided block as its outcome, undecorated', () => {
    const shown = renderDiff(original, proposed, diff, ['accepted', 'rejected']);
    assert.deepEqual(shown.lines, ['keep', 'new1', 'same', 'gone']);
    assert.deepEqual([shown.added, shown.removed], [[], []]);
  });

  it('marks the original lines not reached while streaming', () => {
    const streaming = lineDiff(original, ['keep', 'new1'], false);
    const shown = renderDiff(original, ['keep', 'new1'], streaming, []);
    assert.deepEqual(shown.lines, ['keep', 'new1', 'old1', 'old2', 'same', 'gone']);
    assert.deepEqual(shown.added, [{ start: 1, end: 2 }]);
    assert.deepEqual(shown.unreached, { start: 2, end: 6 });
  });

  it('accepting all gives the proposal, rejecting all the original, and a mix each block its decision', () => {
    assert.deepEqual(resolveDiff(original, proposed, diff, [], 'accepted'), proposed);
    assert.deepEqual(resolveDiff(original, proposed, diff, [], 'rejected'), original);
    assert.deepEqual(resolveDiff(original, proposed, diff, ['rejected'], 'accepted'), ['keep', 'old1', 'old2', 'same']);
  });
});
