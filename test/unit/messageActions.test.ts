import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ChatEngine, type Connection } from '../../src/core/chat/chatEngine';
import { ModelClient } from '../../src/core/model/client';
import type { HostMessage } from '../../src/core/protocol';
import { SessionRepository } from '../../src/core/session/session';
import { MemoryStore } from '../support/memoryStore';
import { type ModelServer, startModelServer } from '../support/modelServer';

// A 1×1 PNG, as a browser's paste gives it.
const PIXEL =
  'data:image/png;base64,' +
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

describe('message actions: edit and resend, regenerate, branches, images', () => {
  let server: ModelServer;
  let store: MemoryStore;
  let posted: HostMessage[];
  let images: boolean;
  let seen: number;
  const requests = () => server.requests.slice(seen);

  const connection = (): Connection => ({
    view: { model: 'm', baseUrl: server.baseUrl, ready: true, keySource: 'not-needed', images },
    client: new ModelClient({ baseUrl: server.baseUrl, model: 'm', apiKey: '', idleTimeoutMs: 2000 }),
  });
  const engine = (repo: SessionRepository) =>
    new ChatEngine({
      sessions: repo,
      connect: async () => connection(),
      post: (message) => posted.push(message),
      systemPrompt: () => 'SYSTEM',
      runCommand: () => undefined,
      log: () => undefined,
    });
  const lastSession = () =>
    posted.filter((m) => m.type === 'session').at(-1) as Extract<HostMessage, { type: 'session' }>;
  const shown = () => lastSession().messages.map((m) => `${m.role}:${m.content}`);

  before(async () => {
    server = await startModelServer();
  });
  after(() => server.close());
  beforeEach(() => {
    store = new MemoryStore();
    posted = [];
    images = false;
    seen = server.requests.length;
  });

  it('an edited message is sent with the history before it only, and the old branch comes back', async () => {
    server.enqueue({ kind: 'stream', chunks: ['A1'] }, { kind: 'stream', chunks: ['A2'] });
    const repo = new SessionRepository(store);
    const chat = engine(repo);
    await chat.send('first');
    await chat.send('second');
    const second = repo.active.messages[2];
    server.enqueue({ kind: 'stream', chunks: ['A2 edited'] });
    await chat.handle({ type: 'editMessage', messageId: second.id, text: 'second, better' });
    assert.deepEqual(requests().at(-1)!.body.messages.slice(1), [
      { role: 'user', content: 'first' },
      { role: 'assistant', content: 'A1' },
      { role: 'user', content: 'second, better' },
    ]);
    posted = [];
    await chat.handle({ type: 'ready' });
    assert.deepEqual(shown(), ['user:first', 'assistant:A1', 'user:second, better', 'assistant:A2 edited']);
    assert.deepEqual(lastSession().messages[2].branch, { index: 1, count: 2 });
    await chat.handle({ type: 'switchBranch', messageId: lastSession().messages[2].id, index: 0 });
    assert.deepEqual(shown(), ['user:first', 'assistant:A1', 'user:second', 'assistant:A2']);
    // Both branches are in the session's file, so a reload keeps them.
    await repo.save();
    const reloaded = new SessionRepository(store);
    assert.equal(reloaded.active.messages.at(-1)?.content, 'A2');
    assert.equal(Object.keys(reloaded.active.forks ?? {}).length, 1);
  });

  it('regenerate answers the same question again and keeps the old answer as a branch', async () => {
    server.enqueue({ kind: 'stream', chunks: ['old answer'] }, { kind: 'stream', chunks: ['new answer'] });
    const repo = new SessionRepository(store);
    const chat = engine(repo);
    await chat.send('question');
    await chat.handle({ type: 'regenerate', messageId: repo.active.messages[1].id });
    assert.equal(requests().length, 2);
    assert.deepEqual(requests()[1].body.messages.slice(1), [{ role: 'user', content: 'question' }]);
    assert.deepEqual(
      repo.active.messages.map((m) => m.content),
      ['question', 'new answer'],
    );
    assert.deepEqual(lastSession().messages[1].branch, { index: 1, count: 2 }, 'shown at once, not after a reload');
    posted = [];
    await chat.handle({ type: 'ready' });
    assert.deepEqual(lastSession().messages[1].branch, { index: 1, count: 2 });
  });

  it('a pasted image reaches the server as an image_url part and is kept with the session', async () => {
    images = true;
    server.enqueue({ kind: 'stream', chunks: ['A red dot.'] });
    const repo = new SessionRepository(store);
    await engine(repo).handle({ type: 'send', text: 'What is this?', images: [PIXEL] });
    assert.deepEqual(requests()[0].body.messages[1], {
      role: 'user',
      content: [
        { type: 'text', text: 'What is this?' },
        { type: 'image_url', image_url: { url: PIXEL } },
      ],
    });
    await repo.save();
    assert.deepEqual(new SessionRepository(store).active.messages[0].images, [PIXEL]);
  });

  it('a model that takes no images gets nothing, and the user is told why in words', async () => {
    const repo = new SessionRepository(store);
    await engine(repo).handle({ type: 'send', text: 'What is this?', images: [PIXEL] });
    assert.equal(requests().length, 0);
    const note = posted.find((m) => m.type === 'messageAdded');
    assert.match(note?.type === 'messageAdded' ? note.message.content : '', /m does not take images/);
    assert.ok(posted.some((m) => m.type === 'restoreInput' && m.text === 'What is this?'));
  });

  it('an answer carries when it finished and the tokens the server counted, for the hover', async () => {
    server.enqueue({ kind: 'stream', chunks: ['Counted.'], usage: true });
    const repo = new SessionRepository(store);
    await engine(repo).send('count');
    const answer = repo.active.messages[1];
    assert.ok(answer.doneAt && answer.doneAt >= answer.createdAt);
    assert.ok((answer.tokens ?? 0) > 0, 'the usage reached the message');
  });
});
