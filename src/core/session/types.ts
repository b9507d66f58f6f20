/** The shapes of a chat session as it is kept on disk and in memory. */
import type { TodoItem } from '../agent/todo';
import type { ToolCallRecord } from '../agent/toolRunner';
import type { MessageStatus } from '../protocol';

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
  /** What the chat shows instead of `content` (Explain's short "Explain <file>"); the model gets `content`. */
  display?: string;
  /** Images the user pasted (`data:` URLs), sent as `image_url` parts. */
  images?: string[];
  /** When the answer finished, and its completion tokens when the server said (the hover shows them). */
  doneAt?: number;
  tokens?: number;
}

/** A place where the conversation forked: the tails after it, one of them (null) live in `messages`. */
export interface ForkPoint {
  active: number;
  tails: (StoredMessage[] | null)[];
}

export interface ChatSession {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  messages: StoredMessage[];
  /** The agent's checklist (`todo_write`); absent in sessions from before it existed. */
  todos?: TodoItem[];
  /** Branches left by edit-and-resend and regenerate (see `forks.ts`), keyed by the message before the fork. */
  forks?: Record<string, ForkPoint>;
}

/** One line of the index: what the session list shows without opening the session's file. */
export interface IndexEntry {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
}

export interface SessionIndex {
  version: 1;
  activeId: string;
  sessions: IndexEntry[];
}

/** A key-value store such as VS Code's `Memento` (where sessions were kept before they became files). */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}
