import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { QCoderApi } from '../../../src/extension';
import type { HostMessage, LedgerView } from '../../../src/core/protocol';
import { openAnswerLink } from '../../../src/vscode/linkOpener';
import { lineReferences } from '../../../src/webview/lineRefs';
import { type QCoderHost, startQCoder } from '../../support/extensionHost';
import type { ModelServer } from '../../support/modelServer';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Explain This File (real extension host)', () => {
  let server: ModelServer;
  let host: QCoderHost;
  let api: QCoderApi;
  let root: string;
  const posted: HostMessage[] = [];
  const uri = (rel: string) => vscode.Uri.file(path.join(root, rel));
  const write = (rel: string, text: string) => vscode.workspace.fs.writeFile(uri(rel), new TextEncoder().encode(text));
  const remove = (rel: string) =>
    vscode.workspace.fs.delete(uri(rel), { recursive: true }).then(undefined, () => undefined);
  /** What the model server received in the one request since `from`. */
  const onlyRequestSince = (from: number) => {
    assert.equal(server.requests.length, from + 1, 'exactly one request reached the model server');
    return JSON.stringify(server.requests[from].body);
  };
  const lastLedger = () =>
    posted.filter((m): m is Extract<HostMessage, { type: 'ledger' }> => m.type === 'ledger').at(-1)
      ?.ledger as LedgerView;
  const userMessages = () => posted.filter((m) => m.type === 'messageAdded' && m.message.role === 'user').length;

  const target = [
    "import { helperValue } from './explainHelper';",
    '',
    'export function explainTarget(): string {',
    "  return 'TARGET-BODY-3c9e' + helperValue;",
    '}',
    '',
  ].join('\n');

  before(async () => {
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    host = await startQCoder({
      server: (server) => {
        server.setDefault({ kind: 'stream', chunks: ['It explains `src/explainTarget.ts:3-5`.'] });
        // A 40K window (llama.cpp's /props): the 1,000-function file (~35K tokens) cannot go in whole, its outline can.
        server.route('GET', '/props', { kind: 'json', status: 200, body: { n_ctx: 40_960 } });
      },
      posted,
    });
    ({ api, server } = host);
    await write('src/explainTarget.ts', target);
    await write('src/explainHelper.ts', "export const helperValue = 'HELPER-NEIGHBOUR-81b0';\n");
    await write('secrets/.env', 'DB_PASSWORD=EXPLAIN-SECRET-22d4\n');
    const big = Array.from(
      { length: 1000 },
      (_, i) =>
        `export function bigPart${i}(value: number): number {\n  const body${i} = 'BIG-BODY-${i}';\n  ` +
        `return value + body${i}.length;\n}\n`,
    );
    // Its own folder: as a main file of src/ its outline would crowd the folder test's listing.
    await write('big/explainBig.ts', big.join('\n'));
    await write('src/logo.png', '\u0089PNG\r\n\u001a\n\u0000\u0000IHDR-BINARY-77aa');
    const index = await api.index.get();
    const started = Date.now();
    while (!(index.has('src/explainTarget.ts') && index.has('src/explainHelper.ts'))) {
      if (Date.now() - started > 10_000) throw new Error('timed out waiting for the index');
      await sleep(50);
    }
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await host?.close();
    for (const rel of ['big', 'src/explainTarget.ts', 'src/explainHelper.ts', 'secrets', 'src/logo.png'])
      await remove(rel);
  });

  it('is contributed to the palette, the editor title, the editor and explorer menus, with a key', async () => {
    const manifest = vscode.extensions.getExtension('qcoder.qcoder')!.packageJSON as {
      contributes: { menus: Record<string, { command: string }[]>; keybindings: { command: string }[] };
    };
    for (const menu of ['commandPalette', 'editor/title', 'editor/context', 'explorer/context'])
      assert.ok(
        manifest.contributes.menus[menu]?.some((item) => item.command === 'qcoder.explainFile'),
        menu,
      );
    assert.ok(manifest.contributes.keybindings.some((binding) => binding.command === 'qcoder.explainFile'));
    assert.ok((await vscode.commands.getCommands(true)).includes('qcoder.explainFile'));
  });

  it('explains a file from the explorer: its text, the instruction and an imported neighbour go out', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const from = server.requests.length;
    await vscode.commands.executeCommand('qcoder.explainFile', uri('src/explainTarget.ts'));
    const sent = onlyRequestSince(from);
    assert.match(sent, /TARGET-BODY-3c9e/);
    assert.match(sent, /Explain this file: `src\/explainTarget\.ts`/);
    assert.match(sent, /Purpose[^"]*Main parts[^"]*How it is used[^"]*Pitfalls/);
    assert.match(sent, /path:line/);
    assert.match(sent, /HELPER-NEIGHBOUR-81b0/, 'the imported neighbour is in the request');
    const ledger = lastLedger();
    const item = ledger.items.find((each) => each.key === 'file:src/explainTarget.ts');
    assert.ok(
      item?.included && item.kind === 'pinned' && item.reasons.includes('explained file'),
      JSON.stringify(item),
    );
    const helper = ledger.items.find((each) => each.key === 'file:src/explainHelper.ts');
    assert.ok(helper?.included && helper.reasons.includes('imported by the active file'), JSON.stringify(helper));
  });

  it('opens a path:line-range reference of the answer in the editor, selecting the range', async () => {
    const answer = posted
      .filter((m): m is Extract<HostMessage, { type: 'messageDone' }> => m.type === 'messageDone')
      .at(-1)?.content;
    assert.equal(answer, 'It explains `src/explainTarget.ts:3-5`.');
    const [reference] = lineReferences(answer);
    const warnings: string[] = [];
    const ui = {
      confirmWeb: () => Promise.resolve(false),
      openExternal: () => Promise.resolve(),
      warn: (text: string) => void warnings.push(text),
    };
    await openAnswerLink(reference.href, ui);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor && editor.document.uri.fsPath === uri('src/explainTarget.ts').fsPath);
    assert.deepEqual([editor.selection.start.line, editor.selection.end.line], [2, 5], 'lines 3-5, whole');
    assert.deepEqual(warnings, []);
  });

  it('explains a selection in its file, from the editor’s unsaved buffer', async () => {
    const document = await vscode.workspace.openTextDocument(uri('src/explainTarget.ts'));
    const editor = await vscode.window.showTextDocument(document);
    await editor.edit((edit) =>
      edit.insert(new vscode.Position(5, 0), "export const UNSAVED = 'UNSAVED-EDIT-0f1d';\n"),
    );
    assert.ok(document.isDirty);
    editor.selection = new vscode.Selection(2, 0, 4, 1);
    const from = server.requests.length;
    await vscode.commands.executeCommand('qcoder.explainFile');
    const sent = onlyRequestSince(from);
    assert.match(sent, /Explain lines 3-5 of `src\/explainTarget\.ts`/);
    assert.match(sent, /UNSAVED-EDIT-0f1d/, 'the buffer, not the disk');
    assert.match(sent, /HELPER-NEIGHBOUR-81b0/);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('explains an untitled buffer by its text', async () => {
    const document = await vscode.workspace.openTextDocument({
      language: 'python',
      content: 'def untitled_fn():\n    return "UNTITLED-BUFFER-5e2b"\n',
    });
    await vscode.window.showTextDocument(document);
    const from = server.requests.length;
    await vscode.commands.executeCommand('qcoder.explainFile');
    const sent = onlyRequestSince(from);
    assert.match(sent, /UNTITLED-BUFFER-5e2b/);
    assert.match(sent, /Explain this file: `Untitled-\d+`/);
    assert.ok(lastLedger().items.some((item) => item.included && item.reasons.includes('explained file')));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('explains a folder from its file list and main files', async () => {
    const from = server.requests.length;
    await vscode.commands.executeCommand('qcoder.explainFile', uri('src'));
    const sent = onlyRequestSince(from);
    assert.match(sent, /Explain the role of the folder `src`/);
    assert.match(sent, /Files in src\/:[^"]*explainTarget\.ts/);
  });

  it('sends a file too big for the window as its outline, and the ledger says so', async () => {
    const from = server.requests.length;
    await vscode.commands.executeCommand('qcoder.explainFile', uri('big/explainBig.ts'));
    const sent = onlyRequestSince(from);
    assert.match(sent, /bigPart999/, 'the outline names the last function');
    assert.ok((sent.match(/BIG-BODY-\d+/g) ?? []).length < 1000, 'not every body went in');
    const item = lastLedger().items.find((each) => each.key === 'file:big/explainBig.ts');
    assert.ok(item?.included && item.reasons.includes('explained file'), JSON.stringify(item));
    assert.equal(item.form, 'outline', JSON.stringify(item));
    assert.match(item.note ?? '', /outline: the whole file does not fit/);
  });

  it('sends nothing for a secret file, a binary file or a file outside the workspace, and says why', async () => {
    const from = server.requests.length;
    const users = userMessages();
    const secret = await vscode.commands.executeCommand<string>('qcoder.explainFile', uri('secrets/.env'));
    const binary = await vscode.commands.executeCommand<string>('qcoder.explainFile', uri('src/logo.png'));
    const outsideFile = vscode.Uri.file(path.join(os.tmpdir(), `qcoder-outside-${process.pid}.ts`));
    await vscode.workspace.fs.writeFile(outsideFile, new TextEncoder().encode('export const OUTSIDE = 1;\n'));
    const outside = await vscode.commands.executeCommand<string>('qcoder.explainFile', outsideFile);
    await vscode.workspace.fs.delete(outsideFile);
    assert.match(outside, /is not in a workspace folder, so it is not sent to the model/);
    console.log(`      warnings: ${secret} | ${binary}`);
    assert.match(secret, /^QCoder: secrets\/\.env was not sent to the model: .*secret/i);
    assert.match(binary, /^QCoder: src\/logo\.png (is a binary file|was not sent to the model: .*binary)/);
    await sleep(200);
    assert.equal(server.requests.length, from, 'no request reached the model server');
    assert.equal(userMessages(), users, 'no message was added to the chat');
    assert.doesNotMatch(JSON.stringify(posted), /EXPLAIN-SECRET-22d4/);
  });
});
