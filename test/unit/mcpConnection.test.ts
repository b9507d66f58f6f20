/**
 * Real MCP servers over stdio: @modelcontextprotocol/server-everything from npm, and a server
 * built on the official SDK that misbehaves on purpose (test/fixtures/mcp/misbehaving.mjs).
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { parseServers } from '../../src/core/mcp/config';
import { McpConnection, type ServerStatus } from '../../src/core/mcp/connection';

const root = path.resolve(__dirname, '../..');
const everything = path.join(root, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
const misbehaving = path.join(root, 'test/fixtures/mcp/misbehaving.mjs');

function connection(
  name: string,
  args: string[],
  options: { startTimeoutMs?: number; callTimeoutMs?: number; onDidChange?: () => void } = {},
) {
  const { servers, problems } = parseServers({ [name]: { command: process.execPath, args } }, 'user', {
    env: () => undefined,
  });
  assert.deepEqual(problems, []);
  const log: string[] = [];
  const made = new McpConnection(servers[0], { log: (line) => log.push(line), ...options });
  opened.push(made);
  return { connection: made, log };
}

const opened: McpConnection[] = [];
after(async () => {
  await Promise.all(opened.map((item) => item.stop()));
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('an MCP server over stdio', { timeout: 60_000 }, () => {
  test('server-everything: starts on first use, lists its tools and answers a call', async () => {
    const { connection: server } = connection('everything', [everything, 'stdio']);
    assert.equal(server.status.status, 'stopped', 'nothing starts before it is used');
    const result = (await server.callTool('echo', { message: 'hello from QCoder' })) as { content: unknown[] };
    assert.deepEqual(result.content, [{ type: 'text', text: 'Echo: hello from QCoder' }]);
    const status = server.status as ServerStatus; // the assertion above narrowed the getter
    const names = status.status === 'running' ? status.tools.map((tool) => tool.name) : [];
    assert.equal(status.status, 'running');
    assert.ok(names.includes('echo') && names.includes('get-sum'), names.join(', '));
  });

  test("the server does not inherit QCoder's environment: no API key reaches it", async () => {
    process.env.OPENAI_API_KEY = 'sk-must-not-leak-7f3a';
    try {
      const { connection: server } = connection('env', [everything, 'stdio']);
      const result = JSON.stringify(await server.callTool('get-env', {}));
      assert.ok(result.includes('PATH'), 'the server got an environment');
      assert.ok(!result.includes('sk-must-not-leak-7f3a'), 'but not the key');
    } finally {
      delete process.env.OPENAI_API_KEY;
    }
  });

  test('a server that exits at start: the reason names the exit and its stderr', async () => {
    const { connection: server } = connection('broken', [misbehaving, 'exit-at-start'], { startTimeoutMs: 10_000 });
    await assert.rejects(server.start(), /MCP server "broken".*missing DATABASE_URL/);
    assert.equal(server.status.status, 'failed');
  });

  test('a server that prints only garbage: a clear error within the start timeout, no hang', async () => {
    const { connection: server } = connection('garbage', [misbehaving, 'garbage-only'], { startTimeoutMs: 1_500 });
    const started = Date.now();
    await assert.rejects(server.start(), /MCP server "garbage" did not answer in time \(while starting\)/);
    assert.ok(Date.now() - started < 10_000);
  });

  test('a server that prints garbage between messages still works', async () => {
    const { connection: server } = connection('noisy', [misbehaving, 'garbage']);
    const result = (await server.callTool('work', { input: 'x' })) as { content: unknown[] };
    assert.deepEqual(result.content, [{ type: 'text', text: 'worked on x' }]);
  });

  test('a server that crashes on a call: a clear error, and the next call starts it again', async () => {
    const { connection: server } = connection('crashy', [misbehaving, 'crash-on-call']);
    await assert.rejects(server.callTool('work', { input: 'a' }), /MCP server "crashy" closed the connection/);
    assert.equal(server.status.status, 'failed');
    // It crashes again, but it was started again to try (a new process answered tools/list).
    await assert.rejects(server.callTool('work', { input: 'b' }), /closed the connection/);
  });

  test('Stop cancels a call that never returns: notifications/cancelled reaches the server', async () => {
    const { connection: server, log } = connection('hang', [misbehaving, 'hang-on-call']);
    await server.start();
    const controller = new AbortController();
    const call = server.callTool('work', { input: 'forever-9d2' }, controller.signal);
    setTimeout(() => controller.abort(), 300);
    await assert.rejects(call);
    const deadline = Date.now() + 5_000;
    while (!log.some((line) => line.includes('cancelled: forever-9d2')) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(
      log.some((line) => line.includes('cancelled: forever-9d2')),
      log.join('\n'),
    );
  });

  test('tools/list_changed: the new list is on offer at once, without a restart', async () => {
    const changing = path.join(root, 'test/fixtures/mcp/changingTools.mjs');
    const changes: string[][] = [];
    const { connection: made } = connection('changing', [changing], {
      onDidChange: () => changes.push(made.tools.map((tool) => tool.name)),
    });
    await made.start();
    assert.deepEqual(
      made.tools.map((tool) => tool.name),
      ['unlock'],
    );
    await made.callTool('unlock', {});
    const deadline = Date.now() + 5_000;
    while (!made.tools.some((tool) => tool.name === 'secret') && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(
      made.tools.map((tool) => tool.name),
      ['secret'],
    );
    assert.deepEqual(changes.at(-1), ['secret'], 'the change was announced');
    const answer = (await made.callTool('secret', { who: 'ann' })) as { content: { text: string }[] };
    assert.equal(answer.content[0].text, 'the secret for ann is 7d1f');
  });

  test('stop ends the server process', async () => {
    const { connection: server, log } = connection('stoppable', [misbehaving, 'garbage']);
    await server.start();
    const pid = Number(/pid (\d+)/.exec(log.join('\n'))?.[1]);
    assert.ok(alive(pid));
    await server.stop();
    const deadline = Date.now() + 5_000;
    while (alive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(alive(pid), false);
  });
});

describe('MCP servers from npm, over stdio and Streamable HTTP', { timeout: 60_000 }, () => {
  test('server-filesystem on a temp folder: reads a file through its tool', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'qcoder-mcp-fs-'));
    writeFileSync(path.join(folder, 'note.txt'), 'FILESYSTEM-NOTE-41c7\n');
    try {
      const fsServer = path.join(root, 'node_modules/@modelcontextprotocol/server-filesystem/dist/index.js');
      const { connection: server } = connection('files', [fsServer, folder]);
      const result = JSON.stringify(await server.callTool('read_text_file', { path: path.join(folder, 'note.txt') }));
      assert.match(result, /FILESYSTEM-NOTE-41c7/);
      // Outside its root the server refuses, and says so as a tool error.
      const outside = (await server.callTool('read_text_file', { path: '/etc/hostname' })) as { isError?: boolean };
      assert.equal(outside.isError, true);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('server-everything over Streamable HTTP on 127.0.0.1', async () => {
    // server-everything's own HTTP transport, held to the loopback interface and a free port.
    const child = spawn(process.execPath, [path.join(root, 'test/fixtures/mcp/everythingHttp.mjs')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stderr.on('data', (chunk: Buffer) => {
          const found = /listening on (http:\S+)/.exec(chunk.toString());
          if (found) resolve(found[1]);
        });
        child.on('exit', (code) => reject(new Error(`server-everything exited with ${code}`)));
      });
      const { servers } = parseServers({ remote: { url } }, 'user', {
        env: () => undefined,
      });
      const server = new McpConnection(servers[0], { log: () => undefined });
      opened.push(server);
      const result = (await server.callTool('get-sum', { a: 2, b: 40 })) as { content: { text: string }[] };
      assert.match(result.content[0].text, /42/);
    } finally {
      child.kill();
    }
  });

  test('nothing listening at the URL: a clear refusal, not a hang', async () => {
    const port = await freePort();
    const { servers } = parseServers({ gone: { url: `http://127.0.0.1:${port}/mcp` } }, 'user', {
      env: () => undefined,
    });
    const server = new McpConnection(servers[0], { log: () => undefined, startTimeoutMs: 5_000 });
    await assert.rejects(server.start(), /MCP server "gone" (refused the connection|failed)/);
  });
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
