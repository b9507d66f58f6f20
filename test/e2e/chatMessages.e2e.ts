/**
 * End to end, as a person uses an answer's code blocks and edits a sent message: the packaged
 * .vsix in code-server, the model a local OpenAI-compatible server. Apply goes through the
 * review card and lands on disk only after Accept all; Open and Insert show the code in an
 * editor; Run goes through the command rules and writes a file; an edited message forks the
 * conversation and "<" brings the old branch back.
 *
 *   node --import tsx --test test/e2e/chatMessages.e2e.ts
 */
import * as assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import type { Frame, Locator, Page } from 'playwright-core';
import {
  launchChromium,
  repoRoot,
  startCodeServer,
  workbenchUrl,
  type Browser,
  type CodeServer,
} from '../support/codeServer';
import { startModelServer, type ModelServer } from '../support/modelServer';
import { findFrame, packageExtension, quickOpen, waitForChatReady } from '../support/workbench';

const results = path.join(repoRoot, 'test-results');
const FENCE = '```';

describe('QCoder code blocks and message actions in the workbench', { timeout: 180_000 }, () => {
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
      workspaceParent = mkdtempSync(path.join(tmpdir(), 'qcoder-e2e-messages-'));
      workspace = path.join(workspaceParent, 'workspace');
      cpSync(path.join(repoRoot, 'sample-workspace'), workspace, { recursive: true });
      writeFileSync(path.join(workspace, 'scratch.txt'), 'first line\n');
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
    { timeout: 180_000 },
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
        ?.screenshot({ path: path.join(results, `failure-messages-${t.name.replace(/\W+/g, '-')}.png`) })
        .catch(() => undefined);
      throw error;
    }
  };

  async function ask(question: string, answer: string): Promise<void> {
    const answers = chat.locator('.message.assistant[data-status="complete"]');
    const before = await answers.count();
    model.enqueue({ kind: 'stream', chunks: [answer] });
    await chat.locator('#prompt').fill(question);
    await chat.locator('#prompt').press('Enter');
    await chat.locator('.message.user', { hasText: question }).waitFor({ timeout: 5_000 });
    await answers.nth(before).waitFor({ timeout: 15_000 });
  }

  /** Icon buttons: their names are their aria-labels. */
  const names = (buttons: Locator) =>
    buttons.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('aria-label') ?? ''));
  const lastFrame = () => chat.locator('.message.assistant .code-frame').last();
  const editorText = async () =>
    (await page.locator('.editor-group-container.active .view-lines').innerText()).replace(/\u00a0/g, ' ');

  test(
    'Apply: a fragment of cart.ts goes through the review card and lands on disk after Accept all',
    withScreenshot(async () => {
      const file = path.join(workspace, 'src', 'cart.ts');
      const before = readFileSync(file, 'utf8');
      const fragment = [
        'export function formatCents(cents: number, currency = "EUR"): string {',
        "  return new Intl.NumberFormat('de-DE', { style: 'currency', currency }).format(cents / 100);",
        '}',
      ].join('\n');
      await ask('Format cents the German way', `In \`src/cart.ts\`:\n\n${FENCE}ts\n${fragment}\n${FENCE}\n`);
      const frame = lastFrame();
      assert.equal(await frame.locator('.code-lang').innerText(), 'ts');
      assert.deepEqual(await names(frame.locator('.code-action')), ['Copy', 'Insert', 'Apply', 'Open']);
      await frame.locator('[data-code-action="apply"]').click();
      const card = chat.locator('.review-card[data-status="pending"]');
      await card.waitFor({ timeout: 15_000 });
      assert.equal(readFileSync(file, 'utf8'), before, 'nothing is written before the user accepts');
      await card.locator('button[data-action="acceptAll"]').click();
      await chat.locator('.review-card[data-status="applied"]').waitFor({ timeout: 15_000 });
      const start = before.indexOf('export function formatCents');
      const end = before.indexOf('}\n', start) + 2;
      assert.equal(readFileSync(file, 'utf8'), `${before.slice(0, start)}${fragment}\n${before.slice(end)}`);
    }),
  );

  test(
    'Open shows the block in a new editor; Insert puts it at the cursor of the active editor',
    withScreenshot(async () => {
      await ask('A constant please', `${FENCE}js\nconst answer = 42;\n${FENCE}`);
      await lastFrame().locator('[data-code-action="open"]').click();
      await page.locator('.tabs-container .tab.active', { hasText: /Untitled/ }).waitFor({ timeout: 10_000 });
      assert.match(await editorText(), /const answer = 42;/);

      await page.locator('.monaco-workbench .part.editor').click();
      await quickOpen(page, 'scratch.txt');
      // The quick open may still hold the focus: put it in the text before moving the cursor.
      await page.locator('.editor-group-container.active .view-lines').click();
      await page.keyboard.press('Control+End');
      await lastFrame().locator('[data-code-action="insert"]').click();
      await page
        .locator('.editor-group-container.active .view-lines', { hasText: 'const answer = 42;' })
        .waitFor({ timeout: 10_000 });
      assert.match(await editorText(), /first line[\s\S]*const answer = 42;/);
      assert.equal(readFileSync(path.join(workspace, 'scratch.txt'), 'utf8'), 'first line\n', 'Insert does not save');
    }),
  );

  test(
    'Run: a shell block runs through the command rules (asked, then run) and its effect is on disk',
    withScreenshot(async () => {
      await ask('Leave a mark', `${FENCE}bash\necho qcoder-block > ran-from-block.txt\n${FENCE}`);
      const frame = lastFrame();
      assert.deepEqual(await names(frame.locator('.code-action')), ['Copy', 'Insert', 'Apply', 'Open', 'Run']);
      await frame.locator('[data-code-action="run"]').click();
      const approval = chat.locator('.question-card.approval');
      const done = chat.locator('.command-card[data-state="done"]');
      await approval.or(done).first().waitFor({ timeout: 15_000 });
      if (await approval.isVisible()) {
        assert.equal(await approval.locator('.question-text').innerText(), 'echo qcoder-block > ran-from-block.txt');
        assert.equal(existsSync(path.join(workspace, 'ran-from-block.txt')), false, 'not run before the user said so');
        await approval.locator('button[data-choice="run"]').click();
      }
      await done.waitFor({ timeout: 30_000 });
      assert.equal(readFileSync(path.join(workspace, 'ran-from-block.txt'), 'utf8'), 'qcoder-block\n');
    }),
  );

  test(
    'edit and resend forks the conversation; "<" brings the old question and answer back',
    withScreenshot(async () => {
      await ask('What is the capital of France?', 'Paris, of course.');
      const question = chat.locator('.message.user', { hasText: 'What is the capital of France?' });
      await question.hover();
      await question.locator('.message-action[aria-label="Edit"]').click();
      const box = chat.locator('.edit-box textarea');
      await box.fill('What is the capital of Italy?');
      model.enqueue({ kind: 'stream', chunks: ['Rome.'] });
      await box.press('Enter');
      await chat
        .locator('.message.assistant[data-status="complete"]', { hasText: 'Rome.' })
        .waitFor({ timeout: 15_000 });
      const sent = model.requests.at(-1)?.body.messages as { role: string; content: string }[];
      assert.equal(sent.at(-1)?.content, 'What is the capital of Italy?');
      assert.ok(!JSON.stringify(sent).includes('France'), 'the old branch is not sent');
      const edited = chat.locator('.message.user', { hasText: 'Italy' });
      await edited.locator('.branch-label', { hasText: '2/2' }).waitFor({ timeout: 10_000 });
      assert.equal(await chat.locator('.message', { hasText: 'Paris' }).count(), 0);
      mkdirSync(results, { recursive: true });
      await page.screenshot({ path: path.join(results, 'messages-branch.png') });

      await edited.hover();
      await edited.locator('.branch-previous').click();
      await chat.locator('.message.assistant', { hasText: 'Paris, of course.' }).waitFor({ timeout: 10_000 });
      const back = chat.locator('.message.user', { hasText: 'France' });
      // The label is drawn with the branch it shows, maybe a frame after the answer: waited for, not read at once.
      await back.locator('.branch-label', { hasText: '1/2' }).waitFor({ timeout: 10_000 });
      assert.equal(await chat.locator('.message', { hasText: 'Rome.' }).count(), 0);
    }),
  );
});
