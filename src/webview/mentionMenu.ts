/**
 * Completion for @-mentions in the chat input: `@` offers the kinds, `@file:` and
 * `@folder:` ask the host for matching paths (request ids, so a late answer for an old
 * prefix is ignored). Arrows move, Enter or Tab picks, Escape closes.
 */
import { MENTION_KINDS, type MentionQueryKind, type WebviewMessage } from '../core/protocol';

interface Option {
  readonly label: string;
  readonly detail?: string;
  /** Replaces the `@…` being typed. */
  readonly insert: string;
  /** Keep the menu open after picking (the kind `@file:` goes on to paths). */
  readonly more?: boolean;
}

/** The `@…` just before the caret, if any. */
const TOKEN = /(?:^|[\s(])(@[^\s@]*)$/;

export class MentionMenu {
  private options: Option[] = [];
  private selected = 0;
  /** The user moved the selection since the last keystroke: an answer that comes later keeps it on the same row. */
  private moved = false;
  private requestId = 0;
  private token: { start: number; end: number; text: string } | undefined;

  constructor(
    private readonly input: HTMLTextAreaElement,
    private readonly menu: HTMLElement,
    private readonly post: (message: WebviewMessage) => void,
  ) {
    // Registered before the composer's own keydown: while open, Enter and Tab pick instead of sending.
    input.addEventListener('keydown', (event) => this.onKey(event));
    input.addEventListener('input', () => this.update());
    input.addEventListener('click', () => this.update());
    input.addEventListener('blur', () => setTimeout(() => this.close(), 150));
  }

  get open(): boolean {
    return !this.menu.hidden;
  }

  /** The host's paths for the query with this id. */
  results(requestId: number, items: readonly string[]): void {
    if (requestId !== this.requestId || !this.token) return;
    const kind = this.token.text.startsWith('@folder:') ? 'folder' : 'file';
    this.show(
      items.map((path) => ({ label: path, insert: `@${kind}:${/\s/.test(path) ? `"${path}"` : path} ` })),
      `No ${kind === 'file' ? 'files' : 'folders'} QCoder may read match.`,
    );
  }

  private update(): void {
    this.moved = false;
    const caret = this.input.selectionStart ?? 0;
    if (caret !== this.input.selectionEnd) return this.close();
    const match = TOKEN.exec(this.input.value.slice(0, caret));
    if (!match) return this.close();
    const text = match[1];
    this.token = { start: caret - text.length, end: caret, text };
    const path = /^@(file|folder|mcp):(.*)$/.exec(text);
    if (path) {
      this.requestId++;
      this.post({
        type: 'mentionQuery',
        requestId: this.requestId,
        kind: path[1] as MentionQueryKind,
        prefix: path[2].replace(/^"/, ''),
      });
      return;
    }
    const typed = text.toLowerCase();
    this.show(
      MENTION_KINDS.filter((kind) => kind.label.startsWith(typed)).map((kind) => ({
        label: kind.label,
        detail: kind.detail,
        insert: kind.label.endsWith(':') ? kind.label : `${kind.label} `,
        more: kind.label.endsWith(':'),
      })),
    );
  }

  private show(options: Option[], empty?: string): void {
    const kept = this.moved ? this.options[this.selected]?.label : undefined;
    this.options = options;
    this.selected = Math.max(
      0,
      options.findIndex((option) => option.label === kept),
    );
    if (!options.length && !empty) return this.close();
    this.menu.replaceChildren(
      ...(options.length ? options.map((option, i) => this.item(option, i)) : [emptyItem(empty ?? '')]),
    );
    this.menu.hidden = false;
    this.highlight();
  }

  private item(option: Option, i: number): HTMLElement {
    const item = document.createElement('li');
    item.role = 'option';
    item.id = `mention-${i}`;
    item.textContent = option.label;
    if (option.detail) {
      const detail = document.createElement('span');
      detail.className = 'mention-detail';
      detail.textContent = option.detail;
      item.append(detail);
    }
    // mousedown, not click: the input keeps focus.
    item.addEventListener('mousedown', (event) => {
      event.preventDefault();
      this.pick(i);
    });
    return item;
  }

  private highlight(): void {
    [...this.menu.children].forEach((child, i) => child.setAttribute('aria-selected', String(i === this.selected)));
    this.menu.children[this.selected]?.scrollIntoView({ block: 'nearest' });
  }

  private onKey(event: KeyboardEvent): void {
    if (!this.open || event.isComposing) return;
    const keys: Record<string, () => void> = {
      ArrowDown: () => {
        this.moved = true;
        this.selected = (this.selected + 1) % Math.max(1, this.options.length);
        this.highlight();
      },
      ArrowUp: () => {
        this.moved = true;
        this.selected = (this.selected - 1 + this.options.length) % Math.max(1, this.options.length);
        this.highlight();
      },
      Enter: () => this.pick(this.selected),
      Tab: () => this.pick(this.selected),
      Escape: () => this.close(),
    };
    const action = keys[event.key];
    if (!action || (event.key === 'Enter' && event.shiftKey)) return;
    if ((event.key === 'Enter' || event.key === 'Tab') && !this.options.length) return this.close();
    event.preventDefault();
    event.stopImmediatePropagation();
    action();
  }

  private pick(i: number): void {
    const option = this.options[i];
    const token = this.token;
    if (!option || !token) return this.close();
    const value = this.input.value;
    this.input.value = value.slice(0, token.start) + option.insert + value.slice(token.end);
    const caret = token.start + option.insert.length;
    this.input.setSelectionRange(caret, caret);
    this.input.dispatchEvent(new Event('input'));
    if (!option.more) this.close();
  }

  close(): void {
    this.menu.hidden = true;
    this.options = [];
    this.token = undefined;
  }
}

function emptyItem(text: string): HTMLElement {
  const item = document.createElement('li');
  item.className = 'empty';
  item.textContent = text;
  return item;
}
