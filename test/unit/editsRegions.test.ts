/**
 * `applyEdits`: how located edits become regions of whole lines and the new text, with the
 * file's line endings and final newline, and which calls are refused as overlapping.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits, type Applied, type Edit, type NotApplied } from '../../src/core/edits';

const edit = (oldText: string, newText: string): Edit => ({ oldText, newText });

function applied(result: Applied | NotApplied): Applied {
  if (!result.ok) assert.fail(`refused: ${JSON.stringify(result.problems)}`);
  return result;
}

const regions = (result: Applied): [number, number, string, string][] =>
  result.regions.map((region) => [region.firstLine, region.endLine, region.oldText, region.newText]);

describe('applyEdits: overlaps', () => {
  it('refuses edits that share text, naming both by their lines', () => {
    const result = applyEdits('a\nb\nc\nd\n', [edit('c\nd\n', 'x\n'), edit('a\nb\nc', 'y')]);
    assert.equal(result.ok, false);
    assert.deepEqual(result.ok ? [] : result.problems, [
      {
        edit: 0,
        kind: 'overlap',
        detail: 'its old_text (lines 3-4) overlaps that of edit 2 (lines 1-3); combine them into one edit',
      },
    ]);
  });

  it('applies edits that only touch: adjacent lines, or two parts of one line, as separate regions or one', () => {
    const lines = applied(applyEdits('a\nb\nc\n', [edit('b\n', 'B\n'), edit('a\n', 'A\n')]));
    assert.equal(lines.newText, 'A\nB\nc\n');
    assert.deepEqual(regions(lines), [
      [0, 1, 'a\n', 'A\n'],
      [1, 2, 'b\n', 'B\n'],
    ]);
    const parts = applied(applyEdits('let a = 1, b = 2;\nnext\n', [edit('b = 2', 'b = 4'), edit('a = 1', 'a = 3')]));
    assert.equal(parts.newText, 'let a = 3, b = 4;\nnext\n');
    assert.deepEqual(regions(parts), [[0, 1, 'let a = 1, b = 2;\n', 'let a = 3, b = 4;\n']]);
    assert.deepEqual(
      parts.matches.map((match) => [match.edit, match.ranges]),
      [
        [0, [{ startLine: 1, endLine: 1 }]],
        [1, [{ startLine: 1, endLine: 1 }]],
      ],
    );
  });

  it('joins edits whose blocks share a line into one region', () => {
    const result = applied(
      applyEdits('one two\nthree four\nfive\n', [
        edit('one two\nthree', 'ONE\nTHREE'),
        edit('four\nfive', 'FOUR\nFIVE'),
      ]),
    );
    assert.equal(result.newText, 'ONE\nTHREE FOUR\nFIVE\n');
    assert.deepEqual(regions(result), [[0, 3, 'one two\nthree four\nfive\n', 'ONE\nTHREE FOUR\nFIVE\n']]);
  });
});

describe('applyEdits: line endings', () => {
  it('in a CRLF file, new lines get CRLF', () => {
    const result = applied(applyEdits('a\r\nb\r\nc\r\n', [edit('b\n', 'B\nB2\n')]));
    assert.equal(result.newText, 'a\r\nB\r\nB2\r\nc\r\n');
  });

  it("in a mixed file, a kept line keeps its own ending, also at a file's unterminated end", () => {
    const mixed = 'a\r\nb\nc\r\nd\r\ne';
    const result = applied(applyEdits(mixed, [edit('b\nc\nd\ne', 'b\nC\nd\ne\nf')]));
    assert.equal(result.newText, 'a\r\nb\nC\r\nd\r\ne\r\nf');
    const end = applied(applyEdits(mixed, [edit('d\ne', 'd\nE')]));
    assert.equal(end.newText, 'a\r\nb\nc\r\nd\r\nE');
  });
});

describe('applyEdits: the final newline', () => {
  it('is not added to a file without one when the last line is replaced by a whole line', () => {
    assert.equal(applied(applyEdits('a\nb', [edit('b', 'c\n')])).newText, 'a\nc');
  });

  it('is dropped from the line that becomes last when the last lines are deleted', () => {
    assert.equal(applied(applyEdits('a\nb\nc', [edit('\nc', '')])).newText, 'a\nb');
    assert.equal(applied(applyEdits('a\nb\nc', [edit('b\nc', '')])).newText, 'a');
    assert.equal(applied(applyEdits('a\nb\nc', [edit('a\nb\n', 'A\n'), edit('c', '')])).newText, 'A');
    assert.equal(applied(applyEdits('a\nb\nc', [edit('a\n', 'A\n'), edit('c', '')])).newText, 'A\nb');
  });

  it('is kept when all of a file is deleted, and a file that had one keeps it', () => {
    assert.equal(applied(applyEdits('a\nb', [edit('a\nb', '')])).newText, '');
    assert.equal(applied(applyEdits('a\nb\n', [edit('b\n', 'c')])).newText, 'a\nc\n');
    assert.equal(applied(applyEdits('a\nb\n', [edit('\nb\n', '\nc')])).newText, 'a\nc\n');
  });

  it('keeps a BOM', () => {
    assert.equal(applied(applyEdits('\uFEFFa\nb', [edit('a', 'A')])).newText, '\uFEFFA\nb');
  });
});

describe('applyEdits: overlaps, nested', () => {
  it('reports the edit that starts later, or the shorter one of two that start together, against the other', () => {
    const text = 'a\nb\nc\n';
    const nested = applyEdits(text, [edit('a\nb\nc\n', 'x\n'), edit('b', 'y')]);
    assert.deepEqual(nested.ok ? [] : nested.problems.map((problem) => [problem.edit, problem.detail]), [
      [1, 'its old_text (lines 2-2) overlaps that of edit 1 (lines 1-3); combine them into one edit'],
    ]);
    const together = applyEdits(text, [edit('a\nb', 'x'), edit('a', 'y')]);
    assert.deepEqual(together.ok ? [] : together.problems.map((problem) => [problem.edit, problem.detail]), [
      [0, 'its old_text (lines 1-2) overlaps that of edit 2 (lines 1-1); combine them into one edit'],
    ]);
  });
});
