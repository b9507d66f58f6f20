/**
 * The buttons on a message: Edit and resend (user), Regenerate (answer), Copy as Markdown,
 * "< 1/2 >" between the branches of a fork, and the hover with the time and token count.
 * Buttons are rebuilt with each render of the message; the edit box replaces the bubble
 * until it is sent or cancelled.
 */
import type { ChatMessageView, WebviewMessage } from '../core/protocol';
import { flash } from './codeBlocks';

type Post = (message: WebviewMessage) => void;

/** A text button (the edit box's Send and Cancel). */
function button(label: string, title: string, onClick: () => void, className: string): HTMLButtonElement {
  const element = document.createElement('button');
  element.type = 'button';
  element.className = className;
  element.textContent = label;
  element.title = title;
  element.addEventListener('click', onClick);
  return element;
}

/** A codicon button under a message: `label` is its accessible name, the tooltip says more. */
function iconButton(icon: string, label: string, title: string, onClick: () => void, extra = ''): HTMLButtonElement {
  const element = button('', title, onClick, `message-action icon ${extra}`.trim());
  element.setAttribute('aria-label', label);
  const glyph = document.createElement('span');
  glyph.className = `codicon codicon-${icon}`;
  glyph.setAttribute('aria-hidden', 'true');
  element.append(glyph);
  return element;
}

/** "Sent 14:03:05" or "Answered 14:03:09 · 4.1 s · 153 tokens": what the hover on a message says. */
export function hoverText(message: ChatMessageView): string {
  if (message.createdAt === undefined) return '';
  const time = (at: number) => new Date(at).toLocaleTimeString();
  if (message.role === 'user') return `Sent ${time(message.createdAt)}`;
  const parts = [`${message.note ? 'Noted' : 'Started'} ${time(message.createdAt)}`];
  if (message.doneAt !== undefined) parts.push(`took ${((message.doneAt - message.createdAt) / 1000).toFixed(1)} s`);
  if (message.tokens !== undefined) parts.push(`${message.tokens} tokens`);
  return parts.join(' · ');
}

/** The images a user message carried, as thumbnails under its text. */
function showImages(node: HTMLElement, images: readonly string[]): void {
  node.querySelector(':scope > .message-images')?.remove();
  if (images.length === 0) return;
  const row = document.createElement('div');
  row.className = 'message-images';
  row.append(
    ...images.map((url, index) => {
      const image = document.createElement('img');
      image.src = url;
      image.alt = `Image ${index + 1} sent with the message`;
      return image;
    }),
  );
  node.querySelector('.content')?.after(row);
}

export class MessageActions {
  private busy = false;

  constructor(private readonly post: Post) {}

  setBusy(busy: boolean): void {
    this.busy = busy;
    document.querySelectorAll<HTMLButtonElement>('.message-actions .needs-idle').forEach((each) => {
      each.disabled = busy;
    });
  }

  /**
   * Puts the message's buttons (and its hover text) under it. Copy and Regenerate go on the answer
   * that ends a turn (`turnEnd`), not on each step of a tool loop; an empty answer has nothing to copy.
   */
  decorate(node: HTMLElement, message: ChatMessageView, turnEnd = true): void {
    node.title = hoverText(message);
    showImages(node, message.images ?? []);
    node.querySelector(':scope > .message-actions')?.remove();
    if (message.status === 'streaming' || node.classList.contains('editing')) return;
    if (message.role === 'assistant' && !turnEnd && !message.branch) return;
    const bar = document.createElement('div');
    bar.className = 'message-actions';
    bar.setAttribute('role', 'toolbar');
    bar.setAttribute('aria-label', message.role === 'user' ? 'Your message' : 'Answer');
    if (message.branch) bar.append(this.branches(message, message.branch));
    if (message.role === 'user' || turnEnd) bar.append(...this.buttons(node, message));
    if (bar.childElementCount > 0) node.append(bar);
  }

  private buttons(node: HTMLElement, message: ChatMessageView): HTMLButtonElement[] {
    const buttons: HTMLButtonElement[] = [];
    const copy = iconButton('copy', 'Copy', 'Copy the message as Markdown', () => {
      this.post({
        type: 'codeAction',
        action: 'copy',
        messageId: message.id,
        code: message.content,
        language: 'markdown',
        before: '',
      });
      flash(copy, 'Copied');
    });
    if (message.content.trim()) buttons.push(copy);
    if (message.role === 'user')
      buttons.push(
        this.idle(
          iconButton('edit', 'Edit', 'Edit and resend (the old version stays as a branch)', () =>
            this.edit(node, message),
          ),
        ),
      );
    else if (!message.note)
      buttons.push(
        this.idle(
          iconButton('refresh', 'Regenerate', 'Answer again (this answer stays as a branch)', () =>
            this.post({ type: 'regenerate', messageId: message.id }),
          ),
        ),
      );
    return buttons;
  }

  private idle<T extends HTMLButtonElement>(element: T): T {
    element.classList.add('needs-idle');
    element.disabled = this.busy;
    return element;
  }

  private branches(message: ChatMessageView, branch: { index: number; count: number }): HTMLElement {
    const nav = document.createElement('span');
    nav.className = 'branches';
    const go = (index: number) => () => this.post({ type: 'switchBranch', messageId: message.id, index });
    const back = this.idle(
      iconButton('chevron-left', 'Previous version', 'Previous version', go(branch.index - 1), 'branch-previous'),
    );
    const next = this.idle(
      iconButton('chevron-right', 'Next version', 'Next version', go(branch.index + 1), 'branch-next'),
    );
    back.disabled ||= branch.index === 0;
    next.disabled ||= branch.index === branch.count - 1;
    const label = document.createElement('span');
    label.className = 'branch-label';
    label.textContent = `${branch.index + 1}/${branch.count}`;
    label.setAttribute('aria-label', `version ${branch.index + 1} of ${branch.count}`);
    nav.append(back, label, next);
    return nav;
  }

  /** Replaces the bubble with a text box: Enter (or Send) resends, Escape (or Cancel) puts the bubble back. */
  private edit(node: HTMLElement, message: ChatMessageView): void {
    const content = node.querySelector<HTMLElement>('.content');
    if (!content || this.busy) return;
    node.classList.add('editing');
    node.querySelector(':scope > .message-actions')?.remove();
    const box = document.createElement('div');
    box.className = 'edit-box';
    const text = document.createElement('textarea');
    text.className = 'edit-text';
    text.value = message.content;
    text.rows = Math.min(12, message.content.split('\n').length + 1);
    text.setAttribute('aria-label', 'Edit your message');
    const close = () => {
      box.remove();
      content.hidden = false;
      node.classList.remove('editing');
      this.decorate(node, message);
    };
    const resend = () => {
      if (!text.value.trim() || this.busy) return;
      this.post({ type: 'editMessage', messageId: message.id, text: text.value });
      close();
    };
    text.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        resend();
      } else if (event.key === 'Escape') {
        event.preventDefault();
        close();
      }
    });
    const actions = document.createElement('div');
    actions.className = 'edit-actions';
    actions.append(
      button('Send', 'Resend the edited message', resend, 'edit-send'),
      button('Cancel', 'Keep the message as it was', close, 'secondary edit-cancel'),
    );
    box.append(text, actions);
    content.hidden = true;
    content.after(box);
    text.focus();
  }
}
