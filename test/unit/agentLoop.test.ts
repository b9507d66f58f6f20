import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { ChangeDecision, EditBatch, EditService, PendingChange } from '../../src/core/agent/editService';
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

/** Records proposals and answers review with a scripted decision. */
class ScriptedEdits implements EditService {
  readonly schemas = [
    {
      name: 'write_file',
      description: 'Write a file',
      parameters: {
        type: 'object',
        properties: { path: { type: 'string' }, content: { type: 'string' } },
        required: ['path', 'content'],
      },
    },
  ];
  reviewed: PendingChange[][] = [];
  decide: (change: PendingChange) => ChangeDecision = (change) => ({
    changeId: change.id,
    status: 'accepted',
    message: `Applied ${change.path}.`,
    summary: 'accepted',
  });
  handles(tool: string) {
    return tool === 'write_file';
  }
  title(_tool: string, args: Record<string, unknown>) {
    return `Write ${String(args.path)}`;
  }
  begin(): EditBatch {
    const changes: PendingChange[] = [];
    return {
      propose: async (_tool, args) => {
        if (typeof args.path !== 'string' || args.path.includes('..'))
          return { ok: false, message: `${String(args.path)} is outside the workspace.` };
        const change = { id: `c${changes.length}`, path: args.path, description: '+1 −0' };
        changes.push(change);
        return { ok: true, change };
      },
      review: async () => {
        this.reviewed.push([...changes]);
        return changes.map((c) => this.decide(c));
      },
    };
  }
}

describe('agent loop (ChatEngine + ToolRunner over real HTTP)', () => {
  let server: ModelServer;
  let posted: HostMessage[];
  let edits: ScriptedEdits;
  const workspace = new MemoryWorkspace({
    'src/math.ts': 'export function add(a: number, b: number) {\n  return a + b;\n}\n',
    '.env': 'SECRET=1',
  });

  const engine = () =>
    new ChatEngine({
      sessions: new SessionRepository(new MemoryStore()),
      tools: new ToolRunner(readOnlyTools, workspace, edits),
      maxSteps: 5,
      connect: async () => ({
        view: { model: 'm', baseUrl: server.baseUrl, ready: true, keySource: 'not-needed' },
        client: new ModelClient({ baseUrl: server.baseUrl, model: 'm', apiKey: '', idleTimeoutMs: 3000 }),
      }),
      post: (message) => posted.push(message),
      systemPrompt: () => 'SYSTEM',
      runCommand: () => undefined,
      log: () => undefined,
    });

  before(async () => {
    server = await startModelServer();
  });
  after(() => server.close());
  beforeEach(() => {
    posted = [];
    edits = new ScriptedEdits();
  });

  it('reads a file the model asks for and sends the numbered lines back with the call id', async () => {
    server.enqueue(
      {
        kind: 'raw',
        events: toolCallEvents([{ name: 'read_file', args: { path: 'src/math.ts' }, id: 'call_read' }], 'Let me look.'),
      },
      { kind: 'stream', chunks: ['`add` returns the sum.'] },
    );
    const start = server.requests.length;
    await engine().send('What does add do?');
    const second = server.requests[start + 1].body;
    assert.deepEqual(
      second.tools.map((t: { function: { name: string } }) => t.function.name),
      ['read_file', 'list_files', 'search_files', 'write_file'],
    );
    const assistant = second.messages.at(-2);
    assert.equal(assistant.role, 'assistant');
    assert.equal(assistant.tool_calls[0].id, 'call_read');
    assert.equal(assistant.tool_calls[0].function.name, 'read_file');
    const tool = second.messages.at(-1);
    assert.equal(tool.role, 'tool');
    assert.equal(tool.tool_call_id, 'call_read');
    assert.match(tool.content, /1\| export function add\(a: number, b: number\) \{\n2\| {3}return a \+ b;/);
    const cards = posted
      .filter((m) => m.type === 'toolCall')
      .map((m) => m.type === 'toolCall' && [m.call.title, m.call.status]);
    assert.deepEqual(cards.at(-1), ['Read src/math.ts', 'done']);
    const last = posted.filter((m) => m.type === 'messageDone').at(-1);
    assert.ok(last?.type === 'messageDone' && last.content === '`add` returns the sum.');
  });

  it('denies a secrets file and tells the model why', async () => {
    server.enqueue(
      { kind: 'raw', events: toolCallEvents([{ name: 'read_file', args: { path: '.env' } }]) },
      { kind: 'stream', chunks: ['I cannot read it.'] },
    );
    const start = server.requests.length;
    await engine().send('print .env');
    const tool = server.requests[start + 1].body.messages.at(-1);
    assert.match(tool.content, /^Error: \.env is a secrets file/);
    assert.doesNotMatch(JSON.stringify(server.requests[start + 1].body), /SECRET=1/);
  });

  it('sends every edit of a turn to review together and reports the decisions to the model', async () => {
    edits.decide = (change) =>
      change.path === 'b.ts'
        ? {
            changeId: change.id,
            status: 'rejected',
            message: 'The user rejected the change to b.ts.',
            summary: 'rejected',
          }
        : { changeId: change.id, status: 'accepted', message: `Applied ${change.path}.`, summary: 'accepted' };
    server.enqueue(
      {
        kind: 'raw',
        events: toolCallEvents([
          { name: 'write_file', args: { path: 'a.ts', content: 'a' } },
          { name: 'write_file', args: { path: 'b.ts', content: 'b' } },
        ]),
      },
      { kind: 'stream', chunks: ['Done.'] },
    );
    const start = server.requests.length;
    await engine().send('make two files');
    assert.deepEqual(
      edits.reviewed.map((batch) => batch.map((c) => c.path)),
      [['a.ts', 'b.ts']],
    );
    const tools = server.requests[start + 1].body.messages
      .filter((m: { role: string }) => m.role === 'tool')
      .map((m: { content: string }) => m.content);
    assert.deepEqual(tools, ['Applied a.ts.', 'The user rejected the change to b.ts.']);
  });

  it('returns bad arguments and unknown tools to the model as errors it can act on', async () => {
    server.enqueue(
      {
        kind: 'raw',
        events: toolCallEvents([
          { name: 'delete_everything', args: {} },
          { name: 'write_file', args: { path: '../outside.ts', content: 'x' } },
        ]),
      },
      { kind: 'stream', chunks: ['Sorry.'] },
    );
    const start = server.requests.length;
    await engine().send('go');
    const tools = server.requests[start + 1].body.messages
      .filter((m: { role: string }) => m.role === 'tool')
      .map((m: { content: string }) => m.content);
    assert.match(
      tools[0],
      /there is no tool "delete_everything"\. Available tools: read_file, list_files, search_files, write_file/,
    );
    assert.match(tools[1], /outside the workspace/);
    assert.equal(edits.reviewed.length, 0, 'nothing reaches review');
  });

  it('stops when the model repeats the same failing call, and says so', async () => {
    const failing = {
      kind: 'raw' as const,
      events: toolCallEvents([{ name: 'read_file', args: { path: 'missing.ts' } }]),
    };
    server.enqueue(failing, failing, failing, { kind: 'stream', chunks: ['never asked'] });
    const start = server.requests.length;
    await engine().send('read missing.ts');
    assert.equal(server.requests.length - start, 3);
    const note = posted.filter((m) => m.type === 'messageAdded').at(-1);
    assert.ok(note?.type === 'messageAdded');
    assert.match(note.message.content, /failed the same way 3 times/);
    server.setDefault({ kind: 'stream', chunks: ['Hello from the test server.'] });
    // drain the unused scripted reply
    await engine().send('hi');
  });
});
