/**
 * The packer's limits, each seen in what goes into the context: how much one outline
 * may take, which symbols a long outline keeps, how ranges are given up, what a pasted
 * text costs at the edge, and what happens when a file cannot be read.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NodeWorkspaceReader } from '../../src/core/context/files/workspace';
import { WorkspaceIndex } from '../../src/core/context/files/workspaceIndex';
import { ItemFitter, looksMinified } from '../../src/core/context/pack/fit';
import type { TokenCounter } from '../../src/core/context/tokens/tokenCounter';
import type { Candidate } from '../../src/core/context/types';
import { type TempWorkspace, makeWorkspace } from '../fixtures/context/workspace';
import { candidate, module, quarter } from '../fixtures/context/packing';

/** A reader whose disk fails for one file once the index is built. */
class FlakyReader extends NodeWorkspaceReader {
  failing = false;
  override async readFile(absPath: string): Promise<Uint8Array> {
    if (this.failing && absPath.endsWith('flaky.py')) throw new Error('disk on fire');
    return super.readFile(absPath);
  }
}

/** The numbers of the `alpha_N` functions an outline lists (its symbol lines, not the ranges it shows). */
function listed(text: string): number[] {
  return [...text.matchAll(/^\d+-\d+: def alpha_(\d+)/gm)].map((match) => Number(match[1]));
}

describe('the packer’s limits', () => {
  let ws: TempWorkspace;
  let index: WorkspaceIndex;
  const reader = new FlakyReader();
  before(async () => {
    ws = makeWorkspace({
      'a.py': 'A = 1\n',
      'b.py': 'B = 2\n',
      'c.py': 'C = 3\n',
      'huge.py': module('huge', 3000),
      'long_a.py': module('alpha', 200),
      'flaky.py': 'F = 1\n',
      'notes.txt': Array.from({ length: 500 }, (_, i) => `note ${i}`).join('\n'),
    });
    index = await WorkspaceIndex.build([{ name: 'ws', root: ws.root }], reader, { git: false });
  });
  after(() => ws.dispose());
  const fitter = (counter: TokenCounter = quarter) => new ItemFitter(counter, index);

  it('lets one retrieved outline take at most a tenth of the cap, however much room is left', async () => {
    const cap = 40_000;
    const result = await fitter().fill(
      ['a.py', 'b.py', 'c.py', 'huge.py'].map((path) => candidate(path)),
      cap,
      'retrieved',
    );
    const huge = result.included.find((item) => item.ledger.path === 'huge.py');
    assert.equal(huge?.ledger.form, 'outline');
    assert.ok((huge?.tokens ?? 0) <= cap / 10, `${huge?.tokens}`);
    assert.ok((huge?.tokens ?? 0) > 100, 'an outline, not an empty shell');
  });

  it('lets a pinned outline take all the room there is', async () => {
    const cap = 30_000;
    const result = await fitter().fill([candidate('huge.py', { pinned: true })], cap, 'pinned');
    const item = result.included[0];
    assert.equal(item.ledger.form, 'outline');
    assert.ok(item.tokens > cap / 10 && item.tokens <= cap, `${item.tokens}`);
    assert.match(item.text, /def huge_2999\(value\)/);
    assert.doesNotMatch(item.text, /symbols not listed/);
  });

  it('says the best-ranked file did not fit in 60 % of the cap, and the next one in a third', async () => {
    // long_a.py takes 2,257 tokens whole.
    const first = await fitter().fill([candidate('long_a.py')], 3000, 'retrieved');
    assert.equal(first.included[0].ledger.form, 'outline');
    assert.equal(first.included[0].ledger.note, 'outline: the whole file does not fit in 1800 tokens');
    // With 4,000 it goes whole as the best-ranked file, and as an outline after another one.
    const alone = await fitter().fill([candidate('long_a.py')], 4000, 'retrieved');
    assert.deepEqual(
      alone.included.map((item) => [item.ledger.form, item.tokens]),
      [['whole', 2257]],
    );
    const second = await fitter().fill([candidate('a.py'), candidate('long_a.py')], 4000, 'retrieved');
    assert.deepEqual(
      second.included.map((item) => [item.ledger.path, item.ledger.form, item.ledger.note]),
      [
        ['a.py', 'whole', undefined],
        ['long_a.py', 'outline', 'outline: the whole file does not fit in 1333 tokens'],
      ],
    );
  });

  it('outlines a retrieved file with the symbols its candidate brings', async () => {
    const symbols = [{ name: 'Given', kind: 'class', line: 1, endLine: 600, depth: 0, signature: 'class Given' }];
    const result = await fitter().fill([candidate('long_a.py', { symbols })], 400, 'retrieved');
    assert.match(result.included[0].text, /1-600: class Given/);
    assert.doesNotMatch(result.included[0].text, /def alpha_0\(value\)/);
  });

  it('keeps the symbols nearest each range that matters, on both sides, and counts the rest', async () => {
    // alpha_N is defined on line 3N + 1.
    const result = await fitter().fill([candidate('long_a.py', { focus: [31, 571] })], 400, 'retrieved');
    const item = result.included[0];
    const shown = listed(item.text);
    const omitted = Number(/\((\d+) more symbols not listed\)/.exec(item.text)?.[1]);
    assert.equal(shown.length + omitted, 200);
    for (const near of [9, 10, 11, 189, 190, 191]) assert.ok(shown.includes(near), `${near} in ${shown}`);
    assert.ok(
      shown.every((n) => Math.abs(n - 10) <= shown.length || Math.abs(n - 190) <= shown.length),
      `${shown}`,
    );
  });

  it('gives up ranges, last first, before it gives up a file with no outline', async () => {
    const focus = [50, 150, 250, 350];
    const all = await fitter().fill([candidate('notes.txt', { focus })], 600, 'retrieved');
    assert.equal(all.included[0].ledger.ranges?.length, 4);
    const fewer = await fitter().fill([candidate('notes.txt', { focus })], all.included[0].tokens - 20, 'retrieved');
    const ranges = fewer.included[0]?.ledger.ranges ?? [];
    assert.ok(ranges.length >= 1 && ranges.length < 4, `${ranges.length}`);
    assert.deepEqual(ranges, all.included[0].ledger.ranges?.slice(0, ranges.length));
    // Room for the header alone: an outline with nothing in it is not worth sending.
    const none = await fitter().fill([candidate('notes.txt', { focus })], 40, 'retrieved');
    assert.equal(none.included.length, 0);
    assert.match(none.dropped[0].note ?? '', /^does not fit/);
  });

  it('puts a pasted text whole when it costs exactly the room, and marks it included', async () => {
    const pasted: Candidate = {
      ...candidate('x'),
      key: 'text:p',
      path: undefined,
      title: 'paste',
      text: 'p\n'.repeat(99),
    };
    const cost = (await fitter().fill([pasted], 10_000, 'pinned')).included[0].tokens;
    const exact = await fitter().fill([pasted], cost, 'pinned');
    assert.equal(exact.included[0].ledger.note, undefined);
    assert.equal(exact.included[0].ledger.included, true);
    assert.equal(exact.included[0].tokens, cost);
  });

  it('puts a file whole when it costs exactly the room', async () => {
    const cost = (await fitter().fill([candidate('long_a.py', { pinned: true })], 100_000, 'pinned')).included[0]
      .tokens;
    const exact = await fitter().fill([candidate('long_a.py', { pinned: true })], cost, 'pinned');
    assert.deepEqual(
      exact.included.map((item) => [item.ledger.form, item.tokens]),
      [['whole', cost]],
    );
  });

  it('says why a file could not be read when the disk fails', async () => {
    reader.failing = true;
    try {
      const result = await fitter().fill([candidate('flaky.py')], 1000, 'retrieved');
      assert.deepEqual(
        result.dropped.map((item) => [item.path, item.included, item.note]),
        [['flaky.py', false, 'could not be read: disk on fire']],
      );
    } finally {
      reader.failing = false;
    }
  });

  it('does not count a file far beyond the room: the tokenizer is not run on it', async () => {
    const counted: number[] = [];
    const counting: TokenCounter = { ...quarter, count: (text) => (counted.push(text.length), quarter.count(text)) };
    await fitter(counting).fill([candidate('long_a.py'), candidate('huge.py')], 5000, 'retrieved');
    assert.ok(Math.max(...counted) < 100_000, `${Math.max(...counted)}`);
  });

  it('counts a file whose text is denser than first thought once it has seen one', async () => {
    // Eight characters a token: more than the first guess allows for.
    const dense: TokenCounter = { name: 'dense', exact: true, count: (text) => Math.ceil(text.length / 8) };
    const wholeTokens = dense.count(`<file path="long_a.py" reason="test">\n${module('alpha', 200)}</file>\n`);
    const result = await fitter(dense).fill(
      [candidate('notes.txt'), candidate('long_a.py')],
      // A third of the cap, what a best-ranked file may take whole at once, is just enough.
      3 * wholeTokens + 10,
      'retrieved',
    );
    assert.deepEqual(
      result.included.map((item) => [item.ledger.path, item.ledger.form, item.ledger.note]),
      [
        ['notes.txt', 'whole', undefined],
        ['long_a.py', 'whole', undefined],
      ],
    );
  });
});

describe('minified text, at the edges', () => {
  it('calls one line of 4,096 characters minified', () => {
    assert.equal(looksMinified('x'.repeat(4096)), true);
  });

  it('allows a longest line of exactly 5,000 characters, measured after its newline', () => {
    assert.equal(looksMinified(`${'b\n'.repeat(100)}${'a'.repeat(5000)}`), false);
  });

  it('allows lines of exactly 200 characters on average', () => {
    assert.equal(looksMinified(`${'c'.repeat(199)}\n`.repeat(30) + 'c'.repeat(200)), false);
  });

  it('counts a newline at the very start as a line break', () => {
    assert.equal(looksMinified(`\n${`${'b'.repeat(150)}\n`.repeat(40)}`), false);
  });
});
