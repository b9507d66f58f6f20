/**
 * One answer to the user's last message: a request, the reply streamed into the chat, the tool
 * calls it asks for, and round again, until the model calls no more tools, the loop guard stops a
 * task that is stuck or over budget, or the user presses Stop. However it ends, what the model
 * already said stays in the session and the reply says how it ended.
 */
import { estimatePromptTokens, LoopGuard } from '../agent/loopGuard';
import type { ModelClient } from '../model/client';
import type { StoredMessage } from '../session/session';
import type { ChatEngineDeps } from './chatEngineDeps';
import type { ExtraContext } from './contextProvider';
import type { ReplyStream } from './replyStream';
import type { RequestBuilder } from './requestBuilder';
import type { ToolDispatch } from './toolDispatch';
import type { Transcript } from './transcript';
import { turnFailure } from './turnFailure';
import type { TurnState } from './turnState';

/** The engine's parts an answer goes through. */
export interface TurnParts {
  readonly turns: TurnState;
  readonly transcript: Transcript;
  readonly requests: RequestBuilder;
  readonly replies: ReplyStream;
  readonly toolCalls: ToolDispatch;
}

export class TurnLoop {
  constructor(
    private readonly deps: Pick<ChatEngineDeps, 'sessions' | 'tools' | 'limits' | 'maxSteps' | 'log'>,
    private readonly parts: TurnParts,
  ) {}

  /** Answers the session's last message as a turn; the caller has checked that none is under way. */
  async answer(
    client: ModelClient,
    redact: (text: string) => string = (text) => text,
    extra?: ExtraContext,
  ): Promise<void> {
    const { turns, transcript, requests, replies, toolCalls } = this.parts;
    const session = this.deps.sessions.active;
    // Read before the turn begins: a setting that throws must not leave the engine busy for good.
    const guard = new LoopGuard(this.deps.limits?.() ?? { maxModelCalls: this.deps.maxSteps ?? 25, maxTaskTokens: 0 });
    const turn = turns.begin();
    const { signal } = turn;
    let reply: StoredMessage | undefined;
    try {
      // Tools that come and go (MCP servers) are brought up to date once per message, before the first call.
      await this.deps.tools?.refresh(signal);
      for (let step = 1; ; step++) {
        const request = await requests.prepare(client, step, signal, extra);
        guard.sent(request.ledger?.used ?? estimatePromptTokens(request.messages));
        reply = transcript.startReply();
        const modelTurn = await replies.stream(client, reply, request.messages, signal);
        if (modelTurn.toolCalls.length === 0 || !this.deps.tools) {
          transcript.finishReply(reply, 'complete');
          break;
        }
        // The text is final; the tool cards (and a review card) go on under it.
        transcript.finishReply(reply, 'complete');
        const records = await toolCalls.run(modelTurn, reply, signal);
        await this.deps.sessions.save();
        const stopReason = signal.aborted ? undefined : guard.check(records);
        if (signal.aborted || stopReason) {
          if (stopReason) transcript.note(stopReason);
          break;
        }
        reply = undefined;
      }
    } catch (error) {
      const failure = turnFailure(error, signal.aborted, this.deps.tools, redact);
      if (failure.log) this.deps.log(failure.log);
      // Stopped or failed before the reply began (while the context was built): say so in a reply of its own.
      reply ??= transcript.startReply();
      transcript.finishReply(reply, failure.status, failure.error);
    } finally {
      session.updatedAt = Date.now();
      await turn.end();
    }
  }
}
