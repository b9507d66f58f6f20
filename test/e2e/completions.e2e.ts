/**
 * End to end, as a person meets inline completions: the packaged .vsix in a real VS Code
 * (code-server) with a local server, so completions are on by default; a function header typed
 * into src/cart.ts, the model's line shown as ghost text at the cursor, Tab to accept, Ctrl+S,
 * and the file on disk with the line in it.
 *
 *   node --import tsx --test test/e2e/completions.e2e.ts
 *
 * Screenshot: docs/inline-completions.png (the ghost text); test-results/failure-completions-*.png on failure.
 */
import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  launchChromium,
  repoRoot,
  startCodeServer,
  workbenchUrl,
  type Browser,
  type CodeServer,
} from '../support/codeServer';
import { startModelServer, type ModelServer } from '../support/modelServer';
import { packageExtension, quickOpen } from '../support/workbench';

const docs = path.join(repoRoot, 'docs');
const results = path.join(repoRoot, 'test-results');
const LINE = 'return items.reduce((count, item) => count + item.quantity, 0);';

describe('QCoder inline completions in the workbench', { timeout: 180_000 }, () => {
  let model: ModelServer;
  let server: CodeServer;
  let browser: Browser;
  let page: Page;
  let workspaceParent: string;
  let workspace: string;

  before(
    async () => {
      const vsix = packageExtension();
      model = await startModelServer();
      workspaceParent = mkdtempSync(path.join(tmpdir(), 'qcoder-e2e-fim-'));
      workspace = path.join(workspaceParent, 'workspace');
      cpSync(path.join(repoRoot, 'sample-workspace'), workspace, { recursive: true });
      server = await startCodeServer({
        workspace,
        vsix: [vsix],
        settings: {
          'qcoder.baseUrl': model.baseUrl,
          'qcoder.completions.model': 'qwen2.5-coder:1.5b',
          'workbench.startupEditor': 'none',
          'files.autoSave': 'off',
        },
        env: { OPENAI_API_KEY: undefined, OPENAI_BASE_URL: model.baseUrl, OPENAI_MODEL: undefined },
      });
      browser = await launchChromium();
      page = browser.page;
      await page.goto(workbenchUrl(server, workspace));
      await page.locator('.monaco-workbench').waitFor({ timeout: 30_000 });
      await page.locator('.statusbar-item', { hasText: 'Completions' }).first().waitFor({ timeout: 60_000 });
    },
    { timeout: 180_000 },
  );

  after(async () => {
    await browser?.close();
    await server?.stop();
    await model?.close();
    if (workspaceParent) rmSync(workspaceParent, { recursive: true, force: true });
  });

  test('ghost text appears at the cursor; Tab accepts it; the file on disk has it', async () => {
    try {
      const file = path.join(workspace, 'src', 'cart.ts');
      const original = readFileSync(file, 'utf8');
      // Whatever the editor asks while the header is typed, the model proposes the body's line.
      model.completions.setDefault({ text: LINE });
      await quickOpen(page, 'src/cart.ts');
      const editor = page.locator('.editor-instance .monaco-editor').first();
      await editor.locator('.view-line', { hasText: 'export function formatCents' }).waitFor({ timeout: 15_000 });
      await page.keyboard.press('Control+End');
      await page.keyboard.press('Enter');
      await page.keyboard.type('export function itemCount(items: readonly LineItem[]): number {', { delay: 20 });
      await page.keyboard.press('Enter');
      // Ghost text is drawn inside the line, a span per token, each with a ghost-text class.
      const ghost = editor
        .locator('.view-line', { has: page.locator('[class*="ghost-text"]'), hasText: 'items.reduce' })
        .first();
      await ghost.waitFor({ timeout: 20_000 });
      const request = model.completions.requests.at(-1)?.body as { model: string; prompt: string };
      assert.equal(request.model, 'qwen2.5-coder:1.5b');
      assert.match(
        request.prompt,
        // eslint-disable-next-line max-len -- the expected text, as one regex literal
        /<\|fim_prefix\|>[\s\S]*export function itemCount\(items: readonly LineItem\[\]\): number \{\n {2}<\|fim_suffix\|>/,
      );
      await page.mouse.move(900, 600);
      await page.waitForTimeout(300);
      mkdirSync(docs, { recursive: true });
      await page.screenshot({ path: path.join(docs, 'inline-completions.png') });

      model.completions.setDefault({ text: '' });
      // Partial accept is VS Code's own: Ctrl+Right takes the next word of the ghost text.
      await page.keyboard.press('Control+ArrowRight');
      await page.keyboard.press('Control+S');
      const header = 'export function itemCount(items: readonly LineItem[]): number {';
      const partial = new RegExp(`${header.replace(/[()[\]{}]/g, '\\$&')}\n {2}return ?\n}$`);
      const until = Date.now() + 10_000;
      while (!partial.test(readFileSync(file, 'utf8')) && Date.now() < until) await page.waitForTimeout(100);
      assert.match(readFileSync(file, 'utf8'), partial);
      await page.keyboard.press('Tab');
      await editor.locator('.view-line', { hasText: LINE }).waitFor({ timeout: 10_000 });
      await page.keyboard.press('Control+S');
      // Enter on the empty last line, then the header: VS Code closes the brace, Enter opens the body.
      const expected = `${original}\nexport function itemCount(items: readonly LineItem[]): number {\n  ${LINE}\n}`;
      const deadline = Date.now() + 10_000;
      while (readFileSync(file, 'utf8') !== expected && Date.now() < deadline) await page.waitForTimeout(100);
      assert.equal(readFileSync(file, 'utf8'), expected);
    } catch (error) {
      mkdirSync(results, { recursive: true });
      await page?.screenshot({ path: path.join(results, 'failure-completions.png') }).catch(() => undefined);
      throw error;
    }
  });
});
