/**
 * Long chats stay fast. Messages live in pages of PAGE_SIZE (`.page` under the list); the CSS
 * gives every page `content-visibility: auto`, so the browser skips laying out and painting the
 * pages off screen. Pages, not messages: the browser checks each such element's visibility every
 * frame the list scrolls or grows (all of a stream), and 50 checks cost what 1,000 did not.
 * Messages far from the view are drawn as plain text first and their markdown (and highlighting)
 * rendered when they come near, a few milliseconds a frame, so a fast scroll through hundreds of
 * answers does not stall a frame. Here too pages first: a page's messages are watched only while
 * the page is near the view, so the observer has tens of targets, not a thousand.
 */
const FRAME_BUDGET_MS = 6;
export const PAGE_SIZE = 20;
/** A placeholder's height per line of its text, so the scroll bar is about right before it is drawn. */
const LINE_PX = 19;
/** And what a message adds around its text (code bar, actions, margins). */
const MESSAGE_PX = 60;

/** The page a new message goes into: the last one, or a new one when it is full (or something else came last). */
export function pageFor(list: HTMLElement): HTMLElement {
  const last = list.lastElementChild;
  if (last instanceof HTMLElement && last.classList.contains('page') && last.childElementCount < PAGE_SIZE) return last;
  const page = document.createElement('div');
  page.className = 'page';
  list.append(page);
  return page;
}

export class LazyMarkdown {
  private readonly waiting = new Map<Element, () => void>();
  /** The waiting messages of each observed page. */
  private readonly pages = new Map<Element, Set<Element>>();
  /** Messages in or near the view, drawn in order as the frame budget allows. */
  private readonly due = new Set<Element>();
  private scheduled = false;
  private readonly observer: IntersectionObserver;
  private readonly messages: IntersectionObserver;

  constructor(private readonly root: HTMLElement) {
    this.observer = new IntersectionObserver((entries) => this.seenPages(entries), { root, rootMargin: '1200px 0px' });
    this.messages = new IntersectionObserver((entries) => this.seen(entries), { root, rootMargin: '800px 0px' });
  }

  /** Renders `draw` when `node`'s page comes near the view; until then it shows `text` as plain text. */
  defer(node: HTMLElement, content: HTMLElement, text: string, draw: () => void): void {
    content.textContent = text.length > 300 ? `${text.slice(0, 300)}…` : text;
    const height = Math.min(text.split('\n').length, 2000) * LINE_PX;
    content.style.height = `${height}px`;
    content.classList.add('lazy');
    this.waiting.set(node, () => {
      content.classList.remove('lazy');
      content.style.height = '';
      draw();
    });
    const page = node.parentElement;
    if (!page) return;
    let members = this.pages.get(page);
    if (!members) {
      this.pages.set(page, (members = new Set()));
      this.observer.observe(page);
    }
    members.add(node);
    // Until a page is first laid out, the browser takes this as its height (`auto` keeps the real one after).
    const estimate = Number(page.dataset.estimate ?? 0) + height + MESSAGE_PX;
    page.dataset.estimate = String(estimate);
    page.style.containIntrinsicSize = `auto ${estimate}px`;
  }

  /** Forget everything (the chat was replaced). */
  clear(): void {
    this.observer.disconnect();
    this.messages.disconnect();
    this.waiting.clear();
    this.pages.clear();
    this.due.clear();
  }

  /** Draws now (the message changed: it is drawn by its caller). */
  forget(node: Element): void {
    if (!this.waiting.delete(node)) return;
    this.due.delete(node);
    this.messages.unobserve(node);
    const page = node.parentElement;
    const members = page ? this.pages.get(page) : undefined;
    members?.delete(node);
    if (page && members?.size === 0) {
      this.pages.delete(page);
      this.observer.unobserve(page);
    }
  }

  /** A page came near: watch its waiting messages; it went away: stop. */
  private seenPages(entries: IntersectionObserverEntry[]): void {
    for (const entry of entries)
      for (const node of this.pages.get(entry.target) ?? []) {
        if (entry.isIntersecting) this.messages.observe(node);
        else {
          this.messages.unobserve(node);
          this.due.delete(node);
        }
      }
    this.schedule();
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
      // A chat opened at its end stays there while the answers above it are drawn (taller or shorter).
      const root = this.root;
      const atEnd = root.scrollHeight - root.scrollTop - root.clientHeight < 60;
      for (const node of this.due) {
        if (performance.now() - started > FRAME_BUDGET_MS) break;
        const draw = this.waiting.get(node);
        this.forget(node);
        draw?.();
      }
      if (atEnd) root.scrollTop = root.scrollHeight;
      this.schedule();
    });
  }
}
