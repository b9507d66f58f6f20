import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EditBatch, EditService } from '../../src/core/agent/editService';
import {
  ACT_MESSAGE,
  AGENT_MODES,
  acceptsEditsUnreviewed,
  DEFAULT_MODE,
  MODE_KEY,
  modeInstructions,
  ModeStore,
  offersTool,
  runsAllowedCommandsUnasked,
} from '../../src/core/agent/modes';
import { readOnlyTools } from '../../src/core/agent/readTools';
import { ToolRunner } from '../../src/core/agent/toolRunner';
import { ChatEngine } from '../../src/core/chat/chatEngine';
import { ModelClient } from '../../src/core/model/client';
import type { HostMessage } from '../../src/core/protocol';
import { SessionRepository } from '../../src/core/session/session';
import { MemoryStore } from '../support/memoryStore';
import { MemoryWorkspace } from '../support/memoryWorkspace';
import { type ModelServer, startModelServer } from '../support/modelServer';
import { toolCallEvents } from '../support/toolCallStream';

class Memory {
  values = new Map<string, unknown>();
  get(key: string) {
    return this.values.get(key);
  }
  async update(key: string, value: unknown) {
    this.values.set(key, value);
  }
}

describe('mode policy', () => {
  it('each mode allows what the issue says', () => {
    const table = AGENT_MODES.map((mode) => [
      mode,
      offersTool(mode, 'edit_file'),
      offersTool(mode, 'run_command'),
      offersTool(mode, 'read_file'),
      offersTool(mode, 'todo_write'),
      runsAllowedCommandsUnasked(mode),
      acceptsEditsUnreviewed(mode),
    ]);
    assert.deepEqual(table, [
      ['plan', false, false, true, true, false, false],
      ['ask', true, true, true, true, false, false],
      ['autoEdit', true, true, true, true, true, false],
      ['auto', true, true, true, true, true, true],
    ]);
  });

  it('Plan mode offers no tool it does not know to be read-only', () => {
    for (const tool of ['write_file', 'delete_file', 'rename_file', 'mcp_github_create_issue', 'stop_command'])
      assert.equal(offersTool('plan', tool), false, tool);
  });

  it('only Plan mode changes the system prompt, and it asks for a plan and todo_write', () => {
    assert.equal(modeInstructions('ask'), '');
    assert.equal(modeInstructions('auto'), '');
    assert.match(modeInstructions('plan'), /Plan mode/);
    assert.match(modeInstructions('plan'), /todo_write/);
  });
});

describe('ModeStore', () => {
  it('starts in Ask, remembers a choice, and tells listeners once per change', async () => {
    const memory = new Memory();
    const store = new ModeStore(memory);
    assert.equal(store.mode, DEFAULT_MODE);
    assert.equal(DEFAULT_MODE, 'ask');
    const seen: string[] = [];
    const listener = store.onDidChange((mode) => seen.push(mode));
    assert.equal(await store.set('plan'), true);
    assert.equal(await store.set('plan'), true);
    assert.equal(memory.get(MODE_KEY), 'plan');
    assert.equal(new ModeStore(memory).mode, 'plan');
    listener.dispose();
    await store.set('auto');
    assert.deepEqual(seen, ['plan']);
  });

  it('refuses what is not a mode and ignores a damaged saved value', async () => {
    const memory = new Memory();
    memory.values.set(MODE_KEY, 'yolo');
    const store = new ModeStore(memory);
    assert.equal(store.mode, 'ask');
    assert.equal(await store.set('yolo'), false);
    assert.equal(await store.set(undefined), false);
    assert.equal(store.mode, 'ask');
  });
});

/** An edit service that must never be asked in Plan mode. */
class TrapEdits implements EditService {
  proposals = 0;
  readonly schemas = [{ name: 'write_file', description: 'Write', parameters: { type: 'object', properties: {} } }];
  handles(tool: string) {
    return tool === 'write_file';
  }
  title() {
    return 'Write';
  }
  begin(): EditBatch {
    return {
      propose: async () => {
        this.proposals++;
        return { ok: true, change: { id: 'c', path: 'x', description: '' } };
      },
      review: async () => [{ changeId: 'c', status: 'accepted', message: 'Applied.', summary: 'accepted' }],
    };
  }
}

describe('ChatEngine and the mode (real HTTP to the local model server)', () => {
  let server: ModelServer;
  before(async () => {
    server = await startModelServer();
  });
  after(() => server.close());

  const setup = () => {
    const store = new ModeStore(new Memory());
    const edits = new TrapEdits();
    const posted: HostMessage[] = [];
    const engine = new ChatEngine({
      sessions: new SessionRepository(new MemoryStore()),
      tools: new ToolRunner(readOnlyTools, new MemoryWorkspace({ 'a.ts': 'const a = 1;\n' }), edits),
      offers: (tool) => offersTool(store.mode, tool),
      setMode: (mode) => store.set(mode),
      connect: async () => ({
        view: { model: 'm', baseUrl: server.baseUrl, ready: true, keySource: 'not-needed' },
        client: new ModelClient({ baseUrl: server.baseUrl, model: 'm', apiKey: '', idleTimeoutMs: 3000 }),
      }),
      post: (message) => posted.push(message),
      systemPrompt: () => `SYSTEM${modeInstructions(store.mode)}`,
      runCommand: () => undefined,
      log: () => undefined,
    });
    return { store, edits, posted, engine };
  };

  it('Plan mode sends no edit tool, refuses an edit call it was not offered, and Act switches to Ask', async () => {
    const { store, edits, engine } = setup();
    await engine.handle({ type: 'setMode', mode: 'plan' });
    assert.equal(store.mode, 'plan');
    server.enqueue(
      { kind: 'raw', events: toolCallEvents([{ name: 'write_file', args: { path: 'a.ts', content: 'x' } }]) },
      { kind: 'stream', chunks: ['1. Change a.ts'] },
    );
    const start = server.requests.length;
    await engine.send('plan the change');
    const names = (index: number) =>
      server.requests[index].body.tools.map((tool: { function: { name: string } }) => tool.function.name);
    assert.deepEqual(names(start), ['read_file', 'list_files', 'search_files']);
    assert.match(server.requests[start].body.messages[0].content, /Plan mode/);
    const refusal = server.requests[start + 1].body.messages.at(-1);
    assert.equal(refusal.role, 'tool');
    assert.match(refusal.content, /write_file is not available in the current mode/);
    assert.equal(edits.proposals, 0);

    server.enqueue({ kind: 'stream', chunks: ['Done.'] });
    await engine.handle({ type: 'act' });
    assert.equal(store.mode, 'ask');
    const acted = server.requests.at(-1)!.body;
    assert.equal(acted.messages.at(-1).content, ACT_MESSAGE);
    assert.deepEqual(
      acted.tools.map((tool: { function: { name: string } }) => tool.function.name),
      ['read_file', 'list_files', 'search_files', 'write_file'],
    );
    assert.doesNotMatch(acted.messages[0].content, /Plan mode/);
  });

  it('stops a task whose prompts pass the token cap and says so in the chat', async () => {
    const store = new ModeStore(new Memory());
    const posted: HostMessage[] = [];
    const engine = new ChatEngine({
      sessions: new SessionRepository(new MemoryStore()),
      tools: new ToolRunner(readOnlyTools, new MemoryWorkspace({ 'a.ts': 'x\n'.repeat(400) })),
      offers: (tool) => offersTool(store.mode, tool),
      limits: () => ({ maxModelCalls: 25, maxTaskTokens: 600 }),
      connect: async () => ({
        view: { model: 'm', baseUrl: server.baseUrl, ready: true, keySource: 'not-needed' },
        client: new ModelClient({ baseUrl: server.baseUrl, model: 'm', apiKey: '', idleTimeoutMs: 3000 }),
      }),
      post: (message) => posted.push(message),
      systemPrompt: () => 'SYSTEM',
      runCommand: () => undefined,
      log: () => undefined,
    });
    const read = (line: number) => ({
      kind: 'raw' as const,
      events: toolCallEvents([{ name: 'read_file', args: { path: 'a.ts', start_line: line } }]),
    });
    server.enqueue(read(1), read(2), read(3));
    const start = server.requests.length;
    await engine.send('read it all');
    // ~400 lines of numbered text is well over 600 tokens: the second request is the last.
    assert.equal(server.requests.length - start, 2);
    const note = posted.filter((m) => m.type === 'messageAdded').at(-1);
    assert.ok(note?.type === 'messageAdded');
    assert.match(note.message.content, /past the cap of 600 \(setting qcoder\.agent\.maxTaskTokens\)/);
  });
});
