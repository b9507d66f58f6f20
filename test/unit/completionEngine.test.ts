import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompletionCache } from '../../src/core/completion/cache';
import { Completer, type CompletionRequest, candidates } from '../../src/core/completion/completer';
import { AdaptiveDebounce } from '../../src/core/completion/debounce';
import type { FimDialect, FimQuery } from '../../src/core/completion/fimClient';
import { inCommentOrString } from '../../src/core/completion/syntaxPosition';
import { estimatingCounter } from '../../src/core/context/tokens/tokenCounter';
import { ModelError } from '../../src/core/model/errors';

const request = (prefix: string, suffix = '\n'): CompletionRequest => ({
  document: 'file:///a.ts',
  languageId: 'typescript',
  repoName: 'r',
  path: 'a.ts',
  prefix,
  suffix,
  snippets: async () => [],
});

function setup(answer: (dialect: FimDialect, query: FimQuery) => Promise<string>, model = 'qwen2.5-coder') {
  const sent: { dialect: FimDialect; query: FimQuery }[] = [];
  const stored = new Map<string, FimDialect>();
  const told: string[] = [];
  const completer = new Completer({
    endpoint: async () => ({
      baseUrl: 'http://127.0.0.1:1/v1',
      model,
      apiKey: '',
      timeoutMs: 1000,
      send: (dialect, query) => {
        sent.push({ dialect, query });
        return answer(dialect, query);
      },
    }),
    counter: async () => estimatingCounter,
    settings: () => ({ maxPromptTokens: 1024, maxLines: 8, inCommentsAndStrings: false, format: 'auto' }),
    dialects: { get: (key) => stored.get(key), set: (key, value) => void stored.set(key, value) },
    sleep: async (_ms, signal) => !signal.aborted,
    onUnsupported: (server) => told.push(server),
  });
  return { completer, sent, stored, told };
}

const signal = () => new AbortController().signal;
const notFound = () => new ModelError('not-found', 'no route POST /v1/completions', 404);

describe('completer', () => {
  it('asks once, then serves what the user types through from the cache', async () => {
    const { completer, sent } = setup(async () => 'urn total;');
    const first = await completer.complete(request('function f() {\n  ret'), signal());
    assert.deepEqual(first.kind === 'completion' && [first.text, first.source], ['urn total;', 'server']);
    const typed = await completer.complete(request('function f() {\n  retu'), signal());
    assert.deepEqual(typed.kind === 'completion' && [typed.text, typed.source], ['rn total;', 'cache']);
    const more = await completer.complete(request('function f() {\n  return to'), signal());
    assert.deepEqual(more.kind === 'completion' && more.text, 'tal;');
    assert.equal(sent.length, 1);
    const other = await completer.complete(request('function f() {\n  retx'), signal());
    assert.equal(other.kind, 'completion');
    assert.equal(sent.length, 2, 'typing something else asks again');
  });

  it('finds the FIM form the server speaks, remembers it, and tells once when there is none', async () => {
    const qwen = setup(async (dialect) => {
      if (dialect === 'qwen') throw notFound();
      return 'x';
    });
    await qwen.completer.complete(request('a = '), signal());
    assert.deepEqual(
      qwen.sent.map((s) => s.dialect),
      ['qwen', 'suffix'],
    );
    assert.deepEqual([...qwen.stored.values()], ['suffix']);
    await qwen.completer.complete(request('b = '), signal());
    assert.equal(qwen.sent.at(-1)?.dialect, 'suffix');

    const none = setup(async () => {
      throw notFound();
    }, 'deepseek-coder');
    const outcome = await none.completer.complete(request('a = '), signal());
    assert.deepEqual(outcome, { kind: 'none', reason: 'unsupported' });
    assert.deepEqual(
      none.sent.map((s) => s.dialect),
      ['suffix', 'infill'],
    );
    await none.completer.complete(request('ab = '), signal());
    assert.equal(none.sent.length, 2, 'no request once known');
    assert.equal(none.told.length, 1);
  });

  it('a wrong model name is an error, not "no FIM"', async () => {
    const { completer, told } = setup(async () => {
      throw new ModelError('not-found', 'The model `nope` does not exist.', 404);
    });
    const outcome = await completer.complete(request('a = '), signal());
    assert.equal(outcome.kind === 'none' && outcome.reason, 'error');
    assert.equal(told.length, 0);
  });

  it('pauses after a 429 for the time the server asked', async () => {
    let now = 0;
    const sent: number[] = [];
    const completer = new Completer({
      endpoint: async () => ({
        baseUrl: 'http://x/v1',
        model: 'qwen',
        apiKey: '',
        timeoutMs: 1,
        send: async () => {
          sent.push(now);
          throw new ModelError('rate-limit', 'slow down', 429, 5000);
        },
      }),
      counter: async () => estimatingCounter,
      settings: () => ({ maxPromptTokens: 512, maxLines: 4, inCommentsAndStrings: true, format: 'qwen' }),
      dialects: { get: () => undefined, set: () => undefined },
      now: () => now,
      sleep: async () => true,
    });
    assert.equal((await completer.complete(request('a'), signal())).kind, 'none');
    now = 4000;
    const paused = await completer.complete(request('ab'), signal());
    assert.equal(paused.kind === 'none' && paused.reason, 'rate-limited');
    now = 5001;
    await completer.complete(request('abc'), signal());
    assert.equal(sent.length, 2);
  });

  it('a new keystroke aborts the request in flight', async () => {
    const aborted: boolean[] = [];
    const { completer } = setup(
      (_dialect, query) =>
        new Promise((resolve, reject) => {
          query.signal.addEventListener('abort', () => {
            aborted.push(true);
            reject(new ModelError('aborted', 'Stopped.'));
          });
          setTimeout(() => resolve('late'), 200);
        }),
    );
    const first = completer.complete(request('x'), signal());
    await new Promise((resolve) => setTimeout(resolve, 10));
    const second = completer.complete(request('xy'), signal());
    assert.deepEqual(await first, { kind: 'none', reason: 'cancelled' });
    assert.equal(aborted.length, 1);
    assert.equal((await second).kind, 'completion');
  });

  it('sends nothing inside a comment or string when told so', async () => {
    const { completer, sent } = setup(async () => 'x');
    assert.deepEqual(await completer.complete(request('// note '), signal()), { kind: 'none', reason: 'comment' });
    assert.deepEqual(await completer.complete(request('s = "abc'), signal()), { kind: 'none', reason: 'comment' });
    assert.equal(sent.length, 0);
  });

  it('asks one line, with a newline stop, in the middle of a line', async () => {
    const { completer, sent } = setup(async () => 'a, b\nmore');
    const outcome = await completer.complete(request('call(', ', c);\n'), signal());
    assert.equal(outcome.kind === 'completion' && outcome.text, 'a, b');
    assert.equal(sent[0].query.singleLine, true);
  });

  it('tries Qwen FIM first for Qwen models except on Ollama', () => {
    assert.deepEqual(candidates('qwen2.5-coder:7b'), ['qwen', 'suffix', 'infill']);
    assert.deepEqual(candidates('qwen2.5-coder:7b', 'http://localhost:11434/v1'), ['suffix', 'infill']);
    assert.deepEqual(candidates('codestral'), ['suffix', 'infill']);
  });
});

describe('completion cache', () => {
  it('is an LRU with a capacity', () => {
    const cache = new CompletionCache(2);
    cache.put('d', 'a', '', '1');
    cache.put('d', 'b', '', '2');
    assert.equal(cache.get('d', 'a', ''), '1');
    cache.put('d', 'c', '', '3');
    assert.equal(cache.get('d', 'b', ''), undefined, 'the least recently used went');
    assert.equal(cache.get('d', 'a', ''), '1');
    assert.equal(cache.get('e', 'a', ''), undefined, 'another document');
    assert.equal(cache.get('d', 'a', 'x'), undefined, 'another suffix');
  });

  it('does not serve a completion typed to its end or past it', () => {
    const cache = new CompletionCache();
    cache.put('d', 'x = ', '', 'abc');
    assert.equal(cache.get('d', 'x = ab', ''), 'c');
    assert.equal(cache.get('d', 'x = abc', ''), undefined);
    assert.equal(cache.get('d', 'x = abd', ''), undefined);
  });
});

describe('adaptive debounce', () => {
  it('waits longer than the typing rhythm and for slow servers, within bounds', () => {
    const debounce = new AdaptiveDebounce();
    assert.equal(debounce.delayMs(), 140, 'a brisk typist is assumed until measured');
    for (let t = 0; t <= 1250; t += 125) debounce.keystroke(t);
    assert.equal(debounce.delayMs(), 175);
    debounce.keystroke(10_000);
    assert.equal(debounce.delayMs(), 175, 'a long pause is not rhythm');
    debounce.answered(400);
    assert.equal(debounce.delayMs(), 275);
    for (let i = 0; i < 50; i++) debounce.answered(5000);
    assert.equal(debounce.delayMs(), 400);
  });
});

describe('comment and string detection', () => {
  it('reads line comments, quotes and block comments', () => {
    assert.ok(inCommentOrString('x = 1 // why', 'typescript'));
    assert.ok(inCommentOrString('x = 1 # why', 'python'));
    assert.ok(!inCommentOrString('x = "a" + ', 'typescript'));
    assert.ok(inCommentOrString('x = "a\\"', 'typescript'));
    assert.ok(inCommentOrString('/* start\n more', 'typescript'));
    assert.ok(!inCommentOrString('/* a */\n x', 'typescript'));
    assert.ok(!inCommentOrString('url = "http://x" + ', 'typescript'));
  });
});
