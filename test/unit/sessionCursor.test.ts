/** Two chat surfaces on two sessions of one repository: each keeps its own, both stream at once, nothing mixes. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ChatEngine, type ChatEngineDeps } from '../../src/core/chat/chatEngine';
import { routeTo } from '../../src/core/chat/surfaceRoute';
import { ModelClient } from '../../src/core/model/client';
import type { HostMessage } from '../../src/core/protocol';
import { asTurnOf, SessionCursor, turnSessions } from '../../src/core/session/cursor';
import { nodeSessionFiles } from '../../src/core/session/nodeFiles';
import { SessionRepository } from '../../src/core/session/session';
import { MemoryStore } from '../support/memoryStore';
import { type ModelServer, startModelServer, textChunks } from '../support/modelServer';

describe('a session per chat surface', () => {
  let server: ModelServer;
  let folder: string;
  before(async () => {
    server = await startModelServer();
    folder = mkdtempSync(join(tmpdir(), 'qcoder-cursor-'));
  });
  after(async () => {
    await server.close();
    rmSync(folder, { recursive: true, force: true });
  });
  const onDisk = (id: string) => JSON.parse(readFileSync(join(folder, `session-${id}.json`), 'utf8'));

  function engineOn(sessions: ChatEngineDeps['sessions'], posted: HostMessage[]): ChatEngine {
    return new ChatEngine({
      sessions,
      connect: async () => ({
        view: { model: 'm', baseUrl: server.baseUrl, ready: true, keySource: 'not-needed' },
        client: new ModelClient({ baseUrl: server.baseUrl, model: 'm', apiKey: '', sleep: async () => undefined }),
      }),
      post: (message) => posted.push(message),
      systemPrompt: () => 'SYSTEM',
      runCommand: () => undefined,
      log: () => undefined,
    });
  }

  it('a tab keeps its session while the sidebar moves, both stream at once, and each file holds its own', async () => {
    const repository = new SessionRepository(new MemoryStore(), { files: nodeSessionFiles(folder) });
    const cursor = new SessionCursor(repository);
    assert.notEqual(cursor.active.id, repository.active.id, 'a new tab opens a new session');
    const sidebarPosts: HostMessage[] = [];
    const tabPosts: HostMessage[] = [];
    const sidebar = engineOn(repository, sidebarPosts);
    const tab = engineOn(cursor, tabPosts);
    // Each request is answered by what it asked, slowly, so the two streams overlap.
    server.gate((body: { messages: { role: string; content: string }[] }) => {
      const asked = body.messages.at(-1)?.content ?? '';
      return { kind: 'stream', chunks: textChunks(`Answer to ${asked}.`, 3), delayMs: 15 };
    });
    await Promise.all([sidebar.send('sidebar question'), tab.send('tab question')]);
    server.gate(undefined);

    const asked = server.requests.map((request) => request.body.messages.at(-1).content).sort();
    assert.deepEqual(asked, ['sidebar question', 'tab question']);
    const deltas = (posts: HostMessage[]) =>
      posts.flatMap((message) => (message.type === 'delta' ? [message.text] : [])).join('');
    assert.equal(deltas(sidebarPosts), 'Answer to sidebar question.');
    assert.equal(deltas(tabPosts), 'Answer to tab question.');
    const texts = (id: string) => onDisk(id).messages.map((message: { content: string }) => message.content);
    assert.deepEqual(texts(repository.active.id), ['sidebar question', 'Answer to sidebar question.']);
    assert.deepEqual(texts(cursor.active.id), ['tab question', 'Answer to tab question.']);

    // The sidebar starts a new chat: the tab's session stays open and keeps its messages on later saves.
    const tabId = cursor.active.id;
    await sidebar.newChat();
    assert.equal(cursor.active.id, tabId);
    cursor.active.title = 'renamed in memory';
    await repository.save();
    assert.equal(onDisk(tabId).title, 'renamed in memory', 'the held session is still written (it was not closed)');
    assert.equal(tab.sessionId, tabId);
    assert.ok(tab.shows(cursor.active.messages[1].id));
    assert.ok(!sidebar.shows(cursor.active.messages[1].id));
  });

  it('a tab on a chat that exists shows it; New chat in the tab leaves the sidebar where it was', async () => {
    const repository = new SessionRepository(new MemoryStore(), { files: nodeSessionFiles(folder) });
    const first = repository.active;
    first.messages.push({ id: 'm-1', role: 'user', content: 'old', status: 'complete', createdAt: 1 });
    const sidebarSession = repository.startNew();
    const cursor = new SessionCursor(repository, first.id);
    assert.equal(cursor.active.id, first.id);
    assert.equal(cursor.startNew().id === first.id, false, 'a non-empty chat is left for a new one');
    assert.equal(repository.active.id, sidebarSession.id);
    const empty = cursor.active.id;
    assert.equal(cursor.startNew().id, empty, 'an empty chat is kept');
    assert.equal(new SessionCursor(repository, 'no-such-session').active.messages.length, 0, 'an unknown id: new');
  });

  it(
    'a session deleted elsewhere is replaced in the tab by a new one; ' + 'the sidebar never reopens a tab’s session',
    async () => {
      const repository = new SessionRepository(new MemoryStore(), { files: nodeSessionFiles(folder) });
      repository.active.messages.push({ id: 'm-a', role: 'user', content: 'a', status: 'complete', createdAt: 1 });
      const tabSession = repository.startNew();
      tabSession.messages.push({ id: 'm-b', role: 'user', content: 'b', status: 'complete', createdAt: 2 });
      tabSession.updatedAt = Date.now() + 1000;
      repository.startNew();
      const cursor = new SessionCursor(repository, tabSession.id);
      await repository.save();
      await repository.delete(repository.active.id);
      assert.notEqual(
        repository.active.id,
        tabSession.id,
        'the most recent session is the tab’s: ' + 'the sidebar skips it',
      );
      await repository.delete(tabSession.id);
      assert.notEqual(cursor.active.id, tabSession.id);
      assert.equal(cursor.active.messages.length, 0);
    },
  );
});

describe('the session a shared tool sees', () => {
  it('is the one of the engine whose turn runs, through its awaits; outside any turn, the sidebar’s', async () => {
    const repository = new SessionRepository(new MemoryStore());
    const cursor = new SessionCursor(repository);
    const seen = turnSessions(repository);
    const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
    const [inTab, inSidebar] = await Promise.all([
      asTurnOf(cursor, async () => (await tick(), seen.active.id)),
      asTurnOf(repository, async () => (await tick(), seen.active.id)),
    ]);
    assert.equal(inTab, cursor.active.id);
    assert.equal(inSidebar, repository.active.id);
    assert.equal(seen.active.id, repository.active.id);
  });
});

describe('routing a message of a shared service', () => {
  const surfaces = [
    { name: 'sidebar', session: 's-1', messages: ['m-1'] },
    { name: 'tab', session: 's-2', messages: ['m-2'] },
  ];
  const to = (message: HostMessage) =>
    routeTo(message, surfaces, (surface, route) =>
      'session' in route ? surface.session === route.session : surface.messages.includes(route.message),
    ).map((surface) => surface.name);

  it('goes to the surface of the session or message it names, and a general one to all', () => {
    assert.deepEqual(to({ type: 'todos', sessionId: 's-2', items: [] }), ['tab']);
    assert.deepEqual(to({ type: 'notice', messageId: 'm-1', text: 'redacted' }), ['sidebar']);
    const review = { id: 'r', messageId: 'm-2', status: 'pending', files: [], canUndo: false } as const;
    assert.deepEqual(to({ type: 'review', review }), ['tab']);
    assert.deepEqual(to({ type: 'mode', mode: 'ask' }), ['sidebar', 'tab']);
    assert.deepEqual(to({ type: 'todos', sessionId: 's-9', items: [] }), [], 'a session nobody shows: nobody');
  });
});
