/** The chat sidebar: a webview view whose messages are routed to the chat engine. */
import * as vscode from 'vscode';
import type { ChatEngine } from '../core/chat/chatEngine';
import { DisposableStore } from '../core/util/lifecycle';
import { type HostMessage, parseWebviewMessage, type WebviewMessage } from '../core/protocol';
import { chatHtml } from './webviewHtml';

export const CHAT_VIEW_ID = 'qcoder.chat';

export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private engine: ChatEngine | undefined;
  private readonly viewSubscriptions = new DisposableStore();
  private readonly posted = new vscode.EventEmitter<HostMessage>();
  /** Every message sent to the webview (tests listen here). */
  readonly onDidPostMessage = this.posted.event;
  private readonly readyView = new vscode.EventEmitter<void>();
  /** The webview's script has loaded and asked for the conversation. */
  readonly onDidBecomeReady = this.readyView.event;
  private readonly rendered = new vscode.EventEmitter<Extract<WebviewMessage, { type: 'rendered' }>>();
  /** The webview drew a finished message: what the user sees. */
  readonly onDidRender = this.rendered.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  attach(engine: ChatEngine): void {
    this.engine = engine;
  }

  private reviewActions: ((message: Extract<WebviewMessage, { type: 'reviewAction' }>) => Promise<unknown>) | undefined;

  /** Where the buttons of review cards go (they are not chat engine business). */
  handleReviewActions(handler: (message: Extract<WebviewMessage, { type: 'reviewAction' }>) => Promise<unknown>): void {
    this.reviewActions = handler;
  }

  private sessionActions:
    ((message: Extract<WebviewMessage, { type: 'sessionAction' }>) => Promise<unknown>) | undefined;

  /** Where the session drop-down's rename / delete / export buttons go (they ask the user through the editor). */
  handleSessionActions(
    handler: (message: Extract<WebviewMessage, { type: 'sessionAction' }>) => Promise<unknown>,
  ): void {
    this.sessionActions = handler;
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.disposeView();
    this.view = view;
    view.webview.options = {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [
        vscode.Uri.joinPath(this.extensionUri, 'dist'),
        vscode.Uri.joinPath(this.extensionUri, 'media'),
      ],
    };
    view.webview.html = chatHtml(view.webview, this.extensionUri);
    this.viewSubscriptions.add(
      view.webview.onDidReceiveMessage((raw: unknown) => {
        const message = parseWebviewMessage(raw);
        if (!message) {
          this.log.warn('ignored a malformed message from the chat view');
          return;
        }
        if (message.type === 'ready') this.readyView.fire();
        if (message.type === 'rendered') {
          this.rendered.fire(message);
          return;
        }
        if (message.type === 'reviewAction') {
          this.reviewActions?.(message).catch((error: unknown) => this.log.error(`review: ${String(error)}`));
          return;
        }
        if (message.type === 'sessionAction') {
          this.sessionActions?.(message).catch((error: unknown) => this.log.error(`sessions: ${String(error)}`));
          return;
        }
        this.engine?.handle(message).catch((error: unknown) => this.log.error(`chat: ${String(error)}`));
      }),
    );
    this.viewSubscriptions.add(
      view.onDidDispose(() => {
        if (this.view === view) this.view = undefined;
      }),
    );
  }

  get visible(): boolean {
    return this.view?.visible ?? false;
  }

  post(message: HostMessage): void {
    this.posted.fire(message);
    // A hidden or not yet opened view catches up from the full snapshot it asks for on 'ready'.
    void this.view?.webview.postMessage(message);
  }

  private disposeView(): void {
    this.viewSubscriptions.clear();
  }

  dispose(): void {
    this.viewSubscriptions.dispose();
    this.posted.dispose();
    this.rendered.dispose();
    this.readyView.dispose();
  }
}
