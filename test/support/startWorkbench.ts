/**
 * The start-up every chat e2e test repeats, in one place: a local model server, code-server
 * with the packaged extension and a copy of the sample workspace, Chromium on the workbench,
 * the QCoder view opened and its chat frame ready. `stop()` undoes all of it.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { launchChromium, repoRoot, startCodeServer, workbenchUrl, type Browser, type CodeServer } from './codeServer';
import { startModelServer, type ModelServer } from './modelServer';
import { findFrame, packageExtension, waitForChatReady } from './workbench';

export interface Workbench {
  readonly model: ModelServer;
  readonly server: CodeServer;
  readonly browser: Browser;
  readonly page: Page;
  /** The chat webview's frame in the sidebar. */
  readonly chat: Frame;
  readonly workspace: string;
  /** Changes user settings while the workbench runs (VS Code watches the file). */
  updateSettings(changes: Readonly<Record<string, unknown>>): void;
  /** Saves a screenshot of the page to test-results/failure-NAME.png (for a failed test). */
  failureShot(name: string): Promise<void>;
  stop(): Promise<void>;
}

export interface WorkbenchOptions {
  /** A prefix for the temporary folder. */
  readonly name: string;
  readonly settings?: Readonly<Record<string, unknown>>;
  readonly viewport?: { width: number; height: number };
}

export async function startWorkbench(options: WorkbenchOptions): Promise<Workbench> {
  const vsix = packageExtension();
  const model = await startModelServer();
  const parent = mkdtempSync(path.join(tmpdir(), `qcoder-e2e-${options.name}-`));
  const workspace = path.join(parent, 'workspace');
  cpSync(path.join(repoRoot, 'sample-workspace'), workspace, { recursive: true });
  const server = await startCodeServer({
    workspace,
    vsix: [vsix],
    settings: { 'qcoder.baseUrl': model.baseUrl, ...options.settings },
    env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: model.baseUrl, OPENAI_MODEL: undefined },
  });
  const browser = await launchChromium({ viewport: options.viewport });
  const page = browser.page;
  await page.goto(workbenchUrl(server, workspace));
  await page.locator('.monaco-workbench').waitFor({ timeout: 30_000 });
  await page.locator('.activitybar a.action-label[aria-label^="QCoder"]').click({ timeout: 20_000 });
  const chat = await findFrame(page, '#prompt');
  await waitForChatReady(chat);
  const settingsFile = path.join(server.dir, 'user', 'User', 'settings.json');
  return {
    model,
    server,
    browser,
    page,
    chat,
    workspace,
    updateSettings(changes) {
      const current = JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
      writeFileSync(settingsFile, JSON.stringify({ ...current, ...changes }, null, 2));
    },
    async failureShot(name) {
      const results = path.join(repoRoot, 'test-results');
      mkdirSync(results, { recursive: true });
      await page
        .screenshot({ path: path.join(results, `failure-${name.replace(/\W+/g, '-')}.png`) })
        .catch(() => undefined);
    },
    async stop() {
      await browser.close();
      await server.stop();
      await model.close();
      rmSync(parent, { recursive: true, force: true });
    },
  };
}
