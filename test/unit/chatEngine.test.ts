import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ChatEngine, type Connection } from '../../src/core/chat/chatEngine';
import { ModelClient } from '../../src/core/model/client';
import type { HostMessage } from '../../src/core/protocol';
import { SessionRepository } from '../../src/core/session/session';
import { redactSecret } from '../../src/core/util/redact';
import { MemoryStore } from '../support/memoryStore';
import { type ModelServer, startModelServer, textChunks } from '../support/modelServer';

describe('ChatEngine', () => {
  let server: ModelServer;
  let store: MemoryStore;
  let posted: HostMessage[];
  let connection: Connection;

  const engine = (repo = new SessionRepository(store)) =>
    new ChatEngine({
      sessions: repo,
      connect: async () => connection,
      post: (message) => posted.push(message),
      systemPrompt: () => 'SYSTEM',
      runCommand: () => undefined,
      log: () => undefined,
    });
  const ofType = <T extends HostMessage['type']>(type: T) =>
    posted.filter((m): m is Extract<HostMessage, { type: T }> => m.type === type);

  before(async () => {
    server = await startModelServer();
  });
  after(() => server.close());
  beforeEach(() => {
    store = new MemoryStore();
    posted = [];
    connection = {
      view: { model: 'm', baseUrl: server.baseUrl, ready: true, keySource: 'not-needed' },
      client: new ModelClient({
        baseUrl: server.baseUrl,
        model: 'm',
        apiKey: '',
        idleTimeoutMs: 2000,
        sleep: async () => undefined,
      }),
    };
  });

  it('names a new chat after its first message in the session list the view shows', async () => {
    server.enqueue({ kind: 'stream', chunks: ['Sure.'] });
    const chat = engine();
    await chat.send('Rename the cart total helper');
    const lists = ofType('session');
    assert.ok(lists.length > 0, 'the session list was posted');
    const active = lists.at(-1)!.sessions.find((summary) => summary.id === lists.at(-1)!.sessionId);
    assert.equal(active?.title, 'Rename the cart total helper');
    const before = ofType('session').length;
    server.enqueue({ kind: 'stream', chunks: ['Again.'] });
    await chat.send('And its tests');
    assert.equal(ofType('session').length, before, 'later messages do not re-send the whole session');
  });

  it('sends the history with the system prompt and streams the answer to the view', async () => {
    server.enqueue({ kind: 'stream', chunks: textChunks('First answer.', 4) }, { kind: 'stream', chunks: ['Second.'] });
    const chat = engine();
    await chat.send('What is 1+1?');
    await chat.send('And 2+2?');
    const request = server.requests.at(-1)!;
    assert.deepEqual(request.body.messages, [
      { role: 'system', content: 'SYSTEM' },
      { role: 'user', content: 'What is 1+1?' },
      { role: 'assistant', content: 'First answer.' },
      { role: 'user', content: 'And 2+2?' },
    ]);
    const deltas = ofType('delta')
      .map((m) => m.text)
      .join('');
    assert.equal(deltas, 'First answer.Second.');
    const done = ofType('messageDone');
    assert.deepEqual(
      done.map((m) => m.status),
      ['complete', 'complete'],
    );
  });

  it('keeps the conversation across a reload (a new engine on the same store)', async () => {
    server.enqueue({ kind: 'stream', chunks: ['Persisted reply'] });
    await engine().send('remember me');
    posted = [];
    await engine().handle({ type: 'ready' });
    const snapshot = ofType('session')[0];
    assert.deepEqual(
      snapshot.messages.map((m) => [m.role, m.content, m.status]),
      [
        ['user', 'remember me', 'complete'],
        ['assistant', 'Persisted reply', 'complete'],
      ],
    );
    assert.equal(snapshot.sessions[0].title, 'remember me');
  });

  it('gives the text back instead of sending when no key is configured', async () => {
    connection = {
      view: {
        model: 'm',
        baseUrl: 'https://example.invalid/v1',
        ready: false,
        keySource: 'none',
        problem: 'No API key',
      },
      problem: 'No API key',
    };
    const before = server.requests.length;
    await engine().send('please keep this text');
    assert.equal(server.requests.length, before);
    assert.deepEqual(ofType('restoreInput'), [{ type: 'restoreInput', text: 'please keep this text' }]);
    assert.equal(ofType('connection')[0].connection.ready, false);
  });

  it('keeps the partial answer when stopped, and the server sees the request end', async () => {
    server.enqueue({ kind: 'stream', chunks: textChunks('y'.repeat(600), 6), delayMs: 15 });
    const chat = engine();
    const aborts = server.aborted.length;
    const sending = chat.send('long one');
    while (ofType('delta').length < 3) await new Promise((r) => setTimeout(r, 5));
    chat.stop();
    await sending;
    await server.waitForAborts(aborts + 1);
    const done = ofType('messageDone').at(-1)!;
    assert.equal(done.status, 'stopped');
    assert.ok(
      (done.content ?? '').length >= 18 && (done.content ?? '').length < 600,
      `partial content kept: ${done.content?.length}`,
    );
    assert.equal(chat.busy, false);
  });

  it('shows a failed request as an error that Retry answers again', async () => {
    // The client retries a 5xx three times before it gives up.
    const boom = { kind: 'json' as const, status: 500, body: { error: { message: 'boom' } } };
    server.enqueue(boom, boom, boom, boom, { kind: 'stream', chunks: ['Recovered.'] });
    const chat = engine();
    await chat.send('try me');
    const failed = ofType('messageDone').at(-1)!;
    assert.equal(failed.status, 'error');
    assert.match(failed.error ?? '', /server error \(500\).*boom/);
    await chat.handle({ type: 'retry' });
    const snapshot = new SessionRepository(store).active.messages.map((m) => [m.role, m.content, m.status]);
    assert.deepEqual(snapshot, [
      ['user', 'try me', 'complete'],
      ['assistant', 'Recovered.', 'complete'],
    ]);
  });

  it('drops the oldest exchanges once when the server says the context is too long, and says so', async () => {
    server.enqueue(
      { kind: 'stream', chunks: ['a1'] },
      { kind: 'stream', chunks: ['a2'] },
      { kind: 'stream', chunks: ['a3'] },
      {
        kind: 'json',
        status: 400,
        body: {
          error: {
            message: "This model's maximum context length is 262144 tokens. However, you requested 300000 tokens.",
          },
        },
      },
      { kind: 'stream', chunks: ['fits now'] },
    );
    const chat = engine();
    for (const question of ['q1', 'q2', 'q3']) await chat.send(question);
    const start = server.requests.length;
    await chat.send('q4');
    assert.equal(server.requests.length, start + 2);
    const retried = server.requests[start + 1].body.messages.map((m: { content: string }) => m.content);
    assert.deepEqual(
      retried,
      ['SYSTEM', 'q3', 'a3', 'q4'],
      'the oldest turns went, the system prompt and the question stayed',
    );
    const shown = ofType('session')
      .at(-1)!
      .messages.map((m) => m.content);
    assert.match(shown.at(-2) ?? '', /did not fit the model's window; retrying without the 2 oldest/);
    assert.equal(ofType('messageDone').at(-1)?.content, 'fits now');
  });

  it('never shows or logs the API key, even when the server echoes it in an error', async () => {
    const key = 'sk-live-0123456789abcdef';
    const logged: string[] = [];
    connection = { ...connection, redact: (text) => redactSecret(text, key) };
    server.enqueue({ kind: 'json', status: 401, body: { error: { message: `Incorrect API key provided: ${key}` } } });
    const chat = new ChatEngine({
      sessions: new SessionRepository(store),
      connect: async () => connection,
      post: (message) => posted.push(message),
      systemPrompt: () => 'SYSTEM',
      runCommand: () => undefined,
      log: (line) => logged.push(line),
    });
    await chat.send('hello');
    const done = ofType('messageDone').at(-1)!;
    assert.equal(done.status, 'error');
    assert.match(done.error ?? '', /Incorrect API key provided: \[API key hidden\]/);
    assert.doesNotMatch(JSON.stringify(posted), /sk-live-0123456789abcdef/);
    assert.doesNotMatch(logged.join('\n'), /sk-live-0123456789abcdef/);
  });

  it('starts a new chat and can switch back to the old one', async () => {
    server.enqueue({ kind: 'stream', chunks: ['one'] });
    const repo = new SessionRepository(store);
    const chat = engine(repo);
    await chat.send('first session');
    const firstId = repo.active.id;
    await chat.newChat();
    assert.notEqual(repo.active.id, firstId);
    assert.equal(ofType('session').at(-1)!.messages.length, 0);
    await chat.handle({ type: 'switchSession', sessionId: firstId });
    assert.equal(ofType('session').at(-1)!.messages[0].content, 'first session');
  });

  it('marks a reply that was streaming when the window closed as interrupted', async () => {
    await store.update('qcoder.sessions', {
      version: 1,
      activeId: 's1',
      sessions: [
        {
          id: 's1',
          title: 't',
          createdAt: 0,
          updatedAt: 0,
          messages: [
            { id: 'a', role: 'user', content: 'q', status: 'complete', createdAt: 0 },
            { id: 'b', role: 'assistant', content: 'half', status: 'streaming', createdAt: 0 },
          ],
        },
      ],
    });
    const message = new SessionRepository(store).active.messages[1];
    assert.equal(message.status, 'stopped');
    assert.equal(message.content, 'half');
    assert.match(message.error ?? '', /Interrupted/);
  });
});
