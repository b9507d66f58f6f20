/** The chat sidebar: a webview view on the shared host (`chatHost.ts`), showing the main engine's session. */
import type * as vscode from 'vscode';
import type { WebviewMessage } from '../core/protocol';
import { DisposableStore } from '../core/util/lifecycle';
import { CHAT_VIEW_ID, type ChatRouteHandler, ChatSurfaces } from './chatHost';

export { CHAT_VIEW_ID };

export class ChatViewProvider extends ChatSurfaces implements vscode.WebviewViewProvider {
  private view: vscode.WebviewView | undefined;
  private readonly viewSubscriptions = new DisposableStore();

  /** Where the buttons of review cards go (they are not chat engine business). */
  handleReviewActions(handler: (message: Extract<WebviewMessage, { type: 'reviewAction' }>) => Promise<unknown>): void {
    this.routes.reviewAction = handler;
  }

  /** Where the session drop-down's rename / delete / export buttons go (they ask the user through the editor). */
  handleSessionActions(
    handler: (message: Extract<WebviewMessage, { type: 'sessionAction' }>) => Promise<unknown>,
  ): void {
    this.routes.sessionAction = handler;
  }

  /** Where code-block buttons and files dropped on the input go (they need the editor). */
  handleCodeActions(handler: ChatRouteHandler<'codeAction' | 'dropFiles'>): void {
    this.routes.codeAction = handler;
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.viewSubscriptions.clear();
    this.view = view;
    this.viewSubscriptions.add(this.bind(view.webview, 'sidebar'));
    this.viewSubscriptions.add(
      view.onDidDispose(() => {
        if (this.view === view) this.view = undefined;
        this.viewSubscriptions.clear();
      }),
    );
  }

  get visible(): boolean {
    return this.view?.visible ?? false;
  }

  override dispose(): void {
    this.viewSubscriptions.dispose();
    super.dispose();
  }
}
