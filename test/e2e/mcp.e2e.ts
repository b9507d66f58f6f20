/**
 * End to end, MCP as a person meets it: a server from the user settings
 * (@modelcontextprotocol/server-everything from npm), the agent's call to its tool asks on a
 * card in the chat, Run sends the real result to the model, and QCoder: MCP Servers… lists the
 * server as running with its tools.
 *
 *   node --import tsx --test test/e2e/mcp.e2e.ts
 *
 * QCODER_VSIX=path/to.vsix skips `npm run package`. Screenshots: docs/mcp-approval.png, docs/mcp-servers.png.
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

const results = path.join(repoRoot, 'test-results');
const docs = path.join(repoRoot, 'docs');
const everything = path.join(repoRoot, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');

describe('MCP in the workbench', { timeout: 180_000 }, () => {
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
      workspaceParent = mkdtempSync(path.join(tmpdir(), 'qcoder-e2e-mcp-'));
      const workspace = path.join(workspaceParent, 'workspace');
      cpSync(path.join(repoRoot, 'sample-workspace'), workspace, { recursive: true });
      server = await startCodeServer({
        workspace,
        vsix: [vsix],
        settings: {
          'qcoder.baseUrl': model.baseUrl,
          // Through an environment variable, so the screenshot shows no path of this machine.
          'qcoder.mcpServers': { everything: { command: 'node', args: ['${env:QCODER_E2E_MCP_SERVER}', 'stdio'] } },
        },
        env: {
          OPENAI_API_KEY: 'test-key',
          OPENAI_BASE_URL: model.baseUrl,
          OPENAI_MODEL: undefined,
          QCODER_E2E_MCP_SERVER: everything,
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

  test(
    'the agent calls an MCP tool: the card asks, ' + 'Run sends the real result; the server list shows it running',
    async () => {
      try {
        model.enqueue(
          {
            kind: 'raw',
            events: toolCallEvents(
              [{ name: 'everything__get-sum', id: 'call_sum', args: { a: 19, b: 23 } }],
              'Adding them with the MCP tool.',
            ),
          },
          { kind: 'stream', chunks: ['The sum is 42.'] },
        );
        await chat.locator('#prompt').fill('What is 19 + 23? Use the MCP tool.');
        await chat.locator('#prompt').press('Enter');

        const approval = chat.locator('.question-card.approval');
        await approval.waitFor({ timeout: 60_000 });
        assert.match(await approval.innerText(), /"get-sum" of the server "everything"/);
        assert.match(await approval.innerText(), /What the server says this tool does/);
        assert.deepEqual(await approval.locator('button').allInnerTexts(), ['Run', 'Always allow get-sum', 'Reject']);
        await page.mouse.move(800, 500);
        await page.waitForTimeout(300);
        mkdirSync(docs, { recursive: true });
        await page.screenshot({ path: path.join(docs, 'mcp-approval.png') });

        await approval.locator('button[data-choice="run"]').click();
        await chat.locator('.message.assistant', { hasText: 'The sum is 42.' }).waitFor({ timeout: 30_000 });
        const told = model.requests.at(-1)?.body.messages.at(-1);
        assert.equal(told?.role, 'tool');
        assert.match(told?.content ?? '', /42/, "server-everything's answer reached the model server");

        // Focus the workbench (the chat's iframe would take F1 for itself).
        await page.locator('.monaco-workbench .part.editor').click({ position: { x: 200, y: 200 } });
        await page.keyboard.press('F1');
        await page.keyboard.type('QCoder: MCP Servers');
        // Click the command itself: the palette may rank a recently used QCoder command first.
        await page.locator('.quick-input-list .monaco-list-row[aria-label^="QCoder: MCP Servers…"]').click();
        const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'everything' });
        await row.waitFor({ timeout: 30_000 });
        assert.match(await row.innerText(), /running · \d+ tools/);
        assert.match(await row.innerText(), /node \$\{env:QCODER_E2E_MCP_SERVER\} stdio/);
        await page.waitForTimeout(300);
        await page.screenshot({ path: path.join(docs, 'mcp-servers.png') });
        await page.keyboard.press('Escape');
      } catch (error) {
        mkdirSync(results, { recursive: true });
        await page?.screenshot({ path: path.join(results, 'failure-mcp.png') }).catch(() => undefined);
        throw error;
      }
    },
  );
});
