/**
 * The messages between the chat webview and the extension host: one discriminated
 * union per direction. Both bundles import this file; the receiver validates every
 * message at run time (`parseWebviewMessage`, `parseHostMessage`), because a webview
 * is a separate, less trusted context.
 */

export type MessageStatus = 'streaming' | 'complete' | 'stopped' | 'error';

export type ToolStatusView =
  'running' | 'done' | 'error' | 'proposed' | 'accepted' | 'rejected' | 'partial' | 'skipped';

/** A tool call as the chat shows it (a card under the assistant's text). */
export interface ToolCallView {
  readonly id: string;
  readonly name: string;
  readonly title: string;
  readonly status: ToolStatusView;
  readonly summary?: string;
}

export interface ChatMessageView {
  readonly id: string;
  readonly role: 'user' | 'assistant';
  readonly content: string;
  readonly status: MessageStatus;
  /** Shown under an assistant message that failed or stopped. */
  readonly error?: string;
  readonly toolCalls?: readonly ToolCallView[];
}

export interface SessionSummary {
  readonly id: string;
  readonly title: string;
  readonly updatedAt: number;
}

export interface ConnectionView {
  readonly model: string;
  readonly baseUrl: string;
  /** False when no key is configured for a server that needs one. */
  readonly ready: boolean;
  /** Where the key comes from, never the key itself. */
  readonly keySource: 'secret' | 'environment' | 'none' | 'not-needed';
  /** What keeps the connection from working, in words for the user. */
  readonly problem?: string;
}

/** Where a turn's proposed edits stand, as the review card shows it. */
export type ReviewStatusView =
  'pending' | 'reviewing' | 'applying' | 'applied' | 'partial' | 'rejected' | 'stopped' | 'failed' | 'undone';

export type ReviewFileState = 'pending' | 'accepted' | 'rejected' | 'partial' | 'failed';

export interface ReviewFileView {
  /** Workspace-relative path (after a rename: the new one); also the file's key in `reviewAction`. */
  readonly path: string;
  /** The old path of a renamed file. */
  readonly from?: string;
  readonly kind: 'edit' | 'create' | 'delete' | 'rename';
  readonly added: number;
  readonly removed: number;
  /** Units the user decides on: hunks, plus the create/delete/rename itself. */
  readonly units: number;
  readonly decided: number;
  readonly state: ReviewFileState;
  /** Why this file needs explicit approval (a protected path); Accept all leaves it alone. */
  readonly approval?: string;
  /** A short outcome or problem, e.g. "2 of 3 hunks", "changed since proposed". */
  readonly note?: string;
}

/** The review card of one model turn's edits, attached under the message that proposed them. */
export interface ReviewView {
  readonly id: string;
  readonly messageId: string;
  readonly status: ReviewStatusView;
  readonly files: readonly ReviewFileView[];
  readonly note?: string;
  readonly canUndo: boolean;
}

/** One row of the context ledger: something in (or kept out of) the last request's window. */
export interface LedgerItemView {
  /** Stable identity (`file:src/a.ts`, `text:git-diff:…`, `system`, `tools`, `history`, `summary`). */
  readonly key: string;
  readonly kind: 'system' | 'tools' | 'pinned' | 'retrieved' | 'history' | 'summary';
  readonly title: string;
  readonly tokens: number;
  /** Why it is there (or why not). */
  readonly reasons: readonly string[];
  readonly included: boolean;
  /** How a file entered: whole, outline, excerpt; with the line ranges shown, e.g. "1-40, 88-120". */
  readonly form?: string;
  readonly ranges?: string;
  readonly note?: string;
  /** The user pinned it: it stays in every request until unpinned. */
  readonly userPinned?: boolean;
  /** The user dropped it: it stays out until restored. */
  readonly userDropped?: boolean;
  /** Pin / drop apply to files and attached texts, not to the system prompt, tools or history. */
  readonly actionable: boolean;
}

/** What went into the window of the last model request, and why. */
export interface LedgerView {
  readonly model: string;
  readonly window: number;
  /** Where the window size came from, in words. */
  readonly windowSource: string;
  /** Prompt tokens in all (chat-template overhead included). */
  readonly used: number;
  /** The tokenizer that counted, and whether the counts are exact. */
  readonly counter: string;
  readonly exact: boolean;
  readonly items: readonly LedgerItemView[];
  /** Set when the history was compacted for this request. */
  readonly compaction?: string;
  /** Milliseconds building the context took. */
  readonly ms: number;
}

export type ContextAction = 'pin' | 'unpin' | 'drop' | 'restore';

export type MentionQueryKind = 'file' | 'folder';

export type MentionKind = 'file' | 'folder' | 'selection' | 'problems' | 'terminal' | 'git' | 'codebase';

/** What the completion list offers after `@` (the host resolves them when the message is sent). */
export const MENTION_KINDS: readonly { readonly kind: MentionKind; readonly label: string; readonly detail: string }[] =
  [
    { kind: 'file', label: '@file:', detail: 'a file, whole (or #L10-L20)' },
    { kind: 'folder', label: '@folder:', detail: 'the files of a folder, listed' },
    { kind: 'selection', label: '@selection', detail: 'the editor selection' },
    { kind: 'problems', label: '@problems', detail: 'errors and warnings from Problems' },
    { kind: 'terminal', label: '@terminal', detail: 'the last terminal command and its output' },
    { kind: 'git', label: '@git', detail: 'uncommitted changes (git diff)' },
    { kind: 'codebase', label: '@codebase', detail: 'search the workspace for this question' },
  ];

/** What the session drop-down's buttons ask the host to do with a session. */
export const SESSION_ACTIONS = ['rename', 'delete', 'exportMarkdown', 'exportJson'] as const;
export type SessionAction = (typeof SESSION_ACTIONS)[number];

export type ReviewAction = 'acceptAll' | 'rejectAll' | 'review' | 'undo' | 'acceptFile' | 'rejectFile' | 'diff';

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
  | { type: 'mentionResults'; requestId: number; items: string[] };

/** Webview → host. */
export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'send'; text: string }
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
  | { type: 'mentionQuery'; requestId: number; kind: MentionQueryKind; prefix: string };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';

const statuses: readonly string[] = ['streaming', 'complete', 'stopped', 'error'];
const reviewActions: readonly string[] = [
  'acceptAll',
  'rejectAll',
  'review',
  'undo',
  'acceptFile',
  'rejectFile',
  'diff',
];
const fileActions: readonly string[] = ['acceptFile', 'rejectFile', 'diff'];
const reviewStatuses: readonly string[] = [
  'pending',
  'reviewing',
  'applying',
  'applied',
  'partial',
  'rejected',
  'stopped',
  'failed',
  'undone',
];
const fileStates: readonly string[] = ['pending', 'accepted', 'rejected', 'partial', 'failed'];
const fileKinds: readonly string[] = ['edit', 'create', 'delete', 'rename'];
const contextActions: readonly string[] = ['pin', 'unpin', 'drop', 'restore'];
const ledgerKinds: readonly string[] = ['system', 'tools', 'pinned', 'retrieved', 'history', 'summary'];
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;
const isOptionalString = (value: unknown): boolean => value === undefined || isString(value);

function parseReviewAction(value: Record<string, unknown>): WebviewMessage | undefined {
  const { reviewId, action, path } = value;
  if (!isString(reviewId) || !isString(action) || !reviewActions.includes(action)) return undefined;
  if (fileActions.includes(action)) {
    return isString(path) && path.length <= 4096
      ? { type: 'reviewAction', reviewId, action: action as ReviewAction, path }
      : undefined;
  }
  return { type: 'reviewAction', reviewId, action: action as ReviewAction };
}

function isReviewFile(value: unknown): value is ReviewFileView {
  return (
    isObject(value) &&
    isString(value.path) &&
    isOptionalString(value.from) &&
    isString(value.kind) &&
    fileKinds.includes(value.kind) &&
    isCount(value.added) &&
    isCount(value.removed) &&
    isCount(value.units) &&
    isCount(value.decided) &&
    isString(value.state) &&
    fileStates.includes(value.state) &&
    isOptionalString(value.approval) &&
    isOptionalString(value.note)
  );
}

function isReviewView(value: unknown): value is ReviewView {
  return (
    isObject(value) &&
    isString(value.id) &&
    isString(value.messageId) &&
    isString(value.status) &&
    reviewStatuses.includes(value.status) &&
    Array.isArray(value.files) &&
    value.files.every(isReviewFile) &&
    isOptionalString(value.note) &&
    typeof value.canUndo === 'boolean'
  );
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
      return { type: value.type };
    case 'send':
      return isString(value.text) && value.text.length <= 1_000_000 ? { type: 'send', text: value.text } : undefined;
    case 'switchSession':
      return isString(value.sessionId) ? { type: 'switchSession', sessionId: value.sessionId } : undefined;
    case 'sessionAction':
      return isString(value.sessionId) &&
        value.sessionId.length <= 200 &&
        isString(value.action) &&
        (SESSION_ACTIONS as readonly string[]).includes(value.action)
        ? { type: 'sessionAction', sessionId: value.sessionId, action: value.action as SessionAction }
        : undefined;
    case 'rendered':
      return isString(value.messageId) &&
        isString(value.text) &&
        isString(value.status) &&
        statuses.includes(value.status)
        ? {
            type: 'rendered',
            messageId: value.messageId,
            status: value.status as MessageStatus,
            text: value.text.slice(0, 4000),
          }
        : undefined;
    case 'reviewAction':
      return parseReviewAction(value);
    case 'contextAction':
      return isString(value.action) &&
        contextActions.includes(value.action) &&
        isString(value.key) &&
        value.key.length > 0 &&
        value.key.length <= 4096
        ? { type: 'contextAction', action: value.action as ContextAction, key: value.key }
        : undefined;
    case 'mentionQuery':
      return isCount(value.requestId) &&
        (value.kind === 'file' || value.kind === 'folder') &&
        isString(value.prefix) &&
        value.prefix.length <= 1024
        ? { type: 'mentionQuery', requestId: value.requestId, kind: value.kind, prefix: value.prefix }
        : undefined;
    default:
      return undefined;
  }
}

function isMessageView(value: unknown): value is ChatMessageView {
  return (
    isObject(value) &&
    isString(value.id) &&
    (value.role === 'user' || value.role === 'assistant') &&
    isString(value.content) &&
    isString(value.status) &&
    statuses.includes(value.status)
  );
}

function isLedgerItem(value: unknown): value is LedgerItemView {
  return (
    isObject(value) &&
    isString(value.key) &&
    isString(value.kind) &&
    ledgerKinds.includes(value.kind) &&
    isString(value.title) &&
    isCount(value.tokens) &&
    Array.isArray(value.reasons) &&
    value.reasons.every(isString) &&
    typeof value.included === 'boolean' &&
    isOptionalString(value.form) &&
    isOptionalString(value.ranges) &&
    isOptionalString(value.note) &&
    typeof value.actionable === 'boolean'
  );
}

function isLedgerView(value: unknown): value is LedgerView {
  return (
    isObject(value) &&
    isString(value.model) &&
    isCount(value.window) &&
    isString(value.windowSource) &&
    isCount(value.used) &&
    isString(value.counter) &&
    typeof value.exact === 'boolean' &&
    Array.isArray(value.items) &&
    value.items.every(isLedgerItem) &&
    isOptionalString(value.compaction) &&
    typeof value.ms === 'number'
  );
}

/** Returns the message if it is a well-formed `HostMessage`, else undefined. */
export function parseHostMessage(value: unknown): HostMessage | undefined {
  if (!isObject(value) || !isString(value.type)) return undefined;
  const message = value as HostMessage;
  switch (message.type) {
    case 'session':
      return isString(message.sessionId) &&
        Array.isArray(message.messages) &&
        message.messages.every(isMessageView) &&
        Array.isArray(message.sessions)
        ? message
        : undefined;
    case 'connection':
      return isObject(message.connection) && isString(message.connection.model) ? message : undefined;
    case 'messageAdded':
      return isMessageView(message.message) ? message : undefined;
    case 'delta':
    case 'notice':
      return isString(message.messageId) && isString(message.text) ? message : undefined;
    case 'toolCall':
      return isString(message.messageId) &&
        isObject(message.call) &&
        isString(message.call.id) &&
        isString(message.call.title) &&
        isString(message.call.status)
        ? message
        : undefined;
    case 'messageDone':
      return isString(message.messageId) && statuses.includes(message.status) ? message : undefined;
    case 'busy':
      return typeof message.busy === 'boolean' ? message : undefined;
    case 'restoreInput':
      return isString(message.text) ? message : undefined;
    case 'review':
      return isReviewView(message.review) ? message : undefined;
    case 'ledger':
      return isLedgerView(message.ledger) ? message : undefined;
    case 'mentionResults':
      return isCount(message.requestId) && Array.isArray(message.items) && message.items.every(isString)
        ? message
        : undefined;
    default:
      return undefined;
  }
}
