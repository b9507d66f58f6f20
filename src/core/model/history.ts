/**
 * When the server says a plain conversation (sent without the context engine, so every
 * message is a real turn) no longer fits (`ModelError` kind `context-length`), the caller
 * drops the oldest turns and tries once more. With the context engine the request is
 * re-packed instead (`WorkspaceContext.shrink`): its pinned and retrieved messages are
 * not turns. A turn
 * is a user message and everything answering it (assistant messages, their tool
 * calls and tool results), so a tool result never loses the call it answers.
 * System messages and the latest turn always stay.
 */
import type { ChatMessage } from './types';

export interface Trimmed {
  readonly messages: ChatMessage[];
  /** How many turns were dropped; 0 means there was nothing left to drop. */
  readonly removedTurns: number;
}

/** Drops the oldest `fraction` of the turns before the latest one (at least one, when there is one). */
export function trimOldestTurns(messages: readonly ChatMessage[], fraction = 0.5): Trimmed {
  const turns: ChatMessage[][] = [];
  for (const message of messages) {
    if (message.role === 'system') continue;
    if (message.role === 'user' || turns.length === 0) turns.push([]);
    turns[turns.length - 1].push(message);
  }
  const droppable = turns.length - 1;
  if (droppable <= 0) return { messages: [...messages], removedTurns: 0 };
  const drop = Math.min(droppable, Math.max(1, Math.ceil(droppable * Math.min(Math.max(fraction, 0), 1))));
  const dropped = new Set(turns.slice(0, drop).flat());
  return { messages: messages.filter((message) => !dropped.has(message)), removedTurns: drop };
}

/** The plain conversation trimmed for a retry, with the line the chat shows; undefined when nothing can go. */
export function trimForRetry(messages: readonly ChatMessage[]): { messages: ChatMessage[]; note: string } | undefined {
  const cut = trimOldestTurns(messages);
  if (cut.removedTurns === 0) return undefined;
  return {
    messages: cut.messages,
    note:
      `The conversation did not fit the model's window; retrying without the ` +
      `${cut.removedTurns} oldest exchange(s).`,
  };
}
