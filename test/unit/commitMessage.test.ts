/**
 * The commit-message request: the log's style, the diff whole
 * or summarised per file within the budget, the answer cleaned.
 */
import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { estimatingCounter } from '../../src/core/context';
import {
  cleanMessage,
  commitMessages,
  fitDiff,
  splitDiff,
  usesConventionalCommits,
} from '../../src/core/git/commitMessage';

const fileDiff = (path: string, lines: number) =>
  [
    `diff --git a/${path} b/${path}`,
    'index 1111111..2222222 100644',
    `--- a/${path}`,
    `+++ b/${path}`,
    `@@ -1,${lines} +1,${lines} @@`,
    ...Array.from({ length: lines }, (_, i) => `-old line ${i} of ${path}\n+new line ${i} of ${path}`),
  ].join('\n') + '\n';

describe('commit message request', () => {
  test('splitDiff names each file and counts its added and removed lines', () => {
    const files = splitDiff(fileDiff('src/a.ts', 2) + fileDiff('b c.md', 1));
    assert.deepEqual(
      files.map((file) => [file.path, file.added, file.removed]),
      [
        ['src/a.ts', 2, 2],
        ['b c.md', 1, 1],
      ],
    );
  });

  test('conventional commits when most recent subjects use them', () => {
    assert.equal(usesConventionalCommits(['feat(cart): add', 'fix: typo', 'Update README']), true);
    assert.equal(usesConventionalCommits(['Add the cart', 'Fix a typo', 'feat: one']), false);
    assert.equal(usesConventionalCommits([]), false);
  });

  test('a diff within the budget goes whole; a larger one lists every file and keeps the small diffs that fit', () => {
    const small = fileDiff('small.ts', 2);
    assert.deepEqual(fitDiff(small, estimatingCounter, 1_000), { text: small.trimEnd(), summarised: false });
    const big = fileDiff('big.ts', 400) + small + fileDiff('huge.ts', 900);
    const fitted = fitDiff(big, estimatingCounter, 1_000);
    assert.equal(fitted.summarised, true);
    assert.ok(estimatingCounter.count(fitted.text) <= 1_000, String(estimatingCounter.count(fitted.text)));
    assert.match(fitted.text, /^big\.ts \(\+400 −400\)$/m);
    assert.match(fitted.text, /^huge\.ts \(\+900 −900\)$/m);
    assert.ok(fitted.text.includes(small.trimEnd()), 'the small diff is kept whole');
    assert.doesNotMatch(fitted.text, /new line 0 of big\.ts/);
    assert.match(fitted.text, /2 file diffs left out/);
  });

  test('the request carries the log subjects, the diff and the style rule', () => {
    const messages = commitMessages({
      diff: fileDiff('cart.js', 1),
      staged: true,
      subjects: ['feat(cart): add the subtotal', 'docs: explain the cart'],
      counter: estimatingCounter,
      budget: 2_000,
    });
    assert.equal(messages.length, 2);
    assert.match(String(messages[0].content), /Conventional Commits/);
    const user = String(messages[1].content);
    assert.match(user, /- feat\(cart\): add the subtotal\n- docs: explain the cart/);
    assert.match(user, /The staged changes:\n\ndiff --git a\/cart\.js/);
  });

  test('the streamed answer loses a fence, thinking and quotes the model put around it', () => {
    assert.equal(cleanMessage('```\nfix: a\n\nbody\n```'), 'fix: a\n\nbody');
    assert.equal(cleanMessage('<think>hmm</think>\nfeat: b'), 'feat: b');
    assert.equal(cleanMessage('"docs: c"'), 'docs: c');
    assert.equal(cleanMessage('```git'), '');
  });
});
