/**
 * Reciprocal-rank fusion, as the ranked candidates it hands the packer: which files,
 * in which order, with which reasons, focus lines and terms, and the score the ledger shows.
 * Reference scores are worked out by hand from weight / (60 + rank), rank counted from 1.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RRF_K, fuse } from '../../src/core/context/rank/fuse';

const none = new Set<string>();
const entry = (path: string, reasons: string[] = [`r:${path}`], extra = {}) => ({ path, reasons, ...extra });

describe('reciprocal-rank fusion', () => {
  it('puts a file two signals agree on above one a single signal ranks first', () => {
    const ranked = fuse(
      [
        { weight: 1, entries: [entry('x.py'), entry('y.py')] },
        { weight: 1, entries: [entry('y.py')] },
      ],
      none,
    );
    assert.deepEqual(
      ranked.map((c) => c.path),
      ['y.py', 'x.py'],
    );
    // y: 1/62 + 1/61, x: 1/61 → x scores (1/61) / (1/62 + 1/61) = 62/123 of the best.
    assert.deepEqual(
      ranked.map((c) => c.score),
      [100, 50.4],
    );
  });

  it('weighs each signal, and breaks equal scores by path', () => {
    const weighted = fuse(
      [
        { weight: 1, entries: [entry('a.py')] },
        { weight: 2, entries: [entry('b.py')] },
      ],
      none,
    );
    assert.deepEqual(
      weighted.map((c) => [c.path, c.score]),
      [
        ['b.py', 100],
        ['a.py', 50],
      ],
    );
    const tied = fuse(
      [
        { weight: 1, entries: [entry('b.py')] },
        { weight: 1, entries: [entry('a.py')] },
      ],
      none,
    );
    assert.deepEqual(
      tied.map((c) => c.path),
      ['a.py', 'b.py'],
    );
  });

  it('uses the usual constant 60, or the one given, so one list’s top item does not outweigh agreement', () => {
    assert.equal(RRF_K, 60);
    const lists = [{ weight: 1, entries: [entry('a.py'), entry('b.py')] }];
    // With k = 0: 1/1 and 1/2.
    assert.deepEqual(
      fuse(lists, none, 0).map((c) => c.score),
      [100, 50],
    );
    // With k = 60: (1/62) / (1/61) = 61/62.
    assert.deepEqual(
      fuse(lists, none).map((c) => c.score),
      [100, 98.4],
    );
  });

  it('leaves out what is already pinned', () => {
    const ranked = fuse(
      [
        { weight: 1, entries: [entry('pinned.py'), entry('other.py')] },
        { weight: 1, entries: [entry('third.py')] },
      ],
      new Set(['pinned.py']),
    );
    // The pinned file's place still counts: other.py keeps rank 2 in its list, below third.py's rank 1.
    assert.deepEqual(
      ranked.map((c) => [c.path, c.score]),
      [
        ['third.py', 100],
        ['other.py', 98.4],
      ],
    );
  });

  it('gives each candidate its reasons (strongest first, once each), focus lines and terms', () => {
    const ranked = fuse(
      [
        {
          weight: 1,
          entries: [
            entry('top.py'),
            entry('f.py', ['mentions "hook"', 'shared'], { focus: [9, 3], terms: ['hook', 'send'] }),
          ],
        },
        { weight: 1, entries: [entry('f.py', ['defines send', 'shared'], { focus: [3, 1], terms: ['send', 'resp'] })] },
      ],
      none,
    );
    const f = ranked.find((c) => c.path === 'f.py');
    assert.deepEqual(f, {
      key: 'file:f.py',
      title: 'f.py',
      path: 'f.py',
      pinned: false,
      score: 100,
      reasons: ['defines send', 'shared', 'mentions "hook"'],
      focus: [1, 3, 9],
      terms: ['hook', 'send', 'resp'],
    });
    const top = ranked.find((c) => c.path === 'top.py');
    assert.equal(top && 'terms' in top, false, 'no terms, no field');
    assert.deepEqual(top?.focus, []);
  });

  it('ranks nothing from nothing', () => {
    assert.deepEqual(fuse([], none), []);
    assert.deepEqual(fuse([{ weight: 1, entries: [] }], none), []);
  });
});
