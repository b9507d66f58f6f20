/**
 * Tool schemas against the refusals users recorded from the servers that run open models
 * (test/fixtures/mcp/schemaRefusals.json). The local model server applies each refusal's rule —
 * written here from the reports, not from schema.ts — and answers with the recorded error: the
 * MCP tool's own schema is refused with that text, the schema reduced by schema.ts is accepted.
 * When a server refuses the tools anyway, the chat names the MCP server and tool.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ToolRunner, type ToolSource } from '../../src/core/agent/toolRunner';
import { ChatEngine } from '../../src/core/chat/chatEngine';
import { estimatingCounter } from '../../src/core/context/tokens/tokenCounter';
import type { McpManager, OfferedTool } from '../../src/core/mcp/manager';
import { mcpTool } from '../../src/core/mcp/mcpTools';
import { explainToolRefusal } from '../../src/core/mcp/refusals';
import { reduceSchema } from '../../src/core/mcp/schema';
import { ModelClient } from '../../src/core/model/client';
import type { ToolSchema } from '../../src/core/model/types';
import { SessionRepository } from '../../src/core/session/session';
import { MemoryStore } from '../support/memoryStore';
import { MemoryWorkspace } from '../support/memoryWorkspace';
import { type ModelServer, startModelServer } from '../support/modelServer';

interface Refusal {
  server: string;
  source: string;
  rejects: string;
  status: number;
  body: { error?: { message: string }; message?: string };
  schema: Record<string, unknown>;
}
const fixtures = JSON.parse(readFileSync(path.join(__dirname, '../fixtures/mcp/schemaRefusals.json'), 'utf8')) as {
  refusals: Refusal[];
  stillRefused: Omit<Refusal, 'rejects' | 'schema'>;
};
const recordedText = (refusal: { body: Refusal['body'] }) => refusal.body.error?.message ?? refusal.body.message ?? '';

/** Every schema object inside `value` (properties, items, definitions, combinators). */
function subschemas(value: unknown): Record<string, unknown>[] {
  if (typeof value !== 'object' || value === null) return [];
  if (Array.isArray(value)) return value.flatMap(subschemas);
  const record = value as Record<string, unknown>;
  const children = Object.entries(record).flatMap(([key, child]) =>
    key === 'properties' && typeof child === 'object' && child !== null
      ? Object.values(child).flatMap(subschemas)
      : subschemas(child),
  );
  return [record, ...children];
}

const SCHEMA_WORDS = ['type', 'enum', 'const', '$ref', 'anyOf', 'oneOf', 'allOf', 'properties', 'items'];
/** vLLM's has_xgrammar_unsupported_json_features, as its tests list the keywords. */
const XGRAMMAR_UNSUPPORTED = [
  'format',
  'minLength',
  'maxLength',
  'pattern',
  'multipleOf',
  'uniqueItems',
  'contains',
  'minProperties',
  'maxProperties',
  'patternProperties',
  'propertyNames',
];

/** Whether the server of `rule` refuses these tools, judged the way the reports describe. */
function refuses(rule: string, tools: { function: { parameters: unknown } }[]): boolean {
  const schemas = tools.flatMap((tool) => subschemas(tool.function.parameters));
  const property = (schema: Record<string, unknown>) => Object.keys(schema).length > 0;
  switch (rule) {
    case 'unanchored pattern':
      return schemas.some((s) => typeof s.pattern === 'string' && !/^\^.*\$$/.test(s.pattern));
    case 'keywords without a type':
      return tools.some((tool) =>
        subschemas(tool.function.parameters)
          .flatMap((s) => Object.values((s.properties as Record<string, Record<string, unknown>>) ?? {}))
          .some((child) => property(child) && !SCHEMA_WORDS.some((word) => word in child)),
      );
    case 'not':
      return schemas.some((s) => 'not' in s);
    case 'type as an array':
      return schemas.some((s) => Array.isArray(s.type));
    case 'xgrammar-unsupported keywords':
      return schemas.some((s) => XGRAMMAR_UNSUPPORTED.some((word) => word in s));
    default:
      throw new Error(`no rule "${rule}"`);
  }
}

describe('MCP tool schemas against recorded refusals of open-model servers', () => {
  let server: ModelServer;
  before(async () => {
    server = await startModelServer();
    server.setDefault({ kind: 'stream', chunks: ['Accepted.'] });
  });
  after(() => server.close());

  const client = () =>
    new ModelClient({
      baseUrl: server.baseUrl,
      model: 'local',
      apiKey: '',
      idleTimeoutMs: 3000,
      sleep: async () => {},
    });
  async function send(tools: ToolSchema[]): Promise<string> {
    let text = '';
    const signal = new AbortController().signal;
    for await (const event of client().stream([{ role: 'user', content: 'hi' }], signal, {
      tools,
      sleep: async () => {},
    }))
      if (event.type === 'text') text += event.text;
    return text;
  }

  for (const refusal of fixtures.refusals) {
    it(`${refusal.server}, ${refusal.rejects}: refused as recorded; the reduced schema is accepted`, async () => {
      server.gate((body) =>
        refuses(refusal.rejects, body.tools ?? [])
          ? { kind: 'json', status: refusal.status, body: refusal.body }
          : undefined,
      );
      try {
        const tool = (parameters: Record<string, unknown>) => [
          { name: 'srv__tool', description: 'A tool.', parameters },
        ];
        await assert.rejects(send(tool(refusal.schema)), (error: Error) => {
          assert.ok(error.message.includes(recordedText(refusal).slice(0, 120)), error.message);
          return true;
        });
        const reduced = reduceSchema(refusal.schema);
        assert.equal(await send(tool(reduced)), 'Accepted.');
        // The reduced schema still has every argument the tool takes.
        assert.deepEqual(Object.keys(reduced.properties as object), Object.keys(refusal.schema.properties as object));
      } finally {
        server.gate(undefined);
      }
    });
  }

  it('a server that refuses the tools anyway: the chat names the MCP server and tool', async () => {
    const still = fixtures.stillRefused;
    server.gate((body) =>
      (body.tools ?? []).length > 0 ? { kind: 'json', status: still.status, body: still.body } : undefined,
    );
    try {
      const offered: OfferedTool = {
        server: 'docs',
        tool: 'search',
        name: 'docs__search',
        description: 'Searches.',
        parameters: reduceSchema({ type: 'object', properties: { q: { type: 'string' } } }),
      };
      const policy = { isAlwaysAllowed: () => true, allowAlways: async () => {}, hasSeen: () => true, markSeen() {} };
      const options = async () => ({ counter: estimatingCounter, budget: 1_000, vision: false });
      const source: ToolSource = {
        tools: [mcpTool(offered, {} as McpManager, policy, options)],
        refresh: async () => undefined,
        explainRefusal: (message) => explainToolRefusal(message, [offered]),
      };
      const sessions = new SessionRepository(new MemoryStore());
      const engine = new ChatEngine({
        sessions,
        tools: new ToolRunner([], new MemoryWorkspace({}), undefined, [], [source]),
        connect: async () => ({
          view: { model: 'local', baseUrl: server.baseUrl, ready: true, keySource: 'not-needed' },
          client: client(),
        }),
        post: () => undefined,
        systemPrompt: () => 'SYSTEM',
        runCommand: () => undefined,
        log: () => undefined,
      });
      await engine.send('Search the docs.');
      await engine.idle();
      const reply = sessions.active.messages.at(-1)!;
      assert.equal(reply.status, 'error');
      assert.ok(reply.error?.includes(recordedText(still)), reply.error);
      assert.match(
        reply.error ?? '',
        /refused the definition of an MCP tool\. MCP tools offered: "search" of the MCP server "docs"\./,
      );
      assert.match(reply.error ?? '', /Disable that server in QCoder: MCP Servers…/);
    } finally {
      server.gate(undefined);
    }
  });
});

describe('naming the MCP tool a server refused', () => {
  const tool = (server: string, name: string, description: string): OfferedTool => ({
    server,
    tool: name,
    name: `${server}__${name}`,
    description: '',
    parameters: { type: 'object', properties: { count: { type: 'number', description } } },
  });
  const offered = [tool('news', 'latest', 'count of news to return.'), tool('files', 'read', 'lines to read')];

  it('the refused sub-schema quotes a description: that tool alone is named', () => {
    const message = fixtures.refusals.find((item) => item.rejects === 'keywords without a type')!;
    assert.equal(
      explainToolRefusal(recordedText(message), offered),
      'The model server refused the definition of an MCP tool. The tool it refused: "latest" of the MCP server ' +
        '"news". Disable that server in QCoder: MCP Servers… (or fix its schema) and send the message again.',
    );
  });

  it('an error about something else, or no MCP tools on offer: nothing added', () => {
    assert.equal(explainToolRefusal('The conversation is longer than the context window', offered), undefined);
    assert.equal(explainToolRefusal(recordedText(fixtures.stillRefused), []), undefined);
  });

  it('every recorded refusal is recognised as one', () => {
    for (const refusal of [...fixtures.refusals, fixtures.stillRefused])
      assert.ok(explainToolRefusal(recordedText(refusal), offered), refusal.source);
  });
});
