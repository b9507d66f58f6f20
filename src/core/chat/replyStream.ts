/**
 * One model request streamed into a reply: text and reasoning reach the view as they arrive, the
 * session is saved at most once a second meanwhile, the client's retries show as notices, and a
 * prompt the server refuses as too long for its window is sent once more with less in it, the
 * chat saying what was left out.
 */
import type { ModelClient } from '../model/client';
import { ModelError } from '../model/errors';
import { trimForRetry } from '../model/history';
import type { ChatMessage, ModelTurn, StreamEvent } from '../model/types';
import type { StoredMessage } from '../session/session';
import type { ChatEngineDeps } from './chatEngineDeps';
import type { ShrunkRequest } from './contextProvider';
import type { ToolDispatch } from './toolDispatch';
import type { Transcript } from './transcript';

const SAVE_INTERVAL_MS = 1000;

export class ReplyStream {
  constructor(
    private readonly deps: Pick<ChatEngineDeps, 'sessions' | 'context' | 'post'>,
    private readonly transcript: Transcript,
    private readonly tools: ToolDispatch,
  ) {}

  /** Streams the answer to `messages` into `reply`; the model's turn, or the streamed text when it sent none. */
  async stream(
    client: ModelClient,
    reply: StoredMessage,
    messages: ChatMessage[],
    signal: AbortSignal,
  ): Promise<ModelTurn> {
    let lastSave = Date.now();
    let turn: ModelTurn | undefined;
    const tools = this.tools.offered();
    const options = tools?.length ? { tools } : {};
    let history = messages;
    for (let trimmed = false; ; trimmed = true) {
      try {
        for await (const event of client.stream(history, signal, options)) {
          if (event.type === 'turn') turn = event.turn;
          else
            await this.onEvent(event, reply, () => {
              if (Date.now() - lastSave < SAVE_INTERVAL_MS) return false;
              lastSave = Date.now();
              return true;
            });
        }
        break;
      } catch (error) {
        // Too long for the window: once, the same request with less in it, and the chat says what went.
        if (trimmed || !(error instanceof ModelError) || error.kind !== 'context-length' || reply.content) throw error;
        const smaller: ShrunkRequest | undefined = this.deps.context
          ? await this.deps.context.shrink({ sent: history, limits: error.limits, signal })
          : trimForRetry(history);
        if (!smaller) throw error;
        history = smaller.messages;
        this.transcript.noteBefore(reply, smaller.note);
        if (smaller.ledger) this.deps.post({ type: 'ledger', ledger: smaller.ledger });
        this.deps.post({ type: 'notice', messageId: reply.id, text: 'Sent again with less context…' });
      }
    }
    return turn ?? { text: reply.content, reasoning: '', toolCalls: [], finishReason: 'stop' };
  }

  private async onEvent(event: StreamEvent, reply: StoredMessage, saveDue: () => boolean): Promise<void> {
    if (event.type === 'text') {
      reply.content += event.text;
      this.deps.post({ type: 'delta', messageId: reply.id, text: event.text });
      if (saveDue()) await this.deps.sessions.save();
    } else if (event.type === 'reasoning') {
      this.deps.post({ type: 'reasoning', messageId: reply.id, text: event.text });
    } else if (event.type === 'usage') {
      reply.tokens = event.usage.completionTokens;
    } else if (event.type === 'retry') {
      const seconds = Math.max(1, Math.round(event.delayMs / 1000));
      this.deps.post({
        type: 'notice',
        messageId: reply.id,
        text: `${event.reason}; retrying in ${seconds} s (attempt ${event.attempt} of 3)…`,
      });
    }
  }
}
