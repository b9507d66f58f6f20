/**
 * Tells the user when the request scrubber replaced a secret: a line in QCoder's log and a
 * notice under the reply the request was for. That reply is found in the session of the turn
 * that sent the request (the sidebar's or a tab's, see `turnSessions`), not as the last reply
 * any surface started: with two chats streaming at once the notice goes to the one redacted.
 */
import type { HostMessage } from '../core/protocol';
import type { ChatSession } from '../core/session/types';
import type { Redaction } from '../core/util/scrubbingFetch';

export function redactionNotices(
  /** The session of the chat turn running now (the request being sent is its). */
  turn: () => ChatSession,
  post: (message: HostMessage) => void,
  log: (line: string) => void,
): { onRedacted(redaction: Redaction): void } {
  return {
    onRedacted({ kinds }) {
      const counts = new Map<string, number>();
      for (const kind of kinds) counts.set(kind, (counts.get(kind) ?? 0) + 1);
      const what = [...counts].map(([kind, n]) => (n > 1 ? `${n} × ${kind}` : kind)).join(', ');
      const text =
        `Something that looks like a secret (${what}) was replaced with a placeholder ` +
        `before the request was sent.`;
      log(`secrets: redacted from a request: ${what}`);
      const reply = [...turn().messages]
        .reverse()
        .find((message) => message.role === 'assistant' && message.status === 'streaming');
      // Posted by the reply's id: the surface that shows its session draws it.
      if (reply) post({ type: 'notice', messageId: reply.id, text });
    },
  };
}
