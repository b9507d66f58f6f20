/**
 * The history list: every chat of this workspace, newest first, searched by title and by the
 * text of its messages (the host searches the files), with Open, Rename, Export as Markdown,
 * Open in Editor and Delete; a deleted chat can be brought back with Undo.
 */
import type { SessionAction, SessionSummary, WebviewMessage } from '../core/protocol';
import { button, el } from './dom';

const ROW_ACTIONS: readonly [SessionAction, string, string][] = [
  ['rename', 'edit', 'Rename'],
  ['exportMarkdown', 'markdown', 'Export as Markdown'],
  ['openInEditor', 'link-external', 'Open in editor'],
  ['delete', 'trash', 'Delete'],
];

export class HistoryList {
  private items: readonly SessionSummary[] = [];
  private activeId = '';
  private matches: ReadonlySet<string> | undefined;
  private requestId = 0;
  private deleted: SessionSummary | undefined;
  private readonly search = el('input', 'history-search');
  private readonly list = el('ul', 'history-list');
  private readonly undo = el('div', 'history-undo');

  constructor(
    private readonly box: HTMLElement,
    private readonly toggle: HTMLButtonElement,
    private readonly post: (message: WebviewMessage) => void,
  ) {
    this.search.type = 'search';
    this.search.placeholder = 'Search chats (titles and messages)';
    this.search.setAttribute('aria-label', 'Search chats');
    this.search.addEventListener('input', () => this.query());
    this.list.setAttribute('aria-label', 'Chats');
    this.undo.setAttribute('role', 'status');
    box.append(this.search, this.undo, this.list);
    toggle.addEventListener('click', () => this.setOpen(box.hidden));
    box.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape') return;
      event.stopPropagation();
      this.setOpen(false);
      toggle.focus();
    });
  }

  setOpen(open: boolean): void {
    this.box.hidden = !open;
    this.toggle.setAttribute('aria-expanded', String(open));
    if (open) {
      this.draw();
      this.search.focus();
    }
  }

  show(items: readonly SessionSummary[], activeId: string): void {
    this.items = items;
    this.activeId = activeId;
    if (this.deleted && items.some((item) => item.id === this.deleted?.id)) this.clearUndo();
    if (this.search.value.trim()) this.query();
    else this.draw();
  }

  /** The host's answer to the last search. */
  matched(requestId: number, ids: readonly string[]): void {
    if (requestId !== this.requestId) return;
    this.matches = new Set(ids);
    this.draw();
  }

  private query(): void {
    const text = this.search.value.trim();
    this.requestId++;
    if (!text) {
      this.matches = undefined;
      this.draw();
      return;
    }
    this.post({ type: 'searchSessions', requestId: this.requestId, query: text });
  }

  private draw(): void {
    if (this.box.hidden) return;
    const shown = this.items.filter((item) => !this.matches || this.matches.has(item.id));
    if (shown.length === 0) {
      this.list.replaceChildren(el('li', 'history-empty', this.matches ? 'No chat matches.' : 'No chats yet.'));
      return;
    }
    this.list.replaceChildren(...shown.map((item) => this.row(item)));
  }

  private row(item: SessionSummary): HTMLElement {
    const row = el('li', 'history-item');
    row.dataset.sessionId = item.id;
    if (item.id === this.activeId) row.setAttribute('aria-current', 'true');
    const open = button(item.title, () => {
      this.post({ type: 'switchSession', sessionId: item.id });
      this.setOpen(false);
    });
    open.className = 'history-open';
    open.title = `${item.title} — ${new Date(item.updatedAt).toLocaleString()}`;
    const actions = el('span', 'history-actions');
    for (const [action, icon, label] of ROW_ACTIONS) {
      const act = button(`${label}: ${item.title}`, () => this.act(item, action), { icon });
      act.title = label;
      actions.append(act);
    }
    row.append(open, actions);
    return row;
  }

  private act(item: SessionSummary, action: SessionAction): void {
    this.post({ type: 'sessionAction', sessionId: item.id, action });
    if (action !== 'delete') return;
    this.deleted = item;
    this.undo.replaceChildren(
      el('span', undefined, `Deleted “${item.title}”.`),
      button('Undo', () => {
        this.post({ type: 'sessionAction', sessionId: item.id, action: 'undoDelete' });
        this.clearUndo();
      }),
    );
  }

  private clearUndo(): void {
    this.deleted = undefined;
    this.undo.replaceChildren();
  }
}
