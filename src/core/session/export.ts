/** A session as a file the user keeps or shares: Markdown to read, JSON to process. */
import type { ChatSession } from './types';

/** A code fence longer than any run of backticks in the text, so the text cannot close it. */
function fence(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  return '`'.repeat(Math.max(3, longest + 1));
}

function block(text: string, language = ''): string {
  const marks = fence(text);
  return `${marks}${language}\n${text}\n${marks}`;
}

export function sessionToMarkdown(session: ChatSession): string {
  const parts = [`# ${session.title}`, `_Exported from QCoder; started ${new Date(session.createdAt).toISOString()}._`];
  for (const message of session.messages) {
    const who = message.role === 'user' ? 'You' : message.note ? 'QCoder (note)' : 'Assistant';
    parts.push(`## ${who}`);
    if (message.content) parts.push(message.content);
    if (message.status !== 'complete' && !message.note)
      parts.push(`_${message.status}${message.error ? `: ${message.error}` : ''}_`);
    for (const call of message.toolCalls ?? []) {
      parts.push(`**Tool: ${call.title}** (${call.name}, ${call.status}${call.summary ? `: ${call.summary}` : ''})`);
      parts.push(block(call.rawArguments, 'json'));
      if (call.result !== undefined) parts.push(block(call.result));
    }
  }
  return `${parts.join('\n\n')}\n`;
}

export function sessionToJson(session: ChatSession): string {
  return `${JSON.stringify({ format: 'qcoder-session', version: 1, session }, null, 2)}\n`;
}
