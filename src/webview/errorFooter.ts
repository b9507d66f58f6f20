/**
 * The line under an answer that failed or stopped: what happened in words, the exact text
 * behind "Details", and the action that can help (Set API Key after a 401, not Retry).
 */
import { plainError } from './plainError';
import type { ChatMessageView, WebviewMessage } from '../core/protocol';
import { button, el } from './dom';

export function errorFooter(
  message: ChatMessageView,
  last: boolean,
  post: (message: WebviewMessage) => void,
): HTMLElement {
  const footer = el('div', 'footer');
  if (message.status === 'stopped') {
    footer.append(el('span', 'note', message.error ?? 'Stopped.'));
    return footer;
  }
  const shown = plainError(message.error);
  const text = el('div', 'error-text', shown.summary);
  text.setAttribute('role', 'alert');
  footer.append(text);
  if (shown.details) {
    const more = el('details', 'error-details');
    more.append(el('summary', undefined, 'Details'), el('pre', undefined, shown.details));
    footer.append(more);
  }
  if (!last) return footer;
  const actions = el('div', 'footer-actions');
  if (shown.action === 'setApiKey') actions.append(button('Set API Key', () => post({ type: 'setApiKey' })));
  if (shown.action === 'chooseProvider')
    actions.append(button('Choose Provider…', () => post({ type: 'chooseProvider' })));
  if (shown.action !== 'setApiKey' && shown.action !== 'none')
    actions.append(button('Retry', () => post({ type: 'retry' }), { className: 'retry secondary' }));
  if (actions.childElementCount) footer.append(actions);
  return footer;
}
