/**
 * A scripted model calls the tools of real MCP servers from npm through the chat in the real
 * extension host: server-everything over Streamable HTTP, server-filesystem over stdio on a temp
 * folder, server-everything's image tool for a vision and a text model, and a server whose
 * tools change while it runs. What the local model server received is the evidence.
 */
import * as assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { QCoderApi } from '../../../src/extension';
import { type QCoderHost, startQCoder } from '../../support/extensionHost';
import type { ModelServer } from '../../support/modelServer';
import { callTurn, requestWith, resultFor, sendAnswering, waitFor } from '../mcpAgent';

describe('MCP tools in the chat (real servers from npm, real extension host)', function () {
  this.timeout(90_000);
  let host: QCoderHost;
  let api: QCoderApi;
  let extensionPath: string;
  let model: ModelServer;
  const config = () => vscode.workspace.getConfiguration('qcoder');
  const packages = () => path.join(extensionPath, 'node_modules/@modelcontextprotocol');

  async function useServers(servers: Record<string, unknown>): Promise<void> {
    await config().update('mcpServers', servers, vscode.ConfigurationTarget.Global);
    const names = Object.keys(servers);
    await waitFor(
      () => names.every((name) => api.mcp.manager.entries.some((entry) => entry.config.name === name)),
      'the setting',
    );
  }

  before(async () => {
    host = await startQCoder();
    ({ api, server: model } = host);
    extensionPath = host.extension.extensionPath;
    await config().update('mcp.alwaysAllow', undefined, vscode.ConfigurationTarget.Global);
  });

  afterEach(async () => {
    await config().update('mcpServers', undefined, vscode.ConfigurationTarget.Global);
    await waitFor(() => api.mcp.manager.entries.length === 0, 'the servers to go');
  });

  after(async () => {
    await host?.close();
    for (const key of ['model.vision', 'mcp.alwaysAllow'])
      await config().update(key, undefined, vscode.ConfigurationTarget.Global);
  });

  it(
    'server-everything over Streamable HTTP: approved, ' + 'its answer reaches the model; rejected, the model is told',
    async () => {
      const child: ChildProcess = spawn(process.execPath, [
        path.join(extensionPath, 'test/fixtures/mcp/everythingHttp.mjs'),
      ]);
      try {
        const url = await new Promise<string>((resolve, reject) => {
          child.stderr!.on('data', (chunk: Buffer) => {
            const found = /listening on (http:\S+)/.exec(chunk.toString());
            if (found) resolve(found[1]);
          });
          child.on('exit', (code) => reject(new Error(`server-everything exited with ${code}`)));
        });
        await useServers({ remote: { url } });
        model.enqueue(
          callTurn('remote__get-sum', 'hsum', { a: 1200, b: 34 }),
          callTurn('remote__echo', 'hecho', { message: 'never-sent-77e' }),
          { kind: 'stream', chunks: ['Done.'] },
        );
        const cards = await sendAnswering(api, 'Add with the remote tool, then echo.', {
          hsum: 'run',
          hecho: 'reject',
        });

        assert.equal(api.mcp.manager.entries[0].config.kind, 'http');
        const card = cards.find((call) => call.id === 'hsum')!.prompt!;
        assert.match(card.title, /"get-sum" of the server "remote"/);
        assert.deepEqual(JSON.parse(card.text), { a: 1200, b: 34 });
        assert.match(resultFor(model, 'hsum') ?? '', /1234/);
        assert.match(resultFor(model, 'hecho') ?? '', /The user rejected this call to remote › echo/);
        assert.ok(!JSON.stringify(model.requests.map((request) => request.body)).includes('Echo: never-sent-77e'));
      } finally {
        child.kill();
      }
    },
  );

  it(
    'server-filesystem over stdio on a temp folder: ' + 'a read reaches the model; a rejected write writes nothing',
    async () => {
      const folder = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'qcoder-mcp-files-')));
      const note = path.join(folder, 'note.txt');
      const unwanted = path.join(folder, 'unwanted.txt');
      writeFileSync(note, 'FILESYSTEM-CHAT-NOTE-5a3\n');
      try {
        await useServers({
          files: {
            command: process.execPath,
            args: [path.join(packages(), 'server-filesystem/dist/index.js'), folder],
          },
        });
        model.enqueue(
          callTurn('files__read_text_file', 'fread', { path: note }),
          callTurn('files__write_file', 'fwrite', { path: unwanted, content: 'no' }),
          { kind: 'stream', chunks: ['Read it.'] },
        );
        const cards = await sendAnswering(api, 'Read note.txt, then write a file.', { fread: 'run', fwrite: 'reject' });

        assert.deepEqual(
          cards.map((call) => call.id),
          ['fread', 'fwrite'],
          'each call asked first',
        );
        assert.match(cards[0].prompt!.title, /"read_text_file" of the server "files"/);
        assert.equal(resultFor(model, 'fread'), 'FILESYSTEM-CHAT-NOTE-5a3\n');
        assert.match(resultFor(model, 'fwrite') ?? '', /The user rejected this call to files › write_file/);
        assert.equal(existsSync(unwanted), false, 'the rejected write never reached the server');
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
  );

  it("server-everything's image: a vision model gets the image_url part, a text model a description", async () => {
    const everything = path.join(packages(), 'server-everything/dist');
    // The image as the package ships it, read from its source, not through QCoder.
    const shipped = /MCP_TINY_IMAGE = "([A-Za-z0-9+/=]+)"/.exec(
      readFileSync(path.join(everything, 'tools/get-tiny-image.js'), 'utf8'),
    )![1];
    await useServers({ everything: { command: process.execPath, args: [path.join(everything, 'index.js'), 'stdio'] } });
    await config().update('mcp.alwaysAllow', ['everything/get-tiny-image'], vscode.ConfigurationTarget.Global);

    await config().update('model', 'qwen-vl-max', vscode.ConfigurationTarget.Global);
    model.enqueue(callTurn('everything__get-tiny-image', 'img1', {}), { kind: 'stream', chunks: ['A logo.'] });
    await sendAnswering(api, 'Show me the image.', {});
    const seen = requestWith(model, 'img1')!;
    const at = seen.findIndex((message) => message.tool_call_id === 'img1');
    assert.match(String(seen[at].content), /\[image 1: image\/png, attached below\]/);
    assert.deepEqual(seen[at + 1], {
      role: 'user',
      content: [
        { type: 'text', text: 'Images returned by the tool call img1 (everything__get-tiny-image):' },
        { type: 'image_url', image_url: { url: `data:image/png;base64,${shipped}` } },
      ],
    });

    await config().update('model', 'qwen3-coder-plus', vscode.ConfigurationTarget.Global);
    model.enqueue(callTurn('everything__get-tiny-image', 'img2', {}), { kind: 'stream', chunks: ['No image.'] });
    await sendAnswering(api, 'And again.', {});
    const kb = Math.round(Buffer.from(shipped, 'base64').length / 1024);
    assert.match(
      resultFor(model, 'img2') ?? '',
      new RegExp(`\\[image: image/png, ${kb} KB, not shown: the model does not take images\\]`),
    );
    const last = model.requests.at(-1)!.body.messages as { role: string; content: unknown }[];
    assert.ok(!JSON.stringify(last.slice(-3)).includes('image_url'), 'no image part for the text model');
  });

  it('tools/list_changed: a tool the server adds while running is offered with the next message', async () => {
    await useServers({
      changing: { command: process.execPath, args: [path.join(extensionPath, 'test/fixtures/mcp/changingTools.mjs')] },
    });
    await config().update('mcp.alwaysAllow', ['changing/unlock', 'changing/secret'], vscode.ConfigurationTarget.Global);
    const offered = (index: number) =>
      (model.requests[index].body.tools as { function: { name: string } }[])
        .map((tool) => tool.function.name)
        .filter((name) => name.startsWith('changing__'));
    const from = model.requests.length;
    model.enqueue(callTurn('changing__unlock', 'unlock1', {}), { kind: 'stream', chunks: ['Unlocked.'] });
    await sendAnswering(api, 'Unlock it.', {});
    assert.deepEqual(offered(from), ['changing__unlock']);
    await waitFor(
      () => (api.mcp.manager.entries[0].status as { tools?: { name: string }[] }).tools?.[0]?.name === 'secret',
      'the new tool list',
    );

    const next = model.requests.length;
    model.enqueue(callTurn('changing__secret', 'secret1', { who: 'bo' }), { kind: 'stream', chunks: ['Told.'] });
    await sendAnswering(api, 'Now the secret.', {});
    assert.deepEqual(offered(next), ['changing__secret']);
    assert.equal(resultFor(model, 'secret1'), 'the secret for bo is 7d1f');
  });
});
