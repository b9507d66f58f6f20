/**
 * The context-length retry's parts: the numbers a server's error carries, the budget the
 * retry aims for, and the context provider packing a refused request again.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { describeRetry, retryBudget, retryTarget } from '../../src/core/chat/contextRetry';
import { WorkspaceContext } from '../../src/core/chat/workspaceContext';
import {
  type CompactionReport,
  type LedgerItem,
  type Mention,
  NodeWorkspaceReader,
  type PackedContext,
  WorkspaceIndex,
  estimatingCounter,
  planBudget,
} from '../../src/core/context';
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
          "This model's maximum context length is 32768 tokens. However, you requested 41000 tokens (40000 in " +
          'the messages, 1000 in the completion). Please reduce the length of the messages or completion.',
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
            "This model's maximum context length is 32768 tokens. However, your request has 40001 input " +
            'tokens. Please reduce the length of the input messages.',
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
            "This model's maximum context length is 128000 tokens. However, your messages resulted in 130532 " +
            'tokens. Please reduce the length of the messages.',
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
    // The server counted 12,000 where we counted 10,000: its 8,192
    // window, less 1,024 kept for the answer, is 5,973 of ours.
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

describe('the retry’s budget', () => {
  // The shares go through the packer's own planner: what matters is the caps it ends up with.
  const caps = (target: number, shares: Parameters<typeof retryBudget>[1]) =>
    planBudget(retryBudget(target, shares), { system: shares.fixed, tools: 0 }, false).caps;
  const shares = { fixed: 100, pinned: 200, history: 300, lastTurn: 50 };

  it('keeps pinned items and the conversation as they were while they fit: the retrieved share shrinks', () => {
    // 1000 − 100 fixed − 3 (the reply primer) = 897 for the rest.
    assert.deepEqual(caps(1000, shares), { system: 100, tools: 0, pinned: 200, history: 300, retrieved: 897 });
  });

  it('then compacts the conversation, down to its last turn, before it touches pinned items', () => {
    assert.deepEqual(caps(400, shares), { system: 100, tools: 0, pinned: 200, history: 97, retrieved: 297 });
    assert.deepEqual(caps(200, shares), { system: 100, tools: 0, pinned: 47, history: 50, retrieved: 97 });
    assert.deepEqual(caps(150, shares), { system: 100, tools: 0, pinned: 0, history: 47, retrieved: 47 });
  });

  it('no room at all beside the system prompt: the planner refuses, with a reason', () => {
    assert.deepEqual(retryBudget(100, shares), { window: 100, reserve: 0, estimateMargin: 0 });
    assert.throws(() => caps(100, shares), /The system prompt and tools need 100 tokens/);
  });
});

describe('what the chat says after a retry', () => {
  const item = (path: string, share: 'pinned' | 'retrieved', tokens: number, form?: LedgerItem['form']) =>
    ({
      key: `file:${path}`,
      title: path,
      path,
      share,
      pinned: share === 'pinned',
      reasons: [],
      score: 1,
      tokens,
      included: tokens > 0,
      form,
    }) as LedgerItem;
  const packed = (items: LedgerItem[], compaction?: CompactionReport) =>
    ({ items, compaction }) as unknown as PackedContext;
  const before = packed([
    item('src/cart.ts', 'pinned', 80, 'whole'),
    item('@terminal', 'pinned', 300, 'text'),
    item('src/a.ts', 'retrieved', 500, 'whole'),
    item('src/b.ts', 'retrieved', 500, 'whole'),
    item('src/c.ts', 'retrieved', 400, 'whole'),
    item('src/d.ts', 'retrieved', 0),
  ]);

  it('names the files left out and shortened, the turns compacted, and what is still attached', () => {
    const after = packed(
      [
        item('src/cart.ts', 'pinned', 80, 'whole'),
        item('@terminal', 'pinned', 200, 'text'),
        item('src/a.ts', 'retrieved', 500, 'whole'),
        item('src/b.ts', 'retrieved', 100, 'outline'),
        item('src/c.ts', 'retrieved', 0),
        item('src/d.ts', 'retrieved', 0),
      ],
      {
        before: 900,
        after: 300,
        budget: 300,
        reattached: [],
        steps: [
          { tier: 1, action: 'dropped-tool-outputs', messages: 1, tokensSaved: 100 },
          { tier: 2, action: 'summarised', messages: 2, tokensSaved: 300, summaryTokens: 50 },
          { tier: 3, action: 'truncated', messages: 3, tokensSaved: 200 },
        ],
      },
    );
    assert.equal(
      describeRetry(before, after, { promptTokens: 9000, contextWindow: 4096 }),
      "The request was longer than the model's window (the server counted 9,000 prompt tokens for a window of " +
        '4,096), so it was sent again with less context: left out 1 retrieved file (src/c.ts); 1 old tool output ' +
        'removed, 2 earlier messages summarised, 3 earlier messages left out; shortened @terminal (cut), ' +
        'src/b.ts (outline and the lines that matter). Still attached: src/cart.ts, @terminal.',
    );
  });

  it('says when pinned items had to go too, and what the server said when it said less', () => {
    const after = packed(
      [item('src/cart.ts', 'pinned', 0), item('src/a.ts', 'retrieved', 0), item('src/b.ts', 'retrieved', 0)],
      {
        before: 50,
        after: 20,
        budget: 20,
        reattached: [],
        steps: [{ tier: 3, action: 'truncated', messages: 0, tokensSaved: 30 }],
      },
    );
    assert.equal(
      describeRetry(before, after, { contextWindow: 2048 }),
      "The request was longer than the model's window (2,048 tokens, the server said), so it was sent again " +
        'with less context: left out 3 retrieved files (src/a.ts, src/b.ts, src/c.ts); the last message cut to ' +
        'fit; left out 2 pinned items (src/cart.ts, @terminal).',
    );
    assert.match(
      describeRetry(before, after, { promptTokens: 5000 }),
      /window \(the server counted 5,000 prompt tokens\), so/,
    );
  });

  it('with nothing left out, says the retrieved files got less room', () => {
    assert.equal(
      describeRetry(before, before, undefined),
      "The request was longer than the model's window, so it was sent again with less context: less room for " +
        'the retrieved files. Still attached: src/cart.ts, @terminal.',
    );
  });
});
