/**
 * Each chat surface keeps its own context, and commands act in the chat the user works in, in
 * the real extension host with a local model server: an item pinned in an editor tab's ledger
 * goes into the tab's requests and not into the sidebar's (the requests the server received);
 * with the tab brought to the front, Explain This File and the API's chat land in the tab's
 * conversation; a secret scrubbed from the tab's request is noticed under the tab's reply only;
 * the tab closed, commands go back to the sidebar.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HostMessage } from '../../../src/core/protocol';
import type { QCoderApi } from '../../../src/extension';
import type { ChatEngine } from '../../../src/core/chat/chatEngine';
import { type BoundSurface, ChatSurfaces } from '../../../src/vscode/chatHost';
import { type QCoderHost, startQCoder } from '../../support/extensionHost';
import { type ModelServer, textChunks } from '../../support/modelServer';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

const PINNED = 'PINNED-IN-THE-TAB-4e7a';
const EXPLAINED = 'EXPLAINED-IN-THE-TAB-90c3';

describe('each chat surface has its own context, and commands act in the chat the user works in', () => {
  let server: ModelServer;
  let host: QCoderHost;
  let api: QCoderApi;
  let root: string;
  const delivered: { surface: BoundSurface; message: HostMessage }[] = [];
  const uri = (rel: string) => vscode.Uri.file(path.join(root, rel));
  const write = (rel: string, text: string) => vscode.workspace.fs.writeFile(uri(rel), new TextEncoder().encode(text));
  const panels = () => api.surfaces.surfaces.filter((surface) => surface.kind === 'panel');
  const sidebar = () => api.surfaces.surfaces.find((surface) => surface.kind === 'sidebar')!;
  /** What request `index` sent, as the server received it. */
  const sent = (index: number) => JSON.stringify(server.requests[index].body.messages);
  const to = (surface: BoundSurface, from: number) =>
    delivered.slice(from).flatMap((entry) => (entry.surface === surface ? [entry.message] : []));

  before(async () => {
    host = await startQCoder({
      server: (server) => server.setDefault({ kind: 'stream', chunks: ['Noted.'] }),
      activated: (api) => api.surfaces.onDidPostToSurface((entry) => delivered.push(entry)),
    });
    ({ api, server } = host);
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    await write('src/pinnedInTab.ts', `export const pinned = '${PINNED}';\n`);
    await write('src/explainedInTab.ts', `export const explained = '${EXPLAINED}';\n`);
    await vscode.commands.executeCommand('qcoder.chat.focus');
    await until('the sidebar to load', () => api.surfaces.surfaces.find((surface) => surface.kind === 'sidebar'));
    await api.chat.newChat();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const rel of ['src/pinnedInTab.ts', 'src/explainedInTab.ts'])
      await vscode.workspace.fs.delete(uri(rel)).then(undefined, () => undefined);
    await host?.close();
  });

  it('a file pinned in the tab goes into the tab’s next request, not into the sidebar’s', async () => {
    await vscode.commands.executeCommand('qcoder.openChatInEditor');
    const tab = await until('the tab to open', () => panels()[0]);
    await tab.engine.handle({ type: 'send', text: 'What is in @file:src/pinnedInTab.ts?' });
    await tab.engine.handle({ type: 'contextAction', action: 'pin', key: 'file:src/pinnedInTab.ts' });

    const fromTab = server.requests.length;
    await tab.engine.handle({ type: 'send', text: 'and once more, without naming it' });
    assert.match(sent(fromTab), new RegExp(PINNED), 'the pin is kept in the tab’s own requests');

    const fromSidebar = server.requests.length;
    const deliveredBefore = delivered.length;
    await sidebar().engine.handle({ type: 'send', text: 'a question in the sidebar' });
    assert.equal(server.requests.length, fromSidebar + 1);
    assert.equal(server.requests[fromSidebar].body.messages.at(-1).content, 'a question in the sidebar');
    assert.doesNotMatch(sent(fromSidebar), new RegExp(PINNED), 'the tab’s pin is not in the sidebar’s request');
    const ledger = to(sidebar(), deliveredBefore)
      .filter((message) => message.type === 'ledger')
      .at(-1);
    assert.ok(ledger?.type === 'ledger', 'the sidebar got a ledger of its own request');
    assert.ok(!ledger.ledger.items.some((item) => item.key === 'file:src/pinnedInTab.ts'), 'nor in its ledger');
  });

  it('with the tab in front, Explain This File and the API’s chat act in the tab', async () => {
    const tab = panels()[0];
    await tab.reveal();
    await until('the tab to be where commands act', () => api.surfaces.target() === tab);
    assert.equal(api.chat, tab.engine, 'the API’s chat is the tab’s');
    const sidebarMessages = sidebar().engine.session.messages.length;
    const from = server.requests.length;
    const deliveredBefore = delivered.length;
    const refused = await vscode.commands.executeCommand('qcoder.explainFile', uri('src/explainedInTab.ts'));
    assert.equal(refused, undefined);
    assert.equal(server.requests.length, from + 1);
    assert.match(sent(from), new RegExp(EXPLAINED), 'the explained file was sent');
    assert.match(sent(from), /What is in @file:src\/pinnedInTab\.ts\?/, 'with the tab’s conversation before it');
    assert.doesNotMatch(sent(from), /a question in the sidebar/, 'and nothing of the sidebar’s');
    const added = to(tab, deliveredBefore).flatMap((m) => (m.type === 'messageAdded' ? [m.message.content] : []));
    assert.ok(
      added.some((text) => text.includes('explainedInTab.ts')),
      `the tab shows the request: ${added.join(' | ')}`,
    );
    assert.ok(
      tab.engine.session.messages.some(
        (message) => message.role === 'user' && /explainedInTab\.ts/.test(message.content),
      ),
      'the explanation is in the tab’s session',
    );
    assert.equal(sidebar().engine.session.messages.length, sidebarMessages, 'the sidebar’s chat did not change');
    assert.ok(!to(sidebar(), deliveredBefore).some((m) => m.type === 'messageAdded' || m.type === 'delta'));
  });

  it(
    'a secret scrubbed from the tab’s request is noticed under the tab’s reply, ' + 'while the sidebar streams too',
    async () => {
      const tab = panels()[0];
      const token = `ghp_${'Z9y8'.repeat(9)}`;
      server.gate((body: { messages: { content: string }[] }) => {
        const asked = String(body.messages.at(-1)?.content ?? '');
        return asked.includes('slow')
          ? { kind: 'stream', chunks: textChunks('A slow answer.', 2), delayMs: 60 }
          : undefined;
      });
      const deliveredBefore = delivered.length;
      const slow = sidebar().engine.handle({ type: 'send', text: 'a slow question in the sidebar' });
      await until('the sidebar to stream', () =>
        to(sidebar(), deliveredBefore).some((m) => m.type === 'messageAdded' && m.message.status === 'streaming'),
      );
      await tab.engine.handle({ type: 'send', text: `Why does this token fail? ${token}` });
      await slow;
      server.gate(undefined);
      const notices = (surface: BoundSurface) => to(surface, deliveredBefore).filter((m) => m.type === 'notice');
      const reply = tab.engine.session.messages.at(-1)!;
      assert.deepEqual(
        notices(tab).map((m) => m.type === 'notice' && m.messageId),
        [reply.id],
        'one notice, under the tab’s reply',
      );
      assert.deepEqual(notices(sidebar()), [], 'none in the sidebar');
    },
  );

  it('the tab closed, commands act in the sidebar again', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await until('the tab to close', () => panels().length === 0 || undefined);
    assert.equal(api.surfaces.target().kind, 'sidebar');
    assert.equal(api.chat, sidebar().engine);
  });
});

describe('where commands act: the surface the user last worked in', () => {
  function fakeWebview() {
    const incoming = new vscode.EventEmitter<unknown>();
    const webview = {
      options: {},
      html: '',
      cspSource: 'vscode-resource:',
      asWebviewUri: (uri: vscode.Uri) => uri,
      onDidReceiveMessage: incoming.event,
      postMessage: () => Promise.resolve(true),
    } as unknown as vscode.Webview;
    return { webview, send: (message: unknown) => incoming.fire(message) };
  }
  const fakeEngine = (sessionId: string) =>
    ({ sessionId, handle: async () => undefined, shows: () => false }) as unknown as ChatEngine;

  it('a tab brought forward or typed in is the target, a load is not; the sidebar when the tab closes', () => {
    // ChatSurfaces only logs malformed messages and failures; none are sent here.
    const log = { warn: () => undefined, error: () => undefined } as unknown as vscode.LogOutputChannel;
    const surfaces = new ChatSurfaces(vscode.Uri.file('/'), log, () => undefined);
    const sidebarEngine = fakeEngine('s-1');
    const tabEngine = fakeEngine('s-2');
    surfaces.attach(sidebarEngine);
    const sidebarView = fakeWebview();
    const tabView = fakeWebview();
    surfaces.bind(sidebarView.webview, 'sidebar');
    const tabBinding = surfaces.bind(tabView.webview, 'panel', tabEngine);
    try {
      assert.equal(surfaces.target().engine, sidebarEngine, 'no tab worked in yet: the sidebar');
      tabView.send({ type: 'ready' });
      assert.equal(surfaces.target().engine, sidebarEngine, 'a tab that loads is not one the user turned to');
      tabView.send({ type: 'stop' });
      assert.equal(surfaces.target().engine, tabEngine, 'the user pressed Stop in the tab');
      sidebarView.send({ type: 'stop' });
      assert.equal(surfaces.target().engine, sidebarEngine, 'then in the sidebar');
      surfaces.focus(tabView.webview);
      assert.equal(surfaces.target().engine, tabEngine, 'the tab came to the front');
      tabBinding.dispose();
      assert.equal(surfaces.target().kind, 'sidebar', 'the tab closed');
    } finally {
      surfaces.dispose();
    }
  });
});
