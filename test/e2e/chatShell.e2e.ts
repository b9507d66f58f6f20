/**
 * The chat's shell as a person meets it in the workbench: the history list (search by title and
 * by content, rename, delete and Undo), the keyboard alone, a 401 that offers Set API Key, the
 * three themes (screenshots to docs/) and an axe-core check of the chat frame in each.
 *
 *   node --import tsx --test test/e2e/chatShell.e2e.ts     (QCODER_VSIX=qcoder.vsix skips packaging)
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { repoRoot } from '../support/codeServer';
import { startWorkbench, type Workbench } from '../support/startWorkbench';

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

async function ask(chat: Frame, text: string): Promise<void> {
  const before = await chat.locator('.message.assistant').count();
  await chat.locator('#prompt').fill(text);
  await chat.locator('#prompt').press('Enter');
  await chat
    .locator('.message.assistant')
    .nth(before)
    .and(chat.locator(':not([data-status="streaming"])'))
    .waitFor({ timeout: 30_000 });
}

/** Preferences: Color Theme, as a person picks one (F1 with the editor part focused, then the theme's row). */
async function setTheme(page: Page, label: string): Promise<void> {
  await page.locator('.part.editor').click();
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.fill('>Preferences: Color Theme');
  await page.locator('.quick-input-list .monaco-list-row[aria-label*="Preferences: Color Theme"]').first().click();
  await input.fill(label);
  await page.locator(`.quick-input-list .monaco-list-row[aria-label*="${label}"]`).first().click();
}

describe('QCoder chat shell in the workbench', { timeout: 240_000 }, () => {
  let bench: Workbench;
  let chat: Frame;

  before(
    async () => {
      bench = await startWorkbench({ name: 'shell', viewport: { width: 1280, height: 860 } });
      chat = bench.chat;
    },
    { timeout: 120_000 },
  );
  after(async () => bench?.stop());

  const shot = (body: () => Promise<void>) => async (t: TestContext) => {
    try {
      await body();
    } catch (error) {
      await bench?.failureShot(t.name);
      throw error;
    }
  };

  test(
    'a chat is searched by its content, renamed, deleted and brought back from the history list',
    shot(async () => {
      bench.model.enqueue({ kind: 'stream', chunks: ['Each chat is one file ', 'under globalStorage.'] });
      await ask(chat, 'Where are the session files kept?');
      await bench.page.locator('a.action-label[aria-label^="New Chat"]').first().click();
      await chat.locator('.message').first().waitFor({ state: 'detached' });
      bench.model.enqueue({ kind: 'stream', chunks: ['Pack an umbrella.'] });
      await ask(chat, 'Weather plan for Tokyo');
      await chat
        .locator('#sessions option:checked', { hasText: 'Weather plan for Tokyo' })
        .waitFor({ state: 'attached' });

      await chat.locator('#history-toggle').click();
      const rows = chat.locator('#history .history-item');
      await assert.doesNotReject(rows.nth(1).waitFor());
      await chat.locator('#history .history-search').fill('globalstorage');
      await chat.waitForFunction(() => document.querySelectorAll('#history .history-item').length === 1);
      assert.equal(await rows.locator('.history-open').textContent(), 'Where are the session files kept?');

      await rows.locator('button[title="Rename"]').click();
      const input = bench.page.locator('.quick-input-widget input');
      await input.waitFor();
      await input.fill('Storage notes');
      await input.press('Enter');
      await chat.locator('#history .history-open', { hasText: 'Storage notes' }).waitFor();

      await chat.locator('#history .history-search').fill('');
      await rows.nth(1).waitFor();
      await rows.filter({ hasText: 'Storage notes' }).locator('button[title="Delete"]').click();
      await chat.waitForFunction(() => document.querySelectorAll('#history .history-item').length === 1);
      assert.equal(await chat.locator('#sessions option', { hasText: 'Storage notes' }).count(), 0);
      await chat.locator('.history-undo button', { hasText: 'Undo' }).click();
      await chat.locator('#history .history-open', { hasText: 'Storage notes' }).waitFor();
      await chat.locator('#sessions option', { hasText: 'Storage notes' }).waitFor({ state: 'attached' });
      await chat.locator('#history .history-search').press('Escape');
      assert.ok(await chat.locator('#history').isHidden());
    }),
  );

  test(
    'the keyboard alone finds a chat in the history, opens it and sends a message',
    shot(async () => {
      await chat.locator('#prompt').focus();
      const focused = () => chat.evaluate(() => document.activeElement?.id ?? '');
      for (let i = 0; i < 20 && (await focused()) !== 'history-toggle'; i++)
        await chat.page().keyboard.press('Shift+Tab');
      assert.equal(await focused(), 'history-toggle', 'Shift+Tab from the input reaches the history button');
      const tooltip = await chat.locator('#send').getAttribute('title');
      assert.match(tooltip ?? '', /Enter/, 'the Send button names its shortcut');
      await chat.page().keyboard.press('Enter');
      assert.equal(await chat.evaluate(() => document.activeElement?.className), 'history-search');
      await chat.page().keyboard.type('storage');
      await chat.waitForFunction(() => document.querySelectorAll('#history .history-item').length === 1);
      await chat.page().keyboard.press('Tab');
      await chat.page().keyboard.press('Enter');
      await chat.locator('#sessions option:checked', { hasText: 'Storage notes' }).waitFor({ state: 'attached' });
      await chat.locator('.message.assistant', { hasText: 'under globalStorage.' }).waitFor();
      assert.ok(await chat.locator('#history').isHidden());

      bench.model.enqueue({ kind: 'stream', chunks: ['Yes, ', 'one JSON file each.'] });
      await chat.locator('#prompt').focus();
      await chat.page().keyboard.type('Are they JSON?');
      await chat.page().keyboard.press('Enter');
      await chat.locator('.message.assistant[data-status="complete"]', { hasText: 'one JSON file each.' }).waitFor();
      assert.equal(
        (await chat.locator('#announcer').textContent())?.trim(),
        'Yes, one JSON file each.',
        'the live region reads the finished answer once',
      );
    }),
  );

  test(
    'a rejected key offers Set API Key, in words, with the server text behind Details',
    shot(async () => {
      bench.model.enqueue({ kind: 'json', status: 401, body: { error: { message: 'Incorrect API key provided' } } });
      await chat.locator('#prompt').fill('Hello?');
      await chat.locator('#prompt').press('Enter');
      const footer = chat.locator('.message.assistant[data-status="error"] .footer').last();
      await footer.waitFor({ timeout: 30_000 });
      assert.equal(await footer.locator('.error-text').textContent(), 'The model server did not accept the API key.');
      assert.equal(await footer.locator('button', { hasText: 'Set API Key' }).count(), 1);
      assert.equal(await footer.locator('button', { hasText: 'Retry' }).count(), 0);
      await footer.locator('summary', { hasText: 'Details' }).click();
      assert.match((await footer.locator('.error-details pre').textContent()) ?? '', /Incorrect API key provided/);
    }),
  );

  // The themes' labels in the picker (their ids are "Default Light Modern" and so on).
  for (const [theme, file] of [
    ['Light Modern', 'chat-light.png'],
    ['Dark Modern', 'chat-dark.png'],
    ['Dark High Contrast', 'chat-high-contrast.png'],
  ] as const) {
    test(
      `${theme}: a screenshot for docs/ and no serious or critical axe violation`,
      shot(async () => {
        await setTheme(bench.page, theme);
        const kind = theme.includes('High Contrast')
          ? 'vscode-high-contrast'
          : theme.includes('Light')
            ? 'vscode-light'
            : 'vscode-dark';
        await chat.waitForFunction((wanted) => document.body.classList.contains(wanted), kind, { timeout: 20_000 });
        await chat.locator('#history-toggle').click();
        await chat.locator('#history .history-item').first().waitFor();
        await bench.page.waitForTimeout(500);
        await bench.page.screenshot({ path: path.join(repoRoot, 'docs', file) });
        await chat.locator('#history-toggle').click();
        await chat.evaluate(axeSource);
        const violations = await chat.evaluate(async () => {
          const axe = (window as unknown as { axe: { run: (context: Document) => Promise<AxeResults> } }).axe;
          interface AxeResults {
            violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
          }
          const results = await axe.run(document);
          return results.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            nodes: v.nodes.map((node) => node.target.join(' ')),
          }));
        });
        console.log(`axe (${theme}): ${JSON.stringify(violations)}`);
        const severe = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        assert.deepEqual(severe, [], `serious or critical axe violations in ${theme}`);
      }),
    );
  }
});
