/** The chat engine with slash commands: what reaches the model server, what stays in the chat. */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ChatEngine, type Connection } from '../../src/core/chat/chatEngine';
import { ModelClient } from '../../src/core/model/client';
import type { HostMessage } from '../../src/core/protocol';
import { SessionRepository } from '../../src/core/session/session';
import { compactionTranscript, summaryMessage } from '../../src/core/slash/compact';
import { runSlash, type SlashHost } from '../../src/core/slash/dispatch';
import { readOnlyTools } from '../../src/core/agent/readTools';
import { ToolRunner } from '../../src/core/agent/toolRunner';
import { MemoryStore } from '../support/memoryStore';
import { MemoryWorkspace } from '../support/memoryWorkspace';
import { toolCallEvents } from '../support/toolCallStream';
import { type ModelServer, startModelServer } from '../support/modelServer';

describe('slash commands in the chat engine', () => {
  let server: ModelServer;
  let posted: HostMessage[];
  let connection: Connection;
  let calls: string[];

  const host: SlashHost = {
    trusted: true,
    newChat: async () => void calls.push('newChat'),
    compact: async () => 'compacted',
    runCommand: async (command) => void calls.push(command),
    setMode: async (mode) => void calls.push(`mode:${mode}`),
    customCommands: async () => ({
      commands: [{ name: 'fix', description: 'Fix', body: 'Fix $ARGUMENTS and run the tests.', origin: 'fix.md' }],
      problems: [],
    }),
  };
  const engine = () =>
    new ChatEngine({
      sessions: new SessionRepository(new MemoryStore()),
      connect: async () => connection,
      post: (message) => posted.push(message),
      systemPrompt: () => ({
        text: 'SYSTEM with instructions',
        instructions: [{ key: 'instructions:project:app/QWEN.md', title: 'QWEN.md', tokens: 3, included: true }],
      }),
      slash: {
        run: (text) => runSlash(text, host),
        list: async () => [{ name: 'fix', description: 'Fix' }],
      },
      runCommand: (command) => void calls.push(command),
      log: () => undefined,
    });

  before(async () => {
    server = await startModelServer();
    server.setDefault({ kind: 'stream', chunks: ['ok'] });
  });
  after(() => server.close());
  beforeEach(() => {
    posted = [];
    calls = [];
    connection = {
      view: { model: 'm', baseUrl: server.baseUrl, ready: true, keySource: 'not-needed' },
      client: new ModelClient({ baseUrl: server.baseUrl, model: 'm', apiKey: '', sleep: async () => undefined }),
    };
  });

  it('sends a custom command expanded, with the system prompt the host assembled', async () => {
    const from = server.requests.length;
    await engine().send('/fix the parser');
    const messages = server.requests[from].body.messages as { role: string; content: string }[];
    assert.deepEqual(messages, [
      { role: 'system', content: 'SYSTEM with instructions' },
      { role: 'user', content: 'Fix the parser and run the tests.' },
    ]);
  });

  it('keeps a built-in out of the model and shows its note', async () => {
    const from = server.requests.length;
    const chat = engine();
    await chat.send('/nope');
    await chat.send('/new');
    assert.equal(server.requests.length, from);
    assert.deepEqual(calls, ['newChat']);
    const added = posted.flatMap((m) => (m.type === 'messageAdded' ? [m.message] : []));
    assert.equal(added.length, 1);
    assert.match(added[0].content, /^There is no command \/nope\./);
    assert.equal(added[0].role, 'assistant');
  });

  it('answers the completion query and routes the trust buttons', async () => {
    const chat = engine();
    await chat.handle({ type: 'slashQuery', requestId: 9 });
    assert.deepEqual(posted.at(-1), {
      type: 'slashResults',
      requestId: 9,
      items: [{ name: 'fix', description: 'Fix' }],
    });
    await chat.handle({ type: 'trustAction', action: 'manage' });
    await chat.handle({ type: 'trustAction', action: 'load' });
    assert.deepEqual(calls, ['manageTrust', 'loadInstructions']);
  });
});

describe('instruction files through the tool loop', () => {
  let server: ModelServer;
  before(async () => {
    server = await startModelServer();
  });
  after(() => server.close());

  it('reads the system prompt once per message, so every request of the tool loop has the same prefix', async () => {
    let reads = 0;
    const chat = new ChatEngine({
      sessions: new SessionRepository(new MemoryStore()),
      tools: new ToolRunner(readOnlyTools, new MemoryWorkspace({ 'a.ts': 'export const a = 1;\n' })),
      connect: async () => ({
        view: { model: 'm', baseUrl: server.baseUrl, ready: true, keySource: 'not-needed' },
        client: new ModelClient({ baseUrl: server.baseUrl, model: 'm', apiKey: '', sleep: async () => undefined }),
      }),
      post: () => undefined,
      // An instruction file edited during the turn: each read returns a new text.
      systemPrompt: () => `SYSTEM ${++reads}`,
      runCommand: () => undefined,
      log: () => undefined,
    });
    server.enqueue(
      { kind: 'raw', events: toolCallEvents([{ name: 'read_file', args: { path: 'a.ts' } }]) },
      { kind: 'stream', chunks: ['a is 1'] },
      { kind: 'stream', chunks: ['again'] },
    );
    await chat.send('What is a?');
    await chat.send('And now?');
    const systems = server.requests.map((request) => (request.body.messages as { content: string }[])[0].content);
    assert.deepEqual(systems, ['SYSTEM 1', 'SYSTEM 1', 'SYSTEM 2']);
  });
});

describe('/compact', () => {
  it('summarises user and assistant text and the tools called, without QCoder notes', () => {
    const transcript = compactionTranscript([
      { id: '1', role: 'user', content: 'fix it', status: 'complete', createdAt: 0 },
      { id: '2', role: 'assistant', content: 'paused', status: 'stopped', note: true, createdAt: 0 },
      {
        id: '3',
        role: 'assistant',
        content: 'Reading.',
        status: 'complete',
        createdAt: 0,
        toolCalls: [{ id: 'c', name: 'read_file', rawArguments: '{}', title: 'Read src/a.ts', status: 'done' }],
      },
    ]);
    assert.deepEqual(transcript, [
      { role: 'user', content: 'fix it' },
      { role: 'assistant', content: 'Reading.\n[tools: Read src/a.ts]' },
    ]);
    assert.equal(
      summaryMessage('Cart bug', ' The cart. '),
      'Summary of our earlier chat "Cart bug" (made by /compact; go on from here):\n\nThe cart.',
    );
  });
});
