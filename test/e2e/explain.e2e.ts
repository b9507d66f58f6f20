/**
 * End to end, Explain This File as a person meets it: right-click a file in the explorer,
 * pick "Explain This File", the chat streams the answer, and a `path:line` reference in
 * the answer opens the editor at that line.
 *
 *   node --import tsx --test test/e2e/explain.e2e.ts
 *
 * QCODER_VSIX=path/to.vsix skips `npm run package`. Screenshot: docs/explain-file.png.
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
import { findFrame, packageExtension, waitForChatReady } from '../support/workbench';

const results = path.join(repoRoot, 'test-results');
const docs = path.join(repoRoot, 'docs');

const ANSWER = [
  '**Purpose**: `cart.ts` totals a shopping cart in cents.',
  '',
  '**Main parts**: `total` at `src/cart.ts:13-18` sums the line items and applies a discount;',
  '`formatCents` formats the result.',
  '',
  '**Pitfalls**: the discount truncates fractions of a cent instead of rounding them.',
].join('\n');

describe('Explain This File in the workbench', { timeout: 150_000 }, () => {
  let model: ModelServer;
  let server: CodeServer;
  let browser: Browser;
  let page: Page;
  let workspaceParent: string;

  before(
    async () => {
      const vsix = packageExtension();
      model = await startModelServer();
      workspaceParent = mkdtempSync(path.join(tmpdir(), 'qcoder-e2e-explain-'));
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
        ?.screenshot({ path: path.join(results, `failure-explain-${t.name.replace(/\W+/g, '-')}.png`) })
        .catch(() => undefined);
      throw error;
    }
  };

  /** The explorer row of a workspace-relative path, expanding its folders on the way. */
  async function explorerRow(relative: string) {
    const parts = relative.split('/');
    for (const folder of parts.slice(0, -1)) {
      const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: new RegExp(`^${folder}$`) });
      await row.waitFor({ timeout: 20_000 });
      if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
    }
    const file = page.locator('.explorer-folders-view .monaco-list-row', {
      hasText: new RegExp(`^${parts.at(-1)!.replace('.', '\\.')}$`),
    });
    await file.waitFor({ timeout: 10_000 });
    return file;
  }

  test(
    'explorer menu → streamed explanation → a line reference opens the editor at that line',
    withScreenshot(async () => {
      model.enqueue({ kind: 'stream', chunks: textChunks(ANSWER, 12), delayMs: 15 });
      await page.keyboard.press('Control+Shift+E');
      const row = await explorerRow('src/cart.ts');
      await row.click({ button: 'right' });
      const item = page.locator('.context-view .action-label', { hasText: /^Explain This File$/ });
      await item.waitFor({ timeout: 10_000 });
      // The workbench's menu acts on its own key and mouse-up handling: hover the item, then Enter.
      await item.hover();
      await page.keyboard.press('Enter');

      const chat: Frame = await findFrame(page, '#prompt');
      await waitForChatReady(chat);
      const answer = chat.locator('.message.assistant[data-status="complete"]').last();
      await answer.waitFor({ timeout: 30_000 });
      assert.match(await answer.innerText(), /truncates fractions of a cent/, 'the streamed answer is shown in full');

      const request = JSON.stringify(model.requests.at(-1)?.body.messages);
      assert.match(request, /Explain this file: `src\/cart\.ts`/, 'the request names the file');
      assert.match(request, /export function formatCents/, 'the file itself reached the model server');

      const link = answer.locator('a[data-href="src/cart.ts#L13-L18"]');
      assert.equal(await link.count(), 1, 'the reference is a link');

      await link.click();
      const tab = page.locator('.tabs-container .tab.active', { hasText: 'cart.ts' });
      await tab.waitFor({ timeout: 10_000 });
      // The editor selects the referenced lines 13-18: the status bar counts what the fixture says they hold.
      const lines = readFileSync(path.join(repoRoot, 'sample-workspace/src/cart.ts'), 'utf8').split('\n');
      const selected = lines.slice(12, 18).reduce((sum, line) => sum + line.length + 1, 0);
      await page
        .locator('.statusbar-item', { hasText: new RegExp(`^Ln (18|19), Col \\d+ \\(${selected} selected\\)`) })
        .first()
        .waitFor({ timeout: 10_000 });
      const firstSelected = await page.locator('.monaco-editor .view-overlays .selected-text').first().boundingBox();
      const line13 = await page.locator('.monaco-editor .line-numbers', { hasText: /^13$/ }).boundingBox();
      assert.ok(firstSelected && line13, 'the selection and line 13 are on screen');
      assert.ok(Math.abs(firstSelected.y - line13.y) < 4, 'the selection starts at line 13');
      mkdirSync(docs, { recursive: true });
      await page.mouse.move(900, 500);
      await page.screenshot({ path: path.join(docs, 'explain-file.png') });
    }),
  );
});
