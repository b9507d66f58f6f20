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
}

export interface ChatSession {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  messages: StoredMessage[];
  /** The agent's checklist (`todo_write`); absent in sessions from before it existed. */
  todos?: TodoItem[];
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
