/**
 * Streams chat completions from any OpenAI-compatible server through the `openai`
 * package, and turns the stream into a few plain events. Abort is real: the
 * request's socket is closed, so the server stops generating.
 */
import OpenAI from 'openai';
import { ModelError, toModelError } from './errors';

export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

export interface Usage {
  readonly promptTokens: number;
  readonly completionTokens: number;
}

export type StreamEvent =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  | { type: 'usage'; usage: Usage }
  | { type: 'finish'; reason: string };

export interface ModelClientOptions {
  readonly baseUrl: string;
  readonly model: string;
  /** Empty for servers that need none (local ones). */
  readonly apiKey: string;
  /** Longest silence allowed between two pieces of a reply. */
  readonly idleTimeoutMs?: number;
  readonly fetch?: typeof fetch;
}

export class ModelClient {
  private readonly openai: OpenAI;

  constructor(private readonly options: ModelClientOptions) {
    this.openai = new OpenAI({
      baseURL: options.baseUrl,
      // The SDK refuses an empty key; local servers ignore whatever is sent.
      apiKey: options.apiKey || 'no-key',
      maxRetries: 0,
      timeout: options.idleTimeoutMs ?? 120_000,
      fetch: options.fetch,
      dangerouslyAllowBrowser: false,
    });
  }

  get model(): string {
    return this.options.model;
  }

  /**
   * Yields the reply as it arrives. Throws `ModelError` on every failure, with kind
   * `aborted` when `signal` fired, `dropped` when the stream ended without finishing.
   */
  async *stream(messages: readonly ChatMessage[], signal: AbortSignal): AsyncGenerator<StreamEvent> {
    const context = { baseUrl: this.options.baseUrl, model: this.options.model };
    const idle = new IdleTimer(this.options.idleTimeoutMs ?? 120_000, signal);
    let finished = false;
    try {
      const stream = await this.openai.chat.completions.create(
        { model: this.options.model, messages: [...messages], stream: true, stream_options: { include_usage: true } },
        { signal: idle.signal },
      );
      idle.touch();
      for await (const chunk of stream) {
        idle.touch();
        if (chunk.usage) {
          yield { type: 'usage', usage: { promptTokens: chunk.usage.prompt_tokens ?? 0, completionTokens: chunk.usage.completion_tokens ?? 0 } };
        }
        const choice = chunk.choices?.[0];
        if (!choice) continue;
        const delta = choice.delta as { content?: string | null; reasoning_content?: string | null } | undefined;
        if (delta?.reasoning_content) yield { type: 'reasoning', text: delta.reasoning_content };
        if (delta?.content) yield { type: 'text', text: delta.content };
        if (choice.finish_reason) {
          finished = true;
          yield { type: 'finish', reason: choice.finish_reason };
        }
      }
    } catch (error) {
      throw idle.failure() ?? toModelError(error, context);
    } finally {
      idle.dispose();
    }
    // The SDK ends the iteration quietly when the request is aborted.
    const failure = idle.failure();
    if (failure) throw failure;
    if (!finished) {
      throw new ModelError('dropped', 'The stream ended before the answer was complete.');
    }
  }
}

/** Aborts when the caller aborts, or when nothing arrived for `ms`. */
class IdleTimer {
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  timedOut = false;
  private readonly onOuterAbort = () => this.controller.abort();

  constructor(readonly ms: number, private readonly outer: AbortSignal) {
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
      return new ModelError('timeout', `No reply from the server for ${Math.round(this.ms / 1000)} s, so QCoder gave up. Retry, or raise qcoder.requestTimeoutSeconds.`);
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
