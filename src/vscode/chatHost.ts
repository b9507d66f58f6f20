/**
 * The host side of the chat webviews, the same for the sidebar view and every editor tab:
 * their options and HTML, and where each message a webview sends goes (its engine, the
 * review, the session commands, links, the setup box).
 *
 * Each surface has a chat engine of its own: the sidebar the main one (on the repository's
 * active session), each editor tab one made for it on its own session (`chatPanel.ts`); the
 * engines share the session store, the model connection, the tools and the approvals. An
 * engine's messages go to its own surface (`postFrom`); what the shared services send
 * (review cards, checklists, notices, the mode) is routed by the session or message it names
 * (`post`, see `core/chat/surfaceRoute.ts`). That is the smaller change next to a session id
 * on every message: the engine and the protocol stay as they were.
 */
import * as vscode from 'vscode';
import type { ChatEngine } from '../core/chat/chatEngine';
import { routeTo } from '../core/chat/surfaceRoute';
import { discoverLocalServers } from '../core/model/localServers';
import { type HostMessage, parseWebviewMessage, type WebviewMessage } from '../core/protocol';
import { DisposableStore } from '../core/util/lifecycle';
import { openAnswerLink } from './linkOpener';
import { chatHtml, type ChatSurface } from './webviewHtml';

/** The sidebar view's id (package.json `views`). */
export const CHAT_VIEW_ID = 'qcoder.chat';

/** One chat webview and the engine whose session it shows. */
export interface BoundSurface {
  readonly kind: ChatSurface;
  readonly webview: vscode.Webview;
  readonly engine: ChatEngine;
  /** Brings the surface to the front. */
  reveal(): void | Thenable<unknown>;
}

/** Where a command acts (Explain This File, Generate Tests, the API's chat): a surface's engine, and how to show it. */
export type ChatTarget = Pick<BoundSurface, 'kind' | 'engine' | 'reveal'>;

/** Messages a webview sends by itself, not because the user did something in it. */
const UNPROMPTED: ReadonlySet<WebviewMessage['type']> = new Set(['ready', 'rendered']);

type RenderedMessage = Extract<WebviewMessage, { type: 'rendered' }> & { readonly sessionId: string };

export type ChatRouteHandler<T extends WebviewMessage['type']> = (
  message: Extract<WebviewMessage, { type: T }>,
  /** The surface the message came from (its engine is the one to act on). */
  from: BoundSurface,
) => Promise<unknown>;

/** Where the messages that are not chat engine business go. */
export interface ChatRoutes {
  reviewAction?: ChatRouteHandler<'reviewAction'>;
  sessionAction?: ChatRouteHandler<'sessionAction'>;
  /** Code-block buttons and files dropped on the input (they need the editor). */
  codeAction?: ChatRouteHandler<'codeAction' | 'dropFiles'>;
  searchSessions?: (query: string) => string[];
}

export class ChatSurfaces implements vscode.Disposable {
  private engine: ChatEngine | undefined;
  readonly routes: ChatRoutes = {};
  private readonly bound = new Set<BoundSurface>();
  /** The surface the user last worked in (typed in, or brought a tab to the front). */
  private focused: BoundSurface | undefined;
  private readonly posted = new vscode.EventEmitter<HostMessage>();
  /** Every message sent to the webviews (tests listen here). */
  readonly onDidPostMessage = this.posted.event;
  private readonly delivered = new vscode.EventEmitter<{ surface: BoundSurface; message: HostMessage }>();
  /** Each message as it is sent to one surface (tests of several surfaces listen here). */
  readonly onDidPostToSurface = this.delivered.event;
  private readonly readyView = new vscode.EventEmitter<void>();
  /** A webview's script has loaded and asked for the conversation. */
  readonly onDidBecomeReady = this.readyView.event;
  private readonly readySurface = new vscode.EventEmitter<BoundSurface>();
  /** Which surface's script has loaded (a restored tab that never says so is loaded again, see chatPanel.ts). */
  readonly onDidSurfaceBecomeReady = this.readySurface.event;
  private readonly rendered = new vscode.EventEmitter<RenderedMessage>();
  /** A webview drew a finished message: what the user sees, and the session of the surface that drew it. */
  readonly onDidRender = this.rendered.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    /** How a failure reaches the user (an error notification). */
    private readonly showError: (text: string) => void = (text) => void vscode.window.showErrorMessage(text),
    /** Which ports are asked for local model servers (tests inject their own). */
    readonly findLocalServers: typeof discoverLocalServers = discoverLocalServers,
  ) {}

  /** The sidebar's engine, and every surface's that brings none of its own. */
  attach(engine: ChatEngine): void {
    this.engine = engine;
  }

  /** Shows the chat of `engine` in `webview` until the returned disposable is disposed (the view or the tab closed). */
  bind(
    webview: vscode.Webview,
    kind: ChatSurface,
    engine: ChatEngine | undefined = this.engine,
    reveal: () => void = () => undefined,
  ): vscode.Disposable {
    if (!engine) throw new Error('the chat engine is not attached yet');
    webview.options = {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [
        vscode.Uri.joinPath(this.extensionUri, 'dist'),
        vscode.Uri.joinPath(this.extensionUri, 'media'),
      ],
    };
    webview.html = chatHtml(webview, this.extensionUri, kind);
    const surface: BoundSurface = { kind, webview, engine, reveal };
    this.bound.add(surface);
    const store = new DisposableStore();
    store.add(webview.onDidReceiveMessage((raw: unknown) => this.receive(surface, raw)));
    store.add(
      new vscode.Disposable(() => {
        this.bound.delete(surface);
        if (this.focused === surface) this.focused = undefined;
      }),
    );
    return new vscode.Disposable(() => store.dispose());
  }

  /** The user turned to the surface showing `webview` (a tab came to the front): commands act there now. */
  focus(webview: vscode.Webview): void {
    this.focused = this.surfaces.find((surface) => surface.webview === webview) ?? this.focused;
  }

  /** Where a command acts: the editor tab the user last worked in, else the sidebar. */
  target(): ChatTarget {
    const focused = this.focused;
    return focused?.kind === 'panel' && this.bound.has(focused) ? focused : this.sidebar();
  }

  private sidebar(): ChatTarget {
    if (!this.engine) throw new Error('the chat engine is not attached yet');
    return {
      kind: 'sidebar',
      engine: this.engine,
      reveal: () => vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`).then(undefined, () => undefined),
    };
  }

  /** The surfaces open now. */
  get surfaces(): readonly BoundSurface[] {
    return [...this.bound];
  }

  /** The surface that shows session `id`, if one does (the sidebar's engine counts before its view opens). */
  showing(id: string): ChatTarget | undefined {
    const bound = this.surfaces.find((surface) => surface.engine.sessionId === id);
    if (bound || this.engine?.sessionId !== id) return bound;
    return this.sidebar();
  }

  private receive(surface: BoundSurface, raw: unknown): void {
    const message = parseWebviewMessage(raw);
    if (!message) {
      this.log.warn('ignored a malformed message from a chat webview');
      return;
    }
    if (!UNPROMPTED.has(message.type)) this.focused = surface;
    switch (message.type) {
      case 'ready':
        this.readyView.fire();
        this.readySurface.fire(surface);
        break;
      case 'rendered':
        this.rendered.fire({ ...message, sessionId: surface.engine.sessionId });
        return;
      case 'switchSession': {
        // One session, one surface: the one already showing it comes to the front instead.
        const other = this.showing(message.sessionId);
        if (other && other.engine !== surface.engine) {
          void other.reveal();
          // This surface's drop-down goes back to the chat it still shows.
          return this.run(surface.engine.publishAll(), 'The chat failed');
        }
        break;
      }
      case 'reviewAction':
        return this.run(this.routes.reviewAction?.(message, surface), 'The review action failed');
      case 'sessionAction':
        return this.run(this.routes.sessionAction?.(message, surface), 'The session action failed');
      case 'codeAction':
      case 'dropFiles':
        return this.run(this.routes.codeAction?.(message, surface), 'The code block action failed');
      case 'openLink':
        return this.run(openAnswerLink(message.href), 'The link could not be opened');
      case 'chooseProvider': {
        const { preset, baseUrl, model } = message;
        const args = preset ? { preset, baseUrl, model } : undefined;
        return this.run(vscode.commands.executeCommand('qcoder.chooseProvider', args), 'Choosing the provider failed');
      }
      case 'findLocalServers':
        return this.run(
          this.findLocalServers().then((servers) => this.postTo(surface, { type: 'localServers', servers })),
          'Looking for local model servers failed',
        );
      case 'searchSessions': {
        const ids = this.routes.searchSessions?.(message.query) ?? [];
        this.postTo(surface, { type: 'sessionMatches', requestId: message.requestId, ids });
        return;
      }
    }
    this.handleInEngine(surface, message);
  }

  private run(work: Promise<unknown> | Thenable<unknown> | undefined, what: string): void {
    Promise.resolve(work).catch((error: unknown) => this.fail(what, error));
  }

  /** Engine failures reach the user, and a message that never became part of the chat goes back into the input. */
  private handleInEngine(surface: BoundSurface, message: WebviewMessage): void {
    let accepted = false;
    const watch = this.delivered.event((posted) => {
      if (
        posted.surface === surface &&
        posted.message.type === 'messageAdded' &&
        posted.message.message.role === 'user'
      )
        accepted = true;
    });
    surface.engine
      .handle(message)
      .catch((error: unknown) => {
        this.fail(message.type === 'send' ? 'Your message could not be sent' : 'The chat failed', error);
        if (message.type === 'send' && !accepted) this.postTo(surface, { type: 'restoreInput', text: message.text });
      })
      .finally(() => watch.dispose());
  }

  private fail(what: string, error: unknown): void {
    const detail = error instanceof Error ? error.message : String(error);
    this.log.error(`${what}: ${detail}`);
    this.showError(`QCoder: ${what}: ${detail}`);
  }

  /** A message for one surface only (an answer to its own question). */
  private postTo(surface: BoundSurface, message: HostMessage): void {
    this.posted.fire(message);
    this.deliver(surface, message);
  }

  private deliver(surface: BoundSurface, message: HostMessage): void {
    this.delivered.fire({ surface, message });
    void surface.webview.postMessage(message);
  }

  /** A message of `engine`: to the surfaces that show its chat. */
  postFrom(engine: ChatEngine, message: HostMessage): void {
    this.posted.fire(message);
    for (const surface of this.bound) if (surface.engine === engine) this.deliver(surface, message);
  }

  /** A message of a shared service: to the surfaces showing the session or message it names, else to all. */
  post(message: HostMessage): void {
    this.posted.fire(message);
    // A hidden or not yet opened webview catches up from the full snapshot it asks for on 'ready'.
    const targets = routeTo(message, this.bound, (surface, route) =>
      'session' in route ? surface.engine.sessionId === route.session : surface.engine.shows(route.message),
    );
    for (const surface of targets) this.deliver(surface, message);
  }

  /** Every engine sends its session and connection again (a session was renamed, deleted or restored). */
  async publishAll(): Promise<void> {
    const engines = new Set([...(this.engine ? [this.engine] : []), ...[...this.bound].map((s) => s.engine)]);
    await Promise.all([...engines].map((engine) => engine.publishAll()));
  }

  dispose(): void {
    this.bound.clear();
    this.posted.dispose();
    this.delivered.dispose();
    this.rendered.dispose();
    this.readyView.dispose();
    this.readySurface.dispose();
  }
}
