/** The checklist of the active session: `todo_write` sets it, the chat's card shows it. */
import type { HostMessage } from '../protocol';
import type { TodoBoard, TodoItem } from './todo';

/** What the board needs of the sessions (the `SessionRepository` has it). */
export interface ActiveSession {
  readonly active: { readonly id: string; todos?: TodoItem[] };
}

export class SessionTodoBoard implements TodoBoard {
  constructor(
    private readonly sessions: ActiveSession,
    private readonly post: (message: HostMessage) => void,
  ) {}

  /** Kept on the session: the chat engine saves it with the tool results of the turn. */
  set(items: readonly TodoItem[]): void {
    const session = this.sessions.active;
    session.todos = items.map((item) => ({ ...item }));
    this.publish();
  }

  /** Shows the active session's checklist (none: the card goes away). */
  publish(): void {
    const session = this.sessions.active;
    this.post({ type: 'todos', sessionId: session.id, items: session.todos ?? [] });
  }
}
