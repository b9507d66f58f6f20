/**
 * End to end, as a person watches the agent build a page: the packaged .vsix in a real VS Code
 * (code-server), a scripted model in Auto mode writes the spinning-hexagon page with a deliberate
 * error, calls preview_page (Debian's Chromium, found on the machine), and the next request holds
 * the TypeError with its source line and the screenshot; it fixes the line, previews again, and
 * the report says no errors and a drawn canvas. The Preview panel shows the last look.
 *
 *   node --import tsx --test test/e2e/preview.e2e.ts
 *
 * Screenshot: docs/preview-panel.png (failures to test-results/).
 */
import * as assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import {
  chromiumPath,
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
const fixtures = path.join(repoRoot, 'test', 'fixtures', 'preview');

type Message = { role: string; content: unknown; tool_call_id?: string };

describe(
  'QCoder preview_page in the workbench',
  { timeout: 240_000, skip: !existsSync(chromiumPath) && 'no Chromium' },
  () => {
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
        workspaceParent = mkdtempSync(path.join(tmpdir(), 'qcoder-e2e-preview-'));
        workspace = path.join(workspaceParent, 'workspace');
        cpSync(path.join(repoRoot, 'sample-workspace'), workspace, { recursive: true });
        server = await startCodeServer({
          workspace,
          vsix: [vsix],
          settings: { 'qcoder.baseUrl': model.baseUrl, 'qcoder.model.vision': 'on' },
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
      { timeout: 200_000 },
    );

    after(async () => {
      await browser?.close();
      await server?.stop();
      await model?.close();
      if (workspaceParent) rmSync(workspaceParent, { recursive: true, force: true });
    });

    /** The messages of the first request whose last tool message answers `callId`. */
    const requestAfter = (callId: string): Message[] => {
      const request = model.requests.find((each) =>
        (each.body.messages as Message[]).some((m) => m.role === 'tool' && m.tool_call_id === callId),
      );
      assert.ok(request, `no request carried the result of ${callId}`);
      return request.body.messages as Message[];
    };
    const toolResult = (messages: Message[], callId: string) =>
      String(messages.find((m) => m.role === 'tool' && m.tool_call_id === callId)?.content ?? '');

    test(
      'the error reaches the model with its line and the screenshot; the fixed page ' +
        'reports no errors and a drawn canvas',
      async () => {
        try {
          const broken = readFileSync(path.join(fixtures, 'hexagon-broken.html'), 'utf8');
          const turn = (name: string, id: string, args: Record<string, unknown>, text = '') => ({
            kind: 'raw' as const,
            events: toolCallEvents([{ name, id, args }], text),
          });
          model.enqueue(
            turn('write_file', 'write', { path: 'hexagon.html', content: broken }, 'Writing the page.'),
            turn('preview_page', 'look1', { target: 'hexagon.html' }),
            turn('edit_file', 'fix', {
              path: 'hexagon.html',
              edits: [{ old_text: '        ctx.drawHexagon(points);\n', new_text: '' }],
            }),
            turn('preview_page', 'look2', { target: 'hexagon.html' }),
            { kind: 'stream', chunks: ['The hexagon spins and the ball bounces; the console is clean.'] },
          );
          await chat.locator('#mode').selectOption('auto');
          await chat.locator('body[data-mode="auto"]').waitFor({ timeout: 5_000 });
          await chat
            .locator('#prompt')
            .fill('Make a page with a ball bouncing inside a spinning hexagon, and check it works');
          await chat.locator('#prompt').press('Enter');
          await chat.locator('.message.assistant', { hasText: 'the console is clean' }).waitFor({ timeout: 120_000 });

          const first = requestAfter('look1');
          const report1 = toolResult(first, 'look1');
          assert.match(
            report1,
            /Console: 1 error:\n- \[pageerror\] TypeError: ctx\.drawHexagon is not a function at hexagon\.html:68:\d+/,
          );
          assert.match(report1, /> ctx\.drawHexagon\(points\);/);
          // The screenshot follows the tool message as an image part (tool messages cannot carry images).
          const after1 = first.at(-1)!;
          assert.equal(after1.role, 'user');
          const parts = after1.content as { type: string; image_url?: { url: string } }[];
          assert.ok(
            parts.some((part) => part.type === 'image_url' && part.image_url!.url.startsWith('data:image/png;base64,')),
          );

          const report2 = toolResult(requestAfter('look2'), 'look2');
          assert.match(report2, /Console: no messages, no errors\./);
          assert.match(report2, /Canvas 1 \(480×480\): drawn/);
          assert.doesNotMatch(readFileSync(path.join(workspace, 'hexagon.html'), 'utf8'), /drawHexagon/);

          const panel = await findFrame(page, '#screenshot', 20_000);
          assert.match(await panel.locator('#console h2').innerText(), /Console\s+empty/);
          assert.equal(await panel.locator('h1').innerText(), 'Bouncing ball in a spinning hexagon');
          await page.mouse.move(900, 500);
          await page.waitForTimeout(500);
          mkdirSync(docs, { recursive: true });
          await page.screenshot({ path: path.join(docs, 'preview-panel.png') });
        } catch (error) {
          mkdirSync(results, { recursive: true });
          await page?.screenshot({ path: path.join(results, 'failure-preview.png') }).catch(() => undefined);
          throw error;
        }
      },
    );
  },
);
