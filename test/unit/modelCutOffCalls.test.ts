/**
 * A tool call in an answer the token limit cut (`finish_reason: "length"`) must never run:
 * what parses may be a prefix of what the model meant (cline#9165 deleted a file that way).
 * Through the whole agent loop over real HTTP: nothing is proposed, read or reviewed, the
 * model is told its call was cut off, and it is asked again.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EditBatch, EditService } from '../../src/core/agent/editService';
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

/** An edit service that records every proposal it is asked for. */
class RecordingEdits implements EditService {
  readonly proposed: Array<Record<string, unknown>> = [];
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
  handles(tool: string) {
    return tool === 'write_file';
  }
  title(_tool: string, args: Record<string, unknown>) {
    return `Write ${String(args.path)}`;
  }
  begin(): EditBatch {
    return {
      propose: async (_tool, args) => {
        this.proposed.push(args);
        return { ok: true, change: { id: 'c0', path: String(args.path), description: '+1' } };
      },
      review: async () => [],
    };
  }
}

/** The events of `toolCallEvents`, with the finish reason the token limit gives. */
function cutByLength(events: string[]): string[] {
  const finish = events.findIndex((e) => e.includes('"finish_reason":"tool_calls"'));
  return events.map((e, i) =>
    i === finish ? e.replace('"finish_reason":"tool_calls"', '"finish_reason":"length"') : e,
  );
}

describe('tool calls cut by the token limit (agent loop over real HTTP)', () => {
  let server: ModelServer;
  const workspace = new MemoryWorkspace({ 'src/a.ts': 'export const a = 1;\n' });

  const run = async (first: string[]) => {
    const edits = new RecordingEdits();
    const posted: HostMessage[] = [];
    const engine = new ChatEngine({
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
    server.enqueue({ kind: 'raw', events: first }, { kind: 'stream', chunks: ['Sending it again in parts.'] });
    const start = server.requests.length;
    await engine.send('write the file');
    const retry = server.requests[start + 1]?.body;
    assert.ok(retry, 'the model is asked again');
    const toolMessages = retry.messages.filter((m: { role: string }) => m.role === 'tool');
    return { edits, posted, toolMessages: toolMessages.map((m: { content: string }) => m.content) as string[] };
  };

  before(async () => {
    server = await startModelServer();
  });
  after(() => server.close());

  it('runs neither a native write nor a read whose answer hit the limit, and tells the model', async () => {
    const events = cutByLength(
      toolCallEvents([
        { name: 'read_file', args: { path: 'src/a.ts' }, id: 'call_read' },
        { name: 'write_file', args: { path: 'src/b.ts', content: 'export const b' }, id: 'call_write' },
      ]),
    );
    const { edits, toolMessages, posted } = await run(events);
    assert.deepEqual(edits.proposed, [], 'nothing was proposed');
    assert.equal(toolMessages.length, 2);
    for (const message of toolMessages) {
      assert.match(message, /reached the output token limit before the (read_file|write_file) call was complete/);
      assert.match(message, /so it was not run\. Send the call again/);
      assert.doesNotMatch(message, /export const a = 1/, 'the file was not read');
    }
    const cards = posted.filter((m) => m.type === 'toolCall').map((m) => m.type === 'toolCall' && m.call.status);
    assert.ok(cards.length > 0 && cards.every((status) => status === 'running' || status === 'error'), String(cards));
  });

  it('does not run a Qwen-XML call left in the text when the limit cut the answer', async () => {
    const base = { id: 'chatcmpl-x', object: 'chat.completion.chunk', created: 0, model: 'm' };
    const piece = (content: string, finish: string | null = null) =>
      JSON.stringify({ ...base, choices: [{ index: 0, delta: { content }, finish_reason: finish }] });
    const events = [
      piece('Writing.\n<tool_call>\n<function=write_file>\n<parameter=path>\nsrc/b.ts\n</parameter>\n'),
      piece('<parameter=content>\nexport const b = 1;\n</parameter>\n</function>\n</tool_call>'),
      piece('', 'length'),
      '[DONE]',
    ];
    const { edits, toolMessages } = await run(events);
    assert.deepEqual(edits.proposed, []);
    assert.equal(toolMessages.length, 1);
    assert.match(toolMessages[0], /reached the output token limit before the write_file call was complete/);
  });
});
