/**
 * One chat turn from the user's text to the finished answer: keeps the session,
 * streams the model's reply to the view, and makes sure nothing the user typed or
 * the model already said is lost when the request fails or is stopped.
 */
import { estimatePromptTokens, LoopGuard, type LoopLimits } from '../agent/loopGuard';
import { ACT_MESSAGE, type AgentMode } from '../agent/modes';
import { type ToolCallRecord, type ToolRunner, toolCallView } from '../agent/toolRunner';
import {
  type ContextProvider,
  type ExtraContext,
  plainMessages,
  type PreparedRequest,
  type ShrunkRequest,
} from './contextProvider';
import { parseMentions } from './mentions';
import { toolImages } from './toolImages';
import type { ModelClient } from '../model/client';
import { echoedArguments, echoedName } from '../model/echo';
import { ModelError } from '../model/errors';
import { trimForRetry } from '../model/history';
import type { ChatMessage, ModelTurn, StreamEvent, ToolCall, ToolSchema } from '../model/types';
import type { ConnectionView, HostMessage, SlashCommandView, WebviewMessage } from '../protocol';
import { promptParts, type SystemPromptParts, type SystemPromptSource } from '../instructions/prompt';
import type { SlashOutcome } from '../slash/dispatch';
import { asTurnOf, type ChatSessions } from '../session/cursor';
import { newId, type StoredMessage, titleFrom, toView } from '../session/session';
import type { ChatSession } from '../session/types';
import { MessageActions, userContent, userMessage, viewsOf } from './messageActions';
import { summarise } from './summarise';

export { summarise };

export interface Connection {
  readonly view: ConnectionView;
  /** Undefined when the connection is not ready (e.g. no key); `problem` says why. */
  readonly client?: ModelClient;
  readonly problem?: string;
  /** Removes secrets (the API key) from text that is about to be shown or logged. */
  readonly redact?: (text: string) => string;
}

export interface ChatEngineDeps {
  /** The session this engine shows: the repository's active one (the sidebar) or a tab's own (`SessionCursor`). */
  readonly sessions: ChatSessions;
  /** The agent's tools; without them the chat only talks. */
  readonly tools?: ToolRunner;
  /** Chooses what goes into each request's window; without it the whole conversation is sent. */
  readonly context?: ContextProvider;
  /** Model calls per user message before the agent stops and asks the user (default 25). */
  readonly maxSteps?: number;
  /** The task limits, read when a message starts (overrides `maxSteps`); see `loopGuard.ts`. */
  readonly limits?: () => LoopLimits;
  /** Whether a tool is offered to the model now (the agent mode decides); without it, every tool. */
  readonly offers?: (toolName: string) => boolean;
  /** Sets the agent mode (the selector and the Act button under a plan). */
  readonly setMode?: (mode: AgentMode) => Promise<unknown>;
  connect(): Promise<Connection>;
  post(message: HostMessage): void;
  /** The system prompt for `model`, with the instruction files it carries (for the ledger). */
  systemPrompt(model: string): SystemPromptSource | Promise<SystemPromptSource>;
  /** Slash commands: a message starting with `/name` goes here first (undefined: not a command, send it). */
  readonly slash?: {
    run(text: string): Promise<SlashOutcome | undefined>;
    list(): Promise<SlashCommandView[]>;
  };
  /** Host actions the core cannot do itself. */
  runCommand(command: 'setApiKey' | 'openSettings' | 'manageTrust' | 'loadInstructions'): void;
  log(line: string): void;
}

interface ActiveTurn {
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

const SAVE_INTERVAL_MS = 1000;

export class ChatEngine {
  private turn: ActiveTurn | undefined;
  /** The system prompt of the message being answered: read at its first request, kept through the tool loop. */
  private prompt: SystemPromptParts | undefined;

  /** Edit and resend, regenerate, branches, and the code blocks' Run and Apply. */
  readonly actions: MessageActions;

  constructor(private readonly deps: ChatEngineDeps) {
    this.actions = new MessageActions({
      ...deps,
      busy: () => this.busy,
      asTurn: (work) => this.asTurn(work),
      publish: () => this.publishSession(),
      answer: () => this.retry(),
    });
  }

  get busy(): boolean {
    return this.turn !== undefined;
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
  async idle(): Promise<void> {
    await this.turn?.done;
  }

  /** Handles a message of this engine's surface; the shared tools see this engine's session meanwhile. */
  handle(message: WebviewMessage): Promise<void> {
    return asTurnOf(this.deps.sessions, () => this.dispatch(message));
  }

  private async dispatch(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        return this.publishAll();
      case 'send':
        return this.send(message.text, undefined, message.images);
      case 'editMessage':
      case 'regenerate':
      case 'switchBranch':
      case 'codeAction':
        return this.actions.handle(message);
      case 'stop':
        return this.stop();
      case 'newChat':
        return this.newChat();
      case 'switchSession':
        return this.switchSession(message.sessionId);
      case 'retry':
        return this.retry();
      case 'setApiKey':
        return this.deps.runCommand('setApiKey');
      case 'openSettings':
        return this.deps.runCommand('openSettings');
      case 'setMode':
        await this.deps.setMode?.(message.mode);
        return;
      case 'act':
        // The plan above is carried out with every edit reviewed and every command asked.
        await this.deps.setMode?.('ask');
        return this.send(ACT_MESSAGE);
      case 'rendered':
        return; // the host's view layer reports these (tests listen)
      case 'contextAction': {
        const ledger = this.deps.context?.act(message.action, message.key);
        if (ledger) this.deps.post({ type: 'ledger', ledger });
        return;
      }
      case 'promptAnswer':
        this.deps.tools?.answer(message.callId, { choice: message.choice, text: message.text });
        return;
      case 'slashQuery': {
        const items = (await this.deps.slash?.list().catch(() => [])) ?? [];
        this.deps.post({ type: 'slashResults', requestId: message.requestId, items });
        return;
      }
      case 'trustAction':
        return this.deps.runCommand(message.action === 'manage' ? 'manageTrust' : 'loadInstructions');
      case 'mentionQuery': {
        const items = (await this.deps.context?.complete(message.kind, message.prefix).catch(() => [])) ?? [];
        this.deps.post({ type: 'mentionResults', requestId: message.requestId, items });
        return;
      }
    }
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
    const session = this.deps.sessions.active;
    this.deps.post({
      type: 'session',
      sessionId: session.id,
      messages: viewsOf(session),
      sessions: this.deps.sessions.summaries(),
      busy: this.busy,
    });
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
      if (slash.note) this.addNote(slash.note);
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
      this.addNote(
        `${connection.view.model} does not take images; the message was not sent. Remove the image, or pick a vision model (or set qcoder.model.vision to "on" if it does take them).`,
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
    await this.answer(connection.client, connection.redact, extra);
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
    if (connection.client) await this.answer(connection.client, connection.redact);
  }

  stop(): void {
    this.turn?.controller.abort();
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

  private async answer(
    client: ModelClient,
    redact: (text: string) => string = (text) => text,
    extra?: ExtraContext,
  ): Promise<void> {
    const session = this.deps.sessions.active;
    const controller = new AbortController();
    let release: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    let reply: StoredMessage | undefined;
    this.turn = { controller, done };
    this.deps.post({ type: 'busy', busy: true });
    const guard = new LoopGuard(this.deps.limits?.() ?? { maxModelCalls: this.deps.maxSteps ?? 25, maxTaskTokens: 0 });
    try {
      // Tools that come and go (MCP servers) are brought up to date once per message, before the first call.
      await this.deps.tools?.refresh(controller.signal);
      for (let step = 1; ; step++) {
        const request = await this.prepare(client, step, controller.signal, extra);
        guard.sent(request.ledger?.used ?? estimatePromptTokens(request.messages));
        reply = this.startReply();
        const turn = await this.streamReply(client, reply, request.messages, controller.signal);
        if (turn.toolCalls.length === 0 || !this.deps.tools) {
          this.finishReply(reply, 'complete');
          break;
        }
        // The text is final; the tool cards (and a review card) go on under it.
        this.finishReply(reply, 'complete');
        const records = await this.runTools(turn, reply, controller.signal);
        await this.deps.sessions.save();
        const stopReason = controller.signal.aborted ? undefined : guard.check(records);
        if (controller.signal.aborted || stopReason) {
          if (stopReason) this.addNote(stopReason);
          break;
        }
        reply = undefined;
      }
    } catch (error) {
      const failure = controller.signal.aborted
        ? new ModelError('aborted', 'stopped')
        : error instanceof ModelError
          ? error
          : new ModelError('malformed', String(error));
      // A server may echo the key back in its error text; neither the chat nor the log gets it.
      const refusal = failure.kind === 'aborted' ? undefined : this.deps.tools?.explainRefusal(failure.message);
      const message = redact(refusal ? `${failure.message}\n\n${refusal}` : failure.message);
      if (failure.kind !== 'aborted') this.deps.log(`request failed (${failure.kind}): ${message}`);
      // Stopped or failed before the reply began (while the context was built): say so in a reply of its own.
      reply ??= this.startReply();
      this.finishReply(
        reply,
        failure.kind === 'aborted' ? 'stopped' : 'error',
        failure.kind === 'aborted' ? undefined : message,
      );
    } finally {
      this.turn = undefined;
      session.updatedAt = Date.now();
      this.deps.post({ type: 'busy', busy: false });
      await this.deps.sessions.save();
      release();
    }
  }

  private startReply(): StoredMessage {
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

  private finishReply(reply: StoredMessage, status: StoredMessage['status'], error?: string): void {
    if (reply.status !== 'streaming') return;
    reply.status = status;
    reply.doneAt = Date.now();
    reply.error = error;
    this.deps.post({ type: 'messageDone', messageId: reply.id, status, error, content: reply.content });
  }

  /**
   * A tool call QCoder makes itself (Generate Tests runs the new tests), on a card under `text` as the
   * model's calls run: the same mode, approvals and Stop; the call and its result join the history the
   * model reads. Undefined when an answer is under way or there are no tools.
   */
  async runOwnCall(text: string, call: ToolCall): Promise<ToolCallRecord | undefined> {
    if (this.busy || !this.deps.tools) return undefined;
    return this.asTurn(async (signal) => {
      const reply = this.startReply();
      reply.content = text;
      this.finishReply(reply, 'complete');
      const turn: ModelTurn = { text, reasoning: '', toolCalls: [call], finishReason: 'tool_calls' };
      const [record] = await this.runTools(turn, reply, signal);
      return record;
    });
  }

  /** `work` as a turn of its own: the view shows it busy, Stop aborts its signal, and nothing else starts meanwhile. */
  private async asTurn<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    let release: () => void = () => undefined;
    this.turn = { controller, done: new Promise<void>((resolve) => (release = resolve)) };
    this.deps.post({ type: 'busy', busy: true });
    try {
      return await work(controller.signal);
    } finally {
      this.turn = undefined;
      this.deps.post({ type: 'busy', busy: false });
      await this.deps.sessions.save();
      release();
    }
  }

  /** A line from QCoder itself in the chat, for a feature's outcome (Generate Tests); not sent to the model. */
  note(text: string): void {
    const note: StoredMessage = {
      id: newId('m'),
      role: 'assistant',
      content: text,
      status: 'complete',
      note: true,
      createdAt: Date.now(),
    };
    this.deps.sessions.active.messages.push(note);
    this.deps.post({ type: 'messageAdded', message: toView(note) });
    void this.deps.sessions.save();
  }

  /** A short assistant line from QCoder itself (not sent to the model). */
  private addNote(text: string): void {
    const note: StoredMessage = {
      id: newId('m'),
      role: 'assistant',
      content: text,
      status: 'complete',
      note: true,
      createdAt: Date.now(),
    };
    this.deps.sessions.active.messages.push(note);
    this.deps.post({ type: 'messageAdded', message: toView(note) });
  }

  /** A note placed just above `reply` (which has no text yet), so it reads before the answer it explains. */
  private noteBefore(reply: StoredMessage, text: string): void {
    this.addNote(text);
    const messages = this.deps.sessions.active.messages;
    const note = messages.pop() as StoredMessage;
    messages.splice(Math.max(0, messages.indexOf(reply)), 0, note);
    this.publishSession();
  }

  /**
   * The messages for one model request: the context provider's choice (its ledger goes to
   * the view, its notes into the chat), or the whole conversation without one.
   */
  private async prepare(
    client: ModelClient,
    step: number,
    signal: AbortSignal,
    extra?: ExtraContext,
  ): Promise<PreparedRequest> {
    if (step === 1 || !this.prompt) this.prompt = promptParts(await this.deps.systemPrompt(client.model));
    const { prompt } = this;
    const system = prompt.text;
    const history = this.history();
    const context = this.deps.context;
    if (!context) return { messages: plainMessages(system, history), notes: [] };
    const text =
      [...this.deps.sessions.active.messages].reverse().find((message) => message.role === 'user')?.content ?? '';
    const tools = this.offeredTools();
    const prepared = await context.prepare({
      text,
      mentions: parseMentions(text),
      extra,
      system,
      instructions: prompt.instructions,
      tools: tools?.length ? tools : undefined,
      history,
      step,
      model: client.model,
      baseUrl: client.baseUrl,
      summarise: (messages, abort) => summarise(client, messages, abort ?? signal),
      signal,
    });
    if (signal.aborted) throw new ModelError('aborted', 'stopped');
    for (const note of prepared.notes) this.addNote(note);
    if (prepared.ledger) this.deps.post({ type: 'ledger', ledger: prepared.ledger });
    return prepared;
  }

  private async streamReply(
    client: ModelClient,
    reply: StoredMessage,
    messages: ChatMessage[],
    signal: AbortSignal,
  ): Promise<ModelTurn> {
    let lastSave = Date.now();
    let turn: ModelTurn | undefined;
    const tools = this.offeredTools();
    const options = tools?.length ? { tools } : {};
    let history = messages;
    for (let trimmed = false; ; trimmed = true) {
      try {
        for await (const event of client.stream(history, signal, options)) {
          if (event.type === 'turn') turn = event.turn;
          else
            await this.onStreamEvent(event, reply, () => {
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
        this.noteBefore(reply, smaller.note);
        if (smaller.ledger) this.deps.post({ type: 'ledger', ledger: smaller.ledger });
        this.deps.post({ type: 'notice', messageId: reply.id, text: 'Sent again with less context…' });
      }
    }
    return turn ?? { text: reply.content, reasoning: '', toolCalls: [], finishReason: 'stop' };
  }

  private async onStreamEvent(event: StreamEvent, reply: StoredMessage, saveDue: () => boolean): Promise<void> {
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

  private async runTools(turn: ModelTurn, reply: StoredMessage, signal: AbortSignal): Promise<ToolCallRecord[]> {
    const calls: ToolCallRecord[] = [];
    reply.toolCalls = calls;
    const update = (record: ToolCallRecord) => {
      if (!calls.includes(record)) calls.push(record);
      this.deps.post({
        type: 'toolCall',
        messageId: reply.id,
        call: toolCallView(record),
      });
    };
    // A tool the mode does not offer (an edit in Plan mode) is refused, not run, whatever the model asks.
    const offers = this.deps.offers ?? (() => true);
    const refused = turn.toolCalls.filter((call) => !offers(call.name)).map(refusedCall);
    const records = await this.deps.tools!.run(
      turn.toolCalls.filter((call) => offers(call.name)),
      signal,
      update,
    );
    for (const record of refused) update(record);
    return [...records, ...refused];
  }

  private offeredTools(): ToolSchema[] | undefined {
    const offers = this.deps.offers;
    const schemas = this.deps.tools?.schemas;
    return offers ? schemas?.filter((schema) => offers(schema.name)) : schemas;
  }

  /** The conversation as the model sees it, without the system prompt. */
  private history(): ChatMessage[] {
    const messages: ChatMessage[] = [];
    for (const message of this.deps.sessions.active.messages) {
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
}

function refusedCall(call: ToolCall): ToolCallRecord {
  return {
    id: call.id,
    name: call.name,
    rawArguments: call.rawArguments,
    title: call.name,
    status: 'error',
    summary: 'not available in this mode',
    result: `Error: ${call.name} is not available in the current mode (Plan mode offers only tools that change nothing). Write the plan instead; the user switches modes to carry it out.`,
  };
}
