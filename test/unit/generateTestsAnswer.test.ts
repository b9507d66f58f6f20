/** The model's answer, its run command, the request, and symbols read from the text. */
import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  definitions,
  enclosingSymbol,
  exampleExcerpt,
  extractTestCode,
  planTests,
  refusalFor,
  runCommand,
  shellQuote,
  testNames,
  testsPrompt,
} from '../../src/core/tests';

describe('extractTestCode', () => {
  test('fenced blocks in the language (or untagged) are joined; others are left out', () => {
    const answer =
      "Tests:\n```ts\nimport { it } from 'vitest';\n```\n\n```bash\nnpx vitest\n```\n\n```\nit('a', () => {});\n```\n";
    assert.deepEqual(extractTestCode(answer, 'typescript', 'vitest'), {
      ok: true,
      code: "import { it } from 'vitest';\n\nit('a', () => {});",
    });
  });

  test('a fence in a list item is dedented; tildes work; a longer fence holds backticks', () => {
    assert.deepEqual(
      extractTestCode('1. Here:\n   ```py\n   def test_a():\n       pass\n   ```\n', 'python', 'pytest'),
      {
        ok: true,
        code: 'def test_a():\n    pass',
      },
    );
    assert.deepEqual(extractTestCode('~~~go\nfunc TestA(t *testing.T) {}\n~~~', 'go', 'go'), {
      ok: true,
      code: 'func TestA(t *testing.T) {}',
    });
    assert.deepEqual(extractTestCode('````js\ntest("a", () => { x = `\n```\n`; });\n````', 'javascript', 'jest'), {
      ok: true,
      code: 'test("a", () => { x = `\n```\n`; });',
    });
  });

  test('bare code counts; prose, prose around non-test code and an empty block do not', () => {
    assert.deepEqual(extractTestCode('#[test]\nfn a() {}\n', 'rust', 'cargo'), {
      ok: true,
      code: '#[test]\nfn a() {}',
    });
    const prose = extractTestCode('I cannot write tests for this function, sorry.', 'typescript', 'vitest');
    assert.deepEqual(prose, {
      ok: false,
      message: "The model's answer holds no ts code block, so no tests were proposed. Try again, or ask in the chat.",
    });
    const chatty = extractTestCode(
      'Here is how you would test it with describe blocks (see docs).',
      'typescript',
      'jest',
    );
    assert.equal(chatty.ok, false);
    const noTest = extractTestCode('```java\nclass A {}\n```', 'java', 'junit5');
    assert.deepEqual(noTest, {
      ok: false,
      message: "The model's code has no JUnit 5 test in it, so nothing was proposed. Try again, or ask in the chat.",
    });
    assert.equal(extractTestCode('```python\n\n```', 'python', 'pytest').ok, false);
    assert.equal(extractTestCode('```python\nclass A:\n    pass\n```', 'python', 'unittest').ok, false);
  });
});

describe('runCommand and testNames', () => {
  const detection = (framework: Parameters<typeof testNames>[0], build?: 'maven' | 'gradle') => ({
    framework,
    evidence: '',
    build,
  });
  const run = (
    framework: Parameters<typeof testNames>[0],
    testPath: string,
    code: string,
    paths: string[] = [],
    build?: 'maven' | 'gradle',
  ) => runCommand({ detection: detection(framework, build), testPath, code, paths }).command;

  test('names: top-level suites and tests only, once each', () => {
    assert.deepEqual(
      testNames(
        'vitest',
        "describe('a', () => {\n  it('inner', () => {});\n});\ntest.skip(\"b\", f);\nit(`c`, f);\ndescribe('a', f);",
      ),
      ['a', 'b', 'c'],
    );
    assert.deepEqual(
      testNames(
        'pytest',
        'class TestA:\n    def test_in(self): pass\ndef test_b(): pass\nasync def test_c(): pass\ndef helper(): pass',
      ),
      ['TestA', 'test_b', 'test_c'],
    );
    assert.deepEqual(testNames('unittest', 'class A(unittest.TestCase):\n    pass\nclass B(object):\n    pass'), ['A']);
    assert.deepEqual(testNames('go', 'func TestA(t *testing.T) {}\nfunc helper() {}\nfunc TestB(t *testing.T) {}'), [
      'TestA',
      'TestB',
    ]);
    assert.deepEqual(
      testNames(
        'junit5',
        '@Test\nvoid a() {}\n@ParameterizedTest\nvoid b() {}\n@Test\npublic void c() throws Exception {}',
      ),
      ['a', 'c'],
    );
    assert.deepEqual(testNames('cargo', '#[test]\nfn a() {}\nfn helper() {}\n#[test]\n#[should_panic]\nfn b() {}'), [
      'a',
      'b',
    ]);
    assert.deepEqual(testNames('mocha', "context('a', f);\nspecify('b', f);"), ['a', 'b']);
    assert.deepEqual(testNames('node:test', "suite('a', f);"), ['a']);
  });

  test('commands for just those tests', () => {
    assert.equal(run('vitest', 'src/a.test.ts', "it('a (b)', f);"), "npx vitest run src/a.test.ts -t 'a \\(b\\)'");
    assert.equal(run('jest', 'a b.test.js', "it('x', f);\nit('y', f);"), "npx jest 'a b.test.js' -t 'x|y'");
    assert.equal(run('mocha', 't.js', ''), 'npx mocha t.js --grep .');
    assert.equal(
      run('node:test', 'src/a.test.ts', "test('a', f);"),
      'node --import tsx --test --test-name-pattern=a src/a.test.ts',
    );
    assert.equal(
      run('node:test', 'src/a.test.mjs', "test('a', f);"),
      'node --test --test-name-pattern=a src/a.test.mjs',
    );
    assert.equal(run('pytest', 'tests/test_a.py', ''), 'python -m pytest tests/test_a.py -k test');
    assert.equal(run('unittest', 'tests/test_a.py', ''), 'python -m unittest tests.test_a');
    assert.equal(run('unittest', 'test_a.py', 'class A(unittest.TestCase):\n'), 'python -m unittest test_a.A');
    assert.equal(run('go', 'a_test.go', 'func TestA(t *testing.T) {}'), "go test ./. -run '^(TestA)$'");
    assert.equal(run('go', 'x/y/a_test.go', 'func TestA(t *testing.T) {}'), "go test ./x/y -run '^(TestA)$'");
    assert.equal(
      run('junit5', 'src/test/java/p/ATest.java', '@Test void a() {}', ['mvnw']),
      "./mvnw test '-Dtest=ATest#a'",
    );
    assert.equal(run('junit5', 'src/test/java/p/ATest.java', ''), 'mvn test -Dtest=ATest');
    assert.equal(
      run('junit5', 'src/test/java/p/ATest.java', '@Test void a() {}\n@Test void b() {}', ['gradlew'], 'gradle'),
      './gradlew test --tests p.ATest.a --tests p.ATest.b',
    );
    assert.equal(run('junit5', 'src/test/java/p/ATest.java', '', [], 'gradle'), 'gradle test --tests p.ATest');
    assert.equal(run('cargo', 'src/main.rs', '#[test]\nfn a() {}'), 'cargo test -- --exact tests::a');
    assert.equal(run('cargo', 'src/net/mod.rs', '#[test]\nfn a() {}'), 'cargo test -- --exact net::tests::a');
    assert.equal(run('cargo', 'src/net/tcp.rs', '#[test]\nfn a() {}'), 'cargo test -- --exact net::tcp::tests::a');
  });

  test('shell quoting', () => {
    assert.equal(shellQuote('plain/path.ts'), 'plain/path.ts');
    assert.equal(shellQuote("it's"), "'it'\\''s'");
    assert.equal(shellQuote(''), "''");
  });
});

describe('the request', () => {
  test('it names the framework, the evidence, the place, the example and how to answer', async () => {
    const files: Record<string, string> = { 'package.json': '{"devDependencies":{"vitest":"1"}}', 'src/a.ts': '' };
    const planned = await planTests({ paths: Object.keys(files), read: async (path) => files[path] }, 'src/a.ts');
    assert.ok(planned.ok);
    const text = testsPrompt(
      planned.plan,
      {
        path: 'src/a.ts',
        symbol: { name: 'add', kind: 'function' },
        lines: { start: 3, end: 5 },
        code: 'code ``` here',
      },
      'src/a.test.ts',
      'src/b.test.ts',
    );
    assert.match(
      text,
      /^Write Vitest tests for the function `add` in `src\/a\.ts` \(lines 3-5\):\n\n````ts\ncode ``` here\n````\n/,
    );
    assert.match(
      text,
      // eslint-disable-next-line max-len -- the expected text, as one regex literal
      /The project uses Vitest \(vitest in the dependencies of package\.json\)\. They go in a new file `src\/a\.test\.ts` \(beside the file\)\./,
    );
    assert.match(
      text,
      // eslint-disable-next-line max-len -- the expected text, as one regex literal
      /Follow the style of the project's existing test `src\/b\.test\.ts` \(pinned in the context as "style example: src\/b\.test\.ts"\)\./,
    );
    assert.match(text, /exactly one fenced ```ts block/);
    assert.match(text, /Import the code under test from '\.\/a'\./);
    const bare = testsPrompt(
      planned.plan,
      { path: 'src/a.ts', lines: { start: 1, end: 1 }, code: 'x' },
      'src/a.test.ts',
    );
    assert.match(bare, /for the file `src\/a\.ts`/);
    assert.match(bare, /no tests yet/);
  });

  test('refusals: test files and unknown languages', async () => {
    assert.match(refusalFor('src/a.test.ts') ?? '', /is a test file/);
    assert.match(refusalFor('README.md') ?? '', /not a TypeScript, JavaScript, Python, Go, Java or Rust file/);
    assert.equal(refusalFor('src/a.ts'), undefined);
    const planned = await planTests({ paths: [], read: async () => undefined }, 'a_test.go');
    assert.deepEqual(planned, {
      ok: false,
      message: 'a_test.go is a test file; Generate Tests writes tests for the code under test.',
    });
  });

  test('a long style example is cut and says so', () => {
    const text = Array.from({ length: 130 }, (_, i) => `line ${i}`).join('\n');
    assert.match(exampleExcerpt(text), /line 119\n… \(10 more lines not shown\)$/);
    assert.equal(exampleExcerpt('short'), 'short');
  });
});

describe('symbols from the text', () => {
  test('typescript, python, go, java and rust definitions around a line', () => {
    const ts =
      'export class A {\n  method(x: number): number {\n    return x;\n  }\n}\n\nexport const f = ' +
      '(a: number) => {\n  return a;\n};\n';
    assert.deepEqual(enclosingSymbol(ts, 'typescript', 3), { name: 'method', kind: 'method', start: 2, end: 4 });
    assert.deepEqual(enclosingSymbol(ts, 'typescript', 8), { name: 'f', kind: 'function', start: 7, end: 9 });
    assert.deepEqual(enclosingSymbol(ts, 'typescript', 6), undefined);
    const py = 'class A:\n    def m(self):\n        return 1\n\n    def n(self):\n        pass\n\ndef f():\n    pass\n';
    assert.deepEqual(enclosingSymbol(py, 'python', 3), { name: 'm', kind: 'function', start: 2, end: 3 });
    assert.deepEqual(enclosingSymbol(py, 'python', 4), { name: 'A', kind: 'class', start: 1, end: 6 });
    const go = 'package p\n\nfunc (s *S) Pop() int {\n\tif x {\n\t}\n\treturn 1\n}\n';
    assert.deepEqual(enclosingSymbol(go, 'go', 4), { name: 'Pop', kind: 'function', start: 3, end: 7 });
    const java =
      'public class A {\n    public int add(int a,\n            int b) {\n        if (a > 0) {\n' +
      '        }\n        return a;\n    }\n}\n';
    assert.deepEqual(enclosingSymbol(java, 'java', 4), { name: 'add', kind: 'method', start: 2, end: 7 });
    assert.deepEqual(
      definitions(java, 'java').map((symbol) => symbol.name),
      ['A', 'add'],
    );
    const rust = 'pub fn a() -> i32 {\n    1\n}\n\npub(crate) struct S;\n';
    assert.deepEqual(enclosingSymbol(rust, 'rust', 2), { name: 'a', kind: 'function', start: 1, end: 3 });
    assert.deepEqual(definitions('  if (x) {\n  }\n', 'typescript'), [], 'a keyword is not a method');
  });
});

test('a framework named "… test" reads as a name in the request', async () => {
  const planned = await planTests({ paths: ['go.mod'], read: async () => '' }, 'a/b.go');
  assert.ok(planned.ok);
  const text = testsPrompt(planned.plan, { path: 'a/b.go', lines: { start: 1, end: 2 }, code: 'x' }, 'a/b_test.go');
  assert.match(text, /^Write tests \(go test\) for the file `a\/b\.go` \(lines 1-2\):/);
  assert.match(text, /Write the test functions and their imports; QCoder keeps the package clause\./);
});
