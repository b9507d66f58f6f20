/** The model's summary of older messages, for compaction (the context provider and /compact ask for it). */
import type { ModelClient } from '../model/client';
import type { ChatMessage } from '../model/types';
import { partsText } from './historyMessages';

const SUMMARY_PROMPT =
  "Summarise the conversation below for your own later use: the user's goals, decisions " +
  'made, files and symbols involved, what was changed and what is still open. Be brief and ' +
  'concrete; keep paths and names exact.';

/** The model's summary of older messages (a request of its own, no tools). */
export async function summarise(
  client: ModelClient,
  messages: readonly ChatMessage[],
  signal: AbortSignal,
): Promise<string> {
  const transcript = messages
    .map((message) => {
      const content =
        typeof message.content === 'object' && message.content ? partsText(message.content) : (message.content ?? '');
      const calls =
        message.role === 'assistant' && message.tool_calls?.length
          ? ` [called ${message.tool_calls.map((call) => call.function.name).join(', ')}]`
          : '';
      return `${message.role}: ${content}${calls}`;
    })
    .join('\n\n');
  let text = '';
  for await (const event of client.stream(
    [
      { role: 'system', content: SUMMARY_PROMPT },
      { role: 'user', content: transcript },
    ],
    signal,
  )) {
    if (event.type === 'text') text += event.text;
  }
  if (!text.trim()) throw new Error('the model returned an empty summary');
  return text;
}
