/**
 * Tells the user when the request scrubber replaced a secret: a line in QCoder's log and a
 * notice under the reply the request was for (the reply being streamed when it was sent).
 */
import type * as vscode from 'vscode';
import type { HostMessage } from '../core/protocol';
import type { Redaction } from '../core/util/scrubbingFetch';

export function redactionNotices(
  posted: vscode.Event<HostMessage>,
  post: (message: HostMessage) => void,
  log: (line: string) => void,
): { onRedacted(redaction: Redaction): void; readonly listener: vscode.Disposable } {
  let reply: string | undefined;
  const listener = posted((message) => {
    if (message.type === 'messageAdded' && message.message.status === 'streaming') reply = message.message.id;
  });
  return {
    listener,
    onRedacted({ kinds }) {
      const counts = new Map<string, number>();
      for (const kind of kinds) counts.set(kind, (counts.get(kind) ?? 0) + 1);
      const what = [...counts].map(([kind, n]) => (n > 1 ? `${n} × ${kind}` : kind)).join(', ');
      const text = `Something that looks like a secret (${what}) was replaced with a placeholder before the request was sent.`;
      log(`secrets: redacted from a request: ${what}`);
      if (reply) post({ type: 'notice', messageId: reply, text });
    },
  };
}
