/**
 * The session drop-down as a person uses it: the `⋯` beside it renames a chat through the
 * workbench's input box, deletes it, and the notification's Undo brings it back.
 *
 *   node --import tsx --test test/e2e/sessions.e2e.ts     (QCODER_VSIX=qcoder.vsix skips packaging)
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
import { startModelServer, type ModelServer } from '../support/modelServer';
import { findFrame, packageExtension, waitForChatReady } from '../support/workbench';

const results = path.join(repoRoot, 'test-results');

describe('QCoder chat sessions in the workbench', { timeout: 90_000 }, () => {
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
      workspaceParent = mkdtempSync(path.join(tmpdir(), 'qcoder-e2e-sessions-'));
      const workspace = path.join(workspaceParent, 'workspace');
      cpSync(path.join(repoRoot, 'sample-workspace'), workspace, { recursive: true });
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
    { timeout: 90_000 },
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
        ?.screenshot({ path: path.join(results, `failure-${t.name.replace(/\W+/g, '-')}.png`) })
        .catch(() => undefined);
      throw error;
    }
  };

  test(
    'renames, deletes and undoes the delete of a chat from the drop-down',
    withScreenshot(async () => {
      model.enqueue({ kind: 'stream', chunks: ['Kept in a file.'] });
      await chat.locator('#prompt').fill('Where is this chat kept?');
      await chat.locator('#prompt').press('Enter');
      await chat.locator('.message.assistant[data-status="complete"]').last().waitFor({ timeout: 15_000 });

      await chat.locator('#session-actions').selectOption('rename');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ timeout: 10_000 });
      await input.fill('Storage notes');
      await input.press('Enter');
      await chat
        .locator('#sessions option:checked', { hasText: 'Storage notes' })
        .waitFor({ state: 'attached', timeout: 10_000 });
      assert.equal(await chat.locator('#session-actions').inputValue(), '', 'the actions menu went back to ⋯');

      await chat.locator('#session-actions').selectOption('delete');
      await chat
        .locator('#sessions option', { hasText: 'Storage notes' })
        .waitFor({ state: 'detached', timeout: 10_000 });
      assert.equal(await chat.locator('.message').count(), 0, 'an empty chat took its place');
      const toast = page.locator('.notification-toast', { hasText: 'deleted the chat "Storage notes"' });
      await toast.locator('a.monaco-button, .monaco-button', { hasText: 'Undo' }).click({ timeout: 10_000 });
      await chat
        .locator('#sessions option:checked', { hasText: 'Storage notes' })
        .waitFor({ state: 'attached', timeout: 10_000 });
      await chat.locator('.message.assistant', { hasText: 'Kept in a file.' }).waitFor({ timeout: 5_000 });
    }),
  );
});
