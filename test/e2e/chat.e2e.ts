/**
 * End to end, as a person sees it: the packaged .vsix installed into a real VS Code
 * (code-server), the workbench in headless Chromium, a question typed into the chat
 * view, and the answer streamed from a local OpenAI-compatible server.
 *
 *   node --import tsx --test test/e2e/chat.e2e.ts
 *
 * QCODER_VSIX=path/to.vsix skips `npm run package` and installs that file instead.
 * Screenshots go to test-results/ (chat.png, and failure-*.png when a test fails).
 */
import * as assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import type { Frame, Page } from 'playwright-core';
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

const results = path.join(repoRoot, 'test-results');

/** The text of every message in a chat request, whether content is a string or parts. */
function requestText(body: unknown): string {
  const messages = (body as { messages?: { content?: unknown }[] } | undefined)?.messages ?? [];
  return messages.map(({ content }) => (typeof content === 'string' ? content : JSON.stringify(content))).join('\n');
}

describe('QCoder chat in the workbench', { timeout: 90_000 }, () => {
  let model: ModelServer;
  let server: CodeServer;
  let browser: Browser;
  let page: Page;
  let chat: Frame;
  let workspaceParent: string;

  before(
    async () => {
      // Pictures of an earlier run's failures would mislead.
      const stale = existsSync(results) ? readdirSync(results).filter((name) => name.startsWith('failure-')) : [];
      for (const name of stale) rmSync(path.join(results, name), { force: true });
      const vsix = packageExtension();
      model = await startModelServer();
      workspaceParent = mkdtempSync(path.join(tmpdir(), 'qcoder-e2e-ws-'));
      const workspace = path.join(workspaceParent, 'workspace');
      cpSync(path.join(repoRoot, 'sample-workspace'), workspace, { recursive: true });
      server = await startCodeServer({
        workspace,
        vsix: [vsix],
        settings: { 'qcoder.baseUrl': model.baseUrl },
        // Only the test key: a developer's own endpoint or model must not leak into the run.
        // The key is bound to OPENAI_BASE_URL's endpoint: pair them, or QCoder would ask before sending it.
        env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: model.baseUrl, OPENAI_MODEL: undefined },
      });
      browser = await launchChromium();
      page = browser.page;
      await page.goto(workbenchUrl(server, workspace));
      await page.locator('.monaco-workbench').waitFor({ timeout: 30_000 });
      await page.locator('.activitybar a.action-label[aria-label^="QCoder"]').click({ timeout: 20_000 });
      chat = await findFrame(page, '#prompt');
      await waitForChatReady(chat);
    },
    { timeout: 90_000 },
  );

  after(async () => {
    await browser?.close();
    await server?.stop();
    await model?.close();
    if (workspaceParent) rmSync(workspaceParent, { recursive: true, force: true });
  });

  /** Runs a test body; on failure saves a screenshot of the workbench before rethrowing. */
  const withScreenshot = (body: () => Promise<void>) => async (t: TestContext) => {
    try {
      await body();
    } catch (error) {
      mkdirSync(results, { recursive: true });
      await page
        ?.screenshot({ path: path.join(results, `failure-${t.name.replace(/\W+/g, '-')}.png`) })
        .catch(() => undefined);
      throw error;
    }
  };

  test(
    'streams a markdown answer into the chat view',
    withScreenshot(async () => {
      const question = 'How do I add two numbers in TypeScript?';
      const answer =
        'Use a small function:\n\n```ts\nexport function add(a: number, b: number): number {\n  return a + ' +
        'b;\n}\n```\n\nCall it as `add(2, 3)`.';
      model.enqueue({ kind: 'stream', chunks: textChunks(answer, 12), delayMs: 20 });

      await chat.locator('#prompt').fill(question);
      await chat.locator('#prompt').press('Enter');
      await chat.locator('.message.user', { hasText: question }).waitFor({ timeout: 5_000 });

      const assistant = chat.locator('.message.assistant').last();
      await chat.locator('.message.assistant[data-status="complete"]').last().waitFor({ timeout: 15_000 });
      const content = assistant.locator('.content');
      assert.match(await content.innerText(), /Use a small function/);
      assert.match(await content.locator('pre code').first().innerText(), /return a \+ b;/);
      assert.match(await chat.locator('.message.user').last().innerText(), /add two numbers/);

      const chats = model.requests.filter((request) => request.path.endsWith('/chat/completions'));
      assert.ok(
        chats.some((request) => requestText(request.body).includes(question)),
        'the model server never saw the question',
      );

      mkdirSync(results, { recursive: true });
      await page.mouse.move(800, 500); // away from the activity bar, whose tooltip would cover the chat
      await page.screenshot({ path: path.join(results, 'chat.png') });
    }),
  );

  test(
    'Stop ends a slow stream and keeps the partial answer',
    withScreenshot(async () => {
      const first = 'Counting slowly:';
      const chunks = [first, ...Array.from({ length: 60 }, (_, i) => ` ${i + 1}`)];
      model.enqueue({ kind: 'stream', chunks, delayMs: 200 });
      const before = await chat.locator('.message.assistant').count();

      await chat.locator('#prompt').fill('Count to sixty, slowly.');
      await chat.locator('#prompt').press('Enter');

      const assistant = chat.locator('.message.assistant').nth(before);
      await assistant.locator('.content', { hasText: ' 3' }).waitFor({ timeout: 15_000 });
      assert.equal(await assistant.getAttribute('data-status'), 'streaming');
      await chat.locator('#stop').click();

      await model.waitForAborts(1, 5_000);
      await chat.locator('.message.assistant[data-status="stopped"]').nth(0).waitFor({ timeout: 5_000 });
      assert.equal(await assistant.getAttribute('data-status'), 'stopped');
      const partial = await assistant.locator('.content').innerText();
      assert.match(partial, /^Counting slowly: 1 2 3/);
      assert.doesNotMatch(partial, / 60\b/, 'the whole stream arrived: Stop did nothing');
      assert.ok(await chat.locator('#stop').isHidden(), '#stop still shown after stopping');
    }),
  );
});
