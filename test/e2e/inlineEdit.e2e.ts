/**
 * End to end, as a person uses inline edit: the packaged .vsix in a real VS Code (code-server),
 * lines selected in the editor, Ctrl+I, an instruction typed into the quick input, the model's
 * rewrite (a local server, scripted) streaming into the editor as an inline diff with its
 * CodeLens, Tab to accept, Ctrl+S, and the file on disk exactly the rewrite. Also the light
 * bulb's "Edit with QCoder…" on a selection.
 *
 *   node --import tsx --test test/e2e/inlineEdit.e2e.ts
 *
 * Screenshots: docs/inline-edit.png (the pending diff), docs/inline-edit-code-action.png (the
 * code action menu); test-results/failure-inline-*.png when a test fails.
 */
import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
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

const results = path.join(repoRoot, 'test-results');
const docs = path.join(repoRoot, 'docs');

const rewrite = [
  '/** Sum of the line items in cents, with an optional percentage discount, rounded to the cent. */',
  'export function total(items: readonly LineItem[], discount?: Discount): number {',
  '  const subtotal = items.reduce((sum, item) => sum + item.unitPrice * item.quantity, 0);',
  '  if (!discount) return subtotal;',
  '  const rate = 1 - discount.percent / 100;',
  '  return Math.round(subtotal * rate);',
  '}',
];

describe('QCoder inline edit in the workbench', { timeout: 180_000 }, () => {
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
      workspaceParent = mkdtempSync(path.join(tmpdir(), 'qcoder-e2e-inline-'));
      workspace = path.join(workspaceParent, 'workspace');
      cpSync(path.join(repoRoot, 'sample-workspace'), workspace, { recursive: true });
      server = await startCodeServer({
        workspace,
        vsix: [vsix],
        // code-server saves after a delay by default; the test saves by hand after accepting.
        settings: { 'qcoder.baseUrl': model.baseUrl, 'workbench.startupEditor': 'none', 'files.autoSave': 'off' },
        env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: model.baseUrl, OPENAI_MODEL: undefined },
      });
      browser = await launchChromium();
      page = browser.page;
      await page.goto(workbenchUrl(server, workspace));
      await page.locator('.monaco-workbench').waitFor({ timeout: 30_000 });
      // Active once its status bar item (the model) shows; the light bulb needs the extension running.
      await page.locator('.statusbar-item', { hasText: 'qwen3-coder' }).first().waitFor({ timeout: 60_000 });
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
        ?.screenshot({ path: path.join(results, `failure-inline-${t.name.replace(/\W+/g, '-')}.png`) })
        .catch(() => undefined);
      throw error;
    }
  };

  /** Opens `relative` through Quick Open and selects lines `from`..`to` (1-based, whole lines). */
  async function openAndSelect(relative: string, from: number, to: number): Promise<void> {
    await quickOpen(page, relative);
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-line', { hasText: 'export function total' }).waitFor({ timeout: 15_000 });
    await page.keyboard.press('Control+G');
    await page.keyboard.type(String(from));
    await page.keyboard.press('Enter');
    await page.keyboard.press('Home');
    for (let line = from; line <= to; line++) await page.keyboard.press('Shift+ArrowDown');
  }

  const lens = (text: string) => page.locator('.codelens-decoration', { hasText: text }).first();

  test(
    'Ctrl+I streams the rewrite into the editor as an inline diff; Tab accepts; the file on disk is exact',
    withScreenshot(async () => {
      const file = path.join(workspace, 'src', 'cart.ts');
      const before = readFileSync(file, 'utf8');
      const lines = before.split('\n');
      // The model writes a line every 120 ms, and holds after the first two lines until the test has seen the stream
      // (the role event, then two lines): a loaded machine may draw the lens later than a short stream lasts.
      let release = () => undefined as void;
      const released = new Promise<void>((resolve) => (release = resolve));
      model.enqueue({
        kind: 'stream',
        chunks: rewrite.map((line) => `${line}\n`),
        delayMs: 120,
        holdAfter: 3,
        release: released,
      });
      try {
        await openAndSelect('src/cart.ts', 12, 18);
        await page.keyboard.press('Control+I');
        const input = page.locator('.quick-input-widget input[placeholder^="Describe the change"]');
        await input.waitFor({ timeout: 20_000 });
        await input.fill('round to the cent instead of truncating');
        await page.keyboard.press('Enter');

        // While it streams: the lens says so, and the new lines are in the editor above the old ones still to come.
        await lens('QCoder is writing').waitFor({ timeout: 15_000 });
        await page.locator('.view-line', { hasText: 'rounded to the cent' }).waitFor({ timeout: 10_000 });
      } finally {
        release();
      }
      // Two blocks (the doc comment, the body): Accept | Reject on each, and Accept All (Tab) at the top.
      await lens('Accept All (Tab)').waitFor({ timeout: 15_000 });
      const request = JSON.stringify(model.requests.at(-1)?.body);
      assert.match(request, /REWRITE START \(lines 12-18\)/);
      assert.match(request, /round to the cent instead of truncating/);
      // Both the old line (to be removed) and its replacement are shown.
      await page.locator('.view-line', { hasText: 'Math.floor(subtotal' }).waitFor();
      await page.locator('.view-line', { hasText: 'Math.round(subtotal * rate)' }).waitFor();
      assert.equal(readFileSync(file, 'utf8'), before, 'nothing is saved before the user accepts');
      await page.mouse.move(900, 600);
      await page.waitForTimeout(300);
      mkdirSync(docs, { recursive: true });
      await page.screenshot({ path: path.join(docs, 'inline-edit.png') });

      await page.keyboard.press('Tab');
      await lens('Accept All (Tab)').waitFor({ state: 'detached', timeout: 10_000 });
      await page.keyboard.press('Control+S');
      const expected = [...lines.slice(0, 11), ...rewrite, ...lines.slice(18)].join('\n');
      const deadline = Date.now() + 10_000;
      while (readFileSync(file, 'utf8') !== expected && Date.now() < deadline) await page.waitForTimeout(100);
      assert.equal(readFileSync(file, 'utf8'), expected);
    }),
  );

  test(
    'the light bulb offers Edit with QCoder… on a selection',
    withScreenshot(async () => {
      await openAndSelect('src/cart.ts', 20, 22);
      await page.keyboard.press('Control+.');
      const item = page.locator('.action-widget .monaco-list-row', { hasText: 'Edit with QCoder…' });
      await item.waitFor({ timeout: 15_000 });
      await page.mouse.move(900, 600);
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(docs, 'inline-edit-code-action.png') });
      await page.keyboard.press('Escape');
    }),
  );
});
