/**
 * An MCP tool that returns an image, through the real agent loop and real HTTP: a vision model
 * gets the tool message and then a user message with the `image_url` part (a tool message cannot
 * carry images); a text model gets a description and no image. The model server's recorded
 * request is the evidence.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ToolRunner, type ToolSource } from '../../src/core/agent/toolRunner';
import { ChatEngine } from '../../src/core/chat/chatEngine';
import { estimatingCounter } from '../../src/core/context/tokens/tokenCounter';
import type { McpManager } from '../../src/core/mcp/manager';
import { mcpTool } from '../../src/core/mcp/mcpTools';
import { ModelClient } from '../../src/core/model/client';
import { acceptsImages } from '../../src/core/model/vision';
import { SessionRepository } from '../../src/core/session/session';
import { MemoryStore } from '../support/memoryStore';
import { MemoryWorkspace } from '../support/memoryWorkspace';
import { type ModelServer, startModelServer } from '../support/modelServer';
import { toolCallEvents } from '../support/toolCallStream';

/** A 1×1 PNG, as an MCP server would send it. */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==';

function imageTool(model: string): ToolSource {
  const manager = {
    call: async () => ({
      content: [
        { type: 'text', text: 'Here is the chart.' },
        { type: 'image', mimeType: 'image/png', data: PNG },
      ],
    }),
  } as unknown as McpManager;
  const policy = {
    isAlwaysAllowed: () => true,
    allowAlways: async () => undefined,
    hasSeen: () => true,
    markSeen() {},
  };
  const offered = { server: 'charts', tool: 'plot', name: 'charts__plot', description: 'Plots.', parameters: {} };
  const tool = mcpTool(offered, manager, policy, async () => ({
    counter: estimatingCounter,
    budget: 8_000,
    vision: acceptsImages(model),
  }));
  return { tools: [tool], refresh: async () => undefined };
}

describe('MCP tool images reach a vision model as images', () => {
  let server: ModelServer;
  before(async () => {
    server = await startModelServer();
  });
  after(() => server.close());

  async function turn(model: string) {
    const from = server.requests.length;
    server.enqueue({ kind: 'raw', events: toolCallEvents([{ name: 'charts__plot', args: {}, id: 'plot1' }]) });
    server.enqueue({ kind: 'stream', chunks: ['A rising line.'] });
    const engine = new ChatEngine({
      sessions: new SessionRepository(new MemoryStore()),
      tools: new ToolRunner([], new MemoryWorkspace({}), undefined, [], [imageTool(model)]),
      connect: async () => ({
        view: { model, baseUrl: server.baseUrl, ready: true, keySource: 'not-needed' },
        client: new ModelClient({ baseUrl: server.baseUrl, model, apiKey: '', idleTimeoutMs: 3000 }),
      }),
      post: () => undefined,
      systemPrompt: () => 'SYSTEM',
      runCommand: () => undefined,
      log: () => undefined,
    });
    await engine.send('Plot it.');
    await engine.idle();
    return server.requests[from + 1].body.messages as { role: string; content: unknown; tool_call_id?: string }[];
  }

  it('a vision model: the tool message, then a user message with the image_url part', async () => {
    const messages = await turn('qwen-vl-max');
    const at = messages.findIndex((message) => message.role === 'tool');
    assert.deepEqual(messages[at], {
      role: 'tool',
      tool_call_id: 'plot1',
      content: 'Here is the chart.\n\n[image 1: image/png, attached below]',
    });
    assert.deepEqual(messages[at + 1], {
      role: 'user',
      content: [
        { type: 'text', text: 'Images returned by the tool call plot1 (charts__plot):' },
        { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
      ],
    });
  });

  it('a text model: a description in the tool message, no image anywhere', async () => {
    const messages = await turn('qwen3-coder-plus');
    const tool = messages.find((message) => message.role === 'tool');
    assert.equal(
      tool?.content,
      'Here is the chart.\n\n[image: image/png, 70 bytes, not shown: the model does not take images]',
    );
    assert.ok(!JSON.stringify(messages).includes('image_url'));
  });
});
