/**
 * End to end, as a person approves a command: the packaged .vsix in a real VS Code (code-server),
 * the model calls run_command, the approval card shows the command, its folder and why it asks;
 * the user clicks Run; the command card shows the live output and the result (the fixture's real
 * failing test, exit code 1), and the model receives that output.
 *
 *   node --import tsx --test test/e2e/runCommand.e2e.ts
 *
 * Screenshots: docs/command-approval.png and docs/command-card.png (failures to test-results/).
 */
import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
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

const docs = path.join(repoRoot, 'docs');
const results = path.join(repoRoot, 'test-results');

describe('QCoder run_command in the workbench', { timeout: 150_000 }, () => {
  let model: ModelServer;
  let server: CodeServer;
  let browser: Browser;
  let page: Page;
  let chat: Frame;
  let workspaceParent: string;

  before(
    async () => {
      const vsix = packageExtension();
      model = await startModelServer();
      workspaceParent = mkdtempSync(path.join(tmpdir(), 'qcoder-e2e-run-'));
      const workspace = path.join(workspaceParent, 'workspace');
      cpSync(path.join(repoRoot, 'sample-workspace'), workspace, { recursive: true });
      cpSync(path.join(repoRoot, 'test', 'fixtures', 'agent', 'cart'), path.join(workspace, 'cart-app'), {
        recursive: true,
      });
      server = await startCodeServer({
        workspace,
        vsix: [vsix],
        settings: { 'qcoder.baseUrl': model.baseUrl },
        // NODE_TEST_CONTEXT (set by this very `node --test`) would make the fixture's `node --test` skip its files.
        env: {
          OPENAI_API_KEY: 'test-key',
          OPENAI_BASE_URL: model.baseUrl,
          OPENAI_MODEL: undefined,
          NODE_TEST_CONTEXT: undefined,
        },
      });
      browser = await launchChromium();
      page = browser.page;
      await page.goto(workbenchUrl(server, workspace));
      await page.locator('.monaco-workbench').waitFor({ timeout: 30_000 });
      await page.locator('.activitybar a.action-label[aria-label^="QCoder"]').click({ timeout: 20_000 });
      chat = await findFrame(page, '#prompt');
      await waitForChatReady(chat);
    },
    { timeout: 150_000 },
  );

  after(async () => {
    await browser?.close();
    await server?.stop();
    await model?.close();
    if (workspaceParent) rmSync(workspaceParent, { recursive: true, force: true });
  });

  test('the approval card asks; Run runs the real tests; the card shows their output and exit code 1', async () => {
    try {
      model.enqueue(
        {
          kind: 'raw',
          events: toolCallEvents(
            [{ name: 'run_command', id: 'call_tests', args: { command: 'node --test', cwd: 'cart-app' } }],
            'Running the tests first.',
          ),
        },
        { kind: 'stream', chunks: ['Both tests fail: subtotal adds the price and the quantity.'] },
      );
      await chat.locator('#prompt').fill('Run the cart tests');
      await chat.locator('#prompt').press('Enter');

      const approval = chat.locator('.question-card.approval');
      await approval.waitFor({ timeout: 20_000 });
      assert.equal(await approval.locator('.question-text').innerText(), 'node --test');
      assert.match(await approval.locator('.question-details').innerText(), /in cart-app/);
      assert.deepEqual(await approval.locator('button').allInnerTexts(), [
        'Run',
        'Allow "node --test" for this session',
        'Reject',
      ]);
      await page.mouse.move(800, 500);
      await page.waitForTimeout(500);
      mkdirSync(docs, { recursive: true });
      await page.screenshot({ path: path.join(docs, 'command-approval.png') });

      await approval.locator('button[data-choice="run"]').click();
      const card = chat.locator('.command-card[data-state="failed"]');
      await card.waitFor({ timeout: 60_000 });
      assert.match(await card.locator('.command-result').innerText(), /exit code 1/);
      assert.match(await card.locator('.command-output pre').innerText(), /total with 20% discount/);
      await chat.locator('.message.assistant', { hasText: 'Both tests fail' }).waitFor({ timeout: 15_000 });
      const told = model.requests.at(-1)?.body.messages.at(-1);
      assert.equal(told?.role, 'tool');
      assert.match(told?.content ?? '', /^Exit code 1 after [\d.]+ s\.\n\$ node --test\n/);
      await page.mouse.move(800, 500);
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(docs, 'command-card.png') });
    } catch (error) {
      mkdirSync(results, { recursive: true });
      await page?.screenshot({ path: path.join(results, 'failure-run-command.png') }).catch(() => undefined);
      throw error;
    }
  });
});
