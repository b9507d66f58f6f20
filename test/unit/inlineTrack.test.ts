import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keepTyping, RegionTrack } from '../../src/core/inline';

describe('RegionTrack', () => {
  const text = 'a\nb\nc\nd\n';
  const read = (doc: string) => (offset: number, length: number) => doc.slice(offset, offset + length);

  it('moves with a line typed above, ignores its own writes and text typed below', () => {
    const track = new RegionTrack(2, 'b\nc\n');
    track.follow({ offset: 0, length: 0, text: 'x\n' }, read('x\n' + text));
    assert.equal(track.start, 4);
    const ours = { offset: 4, length: 1, text: 'B' };
    track.expect(ours);
    track.follow(ours, read('x\na\nB\nc\nd\n'));
    track.wrote('B\nc\n');
    track.follow({ offset: 8, length: 0, text: 'z' }, read('x\na\nB\nc\nzd\n'));
    assert.deepEqual([track.start, track.shown, track.touched], [4, 'B\nc\n', false]);
  });

  it('takes in a keystroke inside the range and reads the range back', () => {
    const track = new RegionTrack(2, 'b\nc\n');
    track.follow({ offset: 3, length: 0, text: 'y' }, read('a\nby\nc\nd\n'));
    assert.deepEqual([track.start, track.shown, track.touched], [2, 'by\nc\n', true]);
  });
});

describe('keepTyping', () => {
  it('drops the lines of ours the user left alone and keeps every line they changed', () => {
    const written = 'old 1\nnew 1\nold 2\nnew 2\n';
    const now = 'old 1\nnew 1 typed\nold 2\nnew 2\n';
    assert.equal(keepTyping(written, 'old 1\nold 2\n', now), 'old 1\nnew 1 typed\nold 2\n');
  });

  it('keeps lines the user added and removes nothing when the result is not a subsequence', () => {
    assert.equal(keepTyping('a\nb\n', 'a\n', 'a\nmine\nb\n'), 'a\nmine\n');
    assert.equal(keepTyping('a\nb\n', 'c\n', 'a\nb typed\n'), 'a\nb typed\n');
  });
});
