/**
 * Who imports a definition: the sites followed, each importer listed once, the search
 * limit, a second workspace folder, a stale lexical answer, and a file the user has open
 * that automatic context leaves out.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NodeWorkspaceReader } from '../../src/core/context/files/workspace';
import { WorkspaceIndex } from '../../src/core/context/files/workspaceIndex';
import { importerEntries, importersOf } from '../../src/core/context/rank/importers';
import { LexicalIndex } from '../../src/core/context/rank/lexicalIndex';
import type { LexicalView } from '../../src/core/context/rank/lexicalSource';
import { type TempWorkspace, makeWorkspace } from '../fixtures/context/workspace';

describe('importers of definition sites', () => {
  let ws: TempWorkspace;
  let index: WorkspaceIndex;
  let lexical: LexicalIndex;
  before(async () => {
    const tree: Record<string, string> = {
      // Imports every site: listed once, under the first site it imports.
      'app/all.py':
        'from lib.m1 import f1\nfrom lib.m2 import f2\nfrom lib.m3 import f3\nfrom lib.m4 ' +
        'import f4\nfrom lib.m5 import f5\n',
      // Both import `total`; the first says it more often, so it matches the name better.
      'app/busy.py': 'from shop.pricing import total\n\nprint(total(total(1)), total(2), total(3))\n',
      'app/quiet.py': 'from shop.pricing import total\n\nvalue = total(2)\n',
      'shop/pricing.py': 'def total(x):\n    return x\n',
    };
    for (let i = 1; i <= 5; i++) {
      tree[`lib/m${i}.py`] = `def f${i}():\n    return ${i}\n`;
      tree[`app/use${i}.py`] = `from lib.m${i} import f${i}\n\nf${i}()\n`;
    }
    ws = makeWorkspace(tree);
    index = await WorkspaceIndex.build([{ name: 'ws', root: ws.root }], new NodeWorkspaceReader(), { git: false });
    lexical = await LexicalIndex.of(index);
  });
  after(() => ws.dispose());

  const sites = [1, 2, 3, 4, 5].map((i) => ({ name: `f${i}`, path: `lib/m${i}.py` }));

  it('follows the first four sites only, in their order, and lists a file importing several once', async () => {
    const entries = await importerEntries(index, lexical, sites);
    const byPath = new Map(entries.map((entry) => [entry.path, entry.reasons]));
    assert.deepEqual(byPath.get('app/all.py'), ['imports f1 from lib/m1.py']);
    assert.equal(entries.filter((entry) => entry.path === 'app/all.py').length, 1);
    for (let i = 1; i <= 4; i++) assert.deepEqual(byPath.get(`app/use${i}.py`), [`imports f${i} from lib/m${i}.py`]);
    assert.ok(!byPath.has('app/use5.py'));
    assert.ok(!byPath.has('lib/m5.py'));
  });

  it('keeps at most the limit, best match first, and never the definition itself', async () => {
    assert.deepEqual(await importersOf(index, lexical, 'shop/pricing.py', 'total', 5), ['app/busy.py', 'app/quiet.py']);
    assert.deepEqual(await importersOf(index, lexical, 'shop/pricing.py', 'total', 1), ['app/busy.py']);
    // The definition matches `f1` best: the limit counts the other files.
    assert.deepEqual(await importersOf(index, lexical, 'lib/m1.py', 'f1', 1), ['app/use1.py']);
  });

  it('finds nothing for a file the workspace does not have', async () => {
    assert.deepEqual(await importersOf(index, lexical, 'lib/gone.py', 'f1', 5), []);
  });

  it('skips a file a stale lexical answer still lists', async () => {
    const stale: LexicalView = {
      size: lexical.size,
      bm25: lexical.bm25,
      definitionsOf: (name) => lexical.definitionsOf(name),
      importedBy: () => 0,
      search: () => [
        { id: 'app/deleted.py', score: 2, terms: ['f1'] },
        { id: 'app/use1.py', score: 1, terms: ['f1'] },
      ],
    };
    assert.deepEqual(await importersOf(index, stale, 'lib/m1.py', 'f1', 5), ['app/use1.py']);
  });

  it('keeps the limit when the definition is not among the hits', async () => {
    const hits = ['app/use1.py', 'app/all.py', 'app/use2.py'].map((id, i) => ({ id, score: 3 - i, terms: ['f1'] }));
    const view: LexicalView = {
      size: lexical.size,
      bm25: lexical.bm25,
      definitionsOf: (name) => lexical.definitionsOf(name),
      importedBy: () => 0,
      search: (_query, limit = hits.length) => hits.slice(0, limit),
    };
    assert.deepEqual(await importersOf(index, view, 'lib/m1.py', 'f1', 1), ['app/use1.py']);
    assert.deepEqual(await importersOf(index, view, 'lib/m1.py', 'f1', 2), ['app/use1.py', 'app/all.py']);
  });

  it('skips an importer deleted from disk since it was indexed', async () => {
    rmSync(join(ws.root, 'app/use5.py'));
    assert.deepEqual(await importersOf(index, lexical, 'lib/m5.py', 'f5', 10), ['app/all.py']);
  });
});

describe('importers across workspace folders', () => {
  let shop: TempWorkspace;
  let other: TempWorkspace;
  let index: WorkspaceIndex;
  before(async () => {
    shop = makeWorkspace({
      'shop/pricing.py': 'def total(x):\n    return x\n',
      'shop/checkout.py': 'from shop.pricing import total\n\ntotal(1)\n',
    });
    // Same import line in another folder: it means that folder's own shop/pricing.py, not this one.
    other = makeWorkspace({ 'tool.py': 'from shop.pricing import total\n\ntotal(2)\n' }, { name: 'other' });
    const folders = [
      { name: 'ws', root: shop.root },
      { name: 'other', root: other.root },
    ];
    index = await WorkspaceIndex.build(folders, new NodeWorkspaceReader(), { git: false });
  });
  after(() => {
    shop.dispose();
    other.dispose();
  });

  it('counts only importers in the definition folder', async () => {
    const lexical = await LexicalIndex.of(index);
    const paths = [...index.paths()];
    const definition = paths.find((path) => path.endsWith('shop/pricing.py')) as string;
    const checkout = paths.find((path) => path.endsWith('shop/checkout.py'));
    assert.ok(paths.some((path) => path.endsWith('tool.py')));
    assert.deepEqual(await importersOf(index, lexical, definition, 'total', 10), [checkout]);
  });
});
