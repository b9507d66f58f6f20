/**
 * A 3.5 MB PNG from a real MCP server (stdio, the official SDK) reaches a vision model's request
 * byte for byte, and a text model gets a description of it; a message over the cap is still refused
 * by name. Before, the 4 MB message cap refused any image over ~3 MB (base64 adds a third).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ToolRunner, type ToolSource } from '../../src/core/agent/toolRunner';
import { ChatEngine } from '../../src/core/chat/chatEngine';
import { estimatingCounter } from '../../src/core/context/tokens/tokenCounter';
import { parseServers } from '../../src/core/mcp/config';
import { McpConnection } from '../../src/core/mcp/connection';
import type { McpManager } from '../../src/core/mcp/manager';
import { mcpTool } from '../../src/core/mcp/mcpTools';
import { LinearReadBuffer } from '../../src/core/mcp/readBuffer';
import { ModelClient } from '../../src/core/model/client';
import { acceptsImages } from '../../src/core/model/vision';
import { SessionRepository } from '../../src/core/session/session';
import { MemoryStore } from '../support/memoryStore';
import { MemoryWorkspace } from '../support/memoryWorkspace';
import { type ModelServer, startModelServer } from '../support/modelServer';
import { toolCallEvents } from '../support/toolCallStream';

const SERVER = path.resolve(__dirname, '../fixtures/mcp/bigImage.mjs');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('a 3.5 MB image from a real MCP server', { timeout: 60_000 }, () => {
  let folder: string;
  let png: Buffer;
  let model: ModelServer;
  let connection: McpConnection;

  before(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'qcoder-mcp-image-'));
    // Random bytes after the signature: incompressible, as a busy screenshot's data is.
    png = Buffer.concat([PNG_SIGNATURE, randomBytes(3.5 * 1024 * 1024 - PNG_SIGNATURE.length)]);
    writeFileSync(path.join(folder, 'screen.png'), png);
    const { servers } = parseServers(
      { shots: { command: process.execPath, args: [SERVER, path.join(folder, 'screen.png')] } },
      'user',
      { env: () => undefined },
    );
    connection = new McpConnection(servers[0], { log: () => undefined, callTimeoutMs: 30_000 });
    model = await startModelServer();
  });
  after(async () => {
    await connection.stop();
    await model.close();
    rmSync(folder, { recursive: true, force: true });
  });

  function source(modelName: string): ToolSource {
    const manager = { call: () => connection.callTool('screenshot', {}) } as unknown as McpManager;
    const policy = {
      isAlwaysAllowed: () => true,
      allowAlways: async () => undefined,
      hasSeen: () => true,
      markSeen() {},
    };
    const offered = { server: 'shots', tool: 'screenshot', name: 'shots__screenshot', description: '', parameters: {} };
    const tool = mcpTool(offered, manager, policy, async () => ({
      counter: estimatingCounter,
      budget: 8_000,
      vision: acceptsImages(modelName),
    }));
    return { tools: [tool], refresh: async () => undefined };
  }

  async function turn(modelName: string) {
    const from = model.requests.length;
    model.enqueue({ kind: 'raw', events: toolCallEvents([{ name: 'shots__screenshot', args: {}, id: 'shot1' }]) });
    model.enqueue({ kind: 'stream', chunks: ['A busy screen.'] });
    const engine = new ChatEngine({
      sessions: new SessionRepository(new MemoryStore()),
      tools: new ToolRunner([], new MemoryWorkspace({}), undefined, [], [source(modelName)]),
      connect: async () => ({
        view: { model: modelName, baseUrl: model.baseUrl, ready: true, keySource: 'not-needed' },
        client: new ModelClient({ baseUrl: model.baseUrl, model: modelName, apiKey: '', idleTimeoutMs: 10_000 }),
      }),
      post: () => undefined,
      systemPrompt: () => 'SYSTEM',
      runCommand: () => undefined,
      log: () => undefined,
    });
    await engine.send('Take a screenshot.');
    await engine.idle();
    assert.equal(model.requests.length, from + 2, 'the result went back to the model');
    return model.requests[from + 1].body.messages as { role: string; content: unknown }[];
  }

  it('a vision model receives the PNG as an image_url part, the same bytes as the file', async () => {
    const messages = await turn('qwen-vl-max');
    const at = messages.findIndex((message) => message.role === 'tool');
    assert.equal(messages[at].content, 'The screen:\n\n[image 1: image/png, attached below]');
    const parts = messages[at + 1].content as { type: string; image_url?: { url: string } }[];
    const url = parts.find((part) => part.type === 'image_url')?.image_url?.url ?? '';
    assert.ok(url.startsWith('data:image/png;base64,'), url.slice(0, 40));
    assert.ok(Buffer.from(url.slice('data:image/png;base64,'.length), 'base64').equals(png), 'the exact bytes');
  });

  it('a text model is told what the image was, and gets no image', async () => {
    const messages = await turn('qwen3-coder-plus');
    const tool = messages.find((message) => message.role === 'tool');
    assert.match(
      String(tool?.content),
      /^The screen:\n\n\[image: image\/png, 3584 KB, not shown: the model does not take images\]$/,
    );
    assert.ok(!JSON.stringify(messages).includes('image_url'));
  });
});

describe('the linear message buffer', () => {
  it('splits messages across chunks and refuses one over the cap with the words the connection reads', () => {
    const buffer = new LinearReadBuffer((line) => JSON.parse(line) as unknown, 64);
    buffer.append(Buffer.from('{"a":1}\r\n{"b":'));
    buffer.append(Buffer.from('2}\n{"c"'));
    assert.deepEqual([buffer.readMessage(), buffer.readMessage(), buffer.readMessage()], [{ a: 1 }, { b: 2 }, null]);
    assert.throws(() => buffer.append(Buffer.alloc(70, 0x20)), /^Error: ReadBuffer exceeded maximum size of 64 bytes$/);
    assert.equal(buffer.readMessage(), null, 'the cut message is dropped');
  });
});
