/**
 * The cards of an answer's tool calls: the tool, the argument that tells calls apart (the city
 * of two get_weather calls), the status, and, expanded, the arguments and the result.
 */
import type { ToolCallView, WebviewMessage } from '../core/protocol';
import { toolCallExtras } from './commandCard';
import { el } from './dom';

const STATUS_ICONS: Record<ToolCallView['status'], string> = {
  running: 'loading',
  done: 'check',
  error: 'error',
  proposed: 'edit',
  accepted: 'check',
  rejected: 'circle-slash',
  partial: 'circle-large-filled',
  skipped: 'dash',
};

/** Cards the user opened stay open across redraws while the call streams. */
const opened = new Set<string>();

function details(call: ToolCallView): HTMLElement | undefined {
  if (!call.arguments && !call.result) return undefined;
  const box = el('details', 'tool-details');
  box.open = opened.has(call.id);
  box.addEventListener('toggle', () => (box.open ? opened.add(call.id) : opened.delete(call.id)));
  box.append(el('summary', undefined, 'Arguments and result'));
  if (call.arguments) box.append(el('div', 'tool-label', 'Arguments'), el('pre', 'tool-text', call.arguments));
  if (call.result) box.append(el('div', 'tool-label', 'Result'), el('pre', 'tool-text', call.result));
  return box;
}

function card(call: ToolCallView, post: (message: WebviewMessage) => void): HTMLElement {
  const item = el('li', 'tool');
  item.dataset.status = call.status;
  item.dataset.tool = call.name;
  const icon = el('span', `tool-icon codicon codicon-${STATUS_ICONS[call.status]}`);
  icon.setAttribute('role', 'img');
  icon.setAttribute('aria-label', call.status);
  if (call.status === 'running') icon.classList.add('codicon-modifier-spin');
  item.append(icon, el('span', 'tool-title', call.title));
  if (call.detail && call.detail !== call.title) item.append(el('span', 'tool-detail', call.detail));
  if (call.summary) item.append(el('span', 'tool-summary', call.summary));
  const extras = toolCallExtras(call, post);
  if (extras.length > 0) item.classList.add('has-card');
  item.append(...extras);
  const more = details(call);
  if (more && !call.command) item.append(more);
  return item;
}

export function renderTools(
  node: HTMLElement,
  calls: readonly ToolCallView[],
  post: (message: WebviewMessage) => void,
): void {
  let box = node.querySelector<HTMLElement>('.tools');
  if (calls.length === 0) {
    box?.remove();
    return;
  }
  if (!box) {
    box = el('ul', 'tools');
    box.setAttribute('aria-label', 'Tools used');
    node.querySelector('.content')!.after(box);
  }
  box.replaceChildren(...calls.map((call) => card(call, post)));
}
