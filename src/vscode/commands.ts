/** QCoder's commands. */
import * as vscode from 'vscode';
import type { ChatEngine } from '../core/chat/chatEngine';
import { DisposableStore } from '../core/util/lifecycle';
import type { ApiKeys } from './apiKeys';
import { CHAT_VIEW_ID } from './chatView';

export function registerCommands(engine: ChatEngine, keys: ApiKeys): vscode.Disposable {
  const store = new DisposableStore();
  const register = (id: string, run: () => unknown) => store.add(vscode.commands.registerCommand(id, run));
  register('qcoder.setApiKey', async () => {
    if (await keys.prompt()) {
      void vscode.window.showInformationMessage('QCoder: API key saved in secret storage.');
    }
  });
  register('qcoder.clearApiKey', async () => {
    await keys.clear();
    void vscode.window.showInformationMessage('QCoder: API key removed.');
  });
  register('qcoder.newChat', () => engine.newChat());
  register('qcoder.focusChat', () => vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`));
  return new vscode.Disposable(() => store.dispose());
}
