/**
 * The @-mention menu in the chat webview, in headless Chromium (the page of test/support/webviewPage.ts, fed the
 * host's own messages): an answer for the query that arrives after the user moved the selection keeps the
 * selection on the same path, so Enter picks the row the user chose, not whatever the new answer put there.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { openWebviewPage } from '../support/webviewPage';

const work = mkdtempSync(path.join(tmpdir(), 'qcoder-mention-menu-'));
let browser: Browser;
let page: Page;

before(async () => {
  ({ browser, page } = await openWebviewPage(work));
});

after(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

type Query = { type: string; requestId: number; prefix: string };

/** The page's last mentionQuery. */
async function lastQuery(): Promise<Query> {
  const queries = await page.evaluate(() =>
    ((window as { posted?: { type: string }[] }).posted ?? []).filter((message) => message.type === 'mentionQuery'),
  );
  return queries.at(-1) as Query;
}

/** Answers a query as the host does. */
async function answer(requestId: number, items: string[]): Promise<void> {
  await page.evaluate((data) => window.dispatchEvent(new MessageEvent('message', { data })), {
    type: 'mentionResults',
    requestId,
    items,
  });
}

const selected = () => page.locator('#mention-menu li[aria-selected="true"]').innerText();

test('an answer that comes after the user moved the selection keeps it on the same path', async () => {
  const prompt = page.locator('#prompt');
  await prompt.click();
  await prompt.pressSequentially('Explain @file:car');
  const first = await lastQuery();
  assert.equal(first.prefix, 'car');
  await answer(first.requestId, ['src/car.ts', 'src/cart.ts', 'src/cart.test.ts']);
  assert.equal(await selected(), 'src/car.ts', 'a fresh answer selects its first row');

  // One more letter, and the user moves to src/cart.ts before the host has answered it.
  await prompt.press('t');
  const second = await lastQuery();
  assert.equal(second.prefix, 'cart');
  await prompt.press('ArrowDown');
  assert.equal(await selected(), 'src/cart.ts');
  await answer(second.requestId, ['src/cart.test.ts', 'src/cart.ts']);
  assert.deepEqual(await page.locator('#mention-menu li').allInnerTexts(), ['src/cart.test.ts', 'src/cart.ts']);
  assert.equal(await selected(), 'src/cart.ts', 'the selection stayed on the path the user chose');
  await prompt.press('Enter');
  assert.equal(await prompt.inputValue(), 'Explain @file:src/cart.ts ');

  // Typing after moving means a new query: its answer selects its first row, whatever was selected before.
  await prompt.pressSequentially('and @file:cart');
  const third = await lastQuery();
  await answer(third.requestId, ['src/cart.ts', 'src/cart.test.ts']);
  await prompt.press('ArrowDown');
  assert.equal(await selected(), 'src/cart.test.ts');
  await prompt.press('.');
  const fourth = await lastQuery();
  assert.equal(fourth.prefix, 'cart.');
  await answer(fourth.requestId, ['src/cart.ts', 'src/cart.test.ts']);
  assert.equal(await selected(), 'src/cart.ts');
});
