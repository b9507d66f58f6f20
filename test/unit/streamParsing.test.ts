/** The chunk assembly under ModelClient, fed parsed chunks directly (as the `openai` package yields them). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TurnBuilder } from '../../src/core/model/turnBuilder';
import type { ModelTurn, StreamEvent } from '../../src/core/model/types';

function build(chunks: readonly unknown[], closed = true): { turn: ModelTurn; events: StreamEvent[] } {
  const builder = new TurnBuilder();
  const events: StreamEvent[] = [];
  for (const chunk of chunks) {
    builder.chunk(chunk);
    events.push(...builder.take());
  }
  if (closed) builder.close();
  builder.end();
  events.push(...builder.take());
  return { turn: builder.turn(), events };
}
const delta = (d: unknown, finish: string | null = null, id = 'chatcmpl-t') => ({
  id,
  choices: [{ index: 0, delta: d, finish_reason: finish }],
});
const call = (fields: Record<string, unknown>) => delta({ tool_calls: [fields] });

describe('TurnBuilder: tool-call deltas', () => {
  it('makes up stable ids from the completion id when a server sends none', () => {
    const { turn } = build([
      call({ index: 0, function: { name: 'a', arguments: '{}' } }),
      call({ index: 1, id: '', function: { name: 'b', arguments: '{}' } }),
    ]);
    assert.deepEqual(
      turn.toolCalls.map((c) => c.id),
      ['call_chatcmpl-t_0', 'call_chatcmpl-t_1'],
    );
    assert.deepEqual(
      build([call({ index: 0, function: { name: 'a', arguments: '{}' } })]).turn.toolCalls[0].id,
      'call_chatcmpl-t_0',
    );
  });

  it('tells calls apart without an index (older Ollama), by id or by a new name', () => {
    const { turn } = build([
      call({ function: { name: 'read_file', arguments: '{"path":"a"}' } }),
      call({ function: { name: 'read_file', arguments: '{"path":"b"}' } }),
      call({ id: 'x1', function: { name: 'search', arguments: '{"q":' } }),
      call({ id: 'x1', function: { arguments: '"z"}' } }),
    ]);
    assert.deepEqual(
      turn.toolCalls.map((c) => [c.name, c.arguments]),
      [
        ['read_file', { path: 'a' }],
        ['read_file', { path: 'b' }],
        ['search', { q: 'z' }],
      ],
    );
  });

  it('separates calls a server puts all at index 0 with different ids', () => {
    const { turn } = build([
      call({ index: 0, id: 'c1', function: { name: 'a', arguments: '{"n":1}' } }),
      call({ index: 0, id: 'c2', function: { name: 'b', arguments: '{"n":2}' } }),
    ]);
    assert.deepEqual(
      turn.toolCalls.map((c) => [c.id, c.name, c.arguments]),
      [
        ['c1', 'a', { n: 1 }],
        ['c2', 'b', { n: 2 }],
      ],
    );
  });

  it('accepts a name repeated in every delta, a name streamed in pieces, and arguments sent as an object', () => {
    const { turn } = build([
      call({ index: 0, id: 'r', function: { name: 'read_file', arguments: '{"path":' } }),
      call({ index: 0, function: { name: 'read_file', arguments: '"a.ts"}' } }),
      call({ index: 1, id: 's', function: { name: 'sea' } }),
      call({ index: 1, function: { name: 'rch', arguments: '' } }),
      call({ index: 2, id: 'o', function: { name: 'run', arguments: { command: 'ls' } } }),
    ]);
    assert.deepEqual(
      turn.toolCalls.map((c) => [c.name, c.arguments]),
      [
        ['read_file', { path: 'a.ts' }],
        ['search', {}],
        ['run', { command: 'ls' }],
      ],
    );
  });

  it('takes the legacy function_call delta as a tool call', () => {
    const { turn } = build([
      delta({ function_call: { name: 'a', arguments: '{"x":' } }),
      delta({ function_call: { arguments: '1}' } }, 'function_call'),
    ]);
    assert.deepEqual(
      turn.toolCalls.map((c) => [c.name, c.arguments]),
      [['a', { x: 1 }]],
    );
    assert.equal(turn.finishReason, 'tool_calls');
  });

  it('gives a call with broken arguments a parse error the model can act on', () => {
    const { turn } = build([
      call({ index: 0, id: 'k', function: { name: 'edit_file', arguments: '{"path": "a.ts", "edits": [1, 2' } }),
    ]);
    assert.deepEqual(turn.toolCalls[0].arguments, {});
    assert.match(
      turn.toolCalls[0].parseError ?? '',
      /^The arguments of the edit_file call could not be used: it is not valid JSON .*Call edit_file again/,
    );
  });
});

describe('TurnBuilder: finish reasons and usage', () => {
  const cases: Array<[string | null, boolean, ModelTurn['finishReason']]> = [
    ['stop', false, 'stop'],
    ['eos', false, 'stop'],
    ['length', false, 'length'],
    ['tool_calls', true, 'tool_calls'],
    ['function_call', true, 'tool_calls'],
    ['stop', true, 'tool_calls'],
    ['content_filter', false, 'content_filter'],
    [null, false, 'stop'],
    [null, true, 'tool_calls'],
  ];
  for (const [raw, withCall, want] of cases) {
    it(`finish_reason ${raw}${withCall ? ' with a tool call' : ''} → ${want}`, () => {
      const chunks: unknown[] = [delta({ content: 'x' })];
      if (withCall) chunks.push(call({ index: 0, id: 'c', function: { name: 'a', arguments: '{}' } }));
      chunks.push(delta({}, raw));
      assert.equal(build(chunks).turn.finishReason, want);
    });
  }

  it('is not finished without a finish reason or a body that ended cleanly after a chunk', () => {
    const empty = new TurnBuilder();
    empty.close();
    assert.equal(empty.finished, false, 'no chunk at all');
    const builder = new TurnBuilder();
    builder.chunk(delta({ content: 'x' }));
    assert.equal(builder.finished, false);
    builder.close();
    assert.equal(builder.finished, true);
  });

  it('is not finished by finish_reason "error"', () => {
    const builder = new TurnBuilder();
    builder.chunk(delta({ content: 'x' }, 'error'));
    builder.close();
    assert.equal(builder.finished, false);
  });

  it('keeps the last usage when a server sends it in every chunk', () => {
    const usage = (n: number) => ({
      ...delta({ content: 'x' }),
      usage: { prompt_tokens: 5, completion_tokens: n, total_tokens: 5 + n },
    });
    assert.deepEqual(build([usage(1), usage(2), usage(3)]).turn.usage, { promptTokens: 5, completionTokens: 3 });
  });

  it('falls back to llama.cpp timings when no usage came', () => {
    const timings = { cache_n: 100, prompt_n: 20, predicted_n: 7 };
    assert.deepEqual(build([{ ...delta({}, 'stop'), timings }]).turn.usage, { promptTokens: 120, completionTokens: 7 });
  });

  it('has no usage when none came', () => {
    assert.equal('usage' in build([delta({ content: 'x' }, 'stop')]).turn, false);
  });

  it('ignores choices other than the first, and chunks that are not objects', () => {
    const builder = new TurnBuilder();
    builder.chunk({
      choices: [
        { index: 1, delta: { content: 'other' } },
        { index: 0, delta: { content: 'mine' } },
      ],
    });
    builder.chunk('not an object');
    builder.chunk(null);
    builder.end();
    assert.equal(builder.turn().text, 'mine');
  });

  it('takes a chunk that is only an error as the stream failing, and nothing else as one', () => {
    const failure = (chunk: unknown) => {
      const builder = new TurnBuilder();
      builder.chunk(chunk);
      return builder.failure;
    };
    assert.deepEqual(failure({ message: 'Upstream overloaded', code: 503 }), {
      message: 'Upstream overloaded',
      code: 503,
    });
    assert.deepEqual(failure({ object: 'error', message: 'bad', type: 'BadRequestError' }), { message: 'bad' });
    assert.deepEqual(failure({ type: 'error' }), { message: '{"type":"error"}' });
    assert.deepEqual(failure({ error: { message: 'x', code: 'c' } }), { message: 'x', code: 'c' });
    assert.equal(failure({ message: 'not an error', choices: [] }), undefined);
    assert.equal(failure({ message: 'not an error', usage: { prompt_tokens: 1 } }), undefined);
    assert.equal(failure(delta({ content: 'x' })), undefined);
  });

  it('emits text and reasoning in the order they came, merged per read', () => {
    const { events } = build([
      delta({ reasoning_content: 'think ' }),
      delta({ reasoning: 'more' }),
      delta({ content: 'say' }),
      delta({ reasoning_content: ' again' }),
    ]);
    assert.deepEqual(events, [
      { type: 'reasoning', text: 'think ' },
      { type: 'reasoning', text: 'more' },
      { type: 'text', text: 'say' },
      { type: 'reasoning', text: ' again' },
    ]);
  });
});
