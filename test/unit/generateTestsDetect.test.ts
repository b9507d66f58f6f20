/** Which framework a project uses, from its config, its manifest and its tests, and why. */
import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { detectFramework, isTestFile, languageOf, type ProjectFiles, projectRootOf } from '../../src/core/tests';

function project(files: Record<string, string>): ProjectFiles {
  return { paths: Object.keys(files), read: async (path) => files[path] };
}

const pkg = (body: object) => JSON.stringify(body);

describe('detectFramework: TypeScript and JavaScript', () => {
  const cases: [string, Record<string, string>, string, RegExp][] = [
    [
      'a vitest config',
      { 'vitest.config.ts': '', 'package.json': pkg({}) },
      'vitest',
      /vitest\.config\.ts at the project root/,
    ],
    ['a vitest workspace', { 'vitest.workspace.mjs': '' }, 'vitest', /vitest\.workspace\.mjs/],
    ['a jest config', { 'jest.config.js': '' }, 'jest', /jest\.config\.js/],
    ['a jest json config', { 'jest.config.json': '' }, 'jest', /jest\.config\.json/],
    ['a mocharc', { '.mocharc.yml': '' }, 'mocha', /\.mocharc\.yml/],
    ['a bare mocharc', { '.mocharc': '' }, 'mocha', /\.mocharc at/],
    ['a jest section', { 'package.json': pkg({ jest: {} }) }, 'jest', /"jest" section/],
    [
      'a vitest script',
      { 'package.json': pkg({ scripts: { test: 'vitest run' } }) },
      'vitest',
      /test script .* vitest/,
    ],
    ['a jest script', { 'package.json': pkg({ scripts: { test: 'jest --ci' } }) }, 'jest', /runs jest/],
    ['a mocha script', { 'package.json': pkg({ scripts: { test: 'mocha' } }) }, 'mocha', /runs mocha/],
    [
      'a node --test script',
      { 'package.json': pkg({ scripts: { test: 'node --import tsx --test' } }) },
      'node:test',
      /runs node:test/,
    ],
    [
      'vitest in devDependencies',
      { 'package.json': pkg({ devDependencies: { vitest: '1' } }) },
      'vitest',
      /vitest in the dependencies/,
    ],
    [
      'jest in dependencies',
      { 'package.json': pkg({ dependencies: { jest: '1' } }) },
      'jest',
      /jest in the dependencies/,
    ],
    ['mocha in devDependencies', { 'package.json': pkg({ devDependencies: { mocha: '1' } }) }, 'mocha', /mocha in/],
    [
      'a test importing vitest',
      { 'a.test.ts': "import { it } from 'vitest';" },
      'vitest',
      /a\.test\.ts imports vitest/,
    ],
    [
      'a test importing node:test',
      { 'a.test.ts': "import { test } from 'node:test';" },
      'node:test',
      /imports node:test/,
    ],
    [
      'a test requiring node:test',
      { 'a.test.js': "const { test } = require('node:test');" },
      'node:test',
      /imports node:test/,
    ],
    ['a test using jest.fn', { 'a.test.js': 'const f = jest.fn();' }, 'jest', /uses jest/],
    ['a test importing @jest/globals', { 'a.test.ts': "import { it } from '@jest/globals';" }, 'jest', /uses jest/],
    ['nothing at all', { 'src/a.ts': '' }, 'node:test', /no test framework found/],
    ['an unreadable package.json', { 'package.json': '{not json' }, 'node:test', /no test framework/],
  ];
  for (const [name, files, framework, evidence] of cases)
    test(name, async () => {
      const found = await detectFramework(project(files), 'typescript');
      assert.equal(found.framework, framework);
      assert.match(found.evidence, evidence);
    });

  test('a config in a sub-folder does not count; the config wins over the dependencies', async () => {
    const nested = await detectFramework(project({ 'tools/vitest.config.ts': '' }), 'javascript');
    assert.equal(nested.framework, 'node:test');
    const both = await detectFramework(
      project({ 'jest.config.ts': '', 'package.json': pkg({ devDependencies: { vitest: '1' } }) }),
      'typescript',
    );
    assert.equal(both.framework, 'jest');
  });

  test('the script wins over the dependencies, and dependencies over the imports', async () => {
    const script = await detectFramework(
      project({ 'package.json': pkg({ scripts: { test: 'jest' }, devDependencies: { vitest: '1' } }) }),
      'typescript',
    );
    assert.equal(script.framework, 'jest');
    const dependency = await detectFramework(
      project({ 'package.json': pkg({ devDependencies: { mocha: '1' } }), 'a.test.ts': "from 'vitest'" }),
      'typescript',
    );
    assert.equal(dependency.framework, 'mocha');
  });
});

describe('detectFramework: Python', () => {
  const cases: [string, Record<string, string>, string, RegExp][] = [
    ['pytest.ini', { 'pytest.ini': '' }, 'pytest', /pytest\.ini at the project root/],
    ['conftest.py', { 'conftest.py': '' }, 'pytest', /conftest\.py/],
    [
      'pyproject section',
      { 'pyproject.toml': '[tool.pytest.ini_options]\n' },
      'pytest',
      /pytest settings in pyproject\.toml/,
    ],
    ['setup.cfg section', { 'setup.cfg': '[tool:pytest]\n' }, 'pytest', /setup\.cfg/],
    ['tox.ini section', { 'tox.ini': '[pytest]\n' }, 'pytest', /tox\.ini/],
    ['a test importing pytest', { 'tests/test_a.py': 'import pytest\n' }, 'pytest', /imports pytest/],
    [
      'a unittest test',
      { 'tests/test_a.py': 'import unittest\nclass A(unittest.TestCase): pass\n' },
      'unittest',
      /uses unittest/,
    ],
    ['from unittest import', { 'test_a.py': 'from unittest import TestCase\n' }, 'unittest', /uses unittest/],
    ['bare test functions', { 'tests/test_a.py': 'def test_a():\n    pass\n' }, 'pytest', /pytest-style/],
    [
      'pytest in requirements',
      { 'requirements-dev.txt': 'black\npytest>=8\n' },
      'pytest',
      /pytest in requirements-dev\.txt/,
    ],
    ['nothing', { 'a.py': '' }, 'pytest', /no Python test framework/],
  ];
  for (const [name, files, framework, evidence] of cases)
    test(name, async () => {
      const found = await detectFramework(project(files), 'python');
      assert.equal(found.framework, framework);
      assert.match(found.evidence, evidence);
    });

  test('a pyproject without pytest settings falls through to the tests', async () => {
    const found = await detectFramework(
      project({ 'pyproject.toml': '[project]\n', 'tests/test_a.py': 'import unittest\nx = unittest.TestCase\n' }),
      'python',
    );
    assert.equal(found.framework, 'unittest');
  });
});

describe('detectFramework: Go, Java, Rust', () => {
  test('go test, cargo test', async () => {
    assert.deepEqual(await detectFramework(project({ 'go.mod': '' }), 'go'), {
      framework: 'go',
      evidence: 'go.mod at the project root',
    });
    assert.equal((await detectFramework(project({}), 'go')).evidence, 'Go uses go test');
    assert.deepEqual(await detectFramework(project({ 'Cargo.toml': '' }), 'rust'), {
      framework: 'cargo',
      evidence: 'Cargo.toml at the project root',
    });
    assert.equal((await detectFramework(project({}), 'rust')).evidence, 'Rust uses cargo test');
  });

  test('JUnit 5 with Maven or Gradle', async () => {
    const maven = await detectFramework(project({ 'pom.xml': '<artifactId>junit-jupiter</artifactId>' }), 'java');
    assert.deepEqual(maven, { framework: 'junit5', evidence: 'junit-jupiter in pom.xml', build: 'maven' });
    const gradle = await detectFramework(project({ 'build.gradle.kts': 'testImplementation("x")' }), 'java');
    assert.deepEqual(gradle, { framework: 'junit5', evidence: 'build.gradle.kts (JUnit 5 assumed)', build: 'gradle' });
    const groovy = await detectFramework(project({ 'build.gradle': 'org.junit.jupiter:junit-jupiter' }), 'java');
    assert.equal(groovy.build, 'gradle');
    assert.equal(groovy.evidence, 'junit-jupiter in build.gradle');
    const none = await detectFramework(project({}), 'java');
    assert.deepEqual(none, {
      framework: 'junit5',
      evidence: 'no build file found; using JUnit 5 (Maven layout)',
      build: 'maven',
    });
  });
});

describe('test files, languages and project roots', () => {
  test('test files of every language are recognised', () => {
    for (const path of [
      'src/a.test.ts',
      'src/a.spec.jsx',
      'src/a.test.mjs',
      'src/__tests__/a.ts',
      'test/helper.js',
      'tests/test_a.py',
      'pkg/test_a.py',
      'pkg/a_test.py',
      'conftest.py',
      'a/b_test.go',
      'src/test/java/a/B.java',
      'src/main/java/a/BTest.java',
      'src/main/java/a/BTests.java',
      'src/main/java/a/BIT.java',
      'tests/integration.rs',
      'benches/b.rs',
    ])
      assert.ok(isTestFile(path), path);
    for (const path of [
      'src/a.ts',
      'src/attest.ts',
      'src/latest.js',
      'pkg/testing.py',
      'pkg/contest.py',
      'a/b.go',
      'src/main/java/a/Testing.java',
      'src/lib.rs',
      'README.md',
      'src/a.test.md',
    ])
      assert.ok(!isTestFile(path), path);
  });

  test('languages by extension', () => {
    assert.equal(languageOf('a/b.TSX'), 'typescript');
    assert.equal(languageOf('b.cjs'), 'javascript');
    assert.equal(languageOf('b.rs'), 'rust');
    assert.equal(languageOf('Makefile'), undefined);
    assert.equal(languageOf('.ts'), undefined);
  });

  test('the deepest folder with a project marker', () => {
    const paths = [
      'package.json',
      'apps/web/package.json',
      'apps/web/src/a.ts',
      'svc/go.mod',
      'svc/x/y.go',
      'lib/a.py',
    ];
    assert.equal(projectRootOf('apps/web/src/a.ts', paths), 'apps/web');
    assert.equal(projectRootOf('svc/x/y.go', paths), 'svc');
    assert.equal(projectRootOf('lib/a.py', paths), '');
    assert.equal(projectRootOf('a.py', []), '');
  });
});

describe('detectFramework: what does not count as evidence', () => {
  const framework = async (files: Record<string, string | undefined>, language: 'typescript' | 'python') =>
    detectFramework({ paths: Object.keys(files), read: async (path) => files[path] }, language);

  test('config names must be exact, at the root', async () => {
    for (const name of [
      'myvitest.config.ts',
      'vitest.config.ts.bak',
      'xjest.config.js',
      'jest.config.js.orig',
      'old.mocharc',
      '.mocharc.yml.orig',
      'jest.config.xts',
    ])
      assert.equal((await framework({ [name]: '' }, 'typescript')).framework, 'node:test', name);
    assert.equal((await framework({ 'jest.config.mjs': '' }, 'typescript')).framework, 'jest');
    assert.equal((await framework({ 'jest.config.cts': '' }, 'typescript')).framework, 'jest');
  });

  test('imports count only in script test files, the first eight, spelled with any spacing', async () => {
    assert.equal(
      (await framework({ 'src/setup.ts': "import { vi } from 'vitest';" }, 'typescript')).framework,
      'node:test',
    );
    assert.equal((await framework({ 'tests/test_a.py': "from 'vitest'" }, 'typescript')).framework, 'node:test');
    const many: Record<string, string> = {};
    for (let i = 0; i < 8; i++) many[`t${i}.test.ts`] = "test('x', () => {});";
    many['t8.test.ts'] = "import { it } from 'vitest';";
    assert.equal((await framework(many, 'typescript')).framework, 'node:test', 'only eight tests are read');
    assert.equal((await framework({ 'a.test.ts': "import { it } from  'vitest';" }, 'typescript')).framework, 'vitest');
    assert.equal(
      (await framework({ 'a.test.ts': "import { it } from\n'node:test';" }, 'typescript')).framework,
      'node:test',
    );
    assert.match(
      (await framework({ 'a.test.ts': "test('x', () => {});" }, 'typescript')).evidence,
      /no test framework/,
    );
  });

  test('python: settings in comments, indented or commented imports, non-test files do not count', async () => {
    const none = /no Python test framework found/;
    assert.match((await framework({ 'pyproject.toml': '# see [tool.pytest.ini_options]\n' }, 'python')).evidence, none);
    assert.match((await framework({ 'setup.cfg': 'x = [tool:pytest]\n' }, 'python')).evidence, none);
    assert.match((await framework({ 'tox.ini': '; [pytest]\n' }, 'python')).evidence, none);
    assert.match(
      (await framework({ 'pyproject.toml': undefined, 'tests/test_a.py': undefined }, 'python')).evidence,
      none,
    );
    assert.match((await framework({ 'src/a.py': 'import pytest\n' }, 'python')).evidence, none);
    assert.match((await framework({ 'tests/test_a.js': 'import pytest\n' }, 'python')).evidence, none);
    assert.match((await framework({ 'tests/test_a.py': '# we do not import pytest here\n' }, 'python')).evidence, none);
    assert.match((await framework({ 'tests/test_a.py': 'x = 1\n' }, 'python')).evidence, none);
    assert.match(
      (await framework({ 'tests/test_a.py': 'class A:\n    def test_x(self): pass\n' }, 'python')).evidence,
      none,
    );
    assert.match(
      (await framework({ 'tests/test_a.py': '# from unittest import TestCase\n' }, 'python')).evidence,
      none,
    );
    const indented = await framework({ 'tests/test_a.py': 'def test_a():\n    import pytest\n' }, 'python');
    assert.match(indented.evidence, /imports pytest/);
    const many: Record<string, string> = {};
    for (let i = 0; i < 8; i++) many[`tests/test_${i}.py`] = 'x = 1\n';
    many['tests/test_8.py'] = 'import unittest\nclass A(unittest.TestCase): pass\n';
    assert.match((await framework(many, 'python')).evidence, none, 'only eight tests are read');
  });

  test('python: requirements files by name, pytest by line', async () => {
    assert.equal(
      (await framework({ 'dev-requirements.txt': 'pytest\n' }, 'python')).evidence,
      'pytest in dev-requirements.txt',
    );
    const none = /no Python test framework found/;
    assert.match((await framework({ 'notes.txt': 'pytest\n' }, 'python')).evidence, none);
    assert.match((await framework({ 'requirements.txt.bak': 'pytest\n' }, 'python')).evidence, none);
    assert.match((await framework({ 'requirements.txt': 'flake8-pytest-style\n' }, 'python')).evidence, none);
    assert.match((await framework({ 'requirements.txt': undefined }, 'python')).evidence, none);
    assert.match(
      (await framework({ 'requirements.txt': 'PyTest==8\n' }, 'python')).evidence,
      /pytest in requirements\.txt/,
    );
  });

  test('java: an unreadable build file is still a build file', async () => {
    const found = await detectFramework({ paths: ['pom.xml'], read: async () => undefined }, 'java');
    assert.deepEqual(found, { framework: 'junit5', evidence: 'pom.xml (JUnit 5 assumed)', build: 'maven' });
  });
});
