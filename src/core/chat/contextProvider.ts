/**
 * What the chat engine asks of the context engine before every model request: given
 * the user's message, its @-mentions and the conversation, the messages to send and a
 * ledger of what is in them. The engine stays editor-free; the host implements this
 * (see `WorkspaceContext`), tests fake it.
 */
import type { ChatMessage, ToolSchema } from '../model/types';
import type { ContextAction, LedgerView, MentionQueryKind } from '../protocol';
import type { Mention } from '../context';
import type { ParsedMention } from './mentions';
import type { InstructionItem } from '../instructions/assemble';

export interface ContextInput {
  /** The user message this request answers. */
  readonly text: string;
  readonly mentions: readonly ParsedMention[];
  /** Items a feature pins besides the user's mentions (Explain This File). */
  readonly extra?: ExtraContext;
  readonly system: string;
  /** The instruction files in `system`, for the ledger. */
  readonly instructions?: readonly InstructionItem[];
  readonly tools?: readonly ToolSchema[];
  /**
   * The conversation without the system prompt, ending with the user
   * message (and, later in the tool loop, the calls and results since).
   */
  readonly history: readonly ChatMessage[];
  /** 1 for the first request of a user message (retrieval runs); later tool-loop requests reuse what it chose. */
  readonly step: number;
  readonly model: string;
  readonly baseUrl: string;
  /** Has the model summarise older turns when the history outgrows its share. */
  readonly summarise: (messages: readonly ChatMessage[], signal?: AbortSignal) => Promise<string>;
  readonly signal: AbortSignal;
}

/** What a feature (not the user's text) adds to a message's context. */
export interface ExtraContext {
  /** Pinned first, before the user's mentions, with their own ledger reasons. */
  readonly mentions: readonly Mention[];
  /** The file whose neighbours are ranked, instead of the active editor's (absolute or display path). */
  readonly activeFile?: string;
  /** What the chat shows for the message instead of its full text (Explain's "Explain src/a.ts"). */
  readonly display?: string;
}

export interface PreparedRequest {
  /** What to send, system prompt first. */
  readonly messages: ChatMessage[];
  readonly ledger?: LedgerView;
  /** Lines for the user in the chat: mentions that could not be attached, compaction. */
  readonly notes: readonly string[];
}

/** The server refused the last prepared request as longer than its window. */
export interface ShrinkRequest {
  /** The messages that were refused. */
  readonly sent: readonly ChatMessage[];
  /** What the server counted, when its error said (`ModelError.limits`). */
  readonly limits?: { readonly promptTokens?: number; readonly contextWindow?: number };
  readonly signal: AbortSignal;
}

export interface ShrunkRequest {
  readonly messages: ChatMessage[];
  readonly ledger?: LedgerView;
  /** For the chat: what was left out to make it fit. */
  readonly note: string;
}

export interface ContextProvider {
  prepare(input: ContextInput): Promise<PreparedRequest>;
  /** The last prepared request again, smaller; undefined when nothing more can be left out. */
  shrink(request: ShrinkRequest): Promise<ShrunkRequest | undefined>;
  /** Pin / drop a ledger item for the next requests; the updated ledger when there is one. */
  act(action: ContextAction, key: string): LedgerView | undefined;
  /** Allowed workspace paths for `@file:` / `@folder:` completion. */
  complete(kind: MentionQueryKind, prefix: string): Promise<string[]>;
}

/** Without a context engine: the system prompt and the whole conversation. */
export function plainMessages(system: string, history: readonly ChatMessage[]): ChatMessage[] {
  return [{ role: 'system', content: system }, ...history];
}
