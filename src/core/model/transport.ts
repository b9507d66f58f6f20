/**
 * The HTTP side of a chat completion, on the `openai` package: one SDK client per
 * `ModelClient`, the request body, and what the SDK throws turned into `ModelError`s
 * a person understands. Retries are ours (`maxRetries: 0`): the chat shows each one,
 * and none happens after the first token.
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import { describeHost } from './endpoint';
import { type ErrorContext, ModelError, httpError, streamError, toModelError } from './errors';
import type { ChatMessage, StreamOptions } from './types';

export interface TransportOptions extends ErrorContext {
  readonly apiKey: string;
  readonly fetch?: typeof fetch;
  readonly headers?: Readonly<Record<string, string>>;
  /** The SDK's own limit on the whole request; ours (the idle timer) is the one that should fire. */
  readonly timeoutMs: number;
}

/**
 * The bodies of error responses, by the `Headers` object the SDK hands to its `APIError`.
 * The SDK keeps only the `error` field of a JSON body; vLLM's `{message}`, FastAPI's
 * `{detail}` and the context-size numbers need the whole text for `httpError`.
 */
const errorBodies = new WeakMap<Headers, string>();

export function createSdk(options: TransportOptions): OpenAI {
  return new OpenAI({
    baseURL: options.baseUrl,
    // The SDK insists on a key; a local server needs none, and the header is removed below.
    apiKey: options.apiKey || 'none',
    // Not from the environment: only what the user configured goes to their server.
    organization: null,
    project: null,
    fetch: keepingErrorBodies(options.fetch ?? globalThis.fetch, options),
    maxRetries: 0,
    timeout: options.timeoutMs,
    logLevel: 'off',
    // A local server needs no key: send no Authorization header at all then.
    defaultHeaders: { ...options.headers, ...(options.apiKey ? {} : { Authorization: null }) },
  });
}

/**
 * A 200 that is not an API's answer: a web page (a proxy's login, a wrong `baseUrl`) or nothing the
 * SDK would know how to read, named as what it is instead of as a broken stream.
 */
export function notAnApi(response: Response, context: ErrorContext, expected: string): void {
  const type = (response.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (!type || type.includes('json') || type === 'text/event-stream' || type === 'text/plain') return;
  throw new ModelError(
    'malformed',
    `${describeHost(context.baseUrl)} answered with ` +
      `${type === 'text/html' ? 'a web page' : type} instead of ${expected}. ` +
      `Check qcoder.baseUrl (now ${context.baseUrl}): it should be the server's ` +
      `OpenAI-compatible API, usually ending in /v1.`,
  );
}

function keepingErrorBodies(fetchImpl: typeof fetch, context: ErrorContext): typeof fetch {
  return async (input, init) => {
    const response = await fetchImpl(input, init);
    if (response.ok && response.body) return withLineLimit(response, context);
    if (response.ok || response.status === 304) return response;
    const body = await response.text().catch(() => '');
    const copy = new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
    errorBodies.set(copy.headers, body);
    return copy;
  };
}

export function requestBody(
  model: string,
  messages: readonly ChatMessage[],
  options: StreamOptions,
): ChatCompletionCreateParamsStreaming {
  const body: ChatCompletionCreateParamsStreaming = {
    model,
    messages: messages as ChatCompletionCreateParamsStreaming['messages'],
    stream: true,
    stream_options: { include_usage: true },
  };
  const tools = options.tools ?? [];
  if (tools.length) {
    body.tools = tools.map((tool) => ({
      type: 'function',
      function: { name: tool.name, description: tool.description, parameters: tool.parameters },
    }));
    if (options.toolChoice) body.tool_choice = options.toolChoice;
  }
  if (options.maxTokens) body.max_tokens = options.maxTokens;
  return body;
}

/**
 * What the SDK (or the body read under it) threw, as a `ModelError`. `started`: text has been
 * shown, so an error the server sent inside the stream means the answer broke off.
 */
export function fromSdkError(error: unknown, context: ErrorContext, started: boolean): ModelError {
  if (error instanceof ModelError) return error;
  if (error instanceof APIUserAbortError) return new ModelError('aborted', 'Stopped.');
  if (error instanceof APIConnectionTimeoutError)
    return new ModelError('timeout', `${describeHost(context.baseUrl)} did not answer in time. Retry in a moment.`);
  if (error instanceof APIConnectionError) return toModelError(error.cause ?? error, context);
  if (error instanceof APIError) {
    if (error.status !== undefined) return httpError(error.status, bodyOf(error), error.headers, context);
    // `data: {"error": …}` inside a stream that had already said 200.
    const { message, code } = failureOf(error.error, error.message);
    return inStreamError(message, code, context, started);
  }
  if (error instanceof SyntaxError) {
    const host = describeHost(context.baseUrl);
    if (started)
      return new ModelError('dropped', `${host} sent a piece of the answer that is not JSON, so it stopped.`);
    return new ModelError(
      'malformed',
      `${host} did not answer with a chat-completions stream. Check qcoder.baseUrl (now ${context.baseUrl}).`,
    );
  }
  return toModelError(error, context);
}

/** An error the server reported after the stream began. */
export function inStreamError(
  message: string,
  code: string | number | undefined,
  context: ErrorContext,
  started: boolean,
): ModelError {
  if (!started) return streamError(message, code, context);
  return new ModelError(
    'dropped',
    `${describeHost(context.baseUrl)} broke off the answer with an error: "${message.slice(0, 500)}"`,
  );
}

function bodyOf(error: APIError): string {
  const kept = error.headers ? errorBodies.get(error.headers) : undefined;
  if (kept !== undefined) return kept;
  return error.error === undefined ? '' : JSON.stringify({ error: error.error });
}

function failureOf(value: unknown, fallback: string): { message: string; code?: string | number } {
  if (typeof value === 'string' && value) return { message: value };
  if (typeof value !== 'object' || value === null) return { message: fallback };
  const record = value as { message?: unknown; code?: unknown };
  const message = typeof record.message === 'string' ? record.message : JSON.stringify(value);
  const code = typeof record.code === 'string' || typeof record.code === 'number' ? record.code : undefined;
  return { message, code };
}

/** Longest line read from a server: far above a whole answer sent at once; a line without end would fill memory. */
export const MAX_LINE_BYTES = 1024 * 1024;

/** The response with a body that fails, in words, once a line runs past `MAX_LINE_BYTES`. */
function withLineLimit(response: Response, context: ErrorContext): Response {
  let run = 0;
  const limit = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      const newline = chunk.lastIndexOf(10);
      run = newline < 0 ? run + chunk.length : chunk.length - newline - 1;
      if (run > MAX_LINE_BYTES) {
        const host = describeHost(context.baseUrl);
        controller.error(
          new ModelError(
            'malformed',
            `${host} sent more than ${MAX_LINE_BYTES / 1024 / 1024} MB without a line break, ` +
              `so QCoder stopped reading. ` +
              `Check qcoder.baseUrl (now ${context.baseUrl}) and the server, then retry.`,
          ),
        );
        return;
      }
      controller.enqueue(chunk);
    },
  });
  return new Response(response.body!.pipeThrough(limit), {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}
