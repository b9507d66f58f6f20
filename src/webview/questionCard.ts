/**
 * The card that waits for the user under a tool call: the command approval (the line, the folder,
 * the checker's reasons; Run / Allow for this session / Reject with an optional note) and the
 * model's ask_user question (choices as buttons, a free answer). The host decides; the card posts
 * the button pressed and the text typed.
 */
import type { PromptView, WebviewMessage } from '../core/protocol';

/** What was typed in a card's box, kept across redraws of the tool list. */
const drafts = new Map<string, string>();

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string) {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function questionCard(callId: string, prompt: PromptView, post: (message: WebviewMessage) => void): HTMLElement {
  const card = element('div', `question-card ${prompt.kind}`);
  card.setAttribute('role', 'group');
  card.setAttribute('aria-label', prompt.title);
  card.append(element('div', 'question-title', prompt.title));
  card.append(element(prompt.kind === 'approval' ? 'pre' : 'p', 'question-text', prompt.text));
  if (prompt.details.length > 0) {
    const details = element('ul', 'question-details');
    details.append(...prompt.details.map((line) => element('li', '', line)));
    card.append(details);
  }
  const box = prompt.placeholder === undefined ? undefined : element('textarea', 'question-input');
  const answer = (choice: string) => {
    const text = box?.value.trim();
    drafts.delete(callId);
    card.querySelectorAll('button').forEach((button) => (button.disabled = true));
    post({ type: 'promptAnswer', callId, choice, ...(text ? { text } : {}) });
  };
  if (box) {
    box.rows = prompt.kind === 'question' ? 2 : 1;
    box.placeholder = prompt.placeholder ?? '';
    box.setAttribute('aria-label', prompt.placeholder ?? 'Answer');
    box.value = drafts.get(callId) ?? '';
    box.addEventListener('input', () => drafts.set(callId, box.value));
    box.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter' || event.shiftKey || event.isComposing || !prompt.textChoice) return;
      event.preventDefault();
      answer(prompt.textChoice);
    });
    card.append(box);
  }
  const actions = element('div', 'question-actions');
  for (const choice of prompt.choices) {
    const button = element('button', choice.primary ? 'question-choice' : 'question-choice secondary', choice.label);
    button.dataset.choice = choice.id;
    button.addEventListener('click', () => answer(choice.id));
    actions.append(button);
  }
  card.append(actions);
  return card;
}
