/**
 * The review card under a message whose tool calls proposed edits: the files with their
 * +/− counts and protected-file warnings, Accept all / Reject all / Review, per-file
 * Accept / Reject / Diff, and Undo once the edit has landed. The host decides everything;
 * the card only shows the latest `ReviewView` and posts the buttons.
 */
import type { ReviewAction, ReviewFileView, ReviewView, WebviewMessage } from '../core/protocol';

const STATUS_TEXT: Record<ReviewView['status'], string> = {
  pending: 'Waiting for your review',
  reviewing: 'In the Refactor Preview…',
  applying: 'Applying…',
  applied: 'Applied',
  partial: 'Partly applied',
  rejected: 'Rejected',
  stopped: 'Stopped',
  failed: 'Not applied',
  undone: 'Undone',
};

const KIND_MARK: Record<ReviewFileView['kind'], { mark: string; title: string }> = {
  edit: { mark: 'M', title: 'modified' },
  create: { mark: 'A', title: 'new file' },
  delete: { mark: 'D', title: 'deleted' },
  rename: { mark: 'R', title: 'renamed' },
};

const STATE_TEXT: Record<ReviewFileView['state'], string> = {
  pending: '',
  accepted: 'accepted',
  rejected: 'rejected',
  partial: 'partly accepted',
  failed: 'not applied',
};

export class ReviewCards {
  private readonly views = new Map<string, ReviewView>();

  constructor(
    private readonly list: HTMLElement,
    private readonly post: (message: WebviewMessage) => void,
  ) {}

  show(view: ReviewView): void {
    this.views.set(view.id, view);
    const isNew = !document.getElementById(`review-${view.id}`);
    const card = this.cardFor(view);
    if (!card) return;
    card.dataset.status = view.status;
    card.replaceChildren(header(view), files(view), ...footer(view));
    if (isNew && view.status === 'pending') card.scrollIntoView({ block: 'nearest' });
  }

  /** The message list was redrawn (a session snapshot): put the known cards back. */
  reattach(): void {
    for (const view of this.views.values()) this.show(view);
  }

  private cardFor(view: ReviewView): HTMLElement | undefined {
    const id = `review-${view.id}`;
    const existing = document.getElementById(id);
    if (existing) return existing;
    const message = view.messageId ? document.getElementById(`msg-${view.messageId}`) : null;
    // A card of another session's message is kept for later but not drawn.
    if (view.messageId && !message) return undefined;
    const card = document.createElement('section');
    card.id = id;
    card.className = 'review-card';
    card.setAttribute('aria-label', 'Proposed changes');
    card.addEventListener('click', (event) => this.onClick(view.id, event));
    const footerNode = message?.querySelector(':scope > .footer');
    if (footerNode) footerNode.before(card);
    else (message ?? this.list).append(card);
    return card;
  }

  private onClick(reviewId: string, event: MouseEvent): void {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]');
    if (!button || button.disabled) return;
    const action = button.dataset.action as ReviewAction;
    const path = button.closest<HTMLElement>('.review-file')?.dataset.path;
    this.post(
      path === undefined
        ? { type: 'reviewAction', reviewId, action }
        : { type: 'reviewAction', reviewId, action, path },
    );
  }
}

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function button(action: ReviewAction, label: string, secondary = false, title?: string): HTMLButtonElement {
  const node = element('button', secondary ? 'secondary' : '', label);
  node.dataset.action = action;
  if (title) node.title = title;
  return node;
}

function header(view: ReviewView): HTMLElement {
  const node = element('header', 'review-header');
  const count = view.files.length;
  node.append(
    element('span', 'review-title', `Proposed changes · ${count} file${count === 1 ? '' : 's'}`),
    element('span', 'review-status', STATUS_TEXT[view.status]),
  );
  return node;
}

function files(view: ReviewView): HTMLElement {
  const list = element('ul', 'review-files');
  const open = view.status === 'pending';
  for (const file of view.files) {
    const item = element('li', 'review-file');
    item.dataset.path = file.path;
    item.dataset.state = file.state;
    const kind = element('span', 'review-kind', KIND_MARK[file.kind].mark);
    kind.title = KIND_MARK[file.kind].title;
    const path = element('span', 'review-path', file.from ? `${file.from} → ${file.path}` : file.path);
    path.title = path.textContent ?? '';
    const counts = element('span', 'review-counts');
    counts.append(
      element('span', 'review-added', `+${file.added}`),
      element('span', 'review-removed', `−${file.removed}`),
    );
    const row = element('div', 'review-file-row');
    row.append(kind, path, counts);
    const note = file.note ?? STATE_TEXT[file.state];
    if (note) row.append(element('span', 'review-file-note', note));
    if (file.state !== 'failed' && (open || view.status === 'reviewing')) {
      const actions = element('span', 'review-file-actions');
      actions.append(button('diff', 'Diff', true, 'Show the proposal next to the file'));
      if (open)
        actions.append(
          button('acceptFile', 'Accept', false, `Accept every change to ${file.path}`),
          button('rejectFile', 'Reject', true, `Reject every change to ${file.path}`),
        );
      row.append(actions);
    }
    item.append(row);
    if (file.approval)
      item.append(element('div', 'review-approval', `⚠ Needs your explicit approval: ${file.approval}.`));
    list.append(item);
  }
  return list;
}

function footer(view: ReviewView): HTMLElement[] {
  const nodes: HTMLElement[] = [];
  if (view.note) nodes.push(element('p', 'review-note', view.note));
  const actions = element('div', 'review-actions');
  if (view.status === 'pending') {
    const guarded = view.files.filter((file) => file.approval && file.state === 'pending').length;
    actions.append(
      button(
        'acceptAll',
        'Accept all',
        false,
        guarded ? `Protected files (${guarded}) need their own Accept` : 'Apply every proposed change',
      ),
      button('rejectAll', 'Reject all', true, 'Apply none of the changes'),
      button('review', 'Review…', true, "Pick single changes in VS Code's Refactor Preview"),
    );
  }
  if (view.canUndo)
    actions.append(button('undo', 'Undo this turn', true, "Put the files back as they were before this turn's edits"));
  if (actions.childElementCount > 0) nodes.push(actions);
  return nodes;
}
