import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { askUserTool } from '../../src/core/agent/askUser';
import { type ToolCallRecord, ToolRunner } from '../../src/core/agent/toolRunner';
import type { ToolCall } from '../../src/core/model/types';
import { MemoryWorkspace } from '../support/memoryWorkspace';

const ask = (args: Record<string, unknown>): ToolCall => ({
  id: 'call_ask',
  name: 'ask_user',
  arguments: args,
  rawArguments: JSON.stringify(args),
});

async function asked(args: Record<string, unknown>, answer: { choice: string; text?: string } | 'stop') {
  const runner = new ToolRunner([], new MemoryWorkspace({}), undefined, [askUserTool]);
  const controller = new AbortController();
  const seen: ToolCallRecord[] = [];
  const running = runner.run([ask(args)], controller.signal, (record) => seen.push({ ...record }));
  await new Promise((resolve) => setTimeout(resolve, 10));
  const card = seen.find((record) => record.prompt)?.prompt;
  if (answer === 'stop') controller.abort();
  else assert.equal(runner.answer('call_ask', answer), true);
  const [record] = await running;
  return { card, record, last: seen.at(-1)! };
}

describe('ask_user: a question card; the turn waits for the answer', () => {
  it('shows the question with the choices as buttons and a text box, and returns the button chosen', async () => {
    const { card, record, last } = await asked(
      { question: 'Which database?', choices: ['SQLite', 'Postgres'] },
      {
        choice: 'choice-1',
      },
    );
    assert.equal(card?.text, 'Which database?');
    assert.deepEqual(
      card?.choices.map((choice) => choice.label),
      ['SQLite', 'Postgres', 'Send answer'],
    );
    assert.equal(card?.placeholder, 'Your answer');
    assert.equal(record.result, 'The user answered: Postgres');
    assert.equal(last.prompt, undefined, 'the card stops asking');
    assert.equal(last.answer, 'Postgres');
  });

  it('returns a typed answer', async () => {
    const { record } = await asked({ question: 'Port?' }, { choice: 'answer', text: ' 8080 ' });
    assert.equal(record.result, 'The user answered: 8080');
  });

  it('Stop ends the wait; the model is told and a late answer is ignored', async () => {
    const { record, last } = await asked({ question: 'Go on?' }, 'stop');
    assert.equal(record.result, 'Not run: the user stopped the request.');
    assert.equal(last.prompt, undefined);
  });

  it('needs a question', async () => {
    const runner = new ToolRunner([], new MemoryWorkspace({}), undefined, [askUserTool]);
    const [record] = await runner.run([ask({})], new AbortController().signal, () => undefined);
    assert.equal(
      record.result,
      'Error: The ask_user call was not run: "question" is missing. ask_user takes question (required), ' +
        'choices. Call it again with arguments that fit.',
    );
  });
});
