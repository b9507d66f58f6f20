/**
 * The packer's edges, each seen in what goes into the context: what a fill that keeps
 * missing still lets in, when the room left counts as none, how an asked-for range is
 * clamped, what is never turned whole, whose symbols an outline shows. The counter takes
 * a token per four characters; the sizes below are worked out by hand from the rendering.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NodeWorkspaceReader } from '../../src/core/context/files/workspace';
import { WorkspaceIndex } from '../../src/core/context/files/workspaceIndex';
import { ItemFitter } from '../../src/core/context/pack/fit';
import type { Candidate } from '../../src/core/context/types';
import { type TempWorkspace, makeWorkspace } from '../fixtures/context/workspace';
import { candidate, module, quarter } from '../fixtures/context/packing';

/** A pasted text (no file behind it). */
const text = (id: string, body: string): Candidate => ({
  key: `text:${id}`,
  title: id,
  text: body,
  pinned: true,
  score: 100,
  reasons: ['test'],
  focus: [],
});

/** `<context title="ok" reason="test">\nok\n</context>\n`: 49 characters, 13 tokens. */
const ok = (i: number) => text(`o${i}`, 'ok');
/** One line of 8,000 characters: over any room below 2,000 tokens, and a single line cannot be cut. */
const tooLong = () => text('no', 'x'.repeat(8000));

describe('the packer at its edges', () => {
  let ws: TempWorkspace;
  let index: WorkspaceIndex;
  before(async () => {
    ws = makeWorkspace({
      'ten.py': Array.from({ length: 10 }, (_, i) => `line_${i} = ${i}`).join('\n'),
      'long_a.py': module('alpha', 200),
    });
    index = await WorkspaceIndex.build([{ name: 'ws', root: ws.root }], new NodeWorkspaceReader(), { git: false });
  });
  after(() => ws.dispose());
  const fitter = () => new ItemFitter(quarter, index);

  it('counts only misses in a row: a text that fits starts the count again', async () => {
    const misses = () => Array.from({ length: 199 }, tooLong);
    const result = await fitter().fill([...misses(), ok(1), ...misses(), ok(2)], 1000, 'pinned');
    assert.deepEqual(
      result.included.map((item) => item.text),
      ['<context title="o1" reason="test">\nok\n</context>\n', '<context title="o2" reason="test">\nok\n</context>\n'],
    );
    assert.equal(result.tokens, 26);
    const notes = result.dropped.map((item) => item.note);
    assert.equal(notes.length, 398);
    assert.deepEqual([...new Set(notes.slice(0, 199))], ['does not fit in the 1000 tokens left']);
    assert.deepEqual([...new Set(notes.slice(199))], ['does not fit in the 987 tokens left']);
  });

  it('counts a two-hundredth of a large cap as no room left', async () => {
    // A cap of 10,000: below 50 tokens left nothing more goes in. The first text takes 9,960 tokens:
    // 36 characters of opening tag, 39,792 of body, its newline and the 11 of `</context>\n`.
    const big = text('big', 'y'.repeat(39_792));
    const result = await fitter().fill([big, ok(1)], 10_000, 'pinned');
    assert.deepEqual(
      result.included.map((item) => item.tokens),
      [9960],
    );
    assert.equal(result.tokens, 9960);
    assert.deepEqual(
      result.dropped.map((item) => [item.title, item.note]),
      [['o1', 'no room left']],
    );
    // With 60 tokens left the small text goes in.
    const roomy = await fitter().fill([text('big', 'y'.repeat(39_752)), ok(1)], 10_000, 'pinned');
    assert.deepEqual(
      roomy.included.map((item) => item.tokens),
      [9950, 13],
    );
  });

  it('clamps an asked-for range that starts before the file or ends before it starts', async () => {
    const before = await fitter().fill([candidate('ten.py', { only: { start: -3, end: 2 } })], 10_000, 'pinned');
    assert.equal(
      before.included[0].text,
      '<file path="ten.py" reason="test" lines="10" shown="lines 1-2">\nlines 1-2:\nline_0 = 0\nline_1 = 1\n</file>\n',
    );
    assert.deepEqual(before.included[0].ledger.ranges, [{ start: 1, end: 2 }]);
    assert.equal(before.included[0].ledger.included, true);
    const reversed = await fitter().fill([candidate('ten.py', { only: { start: 5, end: 3 } })], 10_000, 'pinned');
    assert.deepEqual(reversed.included[0].ledger.ranges, [{ start: 5, end: 5 }]);
    assert.match(reversed.included[0].text, /\nlines 5-5:\nline_4 = 4\n<\/file>\n$/);
    const beyond = await fitter().fill([candidate('ten.py', { only: { start: 40, end: 50 } })], 10_000, 'pinned');
    assert.deepEqual(beyond.included[0].ledger.ranges, [{ start: 10, end: 10 }]);
  });

  it('keeps a retrieved excerpt an excerpt and a whole file without a note, however much room is left', async () => {
    const result = await fitter().fill(
      [candidate('ten.py', { only: { start: 2, end: 3 } }), candidate('long_a.py')],
      100_000,
      'retrieved',
    );
    assert.deepEqual(
      result.included.map((item) => [item.ledger.path, item.ledger.form, item.ledger.note]),
      [
        ['ten.py', 'excerpt', undefined],
        ['long_a.py', 'whole', undefined],
      ],
    );
    assert.equal(
      result.included[0].text,
      '<file path="ten.py" reason="test" lines="10" shown="lines 2-3">\nlines 2-3:\nline_1 = 1\nline_2 = 2\n</file>\n',
    );
  });

  it('outlines a pinned file with the symbols its candidate brings, without asking the host', async () => {
    const asked: string[] = [];
    const host = async (path: string) => {
      asked.push(path);
      return [{ name: 'Host', kind: 'class', line: 1, endLine: 600, depth: 0, signature: 'class Host' }];
    };
    const own = [{ name: 'Own', kind: 'function', line: 4, endLine: 5, depth: 0, signature: 'def own()' }];
    const result = await new ItemFitter(quarter, index, host).fill(
      [candidate('long_a.py', { pinned: true, symbols: own })],
      200,
      'pinned',
    );
    assert.deepEqual(asked, []);
    assert.equal(result.included[0].ledger.form, 'outline');
    assert.equal(result.included[0].ledger.included, true);
    assert.match(result.included[0].text, /outline \(lines: declaration\):\n4-5: def own\(\)\n/);
    assert.doesNotMatch(result.included[0].text, /class Host/);
  });
});
