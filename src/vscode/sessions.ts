/**
 * Chat sessions in the editor: where their files live (the extension's storage folder),
 * problems with them shown to the user, and rename / delete with undo / export, from the
 * command palette and from the session drop-down in the chat view.
 */
import * as vscode from 'vscode';
import type { ChatEngine } from '../core/chat/chatEngine';
import type { SessionAction } from '../core/protocol';
import { sessionToJson, sessionToMarkdown } from '../core/session/export';
import { keyValueFiles, type SessionFiles } from '../core/session/files';
import { nodeSessionFiles } from '../core/session/nodeFiles';
import { SessionRepository } from '../core/session/session';
import { DisposableStore } from '../core/util/lifecycle';
import type { ChatSurfaces } from './chatHost';
import type { ChatViewProvider } from './chatView';

type StorageContext = Pick<vscode.ExtensionContext, 'storageUri' | 'globalStorageUri' | 'workspaceState'>;

/**
 * The workspace's storage folder, else (no folder open) the global one; a host without a
 * local disk keeps them in workspace state.
 */
function sessionFiles(context: StorageContext): SessionFiles {
  const base = [context.storageUri, context.globalStorageUri].find((uri) => uri?.scheme === 'file');
  return base ? nodeSessionFiles(vscode.Uri.joinPath(base, 'sessions').fsPath) : keyValueFiles(context.workspaceState);
}

/** The sessions of this workspace; files that fail to load or save are reported to the user, not only logged. */
export function openSessions(context: StorageContext, log: vscode.LogOutputChannel): SessionRepository {
  return new SessionRepository(context.workspaceState, {
    files: sessionFiles(context),
    report: (problem) => {
      log.warn(`sessions: ${problem}`);
      void vscode.window.showWarningMessage(`QCoder: ${problem}`);
    },
  });
}

type Format = 'markdown' | 'json';
const FORMATS: Record<Format, { label: string; extension: string; write: typeof sessionToJson }> = {
  markdown: { label: 'Markdown', extension: 'md', write: sessionToMarkdown },
  json: { label: 'JSON', extension: 'json', write: sessionToJson },
};

export class SessionCommands {
  private readonly deleted: string[] = [];

  constructor(
    private readonly sessions: SessionRepository,
    private readonly engine: ChatEngine,
    /** The sidebar and the editor tabs: every one shows the list again after a change. */
    private readonly surfaces?: Pick<ChatSurfaces, 'publishAll' | 'showing'>,
  ) {}

  /** A button of the chat view's session drop-down. */
  act(action: SessionAction, id: string): Promise<unknown> {
    switch (action) {
      case 'rename':
        return this.rename(id);
      case 'delete':
        return this.delete(id);
      case 'undoDelete':
        return this.undoDelete(id);
      case 'openInEditor':
        return Promise.resolve(vscode.commands.executeCommand('qcoder.openChatInEditor', id));
      case 'exportMarkdown':
        return this.export(id, 'markdown');
      case 'exportJson':
        return this.export(id, 'json');
    }
  }

  async rename(id?: unknown, title?: unknown): Promise<boolean> {
    const session = await this.pick(id, 'Rename which chat?');
    if (!session) return false;
    const name =
      typeof title === 'string'
        ? title
        : await vscode.window.showInputBox({
            prompt: 'New name for the chat',
            value: session.title,
            validateInput: (value) => (value.trim() ? undefined : 'The name cannot be empty.'),
          });
    if (name === undefined || !(await this.sessions.rename(session.id, name))) return false;
    await this.publishAll();
    return true;
  }

  async delete(id?: unknown): Promise<boolean> {
    const session = await this.pick(id, 'Delete which chat?');
    if (!session) return false;
    await this.settle(session.id);
    if (!(await this.sessions.delete(session.id))) return false;
    this.deleted.push(session.id);
    await this.publishAll();
    void vscode.window
      .showInformationMessage(`QCoder: deleted the chat "${session.title}".`, 'Undo')
      .then((answer) => (answer === 'Undo' ? this.undoDelete(session.id) : undefined));
    return true;
  }

  /** Brings back a chat deleted in this window (the last one, or the one named). */
  async undoDelete(id?: unknown): Promise<boolean> {
    const wanted = typeof id === 'string' ? id : this.deleted.at(-1);
    if (wanted === undefined || !this.deleted.includes(wanted)) {
      void vscode.window.showInformationMessage('QCoder: no deleted chat to bring back in this window.');
      return false;
    }
    await this.settle(this.sessions.active.id);
    const restored = await this.sessions.restore(wanted);
    this.deleted.splice(this.deleted.indexOf(wanted), 1);
    await this.publishAll();
    return restored !== undefined;
  }

  async export(id?: unknown, format?: unknown, target?: unknown): Promise<vscode.Uri | undefined> {
    const session = await this.pick(id, 'Export which chat?');
    if (!session) return undefined;
    const chosen = isFormat(format) ? format : await pickFormat();
    if (!chosen) return undefined;
    const { label, extension, write } = FORMATS[chosen];
    const uri =
      target instanceof vscode.Uri
        ? target
        : await vscode.window.showSaveDialog({
            title: `Export "${session.title}" as ${label}`,
            defaultUri: defaultTarget(session.title, extension),
            filters: { [label]: [extension] },
          });
    if (!uri) return undefined;
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(write(session)));
    void vscode.window.showInformationMessage(`QCoder: exported the chat to ${uri.fsPath || uri.toString()}.`);
    return uri;
  }

  private publishAll(): Promise<void> {
    return this.surfaces ? this.surfaces.publishAll() : this.engine.publishAll();
  }

  /** A chat that is answering (in the sidebar or a tab) is stopped before it is deleted or replaced. */
  private async settle(id: string): Promise<void> {
    const engine = this.surfaces?.showing(id)?.engine ?? (this.sessions.active.id === id ? this.engine : undefined);
    if (!engine?.busy) return;
    engine.stop();
    await engine.idle();
  }

  private async pick(id: unknown, placeHolder: string) {
    if (typeof id === 'string') {
      const session = this.sessions.get(id);
      if (!session) void vscode.window.showWarningMessage('QCoder: that chat no longer exists.');
      return session;
    }
    const items = this.sessions.summaries().map((summary) => ({
      label: summary.title,
      description: summary.id === this.sessions.active.id ? 'current' : new Date(summary.updatedAt).toLocaleString(),
      id: summary.id,
    }));
    const picked = await vscode.window.showQuickPick(items, { placeHolder });
    return picked ? this.sessions.get(picked.id) : undefined;
  }
}

const isFormat = (value: unknown): value is Format => value === 'markdown' || value === 'json';

async function pickFormat(): Promise<Format | undefined> {
  const picked = await vscode.window.showQuickPick(
    [
      { label: 'Markdown', description: 'to read or share', format: 'markdown' as const },
      { label: 'JSON', description: 'the whole session, with tool results', format: 'json' as const },
    ],
    { placeHolder: 'Export as' },
  );
  return picked?.format;
}

function defaultTarget(title: string, extension: string): vscode.Uri | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const name =
    title
      .replace(/[^\p{L}\p{N} _-]+/gu, '')
      .trim()
      .replace(/\s+/g, '-')
      .slice(0, 60) || 'chat';
  return folder ? vscode.Uri.joinPath(folder, `${name}.${extension}`) : undefined;
}

/** The session commands, and the chat view's session buttons routed to them. */
export function register(
  sessions: SessionRepository,
  engine: ChatEngine,
  view: Pick<ChatViewProvider, 'handleSessionActions' | 'routes' | 'publishAll' | 'showing'>,
): vscode.Disposable {
  const commands = new SessionCommands(sessions, engine, view);
  view.handleSessionActions((message) => commands.act(message.action, message.sessionId));
  view.routes.searchSessions = (query) => sessions.search(query);
  const store = new DisposableStore();
  const add = (id: string, run: (...args: unknown[]) => unknown) => store.add(vscode.commands.registerCommand(id, run));
  add('qcoder.renameSession', (id, title) => commands.rename(id, title));
  add('qcoder.deleteSession', (id) => commands.delete(id));
  add('qcoder.undoDeleteSession', (id) => commands.undoDelete(id));
  add('qcoder.exportSession', (id, format, target) => commands.export(id, format, target));
  return new vscode.Disposable(() => store.dispose());
}
