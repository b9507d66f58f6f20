/**
 * End to end, as a person reviews an edit: the packaged .vsix in a real VS Code (code-server),
 * the model (a local OpenAI-compatible server) calls edit_file, the review card appears in the
 * chat, the user clicks Accept all (or picks single hunks in the Refactor Preview), and the
 * file on disk is exactly the expected text.
 *
 *   node --import tsx --test test/e2e/review.e2e.ts
 *
 * QCODER_VSIX=path/to.vsix skips `npm run package`. Screenshots go to test-results/
 * (review.png, review-preview.png, and failure-review-*.png when a test fails).
 */
import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
import { toolCallEvents } from '../support/toolCallStream';
import { findFrame, packageExtension, waitForChatReady } from '../support/workbench';

const results = path.join(repoRoot, 'test-results');

describe('QCoder edit review in the workbench', { timeout: 120_000 }, () => {
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
      workspaceParent = mkdtempSync(path.join(tmpdir(), 'qcoder-e2e-review-'));
      workspace = path.join(workspaceParent, 'workspace');
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
        ?.screenshot({ path: path.join(results, `failure-review-${t.name.replace(/\W+/g, '-')}.png`) })
        .catch(() => undefined);
      throw error;
    }
  };

  async function ask(question: string): Promise<void> {
    await chat.locator('#prompt').fill(question);
    await chat.locator('#prompt').press('Enter');
    await chat.locator('.message.user', { hasText: question }).waitFor({ timeout: 5_000 });
  }

  test(
    'the model proposes an edit, the card shows it, Accept all writes exactly the proposed file',
    withScreenshot(async () => {
      const file = path.join(workspace, 'src', 'cart.ts');
      const before = readFileSync(file, 'utf8');
      const oldLine = '  return Math.floor(subtotal * (1 - discount.percent / 100));';
      const newLine = '  return Math.round(subtotal * (1 - discount.percent / 100));';
      model.enqueue(
        {
          kind: 'raw',
          events: toolCallEvents(
            [
              {
                name: 'edit_file',
                id: 'call_round',
                args: { path: 'src/cart.ts', edits: [{ old_text: oldLine, new_text: newLine }] },
              },
            ],
            'Rounding instead of truncating:',
          ),
        },
        { kind: 'stream', chunks: ['Done: `total` rounds to the nearest cent now.'] },
      );
      await ask('Fix the rounding bug in cart.ts');

      const card = chat.locator('.review-card[data-status="pending"]');
      await card.waitFor({ timeout: 15_000 });
      assert.match(await card.locator('.review-file').innerText(), /src\/cart\.ts[\s\S]*\+1[\s\S]*−1/);
      assert.equal(readFileSync(file, 'utf8'), before, 'written before the user accepted');
      mkdirSync(results, { recursive: true });
      await page.mouse.move(800, 500);
      await page.waitForTimeout(500); // let the activity bar's hover go
      await page.screenshot({ path: path.join(results, 'review-pending.png') });

      await card.locator('button[data-action="acceptAll"]').click();
      await chat.locator('.review-card[data-status="applied"]').waitFor({ timeout: 15_000 });
      await chat.locator('.message.assistant', { hasText: 'rounds to the nearest cent' }).waitFor({ timeout: 15_000 });
      assert.equal(readFileSync(file, 'utf8'), before.replace(oldLine, newLine));
      const told = model.requests.at(-1)?.body.messages.at(-1);
      assert.deepEqual([told?.role, told?.content], ['tool', 'Applied the change to src/cart.ts.']);
      assert.ok(await chat.locator('.review-card[data-status="applied"] button[data-action="undo"]').isVisible());
      await page.mouse.move(800, 500);
      await page.screenshot({ path: path.join(results, 'review.png') });
    }),
  );

  test(
    'Review… opens the Refactor Preview; ticking one of two hunks there applies just that one',
    withScreenshot(async () => {
      const file = path.join(workspace, 'src', 'notes.txt');
      const original = Array.from({ length: 20 }, (_, i) => `note ${i + 1}`).join('\n') + '\n';
      writeFileSync(file, original);
      model.enqueue(
        {
          kind: 'raw',
          events: toolCallEvents([
            {
              name: 'edit_file',
              args: {
                path: 'src/notes.txt',
                edits: [
                  { old_text: 'note 2\n', new_text: 'NOTE TWO\n' },
                  { old_text: 'note 18\n', new_text: 'NOTE EIGHTEEN\n' },
                ],
              },
            },
          ]),
        },
        { kind: 'stream', chunks: ['Updated the notes.'] },
      );
      await ask('Shout notes 2 and 18');
      const card = chat.locator('.review-card[data-status="pending"]');
      await card.waitFor({ timeout: 15_000 });
      await card.locator('button[data-action="review"]').click();

      // The preview lists the file and its two edits, unticked (they need confirmation). Tick the first edit.
      const pane = page.locator('.bulk-edit-panel');
      await pane.waitFor({ timeout: 15_000 });
      const edits = pane.locator('.monaco-list-row[aria-level="2"]');
      await edits.first().waitFor({ timeout: 10_000 });
      assert.equal(await edits.count(), 2);
      await edits.first().locator('.edit-checkbox').click();
      await page.mouse.move(800, 500);
      await page.screenshot({ path: path.join(results, 'review-preview.png') });
      await pane.locator('.monaco-button', { hasText: 'Apply' }).click();

      await chat.locator('.review-card[data-status="partial"]').waitFor({ timeout: 15_000 });
      await chat.locator('.message.assistant', { hasText: 'Updated the notes.' }).waitFor({ timeout: 15_000 });
      assert.equal(readFileSync(file, 'utf8'), original.replace('note 2\n', 'NOTE TWO\n'));
      const told = model.requests.at(-1)?.body.messages.at(-1);
      assert.match(told?.content ?? '', /^Applied 1 of 2 hunks to src\/notes\.txt; rejected hunk 2 \(line 18\)\./);
    }),
  );
});
