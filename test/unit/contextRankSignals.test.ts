/**
 * What the editor's signals, a pasted traceback and the files a request names do to the
 * ranking a user sees: the order of the files, the reasons shown for each, its focus lines,
 * and the request's telling terms. Every expected value is worked out by hand from the
 * scores the ranker documents (SCORES, WEIGHTS): the best reason counts fully, the others a quarter.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NodeWorkspaceReader } from '../../src/core/context/files/workspace';
import { WorkspaceIndex } from '../../src/core/context/files/workspaceIndex';
import { rankContext } from '../../src/core/context/rank/rank';
import type { ContextSignals } from '../../src/core/context/types';
import { type TempWorkspace, type Tree, makeWorkspace } from '../fixtures/context/workspace';

async function workspace(tree: Tree): Promise<{ ws: TempWorkspace; index: WorkspaceIndex }> {
  const ws = makeWorkspace(tree);
  const index = await WorkspaceIndex.build([{ name: 'ws', root: ws.root }], new NodeWorkspaceReader(), { git: false });
  return { ws, index };
}

const view = async (index: WorkspaceIndex, query: string, signals: ContextSignals) =>
  (await rankContext(index, query, signals)).ranked.map((c) => ({ path: c.path, reasons: c.reasons, focus: c.focus }));

describe('editor signals on the ranking', () => {
  let ws: TempWorkspace;
  let index: WorkspaceIndex;
  before(async () => {
    const tree: Tree = {};
    for (const name of 'abcdefgh') tree[`src/${name}.ts`] = `export const value_${name} = 1;\n`;
    ({ ws, index } = await workspace(tree));
  });
  after(() => ws.dispose());

  it('combines several reasons for one file, strongest reason first, and orders files by the combination', async () => {
    const ranked = await view(index, '', {
      diagnostics: [
        { path: 'src/g.ts', line: 4, severity: 'warning', message: 'w' },
        { path: 'src/g.ts', line: 1, severity: 'warning', message: 'w' },
        { path: join(ws.root, 'src/a.ts'), line: 9, severity: 'error', message: 'e' },
        { path: 'src/a.ts', line: 3, severity: 'error', message: 'e' },
        { path: 'src/f.ts', line: 8, severity: 'warning', message: 'w' },
        { path: 'src/f.ts', line: 2, severity: 'error', message: 'e' },
        { path: 'src/b.ts', line: 5, severity: 'warning', message: 'w' },
        { path: 'src/b.ts', line: 7, severity: 'info', message: 'i' },
        { path: 'src/missing.ts', line: 1, severity: 'error', message: 'e' },
      ],
      openEditors: ['src/a.ts', 'src/c.ts', 'src/h.ts', 'missing.ts'],
      recentlyEdited: [
        'src/a.ts',
        'src/d.ts',
        'gone1',
        'gone2',
        'gone3',
        'src/h.ts',
        'gone4',
        'gone5',
        'gone6',
        'src/e.ts',
      ],
    });
    // a: 75 + (70 + 60) / 4 = 107.5; f: 75 (its warning does not count beside an error);
    // h: 60 + 55 / 4 = 73.75; d: 70 - 3 = 67; c: 60; b, g: 50 (tie: by path); e: 70 - 27 floored at 45.
    assert.deepEqual(ranked, [
      {
        path: 'src/a.ts',
        reasons: ['2 errors in Problems', 'edited recently', 'open in the editor'],
        focus: [3, 9],
      },
      { path: 'src/f.ts', reasons: ['1 error in Problems'], focus: [2] },
      { path: 'src/h.ts', reasons: ['open in the editor', 'edited recently'], focus: [] },
      { path: 'src/d.ts', reasons: ['edited recently'], focus: [] },
      { path: 'src/c.ts', reasons: ['open in the editor'], focus: [] },
      { path: 'src/b.ts', reasons: ['1 warning in Problems'], focus: [5] },
      { path: 'src/g.ts', reasons: ['2 warnings in Problems'], focus: [1, 4] },
      { path: 'src/e.ts', reasons: ['edited recently'], focus: [] },
    ]);
  });

  it('ranks nothing from the editor when it reports nothing', async () => {
    assert.deepEqual(await view(index, '', {}), []);
  });
});

describe('the active file’s neighbours', () => {
  let ws: TempWorkspace;
  let index: WorkspaceIndex;
  before(async () => {
    ({ ws, index } = await workspace({
      'src/cart.ts':
        "import { price } from './pricing';\nimport type { Item } from './types';\nexport const cart = 1;\n",
      'src/pricing.ts': 'export const price = 2;\n',
      'src/types.ts': 'export interface Item {\n  n: number;\n}\n',
      'src/checkout.ts': "import { cart } from './cart';\nexport const paid = cart;\n",
      'src/cart.test.ts': "import { cart } from './cart';\nconsole.log(cart);\n",
      'src/other.ts': 'export const other = 3;\n',
      'src/ab.ts': 'export const ab = 1;\n',
      'src/useAb.ts': "import { ab } from './ab';\nexport const useAb = ab;\n",
      'src/abc.ts': 'export const abc = 1;\n',
      'src/useAbc.ts': "import { abc } from './abc';\nexport const useAbc = abc;\n",
    }));
  });
  after(() => ws.dispose());

  it('lists its imports, its test, then its importers; an open import rises above the others', async () => {
    const ranked = await view(index, '', { activeFile: join(ws.root, 'src/cart.ts'), openEditors: ['src/types.ts'] });
    // The test, which also imports it: 85 + 80 / 4 = 105; types: 90 + 60 / 4 = 105 (tie: by path);
    // pricing 90; the plain importer 80.
    assert.deepEqual(ranked, [
      { path: 'src/cart.test.ts', reasons: ['test of the active file', 'imports the active file'], focus: [] },
      { path: 'src/types.ts', reasons: ['imported by the active file', 'open in the editor'], focus: [] },
      { path: 'src/pricing.ts', reasons: ['imported by the active file'], focus: [] },
      { path: 'src/checkout.ts', reasons: ['imports the active file'], focus: [] },
    ]);
  });

  it('looks for importers only of a name of three letters or more', async () => {
    assert.deepEqual(await view(index, '', { activeFile: 'src/ab.ts' }), []);
    assert.deepEqual(await view(index, '', { activeFile: 'src/abc.ts' }), [
      { path: 'src/useAbc.ts', reasons: ['imports the active file'], focus: [] },
    ]);
  });

  it('adds no neighbours for an active file outside the workspace', async () => {
    assert.deepEqual(await view(index, '', { activeFile: '/elsewhere/cart.ts' }), []);
  });
});

describe('traceback and named files', () => {
  let ws: TempWorkspace;
  let index: WorkspaceIndex;
  before(async () => {
    ({ ws, index } = await workspace({
      'app/main.py': 'from app.models import run\nrun()\n',
      'app/models.py': 'def run():\n    return 1\n',
      'lib/models.py': 'def other():\n    return 2\n',
      'tools/main.py': 'print(3)\n',
      'src/app/cart.ts': 'export const cart = 1;\n',
      'src/unique.ts': 'export const unique = 1;\n',
    }));
  });
  after(() => ws.dispose());

  it('ranks the files a traceback passes through, innermost first, with their lines', async () => {
    const trace = [
      'Traceback (most recent call last):',
      '  File "/home/someone/proj/app/main.py", line 2, in <module>',
      '  File "/home/someone/proj/app/models.py", line 7, in run',
      '  File "/home/someone/proj/app/models.py", line 2, in helper',
      '  File "/usr/lib/python3/json.py", line 1, in loads',
    ].join('\n');
    const ranked = (await view(index, trace, {})).filter((c) => c.reasons.includes('in the traceback'));
    // The longest matching suffix decides between two files of one name; json.py is not in the workspace.
    assert.deepEqual(ranked.map((c) => [c.path, c.focus]).sort(), [
      ['app/main.py', [2]],
      ['app/models.py', [2, 7]],
    ]);
  });

  it('ranks the files a request names, under the name it wrote', async () => {
    const ranked = await view(index, 'compare src/app/cart.ts with unique.ts please', {});
    const reasons = new Map(ranked.map((c) => [c.path, c.reasons]));
    assert.ok(reasons.get('src/app/cart.ts')?.includes('named in the request ("src/app/cart.ts")'));
    assert.ok(reasons.get('src/unique.ts')?.includes('named in the request ("unique.ts")'));
    // A path from elsewhere finds the only file of its name; two files called models.py make it name neither.
    const elsewhere = await view(index, 'look at old/unique.ts and old/models.py', {});
    const named = elsewhere.filter((c) => c.reasons.some((r) => r.startsWith('named in the request')));
    assert.deepEqual(
      named.map((c) => [c.path, c.reasons.filter((r) => r.startsWith('named'))]),
      [['src/unique.ts', ['named in the request ("old/unique.ts")']]],
    );
  });
});

describe('the request’s telling terms', () => {
  let ws: TempWorkspace;
  let index: WorkspaceIndex;
  before(async () => {
    ({ ws, index } = await workspace({
      'one.txt': 'zebra common\n',
      'two.txt': 'walrus common\n',
      'three.txt': 'common\n',
      'four.txt': 'common\n',
    }));
  });
  after(() => ws.dispose());

  it('lists the rarer term first, ties by spelling, and drops words no file has', async () => {
    const { terms } = await rankContext(index, 'common zebra walrus unicorn', {});
    assert.deepEqual(terms, ['walrus', 'zebra', 'common']);
  });
});

describe('pinned files and where a written path leads', () => {
  let ws: TempWorkspace;
  let index: WorkspaceIndex;
  before(async () => {
    ({ ws, index } = await workspace({
      'src/a.ts': 'export const a = 1;\n',
      'src/b.ts': 'export const b = 1;\n',
      'src/c.ts': 'export const c = 1;\n',
      'models.py': 'x = 1\n',
      'pkg/app/models.py': 'y = 1\n',
      'pkg/other/models.py': 'z = 1\n',
    }));
  });
  after(() => ws.dispose());

  const pins = async (signals: ContextSignals) =>
    (await rankContext(index, '', signals)).pinned.map((c) => ({
      key: c.key,
      reasons: c.reasons,
      focus: c.focus,
      only: c.only,
    }));

  it('pins a mentioned range, the active file with its selection, and a selection in another file', async () => {
    const pinned = await pins({
      mentions: [
        { kind: 'file', path: 'src/a.ts', range: { start: 2, end: 4 } },
        { kind: 'file', path: 'src/a.ts', range: { start: 6, end: 6 }, reason: 'explained' },
      ],
      activeFile: join(ws.root, 'src/b.ts'),
      selection: { path: join(ws.root, 'src/b.ts'), range: { start: 10, end: 12 }, text: 'x' },
    });
    assert.deepEqual(pinned, [
      { key: 'file:src/a.ts#2-4', reasons: ['@-mentioned (lines 2-4)'], focus: [2, 3, 4], only: { start: 2, end: 4 } },
      { key: 'file:src/a.ts#6-6', reasons: ['explained (lines 6-6)'], focus: [6], only: { start: 6, end: 6 } },
      {
        key: 'file:src/b.ts',
        reasons: ['active file', 'selection (lines 10-12)'],
        focus: [10, 11, 12],
        only: undefined,
      },
    ]);
  });

  it('focuses the cursor line without a selection, and caps a long selection elsewhere at 200 lines', async () => {
    const pinned = await pins({
      activeFile: 'src/b.ts',
      cursorLine: 7,
      selection: { path: 'src/c.ts', range: { start: 1, end: 300 }, text: 'x' },
    });
    assert.deepEqual(pinned[0], { key: 'file:src/b.ts', reasons: ['active file'], focus: [7], only: undefined });
    assert.equal(pinned[1].key, 'file:src/c.ts#1-300');
    assert.deepEqual(pinned[1].reasons, ['selection (lines 1-300)']);
    assert.equal(pinned[1].focus.length, 200);
    assert.deepEqual([pinned[1].focus[0], pinned[1].focus[199]], [1, 200]);
  });

  it('takes the file whose path ends the written one, or that the written one ends, the longest', async () => {
    const named = async (query: string) =>
      (await view(index, query, {}))
        .filter((c) => c.reasons.some((r) => r.startsWith('named in the request')))
        .map((c) => c.path);
    assert.deepEqual(await named('see app/models.py'), ['pkg/app/models.py']);
    assert.deepEqual(await named('see /srv/checkout/pkg/other/models.py'), ['pkg/other/models.py']);
    assert.deepEqual(await named('see .\\src\\a.ts'), ['src/a.ts']);
  });
});

describe('definitions of the names a request writes', () => {
  let ws: TempWorkspace;
  let index: WorkspaceIndex;
  before(async () => {
    const tree: Tree = {
      'src/pricing.ts': '// prices\n\nexport function computeTotal(n: number): number {\n  return n;\n}\n',
    };
    for (const n of [1, 2, 3, 4, 5])
      tree[`src/helper${n}.ts`] = `export function makeThing(): number {\n  return ${n};\n}\n`;
    for (const n of [1, 2, 3, 4]) tree[`lib/four${n}.ts`] = `\nexport const makeFour = ${n};\n`;
    ({ ws, index } = await workspace(tree));
  });
  after(() => ws.dispose());

  it(
    'points at the files defining a name, on its line, ' + 'up to four of them, not at a name five files define',
    async () => {
      const ranked = await view(index, 'why does computeTotal differ from makeThing and makeFour', {});
      const defining = ranked.filter((c) => c.reasons.some((r) => r.startsWith('defines ')));
      assert.deepEqual(
        defining.map((c) => [c.path, c.reasons.filter((r) => r.startsWith('defines ')), c.focus]).sort(),
        [
          ['lib/four1.ts', ['defines makeFour'], [2]],
          ['lib/four2.ts', ['defines makeFour'], [2]],
          ['lib/four3.ts', ['defines makeFour'], [2]],
          ['lib/four4.ts', ['defines makeFour'], [2]],
          ['src/pricing.ts', ['defines computeTotal'], [3]],
        ],
      );
    },
  );
});

describe('what a lexical match says', () => {
  let ws: TempWorkspace;
  let index: WorkspaceIndex;
  before(async () => {
    ({ ws, index } = await workspace({
      'a-notes.md': 'walrus zebra\n',
      'z-code.ts': 'walrus zebra\n',
      'x.ts': 'alpha beta gamma delta epsilon\n',
    }));
  });
  after(() => ws.dispose());

  it('quotes the word as the request spelled it, and puts code before prose that says the same', async () => {
    const ranked = await view(index, 'Walrus', {});
    assert.deepEqual(ranked, [
      { path: 'z-code.ts', reasons: ['mentions "Walrus"'], focus: [] },
      { path: 'a-notes.md', reasons: ['mentions "Walrus"'], focus: [] },
    ]);
  });

  it('quotes at most four matched words, and keeps every matched word among the terms', async () => {
    const ranking = await rankContext(index, 'alphaBeta gamma delta epsilon', {});
    const [hit] = ranking.ranked;
    assert.equal(hit.path, 'x.ts');
    assert.equal(hit.reasons.length, 1);
    assert.equal(hit.reasons[0].match(/"[a-z]+"/g)?.length, 4);
    assert.deepEqual([...(hit.terms ?? [])].sort(), ['alpha', 'beta', 'delta', 'epsilon', 'gamma']);
    // Each word is in the one file, so they tie and the list is alphabetical; "alphabeta" is in no file.
    assert.deepEqual(ranking.terms, ['alpha', 'beta', 'delta', 'epsilon', 'gamma']);
  });
});

describe('a plain word many files use', () => {
  let ws: TempWorkspace;
  let index: WorkspaceIndex;
  before(async () => {
    const tree: Tree = {
      'src/platform.ts': 'export const platform = 1;\n',
      'src/makeIt.ts': 'export const makeIt = 1;\n',
    };
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8]) tree[`src/use${n}.ts`] = 'console.log(platform, makeIt);\n';
    ({ ws, index } = await workspace(tree));
  });
  after(() => ws.dispose());

  it('is not taken for a pointer to its definition, while a code-shaped name is', async () => {
    const ranked = await view(index, 'why are `platform` and `makeIt` wrong', {});
    const defining = ranked.flatMap((c) => c.reasons.filter((r) => r.startsWith('defines ')).map((r) => [c.path, r]));
    assert.deepEqual(defining, [['src/makeIt.ts', 'defines makeIt']]);
  });
});
