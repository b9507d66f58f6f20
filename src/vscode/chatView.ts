/** The chat sidebar: a webview view whose messages are routed to the chat engine. */
import * as vscode from 'vscode';
import type { ChatEngine } from '../core/chat/chatEngine';
import { DisposableStore } from '../core/util/lifecycle';
import { type HostMessage, parseWebviewMessage, type WebviewMessage } from '../core/protocol';
import { openAnswerLink } from './linkOpener';
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
    /** How a failure reaches the user (an error notification). */
    private readonly showError: (text: string) => void = (text) => void vscode.window.showErrorMessage(text),
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

  private codeActions:
    ((message: Extract<WebviewMessage, { type: 'codeAction' | 'dropFiles' }>) => Promise<unknown>) | undefined;

  /** Where code-block buttons and files dropped on the input go (they need the editor). */
  handleCodeActions(
    handler: (message: Extract<WebviewMessage, { type: 'codeAction' | 'dropFiles' }>) => Promise<unknown>,
  ): void {
    this.codeActions = handler;
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
          this.reviewActions?.(message).catch((error: unknown) => this.fail('The review action failed', error));
          return;
        }
        if (message.type === 'openLink') {
          openAnswerLink(message.href).catch((error: unknown) => this.fail('The link could not be opened', error));
          return;
        }
        if (message.type === 'codeAction' || message.type === 'dropFiles') {
          this.codeActions?.(message).catch((error: unknown) => this.fail('The code block action failed', error));
          return;
        }
        if (message.type === 'sessionAction') {
          this.sessionActions?.(message).catch((error: unknown) => this.fail('The session action failed', error));
          return;
        }
        this.handleInEngine(message);
      }),
    );
    this.viewSubscriptions.add(
      view.onDidDispose(() => {
        if (this.view === view) this.view = undefined;
      }),
    );
  }

  /** Engine failures reach the user, and a message that never became part of the chat goes back into the input. */
  private handleInEngine(message: WebviewMessage): void {
    if (!this.engine) return;
    let accepted = false;
    const watch = this.posted.event((posted) => {
      if (posted.type === 'messageAdded' && posted.message.role === 'user') accepted = true;
    });
    this.engine
      .handle(message)
      .catch((error: unknown) => {
        this.fail(message.type === 'send' ? 'Your message could not be sent' : 'The chat failed', error);
        if (message.type === 'send' && !accepted) this.post({ type: 'restoreInput', text: message.text });
      })
      .finally(() => watch.dispose());
  }

  private fail(what: string, error: unknown): void {
    const detail = error instanceof Error ? error.message : String(error);
    this.log.error(`${what}: ${detail}`);
    this.showError(`QCoder: ${what}: ${detail}`);
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
