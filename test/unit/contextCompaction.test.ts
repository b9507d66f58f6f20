import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type HistoryMessage, compactHistory, historyTokens } from '../../src/core/context/pack/compaction';
import type { TokenCounter } from '../../src/core/context/tokens/tokenCounter';

/** One token per word: easy to reason about in the assertions. */
const words: TokenCounter = { name: 'words', exact: true, count: (text) => text.split(/\s+/).filter(Boolean).length };
const text = (n: number, word = 'w') => Array.from({ length: n }, () => word).join(' ');

function conversation(): HistoryMessage[] {
  return [
    { role: 'user', content: text(10, 'first') },
    { role: 'assistant', content: text(10, 'reading') },
    { role: 'tool', toolName: 'read_file', content: text(300, 'old'), files: ['src/a.ts'] },
    { role: 'assistant', content: text(20, 'answer') },
    { role: 'user', content: text(10, 'second') },
    { role: 'tool', toolName: 'grep', content: text(200, 'older') },
    { role: 'assistant', content: text(20, 'answer2') },
    { role: 'user', content: text(10, 'third') },
    { role: 'tool', toolName: 'read_file', content: text(100, 'recent'), files: ['src/b.ts'] },
    { role: 'assistant', content: text(20, 'answer3') },
    { role: 'user', content: text(5, 'now') },
  ];
}

describe('history compaction', () => {
  it('leaves a history that fits alone', async () => {
    const history = conversation();
    const result = await compactHistory(history, { counter: words, budget: 10_000 });
    assert.deepEqual(result.messages, history);
    assert.deepEqual(result.report.steps, []);
  });

  it('tier 1: replaces stale tool outputs with a note, oldest first, keeping the recent turns', async () => {
    const history = conversation();
    const before = historyTokens(words, history);
    const result = await compactHistory(history, { counter: words, budget: before - 250 });
    assert.equal(result.report.steps.length, 1);
    assert.deepEqual(result.report.steps[0], {
      tier: 1,
      action: 'dropped-tool-outputs',
      messages: 1,
      tokensSaved: result.report.before - result.report.after,
    });
    assert.match(result.messages[2].content, /^\[output of read_file removed to save context \(300 tokens\)/);
    assert.equal(result.messages[5].content, history[5].content);
    assert.equal(result.messages[8].content, history[8].content);
    assert.ok(result.tokens <= before - 250);
  });

  it('tier 2: summarises older turns through the model and re-attaches the files they worked on', async () => {
    const history = conversation();
    let summarised: readonly HistoryMessage[] = [];
    const result = await compactHistory(history, {
      counter: words,
      budget: 260,
      keepTurns: 2,
      summarise: async (messages) => {
        summarised = messages;
        return 'they read a.ts and answered';
      },
      readFiles: async (paths) => paths.map((path) => ({ path, text: `current ${path}` })),
    });
    assert.equal(summarised.length, 7, 'everything before the last two user turns');
    assert.deepEqual(
      result.report.steps.map((step) => step.action),
      ['dropped-tool-outputs', 'summarised'],
    );
    assert.match(result.messages[0].content, /^Summary of the earlier conversation:\nthey read a\.ts and answered/);
    assert.match(result.messages[1].content, /<file path="src\/a\.ts">\ncurrent src\/a\.ts\n<\/file>/);
    assert.deepEqual(result.report.reattached, ['src/a.ts']);
    assert.deepEqual(result.messages.slice(2), history.slice(7));
    assert.ok(result.tokens <= 260);
    assert.equal(result.tokens, historyTokens(words, result.messages));
  });

  it('tier 3: when summarising fails, drops the oldest whole turns and says so', async () => {
    const result = await compactHistory(conversation(), {
      counter: words,
      budget: 120,
      summarise: async () => {
        throw new Error('server down');
      },
    });
    assert.deepEqual(
      result.report.steps.map((step) => step.action),
      ['dropped-tool-outputs', 'summary-failed', 'truncated'],
    );
    assert.equal(result.messages[0].role, 'user', 'no tool output without its call');
    assert.equal(result.messages.at(-1)?.content, text(5, 'now'));
    assert.ok(result.tokens <= 120);
  });

  it('shortens the last message itself when even that does not fit', async () => {
    const result = await compactHistory([{ role: 'user', content: text(2000, 'huge') }], {
      counter: words,
      budget: 500,
    });
    assert.ok(result.tokens <= 500);
    assert.match(result.messages[0].content, /characters cut to fit the context window/);
  });

  it('never returns more than its budget (property)', async () => {
    const message = fc.record({
      role: fc.constantFrom('user' as const, 'assistant' as const, 'tool' as const),
      content: fc.oneof(
        fc.string({ maxLength: 50 }),
        fc.nat({ max: 600 }).map((n) => text(n)),
      ),
      files: fc.constantFrom(undefined, ['x.ts'], ['y.ts', 'x.ts']),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(message, { maxLength: 20 }),
        fc.nat({ max: 2000 }),
        fc.boolean(),
        async (history, budget, summarise) => {
          const result = await compactHistory(history, {
            counter: words,
            budget,
            summarise: summarise ? async (older) => text(Math.min(50, older.length * 5), 'sum') : undefined,
            readFiles: async (paths) => paths.map((path) => ({ path, text: text(30, 'file') })),
          });
          assert.ok(result.tokens <= budget, `${result.tokens} > ${budget}`);
          assert.equal(result.tokens, historyTokens(words, result.messages));
        },
      ),
      { numRuns: 300, seed: 3 },
    );
  });
});
