/** The chat UI. Talks to the host only through the protocol; keeps no secrets. */
import type {
  ChatMessageView,
  ConnectionView,
  HostMessage,
  SessionAction,
  SessionSummary,
  WebviewMessage,
} from '../core/protocol';
import { parseHostMessage } from '../core/protocol';
import { errorFooter } from './errorFooter';
import { HistoryList } from './history';
import { LazyMarkdown, pageFor } from './lazyRender';
import { ReasoningSections } from './reasoning';
import { SetupBox } from './setupBox';
import { StreamingRender } from './streamRender';
import { renderTools } from './toolCards';
import { welcome } from './welcome';
import { WorkStatus } from './workStatus';
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
const setupBox = new SetupBox(setup, (message) => post(message));
const history = new HistoryList($<HTMLElement>('history'), $<HTMLButtonElement>('history-toggle'), (message) =>
  post(message),
);
const reasoning = new ReasoningSections();
const status = new WorkStatus($<HTMLElement>('work-status'), $<HTMLElement>('announcer'));
const lazy = new LazyMarkdown(list);
/** Streaming answers render only their unfinished tail (see streamRender.ts). */
const streaming = new Map<string, StreamingRender>();
// The session this page last showed: kept in its state from the start, so a state written before the host's first
// message does not forget it (an editor tab is restored on it after a reload).
let sessionId = (vscode.getState() as { sessionId?: string } | undefined)?.sessionId ?? '';
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
    pageFor(list).append(node);
  }
  return node;
}

function renderContent(message: ChatMessageView, node: HTMLElement, content: HTMLElement, deferred: boolean): void {
  if (message.role === 'user') content.textContent = message.content;
  else if (message.status === 'streaming') {
    let stream = streaming.get(message.id);
    if (!stream) streaming.set(message.id, (stream = new StreamingRender(content)));
    stream.update(message.content);
    node.classList.toggle('waiting', !message.content);
  } else if (deferred)
    lazy.defer(node, content, message.content, () => {
      content.innerHTML = renderMarkdown(message.content);
      codeBlocks.decorate(node, message);
    });
  else if (!streaming.has(message.id) || message.content.length < 50_000) {
    streaming.delete(message.id);
    content.innerHTML = renderMarkdown(message.content);
  }
}

/** Whether `id` is the last answer of its turn: no answer follows it (a tool loop's steps are followed by one). */
function endsTurn(id: string): boolean {
  let found = false;
  for (const [key, message] of messages) {
    if (found) return message.role !== 'assistant';
    found = key === id;
  }
  return true;
}

function render(message: ChatMessageView, deferred = false, turnEnd = endsTurn(message.id)): void {
  const node = element(message);
  node.dataset.status = message.status;
  const content = node.querySelector('.content') as HTMLElement;
  if (!deferred) lazy.forget(node);
  renderContent(message, node, content, deferred);
  if (message.status !== 'streaming') node.classList.remove('waiting');
  reasoning.draw(node, message.id);
  renderTools(node, message.toolCalls ?? [], post);
  node.querySelector('.footer')?.remove();
  if (message.status !== 'streaming') node.querySelector('.notice')?.remove();
  if (!deferred) codeBlocks.decorate(node, message);
  messageActions.decorate(node, message, turnEnd);
  if (message.role === 'assistant' && !message.note && (message.status === 'error' || message.status === 'stopped'))
    node.append(errorFooter(message, isLast(message.id), post));
}

/** The welcome shows in an empty chat once a model is set up. */
function showWelcome(): void {
  const empty = messages.size === 0 && ready;
  const shown = list.querySelector('.welcome');
  if (empty && !shown)
    list.append(
      welcome((text) => {
        prompt.value = text;
        prompt.focus();
      }),
    );
  if (!empty) shown?.remove();
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

/** A new answer after an answer: the earlier one was a step of a tool loop and loses Copy and Regenerate. */
function stepBefore(added: ChatMessageView): void {
  const previous = [...messages.values()].at(-1);
  const node = previous && document.getElementById(`msg-${previous.id}`);
  if (added.role === 'assistant' && previous?.role === 'assistant' && node)
    messageActions.decorate(node, previous, false);
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
        // A delta changes only the text: its tail is drawn again, the rest of the message stays as it is.
        if (message && !streaming.get(pending)?.append(message)) render(message);
      }
      pendingRender.clear();
      if (stick) list.scrollTop = list.scrollHeight;
    });
  }
  pendingRender.add(id);
}

/**
 * Opens the chat at its end; again after the next frame, when the browser has sized the messages
 * near the view that `content-visibility` had counted at their estimate.
 */
function toEnd(): void {
  list.scrollTop = list.scrollHeight;
  requestAnimationFrame(() => requestAnimationFrame(() => (list.scrollTop = list.scrollHeight)));
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
  updateStatus();
  messageActions.setBusy(value);
}

function updateStatus(): void {
  const last = [...messages.values()].at(-1);
  status.update(busy, last, last !== undefined && reasoning.has(last.id));
}

function showConnection(connection: ConnectionView): void {
  ready = connection.ready;
  const label = $<HTMLElement>('connection');
  label.textContent = `${connection.model} · ${hostOf(connection.baseUrl)}`;
  label.title = `${connection.baseUrl} (key: ${connection.keySource})`;
  setupBox.show(connection);
  input.setModel(connection.model, connection.images === true);
  setBusy(busy);
  showWelcome();
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
  undoDelete: 'Undo delete',
  exportMarkdown: 'Export as Markdown…',
  exportJson: 'Export as JSON…',
  openInEditor: 'Open in editor',
};
const sessionActions = document.createElement('select');
sessionActions.id = 'session-actions';
sessionActions.title = 'Rename, delete or export this chat';
sessionActions.setAttribute('aria-label', 'Chat actions');
sessionActions.append(
  new Option('⋯', '', true, true),
  ...Object.entries(SESSION_ACTION_LABELS)
    .filter(([action]) => action !== 'undoDelete')
    .map(([action, label]) => new Option(label, action)),
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
      streaming.clear();
      lazy.clear();
      list.replaceChildren();
      // The last messages are drawn now; older ones when they scroll near (lazyRender.ts).
      message.messages.forEach((item, index) => {
        messages.set(item.id, item);
        render(item, index < message.messages.length - 8, message.messages[index + 1]?.role !== 'assistant');
      });
      sessionId = message.sessionId;
      showSessions(message.sessions, message.sessionId);
      history.show(message.sessions, message.sessionId);
      showWelcome();
      input.showSession(message.messages);
      setBusy(message.busy);
      toEnd();
      reviews.reattach();
      document.body.dataset.ready = 'true';
      break;
    case 'connection':
      showConnection(message.connection);
      break;
    case 'messageAdded':
      stepBefore(message.message);
      messages.set(message.message.id, message.message);
      showWelcome();
      render(message.message);
      list.scrollTop = list.scrollHeight;
      updateStatus();
      break;
    case 'reasoning':
      reasoning.add(message.messageId, message.text);
      updateStatus();
      break;
    case 'localServers':
      setupBox.servers(message.servers);
      break;
    case 'sessionMatches':
      history.matched(message.requestId, message.ids);
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
      renderTools(element(updated), calls, post);
      updateStatus();
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
      status.announce(done, shown);
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
  saveState();
}

/** The draft, and the session an editor tab shows (it is reopened on that session after a reload). */
function saveState(): void {
  vscode.setState({ draft: prompt.value, sessionId });
}

function submit(): void {
  const text = prompt.value;
  if (!text.trim() || busy) return;
  if (!ready) {
    setupBox.reveal();
    return;
  }
  post({ type: 'send', text, ...input.sent(text) });
  mentions.close();
  slash.close();
  prompt.value = '';
  saveState();
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
prompt.addEventListener('input', saveState);
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && busy && !event.defaultPrevented) post({ type: 'stop' });
});
send.addEventListener('click', submit);
stop.addEventListener('click', () => post({ type: 'stop' }));
document.getElementById('new-chat')?.addEventListener('click', () => post({ type: 'newChat' }));
document
  .getElementById('open-in-editor')
  ?.addEventListener('click', () => post({ type: 'sessionAction', sessionId, action: 'openInEditor' }));
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
