/**
 * End to end, as a person generates tests: the packaged .vsix in a real VS Code (code-server)
 * on a copy of the vitest fixture project; the cursor on `multiply`, the light bulb, "Generate
 * Tests for `multiply`", the model (a local OpenAI-compatible server) answers, the review card
 * shows the test file, Accept all, and the file on disk is exactly the expected text.
 *
 *   node --import tsx --test test/e2e/generateTests.e2e.ts
 *
 * Screenshots: docs/generate-tests-code-action.png (the code action menu) and
 * docs/generate-tests-review.png (the review card); failure-generate-tests-*.png in test-results/.
 */
import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
import { findFrame, packageExtension, quickOpen, waitForChatReady } from '../support/workbench';

const results = path.join(repoRoot, 'test-results');
const docs = path.join(repoRoot, 'docs');
const fixture = path.join(repoRoot, 'test', 'fixtures', 'gentests', 'vitest');

describe('Generate Tests in the workbench', { timeout: 180_000 }, () => {
  let model: ModelServer;
  let server: CodeServer;
  let browser: Browser;
  let page: Page;
  let chat: Frame;
  let workspaceParent: string;
  let workspace: string;

  before(
    async () => {
      const vsix = packageExtension();
      model = await startModelServer();
      workspaceParent = mkdtempSync(path.join(tmpdir(), 'qcoder-e2e-gentests-'));
      workspace = path.join(workspaceParent, 'workspace');
      cpSync(path.join(fixture, 'project'), workspace, { recursive: true });
      server = await startCodeServer({
        workspace,
        vsix: [vsix],
        settings: { 'qcoder.baseUrl': model.baseUrl, 'qcoder.tests.runAfterAccept': false },
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
    { timeout: 180_000 },
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
        ?.screenshot({ path: path.join(results, `failure-generate-tests-${t.name.replace(/\W+/g, '-')}.png`) })
        .catch(() => undefined);
      throw error;
    }
  };

  /** Opens `relative` with Quick Open and puts the cursor on `line` (1-based). */
  async function openAt(relative: string, line: number): Promise<void> {
    await quickOpen(page, relative);
    const input = page.locator('.quick-input-widget input');
    await page.locator(`.monaco-editor[data-uri$="${relative}"]`).waitFor({ timeout: 10_000 });
    // Quick Open's `:line` (the browser keeps Ctrl+G for itself).
    await page.keyboard.press('Control+P');
    await input.fill(`:${line}`);
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 5_000 });
  }

  /** Clicks the light bulb; when it hides behind the cursor's timing, Ctrl+. opens the same menu. */
  async function openCodeActions(): Promise<void> {
    const bulb = page.locator('.lightBulbWidget');
    const shown = await bulb.waitFor({ state: 'visible', timeout: 15_000 }).then(
      () => true,
      () => false,
    );
    if (shown) await bulb.click();
    else await page.keyboard.press('Control+.');
    await page.locator('.action-widget').waitFor({ timeout: 10_000 });
  }

  test(
    'light bulb → Generate Tests → review card → Accept all writes exactly the expected test file',
    withScreenshot(async () => {
      const testFile = path.join(workspace, 'src', 'math.test.ts');
      const before = readFileSync(testFile, 'utf8');
      model.enqueue({ kind: 'stream', chunks: textChunks(readFileSync(path.join(fixture, 'answer.md'), 'utf8'), 24) });
      await openAt('src/math.ts', 6);
      await openCodeActions();
      const item = page.locator('.action-widget [role="option"]', { hasText: 'Generate Tests for' }).first();
      await item.waitFor({ state: 'attached', timeout: 10_000 });
      assert.equal(await item.getAttribute('aria-label'), 'Generate Tests for `multiply`');
      // The list's rows do not count as "stable" for a pointer click: focus ours with the keys, as a person may.
      const focused = page.locator('.action-widget [role="option"].focused');
      for (let presses = 0; presses < 10 && !/Generate Tests for/.test((await focused.textContent()) ?? ''); presses++)
        await page.keyboard.press('ArrowDown');
      assert.match((await focused.textContent()) ?? '', /Generate Tests for `multiply`/);
      mkdirSync(docs, { recursive: true });
      await page.screenshot({ path: path.join(docs, 'generate-tests-code-action.png') });
      await page.keyboard.press('Enter');

      const card = chat.locator('.review-card[data-status="pending"]');
      await card.waitFor({ timeout: 30_000 });
      assert.match(await card.locator('.review-file').innerText(), /src\/math\.test\.ts/);
      assert.equal(readFileSync(testFile, 'utf8'), before, 'written before the user accepted');
      const sent = JSON.stringify(model.requests.at(-1)?.body);
      assert.match(sent, /Write Vitest tests for the function `multiply` in `src\/math\.ts`/);
      assert.match(sent, /style example: src\/math\.test\.ts/);
      await page.mouse.move(800, 500);
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(docs, 'generate-tests-review.png') });

      await card.locator('button[data-action="acceptAll"]').click();
      await chat.locator('.review-card[data-status="applied"]').waitFor({ timeout: 15_000 });
      assert.equal(
        readFileSync(testFile, 'utf8'),
        readFileSync(path.join(fixture, 'expected', 'math.test.ts'), 'utf8'),
      );
      await chat.locator('.message.assistant', { hasText: 'Tests added to' }).waitFor({ timeout: 10_000 });
    }),
  );
});
