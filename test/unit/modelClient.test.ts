import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ModelClient, type StreamEvent } from '../../src/core/model/client';
import { ModelError } from '../../src/core/model/errors';
import { type ModelServer, startModelServer, textChunks } from '../support/modelServer';

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
    client = new ModelClient({ baseUrl: server.baseUrl, model: 'qwen3-coder-plus', apiKey: 'sk-test', idleTimeoutMs: 2000 });
  });
  after(() => server.close());

  it('streams text in order and reports usage and the finish reason', async () => {
    server.enqueue({ kind: 'stream', chunks: textChunks('Hello, **world**!', 3), usage: true });
    const events = await collect(client);
    const text = events.filter((e) => e.type === 'text').map((e) => (e as { text: string }).text).join('');
    assert.equal(text, 'Hello, **world**!');
    assert.deepEqual(events.find((e) => e.type === 'finish'), { type: 'finish', reason: 'stop' });
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
    server.enqueue({ kind: 'json', status: 401, body: { error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } } });
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

  it('reports a rate limit with its Retry-After', async () => {
    server.enqueue({ kind: 'json', status: 429, body: { error: { message: 'slow down' } }, headers: { 'retry-after': '3' } });
    const error = await failure(collect(client));
    assert.equal(error.kind, 'rate-limit');
    assert.equal(error.retryAfterMs, 3000);
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
    const error = await failure((async () => {
      for await (const event of client.stream(messages, new AbortController().signal)) {
        if (event.type === 'text') seen.push(event.text);
      }
    })());
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
    const error = await failure((async () => {
      for await (const event of client.stream(messages, controller.signal)) {
        if (event.type === 'text') seen.push(event.text);
        if (seen.length === 3) controller.abort();
      }
    })());
    assert.equal(error.kind, 'aborted');
    await server.waitForAborts(abortsBefore + 1);
    assert.equal(seen.join(''), 'xxxxxxxxxxxx');
  });
});
