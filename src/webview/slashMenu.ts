/**
 * Completion for slash commands: `/` at the very start of the chat input asks the host
 * for the commands (built-ins and the workspace's `.qcoder/commands`), and the list
 * narrows as the user types the name. Arrows move, Enter or Tab picks (the name and a
 * space go into the input; nothing is sent), Escape closes. Same keys and ARIA roles as
 * the @-mention menu.
 */
import type { SlashCommandView, WebviewMessage } from '../core/protocol';

/** `/name` being typed at the start of the input, caret at its end. */
const TOKEN = /^\/([a-z0-9._:-]*)$/i;

export class SlashMenu {
  private commands: readonly SlashCommandView[] = [];
  private shown: SlashCommandView[] = [];
  private selected = 0;
  private requestId = 0;

  constructor(
    private readonly input: HTMLTextAreaElement,
    private readonly menu: HTMLElement,
    private readonly post: (message: WebviewMessage) => void,
  ) {
    // Registered before the composer's own keydown: while open, Enter and Tab pick instead of sending.
    input.addEventListener('keydown', (event) => this.onKey(event));
    input.addEventListener('input', () => this.update());
    input.addEventListener('blur', () => setTimeout(() => this.close(), 150));
  }

  get open(): boolean {
    return !this.menu.hidden;
  }

  /** The host's command list for the query with this id. */
  results(requestId: number, items: readonly SlashCommandView[]): void {
    if (requestId !== this.requestId) return;
    this.commands = items;
    this.update(false);
  }

  private typed(): string | undefined {
    const caret = this.input.selectionStart ?? 0;
    if (caret !== this.input.selectionEnd) return undefined;
    return TOKEN.exec(this.input.value.slice(0, caret))?.[1];
  }

  private update(ask = true): void {
    const name = this.typed();
    if (name === undefined) return this.close();
    // A fresh list each time the user starts a command: command files may have changed.
    if (ask && name === '') {
      this.requestId++;
      this.post({ type: 'slashQuery', requestId: this.requestId });
    }
    const lower = name.toLowerCase();
    this.show(this.commands.filter((command) => command.name.toLowerCase().startsWith(lower)));
  }

  private show(commands: SlashCommandView[]): void {
    this.shown = commands;
    this.selected = 0;
    if (!commands.length) return this.close();
    this.menu.replaceChildren(...commands.map((command, i) => this.item(command, i)));
    this.menu.hidden = false;
    // aria-expanded is not allowed on a textbox (axe: aria-allowed-attr); the active option says where the menu is.
    this.input.setAttribute('aria-controls', this.menu.id);
    this.highlight();
  }

  private item(command: SlashCommandView, i: number): HTMLElement {
    const item = document.createElement('li');
    item.role = 'option';
    item.id = `slash-${i}`;
    item.textContent = `/${command.name}${command.argumentHint ? ` ${command.argumentHint}` : ''}`;
    const detail = document.createElement('span');
    detail.className = 'mention-detail';
    detail.textContent = command.description;
    item.append(detail);
    // mousedown, not click: the input keeps focus.
    item.addEventListener('mousedown', (event) => {
      event.preventDefault();
      this.pick(i);
    });
    return item;
  }

  private highlight(): void {
    [...this.menu.children].forEach((child, i) => child.setAttribute('aria-selected', String(i === this.selected)));
    this.input.setAttribute('aria-activedescendant', `slash-${this.selected}`);
    this.menu.children[this.selected]?.scrollIntoView({ block: 'nearest' });
  }

  private onKey(event: KeyboardEvent): void {
    if (!this.open || event.isComposing) return;
    const count = Math.max(1, this.shown.length);
    const keys: Record<string, () => void> = {
      ArrowDown: () => {
        this.selected = (this.selected + 1) % count;
        this.highlight();
      },
      ArrowUp: () => {
        this.selected = (this.selected - 1 + count) % count;
        this.highlight();
      },
      Enter: () => this.pick(this.selected),
      Tab: () => this.pick(this.selected),
      Escape: () => this.close(),
    };
    const action = keys[event.key];
    if (!action || (event.key === 'Enter' && event.shiftKey)) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    action();
  }

  private pick(i: number): void {
    const command = this.shown[i];
    if (!command) return this.close();
    const caret = this.input.selectionStart ?? 0;
    const insert = `/${command.name} `;
    this.input.value = insert + this.input.value.slice(caret);
    this.input.setSelectionRange(insert.length, insert.length);
    this.close();
    this.input.dispatchEvent(new Event('input'));
  }

  close(): void {
    this.menu.hidden = true;
    this.shown = [];
    this.input.removeAttribute('aria-activedescendant');
  }
}

/** The menu's list, placed beside the @-mention menu (same position above the input). */
export function slashMenuElement(beside: HTMLElement): HTMLElement {
  const list = document.createElement('ul');
  list.id = 'slash-menu';
  list.setAttribute('role', 'listbox');
  list.setAttribute('aria-label', 'Slash commands');
  list.hidden = true;
  beside.after(list);
  return list;
}
