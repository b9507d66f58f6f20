import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { QCoderApi } from '../../../src/extension';
import type { HostMessage, LedgerView } from '../../../src/core/protocol';
import { type QCoderHost, startQCoder } from '../../support/extensionHost';
import type { ModelServer } from '../../support/modelServer';
import { toolCallEvents } from '../../support/toolCallStream';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!(await probe())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('context in the chat (real extension host)', () => {
  let server: ModelServer;
  let host: QCoderHost;
  let api: QCoderApi;
  let root: string;
  const posted: HostMessage[] = [];
  const write = (rel: string, text: string) =>
    vscode.workspace.fs.writeFile(vscode.Uri.file(path.join(root, rel)), new TextEncoder().encode(text));
  const remove = (rel: string) =>
    vscode.workspace.fs.delete(vscode.Uri.file(path.join(root, rel)), { recursive: true }).then(
      () => undefined,
      () => undefined,
    );
  /** Everything the model server received since `from`, as one string. */
  const sentSince = (from: number) => JSON.stringify(server.requests.slice(from).map((request) => request.body));
  const lastLedger = () =>
    posted.filter((m): m is Extract<HostMessage, { type: 'ledger' }> => m.type === 'ledger').at(-1)?.ledger;
  const notes = () =>
    posted.flatMap((m) => (m.type === 'messageAdded' && m.message.role === 'assistant' ? [m.message.content] : []));

  before(async () => {
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    host = await startQCoder({ server: (server) => server.setDefault({ kind: 'stream', chunks: ['Noted.'] }), posted });
    ({ api, server } = host);
    await write('src/x.ts', 'export const xMarker = "CONTENT-OF-X-7f3a";\n');
    await write('.env', 'API_TOKEN=SECRET-VALUE-91c2\n');
    await write('.gitignore', 'ignored/\n');
    await write('ignored/hidden.ts', 'export function hiddenWidgetFactory() { return "HIDDEN-CONTENT-5d1e"; }\n');
    const index = await api.index.get();
    await until(
      'the index to see the new files',
      () => index.has('src/x.ts') && index.policy.check('ignored/hidden.ts').allowed === false,
    );
  });

  after(async () => {
    await host?.close();
    for (const rel of ['src/x.ts', '.env', '.gitignore', 'ignored']) await remove(rel);
  });

  it('sends an @file mention’s content to the model server and lists it in the ledger', async () => {
    const from = server.requests.length;
    const started = Date.now();
    await api.chat.send('What does @file:src/x.ts export?');
    console.log(`      first message with context took ${Date.now() - started} ms end to end`);
    assert.match(sentSince(from), /CONTENT-OF-X-7f3a/);
    const messages = server.requests[from].body.messages as { role: string; content: string }[];
    assert.equal(messages[0].role, 'system');
    assert.equal(messages.at(-1)?.content, 'What does @file:src/x.ts export?');
    const ledger = lastLedger() as LedgerView;
    assert.ok(ledger, 'a ledger was posted to the view');
    const x = ledger.items.find((item) => item.key === 'file:src/x.ts');
    assert.ok(x && x.included && x.kind === 'pinned' && x.tokens > 0, JSON.stringify(x));
    const total = ledger.items.filter((item) => item.included).reduce((sum, item) => sum + item.tokens, 0);
    assert.ok(total <= ledger.used && ledger.used <= ledger.window, `${total} ≤ ${ledger.used} ≤ ${ledger.window}`);
    console.log(
      `      ledger: ${ledger.used} of ${ledger.window} tokens (${ledger.windowSource}), ` +
        `${ledger.items.filter((i) => i.included).length} items in, counted by ` +
        `${ledger.counter}, built in ${ledger.ms} ms`,
    );
  });

  it('refuses a .env mention with a note in the chat, and its content never reaches the server', async () => {
    const from = server.requests.length;
    const notesBefore = notes().length;
    await api.chat.send('What is in @file:.env please?');
    assert.doesNotMatch(sentSince(from), /SECRET-VALUE-91c2/);
    assert.ok(
      notes()
        .slice(notesBefore)
        .some((text) => /@file:\.env was not attached/.test(text)),
      notes().slice(notesBefore).join('\n'),
    );
  });

  it('does not retrieve a .gitignored file, but attaches it when mentioned', async () => {
    let from = server.requests.length;
    await api.chat.send('Where is hiddenWidgetFactory defined?');
    assert.doesNotMatch(sentSince(from), /HIDDEN-CONTENT-5d1e/);
    from = server.requests.length;
    await api.chat.send('Explain @file:ignored/hidden.ts');
    assert.match(sentSince(from), /HIDDEN-CONTENT-5d1e/);
  });

  it('keeps a dropped file out of the next request until it is restored', async () => {
    await api.chat.handle({ type: 'contextAction', action: 'drop', key: 'file:src/x.ts' });
    let from = server.requests.length;
    await api.chat.send('Once more: @file:src/x.ts');
    assert.doesNotMatch(sentSince(from), /CONTENT-OF-X-7f3a/);
    assert.equal(lastLedger()?.items.find((item) => item.key === 'file:src/x.ts')?.userDropped, true);
    await api.chat.handle({ type: 'contextAction', action: 'restore', key: 'file:src/x.ts' });
    from = server.requests.length;
    await api.chat.send('And now @file:src/x.ts');
    assert.match(sentSince(from), /CONTENT-OF-X-7f3a/);
  });

  it('completes @file: paths from the index, allowed files only', async () => {
    await api.chat.handle({ type: 'mentionQuery', requestId: 41, kind: 'file', prefix: 'src/' });
    const found = posted.find((m) => m.type === 'mentionResults' && m.requestId === 41);
    assert.ok(found && found.type === 'mentionResults');
    assert.ok(found.items.includes('src/x.ts'), found.items.join(', '));
    await api.chat.handle({ type: 'mentionQuery', requestId: 42, kind: 'file', prefix: '.e' });
    const secret = posted.find((m) => m.type === 'mentionResults' && m.requestId === 42);
    assert.ok(secret && secret.type === 'mentionResults' && !secret.items.includes('.env'));
  });

  it('attaches the editor selection and a folder listing; @selection without one says so', async () => {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(root, 'src/x.ts')));
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(0, 0, 0, 12);
    let from = server.requests.length;
    await api.chat.send('What is @selection for? See also @folder:src');
    const sent = sentSince(from);
    assert.match(sent, /CONTENT-OF-X-7f3a/);
    assert.match(sent, /Files in src\/:[^"]*src\/x\.ts/);
    const ledger = lastLedger()!;
    assert.ok(ledger.items.some((item) => item.key === 'text:folder:src/' && item.included));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const notesBefore = notes().length;
    from = server.requests.length;
    await api.chat.send('Explain @selection');
    assert.ok(
      notes()
        .slice(notesBefore)
        .some((text) => /@selection was not attached: nothing is selected/.test(text)),
    );
    assert.equal(server.requests.length, from + 1, 'the message is still sent, with the note in the chat');
  });

  it(
    'denies the agent’s tools a .env and an ignored file through the same policy, and ' +
      'keeps the prefix in the tool loop',
    async () => {
      server.enqueue(
        {
          kind: 'raw',
          events: toolCallEvents([
            { name: 'read_file', id: 'call_env', args: { path: '.env' } },
            { name: 'read_file', id: 'call_hidden', args: { path: 'ignored/hidden.ts' } },
            { name: 'list_files', id: 'call_list', args: {} },
          ]),
        },
        { kind: 'stream', chunks: ['Both are off limits.'] },
      );
      const from = server.requests.length;
      await api.chat.send('Read .env and ignored/hidden.ts for me');
      assert.equal(server.requests.length, from + 2);
      const sent = sentSince(from);
      assert.doesNotMatch(sent, /SECRET-VALUE-91c2/);
      assert.doesNotMatch(sent, /HIDDEN-CONTENT-5d1e/);
      const second = server.requests[from + 1].body.messages as {
        role: string;
        content: string | null;
        tool_call_id?: string;
      }[];
      const results = second.filter((message) => message.role === 'tool');
      assert.equal(results.length, 3);
      assert.match(String(results[0].content), /off limits|may hold secrets/);
      assert.match(String(results[1].content), /off limits|ignored by \.gitignore/);
      assert.doesNotMatch(String(results[2].content), /\.env|hidden\.ts/);
      // The tool loop's second request starts with the first one's messages: the server's prefix cache holds.
      const first = server.requests[from].body.messages;
      assert.deepEqual(second.slice(0, first.length), first);
    },
  );

  // Multi-root: the harness opens one folder (`?folder=`); a .code-workspace would need `?workspace=` support in
  // test/support/codeServer.ts. The core's multi-root handling is covered by the unit tests of the context engine.
});
