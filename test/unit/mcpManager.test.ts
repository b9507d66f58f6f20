/** Which MCP servers may start, and the tools they offer the model (real servers over stdio). */
import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { definitionHash, parseServers } from '../../src/core/mcp/config';
import { importServers } from '../../src/core/mcp/importers';
import { McpManager } from '../../src/core/mcp/manager';

const root = path.resolve(__dirname, '../..');
const misbehaving = path.join(root, 'test/fixtures/mcp/misbehaving.mjs');
const everything = path.join(root, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
const managers: McpManager[] = [];
after(async () => Promise.all(managers.map((manager) => manager.dispose())));

function manager(state: { approved: string[]; trusted: boolean }) {
  const made = new McpManager({
    log: () => undefined,
    isApproved: (hash) => state.approved.includes(hash),
    isTrusted: () => state.trusted,
  });
  managers.push(made);
  return made;
}

const workspaceServer = (args: string[]) =>
  parseServers({ repo: { command: process.execPath, args } }, 'workspace', { env: () => undefined }).servers[0];

describe('MCP servers that may start', { timeout: 60_000 }, () => {
  test('a workspace server does nothing until its exact definition is approved; a change asks again', async () => {
    const state = { approved: [] as string[], trusted: true };
    const mcp = manager(state);
    const first = workspaceServer([misbehaving, 'garbage']);
    mcp.setServers([first]);
    assert.deepEqual(await mcp.tools(new Set()), [], 'no tools before approval');
    assert.equal(mcp.entries[0].blocked, 'needs approval');
    assert.equal(mcp.entries[0].status.status, 'stopped', 'and the process was never started');

    state.approved.push(definitionHash(first));
    assert.deepEqual(
      (await mcp.tools(new Set())).map((tool) => tool.name),
      ['repo__work'],
    );
    const result = JSON.stringify(await mcp.call('repo__work', { input: 'ok' }));
    assert.match(result, /worked on ok/);

    // The repository swaps the arguments after the approval (MCPoison): stopped, and it asks again.
    mcp.setServers([workspaceServer([misbehaving, 'garbage', '--extra'])]);
    assert.equal(mcp.entries[0].blocked, 'needs approval');
    assert.equal(mcp.entries[0].status.status, 'stopped');
    assert.deepEqual(await mcp.tools(new Set()), []);
    await assert.rejects(mcp.call('repo__work', { input: 'again' }), /no MCP tool "repo__work"/);
  });

  test('in an untrusted workspace a workspace server never starts, approved or not', async () => {
    const server = workspaceServer([misbehaving, 'garbage']);
    const mcp = manager({ approved: [definitionHash(server)], trusted: false });
    mcp.setServers([server]);
    assert.deepEqual(await mcp.tools(new Set()), []);
    assert.equal(mcp.entries[0].blocked, 'untrusted workspace');
    assert.equal(mcp.entries[0].status.status, 'stopped');
  });

  test('user servers start on first use; a failing one is left out and the others still work', async () => {
    const mcp = manager({ approved: [], trusted: false });
    const { servers } = parseServers(
      {
        everything: { command: process.execPath, args: [everything, 'stdio'] },
        broken: { command: process.execPath, args: [misbehaving, 'exit-at-start'] },
        off: { command: process.execPath, args: [everything, 'stdio'], disabled: true },
      },
      'user',
      { env: () => undefined },
    );
    mcp.setServers(servers);
    const tools = await mcp.tools(new Set(['everything__echo']));
    const names = tools.map((tool) => tool.name);
    assert.ok(names.includes('everything__get-sum'), names.join(', '));
    assert.ok(!names.includes('everything__echo'), 'a name QCoder reserves is not offered');
    assert.ok(!names.some((name) => name.startsWith('off__') || name.startsWith('broken__')));
    const broken = mcp.entries.find((entry) => entry.config.name === 'broken')!;
    assert.equal(broken.status.status, 'failed');
    assert.equal(mcp.entries.find((entry) => entry.config.name === 'off')!.blocked, 'disabled');
    const sum = tools.find((tool) => tool.name === 'everything__get-sum')!;
    assert.deepEqual(Object.keys(sum.parameters.properties as object), ['a', 'b']);
  });
});

describe('MCP servers that fail', { timeout: 60_000 }, () => {
  test('a crashed server keeps its tools on offer, and the next call starts it again', async () => {
    const flag = path.join(mkdtempSync(path.join(tmpdir(), 'qcoder-mcp-')), 'crashed');
    const mcp = manager({ approved: [], trusted: true });
    mcp.setServers(
      parseServers({ flaky: { command: process.execPath, args: [misbehaving, 'crash-once', flag] } }, 'user', {
        env: () => undefined,
      }).servers,
    );
    assert.deepEqual(
      (await mcp.tools(new Set())).map((tool) => tool.name),
      ['flaky__work'],
    );
    await assert.rejects(mcp.call('flaky__work', { input: 'first' }), /MCP server "flaky" closed the connection/);
    assert.equal(mcp.entries[0].status.status, 'failed');
    assert.deepEqual(
      (await mcp.tools(new Set())).map((tool) => tool.name),
      ['flaky__work'],
      'still offered after the crash',
    );
    assert.match(JSON.stringify(await mcp.call('flaky__work', { input: 'second' })), /worked on second/);
    assert.equal(mcp.entries[0].status.status, 'running');
  });

  test('a server that fails to start is not started again on every message', async () => {
    const starts: string[] = [];
    const mcp = new McpManager({
      log: (_server, line) => starts.push(line),
      isApproved: () => false,
      isTrusted: () => true,
    });
    managers.push(mcp);
    mcp.setServers(
      parseServers({ broken: { command: process.execPath, args: [misbehaving, 'exit-at-start'] } }, 'user', {
        env: () => undefined,
      }).servers,
    );
    await mcp.tools(new Set());
    await mcp.tools(new Set());
    await mcp.tools(new Set());
    assert.equal(starts.filter((line) => line.startsWith('failed:')).length, 1, starts.join('\n'));
    await mcp.restart('broken').catch(() => undefined);
    assert.equal(starts.filter((line) => line.startsWith('failed:')).length, 2, 'Restart still tries');
  });
});

describe('importing servers from other tools', () => {
  test(
    "Qwen Code's and VS Code's definitions are copied as written; " + 'existing names win; foreign flags are dropped',
    () => {
      const result = importServers({ mine: { command: 'x' } }, [
        {
          label: '~/.qwen/settings.json',
          json: {
            theme: 'dark',
            mcpServers: {
              github: { command: 'npx', args: ['-y', 'gh'], env: { T: '${env:GH}' }, trust: true, timeout: 5 },
              mine: { command: 'other' },
            },
          },
        },
        {
          label: "VS Code's mcp.json",
          json: { servers: { web: { type: 'http', url: 'https://h.test/mcp', headers: { A: '${input:tok}' } } } },
        },
        { label: 'broken', json: 'nope' },
      ]);
      assert.deepEqual(result.added, ['github', 'web']);
      assert.deepEqual(result.merged, {
        mine: { command: 'x' },
        github: { command: 'npx', args: ['-y', 'gh'], env: { T: '${env:GH}' } },
        web: { type: 'http', url: 'https://h.test/mcp', headers: { A: '${input:tok}' } },
      });
      assert.equal(result.skipped.length, 2);
      assert.match(result.skipped[0], /^mine \(from ~\/\.qwen\/settings\.json\): a server with this name exists$/);
      assert.match(result.skipped[1], /^web .*\$\{input:…\} prompts/);
    },
  );
});
