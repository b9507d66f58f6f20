/**
 * End to end, as a person plans with the agent: the packaged .vsix in a real VS Code
 * (code-server), the mode selector set to Plan, the model (a local OpenAI-compatible server)
 * writes its plan with todo_write and updates it, the checklist card shows each state in place,
 * and Act switches to Ask mode and sends the plan to be carried out.
 *
 *   node --import tsx --test test/e2e/agentTools.e2e.ts
 *
 * QCODER_VSIX=path/to.vsix skips `npm run package`. Screenshots go to test-results/
 * (plan-checklist.png, the one in docs/ comes from it; failure-agent-*.png when a test fails).
 */
import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
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
const ACT_MESSAGE = 'Carry out the plan above, step by step. Keep the checklist up to date with todo_write as you go.';

describe('QCoder modes and the plan checklist in the workbench', { timeout: 120_000 }, () => {
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
      workspaceParent = mkdtempSync(path.join(tmpdir(), 'qcoder-e2e-agent-'));
      const workspace = path.join(workspaceParent, 'workspace');
      cpSync(path.join(repoRoot, 'sample-workspace'), workspace, { recursive: true });
      server = await startCodeServer({
        workspace,
        vsix: [vsix],
        settings: { 'qcoder.baseUrl': model.baseUrl },
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
    { timeout: 120_000 },
  );

  after(async () => {
    await browser?.close();
    await server?.stop();
    await model?.close();
    if (workspaceParent) rmSync(workspaceParent, { recursive: true, force: true });
  });

  const withScreenshot = (body: () => Promise<void>) => async (t: TestContext) => {
    try {
      await body();
    } catch (error) {
      mkdirSync(results, { recursive: true });
      await page
        ?.screenshot({ path: path.join(results, `failure-agent-${t.name.replace(/\W+/g, '-')}.png`) })
        .catch(() => undefined);
      throw error;
    }
  };

  const toolNames = (index: number): string[] =>
    model.requests[index].body.tools.map((tool: { function: { name: string } }) => tool.function.name);

  async function ask(question: string): Promise<void> {
    await chat.locator('#prompt').fill(question);
    await chat.locator('#prompt').press('Enter');
    await chat.locator('.message.user', { hasText: question }).waitFor({ timeout: 5_000 });
  }

  test(
    'the mode selector, set to Plan from the keyboard, sends only read-only tools; the checklist card updates ' +
      'in place; Act carries the plan out in Ask mode',
    withScreenshot(async () => {
      const select = chat.locator('#mode');
      assert.equal(await select.getAttribute('aria-label'), 'Agent mode');
      assert.equal(await select.inputValue(), 'ask', 'a new user starts in Ask mode');
      assert.deepEqual(await select.locator('option').allInnerTexts(), ['Plan', 'Ask', 'Auto-edit', 'Auto']);
      // From the keyboard: focus the selector and move one option up (Ask → Plan).
      await select.focus();
      await select.press('ArrowUp');
      await chat.locator('body[data-mode="plan"]').waitFor({ timeout: 5_000 });
      assert.equal(await select.inputValue(), 'plan');

      const plan = [
        { text: 'Read cart.ts and find where the total is rounded', status: 'in_progress' },
        { text: 'Round to the nearest cent instead of truncating', status: 'pending' },
        { text: 'Check get_problems and the cart tests', status: 'pending' },
      ];
      const advanced = plan.map((item, index) => ({
        ...item,
        status: index === 0 ? 'done' : index === 1 ? 'in_progress' : 'pending',
      }));
      model.enqueue(
        { kind: 'raw', events: toolCallEvents([{ name: 'todo_write', args: { todos: plan } }], 'Planning:') },
        {
          kind: 'raw',
          events: toolCallEvents([
            { name: 'read_file', args: { path: 'src/cart.ts' } },
            { name: 'todo_write', args: { todos: advanced } },
          ]),
        },
        {
          kind: 'stream',
          chunks: [
            'The plan: `total` truncates with `Math.floor`; use `Math.round`, then check the problems and tests.',
          ],
        },
      );
      const start = model.requests.length;
      await ask('Plan the fix for the rounding bug in cart.ts');

      const card = chat.locator('#todo-card');
      await card.locator('.todo-toggle', { hasText: 'Plan · 1 of 3 done' }).waitFor({ timeout: 15_000 });
      assert.deepEqual(
        await card.locator('.todo-text').allInnerTexts(),
        plan.map((item) => item.text),
      );
      assert.deepEqual(
        await card.locator('.todo').evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.status)),
        ['done', 'in_progress', 'pending'],
      );
      const act = chat.locator('.message.assistant .plan-actions button.act');
      await act.waitFor({ timeout: 15_000 });
      for (const index of [start, start + 1, start + 2]) {
        const names = toolNames(index);
        assert.ok(
          !names.includes('edit_file') && !names.includes('write_file'),
          `request ${index}: ${names.join(', ')}`,
        );
        assert.ok(names.includes('todo_write'));
      }

      mkdirSync(results, { recursive: true });
      await page.mouse.move(800, 500);
      await page.waitForTimeout(500); // let the activity bar's hover go
      await page.screenshot({ path: path.join(results, 'plan-checklist.png') });

      model.enqueue({ kind: 'stream', chunks: ['Carrying it out now.'] });
      const acted = model.requests.length;
      await act.click();
      await chat.locator('.message.assistant', { hasText: 'Carrying it out now.' }).waitFor({ timeout: 15_000 });
      assert.equal(await select.inputValue(), 'ask', 'Act switches to Ask mode');
      const body = model.requests[acted].body;
      assert.equal(body.messages.at(-1).content, ACT_MESSAGE);
      assert.ok(toolNames(acted).includes('edit_file'), 'Ask mode offers the edit tools');
      assert.equal(await chat.locator('.plan-actions').count(), 0, 'no Act button outside Plan mode');
    }),
  );
});
