/** Each server's own way of telling its context window, asked over real HTTP of the local test server. */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { DEFAULT_CONTEXT_WINDOW, discoverContextWindow, knownContextWindow } from '../../src/core/model/contextWindow';
import { type ModelServer, startModelServer } from '../support/modelServer';

describe('discoverContextWindow', () => {
  let server: ModelServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const start = async () => (server = await startModelServer());

  it('vLLM / SGLang: max_model_len from GET /v1/models', async () => {
    const s = await start();
    s.route('GET', '/v1/models', {
      kind: 'json',
      status: 200,
      body: {
        object: 'list',
        data: [
          { id: 'other', max_model_len: 4096 },
          { id: 'Qwen/Qwen3-Coder-30B-A3B-Instruct', object: 'model', max_model_len: 65_536 },
        ],
      },
    });
    const window = await discoverContextWindow(s.baseUrl, 'Qwen/Qwen3-Coder-30B-A3B-Instruct', 'sk-local');
    assert.deepEqual(window, {
      tokens: 65_536,
      source: 'server',
      detail: 'max_model_len from GET /models (vLLM, SGLang)',
    });
    const asked = s.probes.find((r) => r.path === '/v1/models');
    assert.equal(asked?.headers.authorization, 'Bearer sk-local');
  });

  it('llama.cpp: n_ctx from GET /props', async () => {
    const s = await start();
    s.route('GET', '/props', {
      kind: 'json',
      status: 200,
      body: { default_generation_settings: { n_ctx: 16_384, params: {} }, total_slots: 1 },
    });
    assert.deepEqual(await discoverContextWindow(s.baseUrl, 'anything', ''), {
      tokens: 16_384,
      source: 'server',
      detail: 'n_ctx from GET /props (llama.cpp)',
    });
  });

  it('Ollama: num_ctx from POST /api/show when the model sets it', async () => {
    const s = await start();
    s.route('POST', '/api/show', {
      kind: 'json',
      status: 200,
      body: {
        parameters: 'num_ctx                        32768\nstop                           "<|im_end|>"',
        model_info: { 'general.architecture': 'qwen3moe', 'qwen3moe.context_length': 262_144 },
      },
    });
    assert.deepEqual(await discoverContextWindow(s.baseUrl, 'qwen3-coder:30b', ''), {
      tokens: 32_768,
      source: 'server',
      detail: 'num_ctx from POST /api/show (Ollama)',
    });
    const asked = s.probes.find((r) => r.path === '/api/show');
    assert.equal(asked?.body.model, 'qwen3-coder:30b');
  });

  it("Ollama: the architecture's context_length otherwise, with a warning in the detail", async () => {
    const s = await start();
    s.route('POST', '/api/show', {
      kind: 'json',
      status: 200,
      body: {
        parameters: 'temperature 0.7',
        model_info: { 'general.architecture': 'qwen3moe', 'qwen3moe.context_length': 262_144 },
      },
    });
    const window = await discoverContextWindow(s.baseUrl, 'qwen3-coder:30b', '');
    assert.equal(window.tokens, 262_144);
    assert.match(window.detail, /qwen3moe\.context_length .*num_ctx or OLLAMA_CONTEXT_LENGTH/);
  });

  it('LM Studio: loaded_context_length from GET /api/v0/models, else max_context_length', async () => {
    const s = await start();
    s.route('GET', '/api/v0/models', {
      kind: 'json',
      status: 200,
      body: {
        object: 'list',
        data: [
          {
            id: 'qwen/qwen3-coder-30b',
            type: 'llm',
            state: 'loaded',
            max_context_length: 262_144,
            loaded_context_length: 8192,
          },
          { id: 'other', type: 'llm', state: 'not-loaded', max_context_length: 131_072 },
        ],
      },
    });
    assert.deepEqual(await discoverContextWindow(s.baseUrl, 'qwen/qwen3-coder-30b', ''), {
      tokens: 8192,
      source: 'server',
      detail: 'loaded_context_length from GET /api/v0/models (LM Studio)',
    });
    assert.equal((await discoverContextWindow(s.baseUrl, 'other', '')).tokens, 131_072);
  });

  it('OpenRouter: context_length from GET /api/v1/models', async () => {
    const s = await start();
    s.route('GET', '/api/v1/models', {
      kind: 'json',
      status: 200,
      body: { data: [{ id: 'qwen/qwen3-coder', context_length: 262_144, top_provider: { context_length: 262_144 } }] },
    });
    assert.deepEqual(await discoverContextWindow(`${s.url}/api/v1`, 'qwen/qwen3-coder', 'sk-or'), {
      tokens: 262_144,
      source: 'server',
      detail: 'context_length from GET /models (OpenRouter)',
    });
  });

  it('falls back to the known-model table, then to the setting, then to a safe default', async () => {
    const s = await start();
    assert.deepEqual(await discoverContextWindow(s.baseUrl, 'qwen3-coder-plus', 'k'), {
      tokens: 262_144,
      source: 'known-model',
      detail: 'Qwen3-Coder: 262,144 tokens native',
    });
    assert.deepEqual(await discoverContextWindow(s.baseUrl, 'my-finetune', 'k', fetch, { fallback: 50_000 }), {
      tokens: 50_000,
      source: 'setting',
      detail: 'qcoder.contextWindow setting',
    });
    assert.equal((await discoverContextWindow(s.baseUrl, 'my-finetune', 'k')).tokens, DEFAULT_CONTEXT_WINDOW);
  });

  it('does not wait for a server that never answers', async () => {
    const s = await start();
    s.route('GET', '/props', { kind: 'stall' });
    s.route('GET', '/v1/models', { kind: 'stall' });
    const started = Date.now();
    const window = await discoverContextWindow(s.baseUrl, 'qwen3-coder:30b', '', fetch, { timeoutMs: 200 });
    assert.equal(window.source, 'known-model');
    assert.ok(Date.now() - started < 1500, `took ${Date.now() - started} ms`);
  });

  it('asks nothing of DashScope or OpenAI, whose windows the table knows', async () => {
    let asked = 0;
    const counting: typeof fetch = async () => {
      asked++;
      throw new Error('no network in tests');
    };
    const window = await discoverContextWindow(
      'https://dashscope-intl.aliyuncs.com/compatible-mode/v1',
      'qwen3-coder-plus',
      'sk',
      counting,
    );
    assert.equal(asked, 0);
    assert.equal(window.tokens, 262_144);
    assert.equal(
      (await discoverContextWindow('https://api.openai.com/v1', 'gpt-4.1-mini', 'sk', counting)).tokens,
      1_047_576,
    );
    assert.equal(asked, 0);
  });

  it('knows the Qwen3-Coder family under the names each server gives it', () => {
    for (const name of [
      'qwen3-coder-plus',
      'qwen3-coder-flash',
      'qwen3-coder-480b-a35b-instruct',
      'Qwen/Qwen3-Coder-30B-A3B-Instruct',
      'qwen3-coder:30b',
      'qwen/qwen3-coder',
    ]) {
      assert.equal(knownContextWindow(name)?.tokens, 262_144, name);
    }
    assert.equal(knownContextWindow('llama3.1:8b'), undefined);
  });
});
