/**
 * The context meter ("83K / 262K") beside the input and the ledger panel it opens:
 * every item of the last request's window with its tokens, why it is there and in which
 * form, the request's estimated cost, Pin / Drop buttons that change the next request,
 * and "fill the window" for the next message. The host decides; this only shows the
 * latest `LedgerView` and posts the buttons.
 */
import type { ContextAction, LedgerItemView, LedgerView, WebviewMessage } from '../core/protocol';

const KIND_TEXT: Record<LedgerItemView['kind'], string> = {
  system: 'system',
  instructions: 'instructions',
  tools: 'tools',
  pinned: 'pinned',
  retrieved: 'retrieved',
  history: 'history',
  summary: 'summary',
};
/** Dropped retrieved items beyond these are counted, not listed, until the user asks. */
const DROPPED_SHOWN = 8;

export function formatTokens(tokens: number): string {
  if (tokens >= 1_000_000) return `${(tokens / 1_000_000).toFixed(tokens % 1_000_000 === 0 ? 0 : 1)}M`;
  if (tokens >= 10_000) return `${Math.round(tokens / 1000)}K`;
  if (tokens >= 1000) return `${(tokens / 1000).toFixed(1)}K`;
  return `${tokens}`;
}

export class Ledger {
  private view: LedgerView | undefined;
  private showAll = false;

  constructor(
    private readonly meter: HTMLButtonElement,
    private readonly panel: HTMLElement,
    private readonly post: (message: WebviewMessage) => void,
  ) {
    meter.addEventListener('click', () => this.toggle());
  }

  show(view: LedgerView): void {
    this.view = view;
    const share = view.window ? view.used / view.window : 0;
    this.meter.textContent = `${formatTokens(view.used)} / ${formatTokens(view.window)}`;
    this.meter.dataset.level = share > 0.95 ? 'full' : share > 0.8 ? 'high' : 'ok';
    this.meter.title =
      `${view.used.toLocaleString('en-US')} of ${view.window.toLocaleString('en-US')} tokens in the last request ` +
      `(${view.windowSource}). Click for what is in it.`;
    if (!this.panel.hidden) this.draw();
  }

  toggle(open = this.panel.hidden): void {
    this.panel.hidden = !open;
    this.meter.setAttribute('aria-expanded', String(open));
    if (open) this.draw();
  }

  private draw(): void {
    const view = this.view;
    if (!view) {
      this.panel.replaceChildren(
        text(
          'div',
          'ledger-head',
          'Nothing sent yet: the ledger shows what goes into the window once you send a message.',
        ),
      );
      return;
    }
    const head = text(
      'div',
      'ledger-head',
      `${view.used.toLocaleString('en-US')} of ${view.window.toLocaleString('en-US')} tokens · ` +
        `${view.model} · window: ${view.windowSource} · counted by ` +
        `${view.counter}${view.exact ? '' : ' (estimated)'} · built in ${view.ms} ms`,
    );
    const parts: HTMLElement[] = [head, this.bar(view)];
    if (view.cost) parts.push(text('div', 'ledger-cost', `This request: ${view.cost}`));
    parts.push(this.fill(view));
    if (view.compaction) parts.push(text('div', 'ledger-compaction', view.compaction));
    const included = view.items.filter((item) => item.included);
    const left = view.items.filter((item) => !item.included);
    const listed = this.showAll
      ? left
      : left
          .filter((item) => item.userDropped || item.kind === 'pinned')
          .concat(left.filter((item) => !item.userDropped && item.kind !== 'pinned').slice(0, DROPPED_SHOWN));
    const list = document.createElement('ul');
    list.append(...included.map((item) => this.row(item)), ...listed.map((item) => this.row(item)));
    parts.push(list);
    if (listed.length < left.length) {
      const more = text('button', 'ledger-more secondary', `Show ${left.length - listed.length} more left out`);
      more.addEventListener('click', () => {
        this.showAll = true;
        this.draw();
      });
      parts.push(more);
    }
    this.panel.replaceChildren(...parts);
  }

  /** Retrieval may use the whole window for the next message only, as `@codebase` does for the message it is in. */
  private fill(view: LedgerView): HTMLElement {
    const line = text(
      'div',
      'ledger-fill',
      view.fillNext
        ? 'The next message lets retrieval fill the window. '
        : 'Retrieved files keep to their budget (qcoder.context.retrievedTokens). ',
    );
    const button = text(
      'button',
      'secondary',
      view.fillNext ? 'Keep to the budget' : 'Fill the window for the next message',
    ) as HTMLButtonElement;
    const action: ContextAction = view.fillNext ? 'unfill' : 'fill';
    button.dataset.action = action;
    button.title = view.fillNext
      ? 'Retrieved files keep to their budget again'
      : 'Let retrieved files use the whole window for the next message only (more tokens, ' +
        'more cost), as @codebase does';
    button.addEventListener('click', () => this.post({ type: 'contextAction', action, key: 'window' }));
    line.append(button);
    return line;
  }

  private bar(view: LedgerView): HTMLElement {
    const bar = document.createElement('div');
    bar.className = 'ledger-bar';
    const byKind = new Map<string, number>();
    for (const item of view.items) if (item.included) byKind.set(item.kind, (byKind.get(item.kind) ?? 0) + item.tokens);
    for (const [kind, tokens] of byKind) {
      const span = document.createElement('span');
      span.className = `kind-${kind}`;
      span.style.width = `${Math.max(0.5, (100 * tokens) / Math.max(1, view.window))}%`;
      span.title = `${KIND_TEXT[kind as LedgerItemView['kind']]}: ${tokens.toLocaleString('en-US')} tokens`;
      bar.append(span);
    }
    return bar;
  }

  private row(item: LedgerItemView): HTMLElement {
    const row = document.createElement('li');
    row.dataset.key = item.key;
    row.dataset.included = String(item.included);
    const title = document.createElement('span');
    title.className = 'ledger-title';
    title.append(
      text('span', `ledger-kind kind-${item.kind}`, KIND_TEXT[item.kind]),
      document.createTextNode(item.title),
    );
    const tokens = text('span', 'ledger-tokens', item.included ? item.tokens.toLocaleString('en-US') : '—');
    const actions = document.createElement('span');
    actions.className = 'ledger-actions';
    if (item.actionable) {
      if (item.userDropped) actions.append(this.button('Restore', 'restore', item));
      else {
        actions.append(item.userPinned ? this.button('Unpin', 'unpin', item) : this.button('Pin', 'pin', item));
        if (item.included || item.kind === 'pinned') actions.append(this.button('Drop', 'drop', item));
      }
    }
    const form = formText(item);
    const why = [item.reasons.join('; '), form, item.note].filter(Boolean).join(' · ');
    row.append(title, tokens, actions, text('div', 'ledger-why', why));
    return row;
  }

  private button(label: string, action: ContextAction, item: LedgerItemView): HTMLButtonElement {
    const button = text('button', 'secondary', label) as HTMLButtonElement;
    button.dataset.action = action;
    button.title = `${label} ${item.title} for the next requests`;
    button.addEventListener('click', () => this.post({ type: 'contextAction', action, key: item.key }));
    return button;
  }
}

/** "whole", "outline (lines 1-40, 88-120)", "lines 3-9": in which form a file went in. */
function formText(item: LedgerItemView): string {
  if (!item.included) return '';
  if (item.form && item.form !== 'text') return `${item.form}${item.ranges ? ` (lines ${item.ranges})` : ''}`;
  return item.ranges ? `lines ${item.ranges}` : '';
}

function text(tag: string, className: string, content: string): HTMLElement {
  const node = document.createElement(tag);
  node.className = className;
  node.textContent = content;
  return node;
}
