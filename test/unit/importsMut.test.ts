/**
 * Which workspace files a file imports (rank/imports.ts), resolved the way the toolchains would: every
 * expected path is written out by hand from the file list and the import lines.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { importStem, joinPath, resolveImports, scriptSpecifiers } from '../../src/core/context/rank/imports';

const within = (...paths: string[]) => {
  const files = new Set(paths);
  return (rel: string) => files.has(rel);
};

describe('script imports', () => {
  it('read every specifier form once', () => {
    const text = [
      "export { a } from './a';",
      "export * as all from './all'",
      "import def, { b } from './b';",
      "import type { T } from './b';",
      "import './side';",
      "import('./lazy');",
      "require( './req' )",
      "const fromWord = 'from'; // import nothing",
    ].join('\n');
    assert.deepEqual(scriptSpecifiers(text), ['./a', './all', './b', './side', './lazy', './req']);
  });

  it('probe extensions in the toolchain’s order, .js written for .ts, and index files', () => {
    const exists = within(
      'src/x.ts',
      'src/x.tsx',
      'src/y.tsx',
      'src/z.d.ts',
      'src/v.vue',
      'src/s.svelte',
      'src/m.mts',
      'src/c.cts',
      'src/j.jsx',
      'src/k.tsx',
      'src/plain.mjs',
      'src/dir/index.js',
      'src/both.js',
      'src/both.ts',
    );
    const resolve = (spec: string) => resolveImports('src/main.ts', `import v from '${spec}';`, exists);
    assert.deepEqual(resolve('./x'), ['src/x.ts']);
    assert.deepEqual(resolve('./y'), ['src/y.tsx']);
    assert.deepEqual(resolve('./z'), ['src/z.d.ts']);
    assert.deepEqual(resolve('./v'), ['src/v.vue']);
    assert.deepEqual(resolve('./s'), ['src/s.svelte']);
    assert.deepEqual(resolve('./m.mjs'), ['src/m.mts']);
    assert.deepEqual(resolve('./c.cjs'), ['src/c.cts']);
    assert.deepEqual(resolve('./j.jsx'), ['src/j.jsx']);
    assert.deepEqual(resolve('./k.jsx'), ['src/k.tsx']);
    assert.deepEqual(resolve('./y.js'), ['src/y.tsx']);
    assert.deepEqual(resolve('./plain'), ['src/plain.mjs']);
    assert.deepEqual(resolve('./dir'), ['src/dir/index.js']);
    assert.deepEqual(resolve('./both.js'), ['src/both.ts']);
    assert.deepEqual(resolve('../src/x'), ['src/x.ts']);
    assert.deepEqual(resolve('./missing'), []);
    assert.deepEqual(resolve('../../outside'), []);
  });

  it('aliases @/ and ~/ point at src/ first, then the root; packages are not workspace files', () => {
    const exists = within('src/util.ts', 'lib.ts', 'src/lib.ts', 'node_modules/react/index.js', 'react.ts');
    const resolve = (spec: string) => resolveImports('app/main.ts', `import v from '${spec}';`, exists);
    assert.deepEqual(resolve('@/util'), ['src/util.ts']);
    assert.deepEqual(resolve('~/util'), ['src/util.ts']);
    assert.deepEqual(resolve('@/lib'), ['src/lib.ts']);
    assert.deepEqual(resolveImports('app/main.ts', "import v from '~/lib';", within('lib.ts')), ['lib.ts']);
    assert.deepEqual(resolve('react'), []);
    assert.deepEqual(resolve('@scope/pkg'), []);
  });

  it('a file importing itself is not its own import; results are sorted', () => {
    const exists = within('src/a.ts', 'src/b.ts', 'src/c.ts');
    assert.deepEqual(resolveImports('src/a.ts', "import './c';\nimport './a';\nimport './b';\n", exists), [
      'src/b.ts',
      'src/c.ts',
    ]);
  });
});

describe('python imports', () => {
  const exists = within(
    'app/models.py',
    'app/views.py',
    'app/util/__init__.py',
    'app/util/text.py',
    'src/lib/core.py',
    'stubs.pyi',
    'app/local.py',
    'top.py',
  );

  it('relative names, grouped names with aliases, packages, stubs, src/ and the file’s folder', () => {
    const text = [
      'from . import models, views as v',
      'from .util import text',
      'from .. import top',
      'from lib.core import run',
      'import stubs',
      'import local',
      'import app.util, os as system',
      'from os import path',
    ].join('\n');
    assert.deepEqual(resolveImports('app/main.py', text, exists), [
      'app/local.py',
      'app/models.py',
      'app/util/__init__.py',
      'app/views.py',
      'src/lib/core.py',
      'stubs.pyi',
      'top.py',
    ]);
    assert.deepEqual(resolveImports('app/main.py', 'from . import (\n    models,\n    views,\n)\n', exists), [
      'app/models.py',
      'app/views.py',
    ]);
    assert.deepEqual(resolveImports('app/util/text.py', 'from ..models import M\n', exists), ['app/models.py']);
  });
});

describe('C includes', () => {
  it('next to the file first, then from the root; system headers skipped', () => {
    const exists = within('native/a.h', 'include/b.h', 'native/include/b.h', 'c.h');
    assert.deepEqual(
      resolveImports(
        'native/a.c',
        '#include "a.h"\n  #  include "include/b.h"\n#include "c.h"\n#include <stdio.h>\n',
        exists,
      ),
      ['c.h', 'native/a.h', 'native/include/b.h'],
    );
  });

  it('files of no known language import nothing', () => {
    assert.deepEqual(resolveImports('notes.txt', 'import \'./a\';\n#include "a.h"\n', within('a.h', 'a.ts')), []);
  });
});

describe('paths', () => {
  it('join resolves . and .., and is empty when it climbs out', () => {
    assert.equal(joinPath('a/b', './c/../d'), 'a/b/d');
    assert.equal(joinPath('', 'x//y'), 'x/y');
    assert.equal(joinPath('a', '../..'), '');
    assert.equal(joinPath('a', '..'), '');
  });

  it('the name importers use', () => {
    assert.equal(importStem('index.ts'), 'index');
    assert.equal(importStem('a/b/index.tsx'), 'b');
    assert.equal(importStem('a/b/__init__.py'), 'b');
    assert.equal(importStem('a/b.test.ts'), 'b.test');
    assert.equal(importStem('Makefile'), 'Makefile');
  });
});

describe('import lines written loosely', () => {
  it('scripts: no space before the quote, a space before the parenthesis, every extension probed', () => {
    const exists = within(
      'src/a.ts',
      'src/b.ts',
      'src/c.ts',
      'src/comp.jsx',
      'src/conf.cjs',
      'src/esm.mts',
      'src/cm.cts',
      'src/data.json',
    );
    const text = "import a from'./a';\nimport'./b';\nrequire ('./c');\n";
    assert.deepEqual(resolveImports('src/main.ts', text, exists), ['src/a.ts', 'src/b.ts', 'src/c.ts']);
    const resolve = (spec: string) => resolveImports('src/main.ts', `import v from '${spec}';`, exists);
    assert.deepEqual(
      ['./comp', './conf', './esm', './cm', './data'].map((spec) => resolve(spec)[0]),
      ['src/comp.jsx', 'src/conf.cjs', 'src/esm.mts', 'src/cm.cts', 'src/data.json'],
    );
    assert.deepEqual(resolveImports('app/main.ts', "import v from '@/lib';", within('lib.ts')), ['lib.ts']);
  });

  it('Python: extra spaces and tabs, aliases in a list, indented imports, commented-out ones skipped', () => {
    const exists = within('pkg/mod.py', 'other.py', 'third.py', 'deep.py', 'ghost.py', 'app/models.py', 'app/views.py');
    const text = [
      'import  pkg.mod   as  mm  ,  other  as  oo,\tthird',
      'def lazy():',
      '    import deep',
      '    from  .models  import  M',
      '# import ghost',
      '# from ghost import x',
      'from . import  views',
    ].join('\n');
    assert.deepEqual(resolveImports('app/main.py', text, exists), [
      'app/models.py',
      'app/views.py',
      'deep.py',
      'other.py',
      'pkg/mod.py',
      'third.py',
    ]);
  });

  it('C: extra spaces after include, commented-out and missing headers skipped', () => {
    const exists = within('native/a.h', 'native/ghost.h');
    assert.deepEqual(
      resolveImports('native/a.c', '#include  "a.h"\n// see #include "ghost.h"\n#include "missing.h"\n', exists),
      ['native/a.h'],
    );
  });

  it('a path cannot climb out of the workspace from its root', () => {
    assert.equal(joinPath('', '../x'), '');
  });
});
