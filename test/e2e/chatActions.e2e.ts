/**
 * A new user's first minutes in the workbench, as a person would go through them: no key for the
 * configured server, so the setup box lists the model server already answering on this machine
 * (a test server on LM Studio's default port, 1234); one click uses it and the welcome appears.
 * Then the message buttons: Copy puts the Markdown on the clipboard, Regenerate asks the server
 * again and keeps the old answer a click away, a tool loop's steps carry neither; the keyboard alone reaches
 * the input, Send, the answer's buttons and its code-block buttons, whose tooltips name their shortcuts; a file
 * dragged from the explorer with Shift held becomes a mention.
 *
 *   node --import tsx --test test/e2e/chatActions.e2e.ts     (QCODER_VSIX=qcoder.vsix skips packaging)
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, test, type TestContext } from 'node:test';
import type { Frame, Locator } from 'playwright-core';
import { startModelServer, type ModelServer } from '../support/modelServer';
import { toolCallEvents } from '../support/toolCallStream';
import { startWorkbench, type Workbench } from '../support/startWorkbench';
import { waitForChatReady } from '../support/workbench';

const LM_STUDIO_PORT = 1234;
const FENCE = '```';

describe('QCoder chat actions in the workbench', { timeout: 300_000 }, () => {
  let bench: Workbench;
  let chat: Frame;
  /** The "local" server the setup box finds; undefined when the port is taken on this machine. */
  let local: ModelServer | undefined;

  before(
    async () => {
      local = await startModelServer({ port: LM_STUDIO_PORT }).catch(() => undefined);
      // A remote server with no key for it: the chat starts in the setup box.
      bench = await startWorkbench({
        name: 'actions',
        settings: { 'qcoder.baseUrl': 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1' },
      });
      chat = bench.chat;
      await bench.browser.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    },
    { timeout: 150_000 },
  );
  after(async () => {
    await bench?.stop();
    await local?.close();
  });

  const shot = (body: (t: TestContext) => Promise<void>) => async (t: TestContext) => {
    try {
      await body(t);
    } catch (error) {
      await bench?.failureShot(`actions-${t.name}`);
      throw error;
    }
  };
  /** The server the chat talks to once the local one is chosen (the workbench's own when the port was taken). */
  const server = () => local ?? bench.model;

  /** Icon buttons: their names are their aria-labels. */
  const names = (buttons: Locator) =>
    buttons.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('aria-label') ?? ''));

  async function ask(text: string, answer: string): Promise<void> {
    const answers = chat.locator('.message.assistant[data-status="complete"]');
    const before = await answers.count();
    server().enqueue({ kind: 'stream', chunks: [answer] });
    await chat.locator('#prompt').fill(text);
    await chat.locator('#prompt').press('Enter');
    await answers.nth(before).waitFor({ timeout: 30_000 });
  }

  test(
    'the setup box lists the local model server; Use picks it and the welcome shows example prompts',
    shot(async (t) => {
      if (!local) {
        t.skip(`port ${LM_STUDIO_PORT} is taken on this machine`);
        await bench.page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Cancel' }).click();
        bench.updateSettings({ 'qcoder.baseUrl': bench.model.baseUrl });
        await chat.locator('.welcome').waitFor({ timeout: 30_000 });
        return;
      }
      // QCoder asks before it sends OPENAI_API_KEY (given for another server) to this one: no.
      const dialog = bench.page.locator('.monaco-dialog-box');
      await dialog.waitFor({ timeout: 20_000 });
      await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
      await chat.locator('#setup').waitFor({ timeout: 20_000 });
      assert.match((await chat.locator('#setup-text').textContent()) ?? '', /API key/);
      const use = chat.locator('#local-servers button[aria-label="Use test-model on LM Studio"]');
      await use.waitFor({ timeout: 20_000 });
      assert.ok(
        local.probes.some((probe) => probe.path.endsWith('/v1/models')),
        'discovery asked the server',
      );
      assert.equal(await chat.locator('.welcome').count(), 0, 'no welcome before a model is set up');
      await use.click();

      await chat.locator('#setup').waitFor({ state: 'hidden', timeout: 20_000 });
      const welcome = chat.locator('.welcome');
      await welcome.waitFor({ timeout: 10_000 });
      assert.equal(await welcome.locator('button.example').count(), 3);
      assert.match((await welcome.textContent()) ?? '', /Explain This File.*Ctrl\+I.*Generate Tests/s);
      const example = welcome.locator('button.example').first();
      const text = (await example.textContent()) ?? '';
      await example.click();
      assert.equal(await chat.locator('#prompt').inputValue(), text);
      assert.match((await chat.locator('#connection').textContent()) ?? '', /test-model · 127\.0\.0\.1:1234/);
      await chat.locator('#prompt').fill('');
    }),
  );

  test(
    "Copy puts the answer's Markdown on the clipboard",
    shot(async () => {
      const answer = 'Use **`Array.prototype.at`**:\n\n- `list.at(-1)` is the last item';
      await ask('How do I get the last item?', answer);
      const message = chat.locator('.message.assistant').last();
      await message.hover();
      const copy = message.locator('.message-actions button[aria-label="Copy"]');
      assert.match((await copy.getAttribute('title')) ?? '', /Copy the message as Markdown/);
      await copy.click();
      await bench.page.waitForFunction(
        (expected) => navigator.clipboard.readText().then((text) => text === expected),
        answer,
        { timeout: 10_000 },
      );
    }),
  );

  test(
    'Regenerate sends the question again, shows the new answer and keeps the old one a click away',
    shot(async () => {
      await ask('Name a prime number', 'Seven.');
      const requests = server().requests.length;
      server().enqueue({ kind: 'stream', chunks: ['Eleven.'] });
      const message = chat.locator('.message.assistant').last();
      await message.hover();
      await message.locator('.message-actions button[aria-label="Regenerate"]').click();
      await chat
        .locator('.message.assistant[data-status="complete"]', { hasText: 'Eleven.' })
        .waitFor({ timeout: 30_000 });
      assert.equal(server().requests.length, requests + 1, 'the server was asked again');
      const sent = server().requests.at(-1)?.body.messages as { role: string; content: string }[];
      assert.equal(sent.at(-1)?.content, 'Name a prime number');
      assert.ok(!JSON.stringify(sent).includes('Seven.'), 'the old answer is not sent back');
      assert.equal(await chat.locator('.message', { hasText: 'Seven.' }).count(), 0);
      assert.equal(await chat.locator('.branch-label').last().innerText(), '2/2');
      await chat.locator('.message.assistant', { hasText: 'Eleven.' }).hover();
      await chat.locator('button[aria-label="Previous version"]').last().click();
      await chat.locator('.message.assistant', { hasText: 'Seven.' }).waitFor({ timeout: 10_000 });
      assert.equal(await chat.locator('.message', { hasText: 'Eleven.' }).count(), 0);
    }),
  );

  test(
    'a tool loop: Copy and Regenerate on the answer that ends the turn only; none to copy on an empty failed answer',
    shot(async () => {
      server().enqueue(
        { kind: 'raw', events: toolCallEvents([{ name: 'read_file', args: { path: 'README.md' } }], 'Reading it.') },
        { kind: 'stream', chunks: ['It describes ', 'the sample.'] },
      );
      await chat.locator('#prompt').fill('What does the README say?');
      await chat.locator('#prompt').press('Enter');
      const final = chat.locator('.message.assistant[data-status="complete"]', { hasText: 'the sample.' });
      await final.waitFor({ timeout: 30_000 });
      const step = chat.locator('.message.assistant', { hasText: 'Reading it.' });
      assert.equal(await step.locator('.message-actions button').count(), 0, 'no buttons on the step');
      assert.deepEqual(await names(final.locator('.message-actions button')), ['Copy', 'Regenerate']);

      server().enqueue({ kind: 'json', status: 400, body: { error: { message: 'bad request' } } });
      await chat.locator('#prompt').fill('Once more?');
      await chat.locator('#prompt').press('Enter');
      const failed = chat.locator('.message.assistant[data-status="error"]').last();
      await failed.waitFor({ timeout: 30_000 });
      assert.equal(await failed.locator('.message-actions button[aria-label="Copy"]').count(), 0);
    }),
  );

  test(
    'the keyboard alone: input, Send, the answer and its code-block buttons, shortcuts in the tooltips',
    shot(async () => {
      const code = 'const total = items.reduce((sum, item) => sum + item.price, 0);';
      await ask('Sum the prices', `Like this:\n\n${FENCE}ts\n${code}\n${FENCE}\n\nThat is all.`);
      const keyboard = bench.page.keyboard;
      const focused = () =>
        chat.evaluate(() => {
          const element = document.activeElement as HTMLElement | null;
          return {
            id: element?.id ?? '',
            name: element?.getAttribute('aria-label') ?? '',
            title: element?.title ?? '',
            code: element?.dataset.codeAction ?? '',
          };
        });
      await chat.locator('#prompt').focus();
      await keyboard.type('draft');
      const forward: string[] = [];
      for (let i = 0; i < 6 && (await focused()).id !== 'send'; i++) {
        await keyboard.press('Tab');
        forward.push((await focused()).id || (await focused()).name);
      }
      const send = await focused();
      assert.equal(send.id, 'send', `Tab from the input reaches Send (went through ${forward.join(', ')})`);
      assert.match(send.title, /\(Enter\)/, 'the Send tooltip names its shortcut');

      // Backwards from the input: the last answer's buttons, then its code block's.
      await chat.locator('#prompt').focus();
      const seen: { name: string; title: string; code: string }[] = [];
      for (let i = 0; i < 12 && !seen.some((each) => each.code === 'copy'); i++) {
        await keyboard.press('Shift+Tab');
        seen.push(await focused());
      }
      const names = seen.map((each) => each.name);
      assert.ok(names.includes('Regenerate') && names.includes('Copy'), `answer buttons reached: ${names.join(', ')}`);
      const codeButtons = seen.filter((each) => each.code).map((each) => each.code);
      assert.deepEqual(codeButtons, ['open', 'apply', 'insert', 'copy'], 'code-block buttons, last to first');
      for (const each of seen.filter((item) => item.code || /^(Copy|Regenerate)$/.test(item.name)))
        assert.notEqual(each.title, '', `${each.name} has a tooltip`);

      await keyboard.press('Enter');
      await bench.page.waitForFunction(
        (expected) => navigator.clipboard.readText().then((text) => text.trim() === expected),
        code,
        { timeout: 10_000 },
      );
      assert.equal(await chat.locator('#prompt').inputValue(), 'draft', 'the draft is kept');
      await chat.locator('#prompt').fill('');
    }),
  );

  test(
    'a file dragged from the explorer with Shift held becomes a mention in the input',
    shot(async () => {
      // The chat in an editor tab, so the explorer can be open beside it in the sidebar.
      await chat.locator('#open-in-editor').click();
      const panel = await panelChat();
      await waitForChatReady(panel);
      await bench.page.locator('.activitybar a.action-label[aria-label^="Explorer"]').click();
      const row = bench.page.locator('.explorer-folders-view .monaco-list-row', { hasText: /^README\.md$/ }).first();
      await row.waitFor({ timeout: 20_000 });
      const from = await row.boundingBox();
      const to = await panel.locator('#prompt').boundingBox();
      assert.ok(from && to, 'the explorer row and the input are on screen');
      const mouse = bench.page.mouse;
      await mouse.move(from.x + from.width / 2, from.y + from.height / 2);
      await mouse.down();
      await mouse.move(to.x + 20, to.y + 10, { steps: 8 });
      await bench.page.keyboard.down('Shift');
      await mouse.move(to.x + 30, to.y + 12, { steps: 4 });
      await mouse.up();
      await bench.page.keyboard.up('Shift');
      await panel.waitForFunction(
        () => /@file:README\.md/.test((document.getElementById('prompt') as HTMLTextAreaElement).value),
        undefined,
        { timeout: 10_000 },
      );
    }),
  );

  /** The chat frame of the editor tab (its body says data-surface="panel"). */
  async function panelChat(): Promise<Frame> {
    for (let i = 0; i < 60; i++) {
      for (const frame of bench.page.frames()) {
        const surface = await frame
          .evaluate(() => (document.getElementById('prompt') ? document.body.dataset.surface : undefined))
          .catch(() => undefined);
        if (surface === 'panel') return frame;
      }
      await bench.page.waitForTimeout(500);
    }
    throw new Error('the chat did not open in an editor tab');
  }
});
