/**
 * Streams chat completions from any OpenAI-compatible server and turns the stream
 * into a few plain events, ending with one `ModelTurn`. It speaks HTTP itself
 * (`fetch` + SSE): the bytes of every dialect are visible to it, and it adds
 * little to the cost of reading them (see bench/stream.bench.ts).
 * Abort is real: the request's socket is closed, so the server stops generating.
 */
import { ModelError, type ErrorContext, httpError, streamError, toModelError } from './errors';
import { describeHost } from './endpoint';
import { realSleep, retryDelay, retryReason } from './retry';
import { SseDecoder } from './sse';
import { TurnBuilder } from './turnBuilder';
import type { ChatMessage, Sleep, StreamEvent, StreamOptions, ToolSchema, Usage } from './types';

export type { ChatMessage, ModelTurn, StreamEvent, StreamOptions, ToolCall, ToolSchema, Usage } from './types';

export interface ModelClientOptions {
  readonly baseUrl: string;
  readonly model: string;
  /** Empty for servers that need none (local ones). */
  readonly apiKey: string;
  /** Longest silence allowed between two pieces of a reply. */
  readonly idleTimeoutMs?: number;
  readonly fetch?: typeof fetch;
  /** Default for `StreamOptions.sleep`. */
  readonly sleep?: Sleep;
  /** Told the usage of every finished reply (a status bar counts tokens with it). */
  readonly onUsage?: (usage: Usage) => void;
  readonly headers?: Readonly<Record<string, string>>;
}

export class ModelClient {
  constructor(private readonly options: ModelClientOptions) {}

  get model(): string {
    return this.options.model;
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  /**
   * Yields the reply as it arrives and a `turn` event at the end. Throws `ModelError`
   * on every failure: `aborted` when `signal` fired, `dropped` when the stream ended
   * before the answer was complete (with what arrived in `error.partial`). Rate
   * limits and server errors are retried, but only while nothing has been shown.
   */
  async *stream(
    messages: readonly ChatMessage[],
    signal: AbortSignal,
    options: StreamOptions = {},
  ): AsyncGenerator<StreamEvent> {
    const sleep = options.sleep ?? this.options.sleep ?? realSleep;
    for (let attempt = 1; ; attempt++) {
      const builder = new TurnBuilder(options.tools);
      try {
        yield* this.attempt(messages, signal, options, builder);
        return;
      } catch (error) {
        const failure = error instanceof ModelError ? error : toModelError(error, this.context);
        const delayMs = builder.started || signal.aborted ? undefined : retryDelay(attempt, failure);
        if (delayMs === undefined) throw failure;
        yield { type: 'retry', attempt, delayMs, reason: retryReason(failure) };
        await sleep(delayMs, signal);
        if (signal.aborted) throw new ModelError('aborted', 'Stopped.');
      }
    }
  }

  private get context(): ErrorContext {
    return { baseUrl: this.options.baseUrl, model: this.options.model };
  }

  private async *attempt(
    messages: readonly ChatMessage[],
    signal: AbortSignal,
    options: StreamOptions,
    builder: TurnBuilder,
  ): AsyncGenerator<StreamEvent> {
    const idle = new IdleTimer(this.options.idleTimeoutMs ?? 120_000, signal);
    try {
      const response = await this.post(messages, options, idle);
      if ((response.headers.get('content-type') ?? '').includes('application/json')) {
        builder.completion(await response.json());
      } else {
        yield* this.read(response, builder, idle);
      }
      builder.end();
      this.check(builder);
      yield* builder.take();
      const turn = builder.turn();
      yield { type: 'finish', reason: turn.finishReason };
      if (turn.usage) {
        this.options.onUsage?.(turn.usage);
        yield { type: 'usage', usage: turn.usage };
      }
      yield { type: 'turn', turn };
    } catch (error) {
      const failure = idle.failure() ?? toModelError(error, this.context);
      if (failure.kind === 'dropped' || failure.kind === 'aborted' || failure.kind === 'timeout') {
        builder.end();
        builder.take();
        if (builder.started || builder.turn().toolCalls.length) failure.partial = builder.turn(true);
      }
      throw failure;
    } finally {
      idle.dispose();
    }
  }

  private async post(messages: readonly ChatMessage[], options: StreamOptions, idle: IdleTimer): Promise<Response> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      ...this.options.headers,
    };
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    let response: Response;
    try {
      response = await (this.options.fetch ?? fetch)(`${this.options.baseUrl}/chat/completions`, {
        method: 'POST',
        headers,
        body: JSON.stringify(requestBody(this.options.model, messages, options)),
        signal: idle.signal,
      });
    } catch (error) {
      throw idle.failure() ?? toModelError(error, this.context);
    }
    idle.touch();
    if (response.ok) return response;
    const body = await response.text().catch(() => '');
    throw httpError(response.status, body, response.headers, this.context);
  }

  private async *read(response: Response, builder: TurnBuilder, idle: IdleTimer): AsyncGenerator<StreamEvent> {
    if (!response.body) throw new ModelError('malformed', `${describeHost(this.options.baseUrl)} sent an empty reply.`);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    const sse = new SseDecoder();
    const listener = (data: string, event: string | undefined) => builder.data(data, event);
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        idle.touch();
        sse.push(decoder.decode(value, { stream: true }), listener, builder.claim, builder.claimRun);
        for (const event of builder.take()) {
          yield event;
          if (idle.signal.aborted) throw idle.failure() ?? new ModelError('aborted', 'Stopped.');
        }
        if (builder.done || builder.failure) break;
      }
      sse.push(decoder.decode(), listener);
      sse.end(listener);
    } catch (error) {
      // The answer was complete (only the usage chunk or [DONE] went missing): keep it.
      if (!builder.finished || idle.failure() || error instanceof ModelError) throw error;
    } finally {
      // Closes the connection when we stop early ([DONE], an error, or the caller went away).
      reader.cancel().catch(() => undefined);
    }
  }

  /** Raises what the stream itself reported: a server error, or an end before the end. */
  private check(builder: TurnBuilder): void {
    const failure = builder.failure;
    if (failure) {
      if (!builder.started) throw streamError(failure.message, failure.code, this.context);
      throw new ModelError(
        'dropped',
        `${describeHost(this.options.baseUrl)} broke off the answer with an error: "${failure.message.slice(0, 500)}"`,
      );
    }
    if (builder.finished) return;
    const host = describeHost(this.options.baseUrl);
    if (builder.malformed > 0 && !builder.started)
      throw new ModelError(
        'malformed',
        `${host} did not answer with a chat-completions stream. Check qcoder.baseUrl (now ${this.options.baseUrl}).`,
      );
    throw new ModelError('dropped', 'The stream ended before the answer was complete.');
  }
}

function requestBody(model: string, messages: readonly ChatMessage[], options: StreamOptions): Record<string, unknown> {
  const body: Record<string, unknown> = { model, messages, stream: true, stream_options: { include_usage: true } };
  const tools = options.tools ?? [];
  if (tools.length) {
    body.tools = tools.map((tool: ToolSchema) => ({
      type: 'function',
      function: { name: tool.name, description: tool.description, parameters: tool.parameters },
    }));
    if (options.toolChoice) body.tool_choice = options.toolChoice;
  }
  if (options.maxTokens) body.max_tokens = options.maxTokens;
  return body;
}

/** Aborts when the caller aborts, or when nothing arrived for `ms`. */
class IdleTimer {
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timedOut = false;
  private readonly onOuterAbort = () => this.controller.abort();

  constructor(
    readonly ms: number,
    private readonly outer: AbortSignal,
  ) {
    if (outer.aborted) this.controller.abort();
    outer.addEventListener('abort', this.onOuterAbort);
    this.touch();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Why the request was cut short by us, if it was. */
  failure(): ModelError | undefined {
    if (this.timedOut) {
      return new ModelError(
        'timeout',
        `No reply from the server for ${Math.round(this.ms / 1000)} s, so QCoder gave up. Retry, or raise qcoder.requestTimeoutSeconds.`,
      );
    }
    return this.outer.aborted ? new ModelError('aborted', 'Stopped.') : undefined;
  }

  touch(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort();
    }, this.ms);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.outer.removeEventListener('abort', this.onOuterAbort);
  }
}
