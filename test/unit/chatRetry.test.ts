/**
 * The context-length retry over real HTTP: the local server refuses the first request the
 * way llama.cpp, vLLM and OpenAI do, and the retried request must still carry what the user
 * attached, with less retrieved text (fewer files, or fewer whole), while the chat says what was left out.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ChatEngine, type Connection } from '../../src/core/chat/chatEngine';
import { WorkspaceContext } from '../../src/core/chat/workspaceContext';
import { type Mention, NodeWorkspaceReader, WorkspaceIndex, estimatingCounter } from '../../src/core/context';
import { ModelClient } from '../../src/core/model/client';
import type { HostMessage, LedgerView } from '../../src/core/protocol';
import { SessionRepository } from '../../src/core/session/session';
import { RETRIEVED, project } from '../fixtures/context/retryProject';
import { type TempWorkspace, makeWorkspace } from '../fixtures/context/workspace';
import { MemoryStore } from '../support/memoryStore';
import { type ModelServer, type Reply, startModelServer } from '../support/modelServer';

describe('the context-length retry re-packs (real HTTP)', () => {
  let server: ModelServer;
  let workspace: TempWorkspace;
  let index: WorkspaceIndex;
  const posted: HostMessage[] = [];
  const text = 'How does computeTotal work? See @file:src/cart.ts';

  const engine = (repo = new SessionRepository(new MemoryStore())) => {
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
    const context = new WorkspaceContext({
      index: async () => index,
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
    return {
      repo,
      chat: new ChatEngine({
        sessions: repo,
        context,
        connect: async () => connection,
        post: (message) => posted.push(message),
        systemPrompt: () => 'SYSTEM',
        runCommand: () => undefined,
        log: () => undefined,
      }),
    };
  };
  const ledgers = () => posted.flatMap((m) => (m.type === 'ledger' ? [m.ledger] : []));
  /** Retrieved files in a request, whole or as an outline (by the path each item is rendered with). */
  const retrievedIn = (request: { body: { messages: { content: string }[] } }) =>
    RETRIEVED.filter((name) => JSON.stringify(request.body.messages).includes(`path=\\"src/${name}.ts\\"`));
  /** Retrieved files in a request whole (their first line is there). */
  const wholeIn = (request: { body: { messages: { content: string }[] } }) =>
    RETRIEVED.filter((name) =>
      JSON.stringify(request.body.messages).includes(`RETRIEVED-${name.toUpperCase()}-MARKER`),
    );

  before(async () => {
    server = await startModelServer();
    workspace = makeWorkspace(project());
    index = await WorkspaceIndex.build([{ name: 'ws', root: workspace.root }], new NodeWorkspaceReader(), {
      git: false,
    });
  });
  after(async () => {
    await server.close();
    workspace.dispose();
  });
  beforeEach(() => {
    posted.length = 0;
  });

  /** What the packer sends for `text` with nothing in the way: its size, and the retrieved items' tokens. */
  async function firstSize(): Promise<{ used: number; retrieved: number }> {
    server.enqueue({ kind: 'stream', chunks: ['ok'] });
    await engine().chat.send(text);
    const ledger = ledgers().at(-1) as LedgerView;
    const retrieved = ledger.items.filter((item) => item.kind === 'retrieved' && item.included);
    assert.ok(retrieved.length >= 4, `the ranking retrieves the computeTotal files (${retrieved.length})`);
    return { used: ledger.used, retrieved: retrieved.reduce((sum, item) => sum + item.tokens, 0) };
  }

  /** The server refuses with `refusal`, then answers; returns both requests and what the chat showed. */
  async function refusedOnce(refusal: Reply) {
    server.enqueue(refusal, { kind: 'stream', chunks: ['Fits now.'] });
    const from = server.requests.length;
    const { chat, repo } = engine();
    await chat.send(text);
    assert.equal(server.requests.length, from + 2, 'one refused request, one retry');
    const shown = repo.active.messages.map((message) => [message.role, message.content, message.status]);
    return { first: server.requests[from], retry: server.requests[from + 1], shown };
  }

  /** `whole`: retrieved files may stay as outlines, but fewer are whole. */
  function assertRetried(result: Awaited<ReturnType<typeof refusedOnce>>, fewer: 'files' | 'whole' = 'files') {
    const { first, retry, shown } = result;
    assert.match(JSON.stringify(retry.body.messages), /MENTIONED-CART-MARKER/, 'the @-mentioned file is still sent');
    assert.deepEqual(retrievedIn(first), RETRIEVED);
    assert.deepEqual(wholeIn(first), RETRIEVED);
    const after = fewer === 'files' ? retrievedIn(retry) : wholeIn(retry);
    assert.ok(after.length < RETRIEVED.length, `fewer retrieved ${fewer}: ${after.length} < ${RETRIEVED.length}`);
    const leftOut = RETRIEVED.filter((name) => !retrievedIn(retry).includes(name));
    const shortened = RETRIEVED.filter((name) => retrievedIn(retry).includes(name) && !wholeIn(retry).includes(name));
    assert.equal(shown.length, 3, JSON.stringify(shown));
    const [note, reply] = shown.slice(1);
    assert.deepEqual(reply, ['assistant', 'Fits now.', 'complete']);
    const says = String(note[1]);
    if (leftOut.length) assert.match(says, new RegExp(`left out ${leftOut.length} retrieved files?`));
    for (const name of [...leftOut, ...shortened]) assert.ok(says.includes(`src/${name}.ts`), `${says} names ${name}`);
    for (const name of shortened) assert.match(says, new RegExp(`src/${name}\\.ts \\(outline`));
    assert.match(says, /Still attached: src\/cart\.ts/);
    return says;
  }

  it('llama.cpp’s exceed_context_size_error: keeps the mention, leaves out retrieved files, says which', async () => {
    const { used, retrieved } = await firstSize();
    // A window (less its eighth kept for the answer) that holds everything but half the retrieved files.
    const window = Math.ceil(((used - retrieved / 2) * 8) / 7);
    const result = await refusedOnce({
      kind: 'json',
      status: 400,
      body: {
        error: {
          code: 400,
          message: `request (${used} tokens) exceeds the available context size (${window} tokens), try increasing it`,
          type: 'exceed_context_size_error',
          n_prompt_tokens: used,
          n_ctx: window,
        },
      },
    });
    const says = assertRetried(result, 'whole');
    assert.match(says, new RegExp(`the server counted ${used.toLocaleString('en-US')} prompt tokens`));
    assert.ok(retrievedIn(result.retry).length > 0, 'only as many retrieved files go as needed');
    const ledger = ledgers().at(-1) as LedgerView;
    assert.equal(ledger.window, window, 'the ledger shows the window the server reported');
    assert.ok(ledger.used <= window - Math.floor(window / 8), `${ledger.used} fits ${window}`);
  });

  it('vLLM’s 400: the same, aiming by its numbers', async () => {
    const { used, retrieved } = await firstSize();
    const window = Math.ceil(((used - retrieved / 2) * 8) / 7);
    assertRetried(
      await refusedOnce({
        kind: 'json',
        status: 400,
        body: {
          object: 'error',
          message:
            `This model's maximum context length is ${window} tokens. However, you requested ` +
            `${used + 1000} tokens (${used} in the messages, 1000 in the completion). Please reduce the ` +
            `length of the messages or completion.`,
          type: 'BadRequestError',
          param: null,
          code: 400,
        },
      }),
      'whole',
    );
  });

  it('OpenAI’s context_length_exceeded, with and without numbers', async () => {
    const { used, retrieved } = await firstSize();
    const window = Math.ceil(((used - retrieved / 2) * 8) / 7);
    const openai = (message: string): Reply => ({
      kind: 'json',
      status: 400,
      body: { error: { message, type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' } },
    });
    assertRetried(
      await refusedOnce(
        openai(
          `This model's maximum context length is ${window} tokens. However, your messages resulted in ${used} ` +
            `tokens. Please reduce the length of the messages.`,
        ),
      ),
      'whole',
    );
    // No numbers: half of what was sent, still the retrieved files first.
    const says = assertRetried(
      await refusedOnce(openai('Your input exceeds the context window of this model. Please adjust your input.')),
      'whole',
    );
    assert.doesNotMatch(says, /server counted/);
  });

  it('leaves out older turns after the retrieved files, and the mention stays', async () => {
    const repo = new SessionRepository(new MemoryStore());
    const long = 'an earlier question about something else entirely '.repeat(40);
    server.enqueue({ kind: 'stream', chunks: ['first answer'] }, { kind: 'stream', chunks: ['second answer'] });
    await engine(repo).chat.send(`${long} one`);
    await engine(repo).chat.send(`${long} two`);
    const { used } = await (async () => {
      server.enqueue({ kind: 'stream', chunks: ['ok'] });
      const probe = new SessionRepository(new MemoryStore());
      for (const message of repo.active.messages) probe.active.messages.push({ ...message });
      await engine(probe).chat.send(text);
      return { used: (ledgers().at(-1) as LedgerView).used };
    })();
    const probe = ledgers().at(-1) as LedgerView;
    const tokensOf = (key: string) => probe.items.find((item) => item.key === key)!.tokens;
    // Room for the system prompt, the mention, the question and a little more: no retrieved file, not all the turns.
    const window = Math.ceil(((tokensOf('system') + tokensOf('file:src/cart.ts') + 300) * 8) / 7);
    server.enqueue(
      {
        kind: 'json',
        status: 400,
        body: { error: { type: 'exceed_context_size_error', n_prompt_tokens: used, n_ctx: window } },
      },
      { kind: 'stream', chunks: ['Fits now.'] },
    );
    const from = server.requests.length;
    await engine(repo).chat.send(text);
    // Compacting the older turns may ask the model for a summary first: the retry is the last request.
    const retried = server.requests.at(-1)!;
    assert.ok(server.requests.length >= from + 2);
    const retry = JSON.stringify(retried.body.messages);
    assert.match(retry, /MENTIONED-CART-MARKER/);
    assert.equal(wholeIn(retried).length, 0, 'no retrieved file whole (outlines may fill what the compaction freed)');
    assert.ok(!retry.includes(`${long} one`), 'the oldest turn went');
    const note = repo.active.messages.at(-2)!;
    assert.equal(note.note, true);
    assert.match(note.content, /left out [1-6] retrieved files?/);
    assert.match(note.content, /earlier messages? (left out|summarised)/);
    assert.match(note.content, /Still attached: src\/cart\.ts/);
  });
});
