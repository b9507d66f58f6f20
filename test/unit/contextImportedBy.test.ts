/**
 * How many files import a module (rank/imports.ts, rank/lexicalDocuments.ts, rank/lexicalSource.ts), and what
 * ranking does with it: a lexical match in a module the rest of the code imports counts a little more, and says
 * so. Every expected path and count is read off the import lines by hand.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NodeWorkspaceReader } from '../../src/core/context/files/workspace';
import { WorkspaceIndex } from '../../src/core/context/files/workspaceIndex';
import { importSpecs, resolveImports } from '../../src/core/context/rank/imports';
import { LexicalDocuments, analyseFile } from '../../src/core/context/rank/lexicalDocuments';
import { AnsweredView, answerQuestions, rankingQuestions } from '../../src/core/context/rank/lexicalSource';
import { rankContext } from '../../src/core/context/rank/rank';
import { type TempWorkspace, makeWorkspace } from '../fixtures/context/workspace';

const within = (...paths: string[]) => {
  const files = new Set(paths);
  return (path: string) => files.has(path);
};

describe('the places an import may name', () => {
  it('Python: an absolute module from the root, from src/, then beside the file; a relative one from here', () => {
    const text = [
      'import pkg.core',
      'import os, pkg.util as u',
      'from pkg.models import Request',
      'from .sessions import Session',
      'from .. import hooks, compat as c',
      'from ...far import x',
    ].join('\n');
    assert.deepEqual(importSpecs('pkg/sub/api.py', text), [
      ['/pkg/models', '/src/pkg/models', 'pkg/sub/pkg/models'],
      ['pkg/sub/sessions'],
      ['pkg/hooks'],
      ['pkg/compat'],
      // Three dots: the folder holding `pkg/`.
      ['far'],
      ['/pkg/core', '/src/pkg/core', 'pkg/sub/pkg/core'],
      ['/os', '/src/os', 'pkg/sub/os'],
      ['/pkg/util', '/src/pkg/util', 'pkg/sub/pkg/util'],
    ]);
    // A file at the root looks beside itself at the root: the same place twice, found once.
    assert.deepEqual(importSpecs('main.py', 'import app\n'), [['/app', '/src/app', 'app']]);
  });

  it('scripts: a relative specifier from the folder, an alias from src/ then the root, a package not at all', () => {
    const text = "import { a } from './a';\nimport b from '../lib/b.js';\nimport c from '@/c';\nimport 'react';\n";
    assert.deepEqual(importSpecs('src/app/main.ts', text), [['src/app/a'], ['src/lib/b.js'], ['/src/c', '/c']]);
    // Out of the folder: nothing to look for.
    assert.deepEqual(importSpecs('src/main.ts', "import x from '../../x';\n"), []);
  });

  it('C: an include beside the file, then from the root', () => {
    assert.deepEqual(importSpecs('src/x.c', '#include "util.h"\n#include <stdio.h>\n'), [['src/util.h', '/util.h']]);
  });

  it('resolve to the first place that holds a file, with the language’s extensions', () => {
    const exists = within('pkg/core.py', 'src/pkg/core.py', 'pkg/sub/__init__.py', 'src/app/a.ts', 'src/c/index.ts');
    assert.deepEqual(resolveImports('pkg/x.py', 'import pkg.core\nfrom . import sub\n', exists), [
      'pkg/core.py',
      'pkg/sub/__init__.py',
    ]);
    assert.deepEqual(resolveImports('src/app/main.ts', "import './a';\nimport '@/c';\n", exists), [
      'src/app/a.ts',
      'src/c/index.ts',
    ]);
    // An include names a file as written: no extension is tried.
    const header = within('src/app/a.ts');
    assert.deepEqual(resolveImports('src/x.c', '#include "app/a.ts"\n', header), ['src/app/a.ts']);
    assert.deepEqual(resolveImports('src/x.c', '#include "app/a"\n', header), []);
  });
});

describe('how many files import a module', () => {
  const py = (path: string, text: string) => [path, analyseFile(path, text)] as const;

  it('counts each other code file once, whatever the form of its import; not tests, not itself', () => {
    const documents = new LexicalDocuments();
    for (const [path, file] of [
      py('pkg/core.py', 'from pkg import core\nimport pkg.core\n'),
      py('pkg/a.py', 'from .core import Base\nfrom . import core\n'),
      py('pkg/b.py', 'from pkg.core import Base\n'),
      py('tools/c.py', 'import pkg.core as core\n'),
      py('tests/test_core.py', 'from pkg.core import Base\n'),
      py('pkg/tests/test_a.py', 'from ..core import Base\n'),
      py('pkg/leaf.py', 'import os\n'),
    ])
      documents.set(path, file);
    assert.equal(documents.importedBy('pkg/core.py'), 3);
    assert.equal(documents.importedBy('pkg/leaf.py'), 0);
    assert.equal(documents.importedBy('pkg/missing.py'), 0);
  });

  it('follows changes: a module added after its importers, an importer changed or removed', () => {
    const documents = new LexicalDocuments();
    documents.set(...py('pkg/a.py', 'from .late import x\n'));
    documents.set(...py('pkg/b.py', 'from pkg.late import x\n'));
    assert.equal(documents.importedBy('pkg/late.py'), 0);
    documents.set(...py('pkg/late.py', 'x = 1\n'));
    assert.equal(documents.importedBy('pkg/late.py'), 2);
    documents.set(...py('pkg/a.py', 'import os\n'));
    assert.equal(documents.importedBy('pkg/late.py'), 1);
    documents.delete('pkg/b.py');
    assert.equal(documents.importedBy('pkg/late.py'), 0);
  });

  it('in a workspace of several folders, from the importer’s own folder’s root first', () => {
    const documents = new LexicalDocuments();
    documents.set(...py('api/pkg/core.py', 'x = 1\n'));
    documents.set(...py('api/pkg/a.py', 'from pkg.core import x\n'));
    documents.set(...py('web/pkg/a.py', 'from pkg.core import x\n'));
    assert.equal(documents.importedBy('api/pkg/core.py'), 1);
    // A folder named like the package is the root's own module.
    documents.set(...py('pkg/core.py', 'x = 1\n'));
    assert.equal(documents.importedBy('pkg/core.py'), 2);
  });

  it('for scripts too: relative specifiers and aliases', () => {
    const documents = new LexicalDocuments();
    const ts = (path: string, text: string) => documents.set(path, analyseFile(path, text));
    ts('src/lib/store.ts', 'export const store = 1;\n');
    ts('src/app/a.ts', "import { store } from '../lib/store';\n");
    ts('src/app/b.tsx', "import { store } from '@/lib/store';\n");
    ts('src/app/c.ts', "export * from '../lib/store.js';\n");
    assert.equal(documents.importedBy('src/lib/store.ts'), 3);
  });

  it('answers say it for the hits, and the view refuses a file that was not a hit', () => {
    const documents = new LexicalDocuments();
    documents.set(...py('pkg/core.py', 'def frobnicate():\n    pass\n'));
    documents.set(...py('pkg/leaf.py', 'def frobnicate_leaf():\n    frobnicate()\n'));
    documents.set(...py('pkg/a.py', 'from pkg.core import frobnicate\n'));
    documents.set(...py('pkg/b.py', 'from .core import frobnicate\n'));
    const questions = rankingQuestions(new Map([['frobnicate', 1]]), [], undefined);
    const answers = answerQuestions(documents, questions);
    assert.deepEqual([...answers.hits.map((hit) => hit.id)].sort(), [
      'pkg/a.py',
      'pkg/b.py',
      'pkg/core.py',
      'pkg/leaf.py',
    ]);
    assert.deepEqual(answers.importedBy, [['pkg/core.py', 2]]);
    const view = new AnsweredView(questions, answers);
    assert.equal(view.importedBy('pkg/core.py'), 2);
    assert.equal(view.importedBy('pkg/leaf.py'), 0);
    assert.throws(() => view.importedBy('pkg/other.py'), /was not asked what imports pkg\/other\.py/);
  });
});

describe('ranking with the files that import a module', () => {
  let ws: TempWorkspace;
  let index: WorkspaceIndex;
  // Two files with the same text: on their own they tie, and the tie goes to `a_leaf.py` by path. Ten modules
  // import `z_core.py`, none of them with the request's words; three tests import `a_leaf.py`.
  const body = 'def frobnicate(widget):\n    return widget.spin()\n';
  before(async () => {
    const tree: Record<string, string> = { 'a_leaf.py': body, 'z_core.py': body };
    for (let i = 0; i < 10; i++) tree[`mods/m${i}.py`] = `from z_core import frobnicate as f${i}\n`;
    for (let i = 0; i < 3; i++) tree[`tests/test_leaf${i}.py`] = `import a_leaf\n`;
    ws = makeWorkspace(tree);
    index = await WorkspaceIndex.build([{ name: 'ws', root: ws.root }], new NodeWorkspaceReader(), { git: false });
  });
  after(() => ws.dispose());

  it('puts the module the code imports first, and says how many import it', async () => {
    const { ranked } = await rankContext(index, 'Why does frobnicate spin the widget twice?', {});
    const [first, second] = ranked;
    assert.deepEqual([first.path, second.path], ['z_core.py', 'a_leaf.py']);
    assert.ok(first.reasons.includes('imported by 10 files'), first.reasons.join('; '));
    assert.ok(!second.reasons.some((reason) => reason.startsWith('imported by')), second.reasons.join('; '));
  });
});
