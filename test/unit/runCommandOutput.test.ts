import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { headAndTail, OutputBuffer, plainText } from '../../src/core/agent/commands/output';
import { estimatingCounter, type TokenCounter } from '../../src/core/context/tokens/tokenCounter';

/** One token per character: budgets can be worked out by hand. */
const perChar: TokenCounter = { name: 'chars', exact: true, count: (text) => text.length };
const numbered = (n: number) => Array.from({ length: n }, (_, i) => `line ${String(i + 1).padStart(3, '0')}`);

describe('command output for the model: head and tail within a token budget', () => {
  it('keeps a short output whole', () => {
    const text = 'ok 1 - adds\nok 2 - subtracts\n';
    assert.equal(headAndTail(text, 1000, perChar), text);
  });

  it('keeps a third of the room for the first lines and the rest for the last, and counts what it left out', () => {
    // 100 lines of 8 characters cost 9 each (the newline); the marker costs 23, leaving 77:
    // 25 for the head (2 lines), 59 for the tail (6 lines); 92 lines are left out.
    const result = headAndTail(numbered(100).join('\n'), 100, perChar);
    assert.equal(result, ['line 001', 'line 002', '… [92 lines omitted] …', ...numbered(100).slice(94)].join('\n'));
  });

  it('stays within the budget by the real counter on a long test log', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `not ok ${i} - case ${i} expected ${i * 7} got ${i * 7 + 1}`);
    lines.push('# tests 5000', '# fail 5000');
    const result = headAndTail(lines.join('\n'), 500, estimatingCounter);
    assert.ok(estimatingCounter.count(result) <= 500, `${estimatingCounter.count(result)} tokens`);
    assert.ok(result.startsWith('not ok 0 - case 0'));
    assert.ok(result.endsWith('# tests 5000\n# fail 5000'));
    assert.match(result, /… \[\d+ lines omitted\] …/);
  });

  it('cuts one very long line rather than dropping everything', () => {
    const result = headAndTail('x'.repeat(10_000), 200, perChar);
    assert.ok(result.length <= 200);
    assert.match(result, /^x+…/);
  });
});

describe('OutputBuffer', () => {
  it('keeps the start and the end of a huge output and says how much of the middle went', () => {
    const buffer = new OutputBuffer();
    buffer.append('START\n');
    for (let i = 0; i < 3000; i++) buffer.append(`${'m'.repeat(99)}\n`);
    buffer.append('END\n');
    assert.equal(buffer.length, 6 + 300_000 + 4);
    const text = buffer.text();
    assert.ok(text.startsWith('START\n'));
    assert.ok(text.endsWith('END\n'));
    assert.match(text, new RegExp(`\\[${buffer.dropped} characters not kept\\]`));
    assert.equal(buffer.dropped, 300_010 - 2 * 64 * 1024);
  });

  it('removes colours and cursor moves and keeps the last state of a redrawn line', () => {
    assert.equal(
      plainText('\u001b[32m✔ passes\u001b[39m\r\nprogress 10%\rprogress 100%\n'),
      '✔ passes\nprogress 100%\n',
    );
    assert.equal(plainText('\u001b]633;C\u0007out\n'), 'out\n');
  });
});
