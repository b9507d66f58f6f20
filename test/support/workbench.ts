/** Helpers for driving the workbench and the chat webview from Playwright (e2e tests). */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { repoRoot } from './codeServer';

/** The .vsix to install: QCODER_VSIX when set (scripts/test.mjs packages once), else `npm run package` now. */
export function packageExtension(): string {
  if (process.env.QCODER_VSIX) return path.resolve(repoRoot, process.env.QCODER_VSIX);
  const result = spawnSync('npm', ['run', 'package'], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  assert.equal(result.status, 0, `npm run package failed:\n${result.stdout}${result.stderr}`);
  return path.join(repoRoot, 'qcoder.vsix');
}

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
  // The webview sets data-ready when the host's first snapshot of the conversation has been drawn.
  await chat.waitForFunction(() => document.body.dataset.ready === 'true', undefined, { timeout: timeoutMs });
}

/**
 * Opens `relative` (a workspace path) with Quick Open and waits until its tab is the active one.
 * Ctrl+P can be swallowed while the focus moves between the workbench and a webview, and the file
 * search's first answer can come late: each attempt waits for the widget before it types, and a
 * failed attempt closes the widget and starts again.
 */
export async function quickOpen(page: Page, relative: string, attempts = 3): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  const name = path.basename(relative);
  for (let attempt = 1; ; attempt++) {
    try {
      await page.keyboard.press('Control+P');
      await input.waitFor({ state: 'visible', timeout: 5_000 });
      await input.fill(relative);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 10_000 });
      await page.keyboard.press('Enter');
      await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ timeout: 10_000 });
      return;
    } catch (error) {
      if (attempt >= attempts) throw error;
      await page.keyboard.press('Escape');
    }
  }
}
