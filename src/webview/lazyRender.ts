/**
 * Opening a long chat fast: messages far from the view are drawn as plain text first and their
 * markdown (and highlighting) rendered when they scroll near, a few per frame; the CSS gives
 * every message `content-visibility: auto`, so the browser skips laying out those off screen.
 */
export class LazyMarkdown {
  private readonly waiting = new Map<Element, () => void>();
  private readonly observer: IntersectionObserver;

  constructor(root: HTMLElement) {
    this.observer = new IntersectionObserver((entries) => this.seen(entries), { root, rootMargin: '1500px 0px' });
  }

  /** Renders `draw` when `node` comes near the view; until then it shows `text` as plain text. */
  defer(node: HTMLElement, content: HTMLElement, text: string, draw: () => void): void {
    content.textContent = text.length > 3000 ? `${text.slice(0, 3000)}…` : text;
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
  }

  /** Draws now (the message changed: it is drawn by its caller). */
  forget(node: Element): void {
    this.waiting.delete(node);
    this.observer.unobserve(node);
  }

  private seen(entries: IntersectionObserverEntry[]): void {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      const draw = this.waiting.get(entry.target);
      this.forget(entry.target);
      draw?.();
    }
  }
}
