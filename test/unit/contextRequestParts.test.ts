/**
 * How much each part of a pasted request counts: the words a person wrote fully, a short
 * code block fully, a long pasted block by 25 / its lines (at least 0.2), a folded
 * `<details>` section half, template comments not at all. Reference weights worked out by hand.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { requestParts } from '../../src/core/context/rank/requestParts';
import { requestTerms } from '../../src/core/context/rank/request';

const close = (actual: number | undefined, expected: number) =>
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-9, `${actual} ≠ ${expected}`);

const fenced = (lines: string[], fence = '```') => [fence, ...lines, fence].join('\n');

describe('the parts of a request', () => {
  it('keep prose and a short code block at full weight, in order', () => {
    const parts = requestParts(['The parser fails:', fenced(['parse(x)', 'boom()']), 'after that.'].join('\n'));
    assert.deepEqual(parts, [
      { text: 'The parser fails:', weight: 1 },
      { text: 'parse(x)\nboom()', weight: 1 },
      { text: 'after that.', weight: 1 },
    ]);
  });

  it('damp a long block by its lines of words, down to a floor', () => {
    const fifty = Array.from({ length: 50 }, (_, i) => `pkg${i} 1.0`);
    assert.equal(requestParts(fenced(fifty))[0].weight, 0.5);
    const twenty6 = Array.from({ length: 26 }, () => 'ab');
    close(requestParts(fenced(twenty6))[0].weight, 25 / 26);
    assert.equal(requestParts(fenced(Array.from({ length: 25 }, () => 'ab')))[0].weight, 1);
    assert.equal(requestParts(fenced(Array.from({ length: 1000 }, () => 'ab')))[0].weight, 0.2);
    // A printed matrix: drawing and blank lines carry no words, so 20 lines of words among 60 count fully.
    const drawing = Array.from({ length: 60 }, (_, i) => (i % 3 ? '⎢0  1  0⎥' : `In [${i}]: M.col_insert(3, V)`));
    assert.equal(requestParts(fenced(drawing))[0].weight, 1);
    // One letter is no word.
    assert.equal(requestParts(fenced(Array.from({ length: 40 }, () => 'x = 1')))[0].weight, 1);
  });

  it('halve what sits inside <details>, and drop template comments', () => {
    const parts = requestParts(
      [
        '<!-- Thanks for submitting an issue! -->',
        'Bug here',
        '<details>',
        'versions',
        fenced(['a 1.0']),
        '</details>',
        'end',
      ].join('\n'),
    );
    assert.ok(!parts.some((part) => part.text.includes('Thanks')), JSON.stringify(parts));
    const weightOf = (needle: string) => parts.find((part) => part.text.includes(needle))?.weight;
    assert.equal(weightOf('Bug here'), 1);
    assert.equal(weightOf('versions'), 0.5);
    assert.equal(weightOf('a 1.0'), 0.5);
    assert.equal(weightOf('end'), 1);
  });

  it('close a fence only with the same character at least as long, and run an unclosed one to the end', () => {
    const parts = requestParts(['````', 'inner ```', '```', 'still code', '````', 'prose', '~~~', 'open'].join('\n'));
    assert.deepEqual(
      parts.map((part) => part.text),
      ['inner ```\n```\nstill code', 'prose', 'open'],
    );
  });
});

describe('query terms from the parts', () => {
  it('let a word a person wrote outweigh a package name in a long pasted listing', () => {
    const listing = Array.from({ length: 100 }, (_, i) => `package${i}    ${i}.0.1`);
    const request = requestTerms(
      ['xfail marker ignored', fenced(['$ pip list', 'jinja2 2.11', ...listing])].join('\n'),
    );
    close(request.query.get('xfail'), 1);
    // jinja2 comes once, in a block of 102 lines: 25 / 102 of a mention, and as much again as a name (it has a digit).
    close(request.query.get('jinja2'), 2 * (25 / 102));
    close(request.query.get('pip'), 25 / 102);
    // A name written as code in the damped block gains only the block's weight.
    close(request.query.get('package0'), 2 * (25 / 102));
  });

  it('leave out rules of underscores, which are separators, not words', () => {
    const request = requestTerms('____________ test_run ____________\nfailed');
    assert.equal(request.query.has('____________'), false);
    assert.ok(request.query.has('test_run'));
  });

  it('put the names a person wrote before those from long pasted output', () => {
    const log = Array.from({ length: 100 }, (_, i) => `src/gen/about.py:${i}: C0103 Ui_AboutWidget`);
    const request = requestTerms([fenced(log), 'The `ignore_paths` option is ignored'].join('\n'));
    assert.equal(request.identifiers[0], 'ignore_paths');
    assert.ok(request.identifiers.includes('Ui_AboutWidget'));
  });
});
