/** Helpers for driving the workbench and the chat webview from Playwright (e2e tests). */
import type { Frame, Page } from 'playwright-core';

/** Webviews are nested iframes (and the Welcome page is one too): find the frame that holds `selector`. */
export async function findFrame(page: Page, selector: string, timeoutMs = 20_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      const found = await frame.$(selector).catch(() => null);
      if (found) return frame;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no frame holds ${selector} after ${timeoutMs} ms`);
}

/**
 * `#prompt` is in the HTML before the webview's script has said hello to the extension
 * host; ready means the document has loaded and the host's connection line was drawn.
 */
export async function waitForChatReady(chat: Frame, timeoutMs = 20_000): Promise<void> {
  await chat.waitForFunction(() => {
    const connection = document.getElementById('connection');
    return document.readyState === 'complete' && (!connection || (connection.textContent ?? '').trim() !== '');
  }, undefined, { timeout: timeoutMs });
}
