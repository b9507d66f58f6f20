/**
 * One chat surface's engine, from the user's text to the finished answer: it keeps the session
 * and makes sure nothing the user typed or the model already said is lost when the request fails
 * or is stopped. Its parts each do one thing: the view's messages (`viewMessages.ts`), the turn
 * in flight (`turnState.ts`), the answer's loop (`turnLoop.ts`) with its requests
 * (`requestBuilder.ts`), streamed replies (`replyStream.ts`), tool calls (`toolDispatch.ts`) and
 * failures (`turnFailure.ts`), and what goes into the chat (`transcript.ts`).
 */
import type { ToolCallRecord } from '../agent/toolRunner';
import type { ModelTurn, ToolCall } from '../model/types';
import type { WebviewMessage } from '../protocol';
import { asTurnOf } from '../session/cursor';
import { titleFrom, toView } from '../session/session';
import type { ChatSession } from '../session/types';
import type { ChatEngineDeps, Connection } from './chatEngineDeps';
import type { ExtraContext } from './contextProvider';
import { MessageActions, userMessage } from './messageActions';
import { ReplyStream } from './replyStream';
import { RequestBuilder } from './requestBuilder';
import { summarise } from './summarise';
import { ToolDispatch } from './toolDispatch';
import { Transcript } from './transcript';
import { TurnLoop } from './turnLoop';
import { TurnState } from './turnState';
import { routeViewMessage } from './viewMessages';

export { summarise };
export type { ChatEngineDeps, Connection };

export class ChatEngine {
  private readonly turns: TurnState;
  private readonly transcript: Transcript;
  private readonly toolCalls: ToolDispatch;
  private readonly loop: TurnLoop;

  /** Edit and resend, regenerate, branches, and the code blocks' Run and Apply. */
  readonly actions: MessageActions;

  constructor(private readonly deps: ChatEngineDeps) {
    this.turns = new TurnState(deps);
    this.transcript = new Transcript(deps, () => this.busy);
    this.toolCalls = new ToolDispatch(deps);
    this.loop = new TurnLoop(deps, {
      turns: this.turns,
      transcript: this.transcript,
      requests: new RequestBuilder(deps, this.transcript, this.toolCalls),
      replies: new ReplyStream(deps, this.transcript, this.toolCalls),
      toolCalls: this.toolCalls,
    });
    this.actions = new MessageActions({
      ...deps,
      busy: () => this.busy,
      asTurn: (work) => this.asTurn(work),
      publish: () => this.publishSession(),
      answer: () => this.retry(),
    });
  }

  get busy(): boolean {
    return this.turns.busy;
  }

  /** The id of the session this engine shows. */
  get sessionId(): string {
    return this.deps.sessions.active.id;
  }

  /** The session this engine shows (a feature reads the answer it asked for there). */
  get session(): ChatSession {
    return this.deps.sessions.active;
  }

  /** Whether message `id` is in the shown session (a message for it belongs to this engine's surface). */
  shows(id: string): boolean {
    return this.deps.sessions.active.messages.some((message) => message.id === id);
  }

  /** Resolves when the turn in flight (if any) has ended. */
  idle(): Promise<void> {
    return this.turns.idle();
  }

  /** Handles a message of this engine's surface; the shared tools see this engine's session meanwhile. */
  handle(message: WebviewMessage): Promise<void> {
    return asTurnOf(this.deps.sessions, () => routeViewMessage(message, this, this.deps));
  }

  /** The whole chat to the view again; what the shared parts add (the checklist) is this engine's session's. */
  publishAll(): Promise<void> {
    return asTurnOf(this.deps.sessions, async () => {
      this.publishSession();
      await this.publishConnection();
    });
  }

  async publishConnection(): Promise<Connection> {
    const connection = await this.deps.connect();
    this.deps.post({ type: 'connection', connection: connection.view });
    return connection;
  }

  private publishSession(): void {
    this.transcript.publish();
  }

  /**
   * Sends `text` as the user; `extra` pins items of a feature's choosing (Explain This File) for this message.
   * A feature's message is this engine's turn too: the shared tools and the redaction notice find its session.
   */
  send(text: string, extra?: ExtraContext, images?: readonly string[]): Promise<void> {
    return asTurnOf(this.deps.sessions, () => this.sendNow(text, extra, images));
  }

  private async sendNow(text: string, extra?: ExtraContext, images?: readonly string[]): Promise<void> {
    let trimmed = text.trim();
    if (!trimmed) return;
    if (this.busy) {
      this.deps.post({ type: 'restoreInput', text });
      return;
    }
    const slash = extra ? undefined : await this.deps.slash?.run(text);
    if (slash?.kind === 'done') {
      if (slash.note) this.transcript.note(slash.note);
      await this.deps.sessions.save();
      return;
    }
    if (slash) trimmed = slash.text.trim();
    const connection = await this.publishConnection();
    if (!connection.client) {
      // Not sent: give the text back so nothing typed is lost.
      this.deps.post({ type: 'restoreInput', text });
      return;
    }
    if (images?.length && !connection.view.images) {
      this.transcript.note(
        `${connection.view.model} does not take images; the message was not sent. Remove the image, or pick a ` +
          `vision model (or set qcoder.model.vision to "on" if it does take them).`,
      );
      this.deps.post({ type: 'restoreInput', text });
      return;
    }
    const session = this.deps.sessions.active;
    const user = userMessage(trimmed, images, extra?.display);
    const first = session.messages.length === 0;
    if (first) session.title = titleFrom(trimmed);
    session.messages.push(user);
    this.deps.post({ type: 'messageAdded', message: toView(user) });
    // The first message names the chat: the session drop-down learns the title now, not on the next switch.
    if (first) this.publishSession();
    await this.loop.answer(connection.client, connection.redact, extra);
  }

  /** Answers the session's last user message again, replacing a failed reply. */
  async retry(): Promise<void> {
    if (this.busy) return;
    const session = this.deps.sessions.active;
    const last = session.messages.at(-1);
    if (last?.role === 'assistant' && last.status !== 'complete') {
      session.messages.pop();
      this.publishSession();
    }
    if (session.messages.at(-1)?.role !== 'user') return;
    const connection = await this.publishConnection();
    if (connection.client) await this.loop.answer(connection.client, connection.redact);
  }

  stop(): void {
    this.turns.stop();
  }

  async newChat(): Promise<void> {
    this.stop();
    await this.idle();
    this.deps.sessions.startNew();
    await this.deps.sessions.save();
    this.publishSession();
  }

  async switchSession(id: string): Promise<void> {
    this.stop();
    await this.idle();
    if (this.deps.sessions.activate(id)) {
      await this.deps.sessions.save();
      this.publishSession();
    }
  }

  /**
   * A tool call QCoder makes itself (Generate Tests runs the new tests), on a card under `text` as the
   * model's calls run: the same mode, approvals and Stop; the call and its result join the history the
   * model reads. Undefined when an answer is under way or there are no tools.
   */
  async runOwnCall(text: string, call: ToolCall): Promise<ToolCallRecord | undefined> {
    if (this.busy || !this.deps.tools) return undefined;
    return this.asTurn(async (signal) => {
      const reply = this.transcript.startReply();
      reply.content = text;
      this.transcript.finishReply(reply, 'complete');
      const turn: ModelTurn = { text, reasoning: '', toolCalls: [call], finishReason: 'tool_calls' };
      const [record] = await this.toolCalls.run(turn, reply, signal);
      return record;
    });
  }

  /** `work` as a turn of its own: the view shows it busy, Stop aborts its signal, and nothing else starts meanwhile. */
  private async asTurn<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const turn = this.turns.begin();
    try {
      return await work(turn.signal);
    } finally {
      await turn.end();
    }
  }

  /** A line from QCoder itself in the chat, for a feature's outcome (Generate Tests); not sent to the model. */
  note(text: string): void {
    this.transcript.note(text);
    void this.deps.sessions.save();
  }
}
