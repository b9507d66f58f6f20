/**
 * Rendering a streaming answer without redoing its start every frame: the text is cut into
 * blocks at blank lines outside code fences; a finished block is rendered once and kept, and
 * only the unfinished tail is rendered again as tokens arrive. A long open code block is cut
 * at a line end into fragments of its own, so highlighting grows with the new lines, not the
 * whole block. The fragments of one code block are drawn as one (chat.css: `.continues`, `.continued`).
 */
import type { ChatMessageView } from '../core/protocol';
import { renderMarkdown } from './markdown';

const FENCE = /^ {0,3}(`{3,}|~{3,})([^\n]*)$/gm;
/** An open code block is settled in fragments of about this many characters. */
const FRAGMENT = 800;

interface Settled {
  length: number;
  /** The fence that is open at `length` (a fragment cut inside a code block), with its info string. */
  openFence?: string;
}

/** Where the text may be cut: the end of the last blank line outside a fence, or a line end in a long open block. */
export function settlePoint(text: string, from: number, openFence: string | undefined): Settled {
  let fence = openFence;
  let best: Settled = { length: from, openFence };
  let lineStart = from;
  while (lineStart < text.length) {
    const end = text.indexOf('\n', lineStart);
    if (end < 0) break;
    const line = text.slice(lineStart, end);
    FENCE.lastIndex = 0;
    const marker = FENCE.exec(line);
    if (marker) fence = fence === undefined ? line.trim() : undefined;
    else if (fence === undefined && line.trim() === '') best = { length: end + 1 };
    else if (fence !== undefined && end + 1 - best.length >= FRAGMENT) best = { length: end + 1, openFence: fence };
    lineStart = end + 1;
  }
  return best;
}

export class StreamingRender {
  private settled: Settled = { length: 0 };
  private readonly done: HTMLElement;
  private readonly tail: HTMLElement;

  constructor(content: HTMLElement) {
    content.replaceChildren();
    this.done = document.createElement('div');
    this.tail = document.createElement('div');
    this.tail.className = 'md-block';
    content.append(this.done, this.tail);
  }

  /** Draws a streaming message's new text; false when the message no longer streams (it needs a full render). */
  append(message: ChatMessageView): boolean {
    if (message.status !== 'streaming' || !this.tail.isConnected) return false;
    this.update(message.content);
    this.tail.closest('.message')?.classList.toggle('waiting', !message.content);
    return true;
  }

  update(text: string): void {
    const next = settlePoint(text, this.settled.length, this.settled.openFence);
    if (next.length > this.settled.length) {
      const chunk = document.createElement('div');
      chunk.className = 'md-block';
      chunk.classList.toggle('continues', this.settled.openFence !== undefined);
      chunk.classList.toggle('continued', next.openFence !== undefined);
      chunk.innerHTML = renderMarkdown(this.fenced(text.slice(this.settled.length, next.length), next.openFence));
      this.done.append(chunk);
      this.settled = next;
    }
    const rest = text.slice(this.settled.length);
    this.tail.classList.toggle('continues', this.settled.openFence !== undefined);
    this.tail.innerHTML = renderMarkdown(this.settled.openFence ? `${this.settled.openFence}\n${rest}` : rest);
  }

  /** A fragment opened or closed inside a code block is given the fence it lacks. */
  private fenced(chunk: string, closesOpen: string | undefined): string {
    const head = this.settled.openFence ? `${this.settled.openFence}\n` : '';
    // The chunk ends at a line end, so the closing fence goes right after it (no blank line in the code).
    const foot = closesOpen ? `${closesOpen.replace(/[^`~].*$/, '')}\n` : '';
    return head + chunk + foot;
  }
}
