import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HostMessage, ReviewView } from '../../../src/core/protocol';
import type { QCoderApi } from '../../../src/extension';
import { buildWorkspaceEdit } from '../../../src/vscode/review/editBuilder';
import { proposalUri } from '../../../src/vscode/review/proposalDocuments';
import type { Review } from '../../../src/vscode/review/reviewController';
import { VsCodeWorkspaceAccess } from '../../../src/vscode/workspaceAccess';
import { type QCoderHost, startQCoder } from '../../support/extensionHost';
import type { ModelServer } from '../../support/modelServer';
import { toolCallEvents } from '../../support/toolCallStream';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

const lines = (n: number, prefix = 'line') => Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}\n`).join('');

describe('review of proposed edits in the real extension host', () => {
  let host: QCoderHost;
  let api: QCoderApi;
  let root: string;
  let folder: string;
  let model: ModelServer;
  const posted: HostMessage[] = [];
  /** Files under the test folder, workspace-relative. */
  const rel = (name: string) => `review-tests/${name}`;
  const abs = (name: string) => path.join(folder, name);
  const put = (name: string, content: string | Buffer) => writeFileSync(abs(name), content);
  const bytes = (name: string) => readFileSync(abs(name));

  /** Starts a batch review and returns the review once its card is pending. */
  async function startReview(
    batch: ReturnType<QCoderApi['review']['edits']['begin']>,
    signal = new AbortController().signal,
  ) {
    const before = new Set(api.review.controller.pending().map((review) => review.id));
    const decisions = batch.review(signal);
    const review = await until<Review>('a pending review', () =>
      api.review.controller.pending().find((candidate) => !before.has(candidate.id)),
    );
    return { review, decisions };
  }

  before(async () => {
    host = await startQCoder({ posted });
    ({ api, server: model } = host);
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    folder = path.join(root, 'review-tests');
    mkdirSync(folder, { recursive: true });
  });

  after(async () => {
    await host?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('builds one WorkspaceEdit with a needsConfirmation entry per hunk, and writes nothing before review', async () => {
    put('three.ts', lines(40));
    const batch = api.review.edits.begin();
    const result = await batch.propose(
      'edit_file',
      {
        path: rel('three.ts'),
        edits: [
          { old_text: 'line 3\n', new_text: 'three\n' },
          { old_text: 'line 20\nline 21\n', new_text: 'twenty\n' },
          { old_text: 'line 39\n', new_text: 'line 39\nafter 39\n' },
        ],
      },
      new AbortController().signal,
    );
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.change.description, '+3 −3 in 3 hunks');
    const created = await batch.propose(
      'write_file',
      { path: rel('fresh.ts'), content: 'export const fresh = 1;\n' },
      new AbortController().signal,
    );
    assert.ok(created.ok);
    const { edit, entries } = buildWorkspaceEdit(
      batch.files,
      () => true,
      () => true,
    );
    assert.deepEqual(
      entries.map((entry) => [entry.kind, entry.metadata?.needsConfirmation]),
      [
        ['hunk', true],
        ['hunk', true],
        ['hunk', true],
        ['create', true],
      ],
    );
    assert.deepEqual(
      entries.map((entry) => entry.metadata?.description?.split(' (')[0]),
      ['change 1 of 3, line 3', 'change 2 of 3, lines 20-21', 'change 3 of 3, insertion after line 39', 'create file'],
    );
    assert.ok(entries.every((entry) => entry.metadata?.label.startsWith('QCoder: review-tests/')));
    const text = edit.entries().find(([uri]) => uri.fsPath === abs('three.ts'));
    assert.ok(text);
    assert.deepEqual(
      text[1].map((e) => [e.range.start.line, e.range.end.line, e.newText]),
      [
        [2, 3, 'three\n'],
        [19, 21, 'twenty\n'],
        [39, 39, 'after 39\n'],
      ],
    );
    assert.equal(bytes('three.ts').toString(), lines(40), 'nothing touched disk');
    assert.throws(() => bytes('fresh.ts'));
  });

  it(
    'accepting a subset of hunks writes exactly those (BOM and CRLF kept), tells the model ' +
      'which, and undo restores the bytes',
    async () => {
      const original = Buffer.from(`\uFEFF${lines(60).replace(/\n/g, '\r\n')}`, 'utf8');
      put('crlf.ts', original);
      const batch = api.review.edits.begin();
      const signal = new AbortController().signal;
      const edit = await batch.propose(
        'edit_file',
        {
          path: rel('crlf.ts'),
          edits: [
            { old_text: 'line 5\n', new_text: 'FIVE\n' },
            { old_text: 'line 30\nline 31\n', new_text: 'thirty\n' },
            { old_text: 'line 50\n', new_text: 'fifty\n' },
          ],
        },
        signal,
      );
      assert.ok(edit.ok, JSON.stringify(edit));
      assert.ok((await batch.propose('write_file', { path: rel('made.ts'), content: 'made\n' }, signal)).ok);
      const { review, decisions } = await startReview(batch, signal);
      const file = review.file(rel('crlf.ts'))!;
      const [h1, h2, h3] = file.units();
      await api.review.controller.decideUnit(review.id, file.id, h1.key, 'accepted');
      await api.review.controller.decideUnit(review.id, file.id, h2.key, 'rejected');
      await api.review.controller.decideUnit(review.id, file.id, h3.key, 'accepted');
      assert.equal(bytes('crlf.ts').compare(original), 0, 'nothing lands while a file is undecided');
      await api.review.controller.act(review.id, 'acceptFile', rel('made.ts'));
      const result = await decisions;
      const expected = Buffer.from(
        `\uFEFF${lines(60).replace('line 5\n', 'FIVE\n').replace('line 50\n', 'fifty\n').replace(/\n/g, '\r\n')}`,
        'utf8',
      );
      assert.equal(bytes('crlf.ts').toString('hex'), expected.toString('hex'));
      assert.equal(bytes('made.ts').toString(), 'made\n');
      const forEdit = result.find((decision) => decision.changeId === edit.change.id)!;
      assert.equal(forEdit.status, 'partial');
      assert.match(
        forEdit.message,
        /^Applied 2 of 3 hunks to review-tests\/crlf\.ts; rejected hunk 2 \(lines 30-31\)\./,
      );
      const card = api.review.controller.view(review);
      assert.equal(card.status, 'partial');
      assert.ok(card.canUndo);

      const undone = await api.review.controller.undo(review.id);
      assert.ok(undone.ok, undone.message);
      assert.equal(bytes('crlf.ts').toString('hex'), original.toString('hex'));
      assert.throws(() => bytes('made.ts'), 'the created file is removed again');
      assert.match(undone.message, /restored review-tests\/crlf\.ts; removed review-tests\/made\.ts/);
      assert.equal(api.review.controller.view(review).status, 'undone');
    },
  );

  it(
    'stacked edits to a mixed-EOL file stay separate hunks; the accepted ones land with ' +
      "every other line's ending kept",
    async () => {
      // Lines 1-20 end in CRLF, 21-40 in LF: the dominant ending is a tie, so new lines take LF.
      const original = `${lines(20).replace(/\n/g, '\r\n')}${lines(40).slice(lines(20).length)}`;
      put('mixed.ts', original);
      const batch = api.review.edits.begin();
      const signal = new AbortController().signal;
      const first = await batch.propose(
        'edit_file',
        { path: rel('mixed.ts'), edits: [{ old_text: 'line 5\n', new_text: 'FIVE\n' }] },
        signal,
      );
      assert.ok(first.ok, JSON.stringify(first));
      const second = await batch.propose(
        'edit_file',
        { path: rel('mixed.ts'), edits: [{ old_text: 'line 30\n', new_text: 'thirty\n' }] },
        signal,
      );
      assert.ok(second.ok, JSON.stringify(second));
      const third = await batch.propose(
        'edit_file',
        { path: rel('mixed.ts'), edits: [{ old_text: 'line 38\n', new_text: 'line 38\nafter 38\n' }] },
        signal,
      );
      assert.ok(third.ok, JSON.stringify(third));
      const { review, decisions } = await startReview(batch, signal);
      const file = review.file(rel('mixed.ts'))!;
      assert.deepEqual(
        file.units().map((unit) => [unit.hunk!.oldStart, unit.hunk!.oldText, unit.hunk!.newText]),
        [
          [4, 'line 5\r\n', 'FIVE\n'],
          [29, 'line 30\n', 'thirty\n'],
          [38, '', 'after 38\n'],
        ],
      );
      const [five, thirty, after] = file.units();
      await api.review.controller.decideUnit(review.id, file.id, five.key, 'accepted');
      await api.review.controller.decideUnit(review.id, file.id, thirty.key, 'rejected');
      await api.review.controller.decideUnit(review.id, file.id, after.key, 'accepted');
      const result = await decisions;
      assert.deepEqual(
        result.map((decision) => decision.status),
        ['partial', 'partial', 'partial'],
      );
      assert.equal(
        bytes('mixed.ts').toString(),
        original.replace('line 5\r\n', 'FIVE\n').replace('line 38\n', 'line 38\nafter 38\n'),
      );
    },
  );

  it('undo refuses a file changed since, unless the user confirms', async () => {
    put('later.ts', 'a\nb\n');
    const batch = api.review.edits.begin();
    assert.ok(
      (
        await batch.propose(
          'edit_file',
          { path: rel('later.ts'), edits: [{ old_text: 'b', new_text: 'B' }] },
          new AbortController().signal,
        )
      ).ok,
    );
    const { review, decisions } = await startReview(batch);
    await api.review.controller.act(review.id, 'acceptAll');
    await decisions;
    assert.equal(bytes('later.ts').toString(), 'a\nB\n');
    put('later.ts', 'a\nB\nuser line\n');
    const refused = await api.review.controller.undo(review.id, async () => false);
    assert.equal(refused.ok, false);
    assert.match(refused.message, /Not undone: review-tests\/later\.ts changed since/);
    assert.equal(bytes('later.ts').toString(), 'a\nB\nuser line\n');
    const forced = await api.review.controller.undo(review.id, async () => true);
    assert.ok(forced.ok);
    assert.equal(bytes('later.ts').toString(), 'a\nb\n');
  });

  it('refuses to apply onto a document edited since the proposal, and rebases when the edit is elsewhere', async () => {
    put('stale.ts', lines(30));
    const document = await vscode.workspace.openTextDocument(abs('stale.ts'));
    await vscode.window.showTextDocument(document);
    const batch = api.review.edits.begin();
    const proposed = await batch.propose(
      'edit_file',
      { path: rel('stale.ts'), edits: [{ old_text: 'line 10\n', new_text: 'ten\n' }] },
      new AbortController().signal,
    );
    assert.ok(proposed.ok);
    const { review, decisions } = await startReview(batch);
    const change = new vscode.WorkspaceEdit();
    change.replace(document.uri, new vscode.Range(9, 0, 10, 0), 'user ten\n');
    assert.ok(await vscode.workspace.applyEdit(change));
    await api.review.controller.act(review.id, 'acceptAll');
    const [decision] = await decisions;
    assert.equal(decision.status, 'failed');
    assert.match(decision.message, /changed since this edit was proposed/);
    assert.equal(bytes('stale.ts').toString(), lines(30), 'disk untouched');
    assert.match(document.getText(), /user ten/);

    // Far from the hunk, the user's edit and the proposal both land.
    const second = api.review.edits.begin();
    assert.ok(
      (
        await second.propose(
          'edit_file',
          { path: rel('stale.ts'), edits: [{ old_text: 'line 25\n', new_text: 'twenty-five\n' }] },
          new AbortController().signal,
        )
      ).ok,
    );
    const next = await startReview(second);
    const elsewhere = new vscode.WorkspaceEdit();
    elsewhere.insert(document.uri, new vscode.Position(0, 0), 'top\n');
    assert.ok(await vscode.workspace.applyEdit(elsewhere));
    await api.review.controller.act(next.review.id, 'acceptAll');
    const [rebased] = await next.decisions;
    assert.equal(rebased.status, 'accepted', rebased.message);
    const text = bytes('stale.ts').toString();
    assert.ok(text.startsWith('top\n') && text.includes('user ten\n') && text.includes('twenty-five\n'), text);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('CodeLens over each pending hunk accepts or rejects it; the diff document leaves rejected hunks out', async () => {
    put('lens.ts', lines(20));
    const batch = api.review.edits.begin();
    assert.ok(
      (
        await batch.propose(
          'edit_file',
          {
            path: rel('lens.ts'),
            edits: [
              { old_text: 'line 4\n', new_text: 'four\n' },
              { old_text: 'line 16\n', new_text: 'sixteen\n' },
            ],
          },
          new AbortController().signal,
        )
      ).ok,
    );
    const { review, decisions } = await startReview(batch);
    const file = review.file(rel('lens.ts'))!;
    const uri = vscode.Uri.file(abs('lens.ts'));
    await vscode.workspace.openTextDocument(uri);
    const ours = async () =>
      ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? []).filter(
        (lens) => lens.command?.command.startsWith('qcoder.review.'),
      );
    const lenses = await ours();
    assert.deepEqual(
      lenses.map((lens) => [lens.range.start.line, lens.command!.title]),
      [
        [3, "$(check) Accept QCoder's change 1/2"],
        [3, '$(close) Reject'],
        [3, '$(diff) Diff'],
        [15, "$(check) Accept QCoder's change 2/2"],
        [15, '$(close) Reject'],
        [15, '$(diff) Diff'],
      ],
    );
    await vscode.commands.executeCommand(lenses[1].command!.command, ...lenses[1].command!.arguments!);
    const proposal = await vscode.workspace.openTextDocument(proposalUri(review.id, file, 'after'));
    assert.equal(proposal.getText(), lines(20).replace('line 16\n', 'sixteen\n'));
    const left = await ours();
    assert.equal(left.length, 3);
    await vscode.commands.executeCommand(left[0].command!.command, ...left[0].command!.arguments!);
    const [decision] = await decisions;
    assert.equal(decision.status, 'partial');
    assert.equal(bytes('lens.ts').toString(), lines(20).replace('line 16\n', 'sixteen\n'));
    assert.equal((await ours()).length, 0, 'no lenses once decided');
  });

  it(
    'works on an unsaved buffer: the edit lands on it and is saved; undo gives back the ' +
      'old bytes and the unsaved text',
    async () => {
      put('dirty.ts', lines(10));
      const document = await vscode.workspace.openTextDocument(abs('dirty.ts'));
      const typing = new vscode.WorkspaceEdit();
      typing.insert(document.uri, new vscode.Position(0, 0), 'unsaved\n');
      assert.ok(await vscode.workspace.applyEdit(typing));
      assert.ok(document.isDirty);
      const batch = api.review.edits.begin();
      assert.ok(
        (
          await batch.propose(
            'edit_file',
            { path: rel('dirty.ts'), edits: [{ old_text: 'unsaved\nline 1\n', new_text: 'unsaved\none\n' }] },
            new AbortController().signal,
          )
        ).ok,
      );
      const { review, decisions } = await startReview(batch);
      await api.review.controller.act(review.id, 'acceptAll');
      assert.equal((await decisions)[0].status, 'accepted');
      assert.equal(bytes('dirty.ts').toString(), `unsaved\none\n${lines(10).slice('line 1\n'.length)}`);
      const undone = await api.review.controller.undo(review.id);
      assert.ok(undone.ok, undone.message);
      assert.equal(bytes('dirty.ts').toString(), lines(10));
      const reopened = await vscode.workspace.openTextDocument(abs('dirty.ts'));
      await until('the unsaved text back in the buffer', () => reopened.getText() === `unsaved\n${lines(10)}`);
      assert.ok(reopened.isDirty);
      await vscode.commands
        .executeCommand('workbench.action.files.revert', reopened.uri)
        .then(undefined, () => undefined);
    },
  );

  it('refuses paths outside the workspace, other roots, denied files and symlinks that leave it', async () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'qcoder-outside-'));
    writeFileSync(path.join(outside, 'secret.txt'), 'outside\n');
    symlinkSync(outside, abs('linked'));
    try {
      const batch = api.review.edits.begin();
      const signal = new AbortController().signal;
      const attempts: [string, Record<string, unknown>, RegExp][] = [
        ['write_file', { path: '../escape.txt', content: 'x' }, /outside the workspace/],
        ['write_file', { path: path.join(outside, 'abs.txt'), content: 'x' }, /outside the workspace/],
        [
          'edit_file',
          { path: `file://${outside}/secret.txt`, edits: [{ old_text: 'outside', new_text: 'inside' }] },
          /outside the workspace/,
        ],
        ['write_file', { path: rel('linked/evil.txt'), content: 'x' }, /symbolic link .* outside the workspace/],
        [
          'edit_file',
          { path: rel('linked/secret.txt'), edits: [{ old_text: 'outside', new_text: 'inside' }] },
          /symbolic link .* outside the workspace/,
        ],
        [
          'write_file',
          { path: rel('.env'), content: 'KEY=1' },
          /off limits to QCoder: .*(may hold secrets|environment files)/,
        ],
        ['rename_file', { from: 'src/cart.ts', to: '../cart.ts' }, /outside the workspace/],
      ];
      for (const [tool, args, pattern] of attempts) {
        const result = await batch.propose(tool, args, signal);
        assert.equal(result.ok, false, `${tool} ${JSON.stringify(args)} was allowed`);
        if (!result.ok) assert.match(result.message, pattern, `${tool} ${JSON.stringify(args)}`);
      }
      assert.equal(batch.files.length, 0);
      const read = await new VsCodeWorkspaceAccess().readText(rel('linked/secret.txt'));
      assert.equal(read.ok, false);
      assert.equal(readFileSync(path.join(outside, 'secret.txt'), 'utf8'), 'outside\n');
    } finally {
      rmSync(abs('linked'));
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('shows a protected file as needing approval: Accept all leaves it, its own Accept applies it', async () => {
    const batch = api.review.edits.begin();
    assert.ok(
      (
        await batch.propose(
          'write_file',
          { path: '.vscode/tasks.json', content: '{ "version": "2.0.0", "tasks": [] }\n' },
          new AbortController().signal,
        )
      ).ok,
    );
    assert.ok(
      (await batch.propose('write_file', { path: rel('plain.ts'), content: 'plain\n' }, new AbortController().signal))
        .ok,
    );
    const { review, decisions } = await startReview(batch);
    const card = api.review.controller.view(review);
    const tasks = card.files.find((file) => file.path === '.vscode/tasks.json')!;
    assert.match(tasks.approval ?? '', /editor settings, tasks/);
    assert.equal(card.files.find((file) => file.path === rel('plain.ts'))!.approval, undefined);
    await api.review.controller.act(review.id, 'acceptAll');
    const waiting = api.review.controller.view(review);
    assert.equal(waiting.status, 'pending');
    assert.deepEqual(
      waiting.files.map((file) => [file.path, file.state]),
      [
        ['.vscode/tasks.json', 'pending'],
        [rel('plain.ts'), 'accepted'],
      ],
    );
    await api.review.controller.act(review.id, 'acceptFile', '.vscode/tasks.json');
    const result = await decisions;
    assert.deepEqual(
      result.map((decision) => decision.status),
      ['accepted', 'accepted'],
    );
    assert.equal(
      readFileSync(path.join(root, '.vscode', 'tasks.json'), 'utf8'),
      '{ "version": "2.0.0", "tasks": [] }\n',
    );
    rmSync(path.join(root, '.vscode'), { recursive: true, force: true });
  });

  it(
    "a full agent turn: the model's edit_file call becomes a card, Accept all writes the " +
      'exact file, the model is told',
    async () => {
      const before = readFileSync(path.join(root, 'src', 'cart.ts'), 'utf8');
      model.enqueue(
        {
          kind: 'raw',
          events: toolCallEvents(
            [
              {
                name: 'edit_file',
                id: 'call_fix',
                args: {
                  path: 'src/cart.ts',
                  edits: [
                    {
                      old_text: '  return Math.floor(subtotal * (1 - discount.percent / 100));',
                      new_text: '  return Math.round(subtotal * (1 - discount.percent / 100));',
                    },
                  ],
                },
              },
            ],
            'I will round instead.',
          ),
        },
        { kind: 'stream', chunks: ['Fixed: the total is rounded now.'] },
      );
      const start = model.requests.length;
      const sending = api.chat.send('Fix the rounding bug in cart.ts');
      const card = await until<ReviewView>('the review card', () => {
        const message = posted.filter((m) => m.type === 'review').at(-1);
        return message?.type === 'review' && message.review.status === 'pending' ? message.review : undefined;
      });
      const toolCard = posted.filter((m) => m.type === 'toolCall').at(-1);
      assert.ok(toolCard?.type === 'toolCall');
      assert.equal(card.messageId, toolCard.messageId, 'the card sits under the message that proposed the edit');
      assert.deepEqual(
        card.files.map((file) => [file.path, file.added, file.removed]),
        [['src/cart.ts', 1, 1]],
      );
      assert.equal(
        readFileSync(path.join(root, 'src', 'cart.ts'), 'utf8'),
        before,
        'nothing written before acceptance',
      );
      await api.review.controller.act(card.id, 'acceptAll');
      await sending;
      assert.equal(
        readFileSync(path.join(root, 'src', 'cart.ts'), 'utf8'),
        before.replace('Math.floor(subtotal', 'Math.round(subtotal'),
      );
      const followUp = model.requests[start + 1].body;
      const tool = followUp.messages.at(-1);
      assert.equal(tool.role, 'tool');
      assert.equal(tool.tool_call_id, 'call_fix');
      assert.equal(tool.content, 'Applied the change to src/cart.ts.');
      const last = posted.filter((m) => m.type === 'toolCall').at(-1);
      assert.ok(last?.type === 'toolCall' && last.call.status === 'accepted');
      assert.equal((await api.review.controller.undo(card.id)).ok, true);
      assert.equal(readFileSync(path.join(root, 'src', 'cart.ts'), 'utf8'), before);
    },
  );

  it('Stop while the card waits rejects the changes and the card says so', async () => {
    const before = readFileSync(path.join(root, 'src', 'inventory.ts'), 'utf8');
    model.enqueue({
      kind: 'raw',
      events: toolCallEvents([{ name: 'write_file', args: { path: 'src/inventory.ts', content: 'export {};\n' } }]),
    });
    const sending = api.chat.send('Empty inventory.ts');
    const card = await until<ReviewView>('the review card', () => {
      const message = posted.filter((m) => m.type === 'review').at(-1);
      return message?.type === 'review' &&
        message.review.status === 'pending' &&
        message.review.files[0]?.path === 'src/inventory.ts'
        ? message.review
        : undefined;
    });
    api.chat.stop();
    await sending;
    const final = posted
      .filter((m): m is Extract<HostMessage, { type: 'review' }> => m.type === 'review' && m.review.id === card.id)
      .at(-1)!.review;
    assert.equal(final.status, 'stopped');
    assert.match(final.note ?? '', /Stopped: the proposed changes were rejected/);
    assert.equal(readFileSync(path.join(root, 'src', 'inventory.ts'), 'utf8'), before);
    const call = posted.filter((m) => m.type === 'toolCall').at(-1);
    assert.ok(call?.type === 'toolCall' && call.call.status === 'rejected');
  });

  it("Review opens VS Code's Refactor Preview; the hunks ticked there are the ones that land", async () => {
    put('preview.ts', lines(30));
    const batch = api.review.edits.begin();
    assert.ok(
      (
        await batch.propose(
          'edit_file',
          {
            path: rel('preview.ts'),
            edits: [
              { old_text: 'line 2\n', new_text: 'two\n' },
              { old_text: 'line 15\n', new_text: 'fifteen\n' },
              { old_text: 'line 28\n', new_text: 'twenty-eight\n' },
            ],
          },
          new AbortController().signal,
        )
      ).ok,
    );
    const { review, decisions } = await startReview(batch);
    const reviewing = api.review.controller.act(review.id, 'review');
    await until('the preview', () => api.review.controller.view(review).status === 'reviewing');
    await sleep(1500);
    // The tree has focus: file node, then its three edits (unticked: they need confirmation). Tick 1 and 3.
    for (const command of [
      'list.focusFirst',
      'list.focusDown',
      'refactorPreview.toggleCheckedState',
      'list.focusDown',
      'list.focusDown',
      'refactorPreview.toggleCheckedState',
      'refactorPreview.apply',
    ]) {
      await vscode.commands.executeCommand(command);
      await sleep(200);
    }
    await Promise.race([reviewing, sleep(8000)]);
    if (!review.finished) {
      const stuck = api.review.controller.view(review);
      await vscode.commands.executeCommand('refactorPreview.discard');
      await reviewing;
      await api.review.controller.act(review.id, 'rejectAll');
      assert.fail(`the preview did not apply: ${JSON.stringify(stuck)}`);
    }
    const [decision] = await decisions;
    assert.equal(decision.status, 'partial', decision.message);
    assert.match(decision.message, /rejected hunk 2 \(line 15\)/);
    assert.equal(
      bytes('preview.ts').toString(),
      lines(30).replace('line 2\n', 'two\n').replace('line 28\n', 'twenty-eight\n'),
    );
  });
});
