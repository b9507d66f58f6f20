import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ChatEngine } from '../../../src/core/chat/chatEngine';
import type { HostMessage } from '../../../src/core/protocol';
import { ChatViewProvider } from '../../../src/vscode/chatView';

/** A webview view whose incoming messages the test sends and whose outgoing ones it reads. */
function fakeView() {
  const incoming = new vscode.EventEmitter<unknown>();
  const disposed = new vscode.EventEmitter<void>();
  const webview = {
    options: {},
    html: '',
    cspSource: 'vscode-resource:',
    asWebviewUri: (uri: vscode.Uri) => uri,
    onDidReceiveMessage: incoming.event,
    postMessage: () => Promise.resolve(true),
  };
  const view = { webview, visible: true, onDidDispose: disposed.event } as unknown as vscode.WebviewView;
  return { view, send: (message: unknown) => incoming.fire(message) };
}

describe('chat view: failures between the webview and the engine', () => {
  it('shows the failure and restores the typed text when sending fails before the message was accepted', async () => {
    const log = vscode.window.createOutputChannel('QCoder test', { log: true });
    const shown: string[] = [];
    const provider = new ChatViewProvider(vscode.Uri.file('/'), log, (text) => shown.push(text));
    const posted: HostMessage[] = [];
    provider.onDidPostMessage((message) => posted.push(message));
    provider.attach({
      sessionId: 's1',
      handle: () => Promise.reject(new Error('connecting failed')),
    } as unknown as ChatEngine);
    const { view, send } = fakeView();
    provider.resolveWebviewView(view);
    try {
      send({ type: 'send', text: 'my long question' });
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(posted, [{ type: 'restoreInput', text: 'my long question' }]);
      assert.deepEqual(shown, ['QCoder: Your message could not be sent: connecting failed']);
    } finally {
      provider.dispose();
      log.dispose();
    }
  });

  it('does not put the text back once the engine took the message into the chat', async () => {
    const log = vscode.window.createOutputChannel('QCoder test', { log: true });
    const shown: string[] = [];
    const provider = new ChatViewProvider(vscode.Uri.file('/'), log, (text) => shown.push(text));
    const posted: HostMessage[] = [];
    provider.onDidPostMessage((message) => posted.push(message));
    const user = { id: 'u1', role: 'user', content: 'q', status: 'complete' } as const;
    provider.attach({
      sessionId: 's1',
      shows: (id: string) => id === user.id,
      handle: () => {
        provider.post({ type: 'messageAdded', message: user });
        return Promise.reject(new Error('the turn failed later'));
      },
    } as unknown as ChatEngine);
    const { view, send } = fakeView();
    provider.resolveWebviewView(view);
    try {
      send({ type: 'send', text: 'q' });
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(
        posted.map((message) => message.type),
        ['messageAdded'],
      );
      assert.deepEqual(shown, ['QCoder: Your message could not be sent: the turn failed later']);
    } finally {
      provider.dispose();
      log.dispose();
    }
  });
});
