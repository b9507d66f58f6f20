/**
 * "Open Chat in Editor": a chat session in an editor tab (a `WebviewPanel`), beside the code
 * or across the whole width. Each tab has a chat engine of its own on its own session (a
 * `SessionCursor` over the shared repository), so a tab and the sidebar, or two tabs, show
 * and stream different sessions at once; the host and protocol are the sidebar's
 * (`chatHost.ts`). A session is shown by one surface at a time: opening one a tab already
 * shows brings that tab to the front; opening the sidebar's session moves it into the tab
 * and the sidebar starts a new chat. The serializer brings tabs back after a reload, each on
 * the session it showed: the one its webview's state names, else the one the host recorded for
 * it (`core/chat/tabMemory.ts`), so a tab whose state the workbench had not stored yet still
 * comes back on its chat. The tab the user last brought to the front is where commands act
 * (`ChatSurfaces.target`).
 */
import * as vscode from 'vscode';
import type { ChatEngine } from '../core/chat/chatEngine';
import type { HostMessage } from '../core/protocol';
import { type ChatSessions, SessionCursor } from '../core/session/cursor';
import type { SessionRepository } from '../core/session/session';
import { type RecordStore, TabMemory } from '../core/chat/tabMemory';
import { DisposableStore } from '../core/util/lifecycle';
import type { ChatSurfaces } from './chatHost';
import { chatHtml } from './webviewHtml';

export const CHAT_PANEL_TYPE = 'qcoder.chatPanel';
const TITLE = 'QCoder Chat';
/** How long a restored tab's page may take to say it has loaded before it is loaded again, and how often. */
const LOAD_WAIT_MS = 15_000;
const LOAD_TRIES = 2;

/** What a tab remembers across a reload (VS Code keeps it with the tab). */
interface PanelState {
  readonly sessionId?: string;
}

export interface ChatPanelDeps {
  readonly surfaces: ChatSurfaces;
  readonly sessions: SessionRepository;
  /** A chat engine for one tab: on `sessions`, sending its messages through `post`. */
  newEngine(sessions: ChatSessions, post: (message: HostMessage) => void): ChatEngine;
  readonly extensionUri: vscode.Uri;
  /** Where each tab's session is recorded for its restore after a reload (the workspace's state). */
  readonly state: RecordStore;
  /** How a refusal reaches the user (tests listen). */
  readonly inform?: (text: string) => void;
  readonly log?: (line: string) => void;
}

export function register(deps: ChatPanelDeps): vscode.Disposable {
  const store = new DisposableStore();
  const inform = deps.inform ?? ((text: string) => void vscode.window.showInformationMessage(text));
  const log = deps.log ?? (() => undefined);
  const memory = new TabMemory(deps.state, (error) => log(`chat tabs: the record was not stored: ${String(error)}`));
  // A window that reloads or closes disposes the extension first: its tabs are not closed by the user.
  let stopping = false;
  const show = (panel: vscode.WebviewPanel, sessionId: string | undefined, key?: string) => {
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'qcoder.svg');
    const cursor = new SessionCursor(deps.sessions, sessionId);
    const engine: ChatEngine = deps.newEngine(cursor, (message) => deps.surfaces.postFrom(engine, message));
    const bound = deps.surfaces.bind(panel.webview, 'panel', engine, () => panel.reveal());
    const tab = { sessionId: engine.sessionId, column: panel.viewColumn, title: panel.title };
    const record = key ?? memory.add(tab);
    memory.update(record, tab);
    if (panel.active) deps.surfaces.focus(panel.webview);
    // Two tabs side by side are told apart by their chats' titles.
    const titled = deps.surfaces.onDidPostToSurface(({ surface, message }) => {
      if (surface.webview !== panel.webview || message.type !== 'session') return;
      panel.title = message.sessions.find((session) => session.id === message.sessionId)?.title ?? TITLE;
      memory.update(record, { sessionId: message.sessionId, title: panel.title });
    });
    const moved = panel.onDidChangeViewState(() => {
      memory.update(record, { column: panel.viewColumn });
      if (panel.active) deps.surfaces.focus(panel.webview);
    });
    const closed = panel.onDidDispose(() => {
      closed.dispose();
      moved.dispose();
      titled.dispose();
      bound.dispose();
      if (!stopping) memory.remove(record);
      engine.stop();
      // The session stays open until its last words are written.
      void engine.idle().then(() => cursor.dispose());
    });
    return panel;
  };
  /** Whether session `id` may open in a new tab; a tab that shows it already comes to the front instead. */
  const claim = async (id: string): Promise<'free' | 'shown' | 'refused'> => {
    const shown = deps.surfaces.showing(id);
    if (!shown) return 'free';
    if (shown.kind === 'panel') {
      void shown.reveal();
      return 'shown';
    }
    if (shown.engine.busy) {
      inform('QCoder is still answering in the sidebar: open that chat in an editor when the answer is done.');
      return 'refused';
    }
    await shown.engine.newChat();
    return 'free';
  };
  /**
   * A restored tab whose page never says it has loaded (seen in code-server: the tab back, its webview blank) is
   * given its page again: new HTML (a new nonce) makes VS Code load the frame anew.
   */
  const reloadIfSilent = (panel: vscode.WebviewPanel, tries: number) => {
    const timer = setTimeout(() => {
      stop();
      if (tries <= 0 || stopping) return;
      log(`chat tab: the restored page did not load in ${LOAD_WAIT_MS} ms; loading it again`);
      panel.webview.html = chatHtml(panel.webview, deps.extensionUri, 'panel');
      reloadIfSilent(panel, tries - 1);
    }, LOAD_WAIT_MS);
    const ready = deps.surfaces.onDidSurfaceBecomeReady((surface) => surface.webview === panel.webview && stop());
    const gone = panel.onDidDispose(() => stop());
    const stop = () => {
      clearTimeout(timer);
      ready.dispose();
      gone.dispose();
    };
  };
  /** A tab VS Code brought back: on the session its state names, else the one recorded for it; never left blank. */
  const restore = async (panel: vscode.WebviewPanel, state: unknown) => {
    const stated = (state as PanelState | undefined)?.sessionId;
    const named = typeof stated === 'string' && stated ? stated : undefined;
    const record = memory.restore({ sessionId: named, column: panel.viewColumn, title: panel.title });
    let id: string | undefined = record.sessionId || undefined;
    // A session another tab restored first is not shown twice: this tab starts a new chat.
    const claimed = id ? await claim(id).catch(() => 'refused' as const) : 'free';
    if (claimed !== 'free') id = undefined;
    show(panel, id, record.key);
    reloadIfSilent(panel, LOAD_TRIES);
    const from = named ? "the tab's state" : id ? "the host's record" : 'nothing: a new chat';
    log(`chat tab restored on ${id ?? 'a new session'} (from ${from})`);
  };
  store.add(
    vscode.commands.registerCommand('qcoder.openChatInEditor', async (sessionId?: unknown) => {
      const id = typeof sessionId === 'string' ? sessionId : undefined;
      if (id !== undefined) {
        const claimed = await claim(id);
        if (claimed !== 'free') return undefined;
      }
      const panel = vscode.window.createWebviewPanel(
        CHAT_PANEL_TYPE,
        TITLE,
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
        { enableScripts: true, retainContextWhenHidden: false },
      );
      return show(panel, id);
    }),
  );
  store.add(
    vscode.window.registerWebviewPanelSerializer(CHAT_PANEL_TYPE, {
      deserializeWebviewPanel: (panel: vscode.WebviewPanel, state: unknown) => restore(panel, state),
    }),
  );
  return new vscode.Disposable(() => {
    stopping = true;
    store.dispose();
  });
}
