import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ModelClient, type StreamEvent, type Usage } from '../../src/core/model/client';
import { ModelError } from '../../src/core/model/errors';
import { type ModelServer, readStreamFixture, startModelServer, textChunks } from '../support/modelServer';

const messages = [{ role: 'user' as const, content: 'hi' }];

async function collect(client: ModelClient, signal = new AbortController().signal): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of client.stream(messages, signal)) events.push(event);
  return events;
}

async function failure(promise: Promise<unknown>): Promise<ModelError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ModelError, `expected ModelError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the request to fail');
}

describe('ModelClient over real HTTP', () => {
  let server: ModelServer;
  let client: ModelClient;
  before(async () => {
    server = await startModelServer();
    client = new ModelClient({
      baseUrl: server.baseUrl,
      model: 'qwen3-coder-plus',
      apiKey: 'sk-test',
      idleTimeoutMs: 2000,
    });
  });
  after(() => server.close());

  it('streams text in order and reports usage and the finish reason', async () => {
    server.enqueue({ kind: 'stream', chunks: textChunks('Hello, **world**!', 3), usage: true });
    const events = await collect(client);
    const text = events
      .filter((e) => e.type === 'text')
      .map((e) => (e as { text: string }).text)
      .join('');
    assert.equal(text, 'Hello, **world**!');
    assert.deepEqual(
      events.find((e) => e.type === 'finish'),
      { type: 'finish', reason: 'stop' },
    );
    assert.ok(events.some((e) => e.type === 'usage' && e.usage.promptTokens === 10));
  });

  it('sends the model, the messages, stream: true and the key as a bearer token', async () => {
    server.enqueue({ kind: 'stream', chunks: ['ok'] });
    const before = server.requests.length;
    await collect(client);
    const request = server.requests[before];
    assert.equal(request.path, '/v1/chat/completions');
    assert.equal(request.body.model, 'qwen3-coder-plus');
    assert.equal(request.body.stream, true);
    assert.deepEqual(request.body.messages, messages);
    assert.equal(request.headers.authorization, 'Bearer sk-test');
  });

  it('explains a wrong key (401)', async () => {
    server.enqueue({
      kind: 'json',
      status: 401,
      body: { error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } },
    });
    const error = await failure(collect(client));
    assert.equal(error.kind, 'auth');
    assert.match(error.message, /rejected the API key \(401\)/);
    assert.match(error.message, /Set API Key/);
    assert.doesNotMatch(error.message, /sk-test/);
  });

  it('explains an unknown model (404)', async () => {
    server.enqueue({ kind: 'json', status: 404, body: { error: { message: 'The model `nope` does not exist' } } });
    const error = await failure(collect(client));
    assert.equal(error.kind, 'not-found');
    assert.match(error.message, /model "qwen3-coder-plus"/);
  });

  it('retries a rate limit three times, waiting exactly as long as Retry-After asks, then reports it', async () => {
    const limited = {
      kind: 'json' as const,
      status: 429,
      body: { error: { message: 'slow down' } },
      headers: { 'retry-after': '3' },
    };
    server.enqueue(limited, limited, limited, limited);
    const before = server.requests.length;
    const waits: number[] = [];
    const events: StreamEvent[] = [];
    const error = await failure(
      (async () => {
        for await (const event of client.stream(messages, new AbortController().signal, {
          sleep: async (ms) => {
            waits.push(ms);
          },
        }))
          events.push(event);
      })(),
    );
    assert.equal(error.kind, 'rate-limit');
    assert.equal(error.retryAfterMs, 3000);
    assert.deepEqual(waits, [3000, 3000, 3000]);
    assert.deepEqual(
      events,
      [1, 2, 3].map((attempt) => ({ type: 'retry', attempt, delayMs: 3000, reason: 'rate limited (429)' })),
    );
    assert.equal(server.requests.length - before, 4);
  });

  it('explains a refused connection', async () => {
    const closed = await startModelServer();
    const url = closed.baseUrl;
    await closed.close();
    const offline = new ModelClient({ baseUrl: url, model: 'm', apiKey: '' });
    const error = await failure(collect(offline));
    assert.equal(error.kind, 'connection');
    assert.match(error.message, /Could not connect to 127\.0\.0\.1/);
  });

  it('marks a stream that breaks off as dropped, after the text that arrived', async () => {
    server.enqueue({ kind: 'drop', chunks: ['partial ', 'answer', ' never finished'] });
    const seen: string[] = [];
    const error = await failure(
      (async () => {
        for await (const event of client.stream(messages, new AbortController().signal)) {
          if (event.type === 'text') seen.push(event.text);
        }
      })(),
    );
    assert.equal(error.kind, 'dropped');
    assert.equal(seen.join(''), 'partial answer never finished');
  });

  it('gives up on a server that stalls, with a timeout error', async () => {
    const quick = new ModelClient({ baseUrl: server.baseUrl, model: 'm', apiKey: 'k', idleTimeoutMs: 300 });
    server.enqueue({ kind: 'stall' });
    const error = await failure(collect(quick));
    assert.equal(error.kind, 'timeout');
    assert.match(error.message, /No reply from the server/);
  });

  it('aborts the request on the server when stopped', async () => {
    server.enqueue({ kind: 'stream', chunks: textChunks('x'.repeat(400), 4), delayMs: 20 });
    const controller = new AbortController();
    const abortsBefore = server.aborted.length;
    const seen: string[] = [];
    const error = await failure(
      (async () => {
        for await (const event of client.stream(messages, controller.signal)) {
          if (event.type === 'text') seen.push(event.text);
          if (seen.length === 3) controller.abort();
        }
      })(),
    );
    assert.equal(error.kind, 'aborted');
    await server.waitForAborts(abortsBefore + 1);
    assert.equal(seen.join(''), 'xxxxxxxxxxxx');
  });
});

describe('ModelClient failures and retries', () => {
  let server: ModelServer;
  let client: ModelClient;
  const noWait = { sleep: async () => undefined };
  before(async () => {
    server = await startModelServer();
    client = new ModelClient({
      baseUrl: server.baseUrl,
      model: 'qwen3-coder-plus',
      apiKey: 'sk-test',
      idleTimeoutMs: 2000,
    });
  });
  after(() => server.close());

  async function run(
    options = {},
    signal = new AbortController().signal,
  ): Promise<{ events: StreamEvent[]; error?: ModelError }> {
    const events: StreamEvent[] = [];
    try {
      for await (const event of client.stream(messages, signal, options)) events.push(event);
      return { events };
    } catch (error) {
      assert.ok(error instanceof ModelError, String(error));
      return { events, error };
    }
  }
  const text = (events: StreamEvent[]) => events.map((e) => (e.type === 'text' ? e.text : '')).join('');

  it('retries 5xx with growing, jittered delays and answers once the server recovers', async () => {
    const waits: number[] = [];
    server.enqueue(
      { kind: 'json', status: 503, body: { error: { message: 'overloaded' } } },
      { kind: 'json', status: 502, body: 'Bad Gateway' },
      { kind: 'stream', chunks: ['Back ', 'again.'] },
    );
    const before = server.requests.length;
    const { events, error } = await run({
      sleep: async (ms: number) => {
        waits.push(ms);
      },
    });
    assert.equal(error, undefined);
    assert.equal(text(events), 'Back again.');
    const retries = events.filter((e) => e.type === 'retry');
    assert.deepEqual(
      retries.map((e) => e.type === 'retry' && [e.attempt, e.reason]),
      [
        [1, 'server error (503)'],
        [2, 'server error (502)'],
      ],
    );
    assert.ok(waits[0] >= 500 && waits[0] <= 1000, `first wait ${waits[0]}`);
    assert.ok(waits[1] >= 1000 && waits[1] <= 2000, `second wait ${waits[1]}`);
    assert.deepEqual(
      retries.map((e) => e.type === 'retry' && e.delayMs),
      waits,
    );
    assert.equal(server.requests.length - before, 3);
  });

  it("gives up after three retries of a 5xx, with the server's words", async () => {
    const boom = { kind: 'json' as const, status: 500, body: { error: { message: 'boom' } } };
    server.enqueue(boom, boom, boom, boom);
    const before = server.requests.length;
    const { events, error } = await run(noWait);
    assert.equal(error?.kind, 'server');
    assert.match(error?.message ?? '', /server error \(500\).*boom/);
    assert.equal(events.filter((e) => e.type === 'retry').length, 3);
    assert.equal(server.requests.length - before, 4);
  });

  it('does not wait out a Retry-After longer than a minute', async () => {
    server.enqueue({
      kind: 'json',
      status: 429,
      body: { error: { message: 'quota' } },
      headers: { 'retry-after': '3600' },
    });
    const before = server.requests.length;
    const { events, error } = await run(noWait);
    assert.equal(error?.kind, 'rate-limit');
    assert.equal(error?.retryAfterMs, 3_600_000);
    assert.deepEqual(events, []);
    assert.equal(server.requests.length - before, 1);
  });

  it('retries an error the server streams before the first token', async () => {
    server.enqueue(
      { kind: 'sse', text: 'data: {"id":"x","choices":[],"error":{"code":502,"message":"Upstream unavailable"}}\n\n' },
      { kind: 'stream', chunks: ['Fine now.'] },
    );
    const { events, error } = await run(noWait);
    assert.equal(error, undefined);
    assert.deepEqual(
      events.filter((e) => e.type === 'retry').map((e) => e.type === 'retry' && e.reason),
      ['server error (502)'],
    );
    assert.equal(text(events), 'Fine now.');
  });

  it('never retries once text was shown: a dropped stream keeps its partial turn', async () => {
    server.enqueue({ kind: 'drop', chunks: ['Half ', 'an ', 'answer', ' and more'] });
    const before = server.requests.length;
    const { events, error } = await run(noWait);
    assert.equal(error?.kind, 'dropped');
    assert.equal(server.requests.length - before, 1);
    assert.equal(
      events.some((e) => e.type === 'retry'),
      false,
    );
    assert.equal(error?.partial?.text, text(events));
    assert.ok(text(events).startsWith('Half '), text(events));
    assert.equal(error?.partial?.incomplete, true);
    assert.equal(error?.partial?.finishReason, 'dropped');
  });

  it('does not run a tool call the stream broke off in', async () => {
    // Cut inside the second argument piece, `, "startLine": 10`.
    server.enqueue({
      kind: 'sse',
      file: 'vllm-tool-calls.sse',
      dropAfterBytes: readStreamFixture('vllm-tool-calls.sse').indexOf(', \\"startLine'),
    });
    const { error } = await run(noWait);
    assert.equal(error?.kind, 'dropped');
    assert.equal(error?.partial?.text, 'Let me look at the file first.');
    assert.equal(error?.partial?.toolCalls.length, 1);
    assert.equal(error?.partial?.toolCalls[0].name, 'read_file');
    assert.match(
      error?.partial?.toolCalls[0].parseError ?? '',
      /broke off before the read_file call was complete, so it was not run/,
    );
  });

  it('keeps a complete answer whose connection broke after the finish reason', async () => {
    const fixture = readStreamFixture('vllm-tool-calls.sse');
    server.enqueue({ kind: 'sse', text: fixture, dropAfterBytes: fixture.indexOf('"choices":[],"usage"') });
    const { events, error } = await run(noWait);
    assert.equal(error, undefined);
    const turn = events.at(-1);
    assert.ok(turn?.type === 'turn');
    assert.equal(turn.turn.finishReason, 'tool_calls');
    assert.equal(turn.turn.usage, undefined);
    assert.deepEqual(turn.turn.toolCalls[0].arguments, { path: 'src/a.ts', startLine: 10 });
  });

  it('explains a key without access (403)', async () => {
    server.enqueue({
      kind: 'json',
      status: 403,
      body: { error: { message: 'Model access denied.', code: 'AccessDenied' } },
    });
    const { error } = await run(noWait);
    assert.equal(error?.kind, 'forbidden');
    assert.match(error?.message ?? '', /refused access \(403\).*"qwen3-coder-plus".*Model access denied/);
  });

  for (const [server_, body] of [
    [
      'vLLM',
      {
        object: 'error',
        message:
          "This model's maximum context length is 32768 tokens. However, you requested 40123 tokens (39099 in " +
          'the messages, 1024 in the completion). Please reduce the length of the messages or completion.',
        type: 'BadRequestError',
        code: 400,
      },
    ],
    [
      'OpenAI',
      {
        error: {
          message: 'Your input exceeds the context window of this model.',
          type: 'invalid_request_error',
          code: 'context_length_exceeded',
        },
      },
    ],
    [
      'llama.cpp',
      {
        error: {
          code: 400,
          message: 'the request exceeds the available context size, try increasing it',
          type: 'exceed_context_size_error',
          n_prompt_tokens: 9000,
          n_ctx: 8192,
        },
      },
    ],
    [
      'DashScope',
      {
        error: {
          message: 'Range of input length should be [1, 258048]',
          type: 'invalid_request_error',
          code: 'invalid_parameter_error',
        },
      },
    ],
  ] as const) {
    it(`signals a ${server_} context overflow (400) as context-length, without retrying`, async () => {
      server.enqueue({ kind: 'json', status: 400, body });
      const before = server.requests.length;
      const { error } = await run(noWait);
      assert.equal(error?.kind, 'context-length');
      assert.match(error?.message ?? '', /longer than the model's context window/);
      assert.equal(server.requests.length - before, 1);
    });
  }

  it('keeps other 400s as bad requests', async () => {
    server.enqueue({ kind: 'json', status: 400, body: { error: { message: "'tools' must be an array" } } });
    const { error } = await run(noWait);
    assert.equal(error?.kind, 'bad-request');
  });

  it('stops at once when Stop is pressed during a backoff wait', async () => {
    server.enqueue({ kind: 'json', status: 503, body: { error: { message: 'busy' } } });
    const controller = new AbortController();
    const started = Date.now();
    const events: StreamEvent[] = [];
    const error = await failure(
      (async () => {
        for await (const event of client.stream(messages, controller.signal)) {
          events.push(event);
          if (event.type === 'retry') setTimeout(() => controller.abort(), 20);
        }
      })(),
    );
    assert.equal(error.kind, 'aborted');
    assert.equal(events[0]?.type, 'retry');
    assert.ok(Date.now() - started < 450, `took ${Date.now() - started} ms`);
  });

  it('takes a plain JSON completion from a server that ignores stream: true', async () => {
    server.enqueue({
      kind: 'json',
      status: 200,
      body: {
        id: 'cmpl-1',
        object: 'chat.completion',
        model: 'm',
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: 'Reading.',
              tool_calls: [
                { id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.ts"}' } },
              ],
            },
            finish_reason: 'tool_calls',
          },
        ],
        usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 },
      },
    });
    const { events, error } = await run(noWait);
    assert.equal(error, undefined);
    assert.deepEqual(events.at(-1), {
      type: 'turn',
      turn: {
        text: 'Reading.',
        reasoning: '',
        finishReason: 'tool_calls',
        usage: { promptTokens: 12, completionTokens: 7 },
        toolCalls: [{ id: 'call_1', name: 'read_file', arguments: { path: 'a.ts' }, rawArguments: '{"path":"a.ts"}' }],
      },
    });
  });

  it('reports a server that does not speak SSE at all', async () => {
    server.enqueue({ kind: 'sse', text: '<html><body>Welcome to nginx!</body></html>\n' });
    const { error } = await run(noWait);
    assert.equal(error?.kind, 'dropped');
  });

  it('tells the usage of a finished reply to onUsage', async () => {
    const seen: Usage[] = [];
    const counting = new ModelClient({
      baseUrl: server.baseUrl,
      model: 'm',
      apiKey: '',
      onUsage: (usage) => seen.push(usage),
    });
    server.enqueue({ kind: 'stream', chunks: ['a', 'b'], usage: true });
    for await (const _event of counting.stream(messages, new AbortController().signal)) {
      /* drain */
    }
    assert.deepEqual(seen, [{ promptTokens: 10, completionTokens: 2 }]);
  });
});
