/**
 * What the user does to messages already in the chat: edit and resend (the conversation forks
 * there), regenerate an answer (the old one stays a branch), flip between branches, and run a
 * code block's command or apply it to a file through the agent's own tools, so the same
 * approval rules, cards and review flow decide.
 */
import type { ToolCallRecord, ToolRunner } from '../agent/toolRunner';
import { toolCallView } from '../agent/toolRunner';
import type { ContentPart } from '../model/types';
import type { ChatMessageView, HostMessage } from '../protocol';
import { branchAt, fork, switchBranch } from '../session/forks';
import type { ChatSessions } from '../session/cursor';
import { type ChatSession, newId, noteMessage, type StoredMessage, toView } from '../session/session';
import type { MessageActionMessage } from './messageProtocol';

export interface MessageActionsDeps {
  readonly sessions: ChatSessions;
  readonly tools?: ToolRunner;
  readonly busy: () => boolean;
  /** Runs `work` as a turn of the chat: busy while it runs, and Stop aborts its signal. */
  asTurn<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T>;
  post(message: HostMessage): void;
  /** Sends the whole session to the view again (the path changed). */
  publish(): void;
  /** Answers the session's last user message. */
  answer(): Promise<void>;
}

/** The shown path of `session` as the view draws it, each fork's first message with its "< n/m >". */
export function viewsOf(session: ChatSession): ChatMessageView[] {
  return session.messages.map((message, index) => {
    const branch = branchAt(session, index);
    return branch ? { ...toView(message), branch } : toView(message);
  });
}

/** A user message's text as the model gets it: with its images as `image_url` parts when it has any. */
export function userContent(message: StoredMessage): string | ContentPart[] {
  if (!message.images?.length) return message.content;
  return [
    { type: 'text', text: message.content },
    ...message.images.map((url): ContentPart => ({ type: 'image_url', image_url: { url } })),
  ];
}

/** The user message that `text` (and `images`) becomes. */
export function userMessage(text: string, images?: readonly string[], display?: string): StoredMessage {
  const message: StoredMessage = {
    id: newId('m'),
    role: 'user',
    content: text,
    status: 'complete',
    createdAt: Date.now(),
  };
  if (images?.length) message.images = [...images];
  if (display) message.display = display;
  return message;
}

export class MessageActions {
  constructor(private readonly deps: MessageActionsDeps) {}

  async handle(message: MessageActionMessage): Promise<void> {
    switch (message.type) {
      case 'editMessage':
        return this.edit(message.messageId, message.text);
      case 'regenerate':
        return this.regenerate(message.messageId);
      case 'switchBranch':
        return this.switchTo(message.messageId, message.index);
      case 'codeAction':
        return; // the host's code-block handler takes these (it needs the editor)
    }
  }

  /** Resends user message `messageId` with `text`; the old message and what followed stay a branch. */
  async edit(messageId: string, text: string): Promise<void> {
    const session = this.deps.sessions.active;
    const old = session.messages.find((message) => message.id === messageId);
    if (this.refusedWhileBusy() || old?.role !== 'user' || !text.trim()) return;
    // An edited Explain request is what the user now typed: the long prompt behind its label goes.
    const edited = userMessage(text.trim(), old.images);
    if (!fork(session, messageId, [edited])) return;
    await this.restart(session);
  }

  /** Answers again the user message that `messageId` (an assistant message) answers. */
  async regenerate(messageId: string): Promise<void> {
    const session = this.deps.sessions.active;
    const index = session.messages.findIndex((message) => message.id === messageId);
    if (this.refusedWhileBusy() || index < 0 || session.messages[index].role !== 'assistant') return;
    let first = index;
    while (first > 0 && session.messages[first - 1].role !== 'user') first--;
    if (first === 0 || !fork(session, session.messages[first].id, [])) return;
    await this.restart(session);
  }

  async switchTo(messageId: string, index: number): Promise<void> {
    if (this.refusedWhileBusy()) return;
    const session = this.deps.sessions.active;
    if (!switchBranch(session, messageId, index)) return;
    session.updatedAt = Date.now();
    this.deps.publish();
    await this.deps.sessions.save();
  }

  /**
   * Runs one of the agent's tools for the user (a code block's Run or Apply): the call shows as
   * a card on a note of its own, and goes through the runner, so rules, approvals and review apply.
   */
  async runTool(name: string, args: Record<string, unknown>, label: string): Promise<ToolCallRecord | undefined> {
    const tools = this.deps.tools;
    if (!tools || this.refusedWhileBusy()) return undefined;
    const calls: ToolCallRecord[] = [];
    const note: StoredMessage = { ...noteMessage(label), toolCalls: calls };
    this.deps.sessions.active.messages.push(note);
    this.deps.post({ type: 'messageAdded', message: toView(note) });
    const call = { id: newId('call'), name, arguments: args, rawArguments: JSON.stringify(args) };
    // A turn of its own, so the block's command is stopped by Stop like the agent's run_command.
    const [record] = await this.deps.asTurn((signal) =>
      tools.run([call], signal, (changed) => {
        if (!calls.includes(changed)) calls.push(changed);
        this.deps.post({ type: 'toolCall', messageId: note.id, call: toolCallView(changed) });
      }),
    );
    return record;
  }

  private async restart(session: ChatSession): Promise<void> {
    session.updatedAt = Date.now();
    this.deps.publish();
    await this.deps.sessions.save();
    await this.deps.answer();
    // A regenerated answer starts the fork: the path again, so "< 2/2 >" shows now, not after a reload.
    this.deps.publish();
  }

  /** While an answer streams the path must not move under it (the view greys these buttons out then too). */
  private refusedWhileBusy(): boolean {
    return this.deps.busy();
  }
}
