/**
 * A cap larger than 64K holds more files, not larger ones: past the best-ranked three,
 * each file is held to the limits of a 64K cap (whole up to 4,000 tokens, an outline up
 * to 6,400), and 30 % of the cap is kept for the last pass, which makes the best-ranked
 * outlines whole. Seen in what the ledger says of each file.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NodeWorkspaceReader } from '../../src/core/context/files/workspace';
import { WorkspaceIndex } from '../../src/core/context/files/workspaceIndex';
import { ItemFitter } from '../../src/core/context/pack/fit';
import { type TempWorkspace, makeWorkspace } from '../fixtures/context/workspace';
import { candidate, module, quarter } from '../fixtures/context/packing';

const NO_ROOM = 'no room left';
const DEEPENED = 'whole: room was left once every candidate had its place';
const names = Array.from({ length: 80 }, (_, i) => `f${String(i).padStart(2, '0')}.py`);

describe('the packer with a cap over 64K', () => {
  let ws: TempWorkspace;
  let index: WorkspaceIndex;
  // Each file: 500 functions of 38 characters and twice the digits of their number (10 with one digit, 90 with
  // two, 400 with three: 1,390 digits), 21,780 characters; whole with its header (`<file path="f00.py"
  // reason="test">` and a newline, 35 characters) and `</file>` with a newline (8), 21,823: 5,456 tokens at a
  // token per four characters.
  const text = (name: string) => module(name.slice(0, 3), 500);
  before(async () => {
    ws = makeWorkspace(Object.fromEntries(names.map((name) => [name, text(name)])));
    index = await WorkspaceIndex.build([{ name: 'ws', root: ws.root }], new NodeWorkspaceReader(), { git: false });
  });
  after(() => ws.dispose());
  const fill = (cap: number, count = 30) =>
    new ItemFitter(quarter, index).fill(
      names.slice(0, count).map((name) => candidate(name)),
      cap,
      'retrieved',
    );

  it('checks its own arithmetic', () => {
    assert.equal(text('f00.py').length, 21_780);
  });

  it('holds more files than whole files in rank order would, the best-ranked ones whole', async () => {
    const cap = 100_000;
    const result = await fill(cap);
    const forms = result.included.map((item) => item.ledger.form);
    // Whole files in rank order: 100,000 / 5,456 = 18 files. Held to a 64K cap's limits, more go in.
    assert.ok(result.included.length > 18, `${result.included.length} files`);
    assert.ok(result.tokens <= cap, `${result.tokens}`);
    // In rank order, the whole files first, then the outlines: the room kept went to the best-ranked.
    assert.deepEqual(
      result.included.map((item) => item.ledger.path),
      names.slice(0, result.included.length),
    );
    const firstOutline = forms.indexOf('outline');
    assert.ok(firstOutline > 3, `first outline at ${firstOutline}`);
    assert.ok(
      forms.slice(firstOutline).every((form) => form === 'outline'),
      forms.join(' '),
    );
    // The best three went whole at once; the fourth only in the last pass, from the room kept for it.
    assert.deepEqual(
      result.included.slice(0, 4).map((item) => [item.ledger.form, item.tokens, item.ledger.note]),
      [
        ['whole', 5456, undefined],
        ['whole', 5456, undefined],
        ['whole', 5456, undefined],
        ['whole', 5456, DEEPENED],
      ],
    );
    // Each outline stayed within a 64K cap's 6,400 tokens.
    for (const item of result.included.slice(firstOutline)) assert.ok(item.tokens <= 6400, `${item.tokens}`);
    // The rest were left out to keep that room, and say so.
    assert.ok(result.dropped.length > 0);
    assert.deepEqual([...new Set(result.dropped.map((item) => item.note))], [NO_ROOM]);
  });

  it('keeps nothing back at 64K: past the first three, a file over 4,000 tokens is an outline', async () => {
    const cap = 64_000;
    const result = await fill(cap);
    assert.deepEqual(
      result.included.slice(0, 4).map((item) => item.ledger.form),
      ['whole', 'whole', 'whole', 'outline'],
    );
    assert.ok(cap - result.tokens < 6400, `${cap - result.tokens} tokens left over`);
  });

  it('gives a file past the sixteenth less and less room, so the window holds many more files', async () => {
    const cap = 200_000;
    const result = await fill(cap, 80);
    // Whole files in rank order: 200,000 / 5,456 = 36. All 80 go in.
    assert.equal(result.included.length, 80);
    assert.deepEqual(result.dropped, []);
    const note = (place: number) => result.included[place].ledger.note;
    const longer = (tokens: number) =>
      `outline: longer than the ${tokens} tokens a file may take whole before every candidate has its place`;
    // At place p (files before it) past 16, the limits of a cap of 64,000 × 16 / p, a sixteenth of it whole:
    // p = 32: 32,000 → 2,000; p = 40: 25,600 → 1,600; p = 50: 20,480 → 1,280; p = 64: the floor, a 16,000 cap's
    // 1,000, and never under 1,024.
    assert.equal(note(32), longer(2000));
    assert.equal(note(40), longer(1600));
    assert.equal(note(50), longer(1280));
    assert.equal(note(64), longer(1024));
    assert.equal(note(79), longer(1024));
  });

  it('keeps nothing back for pinned files, whatever the cap', async () => {
    const result = await new ItemFitter(quarter, index).fill(
      names.slice(0, 20).map((name) => candidate(name, { pinned: true })),
      100_000,
      'pinned',
    );
    // 18 whole files take 18 × 5,456 = 98,208 tokens; the last two go in as outlines in the 1,792 left.
    assert.deepEqual(
      result.included.map((item) => item.ledger.form),
      [...Array(18).fill('whole'), 'outline', 'outline'],
    );
    assert.deepEqual(result.dropped, []);
  });
});

describe('the packer at 64K, past the sixteenth file', () => {
  let ws: TempWorkspace;
  let index: WorkspaceIndex;
  // 380 functions: 380 × 38 characters and twice 1,030 digits (10 of one, 90 of two, 280 of three), 16,500
  // characters; with the 43 of the wrapping, 4,136 tokens whole: over the 4,000 a 64K cap lets a file take whole.
  const small = Array.from({ length: 24 }, (_, i) => `g${String(i).padStart(2, '0')}.py`);
  before(async () => {
    ws = makeWorkspace(Object.fromEntries(small.map((name) => [name, module(name.slice(0, 3), 380)])));
    index = await WorkspaceIndex.build([{ name: 'ws', root: ws.root }], new NodeWorkspaceReader(), { git: false });
  });
  after(() => ws.dispose());

  it('keeps a 64K cap’s limits for every file: they shrink only in a larger cap', async () => {
    assert.equal(module('g00', 380).length, 16_500);
    const result = await new ItemFitter(quarter, index).fill(
      small.map((name) => candidate(name)),
      64_000,
      'retrieved',
    );
    assert.deepEqual(
      result.included.slice(0, 4).map((item) => [item.ledger.form, item.tokens]),
      [
        ['whole', 4136],
        ['whole', 4136],
        ['whole', 4136],
        ['outline', result.included[3].tokens],
      ],
    );
    // The 18th file (17 before it) may still take 4,000 whole; a shrinking limit: 64,000 × 16 / 17 / 16 = 3,764.
    assert.equal(
      result.included[17].ledger.note,
      'outline: longer than the 4000 tokens a file may take whole before every candidate has its place',
    );
  });
});

describe('the packer with a cap over 64K, when the best-ranked outlines cannot go whole', () => {
  let ws: TempWorkspace;
  let index: WorkspaceIndex;
  // Three short files first (500 functions, 5,456 tokens whole, as above), then long ones: 3,800 functions, 3,800 ×
  // 38 characters and twice 14,090 digits (10 of one, 90 of two, 900 of three, 2,800 of four), 172,580 characters,
  // 43,156 tokens whole with the wrapping. None of those goes whole: a file made whole from the room kept back may
  // take 28,000 tokens at most.
  const short = ['s0.py', 's1.py', 's2.py'];
  const long = Array.from({ length: 45 }, (_, i) => `b${String(i).padStart(2, '0')}.py`);
  // Every 200th line: each outline shows 45 functions, a few thousand tokens.
  const focus = Array.from({ length: 45 }, (_, i) => 1 + 200 * i);
  before(async () => {
    ws = makeWorkspace({
      ...Object.fromEntries(short.map((name) => [name, module(name.slice(0, 2), 500)])),
      ...Object.fromEntries(long.map((name) => [name, module(name.slice(0, 3), 3800)])),
      'm24.py': module('m24', 2200),
      'm30.py': module('m30', 2700),
    });
    index = await WorkspaceIndex.build([{ name: 'ws', root: ws.root }], new NodeWorkspaceReader(), { git: false });
  });
  after(() => ws.dispose());

  it('gives the room kept for them to the candidates held back', async () => {
    assert.equal(module('b00', 3800).length, 172_580);
    const cap = 100_000;
    const result = await new ItemFitter(quarter, index).fill(
      [...short, ...long].map((name) => candidate(name, { focus })),
      cap,
      'retrieved',
    );
    // Before the room kept back goes on: 16,368 for the short files, then outlines of about 2,180 tokens until
    // 25,000 are left, (100,000 - 25,000 - 16,368) / 2,180 = 27 more, 30 files. After: the rest of the cap holds
    // about 11 more.
    assert.ok(result.tokens > cap - 1000 && result.tokens <= cap, `${result.tokens}`);
    assert.ok(result.included.length > 35, `${result.included.length} files`);
    const order = [...short, ...long];
    assert.deepEqual(
      result.included.map((item) => item.ledger.path),
      order.slice(0, result.included.length),
    );
    assert.deepEqual(
      result.included.map((item) => item.ledger.form),
      [...Array(3).fill('whole'), ...Array(result.included.length - 3).fill('outline')],
    );
    assert.deepEqual(
      result.dropped.map((item) => [item.path, item.note]),
      order.slice(result.included.length).map((path) => [path, NO_ROOM]),
    );
  });

  it('makes a file whole from the room kept back only up to 28,000 tokens', async () => {
    // 2,200 functions: 83,600 characters and twice 7,690 digits, 98,980; 24,756 tokens whole. 2,700: 102,600 and
    // twice 9,690, 121,980; 30,506 tokens whole. Either fits in the 100,000 − 16,368 left, and in half the cap.
    assert.equal(module('m24', 2200).length, 98_980);
    assert.equal(module('m30', 2700).length, 121_980);
    const fill = (name: string) =>
      new ItemFitter(quarter, index).fill(
        [...short, name].map((path) => candidate(path, { focus })),
        100_000,
        'retrieved',
      );
    const [m24] = (await fill('m24.py')).included.slice(3);
    assert.deepEqual([m24.ledger.form, m24.tokens], ['whole', 24_756]);
    const [m30] = (await fill('m30.py')).included.slice(3);
    assert.equal(m30.ledger.form, 'outline');
    assert.ok(m30.tokens < 6400, `${m30.tokens}`);
  });
});
