/**
 * More of the packer's choices, each seen in what goes into the context: which files,
 * in which form, with which note, and what is left out and why. The counter takes a
 * token per four characters, so the sizes below are easy to work out by hand.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NodeWorkspaceReader } from '../../src/core/context/files/workspace';
import { WorkspaceIndex } from '../../src/core/context/files/workspaceIndex';
import { ItemFitter } from '../../src/core/context/pack/fit';
import type { Candidate } from '../../src/core/context/types';
import { type TempWorkspace, makeWorkspace } from '../fixtures/context/workspace';
import { candidate, module, quarter } from '../fixtures/context/packing';

describe('the packer’s choices, seen in the context', () => {
  let ws: TempWorkspace;
  let index: WorkspaceIndex;
  const tree: Record<string, string> = {
    'long_a.py': module('alpha', 200),
    'long_b.py': module('beta', 200),
    'long_c.py': module('gamma', 200),
    'long_d.py': module('delta', 200),
    'gen/out.py': 'GENERATED = 1\n',
    '.gitignore': 'gen/\n',
  };
  for (let i = 0; i < 80; i++) tree[`mid${i}.py`] = module(`mid${i}`, 20);
  tree['notes.txt'] = Array.from({ length: 500 }, (_, i) => `note ${i}`).join('\n');
  tree['nested.py'] = Array.from(
    { length: 30 },
    (_, i) =>
      `class Shape${i}:\n    def area${i}(self):\n        def inner${i}():\n` +
      `            return ${i}\n        return inner${i}()\n${'    # padding line\n'.repeat(20)}`,
  ).join('\n');
  before(async () => {
    ws = makeWorkspace(tree);
    index = await WorkspaceIndex.build([{ name: 'ws', root: ws.root }], new NodeWorkspaceReader(), { git: false });
  });
  after(() => ws.dispose());
  const fitter = () => new ItemFitter(quarter, index);
  const mids = (n: number) => Array.from({ length: n }, (_, i) => candidate(`mid${i}.py`));

  const overTheShare =
    'after the best few, outlines a long file that is over the share one file may take whole, and says so';
  it(overTheShare, async () => {
    const cap = 16_000;
    const longs = ['long_a.py', 'long_b.py', 'long_c.py', 'long_d.py'].map((path) => candidate(path));
    const result = await fitter().fill([...longs, ...mids(80)], cap, 'retrieved');
    const d = result.included.find((item) => item.ledger.path === 'long_d.py');
    assert.equal(d?.ledger.form, 'outline');
    // A 16th of the cap (1,000) is below the 1,024 floor.
    assert.equal(
      d?.ledger.note,
      'outline: longer than the 1024 tokens a file may take whole before every candidate has its place',
    );
    // Its outline stays within a tenth of the cap (1,600).
    assert.ok((d?.tokens ?? 0) <= 1600, `${d?.tokens}`);
    assert.deepEqual(
      result.included.slice(0, 3).map((item) => item.ledger.form),
      ['whole', 'whole', 'whole'],
    );
    assert.ok(result.tokens <= cap);
  });

  it('lets one retrieved file take at most half the cap whole, when room is left after every candidate', async () => {
    const longTokens = quarter.count(module('alpha', 200));
    // The cap is a little over twice the file: a third of it is too little, half of it enough.
    const cap = 2 * longTokens + 200;
    const result = await fitter().fill([candidate('mid0.py'), candidate('long_a.py')], cap, 'retrieved');
    assert.deepEqual(
      result.included.map((item) => [item.ledger.path, item.ledger.form, item.ledger.note]),
      [
        ['mid0.py', 'whole', undefined],
        ['long_a.py', 'whole', 'whole: room was left once every candidate had its place'],
      ],
    );
    const tight = await fitter().fill(
      [candidate('mid0.py'), candidate('long_a.py')],
      2 * longTokens - 200,
      'retrieved',
    );
    assert.equal(tight.included[1].ledger.form, 'outline', 'more than half the cap: it stays an outline');
  });

  it('lists the candidates beyond a hundred as one row that says how many and why', async () => {
    const many = [...mids(80), ...Array.from({ length: 40 }, (_, i) => candidate(`missing${i}.py`))];
    const result = await fitter().fill(many, 200, 'retrieved');
    assert.equal(result.dropped.length, 101);
    assert.deepEqual(result.dropped[100], {
      key: 'more',
      title: `${many.length - result.included.length - 100} more candidates`,
      share: 'retrieved',
      pinned: false,
      reasons: [],
      score: 0,
      tokens: 0,
      included: false,
      // The forty missing files come last: read and refused, not left for want of room.
      note: 'unreadable, refused or skipped',
    });
  });

  it('reads an ignored file the user pinned, but does not retrieve it', async () => {
    const pinned = await fitter().fill([candidate('gen/out.py', { pinned: true })], 1000, 'pinned');
    assert.match(pinned.included[0]?.text ?? '', /GENERATED = 1/);
    const retrieved = await fitter().fill([candidate('gen/out.py')], 1000, 'retrieved');
    assert.equal(retrieved.included.length, 0);
    assert.deepEqual(
      retrieved.dropped.map((item) => item.note),
      ['gen/out.py is ignored by .gitignore'],
    );
  });

  it('asks the host for symbols of pinned files only, and outlines anyway when the host fails', async () => {
    const asked: string[] = [];
    const host = async (path: string) => {
      asked.push(path);
      return [{ name: 'HostOnly', kind: 'class', line: 1, endLine: 600, depth: 0, signature: 'class HostOnly' }];
    };
    const retrieved = await new ItemFitter(quarter, index, host).fill([candidate('long_a.py')], 400, 'retrieved');
    assert.doesNotMatch(retrieved.included[0].text, /HostOnly/);
    assert.deepEqual(asked, []);
    const failing = async () => Promise.reject(new Error('no symbol provider'));
    const pinned = await new ItemFitter(quarter, index, failing).fill(
      [candidate('long_a.py', { pinned: true })],
      400,
      'pinned',
    );
    assert.equal(pinned.included[0].ledger.form, 'outline');
    assert.match(pinned.included[0].text, /def alpha_0\(value\)/);
    assert.equal(pinned.included[0].ledger.note, 'outline: the whole file does not fit in 400 tokens');
  });

  it('drops a pasted single line it cannot cut small enough, saying how much room there was', async () => {
    const line: Candidate = {
      ...candidate('x'),
      key: 'text:one',
      path: undefined,
      title: 'paste',
      text: 'y'.repeat(8000),
    };
    const result = await fitter().fill([line], 300, 'pinned');
    assert.equal(result.included.length, 0);
    assert.deepEqual(
      result.dropped.map((item) => [item.key, item.note]),
      [['text:one', 'does not fit in the 300 tokens left']],
    );
  });

  it('cuts a long pasted text down in steps until it fits, keeping its first lines', async () => {
    const text = Array.from({ length: 2000 }, (_, i) => `row ${i} ${'z'.repeat(30)}`).join('\n');
    const pasted: Candidate = { ...candidate('x'), key: 'text:log', path: undefined, title: 'log', text };
    const result = await fitter().fill([pasted], 500, 'pinned');
    const item = result.included[0];
    assert.equal(item?.ledger.note, 'cut to fit');
    assert.ok(item.tokens <= 500 && item.tokens > 250, `${item.tokens}`);
    assert.match(item.text, /row 0 z+\nrow 1 z+/);
    assert.doesNotMatch(item.text, /row 1999/);
  });

  it('marks what went in as included and what was left out as not, in the ledger', async () => {
    const longTokens = quarter.count(module('alpha', 200));
    const result = await fitter().fill(
      [candidate('mid0.py'), candidate('long_a.py'), candidate('missing.py')],
      2 * longTokens + 200,
      'retrieved',
    );
    assert.deepEqual(
      result.included.map((item) => [item.ledger.path, item.ledger.included, item.ledger.share]),
      [
        ['mid0.py', true, 'retrieved'],
        ['long_a.py', true, 'retrieved'],
      ],
    );
    assert.deepEqual(
      result.dropped.map((item) => [item.path, item.included, item.tokens]),
      [['missing.py', false, 0]],
    );
  });

  it('puts a pinned file whole when it fits the cap, however large a share of it that is', async () => {
    const longTokens = quarter.count(module('alpha', 200));
    const result = await fitter().fill([candidate('long_a.py', { pinned: true })], longTokens + 100, 'pinned');
    assert.equal(result.included[0].ledger.form, 'whole');
    // Pinned files are never turned back from outlines: there is nothing to deepen.
    const outlined = await fitter().fill([candidate('long_a.py', { pinned: true })], 300, 'pinned');
    assert.equal(outlined.included[0].ledger.form, 'outline');
  });

  it('shows the first sixty lines of a long file it has no outline of', async () => {
    // The file takes about 980 tokens whole; 60 % of 1,500 is 900.
    const result = await fitter().fill([candidate('notes.txt')], 1500, 'retrieved');
    const item = result.included[0];
    assert.equal(item.ledger.form, 'outline');
    assert.deepEqual(item.ledger.ranges, [{ start: 1, end: 60 }]);
    assert.match(item.text, /note 59\n/);
    assert.doesNotMatch(item.text, /note 60\n/);
  });

  it('shrinks an outline by depth: nested functions go first, then methods, classes last', async () => {
    const sizes = [500, 300];
    const texts = await Promise.all(
      sizes.map(async (cap) => (await fitter().fill([candidate('nested.py')], cap, 'pinned')).included[0]?.text ?? ''),
    );
    // With some room: classes and their methods, no nested functions.
    assert.match(texts[0], /class Shape0/);
    assert.match(texts[0], /area0/);
    assert.doesNotMatch(texts[0], /inner0/);
    // With less: the classes alone.
    assert.match(texts[1], /class Shape0/);
    assert.doesNotMatch(texts[1], /area0/);
  });
});
