/**
 * The card of a run_command call: the line and its folder, the live output (collapsible, kept
 * scrolled to the end while it runs) and the result: exit code and time, or that it runs in the
 * background under a handle.
 */
import type { CommandView, ToolCallView, WebviewMessage } from '../core/protocol';
import { questionCard } from './questionCard';

/** Cards whose output the user folded away stay folded across redraws. */
const folded = new Set<string>();

const STATE_TEXT: Record<CommandView['state'], string> = {
  waiting: 'waiting for approval',
  running: 'running…',
  background: 'running in the background',
  done: 'finished',
  failed: 'failed',
  stopped: 'stopped',
  refused: 'not run',
};

function span(className: string, text: string): HTMLElement {
  const node = document.createElement('span');
  node.className = className;
  node.textContent = text;
  return node;
}

function result(view: CommandView): string {
  const parts = [STATE_TEXT[view.state]];
  if (view.exitCode !== undefined) parts.push(`exit code ${view.exitCode}`);
  if (view.durationMs !== undefined) parts.push(`${(view.durationMs / 1000).toFixed(1)} s`);
  if (view.handle) parts.push(view.handle);
  if (view.via) parts.push(view.via === 'terminal' ? 'terminal' : 'child process');
  return parts.join(' · ');
}

export function commandCard(callId: string, view: CommandView): HTMLElement {
  const card = document.createElement('div');
  card.className = 'command-card';
  card.dataset.state = view.state;
  const head = document.createElement('div');
  head.className = 'command-head';
  head.append(span('command-line', `$ ${view.command}`), span('command-cwd', `in ${view.cwd}`));
  card.append(head);
  if (view.output) {
    const details = document.createElement('details');
    details.className = 'command-output';
    details.open = !folded.has(callId);
    details.addEventListener('toggle', () => (details.open ? folded.delete(callId) : folded.add(callId)));
    const summary = document.createElement('summary');
    summary.textContent = 'Output';
    const pre = document.createElement('pre');
    pre.textContent = view.output;
    details.append(summary, pre);
    card.append(details);
    requestAnimationFrame(() => (pre.scrollTop = pre.scrollHeight));
  }
  card.append(span('command-result', result(view)));
  return card;
}

/** What goes under a tool call's title besides its summary: a command card, a waiting question, the answer. */
export function toolCallExtras(call: ToolCallView, post: (message: WebviewMessage) => void): HTMLElement[] {
  const extras: HTMLElement[] = [];
  if (call.command) extras.push(commandCard(call.id, call.command));
  if (call.prompt) extras.push(questionCard(call.id, call.prompt, post));
  else if (call.answer && !call.command) extras.push(span('tool-answer', call.answer));
  return extras;
}
