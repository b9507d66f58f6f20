/**
 * Everything that can go wrong talking to a model, as one error type with a kind
 * the UI can act on and a message a person understands.
 */
import { describeHost } from './endpoint';
import type { ModelTurn } from './types';

export type ModelErrorKind =
  | 'auth'
  | 'forbidden'
  | 'not-found'
  | 'rate-limit'
  | 'server'
  | 'bad-request'
  | 'context-length'
  | 'connection'
  | 'timeout'
  | 'dropped'
  | 'aborted'
  | 'malformed'
  | 'config';

export class ModelError extends Error {
  /** What had arrived when a stream broke off (`dropped`, `aborted`, `timeout`). */
  partial?: ModelTurn;
  /** What the server counted when the prompt did not fit (`context-length`), where it said. */
  limits?: { promptTokens?: number; contextWindow?: number };

  constructor(
    readonly kind: ModelErrorKind,
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ModelError';
  }

  /** Worth trying again later without changing anything. */
  get transient(): boolean {
    return (
      this.kind === 'rate-limit' || this.kind === 'server' || this.kind === 'connection' || this.kind === 'timeout'
    );
  }
}

export interface ErrorContext {
  readonly baseUrl: string;
  readonly model: string;
}

/** Maps what `fetch` or a body read threw into a `ModelError`. */
export function toModelError(error: unknown, context: ErrorContext): ModelError {
  if (error instanceof ModelError) return error;
  const host = describeHost(context.baseUrl);
  if (error instanceof Error && error.name === 'AbortError') return new ModelError('aborted', 'Stopped.');
  const text = error instanceof Error ? error.message : String(error);
  const code = causeCode(error);
  if (
    /terminated|premature close|other side closed/i.test(text) ||
    code === 'ECONNRESET' ||
    code === 'UND_ERR_SOCKET'
  ) {
    // The code (UND_ERR_SOCKET…) says nothing to a person; what happened and what to do does.
    return new ModelError(
      'dropped',
      `The connection to ${host} broke off before the answer was complete. Retry; if it keeps ` +
        `happening, check the server's log.`,
    );
  }
  if (error instanceof TypeError || code) {
    return new ModelError(
      'connection',
      `Could not connect to ${host}${causeText(code)}. Check qcoder.baseUrl (now ${context.baseUrl}) ` +
        `and that the server is running.`,
    );
  }
  return new ModelError('malformed', `Unexpected reply from ${host}: ${text}`);
}

/** The error for an HTTP status other than 2xx, from the response's body and headers. */
export function httpError(
  status: number,
  body: string,
  headers: Headers | undefined,
  context: ErrorContext,
): ModelError {
  const { message, code } = serverMessage(body);
  return withLimits(fromStatus(status, message, code, retryAfter(headers), context), body);
}

/** An error the server put inside a stream it had already started (status 200). */
export function streamError(message: string, code: string | number | undefined, context: ErrorContext): ModelError {
  const status = typeof code === 'number' ? code : Number(code);
  if (Number.isInteger(status) && status >= 400 && status < 600)
    return withLimits(fromStatus(status, message, undefined, undefined, context), message);
  const host = describeHost(context.baseUrl);
  if (isContextOverflow(message, code))
    return withLimits(
      new ModelError(
        'context-length',
        `The conversation is longer than the model's context window. The server said: "${message}"${CONTEXT_ADVICE}`,
      ),
      message,
    );
  return new ModelError('server', `${host} reported an error mid-answer: "${message.slice(0, 500)}"`);
}

const CONTEXT_ADVICE = ' Start a new chat, or send less (fewer files, a shorter selection).';

const CONTEXT_PATTERN = new RegExp(
  [
    /context length|context window|context_length|maximum context|exceeds? the (available )?context/,
    /input length|prompt is too long|too many tokens|reduce the length|longer than the model/,
  ]
    .map((part) => part.source)
    .join('|'),
  'i',
);

/** Every server words "the prompt does not fit" differently; these are the ones seen. */
export function isContextOverflow(message: string, code?: unknown): boolean {
  return code === 'context_length_exceeded' || code === 'exceed_context_size_error' || CONTEXT_PATTERN.test(message);
}

/**
 * The numbers in a context-length error, so a retry can aim: llama.cpp's `n_prompt_tokens` and
 * `n_ctx` fields, else the sentence vLLM and OpenAI write ("maximum context length is N tokens.
 * However, you requested M tokens (P in the messages, …)" / "your request has P input tokens" /
 * "your messages resulted in P tokens").
 */
function withLimits(error: ModelError, text: string): ModelError {
  if (error.kind !== 'context-length') return error;
  const number = (pattern: RegExp) => {
    const found = pattern.exec(text)?.[1];
    return found === undefined ? undefined : Number(found.replace(/,/g, ''));
  };
  const contextWindow =
    number(/"n_ctx"\s*:\s*(\d+)/) ??
    number(/maximum context length is (\d[\d,]*) tokens/i) ??
    number(/available context size \((\d+) tokens\)/i);
  const promptTokens =
    number(/"n_prompt_tokens"\s*:\s*(\d+)/) ??
    number(/(\d[\d,]*) in the messages/i) ??
    number(/your request has (\d[\d,]*) input tokens/i) ??
    number(/your messages resulted in (\d[\d,]*) tokens/i) ??
    number(/request \((\d+) tokens\) exceeds/i);
  if (contextWindow !== undefined || promptTokens !== undefined) error.limits = { promptTokens, contextWindow };
  return error;
}

function fromStatus(
  status: number,
  detail: string,
  code: unknown,
  retryAfterMs: number | undefined,
  context: ErrorContext,
): ModelError {
  const host = describeHost(context.baseUrl);
  const suffix = detail ? ` The server said: "${detail}"` : '';
  if (status === 401)
    return new ModelError(
      'auth',
      `${host} rejected the API key (401). Run "QCoder: Set API Key" with a valid key.${suffix}`,
      status,
    );
  if (status === 402)
    return new ModelError(
      'forbidden',
      `${host} refused the request (402): the account is out of credits.${suffix}`,
      status,
    );
  if (status === 403)
    return new ModelError(
      'forbidden',
      `${host} refused access (403): the key may lack access to model "${context.model}".${suffix}`,
      status,
    );
  if (status === 404)
    return new ModelError(
      'not-found',
      `${host} answered 404: model "${context.model}" or the URL ${context.baseUrl} does not exist there. ` +
        `Check qcoder.model and qcoder.baseUrl.${suffix}`,
      status,
    );
  if (status === 408)
    return new ModelError(
      'timeout',
      `${host} gave up waiting for the model (408). Retry in a moment.${suffix}`,
      status,
    );
  if (status === 429)
    return new ModelError(
      'rate-limit',
      `${host} is rate limiting requests (429). Wait a moment and retry.${suffix}`,
      status,
      retryAfterMs,
    );
  if (status === 413 || ((status === 400 || status === 422) && isContextOverflow(detail, code))) {
    return new ModelError(
      'context-length',
      `The conversation is longer than the model's context window.${suffix}${CONTEXT_ADVICE}`,
      status,
    );
  }
  if (status >= 500)
    return new ModelError('server', `${host} had a server error (${status}).${suffix}`, status, retryAfterMs);
  return new ModelError('bad-request', `${host} refused the request (${status}).${suffix}`, status);
}

/**
 * The message in an error body: OpenAI's `{error: {message}}`, Ollama's `{error: "…"}`,
 * vLLM's `{message}` and FastAPI's `{detail}`, or plain text.
 */
function serverMessage(body: string): { message: string; code?: unknown } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { message: body.trim().slice(0, 500) };
  }
  const record = (value: unknown): Record<string, unknown> | undefined =>
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  const root = record(parsed) ?? {};
  const error = record(root.error);
  const candidates = [error?.message, root.error, root.message, root.detail];
  const found = candidates.find((value) => typeof value === 'string' && value) as string | undefined;
  const message = found ?? (root.detail !== undefined ? JSON.stringify(root.detail) : '');
  return { message: message.slice(0, 500), code: error?.code ?? error?.type ?? root.type };
}

function causeCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  const text = typeof cause?.message === 'string' ? cause.message : '';
  return /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|EAI_AGAIN|EHOSTUNREACH/.exec(text)?.[0];
}

function causeText(code: string | undefined): string {
  if (code === 'ECONNREFUSED') return ' (connection refused)';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return ' (host not found)';
  return code ? ` (${code})` : '';
}

export function retryAfter(headers: Headers | undefined): number | undefined {
  const value = headers?.get('retry-after-ms') ?? headers?.get('retry-after');
  if (!value) return undefined;
  if (headers?.get('retry-after-ms')) {
    const ms = Number(value);
    return Number.isFinite(ms) ? Math.max(0, ms) : undefined;
  }
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}
