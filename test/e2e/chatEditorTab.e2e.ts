/**
 * Chat in an editor tab beside the sidebar, as a person uses it: "QCoder: Open Chat in Editor"
 * from the palette, a question typed in the tab and another in the sidebar while the first
 * still streams, each answer drawn in its own webview only; after a window reload the tab
 * comes back on its own session (only with QCODER_E2E_RELOAD=1: a known defect, see the test).
 *
 *   node --import tsx --test test/e2e/chatEditorTab.e2e.ts     (QCODER_VSIX=qcoder.vsix skips packaging)
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { textChunks } from '../support/modelServer';
import { startWorkbench, type Workbench } from '../support/startWorkbench';
import { findFrame, waitForChatReady } from '../support/workbench';

const TAB = 'body[data-surface="panel"] #prompt';

async function type(chat: Frame, text: string): Promise<void> {
  await chat.locator('#prompt').fill(text);
  await chat.locator('#prompt').press('Enter');
}

const answer = (chat: Frame, text: string) =>
  chat.locator('.message.assistant[data-status="complete"]', { hasText: text }).waitFor({ timeout: 60_000 });

async function openChatInEditor(page: Page): Promise<Frame> {
  await page.locator('.part.editor').click();
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').fill('>QCoder: Open Chat in Editor');
  await page.locator('.quick-input-list .monaco-list-row[aria-label*="QCoder: Open Chat in Editor"]').first().click();
  const tab = await findFrame(page, TAB);
  await waitForChatReady(tab);
  return tab;
}

describe('QCoder chat in an editor tab', { timeout: 240_000 }, () => {
  let bench: Workbench;
  before(async () => (bench = await startWorkbench({ name: 'tab' })), { timeout: 120_000 });
  after(async () => bench?.stop());

  test('a tab and the sidebar answer two questions at once, each in its own webview', async (t) => {
    try {
      const { page, model, chat: sidebar } = bench;
      const tab = await openChatInEditor(page);
      // Each request is answered by what it asked; the tab's slowly, so the sidebar's is asked while it streams.
      model.gate((body: { messages: { content: string }[] }) => {
        const asked = String(body.messages.at(-1)?.content ?? '');
        const slow = asked.includes('tab');
        return { kind: 'stream', chunks: textChunks(`Answer to ${asked}.`, slow ? 2 : 8), delayMs: slow ? 60 : 5 };
      });
      await type(tab, 'question in the tab');
      await tab.locator('.message.assistant[data-status="streaming"]').waitFor({ timeout: 30_000 });
      await type(sidebar, 'question in the sidebar');
      await answer(sidebar, 'Answer to question in the sidebar.');
      await answer(tab, 'Answer to question in the tab.');
      model.gate(undefined);
      assert.equal(
        await tab.locator('.message', { hasText: 'sidebar' }).count(),
        0,
        'nothing of the sidebar in the tab',
      );
      assert.equal(
        await sidebar.locator('.message', { hasText: 'in the tab' }).count(),
        0,
        'nothing of the tab in the sidebar',
      );
      const asked = model.requests.map((request) => request.body.messages.at(-1).content).sort();
      assert.deepEqual(asked, ['question in the sidebar', 'question in the tab']);
    } catch (error) {
      await bench.failureShot(t.name);
      throw error;
    }
  });

  // A known defect (README): now and then the restored tab stays blank in code-server (3 of 40 runs here), so CI
  // does not run this; QCODER_E2E_RELOAD=1 does, after the test above.
  const reload = process.env.QCODER_E2E_RELOAD
    ? {}
    : { skip: 'known defect: the restored tab is sometimes blank; QCODER_E2E_RELOAD=1 runs it' };
  test('after a window reload the tab comes back on its own session', reload, async (t) => {
    try {
      const { page } = bench;
      // The workbench's own reload: it shuts down in order, so the tab's state is stored (a browser reload can
      // come before the workbench has written it).
      await page.locator('.part.statusbar').click({ position: { x: 5, y: 5 } });
      await page.keyboard.press('F1');
      await page.locator('.quick-input-widget input').fill('>Developer: Reload Window');
      await Promise.all([
        page.waitForEvent('load', { timeout: 30_000 }),
        page.locator('.quick-input-list .monaco-list-row[aria-label*="Developer: Reload Window"]').first().click(),
      ]);
      const reloaded = Date.now();
      await page.locator('.monaco-workbench').waitFor({ timeout: 30_000 });
      const restored = await findFrame(page, TAB, 30_000);
      await waitForChatReady(restored);
      console.log(`      the tab was back and ready ${Date.now() - reloaded} ms after the reload`);
      await answer(restored, 'Answer to question in the tab.');
      assert.equal(
        await restored.locator('.message', { hasText: 'sidebar' }).count(),
        0,
        'the tab kept its own session',
      );
    } catch (error) {
      await bench.failureShot(t.name);
      throw error;
    }
  });
});
