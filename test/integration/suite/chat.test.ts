import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { QCoderApi } from '../../../src/extension';
import type { HostMessage } from '../../../src/core/protocol';
import { type QCoderHost, startQCoder } from '../../support/extensionHost';
import { type ModelServer, textChunks } from '../../support/modelServer';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

describe('chat through the real extension host', () => {
  let server: ModelServer;
  let host: QCoderHost;
  let api: QCoderApi;
  const posted: HostMessage[] = [];
  const rendered: { messageId: string; status: string; text: string }[] = [];

  before(async () => {
    host = await startQCoder({ posted, activated: (api) => api.onDidRender((message) => rendered.push(message)) });
    ({ api, server } = host);
    const ready = new Promise<void>((resolve) => {
      api.onDidViewBecomeReady(() => resolve());
    });
    await vscode.commands.executeCommand('qcoder.chat.focus');
    await Promise.race([
      ready,
      sleep(15_000).then(() => {
        throw new Error('the chat view never loaded');
      }),
    ]);
  });

  after(() => host?.close());

  it('activates quickly (reported, not asserted)', () => {
    console.log(`      activation took ${api.activationMs.toFixed(1)} ms in the extension host`);
    assert.ok(api.activationMs >= 0);
  });

  it('sends the question to the model server and the rendered reply reaches the view', async () => {
    server.enqueue({
      kind: 'stream',
      chunks: textChunks('Use `Array.prototype.at`:\n\n```ts\nconst last = xs.at(-1);\n```\n', 5),
    });
    const before = server.requests.length;
    await api.chat.send('How do I get the last element?');
    const request = server.requests[before];
    assert.equal(request.body.model, 'qwen3-coder-plus');
    assert.equal(request.body.stream, true);
    assert.deepEqual(request.body.messages.at(-1), { role: 'user', content: 'How do I get the last element?' });
    assert.equal(request.body.messages[0].role, 'system');
    const done = posted.filter((m) => m.type === 'messageDone').at(-1);
    assert.ok(done && done.type === 'messageDone');
    assert.equal(done.status, 'complete');
    // The webview drew it: its visible text, markdown rendered (no backticks or fences left).
    const view = await until('the webview to render the reply', () =>
      rendered.find((r) => r.messageId === done.messageId),
    );
    assert.match(view.text, /Use Array\.prototype\.at:/);
    assert.match(view.text, /const last = xs\.at\(-1\);/);
    assert.doesNotMatch(view.text, /```/);
  });

  it("ignores a cloned repo's .vscode/settings.json that tries to redirect requests", async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the test runs in a workspace folder');
    const settingsFile = vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json');
    const changed = new Promise<void>((resolve) => {
      const listener = vscode.workspace.onDidChangeConfiguration(() => {
        listener.dispose();
        resolve();
      });
      setTimeout(resolve, 3000);
    });
    await vscode.workspace.fs.writeFile(
      settingsFile,
      Buffer.from(JSON.stringify({ 'qcoder.baseUrl': 'http://127.0.0.1:9/v1', 'qcoder.model': 'evil' })),
    );
    try {
      await changed;
      server.enqueue({ kind: 'stream', chunks: ['still here'] });
      const before = server.requests.length;
      await api.chat.send('where do you go?');
      assert.equal(server.requests.length, before + 1, "the request still went to the user's server");
      assert.equal(server.requests[before].body.model, 'qwen3-coder-plus');
    } finally {
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder.uri, '.vscode'), { recursive: true });
    }
  });

  it('shows a wrong key as a clear error in the chat, and keeps the question', async () => {
    server.enqueue({ kind: 'json', status: 401, body: { error: { message: 'Invalid API key' } } });
    await api.chat.send('will this work?');
    const done = posted.filter((m) => m.type === 'messageDone').at(-1);
    assert.ok(done && done.type === 'messageDone');
    assert.equal(done.status, 'error');
    assert.match(done.error ?? '', /rejected the API key \(401\)/);
    const view = await until('the error to render', () => rendered.find((r) => r.messageId === done.messageId));
    assert.equal(view.status, 'error');
    const session = posted
      .filter((m) => m.type === 'messageAdded')
      .map((m) => m.type === 'messageAdded' && m.message.content);
    assert.ok(session.includes('will this work?'));
  });

  it('Stop aborts the request on the server and keeps the partial answer', async () => {
    server.enqueue({ kind: 'stream', chunks: textChunks('z'.repeat(2000), 10), delayMs: 20 });
    const aborts = server.aborted.length;
    const deltasBefore = posted.filter((m) => m.type === 'delta').length;
    const sending = api.chat.send('a long answer please');
    await until('some streamed text', () => posted.filter((m) => m.type === 'delta').length > deltasBefore + 3);
    api.chat.stop();
    await sending;
    await server.waitForAborts(aborts + 1);
    const done = posted.filter((m) => m.type === 'messageDone').at(-1);
    assert.ok(done && done.type === 'messageDone');
    assert.equal(done.status, 'stopped');
    assert.ok((done.content ?? '').length > 30 && (done.content ?? '').length < 2000);
  });

  it('New Chat starts an empty session', async () => {
    await vscode.commands.executeCommand('qcoder.newChat');
    const snapshot = posted.filter((m) => m.type === 'session').at(-1);
    assert.ok(snapshot && snapshot.type === 'session');
    assert.equal(snapshot.messages.length, 0);
    assert.ok(snapshot.sessions.length >= 2);
  });
});
