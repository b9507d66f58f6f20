/**
 * The content fast path as ModelClient drives it: SSE text fed to SseDecoder with the
 * builder's claim, content joined per network read. Whatever the reads, the turn and the
 * visible text must be what the plain path (every payload through `TurnBuilder.data`) gives.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ContentFastPath } from '../../src/core/model/contentFastPath';
import { SseDecoder } from '../../src/core/model/sse';
import { TurnBuilder } from '../../src/core/model/turnBuilder';
import type { ModelTurn, StreamEvent, ToolSchema } from '../../src/core/model/types';

const tools: ToolSchema[] = [
  {
    name: 'read_file',
    description: 'Read a file.',
    parameters: { type: 'object', properties: { path: { type: 'string' } } },
  },
];

const MODEL = 'Qwen/Qwen3.5-Coder(30B)+[x]{2}|a^b$c*?\\d';
const payload = (literal: string, model = MODEL) =>
  `{"id":"c-1","object":"chat.completion.chunk","created":1,"model":${JSON.stringify(model)},"choices":[{"index":0,"delta":{"content":${literal}},"finish_reason":null}]}`;
const content = (text: string) => payload(JSON.stringify(text));
const sse = (payloads: readonly string[]) => payloads.map((p) => `data: ${p}\n\n`).join('');
const finish = '{"id":"c-1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}';

interface Result {
  turn: ModelTurn;
  events: StreamEvent[];
  malformed: number;
}

/** As ModelClient.read does it: each string of `reads` is one network read. */
function viaClaim(reads: readonly string[]): Result {
  const builder = new TurnBuilder(tools);
  const decoder = new SseDecoder();
  const listener = (data: string, event: string | undefined) => builder.data(data, event);
  const events: StreamEvent[] = [];
  for (const read of reads) {
    decoder.push(read, listener, builder.claim, builder.claimRun);
    events.push(...builder.take());
  }
  decoder.end(listener);
  builder.end();
  events.push(...builder.take());
  return { turn: builder.turn(), events, malformed: builder.malformed };
}

/** Every payload through `data`, one at a time: the reference. */
function viaData(payloads: readonly string[]): Result {
  const builder = new TurnBuilder(tools);
  const events: StreamEvent[] = [];
  for (const p of payloads) {
    builder.data(p);
    events.push(...builder.take());
  }
  builder.end();
  events.push(...builder.take());
  return { turn: builder.turn(), events, malformed: builder.malformed };
}

const texts = (events: StreamEvent[]) => events.flatMap((e) => (e.type === 'text' ? [e.text] : []));
const reasonings = (events: StreamEvent[]) => events.flatMap((e) => (e.type === 'reasoning' ? [e.text] : []));

function cuts(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

function assertSame(payloads: readonly string[]): Result {
  const reference = viaData(payloads);
  const body = sse(payloads);
  for (const size of [body.length, 4096, 257, 64, 7, 1]) {
    const got = viaClaim(cuts(body, size));
    assert.deepEqual(got.turn, reference.turn, `reads of ${size}`);
    assert.equal(got.malformed, reference.malformed, `reads of ${size}`);
    assert.equal(texts(got.events).join(''), reference.turn.text, `reads of ${size}`);
    assert.equal(reasonings(got.events).join(''), reference.turn.reasoning, `reads of ${size}`);
  }
  return reference;
}

describe('the content fast path, joined per network read', () => {
  it('gives one text event per read, adding up to the same text', () => {
    const words = ['Hello', ' "world"', ' $1 $& $$', '\\', ' é漢字😀', '\n\t', ' \u2028', ' `x`', '/\b\f\r', ''];
    const payloads = [...Array.from({ length: 200 }, (_, i) => content(words[i % words.length])), finish, '[DONE]'];
    const reference = assertSame(payloads);
    const whole = viaClaim([sse(payloads)]);
    assert.deepEqual(texts(whole.events), [reference.turn.text]);
  });

  it('never shows tool-call or thinking markup, however the deltas are joined', () => {
    const pieces = [
      '<th',
      'ink>plan',
      ' it</thi',
      'nk>',
      'Let me look.',
      '\n<tool',
      '_call>\n<function=read_file>\n<parameter=path>\na.ts\n</parameter>\n</function>\n</tool',
      '_call>',
      ' Done: `<tool_call>` ',
      'is the tag.',
    ];
    const payloads = [...pieces.map(content), finish, '[DONE]'];
    const reference = assertSame(payloads);
    assert.equal(reference.turn.text, 'Let me look.\nDone: `<tool_call>` is the tag.');
    assert.equal(reference.turn.reasoning, 'plan it');
    assert.equal(reference.turn.toolCalls.length, 1);
    for (const size of [sse(payloads).length, 100, 9]) {
      for (const text of texts(viaClaim(cuts(sse(payloads), size)).events)) {
        assert.ok(
          !/<tool_call>\n|<function=|<parameter|<\/?think>/.test(text),
          `markup shown: ${JSON.stringify(text)}`,
        );
      }
    }
  });

  it('takes a bad escape as the plain path does, without letting it run into the next delta', () => {
    // `\u12` followed by `34` must not become `\u1234`: the bad chunk is malformed, as JSON.parse says.
    const payloads = [
      content('a'),
      payload('"\\u12"'),
      payload('"34"'),
      payload('"\\x"'),
      content('b'),
      finish,
      '[DONE]',
    ];
    const reference = assertSame(payloads);
    assert.equal(reference.turn.text, 'a34b');
    assert.equal(reference.malformed, 2);
  });

  it('lets unescaped control characters through, as it always did', () => {
    const payloads = [content('first'), payload('"tab\there"'), content(' end'), finish, '[DONE]'];
    const got = viaClaim([sse(payloads)]);
    assert.equal(got.turn.text, 'firsttab\there end');
    assert.equal(viaClaim(cuts(sse(payloads), 5)).turn.text, 'firsttab\there end');
  });

  it('matches a model name full of pattern characters exactly, and nothing like it', () => {
    const fast = new ContentFastPath();
    fast.learn(content('first'), 'first');
    const same = content('x "y"');
    assert.equal(fast.match(same, 0, same.length), 'x "y"');
    assert.equal(fast.literal(same, 0, same.length), 'x \\"y\\"');
    for (const model of [
      MODEL.replace('.', 'x'),
      MODEL.replace('(', ''),
      MODEL.replace('+', '++'),
      MODEL.replace('|', 'a'),
      MODEL.replace('*?', 'ab'),
      MODEL.replace('\\d', '7'),
    ]) {
      const other = payload(JSON.stringify('x'), model);
      assert.equal(fast.match(other, 0, other.length), undefined, model);
      assert.equal(fast.literal(other, 0, other.length), undefined, model);
    }
    // A line that goes on after the learned suffix is not the learned shape.
    const longer = `${content('x')}}`;
    assert.equal(fast.match(longer, 0, longer.length), undefined);
  });

  it('handles a delta longer than the pattern is used for, escapes and all', () => {
    const big = `${'line "q" \\ é\n'.repeat(6000)}end`;
    const payloads = [content('start '), content(big), content(' tail'), finish, '[DONE]'];
    const reference = assertSame(payloads);
    assert.equal(reference.turn.text, `start ${big} tail`);
  });

  it('takes runs of events with or without the space after data:, with any line ending, and leaves other lines alone', () => {
    const payloads = [content('a'), content(' b "c"'), content(' d'), content(' e'), finish, '[DONE]'];
    const reference = viaData(payloads);
    const bodies = [
      payloads.map((p) => `data:${p}\n\n`).join(''),
      payloads.map((p) => `data: ${p}\r\n\r\n`).join(''),
      `: keep-alive\n\ndata: ${payloads[0]}\n\nevent: message\ndata: ${payloads[1]}\n\ndata: ${payloads[2]}\nid: 7\n\ndata: ${payloads[3]}\n\n${sse(payloads.slice(4))}`,
    ];
    for (const body of bodies) {
      for (const size of [body.length, 50, 3]) {
        const got = viaClaim(cuts(body, size));
        assert.deepEqual(got.turn, reference.turn, `${JSON.stringify(body.slice(0, 40))} in reads of ${size}`);
        assert.equal(texts(got.events).join(''), reference.turn.text);
      }
    }
  });

  it('keeps text and tool calls in order when non-content chunks come between deltas', () => {
    const call = (args: string) =>
      `{"id":"c-1","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","function":{"name":"read_file","arguments":${JSON.stringify(args)}}}]},"finish_reason":null}]}`;
    const reasoning = (text: string) =>
      `{"id":"c-1","choices":[{"index":0,"delta":{"reasoning_content":${JSON.stringify(text)}},"finish_reason":null}]}`;
    const payloads = [
      reasoning('think'),
      content('one'),
      content(' two'),
      reasoning(' more'),
      content(' three'),
      call('{"path":'),
      content(' four'),
      call('"a.ts"}'),
      '{"id":"c-1","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}',
      '[DONE]',
    ];
    const reference = assertSame(payloads);
    assert.equal(reference.turn.text, 'one two three four');
    assert.deepEqual(
      reference.turn.toolCalls.map((c) => c.arguments),
      [{ path: 'a.ts' }],
    );
  });
});
