/**
 * The words the model layer speaks: what goes to an OpenAI-compatible server
 * (`ChatMessage`, `ToolSchema`) and what comes back (`StreamEvent`, `ModelTurn`).
 */

/** A tool call as it is sent back to the server inside an assistant message. */
export interface ToolCallRequest {
  readonly id: string;
  readonly type: 'function';
  readonly function: { readonly name: string; readonly arguments: string };
}

/**
 * One part of a user message with an image in it (OpenAI `image_url` parts; Qwen-VL and
 * other vision models behind the same endpoint take them). `url` is a `data:` URL.
 */
export type ContentPart =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'image_url'; readonly image_url: { readonly url: string } };

/** The OpenAI chat message union, as every compatible server accepts it. */
export type ChatMessage =
  | { readonly role: 'system'; readonly content: string }
  | { readonly role: 'user'; readonly content: string | readonly ContentPart[] }
  | { readonly role: 'assistant'; readonly content: string | null; readonly tool_calls?: readonly ToolCallRequest[] }
  | { readonly role: 'tool'; readonly tool_call_id: string; readonly content: string };

/** A JSON schema, as loose as JSON schemas are. */
export type JsonSchema = { readonly [key: string]: unknown };

export interface ToolSchema {
  readonly name: string;
  readonly description: string;
  /** The JSON schema of the arguments object. */
  readonly parameters: JsonSchema;
}

export type ToolChoice =
  'auto' | 'none' | 'required' | { readonly type: 'function'; readonly function: { readonly name: string } };

export interface Usage {
  readonly promptTokens: number;
  readonly completionTokens: number;
}

/** A finished tool call, arguments parsed. */
export interface ToolCall {
  readonly id: string;
  readonly name: string;
  /** The parsed arguments; `{}` when they could not be parsed (see `parseError`). */
  readonly arguments: Record<string, unknown>;
  /** The arguments exactly as the model wrote them (JSON text). */
  readonly rawArguments: string;
  /** Why the arguments are unusable, worded so it can be sent back to the model. */
  readonly parseError?: string;
}

/**
 * Why the model stopped. `dropped`: the stream ended before the server said it had
 * finished (only on a partial turn attached to an error).
 */
export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'dropped';

/** One assistant reply, assembled from the stream. */
export interface ModelTurn {
  /** What the user sees: tool-call and thinking markup removed. */
  readonly text: string;
  readonly reasoning: string;
  readonly toolCalls: readonly ToolCall[];
  readonly usage?: Usage;
  readonly finishReason: FinishReason;
  /** True when the reply broke off (connection lost, stopped, timed out). */
  readonly incomplete?: boolean;
}

export type StreamEvent =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  | { type: 'usage'; usage: Usage }
  | { type: 'retry'; attempt: number; delayMs: number; reason: string }
  | { type: 'finish'; reason: FinishReason }
  | { type: 'turn'; turn: ModelTurn };

/** Waits `ms`; rejects (or resolves early) when `signal` aborts. Injectable so tests run fast. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export interface StreamOptions {
  readonly tools?: readonly ToolSchema[];
  readonly toolChoice?: ToolChoice;
  readonly maxTokens?: number;
  readonly sleep?: Sleep;
}
