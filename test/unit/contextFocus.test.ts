/**
 * Two choices that decide whether the lines that need the change reach the model: a
 * long file shown as ranges keeps the ranges of its most telling lines when room is
 * short, and documentation that repeats the request's words does not push the code out.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NodeWorkspaceReader } from '../../src/core/context/files/workspace';
import { WorkspaceIndex } from '../../src/core/context/files/workspaceIndex';
import { ItemFitter } from '../../src/core/context/pack/fit';
import { rankContext } from '../../src/core/context/rank/rank';
import { type TempWorkspace, makeWorkspace } from '../fixtures/context/workspace';
import { candidate, quarter } from '../fixtures/context/packing';

/** 600 comment lines of 60 characters (15 tokens each); `spam` on the `spam` lines, `widget` on line 590. */
function longFile(spam = [10, 50, 90, 130, 170]): string {
  const lines: string[] = [];
  for (let n = 1; n <= 600; n++) {
    const word = n === 590 ? 'widget' : spam.includes(n) ? 'spam' : 'filler';
    lines.push(`# ${word} line ${String(n).padStart(4, '0')} `.padEnd(60, '.'));
  }
  return lines.join('\n');
}

describe('what a long file shows when room is short', () => {
  let ws: TempWorkspace;
  let index: WorkspaceIndex;
  before(async () => {
    ws = makeWorkspace({
      'big.py': longFile(),
      'many.py': longFile(Array.from({ length: 12 }, (_, i) => 10 + 40 * i)),
    });
    index = await WorkspaceIndex.build([{ name: 'ws', root: ws.root }], new NodeWorkspaceReader(), { git: false });
  });
  after(() => ws.dispose());

  it('keeps the range of the most telling line, even when it is the last in the file', async () => {
    // 1,024 tokens for the file (60 % of 1,700 is 1,020, under the floor of 1,024): six ranges of 17 lines
    // (~255 tokens each) do not fit, three do.
    const result = await new ItemFitter(quarter, index).fill(
      [candidate('big.py', { terms: ['widget', 'spam'] })],
      1700,
      'retrieved',
    );
    const item = result.included[0];
    assert.equal(item?.ledger.form, 'outline');
    const ranges = item?.ledger.ranges ?? [];
    assert.ok(ranges.length >= 1 && ranges.length < 6, JSON.stringify(ranges));
    assert.ok(
      ranges.some((range) => range.start <= 590 && range.end >= 590),
      `line 590 (widget) is not shown: ${JSON.stringify(ranges)}`,
    );
    assert.match(item?.text ?? '', /# widget line 0590/);
    assert.ok((item?.tokens ?? 0) <= 1024);
  });

  it('shows more of the lines that hold the terms when the file may take more room', async () => {
    const fill = (cap: number) =>
      new ItemFitter(quarter, index).fill([candidate('many.py', { terms: ['widget', 'spam'] })], cap, 'retrieved');
    const shown = (text: string) => (text.match(/# (spam|widget) line/g) ?? []).length;
    // 12,000: the best-ranked file may take 60 %, 7,200 tokens, room for all 13 ranges (~255 tokens each), not the
    // whole file (9,000).
    const roomy = (await fill(12_000)).included[0];
    assert.equal(roomy?.ledger.form, 'outline');
    assert.equal(shown(roomy?.text ?? ''), 13);
    // 3,300: 1,980 tokens, room for seven ranges at most.
    const tight = shown((await fill(3300)).included[0]?.text ?? '');
    assert.ok(tight >= 1 && tight <= 7, `${tight}`);
  });
});

describe('documentation against code', () => {
  let ws: TempWorkspace;
  let index: WorkspaceIndex;
  before(async () => {
    ws = makeWorkspace({
      // The notes say the words twice, the code once: on words alone the notes win.
      'notes/overview.rst': 'Frobnicate the quux.\n\nWhen you frobnicate a quux twice, the quux is frobnicated.\n',
      'pkg/engine.py': 'def run(item):\n    return item.frobnicate(quux=None)\n',
      'pkg/other.py': 'def unrelated():\n    return 1\n',
    });
    index = await WorkspaceIndex.build([{ name: 'ws', root: ws.root }], new NodeWorkspaceReader(), { git: false });
  });
  after(() => ws.dispose());

  const order = async (query: string) => (await rankContext(index, query, {})).ranked.map((c) => c.path);

  it('ranks the code above the prose for a request about code', async () => {
    const ranked = await order('frobnicate breaks the quux');
    assert.ok(
      ranked.indexOf('pkg/engine.py') < ranked.indexOf('notes/overview.rst'),
      `code should lead: ${ranked.join(', ')}`,
    );
  });

  it('leaves the prose in front when the request is about the documentation', async () => {
    const ranked = await order('the documentation of frobnicate breaks the quux');
    assert.equal(ranked[0], 'notes/overview.rst', ranked.join(', '));
  });

  it('treats a changelog without an extension as prose', async () => {
    const { isProse } = await import('../../src/core/context/rank/prose');
    assert.equal(isProse('CHANGELOG'), true);
    assert.equal(isProse('docs/HISTORY'), true);
    assert.equal(isProse('src/history.py'), false);
    assert.equal(isProse('guide.md'), true);
  });
});

describe('a long function around the line that matters', () => {
  let ws: TempWorkspace;
  let index: WorkspaceIndex;
  // A 150-line function whose 100th line holds the term, inside a file too long to go in whole.
  const body = Array.from(
    { length: 148 },
    (_, i) => `    step_${i} = compute(${i})  # ${i === 98 ? 'widget' : 'plain'}`,
  );
  const filler = Array.from({ length: 200 }, (_, f) => `def other_${f}():\n${'    pass\n'.repeat(30)}`).join('\n');
  const text =
    `${filler}\ndef long_one():\n${body.join('\n')}\n    ` + `return None\n\n${filler.replace(/other_/g, 'tail_')}`;
  const start = text.split('\n').indexOf('def long_one():') + 1;
  before(async () => {
    ws = makeWorkspace({ 'long.py': text });
    index = await WorkspaceIndex.build([{ name: 'ws', root: ws.root }], new NodeWorkspaceReader(), { git: false });
  });
  after(() => ws.dispose());
  const fill = (cap: number) =>
    new ItemFitter(quarter, index).fill([candidate('long.py', { terms: ['widget'] })], cap, 'retrieved');

  it('shows the whole function when the room allows', async () => {
    const item = (await fill(30_000)).included[0];
    assert.equal(item?.ledger.form, 'outline');
    assert.deepEqual(item?.ledger.ranges, [{ start, end: start + 149 }]);
    assert.match(item?.text ?? '', /step_0 = compute\(0\)/);
    assert.match(item?.text ?? '', /step_147 = compute\(147\)/);
  });

  it('shows the lines around it when the room is short', async () => {
    const item = (await fill(6000)).included[0];
    const ranges = item?.ledger.ranges ?? [];
    assert.equal(ranges.length, 1, JSON.stringify(ranges));
    assert.ok(ranges[0].end - ranges[0].start <= 16, JSON.stringify(ranges));
    assert.match(item?.text ?? '', /# widget/);
    assert.doesNotMatch(item?.text ?? '', /step_0 = compute\(0\)/);
  });
});
