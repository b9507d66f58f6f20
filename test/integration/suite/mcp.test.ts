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
import { callTurn, resultFor, sendAnswering, waitFor } from '../mcpAgent';

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

  it(
    'an MCP prompt is a slash command: listed in the completion, ' + 'and its text is the message the server gets',
    async () => {
      const everything = path.join(extensionPath, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
      const model: ModelServer = await startModelServer();
      try {
        model.setDefault({ kind: 'stream', chunks: ['Sunny.'] });
        await config().update('baseUrl', model.baseUrl, vscode.ConfigurationTarget.Global);
        await config().update('model', 'qwen3-coder-plus', vscode.ConfigurationTarget.Global);
        await config().update(
          'mcpServers',
          { everything: { command: process.execPath, args: [everything, 'stdio'] } },
          vscode.ConfigurationTarget.Global,
        );
        await waitFor(() => api.mcp.manager.entries.some((entry) => entry.config.name === 'everything'), 'the setting');
        const requestId = 91;
        const listed = new Promise<{ name: string; argumentHint?: string }[]>((resolve) => {
          const listener = api.onDidPostMessage((message) => {
            if (message.type === 'slashResults' && message.requestId === requestId) {
              listener.dispose();
              resolve(message.items);
            }
          });
        });
        await api.chat.handle({ type: 'slashQuery', requestId });
        const prompt = (await listed).find((item) => item.name === 'mcp.everything.args-prompt');
        assert.equal(prompt?.argumentHint, '<city> [state]');

        const from = model.requests.length;
        await api.chat.send('/mcp.everything.args-prompt Paris');
        await api.chat.idle();
        const sent = model.requests.slice(from).map((request) => request.body.messages.at(-1));
        // server-everything's args-prompt text, as the server wrote it.
        assert.deepEqual(sent.at(-1), { role: 'user', content: "What's weather in Paris?" });
      } finally {
        await config().update('mcpServers', undefined, vscode.ConfigurationTarget.Global);
        await config().update('baseUrl', undefined, vscode.ConfigurationTarget.Global);
        await config().update('model', undefined, vscode.ConfigurationTarget.Global);
        await model.close();
      }
    },
  );

  it(
    'the agent calls an MCP tool: the card asks; approved, the real result reaches the ' +
      'model; rejected, it is told',
    async () => {
      const everything = path.join(extensionPath, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
      const model: ModelServer = await startModelServer();
      try {
        await config().update('baseUrl', model.baseUrl, vscode.ConfigurationTarget.Global);
        await config().update('model', 'qwen3-coder-plus', vscode.ConfigurationTarget.Global);
        await config().update('mcp.alwaysAllow', undefined, vscode.ConfigurationTarget.Global);
        await config().update(
          'mcpServers',
          { everything: { command: process.execPath, args: [everything, 'stdio'] } },
          vscode.ConfigurationTarget.Global,
        );
        await waitFor(() => api.mcp.manager.entries.some((entry) => entry.config.name === 'everything'), 'the setting');
        model.enqueue(
          callTurn('everything__get-sum', 'sum', { a: 19, b: 23 }),
          callTurn('everything__echo', 'echo', { message: 'never-sent-4b1' }),
          { kind: 'stream', chunks: ['Done.'] },
        );
        const shown = await sendAnswering(api, 'Add 19 and 23 with the MCP tool, then echo something.', {
          sum: 'run',
          echo: 'reject',
        });

        // The tools went to the model under their MCP names, with portable schemas.
        const offered = JSON.stringify(model.requests[0].body.tools);
        assert.match(offered, /"name":"everything__get-sum"/);
        // The card showed the server, the tool, the arguments and, on first use, the tool's own description.
        const card = shown.find((call) => call.id === 'sum')!.prompt!;
        assert.match(card.title, /"get-sum" of the server "everything"/);
        assert.deepEqual(JSON.parse(card.text), { a: 19, b: 23 });
        assert.match(card.details.join('\n'), /What the server says this tool does/);
        // Approved: server-everything's real answer reached the model server.
        assert.match(resultFor(model, 'sum') ?? '', /42/);
        // Rejected: the model is told, and the server never saw the call.
        assert.match(resultFor(model, 'echo') ?? '', /The user rejected this call to everything › echo/);
        assert.ok(!JSON.stringify(model.requests.map((request) => request.body)).includes('Echo: never-sent-4b1'));
      } finally {
        await config().update('mcpServers', undefined, vscode.ConfigurationTarget.Global);
        await config().update('baseUrl', undefined, vscode.ConfigurationTarget.Global);
        await config().update('model', undefined, vscode.ConfigurationTarget.Global);
        await model.close();
      }
    },
  );

  it('a workspace .qcoder/mcp.json does nothing until approved; changed arguments ask again', async () => {
    const fixture = path.join(extensionPath, 'test/fixtures/mcp/misbehaving.mjs');
    const write = (args: string[]) =>
      vscode.workspace.fs.writeFile(
        vscode.Uri.file(path.join(root, '.qcoder/mcp.json')),
        new TextEncoder().encode(JSON.stringify({ mcpServers: { repo: { command: process.execPath, args } } })),
      );
    await write([fixture, 'marker', marker]);
    // Any use reads the workspace files again (the file watcher may be late or miss a new folder).
    await api.mcp.load();
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
    await api.mcp.load();
    await waitFor(() => api.mcp.manager.entries[0]?.blocked === 'needs approval', 'the change to be seen');
    assert.deepEqual(await api.mcp.manager.tools(new Set()), []);
    assert.equal(existsSync(marker), false, 'the changed definition did not run');
  });
});
