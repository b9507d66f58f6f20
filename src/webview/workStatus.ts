/**
 * While the model works, one line says what it does ("Thinking…", "Running get_weather:
 * Paris…"); when an answer is finished, a polite live region reads it once, not token by token.
 */
import type { ChatMessageView, ToolCallView } from '../core/protocol';

const ANNOUNCED_LENGTH = 600;

export class WorkStatus {
  constructor(
    private readonly line: HTMLElement,
    private readonly announcer: HTMLElement,
  ) {}

  /** What the streaming message is doing now; empty when nothing runs. */
  update(busy: boolean, message: ChatMessageView | undefined, reasoning: boolean): void {
    this.line.textContent = busy ? describe(message, reasoning) : '';
    this.line.hidden = !busy;
  }

  /** Reads a finished answer once (its visible text, shortened). */
  announce(message: ChatMessageView, text: string): void {
    if (message.role !== 'assistant') return;
    const said = message.status === 'complete' ? text.trim() : `Answer ${message.status}. ${message.error ?? ''}`;
    this.announcer.textContent = said.length > ANNOUNCED_LENGTH ? `${said.slice(0, ANNOUNCED_LENGTH)}…` : said;
  }
}

function describe(message: ChatMessageView | undefined, reasoning: boolean): string {
  const running = message?.toolCalls?.find((call) => call.status === 'running');
  if (running) return `Running ${toolLabel(running)}…`;
  if (message?.status === 'streaming' && message.content) return 'Writing…';
  return reasoning ? 'Thinking…' : 'Waiting for the model…';
}

export function toolLabel(call: ToolCallView): string {
  return call.detail ? `${call.name}: ${call.detail}` : call.title;
}
