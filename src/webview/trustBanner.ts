/**
 * The Restricted Mode banner: in an untrusted workspace it says once, at the top of the
 * chat, what QCoder does not do and which instruction files it did not read, with
 * "Load them" (this window only) and "Trust…" (VS Code's trust editor). It goes away
 * when trust is granted, and the user may close it.
 */
import type { TrustAction, WebviewMessage } from '../core/protocol';

export class TrustBanner {
  private dismissed = false;

  constructor(
    private readonly banner: HTMLElement,
    private readonly post: (message: WebviewMessage) => void,
  ) {}

  show(trusted: boolean, withheld: readonly string[]): void {
    if (trusted || this.dismissed) {
      this.banner.hidden = true;
      this.banner.replaceChildren();
      return;
    }
    const text = document.createElement('p');
    text.textContent =
      'Restricted Mode: this workspace is not trusted, so QCoder only reads. It makes no edits, runs no ' +
      'commands, and does not load the project’s instruction files or custom commands.';
    const parts: HTMLElement[] = [text];
    if (withheld.length) {
      const list = document.createElement('p');
      list.className = 'trust-withheld';
      list.textContent = `Not loaded (untrusted workspace): ${withheld.join(', ')}`;
      parts.push(list);
    }
    const buttons = document.createElement('div');
    buttons.className = 'trust-buttons';
    buttons.append(this.button('Trust…', 'manage', 'Open VS Code’s Workspace Trust editor'));
    if (withheld.length) buttons.append(this.button('Load them', 'load', 'Load them for this window only', true));
    const close = document.createElement('button');
    close.className = 'secondary';
    close.textContent = 'Close';
    close.addEventListener('click', () => {
      this.dismissed = true;
      this.banner.hidden = true;
    });
    buttons.append(close);
    parts.push(buttons);
    this.banner.replaceChildren(...parts);
    this.banner.hidden = false;
  }

  private button(label: string, action: TrustAction, title: string, secondary = false): HTMLButtonElement {
    const button = document.createElement('button');
    button.textContent = label;
    button.title = title;
    button.dataset.trustAction = action;
    if (secondary) button.className = 'secondary';
    button.addEventListener('click', () => this.post({ type: 'trustAction', action }));
    return button;
  }
}

/** The banner's section, placed after the setup notice at the top of the chat. */
export function trustBannerElement(after: HTMLElement): HTMLElement {
  const section = document.createElement('section');
  section.id = 'trust';
  section.setAttribute('role', 'status');
  section.setAttribute('aria-label', 'Workspace Trust');
  section.hidden = true;
  after.after(section);
  return section;
}
