/**
 * The user types inside the lines an inline edit is rewriting, at a chosen moment of a slow
 * scripted stream: the keystroke must stay in the document (and on disk after a save), and the
 * edit must stop rather than write its rendering or its result over the typing.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { QCoderApi } from '../../../src/extension';
import type { InlineEditArgs, InlineOutcome } from '../../../src/vscode/features/inlineEdit/register';
import { type QCoderHost, startQCoder } from '../../support/extensionHost';
import { type ModelServer, textChunks } from '../../support/modelServer';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const lines = Array.from({ length: 20 }, (_, i) => `const line${i + 1} = ${i + 1};`);
const rewrite = Array.from({ length: 4 }, (_, k) => `const rewritten${k + 9} = ${k};`).join('\n');

describe('inline edit typing (real extension host)', function () {
  this.timeout(60_000);
  let server: ModelServer;
  let host: QCoderHost;
  let api: QCoderApi;
  let root: string;

  before(async () => {
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    host = await startQCoder();
    ({ api, server } = host);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await host?.close();
  });

  /** Starts a slow rewrite of lines 9-13, waits until `ready` says so, types `token` at `at`, then saves. */
  async function typeDuring(name: string, token: string, ready: (streamed: number) => boolean, line: number) {
    const file = vscode.Uri.file(path.join(root, name));
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(lines.join('\n') + '\n'));
    const document = await vscode.workspace.openTextDocument(file);
    const editor = await vscode.window.showTextDocument(document, { preview: false });
    editor.selection = new vscode.Selection(8, 0, 12, 0);
    const chunks = textChunks('```ts\n' + rewrite + '\n```\n', 4);
    server.enqueue({ kind: 'stream', chunks, delayMs: 60 });
    let streamed = 0;
    const listening = api.inlineEdit.controller.onDidChange(() => streamed++);
    const args: InlineEditArgs = { instruction: 'rename' };
    const outcome = vscode.commands.executeCommand<InlineOutcome>('qcoder.inlineEdit', args);
    for (let i = 0; !ready(streamed) && i < 400; i++) await sleep(5);
    let typed = false;
    for (let attempt = 0; !typed && attempt < 50; attempt++) {
      typed = await editor.edit((edit) => edit.insert(new vscode.Position(line, 0), token));
      if (!typed) await sleep(5);
    }
    assert.ok(typed, 'the editor took the keystroke');
    const result = await outcome;
    listening.dispose();
    for (let i = 0; api.inlineEdit.controller.session(document.uri) && i < 200; i++) await sleep(25);
    assert.equal(api.inlineEdit.controller.session(document.uri), undefined, 'the inline edit ended');
    assert.ok(await document.save(), 'the file saved');
    const disk = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
    return { result, text: document.getText(), disk };
  }

  it('a keystroke inside the lines mid-stream is kept and stops the edit', async () => {
    const { result, text, disk } = await typeDuring('typing-mid.ts', '/*typed*/', (n) => n >= 3, 9);
    assert.ok(text.includes('/*typed*/'), `the keystroke is in the document:\n${text}`);
    assert.notEqual(result.state, 'review', 'the edit stopped');
    assert.equal(disk, text, 'the disk holds the editor text');
    // Around the typed line, the file is as it was: none of the proposed lines stayed.
    assert.ok(!text.includes('rewritten'), `no proposed line stayed:\n${text}`);
    for (const kept of [...lines.slice(0, 8), ...lines.slice(13)]) assert.ok(text.includes(kept), kept);
  });

  it('a keystroke inside the lines as the last chunk arrives is kept', async () => {
    // The stream fires a change per streamed line; typing late races the end of the stream.
    const { text, disk } = await typeDuring('typing-late.ts', '/*late*/', (n) => n >= 5, 8);
    assert.ok(text.includes('/*late*/'), `the keystroke is in the document:\n${text}`);
    assert.equal(disk, text, 'the disk holds the editor text');
  });
});
