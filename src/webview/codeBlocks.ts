/**
 * Code blocks in answers: a bar with the language and the actions (Copy, Insert at cursor, Apply
 * to file, Open in a new editor, Run for shell blocks), and long blocks collapsed behind
 * "Show all". The bar is part of the rendered HTML (answers re-render while they stream), so
 * its buttons are handled by one delegated listener; the host does every action.
 */
import type { ChatMessageView, CodeAction, WebviewMessage } from '../core/protocol';
import { isShellBlock, languageOf } from '../core/protocol';

/** Blocks longer than this many lines are collapsed once the answer is complete. */
export const COLLAPSE_LINES = 24;

/** Icon buttons: `label` is the accessible name (and starts the tooltip), `icon` a codicon. */
const ACTIONS: readonly { action: CodeAction; label: string; icon: string; title: string }[] = [
  { action: 'copy', label: 'Copy', icon: 'copy', title: 'Copy the code' },
  { action: 'insert', label: 'Insert', icon: 'insert', title: 'Insert at the cursor of the active editor' },
  {
    action: 'apply',
    label: 'Apply',
    icon: 'git-compare',
    title: 'Apply to its file: you review the change before it is written',
  },
  { action: 'open', label: 'Open', icon: 'go-to-file', title: 'Open in a new editor' },
];
const RUN = {
  action: 'run' as const,
  label: 'Run',
  icon: 'play',
  title: 'Run in the terminal (your command rules decide; it may ask)',
};

type Escape = (text: string) => string;

/** The HTML of one fenced block: its bar, the highlighted code, and the Show all button. */
export function fenceHtml(code: string, info: string, highlighted: string, escape: Escape): string {
  const language = languageOf(info);
  const lines = code.replace(/\n$/, '').split('\n').length;
  const buttons = [...ACTIONS, ...(isShellBlock(info) ? [RUN] : [])]
    .map(
      (each) =>
        `<button type="button" class="code-action icon" data-code-action="${each.action}" ` +
        `title="${each.label}: ${each.title}" aria-label="${each.label}">` +
        `<span class="codicon codicon-${each.icon}" aria-hidden="true"></span></button>`,
    )
    .join('');
  const label = escape(language || 'text');
  return [
    `<div class="code-frame" data-info="${escape(info.trim())}" data-lines="${lines}">`,
    `<div class="code-bar"><span class="code-lang">${label}</span>`,
    `<span class="code-actions" role="toolbar" aria-label="${label} code block">${buttons}</span></div>`,
    `<pre class="code-block" data-lang="${escape(language)}"><code class="hljs">${highlighted}</code></pre>`,
    `<button type="button" class="code-expand secondary" aria-expanded="false">Show all ${lines} lines</button>`,
    '</div>',
  ].join('');
}

/** The answer's text before `frame` (a path there may name the block's file), at most 4,000 characters. */
function textBefore(frame: Element): string {
  const parts: string[] = [];
  let length = 0;
  for (let node = frame.previousElementSibling; node && length < 4000; node = node.previousElementSibling) {
    const text = node.textContent ?? '';
    parts.unshift(text);
    length += text.length + 2;
  }
  return parts.join('\n\n').slice(-4000);
}

export class CodeBlocks {
  /** Blocks the user expanded, by message id and position, so a re-render keeps them open. */
  private readonly expanded = new Set<string>();

  constructor(
    list: HTMLElement,
    private readonly post: (message: WebviewMessage) => void,
  ) {
    list.addEventListener('click', (event) => this.onClick(event));
  }

  /** Collapses the long blocks of a finished message (not while it streams: the user is reading its end). */
  decorate(node: HTMLElement, message: ChatMessageView): void {
    node.querySelectorAll<HTMLElement>('.code-frame').forEach((frame, index) => {
      const long = Number(frame.dataset.lines) > COLLAPSE_LINES;
      frame.dataset.key = `${message.id}:${index}`;
      const open = !long || message.status === 'streaming' || this.expanded.has(frame.dataset.key);
      frame.classList.toggle('collapsed', !open);
      frame.classList.toggle('expanded', long && this.expanded.has(frame.dataset.key));
      const button = frame.querySelector('.code-expand');
      button?.setAttribute('aria-expanded', String(open));
      if (button && frame.classList.contains('expanded')) button.textContent = 'Show less';
    });
  }

  private onClick(event: Event): void {
    const target = event.target as Element | null;
    const expand = target?.closest?.('.code-expand');
    if (expand) return this.toggle(expand.closest<HTMLElement>('.code-frame'));
    const button = target?.closest?.<HTMLElement>('[data-code-action]');
    const frame = button?.closest<HTMLElement>('.code-frame');
    const article = frame?.closest('article');
    if (!button || !frame || !article) return;
    const code = frame.querySelector('pre code')?.textContent ?? '';
    this.post({
      type: 'codeAction',
      action: button.dataset.codeAction as CodeAction,
      messageId: article.id.replace(/^msg-/, ''),
      code,
      language: (frame.dataset.info ?? '').slice(0, 100),
      before: textBefore(frame),
    });
    if (button.dataset.codeAction === 'copy') flash(button, 'Copied');
  }

  private toggle(frame: HTMLElement | null): void {
    if (!frame?.dataset.key) return;
    const open = frame.classList.contains('collapsed');
    if (open) this.expanded.add(frame.dataset.key);
    else this.expanded.delete(frame.dataset.key);
    frame.classList.toggle('collapsed', !open);
    frame.classList.toggle('expanded', open);
    const button = frame.querySelector('.code-expand');
    button?.setAttribute('aria-expanded', String(open));
    if (button) button.textContent = open ? 'Show less' : `Show all ${frame.dataset.lines} lines`;
  }
}

/** An icon button says what it did for a moment: a check mark, and the new name a screen reader hears. */
export function flash(button: HTMLElement, text: string): void {
  const glyph = button.querySelector('.codicon');
  const label = button.getAttribute('aria-label') ?? '';
  const icon = Array.from(glyph?.classList ?? []).find((name) => name.startsWith('codicon-')) ?? '';
  button.setAttribute('aria-label', text);
  glyph?.classList.replace(icon, 'codicon-check');
  setTimeout(() => {
    button.setAttribute('aria-label', label);
    glyph?.classList.replace('codicon-check', icon);
  }, 1500);
}
