/**
 * The exact text a context item becomes in the prompt (pack/render.ts): what the model reads for a whole
 * file, a text item, a large file's outline with the lines that matter, and which lines those are.
 * Each expected string is written out by hand.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  focusRanges,
  mergeRanges,
  renderOutline,
  renderText,
  renderWhole,
  truncateLines,
} from '../../src/core/context/pack/render';
import type { OutlineSymbol } from '../../src/core/context/rank/outline';

const symbol = (name: string, line: number, endLine: number, depth = 0): OutlineSymbol => ({
  name,
  kind: 'function',
  line,
  endLine,
  depth,
  signature: `function ${name}()`,
});
const LINES = Array.from({ length: 10 }, (_, i) => `l${i + 1}`);

describe('rendered context items', () => {
  it('a whole file: quotes, ampersands and newlines in attributes escaped, the body ends with a newline', () => {
    assert.equal(
      renderWhole('a "b"&c.ts', ['open\nfile', 'imported'], 'x = 1'),
      '<file path="a &quot;b&quot;&amp;c.ts" reason="open file; imported">\nx = 1\n</file>\n',
    );
    assert.equal(renderWhole('a.ts', ['r'], 'x\n'), '<file path="a.ts" reason="r">\nx\n</file>\n');
    assert.equal(renderWhole('empty.ts', [], ''), '<file path="empty.ts" reason="">\n</file>\n');
  });

  it('a text item', () => {
    assert.equal(
      renderText('Diagnostics "now"', ['errors', 'open'], 'a.ts:1 bad'),
      '<context title="Diagnostics &quot;now&quot;" reason="errors; open">\na.ts:1 bad\n</context>\n',
    );
  });

  it('an outline with the ranges that matter', () => {
    const view = { symbols: [symbol('a', 1, 5), symbol('b', 2, 3, 1)], ranges: [{ start: 2, end: 3 }], lineCount: 10 };
    assert.equal(
      renderOutline('p.ts', ['r', 's'], LINES, view),
      '<file path="p.ts" reason="r; s" lines="10" shown="outline and lines 2-3">\n' +
        'outline (lines: declaration):\n1-5: function a()\n  2-3: function b()\nlines 2-3:\nl2\nl3\n</file>\n',
    );
  });

  it('an outline cut to a depth, with symbols left out, and no ranges', () => {
    const symbols = [symbol('a', 1, 9), symbol('b', 2, 8, 1), symbol('c', 3, 4, 2)];
    assert.equal(
      renderOutline('p.ts', ['r'], LINES, { symbols, ranges: [], lineCount: 10, maxDepth: 1, omitted: 2 }),
      '<file path="p.ts" reason="r" lines="10" shown="outline">\noutline (lines: declaration):\n' +
        '1-9: function a()\n  2-8: function b()\n(1 nested symbols not listed)\n(2 more symbols not listed)\n</file>\n',
    );
    assert.equal(
      renderOutline('p.ts', ['r'], LINES, { symbols, ranges: [], lineCount: 10, maxDepth: 0 }),
      '<file path="p.ts" reason="r" lines="10" shown="outline">\noutline (lines: declaration):\n' +
        '1-9: function a()\n(2 nested symbols not listed)\n</file>\n',
    );
  });

  it('ranges alone, and nothing at all', () => {
    const ranges = [
      { start: 1, end: 2 },
      { start: 10, end: 10 },
    ];
    assert.equal(
      renderOutline('p.ts', ['r'], LINES, { symbols: [], ranges, lineCount: 10 }),
      '<file path="p.ts" reason="r" lines="10" shown="lines 1-2, 10-10">\nlines 1-2:\nl1\n' +
        'l2\nlines 10-10:\nl10\n</file>\n',
    );
    assert.equal(
      renderOutline('p.ts', ['r'], LINES, { symbols: [], ranges: [], lineCount: 10 }),
      '<file path="p.ts" reason="r" lines="10" shown="">\n</file>\n',
    );
  });
});

describe('the lines shown around a focus line', () => {
  it('a window of eight lines each side, kept inside the file; lines outside the file ignored', () => {
    assert.deepEqual(focusRanges([20], [], 40), [{ start: 12, end: 28 }]);
    assert.deepEqual(focusRanges([2], [], 40), [{ start: 1, end: 10 }]);
    assert.deepEqual(focusRanges([39], [], 40), [{ start: 31, end: 40 }]);
    assert.deepEqual(focusRanges([0, 41], [], 40), []);
    assert.deepEqual(focusRanges([1, 40], [], 40, { context: 2 }), [
      { start: 1, end: 3 },
      { start: 38, end: 40 },
    ]);
  });

  it('the smallest enclosing symbol when it is short enough, from its first to its last line', () => {
    const symbols = [symbol('outer', 1, 50), symbol('inner', 10, 20, 1)];
    assert.deepEqual(focusRanges([15], symbols, 100), [{ start: 10, end: 20 }]);
    assert.deepEqual(focusRanges([10], symbols, 100), [{ start: 10, end: 20 }]);
    assert.deepEqual(focusRanges([20], symbols, 100), [{ start: 10, end: 20 }]);
    assert.deepEqual(focusRanges([21], symbols, 100), [{ start: 1, end: 50 }]);
    // A symbol that starts below the line does not enclose it.
    assert.deepEqual(focusRanges([20], [symbol('later', 30, 35)], 100), [{ start: 12, end: 28 }]);
    // A symbol spanning maxSymbolLines lines or more is too long: a window instead.
    assert.deepEqual(focusRanges([30], [symbol('long', 25, 35)], 100, { maxSymbolLines: 10 }), [
      { start: 22, end: 38 },
    ]);
    assert.deepEqual(focusRanges([30], [symbol('fits', 25, 34)], 100, { maxSymbolLines: 10 }), [
      { start: 25, end: 34 },
    ]);
    assert.deepEqual(focusRanges([30], [symbol('long', 1, 81)], 100), [{ start: 22, end: 38 }]);
  });

  it('ranges three lines apart or closer merge, in file order', () => {
    assert.deepEqual(
      mergeRanges([
        { start: 20, end: 22 },
        { start: 1, end: 10 },
        { start: 3, end: 4 },
        { start: 13, end: 15 },
      ]),
      [
        { start: 1, end: 15 },
        { start: 20, end: 22 },
      ],
    );
    assert.deepEqual(
      mergeRanges([
        { start: 1, end: 2 },
        { start: 6, end: 7 },
      ]),
      [
        { start: 1, end: 2 },
        { start: 6, end: 7 },
      ],
    );
  });
});

describe('a text item cut to its first lines', () => {
  it('says how many lines are missing, and leaves a short text alone', () => {
    assert.equal(truncateLines('a\nb\nc\nd', 2), 'a\nb\n[… 2 more lines not shown]');
    assert.equal(truncateLines('a\nb\nc', 3), 'a\nb\nc');
  });
});
