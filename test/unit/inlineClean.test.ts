import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cleanAnswer, isProseLine, splitLines, streamingLines } from '../../src/core/inline';

const code = (answer: string, languageId = 'typescript') => {
  const clean = cleanAnswer(answer, languageId);
  assert.equal(clean.kind, 'code', `expected code, got ${JSON.stringify(clean)}`);
  return clean.kind === 'code' ? clean.lines : [];
};

describe('inline edit: cleaning the answer', () => {
  it('keeps a bare answer as it is, indentation and inner blank lines included, trailing blanks dropped', () => {
    assert.deepEqual(code('  const a = 1;\n\n  return a;\n\n'), ['  const a = 1;', '', '  return a;']);
  });

  it('takes the body of a fence, with or without a language, ``` or ~~~', () => {
    assert.deepEqual(code('```ts\nconst a = 1;\n```'), ['const a = 1;']);
    assert.deepEqual(code('```\nx();\n```\n'), ['x();']);
    assert.deepEqual(code('~~~python\nprint(1)\n~~~'), ['print(1)']);
  });

  it('drops a chatty preamble and a closing remark around a fence', () => {
    const answer =
      'Here is the updated code:\n\n```ts\nfoo();\nbar();\n```\n\nThis change makes the loop shorter and clearer.';
    assert.deepEqual(code(answer), ['foo();', 'bar();']);
  });

  it('takes the longest of several fenced blocks', () => {
    assert.deepEqual(code('```ts\na();\n```\nand\n```ts\nb();\nc();\n```'), ['b();', 'c();']);
  });

  it('keeps inner backtick fences when the outer fence is longer', () => {
    assert.deepEqual(code('````md\n```js\nx\n```\n````', 'markdown'), ['```js', 'x', '```']);
  });

  it('drops a preamble line without a fence, and the markers a model echoed', () => {
    assert.deepEqual(code("Sure, here's the rewritten function:\n\nfunction f() {}\n"), ['function f() {}']);
    assert.deepEqual(code('<<<<<<< REWRITE START (lines 2-3)\nx = 1\n>>>>>>> REWRITE END\n', 'python'), ['x = 1']);
  });

  it('reports an answer in sentences as a message, not code', () => {
    const answer = 'I cannot do that because the selected lines do not contain a loop to rewrite.';
    assert.deepEqual(cleanAnswer(answer, 'typescript'), { kind: 'message', text: answer });
    const multi = 'This function already handles empty input.\nThere is nothing to change here.';
    assert.equal(cleanAnswer(multi, 'python').kind, 'message');
  });

  it('does not take Python, SQL or imports that read like words for prose', () => {
    const python = 'if value is None and other is not None:\n    return other\nfrom typing import Any, Optional, Union';
    assert.equal(cleanAnswer(python, 'python').kind, 'code');
    assert.equal(cleanAnswer('SELECT name FROM users WHERE id IS NOT NULL', 'sql').kind, 'code');
  });

  it('writes prose into Markdown and text files (prose is their code)', () => {
    assert.equal(cleanAnswer('This is a sentence about the project and its goals.', 'markdown').kind, 'code');
    assert.equal(cleanAnswer('This is a sentence about the project and its goals.', 'plaintext').kind, 'code');
  });

  it('keeps a fenced block that is part of a Markdown answer, and unwraps one around the whole answer', () => {
    const markdown = '## Usage\n\n```sh\nnpm start\n```\n\nThen open the URL.';
    assert.deepEqual(code(markdown, 'markdown'), [
      '## Usage',
      '',
      '```sh',
      'npm start',
      '```',
      '',
      'Then open the URL.',
    ]);
    assert.deepEqual(code('````markdown\n# Title\n```js\nx\n```\n````\n', 'markdown'), [
      '# Title',
      '```js',
      'x',
      '```',
    ]);
  });

  it('treats an empty answer as deleting the range', () => {
    assert.deepEqual(code(''), []);
    assert.deepEqual(code('\n\n'), []);
  });

  it('tells sentences from code lines', () => {
    assert.ok(isProseLine('The function returns the sum of both values.'));
    assert.ok(!isProseLine('  The indented line is part of a docstring or code block.'));
    assert.ok(!isProseLine('return a + b;'));
    assert.ok(!isProseLine('Console.WriteLine("Hello world, from the program");'));
    assert.ok(!isProseLine('Too short.'));
    assert.ok(!isProseLine('import the modules we need for this'));
  });
});

describe('inline edit: lines shown while streaming', () => {
  it('shows only complete lines', () => {
    assert.deepEqual(streamingLines('const a = 1;\nconst b'), ['const a = 1;']);
    assert.deepEqual(streamingLines('const a'), []);
  });

  it('skips the opening fence and stops at the closing one', () => {
    assert.deepEqual(streamingLines('```ts\nfoo();\n'), ['foo();']);
    assert.deepEqual(streamingLines('```ts\nfoo();\n```\nSome remarks after the code block here.\n'), ['foo();']);
    assert.deepEqual(streamingLines('``'), []);
  });

  it('shows nothing of a preamble, before or after its fence opens', () => {
    assert.deepEqual(streamingLines('Here is the code:\n'), []);
    assert.deepEqual(streamingLines('Here is the code:\n\n```py\nx = 1\n'), ['x = 1']);
    assert.deepEqual(streamingLines('Here is the code:\nx = 1\n'), ['x = 1']);
  });

  it('drops echoed markers', () => {
    assert.deepEqual(streamingLines('<<<<<<< REWRITE START (lines 1-2)\na\n'), ['a']);
  });
});

describe('inline edit: edges of cleaning (mutation survivors)', () => {
  it('drops a byte-order mark, trims a message, and unwraps a Markdown fence followed by blank lines', () => {
    assert.deepEqual(code('\uFEFFconst a = 1;\n'), ['const a = 1;']);
    assert.deepEqual(cleanAnswer('\nI cannot do this because the selected code has no loop.\n\n', 'go'), {
      kind: 'message',
      text: 'I cannot do this because the selected code has no loop.',
    });
    assert.deepEqual(code('```md\n# Title\n```\n\n\n', 'markdown'), ['# Title']);
  });

  it('while streaming skips blank lines and a paragraph of prose before the fence', () => {
    assert.deepEqual(streamingLines('\n\n```ts\nx();\n'), ['x();']);
    const talk =
      'I rewrote the loop so that it uses reduce.\nIt is shorter now and easier to read.\n\n```ts\nx();\ny();\n';
    assert.deepEqual(streamingLines(talk), ['x();', 'y();']);
    assert.deepEqual(streamingLines('Here is the code:\n\n\nx();\n'), ['x();']);
    // Code before a fence is code: nothing is skipped.
    assert.deepEqual(streamingLines('x();\ny();\n'), ['x();', 'y();']);
  });
});

describe('splitLines', () => {
  it('splits on LF and CRLF; a final newline adds no empty line', () => {
    assert.deepEqual(splitLines(''), []);
    assert.deepEqual(splitLines('a\r\nb\n'), ['a', 'b']);
    assert.deepEqual(splitLines('a\n\n'), ['a', '']);
  });
});
