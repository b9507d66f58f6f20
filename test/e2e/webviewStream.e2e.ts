/**
 * A long code block streaming into the chat webview, in headless Chromium (the page of
 * test/support/webviewPage.ts, fed the host's own messages): it streams in fragments
 * (streamRender.ts), and the user sees one block: one bar, no gap between the fragments, the code
 * so far in order; when the answer is done it is one block, and the live region reads it once.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { openWebviewPage } from '../support/webviewPage';

const work = mkdtempSync(path.join(tmpdir(), 'qcoder-webview-stream-'));
let browser: Browser;
let page: Page;

const CODE = Array.from({ length: 90 }, (_, i) => `const value${i} = compute(${i}, "label ${i}"); // step ${i}`);
const ANSWER = `Here is the rewrite.\n\n\`\`\`ts\n${CODE.join('\n')}\n\`\`\`\n\nIt keeps the behaviour.`;

before(async () => {
  ({ browser, page } = await openWebviewPage(work));
});

after(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

/** Sends host messages to the page, a frame between batches, as the host's deltas arrive. */
async function send(messages: unknown[]): Promise<void> {
  await page.evaluate(async (all) => {
    for (const data of all) window.dispatchEvent(new MessageEvent('message', { data }));
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  }, messages);
}

/** What the streaming message shows of its code: the visible bars, the gaps between fragments, the code text. */
function shown(): Promise<{ frames: number; bars: number; gaps: number[]; code: string }> {
  return page.evaluate(() => {
    const frames = Array.from(document.querySelectorAll('#msg-live .code-frame'));
    const bars = frames.filter((frame) => (frame.querySelector('.code-bar') as HTMLElement).offsetParent !== null);
    const gaps = frames
      .slice(1)
      .map((frame, i) => frame.getBoundingClientRect().top - frames[i].getBoundingClientRect().bottom);
    const code = frames.map((frame) => frame.querySelector('pre code')?.textContent ?? '').join('');
    return { frames: frames.length, bars: bars.length, gaps, code };
  });
}

test('a long code block streams as one block and ends as one, read once', async () => {
  await send([
    { type: 'session', sessionId: 's', messages: [], sessions: [{ id: 's', title: 'T', updatedAt: 1 }], busy: false },
    { type: 'messageAdded', message: { id: 'live', role: 'assistant', content: '', status: 'streaming' } },
  ]);
  const cut = ANSWER.indexOf('const value70');
  const tokens = ANSWER.slice(0, cut).match(/[\s\S]{1,4}/g) ?? [];
  for (let i = 0; i < tokens.length; i += 40)
    await send(tokens.slice(i, i + 40).map((text) => ({ type: 'delta', messageId: 'live', text })));

  const streaming = await shown();
  assert.ok(streaming.frames > 1, `the block streamed in fragments (${streaming.frames})`);
  assert.equal(streaming.bars, 1, 'one code bar, at the top of the block');
  assert.deepEqual(
    streaming.gaps.map((gap) => Math.round(gap)),
    streaming.gaps.map(() => 0),
    'no gap between fragments',
  );
  assert.equal(streaming.code.replace(/\n$/, ''), CODE.slice(0, 70).join('\n'), 'the code so far, in order');

  const rest = ANSWER.slice(cut).match(/[\s\S]{1,4}/g) ?? [];
  await send(rest.map((text) => ({ type: 'delta', messageId: 'live', text })));
  await send([{ type: 'messageDone', messageId: 'live', status: 'complete' }]);
  const done = await shown();
  assert.equal(done.frames, 1, 'one block once the answer is complete');
  assert.equal(done.code.replace(/\n$/, ''), CODE.join('\n'));
  const announced = await page.locator('#announcer').textContent();
  assert.ok(announced?.startsWith('Here is the rewrite.'), `the live region reads the answer: ${announced}`);
  assert.equal(announced?.split('Here is the rewrite.').length, 2, 'once');
});
