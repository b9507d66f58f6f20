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
import type { TokenCounter } from '../../src/core/context/tokens/tokenCounter';
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
      // 75 characters: 120 with `<file path="short.py" reason="test">\n` and `</file>\n`, 30 tokens.
      'short.py': `S = "${'s'.repeat(68)}"\n`,
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

  it('says a candidate after two hundred misses was not tried, even with exactly the least room left', async () => {
    // ok(1) takes 13 of 37 tokens: 24 are left, just enough to go on trying.
    const misses = Array.from({ length: 200 }, tooLong);
    const result = await fitter().fill([ok(1), ...misses, ok(2)], 37, 'pinned');
    assert.deepEqual(
      result.included.map((item) => item.ledger.title),
      ['o1'],
    );
    const notes = result.dropped.map((item) => item.note);
    assert.deepEqual([...new Set(notes.slice(0, 200))], ['does not fit in the 24 tokens left']);
    assert.deepEqual(notes.slice(200), ['not tried: the 200 before it did not fit']);
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

  const missing = (n: number) => Array.from({ length: n }, (_, i) => candidate(`missing${i}.py`));

  it('counts the unlisted candidates left for want of room as such', async () => {
    // short.py takes 30 tokens, 60 % of a cap of 50, leaving 20: under the 24 below which nothing is tried.
    const result = await fitter().fill([candidate('short.py'), ...missing(103)], 50, 'retrieved');
    assert.deepEqual(
      result.included.map((item) => [item.ledger.path, item.ledger.form, item.tokens]),
      [['short.py', 'whole', 30]],
    );
    assert.equal(result.dropped.length, 101);
    assert.deepEqual([...new Set(result.dropped.slice(0, 100).map((item) => item.note))], ['no room left']);
    assert.deepEqual([result.dropped[100].title, result.dropped[100].note], ['3 more candidates', 'no room left']);
  });

  it('counts the unlisted candidates not tried after two hundred misses, apart from the misses', async () => {
    const long = Array.from({ length: 200 }, () => candidate('long_a.py'));
    const result = await fitter().fill(
      [...missing(100), ...long, candidate('ten.py'), candidate('short.py')],
      30,
      'retrieved',
    );
    assert.deepEqual(result.included, []);
    assert.deepEqual(
      [result.dropped.length, result.dropped[100].title, result.dropped[100].note],
      [101, '202 more candidates', '200 too long for the room left; 2 not tried after 200 in a row did not fit'],
    );
  });

  it('lists reasons of equal count in alphabetical order, whatever came first', async () => {
    const long = Array.from({ length: 2 }, () => candidate('long_a.py'));
    const result = await fitter().fill([...missing(102), ...long], 30, 'retrieved');
    assert.deepEqual(
      [result.dropped[100].title, result.dropped[100].note],
      ['4 more candidates', '2 too long for the room left; 2 unreadable, refused or skipped'],
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

describe('cutting a pasted text to fit', () => {
  const fitter = () => new ItemFitter(quarter, {} as WorkspaceIndex);
  /** `<context title="log" reason="test">\n`: 36 characters; `</context>\n`: 11. */
  const rows = Array.from({ length: 200 }, (_, i) => `row ${String(i).padStart(3, '0')} ${'z'.repeat(27)}`);

  it('cuts in one step to what the room holds, with a little to spare', async () => {
    // Whole: 200 rows of 35 characters, 199 newlines, its last newline and 47 of tags: 7,247 characters, 1,812
    // tokens. With 500 tokens of room it keeps 200 × 500 / 1,812 × 0.95 = 52.4, so 52 rows: 1,871 characters, then
    // a newline and `[… 148 more lines not shown]` (28), then its newline and the tags: 1,948 characters, 487 tokens.
    const result = await fitter().fill([text('log', rows.join('\n'))], 500, 'pinned');
    assert.equal(
      result.included[0]?.text,
      `<context title="log" reason="test">\n${rows.slice(0, 52).join('\n')}\n` +
        '[… 148 more lines not shown]\n</context>\n',
    );
    assert.equal(result.included[0].tokens, 487);
    assert.equal(result.included[0].ledger.note, 'cut to fit');
    assert.equal(result.tokens, 487);
  });

  it('tries six times, keeping at most nine lines in ten of the last try, then gives up', async () => {
    // A message of 800 characters, then 40 short lines: cutting lines saves little, so each try keeps nine
    // tenths of the lines or fewer and the text shrinks slowly: 292, 287, 279, 273, 269, 265 tokens for 265 of room
    // (41, 36, 32, 29, 27, then 25 lines, the last of them `[… 17 more lines not shown]`).
    const lines = ['m'.repeat(800), ...Array.from({ length: 40 }, () => 'bbbbbbb')];
    const slow = text('t', lines.join('\n'));
    const sixth = await fitter().fill([slow], 265, 'pinned');
    assert.equal(
      sixth.included[0]?.text,
      `<context title="t" reason="test">\n${lines.slice(0, 24).join('\n')}\n` +
        '[… 17 more lines not shown]\n</context>\n',
    );
    assert.equal(sixth.included[0].tokens, 265);
    // With 260 of room the tries go 292, 285, 277, 271, 267, 263: a seventh (259) would fit, but none is made.
    const none = await fitter().fill([slow], 260, 'pinned');
    assert.deepEqual(none.included, []);
    assert.deepEqual(
      none.dropped.map((item) => [item.title, item.note]),
      [['t', 'does not fit in the 260 tokens left']],
    );
  });
});

describe('learning how dense the text is', () => {
  /** Eight characters a token: denser than the packer first assumes. */
  const dense: TokenCounter = { name: 'dense', exact: true, count: (text) => Math.ceil(text.length / 8) };
  /** `n` lines of 17 characters; with the 45 characters of `<file path="dNNNN.py" reason="test">\n` and `</file>\n`. */
  const values = (n: number) =>
    Array.from({ length: n }, (_, i) => `value_${String(i).padStart(3, '0')} = 1234\n`).join('');
  let ws: TempWorkspace;
  let index: WorkspaceIndex;
  before(async () => {
    // 45 + 115 × 17 = 2,000 characters whole; 45 + 116 × 17 = 2,017.
    ws = makeWorkspace({ 'd2000.py': values(115), 'd2017.py': values(116), 'long_a.py': module('alpha', 200) });
    index = await WorkspaceIndex.build([{ name: 'ws', root: ws.root }], new NodeWorkspaceReader(), { git: false });
  });
  after(() => ws.dispose());

  // long_a.py is 9,026 characters whole: 1,129 tokens at eight characters a token. At first the packer assumes no fewer
  // than 4.8 characters a token, so with 1,500 tokens of room (9,026 / 4.8 = 1,880) it does not even count it.
  it('learns the ratio from a text longer than 2,000 characters, and only then counts a dense file whole', async () => {
    const fitter = new ItemFitter(dense, index);
    const learnt = await fitter.fill(
      [candidate('d2017.py', { pinned: true }), candidate('long_a.py', { pinned: true })],
      1750,
      'pinned',
    );
    assert.deepEqual(
      learnt.included.map((item) => [item.ledger.path, item.ledger.form, item.tokens]),
      [
        ['d2017.py', 'whole', 253],
        ['long_a.py', 'whole', 1129],
      ],
    );
    assert.equal(learnt.included[1].text, `<file path="long_a.py" reason="test">\n${module('alpha', 200)}</file>\n`);
    assert.equal(learnt.tokens, 1382);
  });

  it('learns nothing from a text of exactly 2,000 characters', async () => {
    const fitter = new ItemFitter(dense, index);
    const result = await fitter.fill(
      [candidate('d2000.py', { pinned: true }), candidate('long_a.py', { pinned: true })],
      1750,
      'pinned',
    );
    assert.deepEqual(
      result.included.map((item) => [item.ledger.path, item.ledger.form, item.ledger.note]),
      [
        ['d2000.py', 'whole', undefined],
        ['long_a.py', 'outline', 'outline: the whole file does not fit in 1500 tokens'],
      ],
    );
    assert.equal(result.included[0].tokens, 250);
  });
});

describe('the symbols a long outline keeps', () => {
  let ws: TempWorkspace;
  let index: WorkspaceIndex;
  before(async () => {
    ws = makeWorkspace({ 'long_a.py': module('alpha', 200) });
    index = await WorkspaceIndex.build([{ name: 'ws', root: ws.root }], new NodeWorkspaceReader(), { git: false });
  });
  after(() => ws.dispose());
  /** The outline line of `alpha_n`, defined on line 3n + 1, returning on the next. */
  const def = (n: number) => `${3 * n + 1}-${3 * n + 2}: def alpha_${n}(value):\n`;
  const span = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => def(from + i)).join('');

  it('keeps the 32 nearest the range that matters, in file order, when 64 do not fit', async () => {
    // Line 301 is alpha_100's: the range shown is its two lines. The symbols below it are 3, 6, 9, … lines away,
    // those after it 2, 5, 8, …: the 32 nearest are alpha_100, the 16 after it and the 15 before it. All 200
    // would take 1,550 tokens and 64 of them 542, over the 400 of room; 32 take 298.
    const result = await new ItemFitter(quarter, index).fill(
      [candidate('long_a.py', { focus: [301] })],
      400,
      'retrieved',
    );
    const expected =
      '<file path="long_a.py" reason="test" lines="601" shown="outline and lines 301-302">\n' +
      'outline (lines: declaration):\n' +
      span(85, 116) +
      '(168 more symbols not listed)\n' +
      'lines 301-302:\ndef alpha_100(value):\n    return value + 100\n</file>\n';
    assert.equal(result.included[0]?.text, expected);
    assert.equal(result.included[0].tokens, 298);
    assert.deepEqual(result.included[0].ledger.ranges, [{ start: 301, end: 302 }]);
  });
});

describe('room left once every candidate has its place', () => {
  let ws: TempWorkspace;
  let index: WorkspaceIndex;
  before(async () => {
    ws = makeWorkspace({ 'a.py': 'A = 1\n', 'b.py': 'B = 2\n', 'c.py': 'C = 3\n', 'long_a.py': module('alpha', 200) });
    index = await WorkspaceIndex.build([{ name: 'ws', root: ws.root }], new NodeWorkspaceReader(), { git: false });
  });
  after(() => ws.dispose());
  const fill = (cap: number) =>
    new ItemFitter(quarter, index).fill(
      ['a.py', 'b.py', 'c.py', 'long_a.py'].map((path) => candidate(path)),
      cap,
      'retrieved',
    );
  /** `<file path="a.py" reason="test">\nA = 1\n</file>\n`: 47 characters, 12 tokens; long_a.py whole: 2,257. */
  const whole = `<file path="long_a.py" reason="test">\n${module('alpha', 200)}</file>\n`;

  it('turns the fourth file from an outline into the whole file when it takes at most half the cap', async () => {
    // The fourth file may take 1,024 tokens whole at first, so it goes in as an outline; then the whole of it
    // (2,257) is just half the cap of 4,514, and fits in what is left.
    const result = await fill(4514);
    assert.deepEqual(
      result.included.map((item) => [item.ledger.path, item.ledger.form, item.tokens, item.ledger.note]),
      [
        ['a.py', 'whole', 12, undefined],
        ['b.py', 'whole', 12, undefined],
        ['c.py', 'whole', 12, undefined],
        ['long_a.py', 'whole', 2257, 'whole: room was left once every candidate had its place'],
      ],
    );
    assert.equal(result.included[3].text, whole);
    assert.deepEqual(result.included[3].ledger.ranges, undefined);
    assert.equal(result.tokens, 2293);
  });

  it('leaves it an outline when the whole file is over half the cap', async () => {
    const result = await fill(4513);
    const last = result.included[3];
    assert.equal(last.ledger.form, 'outline');
    // A tenth of the cap is under 1,024 too: the outline had no more room than the whole file.
    assert.equal(last.ledger.note, 'outline: the whole file does not fit in 1024 tokens');
    assert.ok(last.tokens <= 1024, `${last.tokens}`);
    assert.equal(result.tokens, 36 + last.tokens);
  });
});

describe('a read that fails with something other than an error', () => {
  it('says what was thrown', async () => {
    const failing = {
      policy: {
        read: async () => {
          throw 'the disk went away';
        },
      },
      reader: {},
    } as unknown as WorkspaceIndex;
    const result = await new ItemFitter(quarter, failing).fill([candidate('gone.py')], 1000, 'retrieved');
    assert.deepEqual(
      result.dropped.map((item) => [item.path, item.note]),
      [['gone.py', 'could not be read: the disk went away']],
    );
  });
});

describe('how many lines with the request’s terms an outline shows', () => {
  let ws: TempWorkspace;
  let index: WorkspaceIndex;
  before(async () => {
    // 1,000 lines of about 30 characters (some 7,500 tokens whole); `widget` on lines 25, 75, …, 975.
    const lines = Array.from(
      { length: 1000 },
      (_, i) => `${(i + 1) % 50 === 25 ? 'widget' : 'filler'} = ${i + 1}  # pad pad`,
    );
    ws = makeWorkspace({ 'terms.txt': lines.join('\n') });
    index = await WorkspaceIndex.build([{ name: 'ws', root: ws.root }], new NodeWorkspaceReader(), { git: false });
  });
  after(() => ws.dispose());
  /** Eight lines each side of each line shown. */
  const windows = (n: number) => Array.from({ length: n }, (_, i) => ({ start: 17 + 50 * i, end: 33 + 50 * i }));

  it('shows six at least, and one more per 300 tokens the file may take', async () => {
    // The best-ranked file may take 60 % of the cap: 3,000 tokens of 5,000 give ten lines. With a cap of 1,000 its
    // outline may take all 1,000 (under the 1,024 any outline may take): three lines by the room, so six.
    const wide = await new ItemFitter(quarter, index).fill(
      [candidate('terms.txt', { terms: ['widget'] })],
      5000,
      'retrieved',
    );
    assert.equal(wide.included[0]?.ledger.form, 'outline');
    assert.deepEqual(wide.included[0].ledger.ranges, windows(10));
    assert.match(wide.included[0].text, /\nlines 467-483:\nfiller = 467 {2}# pad pad\n/);
    const narrow = await new ItemFitter(quarter, index).fill(
      [candidate('terms.txt', { terms: ['widget'] })],
      1000,
      'retrieved',
    );
    assert.deepEqual(narrow.included[0]?.ledger.ranges, windows(6));
  });

  it('counts a focus line that also holds a term once, when it halves the ranges', async () => {
    // Line 25 is the candidate's own focus and the best term line: the six lines are 25, 75, …, 275, whose six
    // ranges take 656 tokens, over the 400 of room; the first three take 332.
    const result = await new ItemFitter(quarter, index).fill(
      [candidate('terms.txt', { focus: [25], terms: ['widget'] })],
      400,
      'retrieved',
    );
    assert.deepEqual(result.included[0]?.ledger.ranges, windows(3));
    assert.equal(result.included[0].tokens, 332);
  });
});

describe('the views an outline shrinks through', () => {
  let ws: TempWorkspace;
  let index: WorkspaceIndex;
  const reads: string[] = [];
  /** A disk that notes each file read. */
  class CountingReader extends NodeWorkspaceReader {
    override async readFile(absPath: string): Promise<Uint8Array> {
      reads.push(absPath.slice(absPath.lastIndexOf('/') + 1));
      return super.readFile(absPath);
    }
  }
  // imports.py: three import lines, two blank ones, then 100 functions of three lines from line 6 on.
  const imports = `import os\nimport sys\nfrom pathlib import Path\n\n\n${module('f', 100)}`;
  // wide.py: a function of 150 lines (lines 1-150), then 100 short ones from line 151 on.
  const wide = `def big(value):\n${'    value = value + 1\n'.repeat(148)}    return value\n${module('g', 100)}`;
  before(async () => {
    ws = makeWorkspace({
      'a.py': 'A = 1\n',
      'b.py': 'B = 2\n',
      'c.py': 'C = 3\n',
      'imports.py': imports,
      'wide.py': wide,
      'long_a.py': module('alpha', 200),
      'lines.txt': Array.from({ length: 1000 }, (_, i) => `filler = ${i + 1}  # pad pad`).join('\n'),
    });
    index = await WorkspaceIndex.build([{ name: 'ws', root: ws.root }], new CountingReader(), { git: false });
  });
  after(() => ws.dispose());
  const fitter = () => new ItemFitter(quarter, index);
  const def = (n: number) => `${3 * n + 1}-${3 * n + 2}: def alpha_${n}(value):\n`;
  const span = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => def(from + i)).join('');

  it('reads each candidate once, though it reads ahead', async () => {
    reads.length = 0;
    await fitter().fill(
      ['a.py', 'b.py', 'c.py'].map((path) => candidate(path)),
      1000,
      'retrieved',
    );
    assert.deepEqual(reads.sort(), ['a.py', 'b.py', 'c.py']);
  });

  it('shows the imports beside the lines that matter', async () => {
    // f_50 is on lines 156-157.
    const result = await fitter().fill([candidate('imports.py', { focus: [156] })], 1000, 'retrieved');
    assert.equal(result.included[0]?.ledger.form, 'outline');
    assert.deepEqual(result.included[0].ledger.ranges, [
      { start: 1, end: 3 },
      { start: 156, end: 157 },
    ]);
    assert.match(
      result.included[0].text,
      /\nlines 1-3:\nimport os\nimport sys\nfrom pathlib import Path\nlines 156-157:\n/,
    );
  });

  it('shows the whole function a line falls in when it is up to 300 lines long and the room allows', async () => {
    // Whole, wide.py takes 1,829 tokens; its outline of 101 symbols with all 150 lines of big() 1,509.
    const result = await fitter().fill([candidate('wide.py', { pinned: true, focus: [75] })], 1600, 'pinned');
    assert.equal(result.included[0]?.ledger.form, 'outline');
    assert.deepEqual(result.included[0].ledger.ranges, [{ start: 1, end: 150 }]);
  });

  it('gives up ranges down to the first one', async () => {
    // One range of 17 lines takes about 120 tokens, two about 220.
    const result = await fitter().fill([candidate('lines.txt', { focus: [25, 75, 125, 175] })], 150, 'retrieved');
    assert.deepEqual(result.included[0]?.ledger.ranges, [{ start: 17, end: 33 }]);
  });

  it('keeps as few as the 8 symbols nearest the range that matters', async () => {
    // With 16 symbols and the range it would take 176 tokens; with 8, 115.
    const result = await fitter().fill([candidate('long_a.py', { focus: [301] })], 130, 'retrieved');
    const expected =
      '<file path="long_a.py" reason="test" lines="601" shown="outline and lines 301-302">\n' +
      'outline (lines: declaration):\n' +
      span(97, 104) +
      '(192 more symbols not listed)\n' +
      'lines 301-302:\ndef alpha_100(value):\n    return value + 100\n</file>\n';
    assert.equal(result.included[0]?.text, expected);
    assert.equal(result.included[0].tokens, 115);
  });

  it('shows the outline alone when the range that matters does not fit beside it', async () => {
    // The 17 lines around line 301 take some 100 tokens; the one symbol 31.
    const symbols = [{ name: 'Given', kind: 'class', line: 1, endLine: 600, depth: 0, signature: 'class Given' }];
    const result = await fitter().fill([candidate('long_a.py', { symbols, focus: [301] })], 60, 'retrieved');
    assert.equal(
      result.included[0]?.text,
      '<file path="long_a.py" reason="test" lines="601" shown="outline">\n' +
        'outline (lines: declaration):\n1-600: class Given\n</file>\n',
    );
    assert.deepEqual(result.included[0].ledger.ranges, []);
  });
});

describe('the nearest symbols, when two are as near', () => {
  let ws: TempWorkspace;
  let index: WorkspaceIndex;
  before(async () => {
    ws = makeWorkspace({ 'long_a.py': module('alpha', 200) });
    index = await WorkspaceIndex.build([{ name: 'ws', root: ws.root }], new NodeWorkspaceReader(), { git: false });
  });
  after(() => ws.dispose());
  const signature = (line: number) => `def s${line}(first_argument, second_argument, third_argument):`;

  it('keeps the one earlier in the file, in whatever order the symbols come', async () => {
    // Nine one-line symbols, 0, 10, 20, 30 and 40 lines from line 300, one on each side of it but the first: all
    // nine and the (blank) line 300 take 749 characters, 188 tokens; the nearest eight 709, 178, within the 180.
    // The host may list them last first; the outline lists them as they came.
    const lines = [340, 330, 320, 310, 300, 290, 280, 270, 260];
    const symbols = lines.map((line) => ({
      name: `s${line}`,
      kind: 'function',
      line,
      endLine: line,
      depth: 0,
      signature: signature(line),
    }));
    const result = await new ItemFitter(quarter, index).fill(
      [candidate('long_a.py', { symbols, focus: [300] })],
      180,
      'retrieved',
    );
    assert.equal(
      result.included[0]?.text,
      '<file path="long_a.py" reason="test" lines="601" shown="outline and lines 300-300">\n' +
        'outline (lines: declaration):\n' +
        lines
          .filter((line) => line !== 340)
          .map((line) => `${line}-${line}: ${signature(line)}\n`)
          .join('') +
        '(1 more symbols not listed)\nlines 300-300:\n</file>\n',
    );
    assert.equal(result.included[0].tokens, 178);
  });
});
