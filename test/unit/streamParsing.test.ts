/** The pieces under ModelClient, fed directly: SSE framing, chunk assembly, the content fast path. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SseDecoder } from '../../src/core/model/sse';
import { ContentFastPath, decodeStringLiteral, unescapeJson } from '../../src/core/model/contentFastPath';
import { TurnBuilder } from '../../src/core/model/turnBuilder';
import type { ModelTurn, StreamEvent } from '../../src/core/model/types';

function sseEvents(pieces: readonly string[]): Array<[string, string | undefined]> {
  const decoder = new SseDecoder();
  const out: Array<[string, string | undefined]> = [];
  const listener = (data: string, event: string | undefined) => out.push([data, event]);
  for (const piece of pieces) decoder.push(piece, listener);
  decoder.end(listener);
  return out;
}

describe('SseDecoder', () => {
  const body =
    ': keep-alive\r\n\r\ndata: {"a":1}\r\n\r\nevent: error\ndata: {"error":"x"}\n\ndata:{"b":"two\\nlines"}\r\rdata: [DONE]\n\n';
  const want: Array<[string, string | undefined]> = [
    ['{"a":1}', undefined],
    ['{"error":"x"}', 'error'],
    ['{"b":"two\\nlines"}', undefined],
    ['[DONE]', undefined],
  ];

  it('reads events, skips comments, honours every line ending', () => {
    assert.deepEqual(sseEvents([body]), want);
  });

  it('gives the same events wherever the text is cut, even between \\r and \\n', () => {
    for (let cut = 0; cut <= body.length; cut++) {
      for (let second = cut; second <= body.length; second += 7) {
        assert.deepEqual(
          sseEvents([body.slice(0, cut), body.slice(cut, second), body.slice(second)]),
          want,
          `cut at ${cut}/${second}`,
        );
      }
    }
  });

  it('joins multi-line data, and splits events a server forgot to separate', () => {
    assert.deepEqual(sseEvents(['data: line one\ndata: line two\n\n']), [['line one\nline two', undefined]]);
    assert.deepEqual(sseEvents(['data: {"a":1}\ndata: {"a":2}\ndata: [DONE]\n']), [
      ['{"a":1}', undefined],
      ['{"a":2}', undefined],
      ['[DONE]', undefined],
    ]);
  });

  it('lets a claim take single-line data events, and never a line of a multi-line event', () => {
    const decoder = new SseDecoder();
    const claimed: string[] = [];
    const delivered: string[] = [];
    const claim = (input: string, start: number, end: number) => {
      const value = input.slice(start, end);
      if (!value.startsWith('mine')) return false;
      claimed.push(value);
      return true;
    };
    decoder.push(
      'data: mine 1\n\ndata: other\n\ndata: first\ndata: mine too\n\nevent: x\ndata: mine 3\n\n',
      (data) => delivered.push(data),
      claim,
    );
    decoder.end((data) => delivered.push(data));
    assert.deepEqual(claimed, ['mine 1']);
    assert.deepEqual(delivered, ['other', 'first\nmine too', 'mine 3']);
  });

  it('delivers a last event that has no blank line after it', () => {
    assert.deepEqual(sseEvents(['data: {"last":true}']), [['{"last":true}', undefined]]);
  });
});

function build(chunks: readonly unknown[], done = true): { turn: ModelTurn; events: StreamEvent[] } {
  const builder = new TurnBuilder();
  const events: StreamEvent[] = [];
  for (const chunk of chunks) {
    builder.data(typeof chunk === 'string' ? chunk : JSON.stringify(chunk));
    events.push(...builder.take());
  }
  if (done) builder.data('[DONE]');
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

  it('is not finished without a finish reason or [DONE]', () => {
    const builder = new TurnBuilder();
    builder.data(JSON.stringify(delta({ content: 'x' })));
    assert.equal(builder.finished, false);
    builder.data('[DONE]');
    assert.equal(builder.finished, true);
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

  it('ignores choices other than the first, and data that is not JSON', () => {
    const builder = new TurnBuilder();
    builder.data(
      JSON.stringify({
        choices: [
          { index: 1, delta: { content: 'other' } },
          { index: 0, delta: { content: 'mine' } },
        ],
      }),
    );
    builder.data('not json');
    builder.end();
    assert.equal(builder.turn().text, 'mine');
    assert.equal(builder.malformed, 1);
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

describe('the content fast path', () => {
  const template = (content: string, extra = '') =>
    `{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":${JSON.stringify(content)}}${extra},"finish_reason":null}]}`;

  it('decodes exactly one JSON string literal or nothing', () => {
    assert.equal(decodeStringLiteral('"plain"'), 'plain');
    assert.equal(decodeStringLiteral('"say \\"hi\\"\\n\\u00e9"'), 'say "hi"\né');
    assert.equal(decodeStringLiteral('"a","x":"b"'), undefined);
    assert.equal(decodeStringLiteral('"a"}'), undefined);
    assert.equal(decodeStringLiteral('1'), undefined);
  });

  it('unescapes exactly as JSON.parse does, and refuses what JSON.parse would refuse', () => {
    const samples = [
      'plain',
      'a\nb',
      'say "hi"',
      'back\\slash',
      'tab\there',
      '\u00e9\u6f22',
      '😀 \ud83d\ude00',
      '/\b\f\r',
      '\\"',
      'end\\',
    ];
    for (const sample of samples) {
      const literal = JSON.stringify(sample);
      assert.equal(unescapeJson(literal.slice(1, -1)), sample, literal);
    }
    for (const bad of ['a"b', 'bad \\x escape', 'short \\u12', 'a\\"b"']) {
      assert.equal(unescapeJson(bad), undefined, bad);
      assert.throws(() => JSON.parse(`"${bad}"`), bad);
    }
    assert.equal(unescapeJson('\\u00E9'), 'é');
  });

  it('agrees with JSON.parse on every payload, tricky contents included', () => {
    const contents = [
      'a',
      '',
      '"',
      '\\',
      '"},"tool_calls":[{"index":0}]}',
      '\\"',
      'é漢字😀',
      '\n\t',
      '</tool_call>',
      '{"content":"x"}',
      '"content":"',
    ];
    const fast = new ContentFastPath();
    fast.learn(template('first'), 'first');
    for (const content of contents) {
      for (const extra of ['', ',"logprobs":null']) {
        const payload = template(content, extra);
        const got = fast.match(payload, 0, payload.length);
        const truth = (JSON.parse(payload) as { choices: [{ delta: { content: string }; logprobs?: null }] })
          .choices[0];
        if (got !== undefined) {
          assert.equal(got, truth.delta.content, payload);
          assert.equal(extra, '', `matched a payload with different fields: ${payload}`);
        }
      }
    }
    // Same length, same quote positions, a different field: must not pass for the learned shape.
    const other = template('x').replace('"finish_reason":null', '"finish_reason":"ab"');
    assert.equal(fast.match(other, 0, other.length), undefined);
    const tricky = template('"},"finish_reason":"stop"}],"x":{"a":"');
    assert.equal(fast.match(tricky, 0, tricky.length), '"},"finish_reason":"stop"}],"x":{"a":"');
    const framed = `data: ${template('in a buffer')}\n\n`;
    assert.equal(fast.match(framed, 6, framed.length - 2), 'in a buffer');
  });

  it('gives the same turn as the slow path for a long stream', () => {
    const chunks = ['Hello', ' "world"', '\\', ' </think>', ' `<tool_call>`', ' é'].map((c) => template(c));
    const fast = new TurnBuilder();
    for (const chunk of chunks) fast.data(chunk);
    fast.data('[DONE]');
    fast.end();
    assert.equal(fast.turn().text, 'Hello "world"\\ </think> `<tool_call>` é');
  });
});
