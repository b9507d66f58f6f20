/**
 * "Open Chat in Editor": the chat in an editor tab (a `WebviewPanel`), beside the code or
 * across the whole width. A tab shows the same host and protocol as the sidebar
 * (`chatHost.ts`); the serializer brings open tabs back after a reload, on the session
 * they showed.
 */
import * as vscode from 'vscode';
import type { ChatEngine } from '../core/chat/chatEngine';
import { DisposableStore } from '../core/util/lifecycle';
import type { ChatSurfaces } from './chatHost';

export const CHAT_PANEL_TYPE = 'qcoder.chatPanel';

/** What a tab remembers across a reload (VS Code keeps it with the tab). */
interface PanelState {
  readonly sessionId?: string;
}

export function register(surfaces: ChatSurfaces, engine: ChatEngine, extensionUri: vscode.Uri): vscode.Disposable {
  const store = new DisposableStore();
  const show = (panel: vscode.WebviewPanel) => {
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'qcoder.svg');
    const bound = surfaces.bind(panel.webview, 'panel');
    const closed = panel.onDidDispose(() => {
      bound.dispose();
      closed.dispose();
    });
    return panel;
  };
  store.add(
    vscode.commands.registerCommand('qcoder.openChatInEditor', async (sessionId?: unknown) => {
      if (typeof sessionId === 'string') await engine.handle({ type: 'switchSession', sessionId });
      const panel = vscode.window.createWebviewPanel(
        CHAT_PANEL_TYPE,
        'QCoder Chat',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
        { enableScripts: true, retainContextWhenHidden: false },
      );
      return show(panel);
    }),
  );
  store.add(
    vscode.window.registerWebviewPanelSerializer(CHAT_PANEL_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        const { sessionId } = (state ?? {}) as PanelState;
        if (typeof sessionId === 'string' && !engine.busy)
          await engine.handle({ type: 'switchSession', sessionId }).catch(() => undefined);
        show(panel);
      },
    }),
  );
  return new vscode.Disposable(() => store.dispose());
}
