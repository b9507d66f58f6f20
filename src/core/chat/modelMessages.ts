/**
 * The shown session as the model reads it, without the system prompt: the user's messages with
 * their images, and each answer with the tool calls that got a result, each call followed by its
 * result and the images it returned. QCoder's own notes, and replies that said nothing, are left
 * out. Calls are echoed well formed, so one malformed call does not break every later request.
 */
import type { ChatMessage } from '../model/types';
import { echoedArguments, echoedName } from '../model/echo';
import type { StoredMessage } from '../session/session';
import { userContent } from './messageActions';
import { toolImages } from './toolImages';

export function modelMessages(stored: readonly StoredMessage[]): ChatMessage[] {
  const messages: ChatMessage[] = [];
  for (const message of stored) {
    if (message.role === 'user') {
      messages.push({ role: 'user', content: userContent(message) });
      continue;
    }
    if (message.note) continue;
    const calls = message.toolCalls?.filter((call) => call.result !== undefined) ?? [];
    if (!message.content && calls.length === 0) continue;
    if (calls.length === 0) {
      messages.push({ role: 'assistant', content: message.content });
      continue;
    }
    messages.push({
      role: 'assistant',
      content: message.content || null,
      tool_calls: calls.map((call) => ({
        id: call.id,
        type: 'function' as const,
        function: { name: echoedName(call.name), arguments: echoedArguments(call.rawArguments) },
      })),
    });
    for (const call of calls) messages.push({ role: 'tool', tool_call_id: call.id, content: call.result ?? '' });
    messages.push(...toolImages(calls));
  }
  return messages;
}
