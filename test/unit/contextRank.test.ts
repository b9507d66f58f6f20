import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NodeWorkspaceReader } from '../../src/core/context/files/workspace';
import { WorkspaceIndex } from '../../src/core/context/files/workspaceIndex';
import { importStem, resolveImports } from '../../src/core/context/rank/imports';
import { outline } from '../../src/core/context/rank/outline';
import { rankContext } from '../../src/core/context/rank/rank';
import { siblingTests } from '../../src/core/context/rank/siblings';
import { type TempWorkspace, makeWorkspace, sampleProject } from '../fixtures/context/workspace';

const RG = ['/usr/bin/rg', '/usr/local/bin/rg'].find(existsSync);

describe('imports', () => {
  const files = new Set([
    'src/a.ts',
    'src/b.tsx',
    'src/lib/index.ts',
    'src/c.js',
    'src/util.ts',
    'src/data.json',
    'pkg/__init__.py',
    'pkg/mod.py',
    'pkg/sub/deep.py',
    'pkg/sub/__init__.py',
    'tools/x.py',
    'native/a.c',
    'native/a.h',
  ]);
  const exists = (rel: string) => files.has(rel);

  it('resolve TypeScript/JavaScript specifiers the way the toolchain does', () => {
    const text = [
      "import { b } from './b';",
      "import lib from './lib';",
      "export * from './c.js';",
      "import './util.js';",
      "const data = require('./data.json');",
      "const lazy = await import('./missing');",
      "import React from 'react';",
      "import x from '@/util';",
    ].join('\n');
    assert.deepEqual(resolveImports('src/a.ts', text, exists), [
      'src/b.tsx',
      'src/c.js',
      'src/data.json',
      'src/lib/index.ts',
      'src/util.ts',
    ]);
  });

  it('resolve Python imports: relative dots, packages, absolute modules', () => {
    const text =
      'from . import (\n    mod,\n)\nfrom .sub.deep import thing\nimport pkg.sub\nfrom tools.x ' +
      'import run\nimport os, json\n';
    assert.deepEqual(resolveImports('pkg/main.py', text, exists), [
      'pkg/mod.py',
      'pkg/sub/__init__.py',
      'pkg/sub/deep.py',
      'tools/x.py',
    ]);
    assert.deepEqual(resolveImports('pkg/sub/deep.py', 'from ..mod import y\n', exists), ['pkg/mod.py']);
  });

  it('resolve quoted C includes', () => {
    assert.deepEqual(resolveImports('native/a.c', '#include "a.h"\n#include <stdio.h>\n', exists), ['native/a.h']);
  });

  it('know the name importers use', () => {
    assert.equal(importStem('src/core/chatEngine.ts'), 'chatEngine');
    assert.equal(importStem('src/lib/index.ts'), 'lib');
    assert.equal(importStem('types/global.d.ts'), 'global');
    assert.equal(importStem('pkg/__init__.py'), 'pkg');
  });
});

describe('sibling tests', () => {
  const paths = [
    'src/cart.ts',
    'src/cart.test.ts',
    'test/cart.spec.ts',
    'test/unit/other/cart.test.ts',
    'test/cartography.test.ts',
    'app/models.py',
    'app/test_models.py',
    'go/store.go',
    'go/store_test.go',
    'src/Cart.java',
  ];

  it('find a file’s tests, nearest first, at most three', () => {
    assert.deepEqual(
      siblingTests('src/cart.ts', paths).map(([path]) => path),
      ['src/cart.test.ts', 'test/cart.spec.ts', 'test/unit/other/cart.test.ts'],
    );
    assert.deepEqual(siblingTests('app/models.py', paths), [['app/test_models.py', 'test of the active file']]);
    assert.deepEqual(
      siblingTests('go/store.go', paths).map(([path]) => path),
      ['go/store_test.go'],
    );
  });

  it('find the subject of a test', () => {
    assert.deepEqual(siblingTests('test/cart.spec.ts', paths)[0], [
      'src/cart.ts',
      'code under test of the active file',
    ]);
  });
});

describe('outline', () => {
  it('lists TypeScript declarations and methods with their spans', () => {
    const text =
      'import x from "y";\n\nexport class Cart {\n  private items = [];\n  add(item: Item): void {\n' +
      '    this.items.push(item);\n  }\n  get size(): number {\n    return 1;\n  }\n}\n\nexport ' +
      'function total(a: number) {\n  if (a) {\n    call(a)\n  }\n  return a;\n}\nexport type Id = ' +
      'string;\nconst helper = (a: number) => a;\n';
    const symbols = outline('cart.ts', text).map((s) => `${s.depth}:${s.kind}:${s.name}:${s.line}-${s.endLine}`);
    assert.deepEqual(symbols, [
      '0:class:Cart:3-11',
      '1:method:add:5-7',
      '1:method:size:8-10',
      '0:function:total:13-18',
      '0:type:Id:19-19',
      '0:function:helper:20-20',
    ]);
  });

  it('lists Python classes and functions by indentation', () => {
    const text =
      'import os\n\nclass Order:\n    def total(self):\n        return 1\n\n    async def pay(self):\n' +
      '        pass\n\ndef main():\n    pass\n';
    assert.deepEqual(
      outline('m.py', text).map((s) => `${s.depth}:${s.name}:${s.line}-${s.endLine}`),
      ['0:Order:3-8', '1:total:4-5', '1:pay:7-8', '0:main:10-11'],
    );
  });

  it('covers Go, Rust, Java and markdown headings', () => {
    assert.deepEqual(
      outline(
        'a.go',
        'package a\n\ntype Store struct {\n  n int\n}\n\nfunc (s *Store) Get() int {\n  return s.n\n}\n',
      ).map((s) => s.name),
      ['Store', 'Get'],
    );
    assert.deepEqual(
      outline('a.rs', 'pub struct A {}\nimpl A {\n    pub fn new() -> Self {\n        A {}\n    }\n}\n').map(
        (s) => s.name,
      ),
      ['A', 'A', 'new'],
    );
    assert.deepEqual(
      outline('A.java', 'public class A {\n  public int run(int x) {\n    return x;\n  }\n}\n').map((s) => s.name),
      ['A', 'run'],
    );
    assert.deepEqual(
      outline('README.md', '# Title\ntext\n## Part\n```\n# not a heading\n```\n').map(
        (s) => `${s.depth}:${s.name}:${s.line}-${s.endLine}`,
      ),
      ['0:Title:1-6', '1:Part:3-6'],
    );
  });
});

describe('ranking', () => {
  let ws: TempWorkspace;
  let index: WorkspaceIndex;
  before(async () => {
    ws = makeWorkspace(sampleProject());
    index = await WorkspaceIndex.build([{ name: 'ws', root: ws.root }], new NodeWorkspaceReader(), {
      git: false,
      rgPath: RG,
    });
  });
  after(() => ws.dispose());

  it('pins mentions and the active file, then ranks its neighbours above plain matches, saying why', async () => {
    const ranking = await rankContext(
      index,
      'why is the total wrong?',
      {
        activeFile: join(ws.root, 'src/cart.ts'),
        mentions: [
          { kind: 'file', path: 'README.md' },
          { kind: 'text', id: 'git', title: 'git diff', text: 'diff --git a b', reason: '@git' },
        ],
      },
      { rgPath: RG },
    );
    assert.deepEqual(
      ranking.pinned.map((c) => c.key),
      ['file:README.md', 'text:git', 'file:src/cart.ts'],
    );
    // Neighbours first (a file with several reasons may pass a single strong one), then plain matches.
    const top = ranking.ranked.slice(0, 4).map((c) => c.path);
    assert.deepEqual([...top].sort(), ['src/checkout.ts', 'src/pricing.ts', 'src/types.ts', 'test/cart.test.ts']);
    assert.deepEqual(
      ranking.ranked
        .slice(4)
        .map((c) => c.path)
        .sort(),
      ['app/models.py', 'app/test_models.py'],
    );
    assert.ok(ranking.ranked.slice(4).every((c) => c.reasons.length === 1 && c.reasons[0] === 'mentions "total"'));
    assert.ok(ranking.ranked[3].score > ranking.ranked[4].score);
    const reasons = Object.fromEntries(ranking.ranked.map((c) => [c.path, c.reasons[0]]));
    assert.equal(reasons['src/pricing.ts'], 'imported by the active file');
    assert.equal(reasons['test/cart.test.ts'], 'test of the active file');
    assert.equal(reasons['src/checkout.ts'], 'imports the active file');
    assert.ok(!ranking.ranked.some((c) => c.path === 'src/unrelated.ts'));
  });

  it('pins a feature’s file under its own reason and focus, once, and ranks its neighbours', async () => {
    const cart = join(ws.root, 'src/cart.ts');
    const ranking = await rankContext(index, 'explain', {
      activeFile: cart,
      mentions: [{ kind: 'file', path: cart, reason: 'explained file', focus: [3, 4] }],
    });
    assert.deepEqual(
      ranking.pinned.map((c) => [c.key, c.reasons, c.focus]),
      [['file:src/cart.ts', ['explained file'], [3, 4]]],
    );
    assert.equal(ranking.ranked.find((c) => c.path === 'src/pricing.ts')?.reasons[0], 'imported by the active file');
  });

  it('refuses pinned files the policy denies, and records why', async () => {
    const ranking = await rankContext(index, 'x', {
      mentions: [
        { kind: 'file', path: '.env' },
        { kind: 'file', path: 'dist/bundle.js' },
      ],
    });
    assert.deepEqual(
      ranking.refused.map((item) => item.title),
      ['.env'],
    );
    assert.match(ranking.refused[0].note ?? '', /secrets/);
    assert.deepEqual(
      ranking.pinned.map((c) => c.path),
      ['dist/bundle.js'],
    );
  });

  it('uses editor signals: diagnostics with their lines, open and recently edited files', async () => {
    const ranking = await rankContext(index, '', {
      diagnostics: [{ path: join(ws.root, 'src/checkout.ts'), line: 4, severity: 'error', message: 'x' }],
      openEditors: ['app/db.py'],
      recentlyEdited: ['src/types.ts'],
    });
    const byPath = new Map(ranking.ranked.map((c) => [c.path, c]));
    assert.deepEqual(byPath.get('src/checkout.ts')?.focus, [4]);
    assert.deepEqual(
      ranking.ranked.map((c) => c.path),
      ['src/checkout.ts', 'src/types.ts', 'app/db.py'],
    );
  });

  it('ranks the same way every time', async () => {
    const signals = { activeFile: 'app/models.py' };
    const a = await rankContext(index, 'Order total connect computeTotal', signals, { rgPath: RG });
    const b = await rankContext(index, 'Order total connect computeTotal', signals, { rgPath: RG });
    assert.deepEqual(a.ranked, b.ranked);
    assert.deepEqual(
      a.ranked
        .slice(0, 2)
        .map((c) => c.path)
        .sort(),
      ['app/db.py', 'app/test_models.py'],
    );
    assert.ok(
      a.ranked.every(
        (c, i) =>
          i === 0 ||
          a.ranked[i - 1].score > c.score ||
          (a.ranked[i - 1].score === c.score && (a.ranked[i - 1].path as string) < (c.path as string)),
      ),
    );
  });
});
