/**
 * One chat turn from the user's text to the finished answer: keeps the session,
 * streams the model's reply to the view, and makes sure nothing the user typed or
 * the model already said is lost when the request fails or is stopped.
 */
import type { ChatMessage, ModelClient } from '../model/client';
import { ModelError } from '../model/errors';
import type { ConnectionView, HostMessage, WebviewMessage } from '../protocol';
import { newId, type SessionRepository, type StoredMessage, titleFrom, toView } from '../session/session';

export interface Connection {
  readonly view: ConnectionView;
  /** Undefined when the connection is not ready (e.g. no key); `problem` says why. */
  readonly client?: ModelClient;
  readonly problem?: string;
}

export interface ChatEngineDeps {
  readonly sessions: SessionRepository;
  connect(): Promise<Connection>;
  post(message: HostMessage): void;
  systemPrompt(): string;
  /** Host actions the core cannot do itself. */
  runCommand(command: 'setApiKey' | 'openSettings'): void;
  log(line: string): void;
}

interface ActiveTurn {
  readonly controller: AbortController;
  readonly message: StoredMessage;
  readonly done: Promise<void>;
}

const SAVE_INTERVAL_MS = 1000;

export class ChatEngine {
  private turn: ActiveTurn | undefined;

  constructor(private readonly deps: ChatEngineDeps) {}

  get busy(): boolean {
    return this.turn !== undefined;
  }

  /** Resolves when the turn in flight (if any) has ended. */
  async idle(): Promise<void> {
    await this.turn?.done;
  }

  async handle(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready': return this.publishAll();
      case 'send': return this.send(message.text);
      case 'stop': return this.stop();
      case 'newChat': return this.newChat();
      case 'switchSession': return this.switchSession(message.sessionId);
      case 'retry': return this.retry();
      case 'setApiKey': return this.deps.runCommand('setApiKey');
      case 'openSettings': return this.deps.runCommand('openSettings');
      case 'rendered': return; // the host's view layer reports these (tests listen)
    }
  }

  async publishAll(): Promise<void> {
    this.publishSession();
    await this.publishConnection();
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
      messages: session.messages.map(toView),
      sessions: this.deps.sessions.summaries(),
      busy: this.busy,
    });
  }

  async send(text: string): Promise<void> {
    const trimmed = text.trim();
    if (!trimmed) return;
    if (this.busy) {
      this.deps.post({ type: 'restoreInput', text });
      return;
    }
    const connection = await this.publishConnection();
    if (!connection.client) {
      // Not sent: give the text back so nothing typed is lost.
      this.deps.post({ type: 'restoreInput', text });
      return;
    }
    const session = this.deps.sessions.active;
    const user: StoredMessage = { id: newId('m'), role: 'user', content: trimmed, status: 'complete', createdAt: Date.now() };
    if (session.messages.length === 0) session.title = titleFrom(trimmed);
    session.messages.push(user);
    this.deps.post({ type: 'messageAdded', message: toView(user) });
    await this.answer(connection.client);
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
    if (connection.client) await this.answer(connection.client);
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

  private async answer(client: ModelClient): Promise<void> {
    const session = this.deps.sessions.active;
    const history = this.history();
    const reply: StoredMessage = { id: newId('m'), role: 'assistant', content: '', status: 'streaming', createdAt: Date.now() };
    session.messages.push(reply);
    session.updatedAt = Date.now();
    this.deps.post({ type: 'messageAdded', message: toView(reply) });
    this.deps.post({ type: 'busy', busy: true });
    await this.deps.sessions.save();

    const controller = new AbortController();
    let release: () => void = () => undefined;
    const done = new Promise<void>((resolve) => { release = resolve; });
    this.turn = { controller, message: reply, done };
    let lastSave = Date.now();
    try {
      for await (const event of client.stream(history, controller.signal)) {
        if (event.type !== 'text') continue;
        reply.content += event.text;
        this.deps.post({ type: 'delta', messageId: reply.id, text: event.text });
        if (Date.now() - lastSave > SAVE_INTERVAL_MS) {
          lastSave = Date.now();
          await this.deps.sessions.save();
        }
      }
      reply.status = 'complete';
    } catch (error) {
      const failure = error instanceof ModelError ? error : new ModelError('malformed', String(error));
      reply.status = failure.kind === 'aborted' ? 'stopped' : 'error';
      reply.error = failure.kind === 'aborted' ? undefined : failure.message;
      if (failure.kind !== 'aborted') this.deps.log(`request failed (${failure.kind}): ${failure.message}`);
    } finally {
      this.turn = undefined;
      session.updatedAt = Date.now();
      this.deps.post({ type: 'messageDone', messageId: reply.id, status: reply.status, error: reply.error, content: reply.content });
      this.deps.post({ type: 'busy', busy: false });
      await this.deps.sessions.save();
      release();
    }
  }

  private history(): ChatMessage[] {
    const messages: ChatMessage[] = [{ role: 'system', content: this.deps.systemPrompt() }];
    for (const message of this.deps.sessions.active.messages) {
      if (message.role === 'assistant' && !message.content) continue;
      messages.push({ role: message.role, content: message.content });
    }
    return messages;
  }
}
