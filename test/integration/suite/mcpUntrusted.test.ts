/**
 * A workspace `.qcoder/mcp.json` in Restricted Mode (the untrusted run only; skipped when the
 * folder is trusted): even with its definition approved, the server never starts — not for the
 * tool list, not for a chat message, not for the resources or prompts. The fixture server
 * writes a marker file the moment it runs, so its absence is the evidence.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { QCoderApi } from '../../../src/extension';
import { type QCoderHost, startQCoder } from '../../support/extensionHost';
import type { ModelServer } from '../../support/modelServer';

describe('MCP in an untrusted workspace (Restricted Mode, untrusted run)', () => {
  let host: QCoderHost;
  let api: QCoderApi;
  let root: string;
  let model: ModelServer;
  const marker = path.join(os.tmpdir(), `qcoder-mcp-untrusted-${process.pid}.txt`);

  before(async function () {
    if (vscode.workspace.isTrusted) this.skip();
    host = await startQCoder({ server: (server) => server.setDefault({ kind: 'stream', chunks: ['Noted.'] }) });
    ({ api, server: model } = host);
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
  });

  after(async () => {
    if (!host) return;
    rmSync(path.join(root, '.qcoder', 'mcp.json'), { force: true });
    rmSync(marker, { force: true });
    await host?.close();
  });

  it('a workspace server never starts, approved or not, whatever uses it', async () => {
    const fixture = path.join(extensionPathOf(), 'test/fixtures/mcp/misbehaving.mjs');
    mkdirSync(path.join(root, '.qcoder'), { recursive: true });
    writeFileSync(
      path.join(root, '.qcoder', 'mcp.json'),
      JSON.stringify({ mcpServers: { repo: { command: process.execPath, args: [fixture, 'marker', marker] } } }),
    );
    await api.mcp.load();
    const entry = api.mcp.manager.entries.find((item) => item.config.name === 'repo');
    assert.equal(entry?.blocked, 'untrusted workspace');
    // Approving the definition does not change that in Restricted Mode.
    await api.mcp.approve(entry.config);
    assert.equal(api.mcp.manager.entries.find((item) => item.config.name === 'repo')?.blocked, 'untrusted workspace');

    assert.deepEqual(await api.mcp.manager.tools(new Set()), []);
    for await (const ready of api.mcp.manager.readyClients('prompts')) assert.fail(`${ready.server} started`);
    const from = model.requests.length;
    await api.chat.send('Use the repo tools.');
    await api.chat.idle();
    const tools = ((model.requests[from].body.tools ?? []) as { function: { name: string } }[]).map(
      (tool) => tool.function.name,
    );
    assert.ok(!tools.some((name) => name.startsWith('repo__')), tools.join(', '));
    assert.equal(api.mcp.manager.entries.find((item) => item.config.name === 'repo')?.status.status, 'stopped');
    assert.equal(existsSync(marker), false, 'the server process never ran');
  });
});

function extensionPathOf(): string {
  return vscode.extensions.getExtension('qcoder.qcoder')!.extensionPath;
}
