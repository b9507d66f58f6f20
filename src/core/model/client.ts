/**
 * Streams chat completions from any OpenAI-compatible server through the `openai`
 * package and turns its chunks into a few plain events, ending with one `ModelTurn`.
 * Abort is real: the request's socket is closed, so the server stops generating.
 */
import type OpenAI from 'openai';
import { describeHost } from './endpoint';
import { ModelError, type ErrorContext } from './errors';
import { realSleep, retryDelay, retryReason } from './retry';
import { createSdk, fromSdkError, inStreamError, notAnApi, requestBody } from './transport';
import { TurnBuilder } from './turnBuilder';
import type { ChatMessage, Sleep, StreamEvent, StreamOptions, Usage } from './types';

export type { ChatMessage, ModelTurn, StreamEvent, StreamOptions, ToolCall, ToolSchema, Usage } from './types';

export interface ModelClientOptions {
  readonly baseUrl: string;
  readonly model: string;
  /** Empty for servers that need none (local ones). */
  readonly apiKey: string;
  /** Longest silence allowed between two pieces of a reply. */
  readonly idleTimeoutMs?: number;
  /** Every request goes out through this (handed to the `openai` package), so a wrapper sees the final body. */
  readonly fetch?: typeof fetch;
  /** Default for `StreamOptions.sleep`. */
  readonly sleep?: Sleep;
  /** Told the usage of every finished reply (a status bar counts tokens with it). */
  readonly onUsage?: (usage: Usage) => void;
  readonly headers?: Readonly<Record<string, string>>;
}

export class ModelClient {
  private sdk: OpenAI | undefined;

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
        const failure = fromSdkError(error, this.context, builder.started);
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

  private client(): OpenAI {
    this.sdk ??= createSdk({
      ...this.options,
      // Above the idle limit: the SDK's timer covers the whole request, ours each silence.
      timeoutMs: 2 * (this.options.idleTimeoutMs ?? DEFAULT_IDLE_MS),
    });
    return this.sdk;
  }

  private async *attempt(
    messages: readonly ChatMessage[],
    signal: AbortSignal,
    options: StreamOptions,
    builder: TurnBuilder,
  ): AsyncGenerator<StreamEvent> {
    const idle = new IdleTimer(this.options.idleTimeoutMs ?? DEFAULT_IDLE_MS, signal);
    try {
      yield* this.read(messages, options, builder, idle);
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
      const failure = idle.failure() ?? fromSdkError(error, this.context, builder.started);
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

  private async *read(
    messages: readonly ChatMessage[],
    options: StreamOptions,
    builder: TurnBuilder,
    idle: IdleTimer,
  ): AsyncGenerator<StreamEvent> {
    const { data: stream, response } = await this.client()
      .chat.completions.create(requestBody(this.options.model, messages, options), { signal: idle.signal })
      .withResponse();
    idle.touch();
    notAnApi(response, this.context, 'a chat-completions stream');
    if ((response.headers.get('content-type') ?? '').includes('application/json')) {
      builder.completion(await response.json());
      return;
    }
    try {
      for await (const chunk of stream) {
        idle.touch();
        builder.chunk(chunk);
        if (builder.failure) break;
        for (const event of builder.take()) {
          yield event;
          if (idle.signal.aborted) throw idle.failure() ?? new ModelError('aborted', 'Stopped.');
        }
      }
    } catch (error) {
      // The answer was complete (only the usage chunk went missing): keep it.
      if (!builder.finished || idle.failure() || error instanceof ModelError) throw error;
    }
    // The SDK ends its iteration quietly when its request is aborted: ours is the one who knows why.
    const stopped = idle.failure();
    if (stopped) throw stopped;
    if (!builder.failure) builder.close();
  }

  /** Raises what the stream itself reported: a server error, or an end before the end. */
  private check(builder: TurnBuilder): void {
    const failure = builder.failure;
    if (failure) throw inStreamError(failure.message, failure.code, this.context, builder.started);
    if (builder.finished) return;
    throw new ModelError(
      'dropped',
      `The stream from ${describeHost(this.options.baseUrl)} ended before the answer was complete. Retry; if ` +
        `it keeps happening, check the server's log.`,
    );
  }
}

const DEFAULT_IDLE_MS = 120_000;

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
        `No reply from the server for ${Math.round(this.ms / 1000)} s, so QCoder gave up. Retry, or ` +
          `raise qcoder.requestTimeoutSeconds.`,
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
