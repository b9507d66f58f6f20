import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MAX_EDITS, STREAM_SLACK, lineDiff } from '../../src/core/inline/diff';
import { smallestReplacement } from '../../src/core/inline';

const apply = (before: string, r: { offset: number; length: number; insert: string }) =>
  before.slice(0, r.offset) + r.insert + before.slice(r.offset + r.length);

describe('inline edit: the smallest replacement between two renderings', () => {
  it('replaces only the differing middle', () => {
    assert.deepEqual(smallestReplacement('abcXdef', 'abcYYdef'), { offset: 3, length: 1, insert: 'YY' });
    assert.deepEqual(smallestReplacement('same', 'same'), { offset: 4, length: 0, insert: '' });
    assert.deepEqual(smallestReplacement('', 'new'), { offset: 0, length: 0, insert: 'new' });
    assert.deepEqual(smallestReplacement('old', ''), { offset: 0, length: 3, insert: '' });
  });

  it('never cuts between \\r and \\n, nor inside a surrogate pair', () => {
    assert.deepEqual(smallestReplacement('a\r\nb', 'a\r\r\nb'), { offset: 1, length: 0, insert: '\r' });
    const r = smallestReplacement('x\r\ny', 'x\ny');
    assert.ok(!('x\r\ny'.slice(0, r.offset).endsWith('\r') && 'x\r\ny'[r.offset] === '\n'));
    assert.equal(apply('x\r\ny', r), 'x\ny');
    const emoji = smallestReplacement('a😀b', 'a😃b');
    assert.deepEqual(emoji, { offset: 1, length: 2, insert: '😃' });
  });

  it('turns any text into any other', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (before, after) => {
        const r = smallestReplacement(before, after);
        assert.equal(apply(before, r), after);
        assert.ok(r.offset >= 0 && r.length >= 0 && r.offset + r.length <= before.length);
      }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', '\r', '\n', '\r\n', '😀')),
        fc.array(fc.constantFrom('a', '\r\n', '😀')),
        (x, y) => {
          const before = x.join('');
          const after = y.join('');
          const r = smallestReplacement(before, after);
          assert.equal(apply(before, r), after);
          for (const [text, at] of [
            [before, r.offset],
            [before, r.offset + r.length],
          ] as const)
            assert.ok(!(text[at - 1] === '\r' && text[at] === '\n'), `cut inside CRLF at ${at}`);
        },
      ),
    );
  });
});

describe('inline edit: the diff on long ranges', () => {
  const long = Array.from({ length: 400 }, (_, i) => `line ${i}`);

  it('while streaming compares the answer only with the original lines near its length', () => {
    const partial = [...long.slice(0, 10)];
    partial[5] = 'changed';
    const diff = lineDiff(long, partial, false);
    assert.deepEqual(diff.blocks, [{ originalStart: 5, originalEnd: 6, proposedStart: 5, proposedEnd: 6 }]);
    assert.equal(diff.reached, 10);
    // A line far beyond the horizon is not matched: the answer's lines are added, the original not reached yet.
    const jump = lineDiff(long, ['line 0', 'line 399'], false);
    assert.ok(jump.reached <= 2 + STREAM_SLACK, `reached ${jump.reached}`);
    assert.deepEqual(jump.blocks, [{ originalStart: 1, originalEnd: 1, proposedStart: 1, proposedEnd: 2 }]);
  });

  it('gives up on Myers past its edit cap and replaces the gap as one block (still exact)', () => {
    const original = Array.from({ length: MAX_EDITS + 10 }, (_, i) => `x${i}`).map((line) => `${line} same`);
    original.push('same', 'same');
    const proposed = original.map((line) => ` ${line}`);
    const diff = lineDiff(original, proposed, true);
    assert.deepEqual(diff.blocks, [
      { originalStart: 0, originalEnd: original.length, proposedStart: 0, proposedEnd: proposed.length },
    ]);
  });
});
