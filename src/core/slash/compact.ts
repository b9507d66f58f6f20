/**
 * `/compact` now: the model summarises the chat (the same summary request the context
 * engine makes when a history outgrows its share), and a new chat starts from that
 * summary as its first message. The old chat stays in the session list, whole.
 */
import type { ChatMessage } from '../model/types';
import type { StoredMessage } from '../session/types';

/** The conversation as the summary request sees it: user and assistant text and the tools called (no notes). */
export function compactionTranscript(messages: readonly StoredMessage[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const message of messages) {
    if (message.note) continue;
    if (message.role === 'user') {
      out.push({ role: 'user', content: message.content });
      continue;
    }
    const calls = (message.toolCalls ?? []).map((call) => call.title).filter(Boolean);
    const content = [message.content, calls.length ? `[tools: ${calls.join('; ')}]` : ''].filter(Boolean).join('\n');
    if (content) out.push({ role: 'assistant', content });
  }
  return out;
}

/** The first message of the compacted chat. */
export function summaryMessage(title: string, summary: string): string {
  return `Summary of our earlier chat "${title}" (made by /compact; go on from here):\n\n${summary.trim()}`;
}
