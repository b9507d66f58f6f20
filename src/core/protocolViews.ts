/**
 * What the chat shows, as the protocol carries it: the view shapes and the closed value
 * lists both directions validate against. `protocol.ts` re-exports all of it (the webview
 * imports only that file).
 */
import type { CommandView, PromptView } from './agent/commands/runViews';
import type { MessageExtrasView } from './chat/messageProtocol';

// Each value list is written once, as a const array; the type is derived from it and the
// validators below check against the same array, so the two cannot drift apart.

export const MESSAGE_STATUSES = ['streaming', 'complete', 'stopped', 'error'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export const TOOL_STATUSES = [
  'running',
  'done',
  'error',
  'proposed',
  'accepted',
  'rejected',
  'partial',
  'skipped',
] as const;
export type ToolStatusView = (typeof TOOL_STATUSES)[number];

/** A tool call as the chat shows it (a card under the assistant's text). */
export interface ToolCallView {
  readonly id: string;
  readonly name: string;
  readonly title: string;
  readonly status: ToolStatusView;
  readonly summary?: string;
  /** run_command's card: the line, live output, the result. */
  readonly command?: CommandView;
  /** A question waiting for the user on this call (a command approval, ask_user). */
  readonly prompt?: PromptView;
  /** What the user answered. */
  readonly answer?: string;
  /** The argument that tells two calls apart (a path, a city), and the card's expanded text. */
  readonly detail?: string;
  readonly arguments?: string;
  readonly result?: string;
}

export const MESSAGE_ROLES = ['user', 'assistant'] as const;
export type MessageRole = (typeof MESSAGE_ROLES)[number];

export interface ChatMessageView extends MessageExtrasView {
  readonly id: string;
  readonly role: MessageRole;
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

export const KEY_SOURCES = ['secret', 'environment', 'none', 'not-needed'] as const;
export type KeySourceView = (typeof KEY_SOURCES)[number];

export interface ConnectionView {
  readonly model: string;
  readonly baseUrl: string;
  /** False when no key is configured for a server that needs one. */
  readonly ready: boolean;
  /** Where the key comes from, never the key itself. */
  readonly keySource: KeySourceView;
  /** What keeps the connection from working, in words for the user. */
  readonly problem?: string;
  /** Whether the model takes pasted images (`qcoder.model.vision`). */
  readonly images?: boolean;
}

/** Where a turn's proposed edits stand, as the review card shows it. */
export const REVIEW_STATUSES = [
  'pending',
  'reviewing',
  'applying',
  'applied',
  'partial',
  'rejected',
  'stopped',
  'failed',
  'undone',
] as const;
export type ReviewStatusView = (typeof REVIEW_STATUSES)[number];

export const REVIEW_FILE_STATES = ['pending', 'accepted', 'rejected', 'partial', 'failed'] as const;
export type ReviewFileState = (typeof REVIEW_FILE_STATES)[number];

export const REVIEW_FILE_KINDS = ['edit', 'create', 'delete', 'rename'] as const;
export type ReviewFileKind = (typeof REVIEW_FILE_KINDS)[number];

export interface ReviewFileView {
  /** Workspace-relative path (after a rename: the new one); also the file's key in `reviewAction`. */
  readonly path: string;
  /** The old path of a renamed file. */
  readonly from?: string;
  readonly kind: ReviewFileKind;
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

export const LEDGER_KINDS = ['system', 'instructions', 'tools', 'pinned', 'retrieved', 'history', 'summary'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

/** One row of the context ledger: something in (or kept out of) the last request's window. */
export interface LedgerItemView {
  /** Stable identity (`file:src/a.ts`, `text:git-diff:…`, `system`, `tools`, `history`, `summary`). */
  readonly key: string;
  readonly kind: LedgerKind;
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
  /** The request's estimated cost and the session's so far, in words. */
  readonly cost?: string;
  /** The user asked that retrieval fill the window for the next message ("fill the window"). */
  readonly fillNext?: boolean;
}

/** Pin, unpin, drop, restore an item; fill / unfill: retrieval fills the window for the next message, or not. */
export const CONTEXT_ACTIONS = ['pin', 'unpin', 'drop', 'restore', 'fill', 'unfill'] as const;
export type ContextAction = (typeof CONTEXT_ACTIONS)[number];

export const MENTION_QUERY_KINDS = ['file', 'folder', 'mcp'] as const;
export type MentionQueryKind = (typeof MENTION_QUERY_KINDS)[number];

export type MentionKind = MentionQueryKind | 'selection' | 'problems' | 'terminal' | 'git' | 'codebase';

/** What the completion list offers after `@` (the host resolves them when the message is sent). */
export const MENTION_KINDS: readonly { readonly kind: MentionKind; readonly label: string; readonly detail: string }[] =
  [
    { kind: 'file', label: '@file:', detail: 'a file, whole (or #L10-L20)' },
    { kind: 'folder', label: '@folder:', detail: 'the files of a folder, listed' },
    { kind: 'mcp', label: '@mcp:', detail: 'a resource of an MCP server' },
    { kind: 'selection', label: '@selection', detail: 'the editor selection' },
    { kind: 'problems', label: '@problems', detail: 'errors and warnings from Problems' },
    { kind: 'terminal', label: '@terminal', detail: 'the last terminal command and its output' },
    { kind: 'git', label: '@git', detail: 'uncommitted changes (git diff)' },
    { kind: 'codebase', label: '@codebase', detail: 'let retrieval fill the window for this message' },
  ];

/** The review card's per-file buttons; they name the file in `path`. */
export const REVIEW_FILE_ACTIONS = ['acceptFile', 'rejectFile', 'diff'] as const;
export const REVIEW_ACTIONS = ['acceptAll', 'rejectAll', 'review', 'undo', ...REVIEW_FILE_ACTIONS] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];

/** What the session drop-down's buttons ask the host to do with a session. */
export const SESSION_ACTIONS = [
  'rename',
  'delete',
  'undoDelete',
  'exportMarkdown',
  'exportJson',
  'openInEditor',
] as const;
export type SessionAction = (typeof SESSION_ACTIONS)[number];

/** A slash command as the completion menu offers it. */
export interface SlashCommandView {
  readonly name: string;
  readonly description: string;
  readonly argumentHint?: string;
}

/** The trust banner's buttons: open VS Code's trust editor, or load this workspace's instruction files once. */
export const TRUST_ACTIONS = ['manage', 'load'] as const;
export type TrustAction = (typeof TRUST_ACTIONS)[number];

/** The agent's approval modes (see `agent/modes.ts` for what each allows). */
export const AGENT_MODES = ['plan', 'ask', 'autoEdit', 'auto'] as const;
export type AgentMode = (typeof AGENT_MODES)[number];

export const MODE_LABELS: Readonly<Record<AgentMode, string>> = {
  plan: 'Plan',
  ask: 'Ask',
  autoEdit: 'Auto-edit',
  auto: 'Auto',
};

export const TODO_STATUSES = ['pending', 'in_progress', 'done'] as const;
export type TodoStatusView = (typeof TODO_STATUSES)[number];

/** One step of the agent's plan (`todo_write`), as the checklist card shows it. */
export interface TodoItemView {
  readonly text: string;
  readonly status: TodoStatusView;
}
