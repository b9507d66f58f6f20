/**
 * MCP in the real extension host, through the packaged path (dist/mcpSdk.js is loaded when a
 * server first starts): user servers from the settings, and a workspace `.qcoder/mcp.json` that
 * does nothing until the user approves that exact definition.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { QCoderApi } from '../../../src/extension';
import { type ModelServer, startModelServer } from '../../support/modelServer';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('MCP servers (real extension host)', function () {
  this.timeout(60_000);
  let api: QCoderApi;
  let extensionPath: string;
  let root: string;
  const config = () => vscode.workspace.getConfiguration('qcoder');
  const marker = path.join(os.tmpdir(), `qcoder-mcp-marker-${process.pid}.txt`);

  before(async () => {
    const extension = vscode.extensions.getExtension<QCoderApi>('qcoder.qcoder');
    assert.ok(extension);
    extensionPath = extension.extensionPath;
    api = await extension.activate();
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
  });

  after(async () => {
    await config().update('mcpServers', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.fs.delete(vscode.Uri.file(path.join(root, '.qcoder')), { recursive: true }).then(
      () => undefined,
      () => undefined,
    );
    rmSync(marker, { force: true });
  });

  it('a server from the user settings starts on first use and its tool answers', async () => {
    const everything = path.join(extensionPath, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
    await config().update(
      'mcpServers',
      { everything: { command: process.execPath, args: [everything, 'stdio'] } },
      vscode.ConfigurationTarget.Global,
    );
    await waitFor(() => api.mcp.manager.entries.some((entry) => entry.config.name === 'everything'), 'the setting');
    assert.equal(api.mcp.manager.entries[0].status.status, 'stopped', 'nothing started on reading the settings');
    const tools = await api.mcp.manager.tools(new Set());
    assert.ok(tools.some((tool) => tool.name === 'everything__get-sum'));
    const result = JSON.stringify(await api.mcp.manager.call('everything__get-sum', { a: 20, b: 22 }));
    assert.match(result, /42/);
    await config().update('mcpServers', undefined, vscode.ConfigurationTarget.Global);
    await waitFor(() => api.mcp.manager.entries.length === 0, 'the server to go');
  });

  it('an @mcp: resource mention: completion lists it, and its text reaches the model server', async () => {
    const everything = path.join(extensionPath, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
    const model: ModelServer = await startModelServer();
    try {
      model.setDefault({ kind: 'stream', chunks: ['Read it.'] });
      await config().update('baseUrl', model.baseUrl, vscode.ConfigurationTarget.Global);
      await config().update('model', 'qwen3-coder-plus', vscode.ConfigurationTarget.Global);
      await config().update(
        'mcpServers',
        { everything: { command: process.execPath, args: [everything, 'stdio'] } },
        vscode.ConfigurationTarget.Global,
      );
      await waitFor(() => api.mcp.manager.entries.some((entry) => entry.config.name === 'everything'), 'the setting');
      const requestId = 77;
      const answered = new Promise<string[]>((resolve) => {
        const listener = api.onDidPostMessage((message) => {
          if (message.type === 'mentionResults' && message.requestId === requestId) {
            listener.dispose();
            resolve(message.items);
          }
        });
      });
      await api.chat.handle({ type: 'mentionQuery', requestId, kind: 'mcp', prefix: 'architecture' });
      const items = await answered;
      const reference = 'everything:demo://resource/static/document/architecture.md';
      assert.ok(items.includes(reference), items.join('\n'));

      const from = model.requests.length;
      await api.chat.send(`Summarise @mcp:${reference}`);
      await api.chat.idle();
      const sent = JSON.stringify(model.requests.slice(from).map((request) => request.body));
      // The server's own document text, as server-everything ships it.
      const expected = readFileSync(
        path.join(extensionPath, 'node_modules/@modelcontextprotocol/server-everything/dist/docs/architecture.md'),
        'utf8',
      );
      const line = expected.split('\n').find((text) => text.trim().length > 20)!;
      assert.ok(sent.includes(JSON.stringify(line).slice(1, -1)), 'the resource text reached the model server');
    } finally {
      await config().update('mcpServers', undefined, vscode.ConfigurationTarget.Global);
      await config().update('baseUrl', undefined, vscode.ConfigurationTarget.Global);
      await config().update('model', undefined, vscode.ConfigurationTarget.Global);
      await model.close();
    }
  });

  it('a workspace .qcoder/mcp.json does nothing until approved; changed arguments ask again', async () => {
    const fixture = path.join(extensionPath, 'test/fixtures/mcp/misbehaving.mjs');
    const write = (args: string[]) =>
      vscode.workspace.fs.writeFile(
        vscode.Uri.file(path.join(root, '.qcoder/mcp.json')),
        new TextEncoder().encode(JSON.stringify({ mcpServers: { repo: { command: process.execPath, args } } })),
      );
    await write([fixture, 'marker', marker]);
    await waitFor(() => api.mcp.manager.entries.some((entry) => entry.config.name === 'repo'), 'the workspace file');
    assert.deepEqual(await api.mcp.manager.tools(new Set()), [], 'no tools before approval');
    assert.equal(api.mcp.manager.entries[0].blocked, 'needs approval');
    assert.equal(existsSync(marker), false, 'the process never ran');

    await api.mcp.approve(api.mcp.manager.entries[0].config);
    const tools = await api.mcp.manager.tools(new Set());
    assert.deepEqual(
      tools.map((tool) => tool.name),
      ['repo__work'],
    );
    assert.match(readFileSync(marker, 'utf8'), /^started \d+/);

    // The repository changes the arguments after the approval: stopped, and it needs approval again.
    rmSync(marker, { force: true });
    await write([fixture, 'marker', marker, '--changed']);
    await waitFor(() => api.mcp.manager.entries[0]?.blocked === 'needs approval', 'the change to be seen');
    assert.deepEqual(await api.mcp.manager.tools(new Set()), []);
    assert.equal(existsSync(marker), false, 'the changed definition did not run');
  });
});
