/**
 * `webview: N forms, 0 requests` — remote-resource forms in model output (markdown and
 * reference images, autolinks, raw HTML, SVG, CSS url(), data: SVG, srcset, obfuscated
 * javascript: links…) streamed through the local model server into the real chat webview
 * (the packaged .vsix in code-server, headless Chromium), then restored from history by a
 * window reload. The "remote" is a loopback server that counts hits; Chromium's network
 * log (every request of the page, its webview frames and service workers) must show none
 * to it, in either phase.
 *
 *   node --import tsx --test test/e2e/webview.e2e.ts
 */
import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Frame, Page, Request } from 'playwright-core';
import {
  launchChromium,
  repoRoot,
  startCodeServer,
  workbenchUrl,
  type Browser,
  type CodeServer,
} from '../support/codeServer';
import { startModelServer, textChunks, type ModelServer } from '../support/modelServer';
import { findFrame, packageExtension, waitForChatReady } from '../support/workbench';
import { answerWith, remoteForms } from './webviewForms';

const results = path.join(repoRoot, 'test-results');

/** A loopback "remote" that counts every request by path. */
async function startRemote(): Promise<{ url: string; port: number; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'image/png', 'access-control-allow-origin': '*' });
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('webview: remote-resource forms in model output make no request', { timeout: 150_000 }, () => {
  let model: ModelServer;
  let remote: Awaited<ReturnType<typeof startRemote>>;
  let server: CodeServer;
  let browser: Browser;
  let page: Page;
  let workspaceParent: string;
  let workspace: string;
  /** Every request Chromium made to the remote's port: page, webview frames, service workers. */
  const seen: string[] = [];

  const watch = (request: Request) => {
    try {
      if (new URL(request.url()).port === String(remote.port)) seen.push(request.url());
    } catch {
      // data:, blob: and the like have no port
    }
  };

  async function openChat(): Promise<Frame> {
    await page.locator('.monaco-workbench').waitFor({ timeout: 30_000 });
    const icon = page.locator('.activitybar a.action-label[aria-label^="QCoder"]');
    await icon.waitFor({ timeout: 20_000 });
    // After a reload the workbench reopens the chat by itself, and clicking its icon then would close
    // it; the restore can also land just after a check. So: open it if it is not open, look, and repeat.
    const checked = page.locator('.activitybar .action-item.checked a.action-label[aria-label^="QCoder"]');
    for (let attempt = 1; ; attempt++) {
      if (!(await checked.count())) await icon.click({ timeout: 20_000 });
      try {
        const chat = await findFrame(page, '#prompt', 15_000);
        await waitForChatReady(chat);
        return chat;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
  }

  /** Lets lazy loads, srcset choices and CSS fetches happen if they are going to. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 2_000));

  before(
    async () => {
      const vsix = packageExtension();
      model = await startModelServer();
      remote = await startRemote();
      workspaceParent = mkdtempSync(path.join(tmpdir(), 'qcoder-e2e-webview-'));
      workspace = path.join(workspaceParent, 'workspace');
      cpSync(path.join(repoRoot, 'sample-workspace'), workspace, { recursive: true });
      server = await startCodeServer({
        workspace,
        vsix: [vsix],
        settings: { 'qcoder.baseUrl': model.baseUrl },
        env: { OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined, OPENAI_MODEL: undefined },
      });
      browser = await launchChromium();
      page = browser.page;
      browser.context.on('request', watch);
    },
    { timeout: 120_000 },
  );

  after(async () => {
    await browser?.close();
    await server?.stop();
    await model?.close();
    await remote?.close();
    if (workspaceParent) rmSync(workspaceParent, { recursive: true, force: true });
  });

  test('live and after a history restore', { timeout: 150_000 }, async () => {
    try {
      await run();
    } catch (error) {
      console.log(
        `webview: failed with ${remote.hits.length} hits on the remote, network log: ${[...new Set(seen)].join(' ')}`,
      );
      mkdirSync(results, { recursive: true });
      await page?.screenshot({ path: path.join(results, 'failure-webview.png') }).catch(() => undefined);
      throw error;
    }
  });

  async function run(): Promise<void> {
    const forms = remoteForms(remote.url);
    assert.ok(forms.length >= 30, `only ${forms.length} forms`);

    // The detector works: a page of this browser asking the remote is both logged and counted.
    const probe = await browser.context.newPage();
    await probe.goto(`${remote.url}/control`);
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // and its /favicon.ico
    await probe.close();
    assert.ok(remote.hits.includes('/control'), 'the remote did not count the control request');
    assert.ok(seen.includes(`${remote.url}/control`), 'the network log did not see the control request');
    remote.hits.length = 0;
    seen.length = 0;

    await page.goto(workbenchUrl(server, workspace));
    let chat = await openChat();
    model.enqueue({ kind: 'stream', chunks: textChunks(answerWith(forms), 48), delayMs: 5 });
    await chat.locator('#prompt').fill('Show me every way to embed an image.');
    await chat.locator('#prompt').press('Enter');
    const done = chat.locator('.message.assistant[data-status="complete"]').last();
    await done.waitFor({ timeout: 60_000 });
    assert.match(await done.locator('.content').innerText(), /END-OF-FORMS/);
    await settle();
    const live = { hits: [...remote.hits], seen: [...seen] };
    assert.ok(model.requests.length >= 1, 'the answer came from the model server');

    await page.reload();
    chat = await openChat();
    const restored = chat.locator('.message.assistant', { hasText: 'END-OF-FORMS' });
    await restored.waitFor({ timeout: 20_000 });
    const text = await restored.locator('.content').innerText();
    for (let index = 1; index <= forms.length; index++) assert.match(text, new RegExp(`Form ${index} \\(`));
    await settle();
    const afterRestore = { hits: remote.hits.slice(live.hits.length), seen: seen.slice(live.seen.length) };

    const requests = new Set([...remote.hits, ...seen.map((url) => new URL(url).pathname)]).size;
    console.log(`webview: ${forms.length} forms, ${requests} requests`);
    assert.deepEqual(live, { hits: [], seen: [] }, 'requests while the answer streamed in');
    assert.deepEqual(afterRestore, { hits: [], seen: [] }, 'requests after the history was restored');
  }
});
