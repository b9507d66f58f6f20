/**
 * The host side of a chat webview, the same for the sidebar view and every editor tab:
 * its options and HTML, and where each message it sends goes (the engine, the review, the
 * session commands, links, the setup box). Every surface shows the one engine's chat; the
 * engine's messages go to all of them (`ChatSurfaces.post`).
 */
import * as vscode from 'vscode';
import type { ChatEngine } from '../core/chat/chatEngine';
import { discoverLocalServers } from '../core/model/localServers';
import { type HostMessage, parseWebviewMessage, type WebviewMessage } from '../core/protocol';
import { DisposableStore } from '../core/util/lifecycle';
import { openAnswerLink } from './linkOpener';
import { chatHtml, type ChatSurface } from './webviewHtml';

type Handler<T extends WebviewMessage['type']> = (message: Extract<WebviewMessage, { type: T }>) => Promise<unknown>;

/** Where the messages that are not chat engine business go. */
export interface ChatRoutes {
  reviewAction?: Handler<'reviewAction'>;
  sessionAction?: Handler<'sessionAction'>;
  /** Code-block buttons and files dropped on the input (they need the editor). */
  codeAction?: Handler<'codeAction' | 'dropFiles'>;
  searchSessions?: (query: string) => string[];
}

export class ChatSurfaces implements vscode.Disposable {
  private engine: ChatEngine | undefined;
  readonly routes: ChatRoutes = {};
  private readonly webviews = new Set<vscode.Webview>();
  private readonly posted = new vscode.EventEmitter<HostMessage>();
  /** Every message sent to the webviews (tests listen here). */
  readonly onDidPostMessage = this.posted.event;
  private readonly readyView = new vscode.EventEmitter<void>();
  /** A webview's script has loaded and asked for the conversation. */
  readonly onDidBecomeReady = this.readyView.event;
  private readonly rendered = new vscode.EventEmitter<Extract<WebviewMessage, { type: 'rendered' }>>();
  /** A webview drew a finished message: what the user sees. */
  readonly onDidRender = this.rendered.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    /** How a failure reaches the user (an error notification). */
    private readonly showError: (text: string) => void = (text) => void vscode.window.showErrorMessage(text),
    /** Which ports are asked for local model servers (tests inject their own). */
    readonly findLocalServers: typeof discoverLocalServers = discoverLocalServers,
  ) {}

  attach(engine: ChatEngine): void {
    this.engine = engine;
  }

  /** Shows the chat in `webview` until the returned disposable is disposed (the view or the tab closed). */
  bind(webview: vscode.Webview, surface: ChatSurface): vscode.Disposable {
    webview.options = {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [
        vscode.Uri.joinPath(this.extensionUri, 'dist'),
        vscode.Uri.joinPath(this.extensionUri, 'media'),
      ],
    };
    webview.html = chatHtml(webview, this.extensionUri, surface);
    this.webviews.add(webview);
    const store = new DisposableStore();
    store.add(webview.onDidReceiveMessage((raw: unknown) => this.receive(webview, raw)));
    store.add(new vscode.Disposable(() => this.webviews.delete(webview)));
    return new vscode.Disposable(() => store.dispose());
  }

  private receive(webview: vscode.Webview, raw: unknown): void {
    const message = parseWebviewMessage(raw);
    if (!message) {
      this.log.warn('ignored a malformed message from a chat webview');
      return;
    }
    switch (message.type) {
      case 'ready':
        this.readyView.fire();
        break;
      case 'rendered':
        this.rendered.fire(message);
        return;
      case 'reviewAction':
        return this.run(this.routes.reviewAction?.(message), 'The review action failed');
      case 'sessionAction':
        return this.run(this.routes.sessionAction?.(message), 'The session action failed');
      case 'codeAction':
      case 'dropFiles':
        return this.run(this.routes.codeAction?.(message), 'The code block action failed');
      case 'openLink':
        return this.run(openAnswerLink(message.href), 'The link could not be opened');
      case 'chooseProvider': {
        const { preset, baseUrl, model } = message;
        const args = preset ? { preset, baseUrl, model } : undefined;
        return this.run(vscode.commands.executeCommand('qcoder.chooseProvider', args), 'Choosing the provider failed');
      }
      case 'findLocalServers':
        return this.run(
          this.findLocalServers().then((servers) => this.postTo(webview, { type: 'localServers', servers })),
          'Looking for local model servers failed',
        );
      case 'searchSessions': {
        const ids = this.routes.searchSessions?.(message.query) ?? [];
        this.postTo(webview, { type: 'sessionMatches', requestId: message.requestId, ids });
        return;
      }
    }
    this.handleInEngine(message);
  }

  private run(work: Promise<unknown> | Thenable<unknown> | undefined, what: string): void {
    Promise.resolve(work).catch((error: unknown) => this.fail(what, error));
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

  /** A message for one webview only (an answer to its own question). */
  private postTo(webview: vscode.Webview, message: HostMessage): void {
    this.posted.fire(message);
    void webview.postMessage(message);
  }

  post(message: HostMessage): void {
    this.posted.fire(message);
    // A hidden or not yet opened webview catches up from the full snapshot it asks for on 'ready'.
    for (const webview of this.webviews) void webview.postMessage(message);
  }

  dispose(): void {
    this.webviews.clear();
    this.posted.dispose();
    this.rendered.dispose();
    this.readyView.dispose();
  }
}
