/**
 * What the transport must get right at the edges of SSE and of the dialects, over real
 * HTTP to the local server: events whose `data:` spans lines, errors sent inside a stream
 * that already said 200, data after `[DONE]`, a leaked tool-call block, and the request
 * itself (the caller's `fetch`, no Authorization header for a server that needs no key).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ModelClient } from '../../src/core/model/client';
import { ModelError } from '../../src/core/model/errors';
import type { StreamEvent, StreamOptions } from '../../src/core/model/types';
import { type ModelServer, startModelServer } from '../support/modelServer';

const messages = [{ role: 'user' as const, content: 'hi' }];
const noWait: StreamOptions = { sleep: async () => undefined };

/** One SSE event carrying a content delta, as most servers frame it. */
const content = (text: string, finish: string | null = null) => {
  const chunk = {
    id: 'chatcmpl-e',
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta: { content: text }, finish_reason: finish }],
  };
  return `data: ${JSON.stringify(chunk)}\n\n`;
};

describe('stream edges over real HTTP', () => {
  let server: ModelServer;
  let client: ModelClient;
  before(async () => {
    server = await startModelServer();
    client = new ModelClient({ baseUrl: server.baseUrl, model: 'm', apiKey: 'sk-test', idleTimeoutMs: 3000 });
  });
  after(() => server.close());

  async function run(
    body: string,
    splitBytes?: number,
    using = client,
  ): Promise<{ events: StreamEvent[]; error?: ModelError }> {
    server.enqueue({ kind: 'sse', text: body, splitBytes });
    const events: StreamEvent[] = [];
    try {
      for await (const event of using.stream(messages, new AbortController().signal, noWait)) events.push(event);
      return { events };
    } catch (error) {
      assert.ok(error instanceof ModelError, String(error));
      return { events, error };
    }
  }
  const text = (events: StreamEvent[]) => events.map((e) => (e.type === 'text' ? e.text : '')).join('');
  const turnOf = (events: StreamEvent[]) => {
    const last = events.at(-1);
    assert.ok(last?.type === 'turn', JSON.stringify(last));
    return last.turn;
  };

  it('joins a data field written on several lines into one event (valid SSE)', async () => {
    const multiLine =
      'data: {"id":"chatcmpl-m","object":"chat.completion.chunk",\n' +
      'data: "choices":[{"index":0,"delta":{"content":"Hello, "},\n' +
      'data: "finish_reason":null}]}\n\n' +
      content('world.') +
      content('', 'stop') +
      'data: [DONE]\n\n';
    for (const split of [undefined, 3]) {
      const { events, error } = await run(multiLine, split);
      assert.equal(error, undefined, `split ${split}: ${error?.message}`);
      assert.equal(text(events), 'Hello, world.');
      assert.equal(turnOf(events).finishReason, 'stop');
    }
  });

  it(
    'keeps the text and reports the break when an `event: ' + 'error` with an error object arrives mid-stream',
    async () => {
      const body =
        content('The answer ') +
        content('starts') +
        'event: error\ndata: {"error":{"message":"Upstream model crashed","code":"upstream_error"}}\n\n';
      const requests = server.requests.length;
      const { events, error } = await run(body);
      assert.equal(error?.kind, 'dropped');
      assert.match(error?.message ?? '', /broke off the answer with an error: "Upstream model crashed"/);
      assert.equal(text(events), 'The answer starts');
      assert.equal(error?.partial?.text, 'The answer starts');
      assert.equal(error?.partial?.incomplete, true);
      assert.equal(server.requests.length, requests + 1, 'no retry after text was shown');
    },
  );

  it('takes an `event: error` whose data has no error field as an error, not as a chunk', async () => {
    const body = content('Half') + 'event: error\ndata: {"message":"Server overloaded","code":"overloaded"}\n\n';
    const { events, error } = await run(body);
    assert.equal(error?.kind, 'dropped');
    assert.match(error?.message ?? '', /"Server overloaded"/);
    assert.equal(text(events), 'Half');
  });

  it(
    'reports a `data: {"error":…}` object before any ' + 'text with the server’s words, by its status code',
    async () => {
      const limited = 'data: {"error":{"message":"Too many requests for this key","code":429}}\n\n';
      server.enqueue({ kind: 'sse', text: limited }, { kind: 'sse', text: limited }, { kind: 'sse', text: limited });
      const { events, error } = await run(limited);
      assert.equal(error?.kind, 'rate-limit');
      assert.match(error?.message ?? '', /rate limiting requests \(429\).*Too many requests for this key/);
      assert.deepEqual(
        events.map((e) => e.type),
        ['retry', 'retry', 'retry'],
      );
    },
  );

  it('reports a `data: {"error":…}` object without a status as a server error in plain words', async () => {
    const body = content('Some ') + 'data: {"error":"model runner has unexpectedly stopped"}\n\n';
    const { error } = await run(body);
    assert.equal(error?.kind, 'dropped');
    assert.match(error?.message ?? '', /broke off the answer with an error: "model runner has unexpectedly stopped"/);
    const before = 'data: {"error":{"message":"context shift is disabled","type":"server_error"}}\n\n';
    server.enqueue({ kind: 'sse', text: before }, { kind: 'sse', text: before }, { kind: 'sse', text: before });
    const early = await run(before);
    assert.equal(early.error?.kind, 'server');
    assert.match(early.error?.message ?? '', /reported an error mid-answer: "context shift is disabled"/);
  });

  it('never appends data that arrives after [DONE], however the bytes are cut', async () => {
    const body = content('Final answer.', 'stop') + 'data: [DONE]\n\n' + content(' LEAKED') + content(' MORE', 'stop');
    for (const split of [undefined, 7, body.length]) {
      const { events, error } = await run(body, split);
      assert.equal(error, undefined);
      assert.equal(text(events), 'Final answer.', `split ${split}`);
      assert.equal(turnOf(events).text, 'Final answer.');
    }
  });

  it('explains a body that is not a chat-completions stream', async () => {
    const { error } = await run('data: <html>Bad gateway</html>\n\n');
    assert.equal(error?.kind, 'malformed');
    assert.match(error?.message ?? '', /did not answer with a chat-completions stream\. Check qcoder\.baseUrl/);
  });

  it('marks a stream that ends cleanly before any finish reason as cut when nothing came', async () => {
    const { error } = await run(': just a comment\n\n');
    assert.equal(error?.kind, 'dropped');
    assert.match(error?.message ?? '', /ended before the answer was complete/);
  });

  it('keeps a leaked, unclosed tool-call block, marked, when no native call came', async () => {
    const body = content('Checking.\n') + content('<tool_call>\n<function=get_current_weather') + content('', 'stop');
    const { events, error } = await run(body);
    assert.equal(error, undefined);
    const turn = turnOf(events);
    assert.equal(turn.text, 'Checking.\n');
    assert.equal(text(events), 'Checking.\n');
    assert.deepEqual(
      turn.toolCalls.map((c) => [c.name, c.arguments]),
      [['get_current_weather', {}]],
    );
    assert.match(turn.toolCalls[0].parseError ?? '', /cut off before it was complete, so it was not run/);
  });

  it('sends the request through the fetch it was given, and no Authorization header without a key', async () => {
    const seen: string[] = [];
    const scrubbing: typeof fetch = async (input, init) => {
      const body = String(init?.body ?? '');
      seen.push(body);
      return fetch(input, { ...init, body: body.replace('hunter2', '[hidden]') });
    };
    const keyless = new ModelClient({ baseUrl: server.baseUrl, model: 'm', apiKey: '', fetch: scrubbing });
    server.enqueue({ kind: 'stream', chunks: ['ok'] });
    const before = server.requests.length;
    const events: StreamEvent[] = [];
    const secret = [{ role: 'user' as const, content: 'my password is hunter2' }];
    for await (const event of keyless.stream(secret, new AbortController().signal)) events.push(event);
    assert.equal(text(events), 'ok');
    assert.equal(seen.length, 1);
    const request = server.requests[before];
    assert.equal(request.body.messages[0].content, 'my password is [hidden]');
    assert.equal(request.headers.authorization, undefined);
    assert.deepEqual(request.body.stream_options, { include_usage: true });
  });
});
