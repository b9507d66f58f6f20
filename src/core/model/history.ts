/**
 * When the server says the conversation no longer fits (`ModelError` kind
 * `context-length`), the caller drops the oldest turns and tries once more. A turn
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
