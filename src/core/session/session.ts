/**
 * Chat sessions and where they are kept. The store is a small key-value interface
 * (VS Code's `Memento` fits it; tests use a Map), so the core never sees `vscode`.
 */
import type { ToolCallRecord } from '../agent/toolRunner';
import type { ChatMessageView, MessageStatus, SessionSummary } from '../protocol';

export interface StoredMessage {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  status: MessageStatus;
  error?: string;
  createdAt: number;
  /** A line from QCoder itself, shown in the chat but never sent to the model. */
  note?: boolean;
  /** The tool calls the assistant made in this message, with their results. */
  toolCalls?: ToolCallRecord[];
}

export interface ChatSession {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  messages: StoredMessage[];
}

export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

interface StoredState {
  version: 1;
  activeId: string;
  sessions: ChatSession[];
}

const KEY = 'qcoder.sessions';
const MAX_SESSIONS = 50;

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
    content: message.content,
    status: message.status,
    error: message.error,
    toolCalls: message.toolCalls?.map((call) => ({
      id: call.id,
      name: call.name,
      title: call.title,
      status: call.status,
      summary: call.summary,
    })),
  };
}

export function titleFrom(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 60 ? `${line.slice(0, 57)}…` : line || 'New chat';
}

/** All sessions of a workspace, one of them active. */
export class SessionRepository {
  private state: StoredState;

  constructor(private readonly store: KeyValueStore) {
    this.state = SessionRepository.load(store);
  }

  private static load(store: KeyValueStore): StoredState {
    const stored = store.get<StoredState>(KEY);
    if (stored?.version === 1 && Array.isArray(stored.sessions) && stored.sessions.length > 0) {
      for (const session of stored.sessions) {
        for (const message of session.messages) {
          // A reply that was streaming when the window closed is kept, marked as cut off.
          if (message.status === 'streaming') {
            message.status = 'stopped';
            message.error = 'Interrupted when the window closed.';
          }
          for (const call of message.toolCalls ?? []) {
            if (call.result === undefined) {
              call.status = 'skipped';
              call.result = 'Not run: the window closed first.';
            }
          }
        }
      }
      const activeId = stored.sessions.some((s) => s.id === stored.activeId) ? stored.activeId : stored.sessions[0].id;
      return { version: 1, activeId, sessions: stored.sessions };
    }
    const first = createSession();
    return { version: 1, activeId: first.id, sessions: [first] };
  }

  get active(): ChatSession {
    return this.state.sessions.find((s) => s.id === this.state.activeId) ?? this.state.sessions[0];
  }

  summaries(): SessionSummary[] {
    return [...this.state.sessions]
      .sort((a, b) => b.updatedAt - a.updatedAt)
      .map((s) => ({ id: s.id, title: s.title, updatedAt: s.updatedAt }));
  }

  /** Starts a new session, unless the active one is still empty. */
  startNew(): ChatSession {
    if (this.active.messages.length === 0) return this.active;
    const session = createSession();
    this.state.sessions.push(session);
    this.state.activeId = session.id;
    if (this.state.sessions.length > MAX_SESSIONS) {
      this.state.sessions.sort((a, b) => b.updatedAt - a.updatedAt);
      this.state.sessions.length = MAX_SESSIONS;
    }
    return session;
  }

  activate(id: string): ChatSession | undefined {
    const session = this.state.sessions.find((s) => s.id === id);
    if (session) this.state.activeId = id;
    return session;
  }

  async save(): Promise<void> {
    await this.store.update(KEY, this.state);
  }
}
