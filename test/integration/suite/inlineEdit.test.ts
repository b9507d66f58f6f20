import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { QCoderApi } from '../../../src/extension';
import type { InlineEditArgs, InlineOutcome } from '../../../src/vscode/features/inlineEdit/register';
import { type QCoderHost, startQCoder } from '../../support/extensionHost';
import { type ModelServer, textChunks } from '../../support/modelServer';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('inline edit (real extension host)', function () {
  this.timeout(60_000);
  let server: ModelServer;
  let host: QCoderHost;
  let api: QCoderApi;
  let root: string;
  const notes: { kind: string; text: string }[] = [];
  const uri = (rel: string) => vscode.Uri.file(path.join(root, rel));
  const disk = async (rel: string) => new TextDecoder().decode(await vscode.workspace.fs.readFile(uri(rel)));

  const original = [
    "import { scale } from './inlineScale';",
    '',
    'export function total(values: number[]): number {',
    '  let sum = 0;',
    '  for (const value of values) sum += value;',
    '  return sum;',
    '}',
    '',
    'export const LAST_LINE = 1;',
    '',
  ].join('\n');
  const rewritten = [
    'export function total(values: number[]): number {',
    '  return values.reduce((sum, value) => sum + scale(value), 0);',
    '}',
  ].join('\n');
  const expectedAfterAccept = original.replace(/export function total[\s\S]*?\n\}/, rewritten);

  /** Opens `rel` (written fresh with `text`) in an editor with `selection`. */
  async function open(rel: string, text: string, selection?: vscode.Selection): Promise<vscode.TextEditor> {
    await vscode.workspace.fs.writeFile(uri(rel), new TextEncoder().encode(text));
    const document = await vscode.workspace.openTextDocument(uri(rel));
    // A document still open from an earlier test takes the new content from disk a moment later.
    for (let i = 0; document.getText() !== text && i < 200; i++) await sleep(25);
    assert.equal(document.getText(), text, 'the editor shows the file as written');
    const editor = await vscode.window.showTextDocument(document, { preview: false });
    if (selection) editor.selection = selection;
    return editor;
  }

  const run = (args: InlineEditArgs) =>
    vscode.commands.executeCommand<InlineOutcome>('qcoder.inlineEdit', args) as Thenable<InlineOutcome>;
  const lastUser = () => {
    const body = server.requests.at(-1)?.body as { messages: { role: string; content: string }[] };
    return body.messages.find((message) => message.role === 'user')?.content ?? '';
  };

  before(async () => {
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    host = await startQCoder({ activated: (api) => api.inlineEdit.onDidNotify((note) => notes.push(note)) });
    ({ api, server } = host);
    await vscode.workspace.fs.writeFile(
      uri('src/inlineScale.ts'),
      new TextEncoder().encode('export const scale = (v: number) => v;\n'),
    );
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revert').then(undefined, () => undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    await host?.close();
    for (const rel of ['src/inlineTarget.ts', 'src/inlineScale.ts', 'src/inlinePy.py'])
      await vscode.workspace.fs.delete(uri(rel)).then(undefined, () => undefined);
  });

  it('streams a rewrite of the selection; Accept leaves exactly the rewrite, and one undo the original', async () => {
    const editor = await open('src/inlineTarget.ts', original, new vscode.Selection(2, 0, 7, 0));
    server.enqueue({ kind: 'stream', chunks: textChunks('```ts\n' + rewritten + '\n```\n', 7), delayMs: 5 });
    const states: string[] = [];
    const listener = api.inlineEdit.controller.onDidChange((change) => states.push(change.state));
    const outcome = await run({ instruction: 'use reduce and scale' });
    listener.dispose();
    assert.deepEqual(outcome, { state: 'review', blocks: 1 });
    assert.ok(states.filter((state) => state === 'streaming').length >= 2, `streamed in steps: ${states.join(',')}`);
    const user = lastUser();
    assert.ok(
      user.includes(
        '<<<<<<< REWRITE START (lines 3-7)\nexport function total(values: number[]): number {\n  let sum = 0;\n' +
          '  for (const value of values) sum += value;\n  return sum;\n}\n>>>>>>> REWRITE END',
      ),
      user,
    );
    assert.match(user, /Instruction: use reduce and scale/);
    // In review the document shows the old lines and the new ones.
    const shown = editor.document.getText();
    assert.ok(shown.includes('  let sum = 0;') && shown.includes('values.reduce'), shown);

    await vscode.commands.executeCommand('qcoder.inlineEdit.acceptAll');
    assert.equal(editor.document.getText(), expectedAfterAccept);
    assert.equal(api.inlineEdit.controller.session(editor.document.uri), undefined);
    await editor.document.save();
    assert.equal(await disk('src/inlineTarget.ts'), expectedAfterAccept);

    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), original, 'one undo gives back the original');
  });

  it(
    'without a selection rewrites the enclosing function (document symbols), ' + 'and Reject restores the exact bytes',
    async () => {
      const crlf = original.replace(/\n/g, '\r\n');
      const editor = await open('src/inlineTarget.ts', crlf, new vscode.Selection(4, 6, 4, 6));
      // The TypeScript server may need a moment before it answers document symbols.
      for (let i = 0; i < 100; i++) {
        const symbols = await vscode.commands.executeCommand<unknown[]>(
          'vscode.executeDocumentSymbolProvider',
          editor.document.uri,
        );
        if (symbols?.length) break;
        await sleep(200);
      }
      server.enqueue({ kind: 'stream', chunks: textChunks(rewritten, 5) });
      const outcome = await run({ instruction: 'shorter' });
      assert.equal(outcome.state, 'review');
      assert.match(lastUser(), /REWRITE START \(lines 3-7\)\nexport function total/);
      await vscode.commands.executeCommand('qcoder.inlineEdit.rejectAll');
      assert.equal(editor.document.getText(), crlf);
      await editor.document.save();
      assert.equal(await disk('src/inlineTarget.ts'), crlf);
    },
  );

  it('keeps what the user types elsewhere in the file while the diff is pending', async () => {
    const editor = await open('src/inlineTarget.ts', original, new vscode.Selection(2, 0, 6, 9));
    server.enqueue({ kind: 'stream', chunks: textChunks(rewritten, 9) });
    assert.equal((await run({ instruction: 'reduce' })).state, 'review');
    await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), '// typed above\n'));
    await editor.edit((edit) => edit.insert(new vscode.Position(editor.document.lineCount - 1, 0), '// typed below\n'));
    await vscode.commands.executeCommand('qcoder.inlineEdit.acceptAll');
    assert.equal(
      editor.document.getText(),
      `// typed above\n${expectedAfterAccept.replace(/\n$/, '\n// typed below\n')}`,
    );
  });

  it('refines a pending diff with a second instruction from the same original lines', async () => {
    const editor = await open('src/inlineTarget.ts', original, new vscode.Selection(2, 0, 6, 1));
    server.enqueue({ kind: 'stream', chunks: textChunks(rewritten, 9) });
    assert.equal((await run({ instruction: 'reduce' })).state, 'review');
    const shorter = 'export const total = (values: number[]): number => values.reduce((a, b) => a + b, 0);';
    server.enqueue({ kind: 'stream', chunks: textChunks(shorter, 9) });
    assert.equal((await run({ instruction: 'make it shorter' })).state, 'review');
    const user = lastUser();
    assert.match(user, /Your rewrite of the range for "reduce" is under review:/);
    assert.ok(user.includes('values.reduce((sum, value) => sum + scale(value), 0);'));
    assert.ok(user.includes('  let sum = 0;'), 'the original lines are between the markers');
    await vscode.commands.executeCommand('qcoder.inlineEdit.acceptAll');
    assert.equal(editor.document.getText(), original.replace(/export function total[\s\S]*?\n\}/, shorter));
  });

  it('a stream that breaks off, a 401 and a prose answer leave the original bytes and say why', async () => {
    const editor = await open('src/inlineTarget.ts', original, new vscode.Selection(2, 0, 6, 1));
    server.enqueue({ kind: 'drop', chunks: ['export function total(values: number[]): number {\n', '  return 0'] });
    const dropped = await run({ instruction: 'x' });
    assert.equal(dropped.state, 'failed');
    assert.match(dropped.state === 'failed' ? dropped.text : '', /lines are as they were/);
    assert.equal(editor.document.getText(), original);

    server.enqueue({ kind: 'json', status: 401, body: { error: { message: 'Invalid API key' } } });
    const unauthorised = await run({ instruction: 'x' });
    assert.equal(unauthorised.state, 'failed');
    assert.equal(editor.document.getText(), original);

    const prose = 'I cannot rewrite this function because the instruction does not describe a change.';
    server.enqueue({ kind: 'stream', chunks: [prose] });
    assert.deepEqual(await run({ instruction: 'what is this?' }), { state: 'message', text: prose });
    assert.equal(editor.document.getText(), original);
    assert.ok(notes.some((note) => note.text.includes(prose)));
  });

  it('Stop while streaming (Escape) puts the original lines back and closes the request', async () => {
    const editor = await open('src/inlineTarget.ts', original, new vscode.Selection(2, 0, 6, 1));
    server.enqueue({
      kind: 'stream',
      chunks: ['export function total() {\n', ...Array(200).fill('  x();\n')],
      delayMs: 30,
    });
    const aborts = server.aborted.length;
    const running = run({ instruction: 'slow' });
    while (!editor.document.getText().includes('export function total() {')) await sleep(20);
    await vscode.commands.executeCommand('qcoder.inlineEdit.rejectAll');
    assert.deepEqual(await running, { state: 'cancelled' });
    assert.equal(editor.document.getText(), original);
    await server.waitForAborts(aborts + 1);
  });

  it('offers Edit with QCoder on a selection and Fix with QCoder on a diagnostic, and nothing elsewhere', async () => {
    // Python: no language server here, so the only diagnostic is the test's own.
    const editor = await open('src/inlinePy.py', original);
    const actions = async (range: vscode.Range) =>
      (
        (await vscode.commands.executeCommand<vscode.CodeAction[]>(
          'vscode.executeCodeActionProvider',
          editor.document.uri,
          range,
        )) ?? []
      )
        .map((action) => action.title)
        .filter((title) => /QCoder/.test(title));
    assert.deepEqual(await actions(new vscode.Range(3, 0, 5, 4)), ['Edit with QCoder…']);
    assert.deepEqual(await actions(new vscode.Range(8, 2, 8, 2)), []);

    const diagnostics = vscode.languages.createDiagnosticCollection('inline-test');
    const range = new vscode.Range(4, 2, 4, 30);
    const hint = new vscode.Diagnostic(new vscode.Range(8, 0, 8, 5), 'unused', vscode.DiagnosticSeverity.Hint);
    diagnostics.set(editor.document.uri, [
      new vscode.Diagnostic(range, 'Loop-7c1 is not allowed here.', vscode.DiagnosticSeverity.Error),
      hint,
    ]);
    try {
      const offered = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        editor.document.uri,
        new vscode.Range(4, 5, 4, 5),
      );
      assert.deepEqual(await actions(new vscode.Range(8, 2, 8, 2)), [], 'no fix offered for a hint');
      const fix = offered?.find((action) => action.title.startsWith('Fix with QCoder'));
      assert.ok(fix?.command, 'Fix with QCoder is offered on the diagnostic');
      assert.equal(fix.title, 'Fix with QCoder: Loop-7c1 is not allowed here.');
      server.enqueue({ kind: 'stream', chunks: textChunks(rewritten, 9) });
      const outcome = await vscode.commands.executeCommand<InlineOutcome>(
        fix.command.command,
        ...(fix.command.arguments ?? []),
      );
      assert.equal(outcome.state, 'review');
      const user = lastUser();
      assert.match(user, /Problems to fix in the range:\n- line 5 \(error\): Loop-7c1 is not allowed here\./);
      assert.match(user, /Instruction: Fix this problem: Loop-7c1 is not allowed here\./);
      assert.match(user, /REWRITE START \(lines (3-7|5-5)\)/);
      await vscode.commands.executeCommand('qcoder.inlineEdit.rejectAll');
      assert.equal(editor.document.getText(), original);
    } finally {
      diagnostics.dispose();
    }
  });

  it('decides block by block through the CodeLens commands', async () => {
    const text = ['a = 1', 'b = 2', 'c = 3', 'd = 4', 'e = 5', ''].join('\n');
    const editor = await open('src/inlinePy.py', text, new vscode.Selection(0, 0, 4, 5));
    server.enqueue({ kind: 'stream', chunks: ['A = 1\nb = 2\nc = 3\nd = 4\nE = 5\n'] });
    assert.deepEqual(await run({ instruction: 'capitals' }), { state: 'review', blocks: 2 });
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      editor.document.uri,
    );
    const titles = (lenses ?? []).map((lens) => lens.command?.title ?? '');
    assert.deepEqual(
      titles.filter((title) => /Accept|Reject/.test(title)),
      [
        'Accept All (Tab)',
        'Reject All (Esc)',
        '$(check) Accept',
        '$(close) Reject',
        '$(check) Accept',
        '$(close) Reject',
      ],
    );
    const uriText = editor.document.uri.toString();
    await vscode.commands.executeCommand('qcoder.inlineEdit.decide', uriText, 1, 'rejected');
    await vscode.commands.executeCommand('qcoder.inlineEdit.decide', uriText, 0, 'accepted');
    assert.equal(editor.document.getText(), ['A = 1', 'b = 2', 'c = 3', 'd = 4', 'e = 5', ''].join('\n'));
  });
});
