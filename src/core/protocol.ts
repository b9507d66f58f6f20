/**
 * The messages between the chat webview and the extension host: one discriminated
 * union per direction. Both bundles import this file; the receiver validates every
 * message at run time (`parseWebviewMessage`, `parseHostMessage`), because a webview
 * is a separate, less trusted context.
 */

import { readCommandView, readPromptAnswer, readPromptView } from './agent/commands/runViews';
import {
  type InputHostMessage,
  type MessageActionMessage,
  parseInputHostMessage,
  parseMessageAction,
  readImages,
  readMessageExtras,
} from './chat/messageProtocol';

export type { BranchView, CodeAction, MessageExtrasView } from './chat/messageProtocol';
export { isImageUrl, isShellBlock, languageOf, MAX_IMAGE_LENGTH, MAX_IMAGES } from './chat/messageProtocol';
export type { CommandView, PromptAnswer, PromptView } from './agent/commands/runViews';

export * from './protocolViews';
import {
  MESSAGE_STATUSES,
  MessageStatus,
  TOOL_STATUSES,
  ToolCallView,
  MESSAGE_ROLES,
  ChatMessageView,
  SessionSummary,
  KEY_SOURCES,
  ConnectionView,
  REVIEW_STATUSES,
  REVIEW_FILE_STATES,
  REVIEW_FILE_KINDS,
  ReviewFileView,
  ReviewView,
  LEDGER_KINDS,
  LedgerItemView,
  LedgerView,
  CONTEXT_ACTIONS,
  ContextAction,
  MENTION_QUERY_KINDS,
  MentionQueryKind,
  REVIEW_FILE_ACTIONS,
  REVIEW_ACTIONS,
  ReviewAction,
  SESSION_ACTIONS,
  SessionAction,
  SlashCommandView,
  TRUST_ACTIONS,
  TrustAction,
  AGENT_MODES,
  AgentMode,
  TODO_STATUSES,
  TodoItemView,
} from './protocolViews';

/** Host → webview. */
export type HostMessage =
  | { type: 'session'; sessionId: string; messages: ChatMessageView[]; sessions: SessionSummary[]; busy: boolean }
  | { type: 'connection'; connection: ConnectionView }
  | { type: 'messageAdded'; message: ChatMessageView }
  | { type: 'delta'; messageId: string; text: string }
  | { type: 'toolCall'; messageId: string; call: ToolCallView }
  /** A passing note on a message, e.g. "Rate limited; retrying in 2 s (1 of 3)". */
  | { type: 'notice'; messageId: string; text: string }
  | { type: 'messageDone'; messageId: string; status: MessageStatus; error?: string; content?: string }
  | { type: 'busy'; busy: boolean }
  /** Puts text back into the input (e.g. a message that could not be sent). */
  | { type: 'restoreInput'; text: string }
  /** Adds or replaces the review card `review.id`. */
  | { type: 'review'; review: ReviewView }
  /** The context of the last model request (the meter and the ledger panel). */
  | { type: 'ledger'; ledger: LedgerView }
  /** Answers `mentionQuery` with the same `requestId`: allowed workspace paths only. */
  | { type: 'mentionResults'; requestId: number; items: string[] }
  /** Answers `slashQuery`: every command the user may type. */
  | { type: 'slashResults'; requestId: number; items: SlashCommandView[] }
  /** Workspace Trust: untrusted → the banner says what is limited; `withheld` names the files not loaded. */
  | { type: 'trust'; trusted: boolean; withheld: string[] }
  /** The agent mode now in force (the selector shows it). */
  | { type: 'mode'; mode: AgentMode }
  /** The active session's checklist (empty: no card). */
  | { type: 'todos'; sessionId: string; items: TodoItemView[] }
  /** Reasoning text as it streams (shown folded under "Thinking…", never sent back to the model). */
  | { type: 'reasoning'; messageId: string; text: string }
  /** Model servers answering on this machine's loopback ports (the setup box offers them). */
  | { type: 'localServers'; servers: LocalServerView[] }
  /** Answers `searchSessions`: the ids of the sessions whose title or messages contain the query. */
  | { type: 'sessionMatches'; requestId: number; ids: string[] }
  | InputHostMessage;

/** A model server found on 127.0.0.1 with the models it serves. */
export interface LocalServerView {
  readonly preset: string;
  readonly label: string;
  readonly baseUrl: string;
  readonly models: readonly string[];
}

/** Webview → host. */
export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'send'; text: string; images?: string[] }
  | { type: 'stop' }
  | { type: 'newChat' }
  | { type: 'switchSession'; sessionId: string }
  /** Rename, delete or export a session; the host asks for the new title or the target file itself. */
  | { type: 'sessionAction'; sessionId: string; action: SessionAction }
  | { type: 'setApiKey' }
  | { type: 'openSettings' }
  | { type: 'retry' }
  /** The view has drawn a finished message; `text` is what the user sees (at most 4,000 characters). */
  | { type: 'rendered'; messageId: string; status: MessageStatus; text: string }
  /** A button on a review card; `path` names the file for the per-file actions. */
  | { type: 'reviewAction'; reviewId: string; action: ReviewAction; path?: string }
  /** Pin, unpin, drop or restore a ledger item for the next requests. */
  | { type: 'contextAction'; action: ContextAction; key: string }
  /** Completion for `@file:` / `@folder:` as the user types. */
  | { type: 'mentionQuery'; requestId: number; kind: MentionQueryKind; prefix: string }
  /** A link in an answer was clicked; the host decides whether and how it opens (`href` as written). */
  | { type: 'openLink'; href: string }
  /** A button (or the text box) of a question card on tool call `callId`: the approval, ask_user. */
  | { type: 'promptAnswer'; callId: string; choice: string; text?: string }
  /** The user typed `/` at the start of the input: which commands are there. */
  | { type: 'slashQuery'; requestId: number }
  | { type: 'trustAction'; action: TrustAction }
  /** The mode selector. */
  | { type: 'setMode'; mode: AgentMode }
  /** The Act button under a plan: switch to Ask mode and carry the plan out. */
  | { type: 'act' }
  /** Choose Provider…: without a preset the host asks; with one (a local server's Use button) it is used as is. */
  | { type: 'chooseProvider'; preset?: string; baseUrl?: string; model?: string }
  /** The history list's search box (titles and message text are searched by the host). */
  | { type: 'searchSessions'; requestId: number; query: string }
  /** The setup box is showing: which model servers answer on this machine? */
  | { type: 'findLocalServers' }
  | MessageActionMessage;

// ── Validation ──────────────────────────────────────────────────────────────
// Both directions are read the same way: every field is checked against its type (and
// its value list), and a fresh object is built from the known fields only, so nothing
// the sender added rides along into the receiver.

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';
const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;
const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isOptionalString = (value: unknown): value is string | undefined => value === undefined || isString(value);
const isOptionalBoolean = (value: unknown): value is boolean | undefined => value === undefined || isBoolean(value);
const isOneOf = <T extends string>(list: readonly T[], value: unknown): value is T =>
  isString(value) && (list as readonly string[]).includes(value);
const isBounded = (value: unknown, max: number): value is string => isString(value) && value.length <= max;

/** `base` plus those of `optional` that are set: an absent optional field stays absent. */
function withOptional<T extends object>(base: T, optional: Record<string, unknown>): T {
  const result = { ...base } as Record<string, unknown>;
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) result[key] = value;
  return result as T;
}

/** Every item read by `read`, or undefined when the value is not an array or one item is malformed. */
function readList<T>(value: unknown, read: (item: unknown) => T | undefined): T[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const items: T[] = [];
  for (const item of value) {
    const parsed = read(item);
    if (parsed === undefined) return undefined;
    items.push(parsed);
  }
  return items;
}

const readString = (value: unknown): string | undefined => (isString(value) ? value : undefined);

function parseReviewAction(value: Record<string, unknown>): WebviewMessage | undefined {
  const { reviewId, action, path } = value;
  if (!isString(reviewId) || !isOneOf(REVIEW_ACTIONS, action)) return undefined;
  if (isOneOf(REVIEW_FILE_ACTIONS, action)) {
    return isBounded(path, 4096) ? { type: 'reviewAction', reviewId, action, path } : undefined;
  }
  return { type: 'reviewAction', reviewId, action };
}

/** Returns the message if it is a well-formed `WebviewMessage`, else undefined. */
export function parseWebviewMessage(value: unknown): WebviewMessage | undefined {
  if (!isObject(value) || !isString(value.type)) return undefined;
  switch (value.type) {
    case 'ready':
    case 'stop':
    case 'newChat':
    case 'setApiKey':
    case 'openSettings':
    case 'retry':
    case 'act':
    case 'findLocalServers':
      return { type: value.type };
    case 'setMode':
      return isOneOf(AGENT_MODES, value.mode) ? { type: 'setMode', mode: value.mode } : undefined;
    case 'send': {
      const images = readImages(value.images);
      if (!isBounded(value.text, 1_000_000) || images === false) return undefined;
      return withOptional<WebviewMessage>({ type: 'send', text: value.text }, { images });
    }
    case 'switchSession':
      return isString(value.sessionId) ? { type: 'switchSession', sessionId: value.sessionId } : undefined;
    case 'sessionAction':
      return isBounded(value.sessionId, 200) && isOneOf(SESSION_ACTIONS, value.action)
        ? { type: 'sessionAction', sessionId: value.sessionId, action: value.action }
        : undefined;
    case 'rendered':
      return isString(value.messageId) && isString(value.text) && isOneOf(MESSAGE_STATUSES, value.status)
        ? { type: 'rendered', messageId: value.messageId, status: value.status, text: value.text.slice(0, 4000) }
        : undefined;
    case 'reviewAction':
      return parseReviewAction(value);
    case 'contextAction':
      return isOneOf(CONTEXT_ACTIONS, value.action) && isBounded(value.key, 4096) && value.key.length > 0
        ? { type: 'contextAction', action: value.action, key: value.key }
        : undefined;
    case 'mentionQuery':
      return isCount(value.requestId) && isOneOf(MENTION_QUERY_KINDS, value.kind) && isBounded(value.prefix, 1024)
        ? { type: 'mentionQuery', requestId: value.requestId, kind: value.kind, prefix: value.prefix }
        : undefined;
    case 'openLink':
      return isBounded(value.href, 4096) && value.href.length > 0 ? { type: 'openLink', href: value.href } : undefined;
    case 'promptAnswer': {
      const read = readPromptAnswer(value);
      return (
        read &&
        withOptional<WebviewMessage>(
          { type: 'promptAnswer', callId: read.callId, choice: read.answer.choice },
          { text: read.answer.text },
        )
      );
    }
    case 'slashQuery':
      return isCount(value.requestId) ? { type: 'slashQuery', requestId: value.requestId } : undefined;
    case 'trustAction':
      return isOneOf(TRUST_ACTIONS, value.action) ? { type: 'trustAction', action: value.action } : undefined;
    case 'chooseProvider':
      return parseChooseProvider(value);
    case 'searchSessions':
      return isCount(value.requestId) && isBounded(value.query, 500)
        ? { type: 'searchSessions', requestId: value.requestId, query: value.query }
        : undefined;
    default:
      return parseMessageAction(value);
  }
}

function readToolCall(value: unknown): ToolCallView | undefined {
  if (!isObject(value)) return undefined;
  const { id, name, title, status, summary, answer, detail, result } = value;
  if (!isString(id) || !isString(name) || !isString(title) || !isOneOf(TOOL_STATUSES, status)) return undefined;
  if (!isOptionalString(summary) || !isOptionalString(answer)) return undefined;
  if (!isOptionalString(detail) || !isOptionalString(value.arguments) || !isOptionalString(result)) return undefined;
  const command = value.command === undefined ? undefined : readCommandView(value.command);
  const prompt = value.prompt === undefined ? undefined : readPromptView(value.prompt);
  if ((value.command !== undefined && !command) || (value.prompt !== undefined && !prompt)) return undefined;
  return withOptional<ToolCallView>(
    { id, name, title, status },
    { summary, command, prompt, answer, detail, arguments: value.arguments, result },
  );
}

function readMessage(value: unknown): ChatMessageView | undefined {
  if (!isObject(value)) return undefined;
  const { id, role, content, status, error, toolCalls } = value;
  if (!isString(id) || !isOneOf(MESSAGE_ROLES, role) || !isString(content) || !isOneOf(MESSAGE_STATUSES, status))
    return undefined;
  if (!isOptionalString(error)) return undefined;
  const calls = toolCalls === undefined ? undefined : readList(toolCalls, readToolCall);
  if (toolCalls !== undefined && !calls) return undefined;
  return withOptional<ChatMessageView>(
    { id, role, content, status, ...readMessageExtras(value) },
    { error, toolCalls: calls },
  );
}

function readSessionSummary(value: unknown): SessionSummary | undefined {
  if (!isObject(value)) return undefined;
  const { id, title, updatedAt } = value;
  return isString(id) && isString(title) && isFiniteNumber(updatedAt) ? { id, title, updatedAt } : undefined;
}

function readConnection(value: unknown): ConnectionView | undefined {
  if (!isObject(value)) return undefined;
  const { model, baseUrl, ready, keySource, problem, images } = value;
  if (!isString(model) || !isString(baseUrl) || !isBoolean(ready) || !isOneOf(KEY_SOURCES, keySource)) return undefined;
  return isOptionalString(problem) && isOptionalBoolean(images)
    ? withOptional<ConnectionView>({ model, baseUrl, ready, keySource }, { problem, images })
    : undefined;
}

function readReviewFile(value: unknown): ReviewFileView | undefined {
  if (!isObject(value)) return undefined;
  const { path, from, kind, added, removed, units, decided, state, approval, note } = value;
  if (!isString(path) || !isOneOf(REVIEW_FILE_KINDS, kind) || !isOneOf(REVIEW_FILE_STATES, state)) return undefined;
  if (!isCount(added) || !isCount(removed) || !isCount(units) || !isCount(decided)) return undefined;
  if (!isOptionalString(from) || !isOptionalString(approval) || !isOptionalString(note)) return undefined;
  return withOptional<ReviewFileView>({ path, kind, added, removed, units, decided, state }, { from, approval, note });
}

function readReview(value: unknown): ReviewView | undefined {
  if (!isObject(value)) return undefined;
  const { id, messageId, status, note, canUndo } = value;
  if (!isString(id) || !isString(messageId) || !isOneOf(REVIEW_STATUSES, status) || !isBoolean(canUndo))
    return undefined;
  const files = readList(value.files, readReviewFile);
  if (!files || !isOptionalString(note)) return undefined;
  return withOptional<ReviewView>({ id, messageId, status, files, canUndo }, { note });
}

function readLedgerItem(value: unknown): LedgerItemView | undefined {
  if (!isObject(value)) return undefined;
  const { key, kind, title, tokens, included, actionable, form, ranges, note, userPinned, userDropped } = value;
  if (!isString(key) || !isOneOf(LEDGER_KINDS, kind) || !isString(title) || !isCount(tokens)) return undefined;
  if (!isBoolean(included) || !isBoolean(actionable)) return undefined;
  const reasons = readList(value.reasons, readString);
  if (!reasons || !isOptionalString(form) || !isOptionalString(ranges) || !isOptionalString(note)) return undefined;
  if (!isOptionalBoolean(userPinned) || !isOptionalBoolean(userDropped)) return undefined;
  return withOptional<LedgerItemView>(
    { key, kind, title, tokens, reasons, included, actionable },
    { form, ranges, note, userPinned, userDropped },
  );
}

function readLedger(value: unknown): LedgerView | undefined {
  if (!isObject(value)) return undefined;
  const { model, window, windowSource, used, counter, exact, compaction, ms, cost, fillNext } = value;
  if (!isString(model) || !isCount(window) || !isString(windowSource) || !isCount(used)) return undefined;
  if (!isString(counter) || !isBoolean(exact) || !isFiniteNumber(ms) || !isOptionalString(compaction)) return undefined;
  if (!isOptionalString(cost) || !isOptionalBoolean(fillNext)) return undefined;
  const items = readList(value.items, readLedgerItem);
  if (!items) return undefined;
  return withOptional<LedgerView>(
    { model, window, windowSource, used, counter, exact, items, ms },
    { compaction, cost, fillNext },
  );
}

function readSlashCommand(value: unknown): SlashCommandView | undefined {
  if (!isObject(value)) return undefined;
  const { name, description, argumentHint } = value;
  if (!isString(name) || !isString(description) || !isOptionalString(argumentHint)) return undefined;
  return withOptional<SlashCommandView>({ name, description }, { argumentHint });
}

function parseSlashResults(value: Record<string, unknown>): HostMessage | undefined {
  const items = readList(value.items, readSlashCommand);
  return isCount(value.requestId) && items ? { type: 'slashResults', requestId: value.requestId, items } : undefined;
}

function readTodo(value: unknown): TodoItemView | undefined {
  if (!isObject(value)) return undefined;
  const { text, status } = value;
  return isString(text) && isOneOf(TODO_STATUSES, status) ? { text, status } : undefined;
}

function readLocalServer(value: unknown): LocalServerView | undefined {
  if (!isObject(value)) return undefined;
  const { preset, label, baseUrl } = value;
  const models = readList(value.models, readString);
  return isString(preset) && isString(label) && isString(baseUrl) && models
    ? { preset, label, baseUrl, models }
    : undefined;
}

function parseChooseProvider(value: Record<string, unknown>): WebviewMessage | undefined {
  const { preset, baseUrl, model } = value;
  const fits = (field: unknown) => field === undefined || isBounded(field, 2048);
  if (!fits(preset) || !fits(baseUrl) || !fits(model)) return undefined;
  return withOptional<WebviewMessage>({ type: 'chooseProvider' }, { preset, baseUrl, model });
}

function parseSession(value: Record<string, unknown>): HostMessage | undefined {
  const messages = readList(value.messages, readMessage);
  const sessions = readList(value.sessions, readSessionSummary);
  return isString(value.sessionId) && messages && sessions && isBoolean(value.busy)
    ? { type: 'session', sessionId: value.sessionId, messages, sessions, busy: value.busy }
    : undefined;
}

function parseMessageDone(value: Record<string, unknown>): HostMessage | undefined {
  const { messageId, status, error, content } = value;
  if (!isString(messageId) || !isOneOf(MESSAGE_STATUSES, status)) return undefined;
  return isOptionalString(error) && isOptionalString(content)
    ? withOptional<HostMessage>({ type: 'messageDone', messageId, status }, { error, content })
    : undefined;
}

/** Returns the message if it is a well-formed `HostMessage` (a fresh copy of its known fields), else undefined. */
export function parseHostMessage(value: unknown): HostMessage | undefined {
  if (!isObject(value) || !isString(value.type)) return undefined;
  switch (value.type) {
    case 'session':
      return parseSession(value);
    case 'connection': {
      const connection = readConnection(value.connection);
      return connection && { type: 'connection', connection };
    }
    case 'messageAdded': {
      const message = readMessage(value.message);
      return message && { type: 'messageAdded', message };
    }
    case 'delta':
    case 'reasoning':
    case 'notice':
      return isString(value.messageId) && isString(value.text)
        ? { type: value.type, messageId: value.messageId, text: value.text }
        : undefined;
    case 'toolCall': {
      const call = readToolCall(value.call);
      return call && isString(value.messageId) ? { type: 'toolCall', messageId: value.messageId, call } : undefined;
    }
    case 'messageDone':
      return parseMessageDone(value);
    case 'busy':
      return isBoolean(value.busy) ? { type: 'busy', busy: value.busy } : undefined;
    case 'restoreInput':
      return isString(value.text) ? { type: 'restoreInput', text: value.text } : undefined;
    case 'review': {
      const review = readReview(value.review);
      return review && { type: 'review', review };
    }
    case 'ledger': {
      const ledger = readLedger(value.ledger);
      return ledger && { type: 'ledger', ledger };
    }
    case 'mode':
      return isOneOf(AGENT_MODES, value.mode) ? { type: 'mode', mode: value.mode } : undefined;
    case 'todos': {
      const items = readList(value.items, readTodo);
      return isString(value.sessionId) && items ? { type: 'todos', sessionId: value.sessionId, items } : undefined;
    }
    case 'mentionResults': {
      const items = readList(value.items, readString);
      return isCount(value.requestId) && items
        ? { type: 'mentionResults', requestId: value.requestId, items }
        : undefined;
    }
    case 'slashResults':
      return parseSlashResults(value);
    case 'localServers': {
      const servers = readList(value.servers, readLocalServer);
      return servers && { type: 'localServers', servers };
    }
    case 'sessionMatches': {
      const ids = readList(value.ids, readString);
      return isCount(value.requestId) && ids ? { type: 'sessionMatches', requestId: value.requestId, ids } : undefined;
    }
    case 'trust': {
      const withheld = readList(value.withheld, readString);
      return isBoolean(value.trusted) && withheld ? { type: 'trust', trusted: value.trusted, withheld } : undefined;
    }
    default:
      return parseInputHostMessage(value);
  }
}
