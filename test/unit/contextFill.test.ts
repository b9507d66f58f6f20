/**
 * The packer's choices, one at a time, with a counter whose counts are easy to reason
 * about (a token per four characters): what goes in whole, what as an outline, what
 * is cut, what stops the fill, and the retrieved budget.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NodeWorkspaceReader } from '../../src/core/context/files/workspace';
import { WorkspaceIndex } from '../../src/core/context/files/workspaceIndex';
import { ItemFitter, looksMinified } from '../../src/core/context/pack/fit';
import { packContext } from '../../src/core/context/pack/pack';
import { termLines } from '../../src/core/context/pack/termLines';
import type { Candidate } from '../../src/core/context/types';
import { type TempWorkspace, makeWorkspace } from '../fixtures/context/workspace';
import { candidate, module, quarter } from '../fixtures/context/packing';

describe('filling a share', () => {
  let ws: TempWorkspace;
  let index: WorkspaceIndex;
  before(async () => {
    ws = makeWorkspace({
      'long_a.py': module('alpha', 200),
      'long_b.py': module('beta', 200),
      'long_c.py': module('gamma', 200),
      'long_d.py': module('delta', 200),
      'short.py': module('short', 3),
      'tiny.py': 'x = 1\n',
    });
    index = await WorkspaceIndex.build([{ name: 'ws', root: ws.root }], new NodeWorkspaceReader(), { git: false });
  });
  after(() => ws.dispose());
  const fitter = () => new ItemFitter(quarter, index);

  it('puts the best-ranked few whole, then a long file as an outline and a short one whole after it', async () => {
    const longTokens = quarter.count(module('alpha', 200));
    // Room for three long files whole (a third of the cap each) but not a fourth.
    const cap = 3 * longTokens + 600;
    const result = await fitter().fill(
      ['long_a.py', 'long_b.py', 'long_c.py', 'long_d.py', 'short.py'].map((path) => candidate(path)),
      cap,
      'retrieved',
    );
    const forms = result.included.map((item) => [item.ledger.path, item.ledger.form]);
    assert.deepEqual(forms, [
      ['long_a.py', 'whole'],
      ['long_b.py', 'whole'],
      ['long_c.py', 'whole'],
      ['long_d.py', 'outline'],
      ['short.py', 'whole'],
    ]);
    assert.match(result.included[3].ledger.note ?? '', /^outline: the whole file does not fit in \d+ tokens/);
    assert.ok(result.tokens <= cap);
    assert.equal(
      result.tokens,
      result.included.reduce((sum, item) => sum + item.tokens, 0),
    );
  });

  it('turns outlines back into whole files, in rank order, when room is left after every candidate', async () => {
    const longTokens = quarter.count(module('alpha', 200));
    const cap = 5 * longTokens;
    const result = await fitter().fill(
      ['short.py', 'tiny.py', 'long_a.py', 'long_b.py', 'long_c.py', 'long_d.py'].map((path) => candidate(path)),
      cap,
      'retrieved',
    );
    const byPath = new Map(result.included.map((item) => [item.ledger.path, item.ledger]));
    // The third candidate is among the best few: whole at once. Those after it started as outlines.
    assert.equal(byPath.get('long_a.py')?.form, 'whole');
    assert.equal(byPath.get('long_a.py')?.note, undefined);
    assert.equal(byPath.get('long_b.py')?.form, 'whole');
    assert.equal(byPath.get('long_b.py')?.note, 'whole: room was left once every candidate had its place');
    assert.equal(byPath.get('long_c.py')?.form, 'whole');
    assert.equal(byPath.get('long_d.py')?.form, 'whole');
    assert.ok(result.tokens <= cap, `${result.tokens} > ${cap}`);
  });

  it('keeps an upgrade within the cap: the last outline stays one when its whole text would not fit', async () => {
    const longTokens = quarter.count(module('alpha', 200));
    const cap = Math.floor(2.5 * longTokens);
    const result = await fitter().fill(
      ['short.py', 'tiny.py', 'long_a.py', 'long_b.py', 'long_c.py', 'long_d.py'].map((path) => candidate(path)),
      cap,
      'retrieved',
    );
    const forms = result.included.map((item) => item.ledger.form);
    assert.ok(forms.includes('outline'), forms.join());
    assert.ok(result.tokens <= cap, `${result.tokens} > ${cap}`);
  });

  it('shows the lines that hold the request’s terms in an outline', async () => {
    const result = await fitter().fill([candidate('long_a.py', { terms: ['alpha_150'] })], 400, 'retrieved');
    const item = result.included[0];
    assert.equal(item.ledger.form, 'outline');
    const line = 150 * 3 + 1;
    assert.ok(item.ledger.ranges?.some((range) => range.start <= line && range.end >= line));
    assert.match(item.text, /def alpha_150\(value\):\n {4}return value \+ 150/);
  });

  it('puts a pasted text whole when it fits and cuts it, saying so, when it does not', async () => {
    const text = Array.from({ length: 400 }, (_, i) => `log line ${i}`).join('\n');
    const pasted: Candidate = { ...candidate('x'), key: 'text:t', path: undefined, title: 'terminal', text };
    const fits = await fitter().fill([pasted], 10_000, 'pinned');
    assert.equal(fits.included[0].ledger.form, 'text');
    assert.equal(fits.included[0].ledger.note, undefined);
    assert.match(fits.included[0].text, /log line 399/);
    const cut = await fitter().fill([pasted], 400, 'pinned');
    assert.equal(cut.included.length, 1, 'a pasted text is cut, not dropped');
    assert.equal(cut.included[0].ledger.note, 'cut to fit');
    assert.ok(cut.included[0].tokens <= 400);
    assert.match(cut.included[0].text, /more lines not shown/);
  });

  it('stops when the room left is too small to be useful, and says why each later file is out', async () => {
    const result = await fitter().fill(
      ['short.py', 'tiny.py', 'long_a.py'].map((path) => candidate(path)),
      quarter.count(module('short', 3)) + 30,
      'retrieved',
    );
    assert.deepEqual(
      result.included.map((item) => item.ledger.path),
      ['short.py'],
    );
    assert.deepEqual(
      result.dropped.map((item) => [item.path, item.note]),
      [
        ['tiny.py', 'no room left'],
        ['long_a.py', 'no room left'],
      ],
    );
  });

  it('caps what one retrieved outline may take, so one long file cannot take the share', async () => {
    const cap = 4000;
    const result = await fitter().fill(
      ['short.py', 'tiny.py', 'long_a.py'].map((path) => candidate(path)),
      cap,
      'retrieved',
    );
    const long = result.included.find((item) => item.ledger.path === 'long_a.py');
    assert.equal(long?.ledger.form, 'outline');
    assert.ok((long?.tokens ?? 0) <= Math.max(1024, cap / 2));
  });
});

describe('filling a share: edge cases', () => {
  let ws: TempWorkspace;
  let index: WorkspaceIndex;
  const minified = `var a=${'1,'.repeat(3000)}0;`;
  before(async () => {
    ws = makeWorkspace({
      'bundle.js': minified,
      'long_a.py': module('alpha', 200),
      'ten.py': Array.from({ length: 10 }, (_, i) => `line_${i} = ${i}`).join('\n'),
      '.env': 'TOKEN=x\n',
    });
    index = await WorkspaceIndex.build([{ name: 'ws', root: ws.root }], new NodeWorkspaceReader(), { git: false });
  });
  after(() => ws.dispose());
  const fitter = () => new ItemFitter(quarter, index);

  it('tells minified and bundled text from code', () => {
    assert.equal(looksMinified(minified), true);
    assert.equal(looksMinified('x'.repeat(4095)), false, 'short texts are never called minified');
    assert.equal(looksMinified(`${'a'.repeat(5001)}\n${'b\n'.repeat(100)}`), true, 'one very long line');
    assert.equal(looksMinified(`${'a'.repeat(4999)}\n${'b\n'.repeat(100)}`), false);
    assert.equal(looksMinified(`${'c'.repeat(199)}\n`.repeat(30)), false);
    assert.equal(looksMinified(`${'c'.repeat(250)}\n`.repeat(30)), true, 'long lines on average');
    assert.equal(looksMinified(module('alpha', 200)), false);
  });

  it('drops a minified file it would retrieve but keeps one the user pinned', async () => {
    const retrieved = await fitter().fill([candidate('bundle.js')], 100_000, 'retrieved');
    assert.deepEqual(
      retrieved.dropped.map((item) => item.note),
      ['minified or bundled code'],
    );
    const pinned = await fitter().fill([candidate('bundle.js', { pinned: true })], 100_000, 'pinned');
    assert.equal(pinned.included.length, 1);
  });

  it('says why a file could not be read, and what has nothing to read', async () => {
    const result = await fitter().fill(
      [candidate('missing.py'), { ...candidate('x'), path: undefined, key: 'text:none' }],
      10_000,
      'retrieved',
    );
    assert.equal(result.included.length, 0);
    assert.equal(result.dropped.length, 2);
    assert.ok(result.dropped[0].note && result.dropped[0].note.length > 0);
    assert.equal(result.dropped[1].note, 'nothing to read');
  });

  it('shows only the asked-for lines of a ranged mention, clamped to the file', async () => {
    const result = await fitter().fill([candidate('ten.py', { only: { start: 8, end: 40 } })], 10_000, 'pinned');
    const item = result.included[0];
    assert.equal(item.ledger.form, 'excerpt');
    assert.deepEqual(item.ledger.ranges, [{ start: 8, end: 10 }]);
    assert.equal(item.ledger.note, undefined);
    assert.match(item.text, /line_7 = 7\nline_8 = 8\nline_9 = 9\n/);
    assert.doesNotMatch(item.text, /line_6 = 6/);
  });

  it('lists at most a hundred dropped retrieved files and counts the rest', async () => {
    const many = Array.from({ length: 130 }, (_, i) => candidate(`missing${i}.py`));
    const result = await fitter().fill(many, 10_000, 'retrieved');
    assert.equal(result.dropped.length, 101);
    assert.equal(result.dropped[100].title, '30 more candidates');
    assert.equal(result.dropped[100].note, 'unreadable, refused or skipped', 'they were not read, room was left');
    const pinned = await fitter().fill(many, 10_000, 'pinned');
    assert.equal(pinned.dropped.length, 130, 'every pinned item is listed');
  });

  it('says why the unlisted candidates were left out, each reason counted, the most common first', async () => {
    const missing = Array.from({ length: 103 }, (_, i) => candidate(`missing${i}.py`));
    const long = Array.from({ length: 4 }, () => candidate('long_a.py'));
    const result = await fitter().fill([...missing, ...long], 30, 'retrieved');
    assert.equal(result.included.length, 0);
    assert.equal(result.dropped.length, 101);
    assert.equal(result.dropped[100].title, '7 more candidates');
    assert.equal(result.dropped[100].note, '4 too long for the room left; 3 unreadable, refused or skipped');
  });

  it('stops looking after two hundred files in a row that do not fit', async () => {
    const many = Array.from({ length: 210 }, () => candidate('long_a.py', { reasons: ['r'.repeat(8000)] }));
    const result = await fitter().fill([...many, candidate('ten.py')], 1000, 'pinned');
    assert.equal(result.included.length, 0, 'ten.py would fit, but the fill stopped looking');
    const notes = result.dropped.map((item) => item.note ?? '');
    assert.equal(notes.length, 211);
    assert.match(notes[0], /^does not fit in the 1000 tokens left$/);
    assert.equal(notes[199], notes[0]);
    assert.deepEqual([...new Set(notes.slice(200))], ['not tried: the 200 before it did not fit']);
  });

  it('stops at once when asked to', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(fitter().fill([candidate('ten.py')], 1000, 'retrieved', controller.signal), /aborted/);
  });

  it('reads files again through the access policy, leaving out what it denies', async () => {
    const read = await fitter().readFiles(['ten.py', '.env', 'missing.py']);
    assert.deepEqual(
      read.map((file) => file.path),
      ['ten.py'],
    );
    assert.match(read[0].text, /^line_0 = 0/);
  });

  it('outlines a pinned file with the host’s symbols, and lists only the nearest when there are many', async () => {
    const symbols = async () => [
      { name: 'Host', kind: 'class', line: 1, endLine: 600, depth: 0, signature: 'class Host' },
    ];
    const pinned = await new ItemFitter(quarter, index, symbols).fill(
      [candidate('long_a.py', { pinned: true, focus: [301] })],
      300,
      'pinned',
    );
    assert.equal(pinned.included[0].ledger.form, 'outline');
    assert.match(pinned.included[0].text, /1-600: class Host/);
    const retrieved = await fitter().fill([candidate('long_a.py', { focus: [301] })], 400, 'retrieved');
    assert.match(retrieved.included[0].text, /more symbols not listed/);
    assert.match(retrieved.included[0].text, /def alpha_100\(value\)/);
  });
});

describe('the retrieved budget', () => {
  let ws: TempWorkspace;
  let index: WorkspaceIndex;
  before(async () => {
    const tree: Record<string, string> = {};
    for (let i = 0; i < 20; i++) tree[`m${i}.py`] = module(`total${i}`, 40);
    ws = makeWorkspace(tree);
    index = await WorkspaceIndex.build([{ name: 'ws', root: ws.root }], new NodeWorkspaceReader(), { git: false });
  });
  after(() => ws.dispose());

  it('caps what retrieval adds, whatever the window; without a cap it fills the window', async () => {
    const ranked = [...index.paths()].map((path) => candidate(path));
    const ranking = { pinned: [], ranked, refused: [], terms: [], ms: 0 };
    const input = { counter: quarter, index, ranking, system: 'S', history: [{ role: 'user' as const, content: 'q' }] };
    const capped = await packContext({ ...input, budget: { window: 200_000, retrieved: 3000 } });
    assert.ok(capped.totals.retrieved.used <= 3000, `${capped.totals.retrieved.used}`);
    assert.equal(capped.totals.retrieved.cap, 3000);
    assert.ok(capped.totals.retrieved.used > 2500, 'the budget is used');
    const filled = await packContext({ ...input, budget: { window: 200_000 } });
    assert.ok(filled.totals.retrieved.used > 3 * capped.totals.retrieved.used);
  });
});

describe('term lines', () => {
  it('prefer lines with more and more telling terms, best first, at most the limit', () => {
    const lines = ['import os', 'def send(request):', '    hook = request.hook', 'send hook request', 'pass'];
    assert.deepEqual(termLines(lines, ['hook', 'request', 'send'], 2), [4, 3]);
    assert.deepEqual(termLines(lines, ['send'], 5), [2, 4]);
    assert.deepEqual(termLines(lines, [], 5), []);
    assert.deepEqual(termLines(lines, ['send'], 0), []);
    assert.deepEqual(termLines(lines, ['send'], -1), []);
  });

  it('pass over a line longer than a thousand characters (data, not code a person reads)', () => {
    const long = `send ${'x '.repeat(498)}`;
    assert.equal(long.length, 1001);
    assert.deepEqual(termLines([long, long.slice(0, 1000), 'send'], ['send'], 5), [2, 3]);
  });
});
