/**
 * The end of a file without a final newline, region by region: when the last lines are
 * deleted, the line that becomes last loses its terminator, and the region says so in bytes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits, computeProposal, type Applied, type Edit, type NotApplied } from '../../src/core/edits';

const edit = (oldText: string, newText: string): Edit => ({ oldText, newText });

function applied(result: Applied | NotApplied): Applied {
  if (!result.ok) assert.fail(`refused: ${JSON.stringify(result.problems)}`);
  return result;
}

const regions = (result: Applied): [number, number, string, string][] =>
  result.regions.map((region) => [region.firstLine, region.endLine, region.oldText, region.newText]);

describe('deleting the last lines of a file without a final newline', () => {
  it('joins them to an edit just before, whose last line loses its terminator', () => {
    const result = applied(applyEdits('a\nb\nc', [edit('a\nb\n', 'A\nB\n'), edit('c', '')]));
    assert.equal(result.newText, 'A\nB');
    assert.deepEqual(regions(result), [[0, 3, 'a\nb\nc', 'A\nB']]);
  });

  it('takes in the untouched line before them', () => {
    const result = applied(applyEdits('a\r\nb\r\nc', [edit('a\n', 'A\n'), edit('c', '')]));
    assert.equal(result.newText, 'A\r\nb');
    assert.deepEqual(regions(result), [
      [0, 1, 'a\r\n', 'A\r\n'],
      [1, 3, 'b\r\nc', 'b'],
    ]);
  });

  it('gives hunks that rebuild the same text', () => {
    const proposal = computeProposal('a.txt', 'a\nb\nc', 1, [edit('a\nb\n', 'A\nB\n'), edit('c', '')]);
    assert.ok(proposal.ok);
    assert.equal(proposal.newText, 'A\nB');
    assert.deepEqual(
      proposal.hunks.map((hunk) => [hunk.oldText, hunk.newText]),
      [['a\nb\nc', 'A\nB']],
    );
  });
});
