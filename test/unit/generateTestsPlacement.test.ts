/** Where the tests of a file go: its existing test file, else the project's convention. */
import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { placeTests, relativeSpecifier } from '../../src/core/tests';
import { javaTestPath, subjectStem } from '../../src/core/tests/placement';

describe('placeTests: an existing test file is appended to', () => {
  const cases: [string, string, string[], string][] = [
    ['sibling .test', 'src/a.ts', ['src/a.ts', 'src/a.test.ts'], 'src/a.test.ts'],
    ['sibling .spec in JS for TS', 'src/a.ts', ['src/a.spec.js'], 'src/a.spec.js'],
    ['__tests__', 'src/a.ts', ['src/__tests__/a.test.ts'], 'src/__tests__/a.test.ts'],
    ['__tests__ at the top', 'a.ts', ['__tests__/a.test.ts'], '__tests__/a.test.ts'],
    ['test folder', 'src/a.ts', ['test/a.test.ts'], 'test/a.test.ts'],
    ['python tests/', 'pkg/a.py', ['tests/test_a.py'], 'tests/test_a.py'],
    ['python _test', 'pkg/a.py', ['pkg/a_test.py'], 'pkg/a_test.py'],
    ['go', 'x/a.go', ['x/a_test.go'], 'x/a_test.go'],
    ['java Tests', 'src/main/java/p/A.java', ['src/test/java/p/ATests.java'], 'src/test/java/p/ATests.java'],
  ];
  for (const [name, source, paths, expected] of cases)
    test(name, () => {
      const placed = placeTests(source, 'vitest', paths);
      assert.deepEqual([placed.path, placed.mode], [expected, 'append']);
      assert.match(placed.reason, /the existing tests of/);
    });

  test('the nearest of several wins; another language does not count', () => {
    const paths = ['test/a.test.ts', 'src/a.test.ts', 'other/a.test.ts', 'src/a_test.py'];
    assert.equal(placeTests('src/a.ts', 'jest', paths).path, 'src/a.test.ts');
    assert.equal(
      placeTests('lib/x/a.ts', 'jest', ['lib/y/a.test.ts', 'lib/x/__tests__/a.test.ts']).path,
      'lib/x/__tests__/a.test.ts',
    );
    assert.equal(placeTests('src/a.ts', 'jest', ['src/a_test.py']).mode, 'create');
    assert.equal(placeTests('src/b.ts', 'jest', ['src/a.test.ts']).path, 'src/b.test.ts');
  });

  test('a Java test in the mirrored package beats one elsewhere', () => {
    const paths = ['src/test/java/other/ATest.java', 'src/test/java/p/ATest.java'];
    assert.equal(placeTests('src/main/java/p/A.java', 'junit5', paths).path, 'src/test/java/p/ATest.java');
  });
});

describe('placeTests: a new file where the project keeps its tests', () => {
  test('scripts: beside the file by default, the project majority otherwise', () => {
    assert.deepEqual(placeTests('src/a.ts', 'vitest', []), {
      path: 'src/a.test.ts',
      mode: 'create',
      reason: 'beside the file',
    });
    const spec = placeTests('src/a.tsx', 'jest', ['src/b.spec.tsx', 'src/c.spec.ts', 'src/d.test.ts']);
    assert.equal(spec.path, 'src/a.spec.tsx');
    assert.equal(spec.reason, "beside the file, as 3 of the project's 3 tests are");
    assert.equal(placeTests('src/a.ts', 'jest', ['src/b.spec.ts', 'src/c.test.ts']).path, 'src/a.test.ts');
    const jest = placeTests('src/x/a.js', 'jest', [
      'src/y/__tests__/b.test.js',
      'src/z/__tests__/c.test.js',
      'src/d.test.js',
    ]);
    assert.deepEqual(
      [jest.path, jest.reason],
      ['src/x/__tests__/a.test.js', "in __tests__/, as 2 of the project's 3 tests are"],
    );
    const folder = placeTests('src/x/a.ts', 'node:test', ['tests/b.test.ts', 'tests/y/c.test.ts']);
    assert.deepEqual(
      [folder.path, folder.reason],
      ['tests/x/a.test.ts', "in tests/, as 2 of the project's 2 tests are"],
    );
    assert.equal(placeTests('lib/a.js', 'mocha', []).path, 'test/a.test.js');
    assert.equal(placeTests('a.js', 'mocha', ['spec/b.spec.js']).path, 'spec/a.spec.js');
  });

  test('python: tests/test_x.py, or beside the file, or x_test.py as the project does', () => {
    assert.deepEqual(placeTests('pkg/a.py', 'pytest', []), {
      path: 'tests/test_a.py',
      mode: 'create',
      reason: 'in tests/',
    });
    assert.equal(placeTests('pkg/a.py', 'pytest', ['test/test_b.py']).path, 'test/test_a.py');
    assert.equal(
      placeTests('pkg/a.py', 'pytest', ['pkg/test_b.py', 'pkg/test_c.py', 'tests/test_d.py']).path,
      'pkg/test_a.py',
    );
    assert.equal(placeTests('pkg/a.py', 'pytest', ['pkg/b_test.py', 'pkg/c_test.py']).path, 'pkg/a_test.py');
    assert.equal(placeTests('pkg/a.py', 'pytest', ['tests/b_test.py', 'tests/test_c.py']).path, 'tests/test_a.py');
  });

  test('go, java and rust', () => {
    assert.deepEqual(placeTests('a/b.go', 'go', []), { path: 'a/b_test.go', mode: 'create', reason: 'go test' });
    assert.deepEqual(placeTests('main.go', 'go', []).path, 'main_test.go');
    assert.equal(placeTests('src/main/java/p/A.java', 'junit5', []).path, 'src/test/java/p/ATest.java');
    assert.equal(placeTests('mod/src/main/java/A.java', 'junit5', []).path, 'mod/src/test/java/ATest.java');
    assert.equal(javaTestPath('p/A.java', 'Test'), 'src/test/java/p/ATest.java');
    assert.equal(javaTestPath('src/main/kotlin/A.java', 'Tests'), 'src/test/kotlin/ATests.java');
    assert.deepEqual(placeTests('src/a.rs', 'cargo', ['tests/a.rs']), {
      path: 'src/a.rs',
      mode: 'inline',
      reason: "Rust's inline #[cfg(test)] module",
    });
  });
});

describe('names and imports', () => {
  test('the subject of a test file', () => {
    assert.equal(subjectStem('src/a.test.ts'), 'a');
    assert.equal(subjectStem('src/a.b.spec.mjs'), 'a.b');
    assert.equal(subjectStem('tests/test_a.py'), 'a');
    assert.equal(subjectStem('a_test.go'), 'a');
    assert.equal(subjectStem('a_test.py'), 'a');
    assert.equal(subjectStem('ATests.java'), 'A');
    assert.equal(subjectStem('src/__tests__/a.ts'), 'a');
    assert.equal(subjectStem('src/a.ts'), undefined);
    assert.equal(subjectStem('README.md'), undefined);
  });

  test('the relative import of the code under test', () => {
    assert.equal(relativeSpecifier('src/a.test.ts', 'src/a.ts'), './a');
    assert.equal(relativeSpecifier('src/__tests__/a.test.ts', 'src/a.ts'), '../a');
    assert.equal(relativeSpecifier('test/x/a.test.ts', 'src/x/a.tsx'), '../../src/x/a');
    assert.equal(relativeSpecifier('a.test.js', 'lib/a.js', true), './lib/a.js');
    assert.equal(relativeSpecifier('test/a.test.js', 'a.mjs', true), '../a.mjs');
  });
});

describe('placeTests: the choices that decide (mutation survivors)', () => {
  const path = (source: string, paths: string[], framework: 'jest' | 'pytest' | 'junit5' = 'jest') =>
    placeTests(source, framework, paths).path;

  test('the same folder beats an earlier name; a nearer folder beats a farther one', () => {
    assert.equal(path('a/b/c.ts', ['a/b/0/c.test.ts', 'a/b/c.test.ts']), 'a/b/c.test.ts');
    assert.equal(path('src/x/a.ts', ['lib/a.test.ts', 'src/y/a.test.ts']), 'src/y/a.test.ts');
    assert.equal(path('src/a.ts', ['src/0/a.test.ts', 'src/__tests__/a.test.ts']), 'src/__tests__/a.test.ts');
    assert.equal(path('a.ts', ['0/a.test.ts', '__tests__/a.test.ts']), '__tests__/a.test.ts');
  });

  test('subject names are whole file names', () => {
    assert.equal(subjectStem('mytest_a.py'), undefined);
    assert.equal(subjectStem('test_a.pyc'), undefined);
    assert.equal(subjectStem('ab_test.go'), 'ab');
    assert.equal(subjectStem('ab_test.gox'), undefined);
    assert.equal(subjectStem('xa_test.py'), 'xa');
    assert.equal(subjectStem('AbTest.javax'), undefined);
    assert.equal(subjectStem('src/main/java/MyAbTest.java'), 'MyAb');
    assert.equal(subjectStem('src/a.b.spec.mjs'), 'a.b');
  });

  test('java: the reason, and a source right in src/main', () => {
    assert.equal(placeTests('src/main/java/A.java', 'junit5', []).reason, 'the Maven/Gradle test layout');
    assert.equal(javaTestPath('src/main/A.java', 'Test'), 'src/test/ATest.java');
  });

  test('script conventions count script tests only, by majority, with the folder of the folder-style tests', () => {
    assert.equal(path('src/a.ts', ['tests/test_b.py', 'tests/test_c.py']), 'src/a.test.ts');
    assert.equal(path('src/a.mjs', ['src/b.spec.mjs', 'src/c.spec.mjs']), 'src/a.spec.mjs');
    assert.equal(path('src/a.ts', ['tests/b.test.ts', 'tests/c.test.ts', 'src/d.test.ts']), 'tests/a.test.ts');
    assert.equal(
      path('src/a.ts', ['src/a0.test.ts', 'x/__tests__/b.test.ts', 'y/__tests__/c.test.ts']),
      'src/__tests__/a.test.ts',
    );
    assert.equal(path('app/src/a.ts', ['tests/b.test.ts']), 'tests/app/src/a.test.ts');
    assert.equal(path('a.ts', ['__tests__/b.test.ts']), '__tests__/a.test.ts');
    assert.equal(path('src/a.ts', ['src/test/b.test.ts', 'src/test/c.test.ts']), 'src/a.test.ts');
  });

  test('python conventions count Python tests only; a tie keeps tests/', () => {
    assert.equal(
      path('pkg/a.py', ['src/a.ts', 'src/b.ts', 'src/c.ts', 'tests/test_x.py'], 'pytest'),
      'tests/test_a.py',
    );
    assert.equal(path('pkg/a.py', ['tests/test_b.py', 'pkg/test_c.py'], 'pytest'), 'tests/test_a.py');
    assert.equal(
      placeTests('pkg/a.py', 'pytest', ['pkg/test_b.py']).reason,
      "beside the file, as the project's tests are",
    );
  });
});
