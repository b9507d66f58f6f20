/**
 * Project instructions and slash commands in the real extension host: what the local
 * model server received, what the ledger listed, what the chat showed. Runs in the
 * trusted run (the untrusted one is trust.test.ts).
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { QCoderApi } from '../../../src/extension';
import type { HostMessage, LedgerView } from '../../../src/core/protocol';
import { type QCoderHost, startQCoder } from '../../support/extensionHost';
import type { ModelServer } from '../../support/modelServer';

const fixture = (name: string) =>
  readFileSync(
    path.join(vscode.extensions.getExtension('qcoder.qcoder')!.extensionPath, 'test', 'fixtures', 'instructions', name),
    'utf8',
  );

describe('project instructions and slash commands (real extension host)', () => {
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
  const lastLedger = () =>
    posted.filter((m): m is Extract<HostMessage, { type: 'ledger' }> => m.type === 'ledger').at(-1)?.ledger;
  const notes = () =>
    posted.flatMap((m) => (m.type === 'messageAdded' && m.message.role === 'assistant' ? [m.message.content] : []));
  const messagesOf = (index: number) => server.requests[index].body.messages as { role: string; content: string }[];
  let fakeMode: string[] | undefined;
  let fakeModeCommand: vscode.Disposable | undefined;

  before(async function () {
    if (!vscode.workspace.isTrusted || (vscode.workspace.workspaceFolders ?? []).length !== 1) this.skip();
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    host = await startQCoder({ server: (server) => server.setDefault({ kind: 'stream', chunks: ['Noted.'] }), posted });
    ({ api, server } = host);
    await write('QWEN.md', '# House rules\n\nAlways answer in haiku. QWEN-MARKER-4b1c\n');
    await write('.qcoder/rules/style.md', 'Prefer const. RULE-MARKER-9e2d\n');
    await write(
      '.qcoder/rules/leak.md',
      'KEY-FILE-MARKER\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1234567890abcdef\n' +
        '-----END RSA PRIVATE KEY-----\n',
    );
    await write('.qcoder/commands/review.md', fixture('review.md'));
    // The Plan mode command belongs to another feature; where this build lacks it, a recorder stands in.
    if (!(await vscode.commands.getCommands(true)).includes('qcoder.setMode')) {
      fakeMode = [];
      fakeModeCommand = vscode.commands.registerCommand('qcoder.setMode', (mode: string) => fakeMode?.push(mode));
    }
  });

  after(async () => {
    if (!host) return;
    fakeModeCommand?.dispose();
    await host?.close();
    for (const rel of ['QWEN.md', '.qcoder']) await remove(rel);
  });

  it(
    'puts QWEN.md and the rules into the system prompt the server received, ' + 'and lists each in the ledger',
    async () => {
      const from = server.requests.length;
      await api.chat.send('Hello there');
      const system = messagesOf(from)[0];
      assert.equal(system.role, 'system');
      assert.match(system.content, /Always answer in haiku\. QWEN-MARKER-4b1c/);
      assert.match(system.content, /Prefer const\. RULE-MARKER-9e2d/);
      assert.ok(
        system.content.indexOf('QWEN-MARKER') < system.content.indexOf('RULE-MARKER'),
        'QWEN.md before the rules',
      );
      assert.doesNotMatch(JSON.stringify(server.requests[from].body), /KEY-FILE-MARKER|PRIVATE KEY/);
      const ledger = lastLedger() as LedgerView;
      const rows = ledger.items.filter((item) => item.kind === 'instructions');
      const qwen = rows.find((item) => item.title === 'QWEN.md');
      const style = rows.find((item) => item.title === '.qcoder/rules/style.md');
      const leak = rows.find((item) => item.title === '.qcoder/rules/leak.md');
      assert.ok(qwen?.included && qwen.tokens > 5, JSON.stringify(rows));
      assert.ok(style?.included && style.tokens > 3, JSON.stringify(rows));
      assert.ok(leak && !leak.included && /^not loaded/.test(leak.note ?? ''), JSON.stringify(leak));
      const systemRow = ledger.items.find((item) => item.kind === 'system');
      assert.ok(systemRow && systemRow.tokens > 50, 'the system row keeps QCoder’s own prompt');
    },
  );

  it('reads QWEN.md again after it changes', async () => {
    await write('QWEN.md', 'Changed rules. QWEN-MARKER-SECOND-77aa\n');
    const from = server.requests.length;
    await api.chat.send('And now?');
    const system = messagesOf(from)[0].content;
    assert.match(system, /QWEN-MARKER-SECOND-77aa/);
    assert.doesNotMatch(system, /QWEN-MARKER-4b1c/);
  });

  it('expands a custom slash command as written into the message the server received', async () => {
    const from = server.requests.length;
    await api.chat.send('/review src/app.ts "null checks"');
    const last = messagesOf(from).at(-1);
    assert.deepEqual(last, {
      role: 'user',
      content:
        'Review src/app.ts for bugs, focusing on null checks.\nEverything you were given: src/app.ts "null checks"',
    });
  });

  it('offers the built-ins and the custom command to the completion menu', async () => {
    const from = posted.length;
    await api.chat.handle({ type: 'slashQuery', requestId: 41 });
    const results = posted
      .slice(from)
      .find((m): m is Extract<HostMessage, { type: 'slashResults' }> => m.type === 'slashResults');
    assert.equal(results?.requestId, 41);
    const names = results?.items.map((item) => item.name) ?? [];
    for (const name of ['new', 'compact', 'explain', 'tests', 'init', 'plan', 'review'])
      assert.ok(names.includes(name));
    assert.deepEqual(
      results?.items.find((item) => item.name === 'review'),
      { name: 'review', description: 'Review a file for bugs', argumentHint: '<path> [focus]' },
    );
  });

  it('/new starts a new chat without asking the model', async () => {
    const from = server.requests.length;
    const before = api.sessions.active.id;
    await api.chat.send('/new');
    assert.notEqual(api.sessions.active.id, before);
    assert.equal(api.sessions.active.messages.length, 0);
    assert.equal(server.requests.length, from);
  });

  it('/plan switches to Plan mode and sends the rest of the line', async () => {
    const from = server.requests.length;
    await api.chat.send('/plan add a cache to the loader');
    if (fakeMode) assert.deepEqual(fakeMode, ['plan']);
    else {
      assert.equal(api.agent.modes.mode, 'plan');
      // The mode is remembered: put it back, or every suite after this one runs in Plan mode.
      await vscode.commands.executeCommand('qcoder.setMode', 'ask');
    }
    assert.deepEqual(messagesOf(from).at(-1), { role: 'user', content: 'add a cache to the loader' });
  });

  it('answers an unknown command with the list, and sends nothing', async () => {
    const from = server.requests.length;
    await api.chat.send('/frobnicate now');
    assert.equal(server.requests.length, from);
    const note = notes().at(-1) ?? '';
    assert.match(note, /^There is no command \/frobnicate\./);
    assert.match(note, /`\/review <path> \[focus\]` — Review a file for bugs/);
  });
});
