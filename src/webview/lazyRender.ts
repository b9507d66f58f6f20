/**
 * Opening a long chat fast: messages far from the view are drawn as plain text first and their
 * markdown (and highlighting) rendered when they scroll near, within a few milliseconds a frame
 * (a fast scroll through hundreds of answers must not stall the frame); the CSS gives
 * every message `content-visibility: auto`, so the browser skips laying out those off screen.
 */
const FRAME_BUDGET_MS = 8;

export class LazyMarkdown {
  private readonly waiting = new Map<Element, () => void>();
  /** Messages in or near the view, drawn in order as the frame budget allows. */
  private readonly due = new Set<Element>();
  private scheduled = false;
  private readonly observer: IntersectionObserver;

  constructor(root: HTMLElement) {
    this.observer = new IntersectionObserver((entries) => this.seen(entries), { root, rootMargin: '800px 0px' });
  }

  /** Renders `draw` when `node` comes near the view; until then it shows `text` as plain text. */
  defer(node: HTMLElement, content: HTMLElement, text: string, draw: () => void): void {
    // A short plain start and the height the whole will take, so the scroll bar is right before it is drawn.
    content.textContent = text.length > 300 ? `${text.slice(0, 300)}…` : text;
    const lines = text.split('\n').length;
    node.style.containIntrinsicSize = `auto ${Math.min(lines, 2000) * 19 + 24}px`;
    content.classList.add('lazy');
    this.waiting.set(node, () => {
      content.classList.remove('lazy');
      draw();
    });
    this.observer.observe(node);
  }

  /** Forget everything (the chat was replaced). */
  clear(): void {
    this.observer.disconnect();
    this.waiting.clear();
    this.due.clear();
  }

  /** Draws now (the message changed: it is drawn by its caller). */
  forget(node: Element): void {
    this.waiting.delete(node);
    this.due.delete(node);
    this.observer.unobserve(node);
  }

  private seen(entries: IntersectionObserverEntry[]): void {
    for (const entry of entries) {
      if (entry.isIntersecting) this.due.add(entry.target);
      else this.due.delete(entry.target);
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.due.size === 0) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      const started = performance.now();
      for (const node of this.due) {
        if (performance.now() - started > FRAME_BUDGET_MS) break;
        const draw = this.waiting.get(node);
        this.forget(node);
        draw?.();
      }
      this.schedule();
    });
  }
}
