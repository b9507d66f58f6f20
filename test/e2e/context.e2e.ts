/**
 * End to end, the context a person sees and controls: `@fi` in the chat input offers
 * `@file:`, the paths come from the workspace index, the picked file goes to the model,
 * and the meter and the ledger panel show it with its tokens.
 *
 *   node --import tsx --test test/e2e/context.e2e.ts
 *
 * QCODER_VSIX=path/to.vsix skips `npm run package`. Screenshot: test-results/context.png.
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

describe('QCoder context in the workbench', { timeout: 120_000 }, () => {
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
      workspaceParent = mkdtempSync(path.join(tmpdir(), 'qcoder-e2e-context-'));
      const workspace = path.join(workspaceParent, 'workspace');
      cpSync(path.join(repoRoot, 'sample-workspace'), workspace, { recursive: true });
      server = await startCodeServer({
        workspace,
        vsix: [vsix],
        settings: { 'qcoder.baseUrl': model.baseUrl },
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
        ?.screenshot({ path: path.join(results, `failure-context-${t.name.replace(/\W+/g, '-')}.png`) })
        .catch(() => undefined);
      throw error;
    }
  };

  test(
    '@file completion, the file in the request, the meter and the ledger',
    withScreenshot(async () => {
      const prompt = chat.locator('#prompt');
      const menu = chat.locator('#mention-menu');
      await prompt.click();
      await prompt.pressSequentially('Explain @fi');
      await menu.locator('li', { hasText: '@file:' }).waitFor({ timeout: 5_000 });
      await prompt.press('Escape');
      assert.ok(await menu.isHidden(), 'Escape closes the menu');
      await prompt.pressSequentially('l');
      await menu.locator('li', { hasText: '@file:' }).waitFor({ timeout: 5_000 });
      await prompt.press('Enter'); // picks @file: and goes on to paths
      await prompt.pressSequentially('cart');
      const item = menu.locator('li', { hasText: /^src\/cart\.ts$/ });
      await item.waitFor({ timeout: 10_000 });
      // Arrow down to the file, then Enter picks it (and does not send). The list can still grow as the answers
      // come in, so each step reads which row is selected now rather than counting from a list read once.
      const selected = menu.locator('li[aria-selected="true"]');
      for (let i = 0; i < 20 && (await selected.innerText()) !== 'src/cart.ts'; i++) await prompt.press('ArrowDown');
      assert.equal(await selected.innerText(), 'src/cart.ts');
      await prompt.press('Enter');
      assert.equal(await prompt.inputValue(), 'Explain @file:src/cart.ts ');
      assert.ok(await menu.isHidden());

      model.enqueue({ kind: 'stream', chunks: textChunks('`Cart` keeps items and totals them.', 8), delayMs: 10 });
      await prompt.press('Enter');
      await chat.locator('.message.assistant[data-status="complete"]').last().waitFor({ timeout: 20_000 });
      const sent = JSON.stringify(model.requests.at(-1)?.body.messages);
      assert.match(
        sent,
        /<file path=\\"src\/cart\.ts\\"[^>]*>\\nexport interface LineItem/,
        'the file reached the model server',
      );

      const meter = chat.locator('#meter');
      await chat.waitForFunction(
        () => /^\d[\d.]*K? \/ 262K$/.test(document.getElementById('meter')?.textContent ?? ''),
        undefined,
        { timeout: 10_000 },
      );
      await meter.click();
      const row = chat.locator('#ledger li[data-key="file:src/cart.ts"]');
      await row.waitFor({ timeout: 5_000 });
      assert.match(await row.innerText(), /pinned[\s\S]*src\/cart\.ts[\s\S]*@-mentioned/);
      assert.ok(Number((await row.locator('.ledger-tokens').innerText()).replace(/,/g, '')) > 0);
      assert.ok((await chat.locator('#ledger li[data-key="system"]').count()) === 1);
      // The model server runs on this machine: the request costs nothing, and the ledger says so.
      assert.match(await chat.locator('#ledger .ledger-cost').innerText(), /free: the server runs on this machine/);
      const fill = chat.locator('#ledger .ledger-fill button');
      assert.equal(await fill.innerText(), 'Fill the window for the next message');
      await fill.click();
      await chat
        .locator('#ledger .ledger-fill', { hasText: 'The next message lets retrieval fill the window.' })
        .waitFor({
          timeout: 5_000,
        });
      await fill.click();
      await chat.locator('#ledger .ledger-fill', { hasText: 'keep to their budget' }).waitFor({ timeout: 5_000 });

      mkdirSync(results, { recursive: true });
      await page.mouse.move(800, 500);
      await page.screenshot({ path: path.join(results, 'context.png') });
    }),
  );
});
