/**
 * The context-length retry's parts: the numbers a server's error carries, the budget the
 * retry aims for, and the context provider packing a refused request again.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { retryTarget } from '../../src/core/chat/contextRetry';
import { WorkspaceContext } from '../../src/core/chat/workspaceContext';
import { type Mention, NodeWorkspaceReader, WorkspaceIndex, estimatingCounter } from '../../src/core/context';
import { httpError, streamError } from '../../src/core/model/errors';
import type { ChatMessage } from '../../src/core/model/types';
import { project } from '../fixtures/context/retryProject';
import { type TempWorkspace, makeWorkspace } from '../fixtures/context/workspace';

const ctx = { baseUrl: 'http://127.0.0.1:1/v1', model: 'm' };

describe('context-length errors carry the server’s numbers', () => {
  it('reads llama.cpp’s n_prompt_tokens and n_ctx', () => {
    const body = JSON.stringify({
      error: {
        code: 400,
        message: 'request (9000 tokens) exceeds the available context size (4096 tokens), try increasing it',
        type: 'exceed_context_size_error',
        n_prompt_tokens: 9000,
        n_ctx: 4096,
      },
    });
    const error = httpError(400, body, undefined, ctx);
    assert.equal(error.kind, 'context-length');
    assert.deepEqual(error.limits, { promptTokens: 9000, contextWindow: 4096 });
  });

  it('reads vLLM’s sentence, old and new, and OpenAI’s', () => {
    const vllm = httpError(
      400,
      JSON.stringify({
        object: 'error',
        message:
          "This model's maximum context length is 32768 tokens. However, you requested 41000 tokens (40000 in the messages, 1000 in the completion). Please reduce the length of the messages or completion.",
        type: 'BadRequestError',
        param: null,
        code: 400,
      }),
      undefined,
      ctx,
    );
    assert.deepEqual(vllm.limits, { promptTokens: 40000, contextWindow: 32768 });
    const newer = httpError(
      400,
      JSON.stringify({
        error: {
          message:
            "This model's maximum context length is 32768 tokens. However, your request has 40001 input tokens. Please reduce the length of the input messages.",
          type: 'BadRequestError',
          code: 400,
        },
      }),
      undefined,
      ctx,
    );
    assert.deepEqual(newer.limits, { promptTokens: 40001, contextWindow: 32768 });
    const openai = httpError(
      400,
      JSON.stringify({
        error: {
          message:
            "This model's maximum context length is 128000 tokens. However, your messages resulted in 130532 tokens. Please reduce the length of the messages.",
          type: 'invalid_request_error',
          param: 'messages',
          code: 'context_length_exceeded',
        },
      }),
      undefined,
      ctx,
    );
    assert.deepEqual(openai.limits, { promptTokens: 130532, contextWindow: 128000 });
  });

  it('has no limits when the server gave no numbers, and none on other errors', () => {
    const bare = httpError(
      400,
      JSON.stringify({
        error: { message: 'Your input exceeds the context window of this model.', code: 'context_length_exceeded' },
      }),
      undefined,
      ctx,
    );
    assert.equal(bare.kind, 'context-length');
    assert.equal(bare.limits, undefined);
    assert.equal(httpError(500, 'maximum context length is 10 tokens', undefined, ctx).limits, undefined);
    const midStream = streamError("This model's maximum context length is 8192 tokens.", undefined, ctx);
    assert.deepEqual(midStream.limits, { promptTokens: undefined, contextWindow: 8192 });
  });
});

describe('the retry’s aim', () => {
  it('scales the server’s window by how its count of the prompt compares with ours', () => {
    // The server counted 12,000 where we counted 10,000: its 8,192 window, less 1,024 kept for the answer, is 5,973 of ours.
    assert.deepEqual(retryTarget(10_000, { promptTokens: 12_000, contextWindow: 8192 }), {
      tokens: 5973,
      window: 6826,
    });
  });

  it('without numbers halves the request; never asks for more than 90 % of what was refused', () => {
    assert.deepEqual(retryTarget(1000, undefined), { tokens: 500 });
    assert.deepEqual(retryTarget(1000, { promptTokens: 1000 }), { tokens: 500 });
    assert.equal(retryTarget(1000, { promptTokens: 1000, contextWindow: 262_144 }).tokens, 900);
  });
});

describe('WorkspaceContext.shrink', () => {
  let workspace: TempWorkspace;
  let index: WorkspaceIndex;
  const signal = new AbortController().signal;
  const host = (fail = false) =>
    new WorkspaceContext({
      index: async () => {
        if (fail) throw new Error('disk on fire');
        return index;
      },
      counter: async () => estimatingCounter,
      window: async () => ({ tokens: 32_768, detail: 'test' }),
      resolve: async (mentions) => ({
        mentions: mentions.flatMap((m): Mention[] =>
          m.kind === 'file' && m.path ? [{ kind: 'file', path: m.path }] : [],
        ),
        problems: [],
      }),
      signals: (mentions) => ({ mentions }),
      log: () => undefined,
    });
  const input = (history: ChatMessage[], step = 1) => ({
    text: 'How does computeTotal work? See @file:src/cart.ts',
    mentions: [{ kind: 'file' as const, path: 'src/cart.ts', raw: '@file:src/cart.ts' }],
    system: 'SYSTEM',
    history,
    step,
    model: 'm',
    baseUrl: 'http://127.0.0.1:1/v1',
    summarise: async () => 'summary',
    signal,
  });

  before(async () => {
    workspace = makeWorkspace(project());
    index = await WorkspaceIndex.build([{ name: 'ws', root: workspace.root }], new NodeWorkspaceReader(), {
      git: false,
    });
  });
  after(() => workspace.dispose());

  it('in the tool loop re-packs too, and the steps after it keep to the window the server reported', async () => {
    const provider = host();
    const question: ChatMessage = { role: 'user', content: input([]).text };
    await provider.prepare(input([question]));
    const call: ChatMessage = {
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a"}' } }],
    };
    const loop = [question, call, { role: 'tool' as const, tool_call_id: 'c1', content: 'x '.repeat(500) }];
    const second = await provider.prepare(input(loop, 2));
    const shrunk = await provider.shrink({
      sent: second.messages,
      limits: { promptTokens: second.ledger!.used, contextWindow: 2500 },
      signal,
    });
    assert.ok(shrunk);
    const sent = JSON.stringify(shrunk.messages);
    assert.match(sent, /MENTIONED-CART-MARKER/);
    assert.ok(
      shrunk.messages.some((m) => m.role === 'tool'),
      'the call and its result are still there',
    );
    assert.ok(shrunk.ledger!.used <= 2500 - Math.floor(2500 / 8), `${shrunk.ledger!.used}`);
    const third = await provider.prepare(input([...loop, call, { role: 'tool', tool_call_id: 'c1', content: 'y' }], 3));
    assert.ok(third.ledger!.used <= 2500, `the next step stays inside: ${third.ledger!.used}`);
    // A new message starts from the reported window, not the discovered one.
    const next = await provider.prepare(input([question]));
    assert.equal(next.ledger!.window, 2500);
    assert.ok(next.ledger!.used <= 2500 - Math.floor(2500 / 8));
  });

  it('without the context engine’s messages (it failed), drops the oldest whole turns', async () => {
    const provider = host(true);
    const history: ChatMessage[] = [
      { role: 'user', content: 'q1' },
      { role: 'assistant', content: 'a1' },
      { role: 'user', content: 'q2' },
    ];
    const prepared = await provider.prepare(input(history));
    const shrunk = await provider.shrink({ sent: prepared.messages, signal });
    assert.deepEqual(
      shrunk?.messages.map((m) => m.content),
      ['SYSTEM', 'q2'],
    );
    assert.match(shrunk!.note, /without the 1 oldest exchange/);
  });
});
