/**
 * What the engine writes into the shown session, told to the view as it happens: the whole
 * session again when its path or title changed, an assistant reply from its start to how it
 * ended, and QCoder's own notes, which the user reads but the model is never sent.
 */
import { newId, noteMessage, type StoredMessage, toView } from '../session/session';
import type { ChatEngineDeps } from './chatEngineDeps';
import { viewsOf } from './messageActions';

export class Transcript {
  constructor(
    private readonly deps: Pick<ChatEngineDeps, 'sessions' | 'post'>,
    private readonly busy: () => boolean,
  ) {}

  /** The shown session to the view again, with the list of sessions and whether a turn runs. */
  publish(): void {
    const session = this.deps.sessions.active;
    this.deps.post({
      type: 'session',
      sessionId: session.id,
      messages: viewsOf(session),
      sessions: this.deps.sessions.summaries(),
      busy: this.busy(),
    });
  }

  /** An empty assistant reply, streaming, at the end of the session. */
  startReply(): StoredMessage {
    const reply: StoredMessage = {
      id: newId('m'),
      role: 'assistant',
      content: '',
      status: 'streaming',
      createdAt: Date.now(),
    };
    this.deps.sessions.active.messages.push(reply);
    this.deps.post({ type: 'messageAdded', message: toView(reply) });
    return reply;
  }

  /** Ends a streaming reply; a reply that has already ended keeps how it ended. */
  finishReply(reply: StoredMessage, status: StoredMessage['status'], error?: string): void {
    if (reply.status !== 'streaming') return;
    reply.status = status;
    reply.doneAt = Date.now();
    reply.error = error;
    this.deps.post({ type: 'messageDone', messageId: reply.id, status, error, content: reply.content });
  }

  /** A short assistant line from QCoder itself (not sent to the model). */
  note(text: string): void {
    const note = noteMessage(text);
    this.deps.sessions.active.messages.push(note);
    this.deps.post({ type: 'messageAdded', message: toView(note) });
  }

  /** A note placed just above `reply` (which has no text yet), so it reads before the answer it explains. */
  noteBefore(reply: StoredMessage, text: string): void {
    this.note(text);
    const messages = this.deps.sessions.active.messages;
    const note = messages.pop() as StoredMessage;
    messages.splice(Math.max(0, messages.indexOf(reply)), 0, note);
    this.publish();
  }
}
