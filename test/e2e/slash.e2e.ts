/**
 * End to end, slash commands as a person uses them: `/` at the start of the chat input
 * opens the command list (built-ins and the workspace's `.qcoder/commands`), typing narrows
 * it, Enter puts the command into the input, and sending expands the custom command into
 * the message the model server receives. Saves docs/slash-commands.png with the list open.
 *
 *   node --import tsx --test test/e2e/slash.e2e.ts
 *
 * QCODER_VSIX=path/to.vsix skips `npm run package`.
 */
import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
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

describe('QCoder slash commands in the workbench', { timeout: 120_000 }, () => {
  let model: ModelServer;
  let server: CodeServer;
  let browser: Browser;
  let page: Page;
  let chat: Frame;
  let workspaceParent: string;

  before(
    async () => {
      const vsix = packageExtension();
      model = await startModelServer();
      workspaceParent = mkdtempSync(path.join(tmpdir(), 'qcoder-e2e-slash-'));
      const workspace = path.join(workspaceParent, 'workspace');
      cpSync(path.join(repoRoot, 'sample-workspace'), workspace, { recursive: true });
      mkdirSync(path.join(workspace, '.qcoder', 'commands'), { recursive: true });
      cpSync(
        path.join(repoRoot, 'test', 'fixtures', 'instructions', 'review.md'),
        path.join(workspace, '.qcoder', 'commands', 'review.md'),
      );
      server = await startCodeServer({
        workspace,
        vsix: [vsix],
        settings: { 'qcoder.baseUrl': model.baseUrl },
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
    { timeout: 120_000 },
  );

  after(async () => {
    await browser?.close();
    await server?.stop();
    await model?.close();
    if (workspaceParent) rmSync(workspaceParent, { recursive: true, force: true });
  });

  const withScreenshot = (body: () => Promise<void>) => async (t: TestContext) => {
    try {
      await body();
    } catch (error) {
      mkdirSync(results, { recursive: true });
      await page
        ?.screenshot({ path: path.join(results, `failure-slash-${t.name.replace(/\W+/g, '-')}.png`) })
        .catch(() => undefined);
      throw error;
    }
  };

  test(
    '/ lists the commands, typing narrows, Enter picks, and the custom command expands as written',
    withScreenshot(async () => {
      const prompt = chat.locator('#prompt');
      const menu = chat.locator('#slash-menu');
      await prompt.click();
      await prompt.pressSequentially('/');
      await menu.locator('li', { hasText: '/review <path> [focus]' }).waitFor({ timeout: 10_000 });
      const labels = await menu.locator('li').allInnerTexts();
      for (const name of ['/new', '/compact', '/explain', '/tests', '/init', '/plan'])
        assert.ok(
          labels.some((label) => label.startsWith(name)),
          `${name} offered: ${labels.join(' | ')}`,
        );
      assert.match(labels.find((label) => label.startsWith('/review')) ?? '', /Review a file for bugs/);
      mkdirSync(path.join(repoRoot, 'docs'), { recursive: true });
      await page.mouse.move(800, 500);
      await page.screenshot({ path: path.join(repoRoot, 'docs', 'slash-commands.png') });

      await prompt.press('Escape');
      assert.ok(await menu.isHidden(), 'Escape closes the list');
      await prompt.pressSequentially('r');
      await menu.locator('li', { hasText: '/review' }).waitFor({ timeout: 5_000 });
      assert.equal(await menu.locator('li').count(), 1, 'typing narrows the list');
      await prompt.press('Enter');
      assert.equal(await prompt.inputValue(), '/review ');
      assert.ok(await menu.isHidden());

      model.enqueue({ kind: 'stream', chunks: textChunks('Looks fine.', 8), delayMs: 10 });
      await prompt.pressSequentially('src/cart.ts totals');
      await prompt.press('Enter');
      await chat.locator('.message.assistant[data-status="complete"]').last().waitFor({ timeout: 20_000 });
      assert.deepEqual(model.requests.at(-1)?.body.messages.at(-1), {
        role: 'user',
        content: 'Review src/cart.ts for bugs, focusing on totals.\nEverything you were given: src/cart.ts totals',
      });
    }),
  );
});
