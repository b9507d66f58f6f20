/**
 * The edges of splitting a pasted request into parts, each worked out by hand from how
 * Markdown renders it: where a template comment ends, which lines open a fence, how
 * `<details>` tags that do not pair up are read, and what a fence left open inside a
 * folded section counts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { requestParts } from '../../src/core/context/rank/requestParts';

describe('the parts of a request, at the edges', () => {
  it('replace a template comment with a space, each comment on its own, an unclosed one to the end', () => {
    assert.deepEqual(requestParts('a<!--x-->b'), [{ text: 'a b', weight: 1 }]);
    // Two comments: the words between them stay (the comment ends at its first `-->`).
    assert.deepEqual(requestParts('keep <!-- a --> middle <!-- b --> end'), [
      { text: 'keep   middle   end', weight: 1 },
    ]);
    // A comment over several lines, with spaces and line breaks inside.
    assert.deepEqual(requestParts('before <!-- line one\nline two --> after'), [{ text: 'before   after', weight: 1 }]);
    assert.deepEqual(requestParts('start <!-- never closed\nmore'), [{ text: 'start  ', weight: 1 }]);
  });

  it('read Windows line ends as line ends', () => {
    assert.deepEqual(requestParts('one\r\ntwo'), [{ text: 'one\ntwo', weight: 1 }]);
    assert.deepEqual(requestParts('```\r\ncode\r\n```\r\nafter'), [
      { text: 'code', weight: 1 },
      { text: 'after', weight: 1 },
    ]);
  });

  it('start with a code block without an empty part before it', () => {
    assert.deepEqual(requestParts('```\ncode\n```\nafter'), [
      { text: 'code', weight: 1 },
      { text: 'after', weight: 1 },
    ]);
  });

  it('open a fence indented by spaces, but not one after text or of two backticks', () => {
    assert.deepEqual(requestParts('  ```\nindented\n  ```'), [{ text: 'indented', weight: 1 }]);
    assert.deepEqual(requestParts('x```\nnot a fence'), [{ text: 'x```\nnot a fence', weight: 1 }]);
    assert.deepEqual(requestParts('``\nnot a fence'), [{ text: '``\nnot a fence', weight: 1 }]);
    // A fence closes only with its own character: tildes inside a backtick fence are code.
    assert.deepEqual(requestParts('```\na\n~~~\nb\n```\nc'), [
      { text: 'a\n~~~\nb', weight: 1 },
      { text: 'c', weight: 1 },
    ]);
    assert.deepEqual(requestParts('~~~~\na\n~~~\nb\n~~~~~\nc'), [
      { text: 'a\n~~~\nb', weight: 1 },
      { text: 'c', weight: 1 },
    ]);
  });

  it('ignore a stray </details> before a folded section, which still counts half', () => {
    assert.deepEqual(requestParts('</details>\n<details>\ninside\n</details>'), [
      { text: '</details>', weight: 1 },
      { text: '<details>\ninside', weight: 0.5 },
      { text: '</details>', weight: 0.5 },
    ]);
  });

  it('read <details> in any case, not a longer tag name, and count nested sections to their last close', () => {
    assert.deepEqual(requestParts('<DETAILS>\nupper\n</DETAILS>\nout'), [
      { text: '<DETAILS>\nupper', weight: 0.5 },
      { text: '</DETAILS>', weight: 0.5 },
      { text: 'out', weight: 1 },
    ]);
    assert.deepEqual(requestParts('<detailsx>\nno\n'), [{ text: '<detailsx>\nno\n', weight: 1 }]);
    assert.deepEqual(requestParts('<details><details>\ndeep\n</details>\nstill\n</details>\nout'), [
      { text: '<details><details>\ndeep', weight: 0.5 },
      { text: '</details>', weight: 0.5 },
      { text: 'still', weight: 0.5 },
      { text: '</details>', weight: 0.5 },
      { text: 'out', weight: 1 },
    ]);
    // Both tags on one line: open and closed again, the next line is outside.
    assert.deepEqual(requestParts('<details>x</details>\nafter'), [
      { text: '<details>x</details>', weight: 0.5 },
      { text: 'after', weight: 1 },
    ]);
  });

  it('count a fence left open inside <details> half, to the end', () => {
    assert.deepEqual(requestParts('<details>\n```\nunclosed'), [
      { text: '<details>', weight: 0.5 },
      { text: 'unclosed', weight: 0.5 },
    ]);
    const long = Array.from({ length: 50 }, (_, i) => `pkg${i} 1.0`);
    assert.deepEqual(requestParts(['<details>', '```', ...long].join('\n')), [
      { text: '<details>', weight: 0.5 },
      { text: long.join('\n'), weight: 0.25 },
    ]);
  });

  it('count a line of words by two letters or underscores in a row', () => {
    // 50 lines of `__` and 50 of `a1`: only the first are words, so the block counts 25 / 50.
    const lines = [...Array.from({ length: 50 }, () => '__'), ...Array.from({ length: 50 }, () => 'a1 b2')];
    assert.equal(requestParts(['```', ...lines, '```'].join('\n'))[0].weight, 0.5);
    const upper = Array.from({ length: 100 }, () => 'ZZ');
    assert.equal(requestParts(['```', ...upper, '```'].join('\n'))[0].weight, 0.25);
  });
});
