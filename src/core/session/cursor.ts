/**
 * Which session a chat surface shows. The sidebar's engine uses the repository itself (its
 * active session is the one remembered in the index); each editor tab has a `SessionCursor`
 * of its own over the same repository, so the tab keeps its session while the sidebar moves,
 * and the repository keeps every session a cursor holds open (loaded, written, not closed).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { SessionSummary } from '../protocol';
import type { SessionRepository } from './session';
import type { ChatSession } from './types';

/** What a chat engine needs of the sessions: the one it shows, the list, and saving. */
export interface ChatSessions {
  readonly active: ChatSession;
  summaries(): SessionSummary[];
  /** Starts a new session, unless the shown one is still empty. */
  startNew(): ChatSession;
  activate(id: string): ChatSession | undefined;
  save(): Promise<void>;
}

export class SessionCursor implements ChatSessions {
  private id: string;

  /** Shows session `id` when it exists, else a new one. */
  constructor(
    private readonly repository: SessionRepository,
    id?: string,
  ) {
    this.id = (id !== undefined && repository.get(id)?.id) || repository.create().id;
    repository.hold(this.id);
  }

  /** The shown session; one deleted elsewhere is replaced by a new one. */
  get active(): ChatSession {
    const session = this.repository.get(this.id);
    if (session) return session;
    return this.move(this.repository.create());
  }

  summaries(): SessionSummary[] {
    return this.repository.summaries();
  }

  startNew(): ChatSession {
    const shown = this.active;
    return shown.messages.length === 0 ? shown : this.move(this.repository.create());
  }

  activate(id: string): ChatSession | undefined {
    const session = this.repository.get(id);
    return session && this.move(session);
  }

  save(): Promise<void> {
    return this.repository.save();
  }

  /** Lets the repository close the session once it is written (the tab closed). */
  dispose(): void {
    this.repository.release(this.id);
  }

  private move(session: ChatSession): ChatSession {
    this.repository.release(this.id);
    this.id = session.id;
    this.repository.hold(session.id);
    return session;
  }
}

/** The sessions of the engine whose message is being handled, through every await of its turn. */
const handling = new AsyncLocalStorage<ChatSessions>();

/** Runs `work` (an engine handling a message) as the turn of `sessions`. */
export function asTurnOf<T>(sessions: ChatSessions, work: () => T): T {
  return handling.run(sessions, work);
}

/**
 * The session of the turn that runs now, else `fallback`'s: what the shared tools use (the
 * checklist of `todo_write`), so a tab's agent writes to the tab's session, not the sidebar's.
 */
export function turnSessions(fallback: ChatSessions): { readonly active: ChatSession } {
  return {
    get active() {
      return (handling.getStore() ?? fallback).active;
    },
  };
}
