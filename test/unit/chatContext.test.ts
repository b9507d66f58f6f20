import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ChatEngine, type Connection } from '../../src/core/chat/chatEngine';
import type { ContextInput, ContextProvider } from '../../src/core/chat/contextProvider';
import { fromHistory, promptMessages, toHistory } from '../../src/core/chat/historyMessages';
import { parseMentions } from '../../src/core/chat/mentions';
import { WorkspaceContext, type WorkspaceContextHost } from '../../src/core/chat/workspaceContext';
import { type Mention, NodeWorkspaceReader, WorkspaceIndex, estimatingCounter } from '../../src/core/context';
import { ModelClient } from '../../src/core/model/client';
import type { ChatMessage } from '../../src/core/model/types';
import { type HostMessage, type LedgerView, parseHostMessage, parseWebviewMessage } from '../../src/core/protocol';
import { SessionRepository } from '../../src/core/session/session';
import { type TempWorkspace, makeWorkspace, sampleProject } from '../fixtures/context/workspace';
import { MemoryStore } from '../support/memoryStore';
import { type ModelServer, startModelServer } from '../support/modelServer';

describe('@-mentions', () => {
  it('parses files (with ranges and quotes), folders and the named sources, each once, in order', () => {
    const mentions = parseMentions(
      'Look at @file:src/a.ts and @file:"my dir/b.ts#L3-L9", @folder:src/ then @git @problems. Also @file:src/a.ts.',
    );
    assert.deepEqual(
      mentions.map((m) => [m.kind, m.path, m.range]),
      [
        ['file', 'src/a.ts', undefined],
        ['file', 'my dir/b.ts', { start: 3, end: 9 }],
        ['folder', 'src/', undefined],
        ['git', undefined, undefined],
        ['problems', undefined, undefined],
      ],
    );
  });

  it('reads an MCP resource as server:uri, a # in the URI included', () => {
    assert.deepEqual(
      parseMentions('Summarise @mcp:everything:demo://resource/static/document/architecture.md#intro.').map((m) => [
        m.kind,
        m.path,
        m.range,
      ]),
      [['mcp', 'everything:demo://resource/static/document/architecture.md#intro', undefined]],
    );
  });

  it('ignores e-mail addresses, decorators and unknown names', () => {
    assert.deepEqual(parseMentions('mail me@git.com, use @gitlab or @Component() or @terminals'), []);
    assert.deepEqual(
      parseMentions('@terminal\n(@selection)').map((m) => m.kind),
      ['terminal', 'selection'],
    );
  });
});

describe('history through the packer', () => {
  const calls = [
    { id: 'c1', type: 'function' as const, function: { name: 'read_file', arguments: '{"path":"a.ts"}' } },
  ];
  const history: ChatMessage[] = [
    { role: 'user', content: 'read a' },
    { role: 'assistant', content: null, tool_calls: calls },
    { role: 'tool', tool_call_id: 'c1', content: 'export const a = 1;' },
    { role: 'user', content: 'thanks' },
  ];

  it('keeps tool calls and results intact both ways', () => {
    assert.deepEqual(fromHistory(history.map(toHistory)), history);
  });

  it('drops a tool result whose call was compacted away', () => {
    assert.deepEqual(fromHistory(history.slice(2).map(toHistory)), history.slice(3));
  });

  it('keeps a message with an image as parts, counted by its text; compacted text replaces them', () => {
    const image: ChatMessage = {
      role: 'user',
      content: [
        { type: 'text', text: 'what is wrong here?' },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
      ],
    };
    const tagged = toHistory(image);
    assert.equal(tagged.content, 'what is wrong here?');
    assert.deepEqual(fromHistory([tagged]), [image]);
    assert.deepEqual(fromHistory([{ ...tagged, content: '[summary]' }]), [{ role: 'user', content: '[summary]' }]);
  });

  it('lays out system, pinned, older history, retrieved, then the last user message', () => {
    const messages = promptMessages('S', {
      pinnedText: 'PINNED',
      retrievedText: 'RETRIEVED',
      history: history.map(toHistory),
    });
    assert.deepEqual(
      messages.map((m) => m.content ?? 'calls'),
      ['S', 'PINNED', 'read a', 'calls', 'export const a = 1;', 'RETRIEVED', 'thanks'],
    );
  });

  it("keeps the retrieved context before the user's message, not between tool results and their images", () => {
    const images: ChatMessage = {
      role: 'user',
      content: [
        { type: 'text', text: 'Images returned by the tool call c1 (read_file):' },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
      ],
    };
    const messages = promptMessages('S', {
      pinnedText: '',
      retrievedText: 'RETRIEVED',
      history: [...history.slice(0, 3), images].map(toHistory),
    });
    assert.deepEqual(
      messages.map((m) => m.role),
      ['system', 'user', 'user', 'assistant', 'tool', 'user'],
    );
    assert.equal(messages[1].content, 'RETRIEVED');
    assert.deepEqual(messages[5], images);
  });
});

describe('WorkspaceContext', () => {
  let workspace: TempWorkspace;
  let index: WorkspaceIndex;
  const logs: string[] = [];
  const host = (overrides: Partial<WorkspaceContextHost> = {}): WorkspaceContextHost => ({
    index: async () => index,
    counter: async () => estimatingCounter,
    window: async () => ({ tokens: 32_768, detail: 'test' }),
    resolve: async (mentions) => {
      const out: Mention[] = [];
      const problems: string[] = [];
      for (const mention of mentions) {
        if (mention.kind !== 'file' || !mention.path) continue;
        const verdict = index.policy.check(mention.path, { explicit: true });
        if (verdict.allowed) out.push({ kind: 'file', path: mention.path });
        else problems.push(`${mention.raw} was not attached: ${verdict.reason}`);
      }
      return { mentions: out, problems };
    },
    signals: (mentions) => ({ mentions }),
    log: (line) => logs.push(line),
    ...overrides,
  });
  const input = (text: string, history: ChatMessage[] = [{ role: 'user', content: text }], step = 1): ContextInput => ({
    text,
    mentions: parseMentions(text),
    system: 'SYSTEM',
    history,
    step,
    model: 'm',
    baseUrl: 'http://127.0.0.1:1/v1',
    summarise: async () => 'summary',
    signal: new AbortController().signal,
  });

  before(async () => {
    workspace = makeWorkspace({ ...sampleProject(), '.env': 'TOKEN=abc\n' });
    index = await WorkspaceIndex.build([{ name: 'ws', root: workspace.root }], new NodeWorkspaceReader(), {
      git: false,
    });
  });
  after(() => workspace.dispose());

  it(
    'pins a mentioned file, retrieves by the query, ' + 'and lists every item with tokens that fit the window',
    async () => {
      const provider = new WorkspaceContext(host());
      const prepared = await provider.prepare(input('How does @file:src/cart.ts compute the total with computeTotal?'));
      assert.equal(prepared.messages[0].content, 'SYSTEM');
      assert.match(String(prepared.messages[1].content), /src\/cart\.ts/);
      assert.equal(
        prepared.messages.at(-1)?.content,
        'How does @file:src/cart.ts compute the total with computeTotal?',
      );
      const ledger = prepared.ledger!;
      const cart = ledger.items.find((item) => item.key === 'file:src/cart.ts');
      assert.ok(cart && cart.included && cart.kind === 'pinned' && cart.tokens > 0);
      assert.ok(
        ledger.items.some((item) => item.key === 'file:src/pricing.ts' && item.kind === 'retrieved' && item.included),
      );
      const total = ledger.items.filter((item) => item.included).reduce((sum, item) => sum + item.tokens, 0);
      assert.ok(total <= ledger.used && ledger.used <= ledger.window, `${total} ≤ ${ledger.used} ≤ ${ledger.window}`);
      assert.deepEqual(prepared.notes, []);
    },
  );

  it('refuses a secret file with a note, and its content never goes out', async () => {
    const provider = new WorkspaceContext(host());
    const prepared = await provider.prepare(input('what is in @file:.env ?'));
    assert.equal(prepared.notes.length, 1);
    assert.match(prepared.notes[0], /@file:\.env was not attached/);
    assert.doesNotMatch(JSON.stringify(prepared.messages), /TOKEN=abc/);
  });

  it('keeps the prefix in the tool loop and applies drops and pins from the next request', async () => {
    const provider = new WorkspaceContext(host());
    const text = 'Explain computeTotal';
    const first = await provider.prepare(input(text));
    const history: ChatMessage[] = [
      { role: 'user', content: text },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{}' } }],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'result' },
    ];
    const second = await provider.prepare(input(text, history, 2));
    assert.deepEqual(second.messages.slice(0, first.messages.length), first.messages);
    assert.equal(second.messages.length, first.messages.length + 2);

    const retrieved = first.ledger!.items.find((item) => item.kind === 'retrieved' && item.included)!;
    const dropped = provider.act('drop', retrieved.key)!;
    assert.equal(dropped.items.find((item) => item.key === retrieved.key)?.userDropped, true);
    const third = await provider.prepare(input(text));
    const row = third.ledger!.items.find((item) => item.key === retrieved.key)!;
    assert.equal(row.included, false);
    assert.equal(row.note, 'dropped by you');
    provider.act('restore', retrieved.key);

    provider.act('pin', 'file:src/unrelated.ts');
    const other = await provider.prepare(input('Something else entirely'));
    assert.ok(
      !other.ledger!.items.some((item) => item.key === 'file:src/unrelated.ts'),
      'only candidates the ranking saw can be pinned',
    );
    const seen = (await provider.prepare(input('what colour is unrelated'))).ledger!.items.find(
      (item) => item.key === 'file:src/unrelated.ts',
    )!;
    provider.act('pin', seen.key);
    const pinned = await provider.prepare(input('Something else entirely'));
    const kept = pinned.ledger!.items.find((item) => item.key === 'file:src/unrelated.ts')!;
    assert.equal(kept.kind, 'pinned');
    assert.equal(kept.userPinned, true);
    assert.equal(kept.reasons[0], 'pinned by you');
  });

  it('fills the window for the next message only when the ledger asks, and shows the cost the host gives', async () => {
    const costs: [string, string, number][] = [];
    const provider = new WorkspaceContext(
      host({
        retrievedTokens: () => 120,
        cost: (model, baseUrl, tokens) => {
          costs.push([model, baseUrl, tokens]);
          return `≈ ¥${tokens}`;
        },
      }),
    );
    const retrieved = (ledger: LedgerView) =>
      ledger.items.filter((item) => item.kind === 'retrieved' && item.included).reduce((n, item) => n + item.tokens, 0);
    const text = 'How do cart, pricing, checkout and types compute the total?';
    const first = (await provider.prepare(input(text))).ledger!;
    assert.ok(retrieved(first) <= 120, `${retrieved(first)}`);
    assert.equal(first.cost, `≈ ¥${first.used}`);
    assert.deepEqual(costs, [['m', 'http://127.0.0.1:1/v1', first.used]]);
    assert.equal(first.fillNext, undefined);

    assert.equal(provider.act('fill', 'window')?.fillNext, true);
    assert.equal(provider.act('unfill', 'window')?.fillNext, undefined);
    provider.act('fill', 'window');
    const filled = (await provider.prepare(input(text))).ledger!;
    assert.ok(retrieved(filled) > 120, `${retrieved(filled)}`);
    assert.equal(filled.fillNext, undefined, 'the fill is spent on that message');
    const next = (await provider.prepare(input(text))).ledger!;
    assert.ok(retrieved(next) <= 120, `${retrieved(next)}`);
  });

  it('compacts a long history, says so, and lists the summary', async () => {
    const provider = new WorkspaceContext(host({ window: async () => ({ tokens: 8192, detail: 'small' }) }));
    const long = 'word '.repeat(900);
    const history: ChatMessage[] = [];
    for (let i = 0; i < 6; i++)
      history.push({ role: 'user', content: `q${i} ${long}` }, { role: 'assistant', content: `a${i} ${long}` });
    history.push({ role: 'user', content: 'last question' });
    const prepared = await provider.prepare(input('last question', history));
    assert.ok(prepared.ledger!.compaction);
    assert.match(prepared.notes.join('\n'), /compacted/);
    assert.ok(prepared.ledger!.items.some((item) => item.kind === 'summary'));
    assert.ok(prepared.ledger!.used <= 8192);
  });

  it('falls back to the plain conversation when the context cannot be built', async () => {
    const provider = new WorkspaceContext(
      host({
        index: async () => {
          throw new Error('disk on fire');
        },
      }),
    );
    const prepared = await provider.prepare(input('hello'));
    assert.deepEqual(prepared.messages, [
      { role: 'system', content: 'SYSTEM' },
      { role: 'user', content: 'hello' },
    ]);
    assert.match(prepared.notes[0], /disk on fire/);
  });

  it('completes allowed paths only, best match first', async () => {
    const provider = new WorkspaceContext(host());
    const files = await provider.complete('file', 'src/c');
    assert.deepEqual(files.slice(0, 2).sort(), ['src/cart.ts', 'src/checkout.ts']);
    assert.ok(!(await provider.complete('file', '.en')).includes('.env'));
    assert.ok((await provider.complete('folder', 'sr')).includes('src/'));
  });
});

describe('ChatEngine with a context provider', () => {
  let server: ModelServer;
  const inputs: ContextInput[] = [];
  const posted: HostMessage[] = [];
  const fake: ContextProvider = {
    async prepare(input) {
      inputs.push(input);
      return {
        messages: [{ role: 'system', content: input.system }, { role: 'user', content: 'CONTEXT' }, ...input.history],
        ledger: {
          model: input.model,
          window: 1000,
          windowSource: 'fake',
          used: 10,
          counter: 'fake',
          exact: false,
          items: [],
          ms: 1,
        },
        notes: input.step === 1 ? ['@file:missing.ts was not attached: missing.ts is not a file'] : [],
      };
    },
    act: () => undefined,
    complete: async (kind, prefix) => [`${kind}:${prefix}`],
    shrink: async () => undefined,
  };
  before(async () => {
    server = await startModelServer();
  });
  after(() => server.close());
  beforeEach(() => {
    inputs.length = 0;
    posted.length = 0;
  });

  const engine = () => {
    const connection: Connection = {
      view: { model: 'm', baseUrl: server.baseUrl, ready: true, keySource: 'not-needed' },
      client: new ModelClient({
        baseUrl: server.baseUrl,
        model: 'm',
        apiKey: '',
        idleTimeoutMs: 2000,
        sleep: async () => undefined,
      }),
    };
    return new ChatEngine({
      sessions: new SessionRepository(new MemoryStore()),
      context: fake,
      connect: async () => connection,
      post: (message) => posted.push(message),
      systemPrompt: () => 'SYSTEM',
      runCommand: () => undefined,
      log: () => undefined,
    });
  };

  it('sends what the provider chose, posts its ledger and shows its notes before the reply', async () => {
    server.enqueue({ kind: 'stream', chunks: ['ok'] });
    await engine().send('see @file:missing.ts');
    assert.deepEqual(server.requests.at(-1)!.body.messages, [
      { role: 'system', content: 'SYSTEM' },
      { role: 'user', content: 'CONTEXT' },
      { role: 'user', content: 'see @file:missing.ts' },
    ]);
    assert.equal(inputs[0].step, 1);
    assert.deepEqual(
      inputs[0].mentions.map((m) => m.path),
      ['missing.ts'],
    );
    assert.deepEqual(inputs[0].history, [{ role: 'user', content: 'see @file:missing.ts' }]);
    const added = posted
      .filter((m) => m.type === 'messageAdded')
      .map((m) => (m.type === 'messageAdded' ? m.message.content : ''));
    assert.deepEqual(added.slice(1, 3), ['@file:missing.ts was not attached: missing.ts is not a file', '']);
    assert.ok(posted.some((m) => m.type === 'ledger'));
  });

  it('answers mention queries with the request id', async () => {
    await engine().handle({ type: 'mentionQuery', requestId: 7, kind: 'file', prefix: 'src/' });
    assert.deepEqual(posted.at(-1), { type: 'mentionResults', requestId: 7, items: ['file:src/'] });
  });
});

describe('protocol: context messages', () => {
  const ledger = {
    model: 'm',
    window: 262_144,
    windowSource: 'known model',
    used: 1200,
    counter: 'qwen',
    exact: true,
    ms: 12,
    items: [
      {
        key: 'system',
        kind: 'system',
        title: 'System prompt',
        tokens: 900,
        reasons: ['why'],
        included: true,
        actionable: false,
      },
    ],
  };

  it('validates ledger and completion results', () => {
    assert.ok(parseHostMessage({ type: 'ledger', ledger }));
    assert.equal(parseHostMessage({ type: 'ledger', ledger: { ...ledger, used: -1 } }), undefined);
    assert.equal(
      parseHostMessage({ type: 'ledger', ledger: { ...ledger, items: [{ ...ledger.items[0], kind: 'secret' }] } }),
      undefined,
    );
    assert.ok(parseHostMessage({ type: 'mentionResults', requestId: 1, items: ['a.ts'] }));
    assert.equal(parseHostMessage({ type: 'mentionResults', requestId: 1, items: [1] }), undefined);
  });

  it('validates context actions and mention queries', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'contextAction', action: 'drop', key: 'file:a.ts', x: 1 }), {
      type: 'contextAction',
      action: 'drop',
      key: 'file:a.ts',
    });
    assert.equal(parseWebviewMessage({ type: 'contextAction', action: 'delete', key: 'file:a.ts' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'contextAction', action: 'pin', key: '' }), undefined);
    assert.deepEqual(parseWebviewMessage({ type: 'mentionQuery', requestId: 3, kind: 'folder', prefix: 'src' }), {
      type: 'mentionQuery',
      requestId: 3,
      kind: 'folder',
      prefix: 'src',
    });
    assert.equal(parseWebviewMessage({ type: 'mentionQuery', requestId: -1, kind: 'file', prefix: '' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'mentionQuery', requestId: 1, kind: 'symbol', prefix: '' }), undefined);
  });
});
