/**
 * Everything that can go wrong talking to a model, as one error type with a kind
 * the UI can act on and a message a person understands.
 */
import OpenAI from 'openai';
import { describeHost } from './endpoint';

export type ModelErrorKind =
  | 'auth' | 'forbidden' | 'not-found' | 'rate-limit' | 'server' | 'bad-request' | 'context-length'
  | 'connection' | 'timeout' | 'dropped' | 'aborted' | 'malformed' | 'config';

export class ModelError extends Error {
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
    return this.kind === 'rate-limit' || this.kind === 'server' || this.kind === 'connection' || this.kind === 'timeout';
  }
}

interface Context {
  readonly baseUrl: string;
  readonly model: string;
}

/** Maps whatever the SDK or fetch threw into a `ModelError`. */
export function toModelError(error: unknown, context: Context): ModelError {
  if (error instanceof ModelError) return error;
  const host = describeHost(context.baseUrl);
  if (error instanceof OpenAI.APIUserAbortError) return new ModelError('aborted', 'Stopped.');
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    return new ModelError('timeout', `${host} did not answer in time. Check that the server is up, or raise qcoder.requestTimeoutSeconds.`);
  }
  if (error instanceof OpenAI.APIConnectionError) {
    return new ModelError('connection', `Could not connect to ${host}${causeText(error)}. Check qcoder.baseUrl (now ${context.baseUrl}) and that the server is running.`);
  }
  if (error instanceof OpenAI.APIError && typeof error.status === 'number') {
    return fromStatus(error.status, serverMessage(error), retryAfter(error.headers), context);
  }
  if (error instanceof Error && (error.name === 'AbortError')) return new ModelError('aborted', 'Stopped.');
  const text = error instanceof Error ? error.message : String(error);
  if (/terminated|socket|ECONNRESET|premature close|other side closed/i.test(text)) {
    return new ModelError('dropped', `The connection to ${host} broke off mid-answer (${text}).`);
  }
  return new ModelError('malformed', `Unexpected reply from ${host}: ${text}`);
}

function fromStatus(status: number, detail: string, retryAfterMs: number | undefined, context: Context): ModelError {
  const host = describeHost(context.baseUrl);
  const suffix = detail ? ` The server said: "${detail}"` : '';
  if (status === 401) return new ModelError('auth', `${host} rejected the API key (401). Run "QCoder: Set API Key" with a valid key.${suffix}`, status);
  if (status === 403) return new ModelError('forbidden', `${host} refused access (403): the key may lack access to model "${context.model}".${suffix}`, status);
  if (status === 404) return new ModelError('not-found', `${host} answered 404: model "${context.model}" or the URL ${context.baseUrl} does not exist there. Check qcoder.model and qcoder.baseUrl.${suffix}`, status);
  if (status === 429) return new ModelError('rate-limit', `${host} is rate limiting requests (429). Wait a moment and retry.${suffix}`, status, retryAfterMs);
  if (status === 400 && /context|too long|maximum.*tokens|max_tokens|token limit/i.test(detail)) {
    return new ModelError('context-length', `The conversation is longer than the model's context window.${suffix}`, status);
  }
  if (status >= 500) return new ModelError('server', `${host} had a server error (${status}).${suffix}`, status, retryAfterMs);
  return new ModelError('bad-request', `${host} refused the request (${status}).${suffix}`, status);
}

function serverMessage(error: InstanceType<typeof OpenAI.APIError>): string {
  const body = error.error as { message?: unknown } | undefined;
  if (body && typeof body.message === 'string') return body.message.slice(0, 500);
  return '';
}

function causeText(error: Error): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (cause?.message?.match(/ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET/)?.[0]);
  if (code === 'ECONNREFUSED') return ' (connection refused)';
  if (code === 'ENOTFOUND') return ' (host not found)';
  return code ? ` (${code})` : '';
}

function retryAfter(headers: unknown): number | undefined {
  const get = (name: string): string | null | undefined =>
    headers && typeof (headers as Headers).get === 'function' ? (headers as Headers).get(name) : undefined;
  const value = get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}
