/**
 * Chat sessions and where they are kept: one file per session plus an index (see
 * `storage.ts`), behind the small `SessionFiles` interface, so the core never sees `vscode`
 * and tests run against a real temporary folder.
 */
import { toolCallDetails } from '../agent/toolCallDetails';
import type { ChatMessageView, SessionSummary } from '../protocol';
import { keyValueFiles, type SessionFiles } from './files';
import { entryOf, LEGACY_KEY, loadState, markInterrupted } from './load';
import { sessionMatches } from './search';
import { SessionStorage } from './storage';
import type { ChatSession, IndexEntry, KeyValueStore, StoredMessage } from './types';

export type { ChatSession, KeyValueStore, StoredMessage } from './types';

let counter = 0;
export function newId(prefix: string): string {
  counter = (counter + 1) % 1_000_000;
  return `${prefix}-${Date.now().toString(36)}-${counter.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

export function createSession(now = Date.now()): ChatSession {
  return { id: newId('s'), title: 'New chat', createdAt: now, updatedAt: now, messages: [] };
}

export function toView(message: StoredMessage): ChatMessageView {
  return {
    id: message.id,
    role: message.role,
    content: message.display ?? message.content,
    status: message.status,
    error: message.error,
    createdAt: message.createdAt,
    doneAt: message.doneAt,
    tokens: message.tokens,
    images: message.images,
    note: message.note,
    toolCalls: message.toolCalls?.map((call) => ({
      id: call.id,
      name: call.name,
      title: call.title,
      status: call.status,
      summary: call.summary,
      command: call.command,
      answer: call.answer,
      ...toolCallDetails(call),
    })),
  };
}

export function titleFrom(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 60 ? `${line.slice(0, 57)}…` : line || 'New chat';
}

export interface SessionRepositoryOptions {
  /** Where the files go; without it, into `legacy` as one record (tests, hosts without a folder). */
  readonly files?: SessionFiles;
  /** Tells the user about a file that could not be loaded or saved. */
  readonly report?: (problem: string) => void;
}

export const MAX_TITLE_LENGTH = 200;

/** All sessions of a workspace, one of them active. Only open sessions are held in memory. */
export class SessionRepository {
  private readonly storage: SessionStorage;
  private readonly entries = new Map<string, IndexEntry>();
  private readonly open = new Map<string, ChatSession>();
  /** Sessions shown in an editor tab (`SessionCursor`), by how many: kept open like the active one. */
  private readonly held = new Map<string, number>();
  private activeId: string;
  private constructed = false;
  /** Every problem reported since loading (also sent to `report`). */
  readonly problems: string[] = [];
  /** Resolves when what loading wrote (a migration, a repaired index) is on disk. */
  readonly loaded: Promise<void>;

  constructor(legacy: KeyValueStore, options: SessionRepositoryOptions = {}) {
    const report = (problem: string) => {
      this.problems.push(problem);
      options.report?.(problem);
    };
    this.storage = new SessionStorage(options.files ?? keyValueFiles(legacy), report);
    const state = loadState(this.storage, legacy);
    for (const entry of state.entries) this.entries.set(entry.id, entry);
    for (const session of state.migrated) this.open.set(session.id, session);
    this.activeId = this.openFirst(state.activeId);
    this.constructed = true;
    const writes = [...state.kept, ...state.migrated.map((session) => this.storage.writeSession(session))];
    // Written when anything differs from the file read (a repair, a migration, a new first session).
    writes.push(this.writeIndex());
    // The old key is cleared only once its sessions are safely in files.
    this.loaded = Promise.all(writes)
      .then(async (done) => {
        if (done.every(Boolean) && legacy.get(LEGACY_KEY) !== undefined) await legacy.update(LEGACY_KEY, undefined);
      })
      .catch((error: unknown) => report(`The old chat history could not be cleared: ${String(error)}`));
  }

  /** Opens the wanted session, else the most recent one that loads, else a new one; returns its id. */
  private openFirst(wanted: string | undefined): string {
    const candidates = [...(wanted ? [wanted] : []), ...this.sorted().map((entry) => entry.id)];
    // A session an editor tab shows is not opened in the sidebar too.
    for (const id of candidates) if (!this.held.has(id) && this.load(id)) return id;
    const session = createSession();
    this.entries.set(session.id, entryOf(session));
    this.open.set(session.id, session);
    return session.id;
  }

  /** The session, read from its file if it is not open; a file that fails to load drops out of the list. */
  private load(id: string): ChatSession | undefined {
    if (!this.entries.has(id)) return undefined;
    const open = this.open.get(id);
    if (open) return open;
    const session = this.storage.readSession(id);
    if (!session) {
      this.entries.delete(id);
      if (this.constructed) void this.writeIndex();
      return undefined;
    }
    this.open.set(id, markInterrupted(session));
    return session;
  }

  private sorted(): IndexEntry[] {
    return [...this.entries.values()].sort((a, b) => b.updatedAt - a.updatedAt);
  }

  get active(): ChatSession {
    return this.open.get(this.activeId) ?? this.load(this.activeId) ?? this.open.get(this.openFirst(undefined))!;
  }

  /** Where the files are kept, for messages to the user. */
  get location(): string {
    return this.storage.location;
  }

  summaries(): SessionSummary[] {
    return this.sorted().map((entry) => {
      const session = this.open.get(entry.id) ?? entry;
      return { id: entry.id, title: session.title, updatedAt: session.updatedAt };
    });
  }

  /** A session by id (for export), opened read-only if it is not open. */
  get(id: string): ChatSession | undefined {
    return this.open.get(id) ?? this.load(id);
  }

  /** The ids of the sessions whose title or text matches `query`, newest first; files are read, not kept open. */
  search(query: string): string[] {
    return this.sorted()
      .filter((entry) => {
        const session = this.open.get(entry.id) ?? this.storage.readSession(entry.id);
        return session !== undefined && sessionMatches(session, query);
      })
      .map((entry) => entry.id);
  }

  /** Starts a new session, unless the active one is still empty. */
  startNew(): ChatSession {
    if (this.active.messages.length === 0) return this.active;
    const session = this.create();
    this.activeId = session.id;
    return session;
  }

  /** A new session in the list, not made the active one (an editor tab's). */
  create(): ChatSession {
    const session = createSession();
    this.entries.set(session.id, entryOf(session));
    this.open.set(session.id, session);
    return session;
  }

  /** Keeps session `id` open until as many `release` calls (a surface shows it). */
  hold(id: string): void {
    this.held.set(id, (this.held.get(id) ?? 0) + 1);
  }

  release(id: string): void {
    const count = (this.held.get(id) ?? 0) - 1;
    if (count > 0) this.held.set(id, count);
    else this.held.delete(id);
  }

  activate(id: string): ChatSession | undefined {
    const session = this.load(id);
    if (session) this.activeId = id;
    return session;
  }

  async rename(id: string, title: string): Promise<boolean> {
    const cleaned = title.replace(/\s+/g, ' ').trim().slice(0, MAX_TITLE_LENGTH);
    const session = this.load(id);
    if (!session || !cleaned) return false;
    session.title = cleaned;
    await this.save();
    return true;
  }

  /** Moves the session to the trash (until the window closes); `restore` undoes it. */
  async delete(id: string): Promise<boolean> {
    if (!this.entries.has(id)) return false;
    this.entries.delete(id);
    this.close(id);
    if (this.activeId === id) this.activeId = this.openFirst(undefined);
    await this.storage.trash(id);
    await this.save();
    return true;
  }

  /** Brings back a deleted session and makes it the active one. */
  async restore(id: string): Promise<ChatSession | undefined> {
    if (this.entries.has(id) || (await this.storage.restore(id)) !== true) return undefined;
    const session = this.storage.readSession(id);
    if (!session) return undefined;
    this.entries.set(id, entryOf(session));
    this.open.set(id, markInterrupted(session));
    this.activeId = id;
    await this.save();
    return session;
  }

  /**
   * Writes the sessions that changed since they were last written (while a reply streams,
   * only the active one) and the index when the list changed; sessions no longer active
   * nor held are closed once written.
   */
  async save(): Promise<void> {
    const writes: Promise<boolean>[] = [];
    for (const session of [...this.open.values()]) {
      if (!this.entries.has(session.id)) continue;
      this.entries.set(session.id, entryOf(session));
      writes.push(this.storage.writeSession(session));
      if (session.id !== this.activeId && !this.held.has(session.id)) this.close(session.id);
    }
    writes.push(this.writeIndex());
    await Promise.all(writes);
  }

  private close(id: string): void {
    this.open.delete(id);
    this.storage.forget(id);
  }

  private writeIndex(): Promise<boolean> {
    return this.storage.writeIndex({ version: 1, activeId: this.activeId, sessions: this.sorted() });
  }
}

/** A line from QCoder itself, in the session as an assistant message the model never reads. */
export function noteMessage(text: string): StoredMessage {
  return { id: newId('m'), role: 'assistant', content: text, status: 'complete', note: true, createdAt: Date.now() };
}
