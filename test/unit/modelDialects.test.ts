/**
 * One recorded-format stream per server (test/fixtures/streams/*.sse, each saying in
 * its header what is particular about that server), replayed byte for byte by the
 * local test server: the ModelTurn that comes out must be exactly right, the text
 * events must add up to its text, and cutting the bytes anywhere must change nothing.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { ModelClient } from '../../src/core/model/client';
import { ModelError } from '../../src/core/model/errors';
import type { ModelTurn, StreamEvent, ToolSchema } from '../../src/core/model/types';
import { type ModelServer, STREAM_FIXTURES, startModelServer } from '../support/modelServer';

const tools: ToolSchema[] = [
  {
    name: 'read_file',
    description: 'Read a file of the workspace.',
    parameters: {
      type: 'object',
      properties: { path: { type: 'string' }, startLine: { type: 'integer' } },
      required: ['path'],
    },
  },
  {
    name: 'run_command',
    description: 'Run a shell command.',
    parameters: {
      type: 'object',
      properties: { command: { type: 'string' }, timeoutSeconds: { type: 'number' }, background: { type: 'boolean' } },
      required: ['command'],
    },
  },
  {
    name: 'search',
    description: 'Search the workspace.',
    parameters: {
      type: 'object',
      properties: { query: { type: 'string' }, maxResults: { type: 'integer' } },
      required: ['query'],
    },
  },
];

const expected: Record<string, ModelTurn> = {
  'dashscope-tool-calls.sse': {
    text: '我来读取这两个文件。',
    reasoning: '',
    toolCalls: [
      {
        id: 'call_8f08d2b0fc0c4d8fab7123',
        name: 'read_file',
        arguments: { path: 'src/a.ts' },
        rawArguments: '{"path": "src/a.ts"}',
      },
      {
        id: 'call_1b2c3d4e5f60718293a4b5',
        name: 'read_file',
        arguments: { path: 'src/b.ts', startLine: 40 },
        rawArguments: '{"path": "src/b.ts", "startLine": 40}',
      },
    ],
    usage: { promptTokens: 1320, completionTokens: 58 },
    finishReason: 'tool_calls',
  },
  'vllm-tool-calls.sse': {
    text: 'Let me look at the file first.',
    reasoning: '',
    toolCalls: [
      {
        id: 'call_3f6a1c0e9b7d4e2f8a5c1b0d',
        name: 'read_file',
        arguments: { path: 'src/a.ts', startLine: 10 },
        rawArguments: '{"path": "src/a.ts", "startLine": 10}',
      },
    ],
    usage: { promptTokens: 812, completionTokens: 45 },
    finishReason: 'tool_calls',
  },
  'vllm-reasoning.sse': {
    text: '`src/a.ts` exports two helpers, `parse` and',
    reasoning: 'The user wants a one-line summary.',
    toolCalls: [],
    finishReason: 'length',
  },
  'vllm-unparsed-tool-calls.sse': {
    text: "I'll run the tests.\n\n",
    reasoning: '',
    toolCalls: [
      {
        id: 'call_chatcmpl-7a7a7a7a7a7a4b4b8c8c9d9d0e0e1f1f_0',
        name: 'run_command',
        arguments: { command: 'npm test -- --grep "a < b"', timeoutSeconds: 120, background: false },
        rawArguments: '{"command":"npm test -- --grep \\"a < b\\"","timeoutSeconds":120,"background":false}',
      },
      {
        id: 'call_chatcmpl-7a7a7a7a7a7a4b4b8c8c9d9d0e0e1f1f_1',
        name: 'read_file',
        arguments: { path: 'src/a.ts' },
        rawArguments: '{"path":"src/a.ts"}',
      },
    ],
    usage: { promptTokens: 2048, completionTokens: 91 },
    finishReason: 'tool_calls',
  },
  'sglang-tool-calls.sse': {
    text: 'Reading the config.',
    reasoning: '',
    toolCalls: [
      {
        id: 'call_a41c2e9f7b3d4c1e8f6a2b90',
        name: 'read_file',
        arguments: { path: 'tsconfig.json' },
        rawArguments: '{"path": "tsconfig.json"}',
      },
    ],
    usage: { promptTokens: 640, completionTokens: 31 },
    finishReason: 'tool_calls',
  },
  'ollama-tool-calls.sse': {
    text: '',
    reasoning: 'Two files to read.',
    toolCalls: [
      {
        id: 'call_chatcmpl-412_0',
        name: 'read_file',
        arguments: { path: 'src/a.ts' },
        rawArguments: '{"path":"src/a.ts"}',
      },
      {
        id: 'call_chatcmpl-412_1',
        name: 'read_file',
        arguments: { path: 'src/b.ts', startLine: 5 },
        rawArguments: '{"path":"src/b.ts","startLine":5}',
      },
    ],
    usage: { promptTokens: 411, completionTokens: 52 },
    finishReason: 'tool_calls',
  },
  'llamacpp-tool-calls.sse': {
    text: 'Checking package.json.',
    reasoning: 'Need the package scripts.',
    toolCalls: [
      {
        id: 'ZpQ9c1wX4tLk7Rb2Mn8Vf3Yh6Jd0Gs5E',
        name: 'read_file',
        arguments: { path: 'package.json' },
        rawArguments: '{"path":"package.json"}',
      },
    ],
    usage: { promptTokens: 733, completionTokens: 38 },
    finishReason: 'tool_calls',
  },
  'llamacpp-leaked-tool-call.sse': {
    text: 'Let me check the weather.\n',
    reasoning: '',
    toolCalls: [
      {
        id: 'Wt4kR9mXq2LpZ7vB1nC8sD3fG6hJ0yE5',
        name: 'get_current_weather',
        arguments: { location: 'Paris' },
        rawArguments: '{"location":"Paris"}',
      },
    ],
    usage: { promptTokens: 312, completionTokens: 27 },
    finishReason: 'tool_calls',
  },
  'lmstudio-tool-call-in-text.sse': {
    text: 'I will open the file.\n',
    reasoning: '',
    toolCalls: [
      {
        id: 'call_chatcmpl-h2k9w1x7q3m5n8b4v6c0_0',
        name: 'read_file',
        arguments: { path: 'src/a.ts', startLine: 10 },
        rawArguments: '{"path":"src/a.ts","startLine":10}',
      },
    ],
    finishReason: 'tool_calls',
  },
  'openrouter-tool-calls.sse': {
    text: 'Searching for usages.',
    reasoning: '',
    toolCalls: [
      {
        id: 'call_0f5e1d9c7a3b4e2d8c6b1a0f',
        name: 'search',
        arguments: { query: 'parseConfig', maxResults: 20 },
        rawArguments: '{"query": "parseConfig", "maxResults": 20}',
      },
    ],
    usage: { promptTokens: 1502, completionTokens: 33 },
    finishReason: 'tool_calls',
  },
  'openai-tool-calls.sse': {
    text: 'Checking both.',
    reasoning: '',
    toolCalls: [
      {
        id: 'call_Xy7PQk2LmN4vB8zR1sT6wU3e',
        name: 'read_file',
        arguments: { path: 'src/a.ts' },
        rawArguments: '{"path":"src/a.ts"}',
      },
      {
        id: 'call_Ab3CdE4fGh5IjK6lMn7OpQ8r',
        name: 'read_file',
        arguments: { path: 'src/b.ts' },
        rawArguments: '{"path":"src/b.ts"}',
      },
    ],
    usage: { promptTokens: 905, completionTokens: 52 },
    finishReason: 'tool_calls',
  },
};

const joined = (events: StreamEvent[], type: 'text' | 'reasoning') =>
  events.map((e) => (e.type === type ? e.text : '')).join('');

describe('server dialects, replayed from test/fixtures/streams', () => {
  let server: ModelServer;
  let client: ModelClient;
  before(async () => {
    server = await startModelServer();
    client = new ModelClient({
      baseUrl: server.baseUrl,
      model: 'qwen3-coder-plus',
      apiKey: 'sk-test',
      idleTimeoutMs: 3000,
    });
  });
  after(() => server.close());

  async function replay(file: string, splitBytes?: number): Promise<StreamEvent[]> {
    server.enqueue({ kind: 'sse', file, splitBytes });
    const events: StreamEvent[] = [];
    for await (const event of client.stream([{ role: 'user', content: 'go' }], new AbortController().signal, { tools }))
      events.push(event);
    return events;
  }

  it('has a fixture with a header comment for every server the issue names', () => {
    const files = readdirSync(STREAM_FIXTURES).filter((f) => f.endsWith('.sse'));
    for (const server of ['dashscope', 'vllm', 'sglang', 'ollama', 'llamacpp', 'lmstudio', 'openrouter', 'openai']) {
      assert.ok(
        files.some((f) => f.startsWith(`${server}-`)),
        `no fixture for ${server}`,
      );
    }
  });

  for (const [file, turn] of Object.entries(expected)) {
    it(`${file}: the exact turn, and events that add up to it`, async () => {
      const events = await replay(file);
      const last = events.at(-1);
      assert.equal(last?.type, 'turn');
      assert.deepEqual(last.type === 'turn' && last.turn, turn);
      assert.equal(joined(events, 'text'), turn.text);
      assert.equal(joined(events, 'reasoning'), turn.reasoning);
      assert.deepEqual(
        events.filter((e) => e.type === 'finish'),
        [{ type: 'finish', reason: turn.finishReason }],
      );
      assert.deepEqual(
        events.filter((e) => e.type === 'usage'),
        turn.usage ? [{ type: 'usage', usage: turn.usage }] : [],
      );
    });

    it(`${file}: the same turn when the bytes arrive in 5-byte pieces`, async () => {
      const events = await replay(file, 5);
      const last = events.at(-1);
      assert.deepEqual(last?.type === 'turn' && last.turn, turn);
      assert.equal(joined(events, 'text'), turn.text);
    });
  }

  it('openrouter-error-midstream.sse: keeps what arrived and reports the break, not a retry', async () => {
    const seen: StreamEvent[] = [];
    const requestsBefore = server.requests.length;
    server.enqueue({ kind: 'sse', file: 'openrouter-error-midstream.sse' });
    await assert.rejects(
      (async () => {
        for await (const event of client.stream([{ role: 'user', content: 'go' }], new AbortController().signal))
          seen.push(event);
      })(),
      (error: unknown) => {
        assert.ok(error instanceof ModelError);
        assert.equal(error.kind, 'dropped');
        assert.match(error.message, /Provider disconnected unexpectedly/);
        assert.deepEqual(error.partial, {
          text: 'The function is defined in',
          reasoning: '',
          toolCalls: [],
          finishReason: 'dropped',
          incomplete: true,
        });
        return true;
      },
    );
    assert.equal(joined(seen, 'text'), 'The function is defined in');
    assert.equal(
      seen.some((e) => e.type === 'retry'),
      false,
    );
    assert.equal(server.requests.length, requestsBefore + 1);
  });

  it('sends the tools in the OpenAI function format and asks for usage', async () => {
    const before = server.requests.length;
    await replay('vllm-tool-calls.sse');
    const body = server.requests[before].body;
    assert.deepEqual(body.tools[0], {
      type: 'function',
      function: { name: 'read_file', description: 'Read a file of the workspace.', parameters: tools[0].parameters },
    });
    assert.deepEqual(body.stream_options, { include_usage: true });
  });
});
