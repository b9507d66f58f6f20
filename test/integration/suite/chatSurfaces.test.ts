/**
 * Two chat surfaces on two sessions in the real extension host: the sidebar and an editor tab
 * stream at once, each request carries only its own conversation, each webview is posted only
 * its own messages and draws its own answer; the tab's review card and approval go to the tab;
 * a session shows in one surface at a time; Stop ends a code block's Run.
 */
import * as assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HostMessage } from '../../../src/core/protocol';
import type { QCoderApi } from '../../../src/extension';
import type { ChatEngine } from '../../../src/core/chat/chatEngine';
import { type BoundSurface, ChatSurfaces } from '../../../src/vscode/chatHost';
import { type QCoderHost, startQCoder } from '../../support/extensionHost';
import { type ModelServer, textChunks } from '../../support/modelServer';
import { toolCallEvents } from '../../support/toolCallStream';

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

describe('two chat sessions side by side', () => {
  let server: ModelServer;
  let host: QCoderHost;
  let api: QCoderApi;
  const delivered: { surface: BoundSurface; message: HostMessage }[] = [];
  const rendered: { sessionId: string; messageId: string; text: string }[] = [];
  const to = (surface: BoundSurface) => delivered.filter((entry) => entry.surface === surface).map((e) => e.message);
  const deltas = (surface: BoundSurface) =>
    to(surface)
      .flatMap((message) => (message.type === 'delta' ? [message.text] : []))
      .join('');
  const panels = () => api.surfaces.surfaces.filter((surface) => surface.kind === 'panel');

  async function openTab(sessionId?: string): Promise<BoundSurface> {
    const known = new Set(panels());
    await vscode.commands.executeCommand('qcoder.openChatInEditor', sessionId);
    const tab = await until('the tab to open', () => panels().find((surface) => !known.has(surface)));
    await until('the tab to show its chat', () => to(tab).some((message) => message.type === 'session'));
    return tab;
  }

  before(async () => {
    host = await startQCoder({
      activated: (api) => {
        api.surfaces.onDidPostToSurface((entry) => delivered.push(entry));
        api.onDidRender((message) => rendered.push(message));
      },
    });
    ({ api, server } = host);
    await vscode.commands.executeCommand('qcoder.chat.focus');
    await until('the sidebar to load', () => api.surfaces.surfaces.find((surface) => surface.kind === 'sidebar'));
    await api.chat.newChat();
  });

  after(async () => {
    server.gate(undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await host?.close();
  });

  it('the sidebar and a tab stream two sessions at once, each webview shows only its own', async () => {
    const sidebar = api.surfaces.surfaces.find((surface) => surface.kind === 'sidebar')!;
    const tab = await openTab();
    assert.notEqual(tab.engine.sessionId, sidebar.engine.sessionId, 'the tab opened a session of its own');
    // Each request is answered by what it asked, slowly, so the two streams overlap.
    server.gate((body: { messages: { role: string; content: string }[] }) => ({
      kind: 'stream',
      chunks: textChunks(`Answer to ${body.messages.at(-1)?.content}.`, 4),
      delayMs: 40,
    }));
    const before = server.requests.length;
    let inFlightAtFirstDone = 0;
    const watch = api.surfaces.onDidPostToSurface(({ message }) => {
      if (message.type === 'messageDone' && !inFlightAtFirstDone) inFlightAtFirstDone = server.requests.length - before;
    });
    await Promise.all([
      sidebar.engine.handle({ type: 'send', text: 'sidebar alpha' }),
      tab.engine.handle({ type: 'send', text: 'tab beta' }),
    ]);
    watch.dispose();
    server.gate(undefined);

    const requests = server.requests.slice(before).map((request) => request.body.messages);
    assert.equal(requests.length, 2);
    assert.equal(inFlightAtFirstDone, 2, 'both requests were under way before either answer ended');
    const asked = (text: string) => requests.find((messages) => messages.at(-1).content === text);
    assert.ok(asked('sidebar alpha') && asked('tab beta'));
    assert.ok(!JSON.stringify(asked('sidebar alpha')).includes('beta'), 'the sidebar request carries no tab text');
    assert.ok(!JSON.stringify(asked('tab beta')).includes('alpha'), 'the tab request carries no sidebar text');
    assert.equal(deltas(sidebar), 'Answer to sidebar alpha.');
    assert.equal(deltas(tab), 'Answer to tab beta.');
    // The session list (titles) is the same everywhere; the conversation is each surface's own.
    const own = (surface: BoundSurface) =>
      JSON.stringify(to(surface).map((message) => (message.type === 'session' ? message.messages : message)));
    assert.ok(!own(sidebar).includes('beta'), 'nothing of the tab was posted to the sidebar');
    assert.ok(!own(tab).includes('alpha'), 'nothing of the sidebar was posted to the tab');
    const drawn = (surface: BoundSurface, text: string) =>
      until(`the ${surface.kind} to draw "${text}"`, () =>
        rendered.find((entry) => entry.sessionId === surface.engine.sessionId && entry.text.includes(text)),
      );
    await drawn(sidebar, 'Answer to sidebar alpha.');
    await drawn(tab, 'Answer to tab beta.');
    assert.ok(!rendered.some((entry) => entry.sessionId === tab.engine.sessionId && entry.text.includes('alpha')));
    const labels = vscode.window.tabGroups.all.flatMap((group) => group.tabs.map((editorTab) => editorTab.label));
    assert.ok(labels.includes('tab beta'), `the tab is named after its chat: ${labels.join(', ')}`);
  });

  it(
    'one session, one surface: opening the tab’s session focuses the tab; ' + 'the sidebar’s moves into a new tab',
    async () => {
      const sidebar = api.surfaces.surfaces.find((surface) => surface.kind === 'sidebar')!;
      const tab = panels()[0];
      const count = panels().length;
      await vscode.commands.executeCommand('qcoder.openChatInEditor', tab.engine.sessionId);
      assert.equal(panels().length, count, 'no second tab on the same session');
      const sidebarSession = sidebar.engine.sessionId;
      const moved = await openTab(sidebarSession);
      assert.equal(moved.engine.sessionId, sidebarSession, 'the tab shows the chat picked');
      assert.notEqual(sidebar.engine.sessionId, sidebarSession, 'the sidebar went on to a new chat');
      assert.ok(deltas(moved).length === 0 && to(moved).some((m) => m.type === 'session' && m.messages.length === 2));
    },
  );

  it('a review card and an approval card of the tab’s turn go to the tab only', async () => {
    const sidebar = api.surfaces.surfaces.find((surface) => surface.kind === 'sidebar')!;
    const tab = panels()[0];
    const root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const target = path.join(root, 'from-the-tab.txt');
    rmSync(target, { force: true });
    server.enqueue(
      {
        kind: 'raw',
        events: [
          ...toolCallEvents([{ name: 'write_file', args: { path: 'from-the-tab.txt', content: 'tab\n' } }]),
          '[DONE]',
        ],
      },
      {
        kind: 'raw',
        events: [...toolCallEvents([{ name: 'run_command', args: { command: 'echo from-the-tab' } }]), '[DONE]'],
      },
      { kind: 'stream', chunks: ['Done.'] },
    );
    const start = delivered.length;
    const turn = tab.engine.handle({ type: 'send', text: 'write the file and echo' });
    const review = await until('the review card', () => api.review.controller.pending()[0]);
    await api.review.controller.act(review.id, 'acceptAll');
    const approval = await until('the approval card', () =>
      delivered
        .slice(start)
        .flatMap(({ message }) => (message.type === 'toolCall' && message.call.prompt ? [message.call] : []))
        .at(0),
    );
    await tab.engine.handle({ type: 'promptAnswer', callId: approval.id, choice: 'run' });
    await turn;
    const since = delivered.slice(start);
    const where = (type: HostMessage['type']) => [
      ...new Set(since.filter((e) => e.message.type === type).map((e) => e.surface)),
    ];
    assert.deepEqual(where('review'), [tab], 'the review card went to the tab');
    assert.deepEqual(where('toolCall'), [tab], 'the tool and approval cards went to the tab');
    assert.ok(!since.some((entry) => entry.surface === sidebar && entry.message.type !== 'mode'));
    assert.ok(existsSync(target));
    rmSync(target, { force: true });
  });

  it('the agent’s checklist (todo_write) in a tab is the tab’s session’s, shown in the tab', async () => {
    const sidebar = api.surfaces.surfaces.find((surface) => surface.kind === 'sidebar')!;
    const tab = panels()[0];
    const todos = [{ text: 'A step of the tab', status: 'pending' }];
    server.enqueue(
      { kind: 'raw', events: [...toolCallEvents([{ name: 'todo_write', args: { todos } }]), '[DONE]'] },
      { kind: 'stream', chunks: ['Planned.'] },
    );
    const start = delivered.length;
    await tab.engine.handle({ type: 'send', text: 'plan it' });
    const since = delivered.slice(start).filter((entry) => entry.message.type === 'todos');
    assert.ok(since.length > 0 && since.every((entry) => entry.surface === tab), 'the checklist went to the tab');
    assert.deepEqual(
      api.sessions.get(tab.engine.sessionId)?.todos?.map((item) => item.text),
      ['A step of the tab'],
    );
    assert.equal(api.sessions.get(sidebar.engine.sessionId)?.todos, undefined, 'the sidebar’s chat has none');
  });

  it('Stop ends a code block’s Run in the tab', async () => {
    const tab = panels()[0];
    const start = delivered.length;
    const started = Date.now();
    const run = api.surfaces.routes.codeAction!(
      { type: 'codeAction', action: 'run', messageId: 'm-x', code: 'sleep 30\n', language: 'sh', before: '' },
      tab,
    );
    const approval = await until('the approval card', () =>
      delivered
        .slice(start)
        .flatMap(({ message }) => (message.type === 'toolCall' && message.call.prompt ? [message.call] : []))
        .at(0),
    );
    await tab.engine.handle({ type: 'promptAnswer', callId: approval.id, choice: 'run' });
    await until('the command to run', () =>
      delivered.slice(start).some(({ message }) => message.type === 'toolCall' && message.call.status === 'running'),
    );
    assert.equal(tab.engine.busy, true, 'the tab shows Stop while the block runs');
    await tab.engine.handle({ type: 'stop' });
    await run;
    assert.ok(Date.now() - started < 20_000, `Stop ended "sleep 30" (${Date.now() - started} ms)`);
    assert.equal(tab.engine.busy, false);
    const last = delivered
      .slice(start)
      .flatMap(({ message }) => (message.type === 'toolCall' ? [message.call] : []))
      .at(-1);
    assert.notEqual(last?.status, 'done', JSON.stringify(last));
  });
});

describe('chat surfaces: one session in one place, shared messages to the surface of their session', () => {
  /** A webview whose incoming messages the test sends and whose outgoing ones it reads. */
  function fakeWebview() {
    const incoming = new vscode.EventEmitter<unknown>();
    const received: HostMessage[] = [];
    const webview = {
      options: {},
      html: '',
      cspSource: 'vscode-resource:',
      asWebviewUri: (uri: vscode.Uri) => uri,
      onDidReceiveMessage: incoming.event,
      postMessage: (message: HostMessage) => (received.push(message), Promise.resolve(true)),
    } as unknown as vscode.Webview;
    return { webview, received, send: (message: unknown) => incoming.fire(message) };
  }
  function fakeEngine(sessionId: string, messageIds: string[]) {
    const handled: unknown[] = [];
    let published = 0;
    const engine = {
      sessionId,
      shows: (id: string) => messageIds.includes(id),
      handle: async (message: unknown) => void handled.push(message),
      publishAll: async () => void published++,
    } as unknown as ChatEngine;
    return { engine, handled, published: () => published };
  }

  it(
    'a switch to the session a tab shows brings the tab forward; a checklist and a review ' +
      'go to their session’s surface',
    async () => {
      const log = vscode.window.createOutputChannel('QCoder test', { log: true });
      const surfaces = new ChatSurfaces(vscode.Uri.file('/'), log, () => undefined);
      const sidebar = fakeEngine('s-1', ['m-1']);
      const tab = fakeEngine('s-2', ['m-2']);
      let revealed = 0;
      surfaces.attach(sidebar.engine);
      const sidebarView = fakeWebview();
      const tabView = fakeWebview();
      surfaces.bind(sidebarView.webview, 'sidebar');
      surfaces.bind(tabView.webview, 'panel', tab.engine, () => revealed++);
      try {
        sidebarView.send({ type: 'switchSession', sessionId: 's-2' });
        await sleep(50);
        assert.equal(revealed, 1, 'the tab came forward');
        assert.deepEqual(sidebar.handled, [], 'the sidebar did not open the tab’s session too');
        assert.equal(sidebar.published(), 1, 'the sidebar’s drop-down goes back to its own chat');
        sidebarView.send({ type: 'switchSession', sessionId: 's-3' });
        await sleep(50);
        assert.deepEqual(sidebar.handled, [{ type: 'switchSession', sessionId: 's-3' }]);

        surfaces.post({ type: 'todos', sessionId: 's-2', items: [] });
        const review = { id: 'r', messageId: 'm-1', status: 'pending', files: [], canUndo: false } as const;
        surfaces.post({ type: 'review', review });
        surfaces.post({ type: 'mode', mode: 'ask' });
        surfaces.postFrom(tab.engine, { type: 'busy', busy: true });
        assert.deepEqual(
          sidebarView.received.map((message) => message.type),
          ['review', 'mode'],
        );
        assert.deepEqual(
          tabView.received.map((message) => message.type),
          ['todos', 'mode', 'busy'],
        );
      } finally {
        surfaces.dispose();
        log.dispose();
      }
    },
  );
});
