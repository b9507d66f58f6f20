/**
 * The agent's checklist (`todo_write`) as one card above the input, updated in place as the agent
 * works. It belongs to the session it came from and can be folded to its progress line.
 */
import type { TodoItemView } from '../core/protocol';
import { todoCardModel } from './todoCardModel';

export class TodoCard {
  private readonly card: HTMLElement;
  private readonly toggle: HTMLButtonElement;
  private readonly rows: HTMLOListElement;
  private folded = false;
  private items: readonly TodoItemView[] = [];

  constructor(composer: HTMLElement) {
    this.card = document.createElement('section');
    this.card.id = 'todo-card';
    this.card.hidden = true;
    this.card.setAttribute('aria-label', "The agent's plan");
    this.toggle = document.createElement('button');
    this.toggle.className = 'todo-toggle secondary';
    this.toggle.setAttribute('aria-expanded', 'true');
    this.toggle.setAttribute('aria-controls', 'todo-items');
    this.toggle.addEventListener('click', () => this.fold(!this.folded));
    this.rows = document.createElement('ol');
    this.rows.id = 'todo-items';
    this.card.append(this.toggle, this.rows);
    composer.prepend(this.card);
  }

  /** The active session's checklist; an empty one hides the card. */
  show(items: readonly TodoItemView[]): void {
    const model = todoCardModel(items);
    this.card.hidden = items.length === 0;
    this.card.dataset.finished = String(model.finished);
    this.toggle.textContent = model.current && this.folded ? `${model.title} — ${model.current}` : model.title;
    this.rows.replaceChildren(
      ...model.rows.map((row) => {
        const item = document.createElement('li');
        item.className = 'todo';
        item.dataset.status = row.status;
        const icon = document.createElement('span');
        icon.className = 'todo-icon';
        icon.textContent = row.icon;
        icon.setAttribute('aria-label', row.state);
        const text = document.createElement('span');
        text.className = 'todo-text';
        text.textContent = row.text;
        item.append(icon, text);
        return item;
      }),
    );
    this.items = items;
  }

  private fold(folded: boolean): void {
    this.folded = folded;
    this.rows.hidden = folded;
    this.toggle.setAttribute('aria-expanded', String(!folded));
    this.show(this.items);
  }
}
