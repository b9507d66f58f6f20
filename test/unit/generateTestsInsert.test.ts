/** Placing generated tests in a test file: the extension decides where; edge cases per language. */
import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { insertTests, type Insertion } from '../../src/core/tests';
import { matchingBrace } from '../../src/core/tests/braces';

const base: Omit<Insertion, 'language' | 'code'> = { existing: undefined, sourceText: '', testPath: 'x' };

describe('insertTests', () => {
  test('scripts: a new file, with or without imports; an append keeps a header', () => {
    assert.equal(insertTests({ ...base, language: 'typescript', code: "it('a', () => {});" }), "it('a', () => {});\n");
    assert.equal(
      insertTests({
        ...base,
        language: 'javascript',
        existing: "#!/usr/bin/env node\n// tests\n'use strict';\ntest('a', () => {});\n",
        code: "const x = require('x');\ntest('b', () => {});",
      }),
      "#!/usr/bin/env node\n// tests\n'use strict';\nconst x = require('x');\n\ntest('a', () => " +
        "{});\n\ntest('b', () => {});\n",
    );
  });

  test('python: a new file; a file without imports; the main block stays last', () => {
    assert.equal(
      insertTests({ ...base, language: 'python', code: 'import pytest\n\ndef test_a():\n    pass' }),
      'import pytest\n\n\ndef test_a():\n    pass\n',
    );
    assert.equal(
      insertTests({ ...base, language: 'python', code: 'def test_a():\n    pass' }),
      'def test_a():\n    pass\n',
    );
    assert.equal(
      insertTests({
        ...base,
        language: 'python',
        existing: '# header\n"""Doc."""\n\ndef test_a():\n    pass\n',
        code: 'import os\n\ndef test_b():\n    pass',
      }),
      '# header\n"""Doc."""\nimport os\n\n\ndef test_a():\n    pass\n\n\ndef test_b():\n    pass\n',
    );
  });

  test('go: imports join the block, single imports, or come after the package clause', () => {
    const code = 'package p\n\nimport (\n\t"strings"\n\t"testing"\n)\n\nfunc TestB(t *testing.T) {}';
    assert.equal(
      insertTests({
        ...base,
        language: 'go',
        existing: 'package p\n\nimport (\n\t"testing"\n)\n\nfunc TestA(t *testing.T) {}\n',
        code,
      }),
      'package p\n\nimport (\n\t"testing"\n\t"strings"\n)\n\nfunc TestA(t *testing.T) {}\n\n' +
        'func TestB(t *testing.T) {}\n',
    );
    assert.equal(
      insertTests({
        ...base,
        language: 'go',
        existing: 'package p\n\nimport "testing"\n\nfunc TestA(t *testing.T) {}\n',
        code,
      }),
      'package p\n\nimport "testing"\nimport "strings"\n\nfunc TestA(t *testing.T) {}\n\nfunc TestB(t *testing.T) {}\n',
    );
    assert.equal(
      insertTests({ ...base, language: 'go', existing: 'package p\n\nvar x = 1\n', code }),
      'package p\n\nimport (\n\t"strings"\n\t"testing"\n)\n\nvar x = 1\n\nfunc TestB(t *testing.T) {}\n',
    );
    assert.equal(
      insertTests({ ...base, language: 'go', sourceText: 'package q\n', code: 'func TestC(t *testing.T) {}' }),
      'package q\n\nfunc TestC(t *testing.T) {}\n',
    );
    assert.equal(
      insertTests({ ...base, language: 'go', code: 'import "testing"\nfunc TestC(t *testing.T) {}' }),
      'package main\n\nimport "testing"\n\nfunc TestC(t *testing.T) {}\n',
    );
  });

  test('java: a new file takes the source package and the file name', () => {
    assert.equal(
      insertTests({
        ...base,
        language: 'java',
        sourceText: 'package a.b;\n\nclass A {}\n',
        testPath: 'src/test/java/a/b/ATest.java',
        code:
          'package wrong;\nimport org.junit.jupiter.api.Test;\n\npublic class SomethingElse {\n' +
          '    @Test\n    void x() {}\n}',
      }),
      'package a.b;\n\nimport org.junit.jupiter.api.Test;\n\npublic class ATest {\n    @Test\n    void x() {}\n}\n',
    );
  });

  test('java: members go inside the existing class; a brace in a string does not end it', () => {
    const existing = 'class ATest {\n    String s = "}";\n\n    @Test\n    void a() {}\n}\n';
    assert.equal(
      insertTests({
        ...base,
        language: 'java',
        existing,
        code: 'import org.junit.jupiter.api.Test;\n\n@Test\nvoid b() {}',
      }),
      'import org.junit.jupiter.api.Test;\n\nclass ATest {\n    String s = "}";\n\n    @Test\n    void a() ' +
        '{}\n\n    @Test\n    void b() {}\n}\n',
    );
  });

  test('rust: uses the module lacks are added; a file without a module gets one', () => {
    const existing = 'fn a() {}\n\n#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn t() {}\n}\n';
    assert.equal(
      insertTests({
        ...base,
        language: 'rust',
        existing,
        code: 'use super::*;\nuse std::fmt;\n\n#[test]\nfn u() {}',
      }),
      'fn a() {}\n\n#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn t() {}\n\n    use ' +
        'std::fmt;\n\n    #[test]\n    fn u() {}\n}\n',
    );
    assert.equal(
      insertTests({
        ...base,
        language: 'rust',
        existing: "fn a<'a>(x: &'a str) -> char { '}' }\n",
        code: 'use std::fmt;\n#[test]\nfn u() {}',
      }),
      "fn a<'a>(x: &'a str) -> char { '}' }\n\n#[cfg(test)]\nmod tests {\n    use super::*;\n    use " +
        'std::fmt;\n\n    #[test]\n    fn u() {}\n}\n',
    );
  });

  test('brace matching skips comments, strings and characters', () => {
    const text = '{ // }\n /* } */ "}" \'}\' `}` { } }';
    assert.equal(matchingBrace(text, 0), text.length - 1);
    assert.equal(matchingBrace('{ "\\"}" }', 0), 8);
    assert.equal(matchingBrace('{ {', 0), -1);
  });
});
