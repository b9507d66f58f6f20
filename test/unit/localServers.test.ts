import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { discoverLocalServers, type LocalServerKind, modelNames } from '../../src/core/model/localServers';

/** A server on 127.0.0.1 that answers `path` with `body` (and 404 elsewhere), or hangs when `body` is 'hang'. */
function serve(path: string, body: unknown): Promise<{ port: number; server: http.Server; asked: string[] }> {
  const asked: string[] = [];
  const server = http.createServer((request, response) => {
    asked.push(request.url ?? '');
    if (body === 'hang') return;
    if (request.url !== path) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ port: (server.address() as AddressInfo).port, server, asked })),
  );
}

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const { port, server } = await serve('/', {});
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('discoverLocalServers', () => {
  const servers: http.Server[] = [];
  let ollama: Awaited<ReturnType<typeof serve>>;
  let vllm: Awaited<ReturnType<typeof serve>>;
  let hung: Awaited<ReturnType<typeof serve>>;
  let empty: Awaited<ReturnType<typeof serve>>;

  before(async () => {
    ollama = await serve('/api/tags', { models: [{ name: 'qwen3-coder:30b' }, { name: 'llama3.2:3b' }] });
    vllm = await serve('/v1/models', { object: 'list', data: [{ id: 'Qwen/Qwen3-Coder-30B-A3B-Instruct' }] });
    hung = await serve('/v1/models', 'hang');
    empty = await serve('/v1/models', { data: [] });
    servers.push(ollama.server, vllm.server, hung.server, empty.server);
  });
  after(() => {
    for (const server of servers) server.closeAllConnections();
    for (const server of servers) server.close();
  });

  it('lists the servers that answer with their models, in the order asked, and skips the rest', async () => {
    const kinds: LocalServerKind[] = [
      { preset: 'ollama', label: 'Ollama', port: ollama.port, listing: 'ollama' },
      { preset: 'lmstudio', label: 'LM Studio', port: await closedPort(), listing: 'openai' },
      { preset: 'llamacpp', label: 'llama.cpp server', port: hung.port, listing: 'openai' },
      { preset: 'sglang', label: 'SGLang', port: empty.port, listing: 'openai' },
      { preset: 'vllm', label: 'vLLM', port: vllm.port, listing: 'openai' },
    ];
    const started = Date.now();
    const found = await discoverLocalServers({ kinds, timeoutMs: 300 });
    assert.ok(Date.now() - started < 2000, 'a hung server is given up on after the timeout');
    assert.deepEqual(found, [
      {
        preset: 'ollama',
        label: 'Ollama',
        baseUrl: `http://127.0.0.1:${ollama.port}/v1`,
        models: ['qwen3-coder:30b', 'llama3.2:3b'],
      },
      {
        preset: 'vllm',
        label: 'vLLM',
        baseUrl: `http://127.0.0.1:${vllm.port}/v1`,
        models: ['Qwen/Qwen3-Coder-30B-A3B-Instruct'],
      },
    ]);
    assert.deepEqual(ollama.asked, ['/api/tags']);
    assert.deepEqual(vllm.asked, ['/v1/models']);
  });
});

describe('modelNames', () => {
  it('reads ids, drops blanks, duplicates and non-strings', () => {
    assert.deepEqual(
      modelNames({ data: [{ id: 'a' }, { id: ' ' }, { id: 3 }, null, { id: 'a' }, { id: 'b' }] }, 'openai'),
      ['a', 'b'],
    );
    assert.deepEqual(modelNames({ models: [{ model: 'm:1' }] }, 'ollama'), ['m:1']);
    assert.deepEqual(modelNames('nope', 'openai'), []);
    assert.deepEqual(modelNames({ data: 'x' }, 'openai'), []);
  });
});
