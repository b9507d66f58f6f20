/**
 * The chat's messages in the context engine's shape and back. Tool calls and results
 * keep their structure through packing (each packed message remembers its source), so
 * what compaction leaves is still a conversation every OpenAI-compatible server accepts.
 */
import type { HistoryMessage, PackedContext } from '../context';
import type { ChatMessage, ContentPart } from '../model/types';
import { isToolImages } from './toolImages';

export type TaggedMessage = HistoryMessage & { readonly source?: ChatMessage };

/** The text a message costs: its content, plus an assistant's tool calls as sent. */
function countedText(message: ChatMessage): string {
  if (message.role === 'user')
    return typeof message.content === 'string' ? message.content : partsText(message.content);
  if (message.role !== 'assistant') return message.content;
  const calls = message.tool_calls?.map((call) => `${call.function.name}(${call.function.arguments})`) ?? [];
  return [message.content ?? '', ...calls].filter(Boolean).join('\n');
}

/** A message's text parts; images are priced by whoever attaches them, not here. */
export function partsText(parts: readonly ContentPart[]): string {
  return parts.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('\n');
}

export function toHistory(message: ChatMessage): TaggedMessage {
  if (message.role === 'tool')
    return { role: 'tool', content: message.content, toolCallId: message.tool_call_id, source: message };
  return { role: message.role, content: countedText(message), source: message };
}

export function fromHistory(messages: readonly TaggedMessage[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  const calls = new Set<string>();
  for (const message of messages) {
    const source = message.source;
    if (source?.role === 'tool') {
      // A result whose call was compacted away would be rejected by the server.
      if (calls.has(source.tool_call_id)) out.push({ ...source, content: message.content });
    } else if (source?.role === 'assistant') {
      for (const call of source.tool_calls ?? []) calls.add(call.id);
      out.push(message.content === countedText(source) ? source : { ...source, content: message.content });
    } else if (
      source?.role === 'user' &&
      typeof source.content !== 'string' &&
      message.content === countedText(source)
    ) {
      // A message with images keeps its parts while compaction leaves its text alone.
      out.push(source);
    } else if (source?.role === 'system') {
      out.push({ role: 'system', content: message.content });
    } else {
      // User messages, and the summary and re-attached files compaction adds.
      out.push(
        message.role === 'assistant'
          ? { role: 'assistant', content: message.content }
          : { role: 'user', content: message.content },
      );
    }
  }
  return out;
}

/**
 * The messages a request sends, from what the context engine packed. The one layout the
 * extension and `qcoder context --messages` share, in prefix-stable order: system, pinned,
 * the history before the last user message, this turn's retrieved context, then the last
 * user message and what followed it (the tool loop's calls and results). The stable part
 * stays a prefix from one request to the next, so the server's prefix cache keeps working.
 */
export function promptMessages(
  system: string,
  packed: Pick<PackedContext, 'pinnedText' | 'retrievedText' | 'history'>,
): ChatMessage[] {
  const history = fromHistory(packed.history as readonly TaggedMessage[]);
  let lastUser = history.length;
  // The images tools returned come as a user message after their results: part of the tool
  // loop, not the user's turn, and the retrieved context must not split them.
  for (let i = history.length - 1; i >= 0; i--)
    if (history[i].role === 'user' && !isToolImages(history[i])) {
      lastUser = i;
      break;
    }
  return [
    { role: 'system', content: system },
    ...(packed.pinnedText ? [{ role: 'user' as const, content: packed.pinnedText }] : []),
    ...history.slice(0, lastUser),
    ...(packed.retrievedText ? [{ role: 'user' as const, content: packed.retrievedText }] : []),
    ...history.slice(lastUser),
  ];
}
