/**
 * The outline a large file enters the context as (rank/outline.ts), per language family: which
 * declarations are listed, their kind, lines and nesting, and the declaring line as shown. Every
 * expected entry is read off the sample texts by hand (line numbers are in the comments).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { languageFamily, outline } from '../../src/core/context/rank/outline';

const shape = (path: string, lines: string[]) =>
  outline(path, `${lines.join('\n')}\n`).map((s) => `${s.depth}:${s.kind}:${s.name}:${s.line}-${s.endLine}`);

describe('outline of TypeScript', () => {
  const lines = [
    '// class Commented {', // 1
    'export default abstract class Base {', // 2
    '  static async *items(a: string): AsyncIterable<string> {', // 3
    "    yield '}';", // 4
    '  }', // 5
    '  #secret() {', // 6
    '    if (x) {', // 7
    '    }', // 8
    '  }', // 9
    '}', // 10
    'export declare function proto(a: number): void;', // 11
    'export interface Shape {', // 12
    '  area(): number;', // 13
    '}', // 14
    'export enum Color { Red }', // 15
    'namespace Space {', // 16
    '}', // 17
    'export const handler = async (event: Event): Promise<void> => {', // 18
    '  return; // }', // 19
    '};', // 20
    'export let counter = 0;', // 21
    'function* gen() {', // 22
    '}', // 23
    'type Pair<A, B> = [A, B];', // 24
    ` function ${'x'.repeat(400)}() {}`, // 25: too long to be a declaration worth reading
    ' * function inDocComment() {', // 26
  ];

  it('lists classes, methods, functions, types and exported variables with their spans and nesting', () => {
    assert.deepEqual(shape('a.ts', lines), [
      '0:class:Base:2-10',
      '1:method:items:3-5',
      '1:method:#secret:6-9',
      '0:function:proto:11-11',
      '0:interface:Shape:12-14',
      '0:enum:Color:15-15',
      '0:namespace:Space:16-17',
      '0:function:handler:18-20',
      '0:variable:counter:21-21',
      '0:function:gen:22-23',
      '0:type:Pair:24-24',
    ]);
  });

  it('shows the declaring line without its brace, shortened past 160 characters', () => {
    const found = outline('a.ts', `${lines.join('\n')}\nfunction long(${'a, '.repeat(60)}z) {\n}\n`);
    assert.equal(found[0].signature, 'export default abstract class Base');
    assert.equal(found[1].signature, 'static async *items(a: string): AsyncIterable<string>');
    assert.equal(found[3].signature, 'export declare function proto(a: number): void;');
    const long = found[found.length - 1];
    assert.equal(long.name, 'long');
    assert.equal(long.signature, `function long(${'a, '.repeat(60)}`.slice(0, 157) + '…');
  });

  it('a declaration whose body opens a few lines down, and one whose body never opens', () => {
    assert.deepEqual(shape('b.js', ['function spread(', '  a,', '  b', ') {', '  return a;', '}']), [
      '0:function:spread:1-6',
    ]);
    assert.deepEqual(shape('b.js', ['function dangling(', '  a,', '  b,', '  c,', '  d', ')']), [
      '0:function:dangling:1-1',
    ]);
    assert.deepEqual(shape('b.mjs', ['export class Open {', '  run() {', '    go();']), [
      '0:class:Open:1-4',
      '1:method:run:2-4',
    ]);
  });
});

describe('outline of the other families', () => {
  it('Python, by indentation: a closing parenthesis stays in the body', () => {
    assert.deepEqual(
      shape('b.py', [
        'class Box:', // 1
        '    def open(self,', // 2
        '             force=False', // 3
        '    ):', // 4
        '        pass', // 5
        '', // 6
        '    @property', // 7
        '    async def size(self):', // 8
        '        return 1', // 9
        'def after():', // 10
        '    pass', // 11
        '# def hidden():', // 12
      ]),
      ['0:class:Box:1-9', '1:function:open:2-5', '1:function:size:8-9', '0:function:after:10-11'],
    );
  });

  it('Ruby, by indentation: each `end` closes its own block', () => {
    assert.deepEqual(
      shape('c.rb', [
        'module Shop',
        '  class Cart',
        '    def add?(item)',
        '      @items << item',
        '    end',
        '  end',
        'end',
      ]),
      ['0:module:Shop:1-7', '1:class:Cart:2-6', '2:method:add?:3-5'],
    );
  });

  it('Go and Rust', () => {
    assert.deepEqual(
      shape('d.go', [
        'package d',
        'type Reader interface {',
        '  Read() int',
        '}',
        'func (r *File) Read() int {',
        '  return 0',
        '}',
        'func main() {}',
      ]),
      ['0:type:Reader:2-4', '0:function:Read:5-7', '0:function:main:8-8'],
    );
    assert.deepEqual(
      shape('e.rs', [
        'pub(crate) async unsafe fn run() {',
        '}',
        'impl<T: Clone> Display for Wrapper<T> {',
        '    fn fmt(&self) {}',
        '}',
        'pub enum Kind { A }',
        'mod tests;',
        '#[derive(Debug)]',
        'struct Plain;',
      ]),
      [
        '0:fn:run:1-2',
        '0:impl:Display for Wrapper<T>:3-5',
        '1:fn:fmt:4-4',
        '0:enum:Kind:6-6',
        '0:mod:tests:7-7',
        '0:struct:Plain:9-9',
      ],
    );
  });

  it('Kotlin and C#', () => {
    assert.deepEqual(
      shape('F.kt', [
        'data class Point(val x: Int) {',
        '    override suspend fun <T> Point.move(dx: Int): Point {',
        '        return this',
        '    }',
        '}',
      ]),
      ['0:class:Point:1-5', '1:function:move:2-4'],
    );
    assert.deepEqual(
      shape('G.cs', [
        'public sealed partial class Repo',
        '{',
        '    public static async Task<int> Count(string where,',
        '        int limit)',
        '    {',
        '        return 0;',
        '    }',
        '}',
      ]),
      ['0:class:Repo:1-8', '1:method:Count:3-7'],
    );
  });

  it('C and PHP', () => {
    assert.deepEqual(
      shape('h.c', [
        'typedef struct node {',
        '  int v;',
        '} node_t;',
        'static int add(int a,',
        '               int b)',
        '{',
        '  return a + b;',
        '}',
        'int proto(void);',
      ]),
      ['0:struct:node:1-3', '0:function:add:4-8'],
    );
    assert.deepEqual(
      shape('i.php', [
        '<?php',
        'final class Api {',
        '    public static function get($id) {',
        '        return $id;',
        '    }',
        '}',
      ]),
      ['0:class:Api:2-6', '1:function:get:3-5'],
    );
  });

  it('Markdown headings up to the next of the same level, not in fences, with or without a last newline', () => {
    const text = '# Title #\n~~~\n# fenced\n~~~\n### Deep\n## Mid\ntext';
    assert.deepEqual(
      outline('j.md', text).map((s) => `${s.depth}:${s.kind}:${s.name}:${s.line}-${s.endLine}:${s.signature}`),
      ['0:heading:Title:1-7:# Title', '2:heading:Deep:5-5:### Deep', '1:heading:Mid:6-7:## Mid'],
    );
    assert.deepEqual(
      outline('j.markdown', `${text}\n`).map((s) => s.endLine),
      [7, 5, 7],
    );
  });

  it('files of no known language have no outline; extensions in any case', () => {
    assert.deepEqual(outline('x.txt', 'class A {\n}\n'), []);
    assert.equal(languageFamily('A.PY'), 'python');
    assert.equal(languageFamily('Makefile'), undefined);
    assert.deepEqual(shape('K.JAVA', ['class K {', '}']), ['0:class:K:1-2']);
  });
});

describe('outline spans around strings, comments and stray braces', () => {
  it('braces in strings, escapes and comments do not count; a division does not start a comment', () => {
    assert.deepEqual(
      shape('s.ts', [
        'function quotes() {', // 1
        '  const a = "x\\"{";', // 2
        "  const b = '{';", // 3
        '  const c = `{`;', // 4
        '  const d = 4 / 2; if (d) {', // 5
        '  } // {', // 6
        '}', // 7
        'function next() {', // 8
        '}', // 9
      ]),
      ['0:function:quotes:1-7', '0:function:next:8-9'],
    );
  });

  it('a stray closing brace, a semicolon inside a parameter, a body opening late or too late', () => {
    assert.deepEqual(shape('t.ts', ['}', 'function f() {', '  go();', '}', 'function g() {', '}']), [
      '0:function:f:2-4',
      '0:function:g:5-6',
    ]);
    assert.deepEqual(shape('t.ts', ['function semi(a = ";",', '  b) {', '  go();', '}']), ['0:function:semi:1-4']);
    assert.deepEqual(shape('t.ts', ['function late(', 'a,', 'b,', 'c,', ') {', '}']), ['0:function:late:1-1']);
  });

  it('a 400-character declaration is still read; a line without spaces too', () => {
    const name = 'x'.repeat(387);
    assert.deepEqual(shape('u.ts', [`function ${name}() {`, '}']), [`0:function:${name}:1-2`]);
    assert.deepEqual(shape('u.c', ['main(){', '}']), ['0:function:main:1-2']);
  });

  it('the signature drops only the trailing brace, and is shortened only past 160 characters', () => {
    assert.equal(outline('v.ts', 'function f({ a }) {\n}\n')[0].signature, 'function f({ a })');
    const exact = `function g(${'a'.repeat(160 - 'function g()'.length)})`;
    assert.equal(exact.length, 160);
    assert.equal(outline('v.ts', `${exact} {\n}\n`)[0].signature, exact);
  });

  it('Markdown: indented fences, fences mid-line, headings with extra spaces, siblings of the same level', () => {
    const text = [
      '# Top',
      'Use ``` inline',
      '## A',
      '  ```',
      '## fenced',
      '  ```',
      '##  B',
      'text # not a heading',
    ].join('\n');
    assert.deepEqual(
      outline('w.md', `${text}\n`).map((s) => `${s.depth}:${s.name}:${s.line}-${s.endLine}`),
      ['0:Top:1-8', '1:A:3-6', '1:B:7-8'],
    );
  });
});
