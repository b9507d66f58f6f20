/**
 * A reasoning model's thoughts, folded: while it reasons the answer shows "Thinking…" with
 * the reasoning in a collapsed section the user may open; the answer's text follows below.
 * Reasoning is not kept in the session (it is never sent back to the model), so it shows
 * only for answers streamed in this view.
 */
import { el } from './dom';

export class ReasoningSections {
  private readonly texts = new Map<string, string>();
  private pending = new Set<string>();

  has(messageId: string): boolean {
    return this.texts.has(messageId);
  }

  add(messageId: string, text: string): void {
    this.texts.set(messageId, (this.texts.get(messageId) ?? '') + text);
    if (this.pending.size === 0) requestAnimationFrame(() => this.flush());
    this.pending.add(messageId);
  }

  private flush(): void {
    for (const id of this.pending) {
      const node = document.getElementById(`msg-${id}`);
      if (node) this.draw(node, id);
    }
    this.pending = new Set();
  }

  /** Draws (or updates) the section of message `id` inside its article, before the answer's text. */
  draw(node: HTMLElement, id: string): void {
    const text = this.texts.get(id);
    if (text === undefined) return;
    let section = node.querySelector<HTMLDetailsElement>('details.reasoning');
    if (!section) {
      section = el('details', 'reasoning');
      section.append(el('summary'), el('div', 'reasoning-text'));
      node.querySelector('.content')?.before(section);
    }
    const streaming = node.dataset.status === 'streaming';
    section.querySelector('summary')!.textContent = streaming ? 'Thinking…' : 'Reasoning';
    section.querySelector('.reasoning-text')!.textContent = text;
  }
}
