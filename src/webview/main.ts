/** The chat UI. Talks to the host only through the protocol; keeps no secrets. */
import type {
  ChatMessageView,
  ConnectionView,
  HostMessage,
  SessionAction,
  SessionSummary,
  ToolCallView,
  WebviewMessage,
} from '../core/protocol';
import { parseHostMessage } from '../core/protocol';
import { toolCallExtras } from './commandCard';
import { Ledger } from './ledger';
import { renderMarkdown } from './markdown';
import { MentionMenu } from './mentionMenu';
import { ReviewCards } from './reviewCard';
import { SlashMenu, slashMenuElement } from './slashMenu';
import { TrustBanner, trustBannerElement } from './trustBanner';
import { ModeSelect } from './modeSelect';
import { TodoCard } from './todoCard';
import { CodeBlocks } from './codeBlocks';
import { InputBox } from './inputBox';
import { MessageActions } from './messageActions';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const list = $<HTMLElement>('messages');
const prompt = $<HTMLTextAreaElement>('prompt');
const send = $<HTMLButtonElement>('send');
const stop = $<HTMLButtonElement>('stop');
const sessions = $<HTMLSelectElement>('sessions');
const setup = $<HTMLElement>('setup');

const messages = new Map<string, ChatMessageView>();
let busy = false;
let ready = true;
const pendingRender = new Set<string>();
const reviews = new ReviewCards(list, (message) => post(message));
const ledger = new Ledger($<HTMLButtonElement>('meter'), $<HTMLElement>('ledger'), (message) => post(message));
// Before the composer's keydown below: an open menu takes Enter and Tab.
const mentions = new MentionMenu(prompt, $<HTMLElement>('mention-menu'), (message) => post(message));
const slash = new SlashMenu(prompt, slashMenuElement($<HTMLElement>('mention-menu')), (message) => post(message));
const trust = new TrustBanner(trustBannerElement(setup), (message) => post(message));
const modeSelect = new ModeSelect($<HTMLElement>('actions'), list, (message) => post(message));
const todoCard = new TodoCard($<HTMLElement>('composer'));
const codeBlocks = new CodeBlocks(list, (message) => post(message));
const messageActions = new MessageActions((message) => post(message));
const input = new InputBox(prompt, (message) => post(message));

function post(message: WebviewMessage): void {
  vscode.postMessage(message);
}

function element(message: ChatMessageView): HTMLElement {
  let node = document.getElementById(`msg-${message.id}`);
  if (!node) {
    node = document.createElement('article');
    node.id = `msg-${message.id}`;
    node.className = `message ${message.role}`;
    const content = document.createElement('div');
    content.className = 'content';
    node.append(content);
    list.append(node);
  }
  return node;
}

function render(message: ChatMessageView): void {
  const node = element(message);
  node.dataset.status = message.status;
  const content = node.querySelector('.content') as HTMLElement;
  if (message.role === 'user') content.textContent = message.content;
  else
    content.innerHTML =
      renderMarkdown(message.content) || (message.status === 'streaming' ? '<span class="thinking">…</span>' : '');
  renderTools(node, message.toolCalls ?? []);
  node.querySelector('.footer')?.remove();
  if (message.status !== 'streaming') node.querySelector('.notice')?.remove();
  codeBlocks.decorate(node, message);
  messageActions.decorate(node, message);
  if (message.role === 'assistant' && !message.note && (message.status === 'error' || message.status === 'stopped')) {
    const footer = document.createElement('div');
    footer.className = 'footer';
    const note = document.createElement('span');
    note.className = message.status === 'error' ? 'error-text' : 'note';
    note.textContent = message.error ?? (message.status === 'stopped' ? 'Stopped.' : 'Failed.');
    footer.append(note);
    if (message.status === 'error' && isLast(message.id)) {
      const retry = document.createElement('button');
      retry.className = 'retry secondary';
      retry.textContent = 'Retry';
      retry.addEventListener('click', () => post({ type: 'retry' }));
      footer.append(retry);
    }
    node.append(footer);
  }
}

const toolIcons: Record<ToolCallView['status'], string> = {
  running: '⋯',
  done: '✓',
  error: '✗',
  proposed: '✎',
  accepted: '✓',
  rejected: '⊘',
  partial: '◐',
  skipped: '–',
};

function renderTools(node: HTMLElement, calls: readonly ToolCallView[]): void {
  let box = node.querySelector<HTMLElement>('.tools');
  if (calls.length === 0) {
    box?.remove();
    return;
  }
  if (!box) {
    box = document.createElement('ul');
    box.className = 'tools';
    node.querySelector('.content')!.after(box);
  }
  box.replaceChildren(
    ...calls.map((call) => {
      const item = document.createElement('li');
      item.className = 'tool';
      item.dataset.status = call.status;
      item.dataset.tool = call.name;
      const icon = document.createElement('span');
      icon.className = 'tool-icon';
      icon.textContent = toolIcons[call.status];
      const title = document.createElement('span');
      title.className = 'tool-title';
      title.textContent = call.title;
      item.append(icon, title);
      if (call.summary) {
        const summary = document.createElement('span');
        summary.className = 'tool-summary';
        summary.textContent = call.summary;
        item.append(summary);
      }
      const extras = toolCallExtras(call, post);
      if (extras.length > 0) item.classList.add('has-card');
      item.append(...extras);
      return item;
    }),
  );
}

function showNotice(id: string, text: string): void {
  const node = document.getElementById(`msg-${id}`);
  if (!node) return;
  let notice = node.querySelector<HTMLElement>('.notice');
  if (!notice) {
    notice = document.createElement('div');
    notice.className = 'notice';
    node.append(notice);
  }
  notice.textContent = text;
}

function isLast(id: string): boolean {
  return [...messages.keys()].at(-1) === id;
}

/** Streaming deltas are rendered at most once per frame. */
function scheduleRender(id: string): void {
  if (pendingRender.size === 0) {
    requestAnimationFrame(() => {
      const stick = nearBottom();
      for (const pending of pendingRender) {
        const message = messages.get(pending);
        if (message) render(message);
      }
      pendingRender.clear();
      if (stick) list.scrollTop = list.scrollHeight;
    });
  }
  pendingRender.add(id);
}

function nearBottom(): boolean {
  return list.scrollHeight - list.scrollTop - list.clientHeight < 60;
}

function setBusy(value: boolean): void {
  busy = value;
  stop.hidden = !value;
  stop.disabled = !value;
  send.disabled = value || !ready;
  document.body.classList.toggle('busy', value);
  modeSelect.setBusy(value);
  messageActions.setBusy(value);
}

function showConnection(connection: ConnectionView): void {
  ready = connection.ready;
  const label = $<HTMLElement>('connection');
  label.textContent = `${connection.model} · ${hostOf(connection.baseUrl)}`;
  label.title = `${connection.baseUrl} (key: ${connection.keySource})`;
  setup.hidden = connection.ready;
  $<HTMLElement>('setup-text').textContent = connection.problem ?? '';
  input.setModel(connection.model, connection.images === true);
  setBusy(busy);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** The session drop-down's actions: a second, narrow drop-down beside it (keyboard and screen-reader ready). */
const SESSION_ACTION_LABELS: Record<SessionAction, string> = {
  rename: 'Rename…',
  delete: 'Delete',
  exportMarkdown: 'Export as Markdown…',
  exportJson: 'Export as JSON…',
};
const sessionActions = document.createElement('select');
sessionActions.id = 'session-actions';
sessionActions.title = 'Rename, delete or export this chat';
sessionActions.setAttribute('aria-label', 'Chat actions');
sessionActions.append(
  new Option('⋯', '', true, true),
  ...Object.entries(SESSION_ACTION_LABELS).map(([action, label]) => new Option(label, action)),
);
sessionActions.options[0].disabled = true;
sessions.after(sessionActions);

function onSessionAction(): void {
  const action = sessionActions.value as SessionAction;
  sessionActions.selectedIndex = 0;
  if (action in SESSION_ACTION_LABELS && sessions.value)
    post({ type: 'sessionAction', sessionId: sessions.value, action });
}

function showSessions(items: readonly SessionSummary[], activeId: string): void {
  sessions.replaceChildren(
    ...items.map((item) => {
      const option = document.createElement('option');
      option.value = item.id;
      option.textContent = item.title;
      option.selected = item.id === activeId;
      return option;
    }),
  );
}

function receive(message: HostMessage): void {
  switch (message.type) {
    case 'session':
      messages.clear();
      list.replaceChildren();
      for (const item of message.messages) {
        messages.set(item.id, item);
        render(item);
      }
      showSessions(message.sessions, message.sessionId);
      input.showSession(message.messages);
      setBusy(message.busy);
      list.scrollTop = list.scrollHeight;
      reviews.reattach();
      document.body.dataset.ready = 'true';
      break;
    case 'connection':
      showConnection(message.connection);
      break;
    case 'messageAdded':
      messages.set(message.message.id, message.message);
      render(message.message);
      list.scrollTop = list.scrollHeight;
      break;
    case 'delta': {
      const current = messages.get(message.messageId);
      if (!current) break;
      messages.set(message.messageId, { ...current, content: current.content + message.text });
      scheduleRender(message.messageId);
      break;
    }
    case 'toolCall': {
      const current = messages.get(message.messageId);
      if (!current) break;
      const calls = [...(current.toolCalls ?? [])];
      const index = calls.findIndex((call) => call.id === message.call.id);
      if (index >= 0) calls[index] = message.call;
      else calls.push(message.call);
      const updated = { ...current, toolCalls: calls };
      messages.set(updated.id, updated);
      renderTools(element(updated), calls);
      break;
    }
    case 'notice':
      showNotice(message.messageId, message.text);
      break;
    case 'messageDone': {
      const current = messages.get(message.messageId);
      if (!current) break;
      const done = {
        ...current,
        status: message.status,
        error: message.error,
        content: message.content ?? current.content,
      };
      messages.set(done.id, done);
      pendingRender.delete(done.id);
      render(done);
      const shown = document.getElementById(`msg-${done.id}`)?.querySelector('.content')?.textContent ?? '';
      post({ type: 'rendered', messageId: done.id, status: done.status, text: shown.slice(0, 4000) });
      break;
    }
    case 'busy':
      setBusy(message.busy);
      break;
    case 'review':
      reviews.show(message.review);
      break;
    case 'ledger':
      ledger.show(message.ledger);
      break;
    case 'mentionResults':
      mentions.results(message.requestId, message.items);
      break;
    case 'slashResults':
      slash.results(message.requestId, message.items);
      break;
    case 'trust':
      trust.show(message.trusted, message.withheld);
      break;
    case 'mode':
      modeSelect.show(message.mode);
      break;
    case 'todos':
      todoCard.show(message.items);
      break;
    case 'insertText':
      input.insert(message.text);
      break;
    case 'restoreInput':
      if (!prompt.value.trim()) prompt.value = message.text;
      prompt.focus();
      break;
  }
  vscode.setState({ draft: prompt.value });
}

function submit(): void {
  const text = prompt.value;
  if (!text.trim() || busy) return;
  if (!ready) {
    setup.hidden = false;
    return;
  }
  post({ type: 'send', text, ...input.sent(text) });
  mentions.close();
  slash.close();
  prompt.value = '';
  vscode.setState({ draft: '' });
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = parseHostMessage(event.data);
  if (message) receive(message);
});
prompt.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    submit();
  }
});
prompt.addEventListener('input', () => vscode.setState({ draft: prompt.value }));
send.addEventListener('click', submit);
stop.addEventListener('click', () => post({ type: 'stop' }));
$<HTMLButtonElement>('new-chat').addEventListener('click', () => post({ type: 'newChat' }));
$<HTMLButtonElement>('setup-key').addEventListener('click', () => post({ type: 'setApiKey' }));
$<HTMLButtonElement>('setup-settings').addEventListener('click', () => post({ type: 'openSettings' }));
sessions.addEventListener('change', () => post({ type: 'switchSession', sessionId: sessions.value }));
// Links in answers carry their target in data-href (see markdown.ts): the host decides what opens.
list.addEventListener('click', (event) => {
  const link = (event.target as Element | null)?.closest?.('a[data-href]');
  if (!link) return;
  event.preventDefault();
  const href = link.getAttribute('data-href');
  if (href) post({ type: 'openLink', href });
});
sessionActions.addEventListener('change', onSessionAction);

const saved = vscode.getState() as { draft?: string } | undefined;
if (saved?.draft) prompt.value = saved.draft;
setBusy(false);
post({ type: 'ready' });
