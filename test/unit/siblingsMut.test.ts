/**
 * A file's tests, or a test's subject (rank/siblings.ts), by the common naming conventions: every expected
 * list is written out by hand from the paths.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { siblingTests } from '../../src/core/context/rank/siblings';

const TEST = 'test of the active file';
const SUBJECT = 'code under test of the active file';
const paths = (active: string, all: string[]) => siblingTests(active, all).map(([path]) => path);

describe('sibling tests', () => {
  it('names that only contain a convention are not tests', () => {
    assert.deepEqual(
      siblingTests('src/cart.ts', ['src/latest_cart.ts', 'src/cart.test-utils.ts', 'src/cart.tested.ts']),
      [],
    );
  });

  it('the same folder beats a deeper one, and at the root too', () => {
    assert.deepEqual(paths('src/shop/cart.ts', ['src/shop/a/cart.test.ts', 'src/shop/cart.test.ts']), [
      'src/shop/cart.test.ts',
      'src/shop/a/cart.test.ts',
    ]);
    assert.deepEqual(paths('cart.ts', ['a/cart.test.ts', 'cart.test.ts']), ['cart.test.ts', 'a/cart.test.ts']);
    assert.deepEqual(paths('src/shop/cart.ts', ['a/shop/cart.test.ts', 'src/zz/cart.test.ts', 'src/cart.test.ts']), [
      'src/cart.test.ts',
      'src/zz/cart.test.ts',
      'a/shop/cart.test.ts',
    ]);
  });

  it('TypeScript and JavaScript flavours count as one language; a dotfile’s name is its stem', () => {
    assert.deepEqual(paths('x.mts', ['x.test.ts']), ['x.test.ts']);
    assert.deepEqual(paths('x.cts', ['x.test.js']), ['x.test.js']);
    assert.deepEqual(paths('x.jsx', ['x.test.tsx']), ['x.test.tsx']);
    assert.deepEqual(siblingTests('scripts/.bashrc', ['scripts/.bashrc_test']), [['scripts/.bashrc_test', TEST]]);
  });

  it('every convention: .test, .spec, -test, _test, test_, Test, Tests', () => {
    const all = [
      'a/cart.test.ts',
      'b/cart.spec.ts',
      'c/cart-test.ts',
      'd/cart_test.ts',
      'e/test_cart.ts',
      'f/cartTest.ts',
      'g/cartTests.ts',
      'h/cart.ts',
      'h/cartography.test.ts',
      'h/cart.test.md',
    ];
    const found = new Set<string>();
    // At most three each time: ask from folders that put a different one nearest.
    for (const dir of ['a', 'b', 'c', 'd', 'e', 'f', 'g'])
      for (const path of paths(`${dir}/cart.ts`, all)) if (path.startsWith(`${dir}/`)) found.add(path);
    assert.deepEqual([...found].sort(), all.slice(0, 7));
    assert.deepEqual(siblingTests('h/cart.ts', ['h/cartography.test.ts', 'h/cart.test.md', 'h/notcart.test.ts']), []);
  });

  it('the same folder first, then the most shared leading folders, then by name; at most three', () => {
    assert.deepEqual(
      siblingTests('src/shop/cart.ts', [
        'test/shop/cart.test.ts',
        'src/cart.test.ts',
        'src/shop/cart.ts',
        'src/shop/cart.spec.js',
        'src/shop/cart.test.ts',
        'src/shop/deep/cart.test.ts',
      ]),
      [
        ['src/shop/cart.spec.js', TEST],
        ['src/shop/cart.test.ts', TEST],
        ['src/shop/deep/cart.test.ts', TEST],
      ],
    );
    assert.deepEqual(
      paths('src/shop/cart.ts', ['test/shop/cart.test.ts', 'src/other/cart.test.ts', 'src/cart.test.ts']),
      ['src/cart.test.ts', 'src/other/cart.test.ts', 'test/shop/cart.test.ts'],
    );
  });

  it('the subject of a test, in the same language family only', () => {
    assert.deepEqual(
      siblingTests('test/test_models.py', ['app/models.py', 'app/models.ts', 'test/models.py', 'test/test_models.py']),
      [
        ['test/models.py', SUBJECT],
        ['app/models.py', SUBJECT],
      ],
    );
    assert.deepEqual(paths('src/CartTests.cs', ['src/Cart.cs', 'src/Cart.java', 'src/CartTests.cs']), ['src/Cart.cs']);
    assert.deepEqual(paths('cart.test.mjs', ['cart.cjs', 'cart.py', 'lib/cart.tsx']), ['cart.cjs', 'lib/cart.tsx']);
  });

  it('files without an extension, and Go tests', () => {
    assert.deepEqual(paths('tools/build', ['tools/build_test', 'tools/build_test.py', 'tools/build.test']), [
      'tools/build_test',
    ]);
    assert.deepEqual(paths('main.go', ['main_test.go', 'sub/main_test.go']), ['main_test.go', 'sub/main_test.go']);
  });
});
