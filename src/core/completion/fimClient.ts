/**
 * The requests for a completion, in the three forms servers understand:
 *   qwen    the raw repo-level FIM prompt on `/v1/completions` (vLLM, SGLang, llama.cpp, DashScope);
 *   suffix  `prompt` + `suffix` on `/v1/completions`: the server applies its model's own FIM template
 *           (Ollama, OpenAI-style servers);
 *   infill  llama.cpp's `/infill` with the related files in `input_extra`.
 * Through the `openai` package where the route is OpenAI's, so an abort closes the socket.
 */
import type OpenAI from 'openai';
import { describeHost } from '../model/endpoint';
import { ModelError, httpError } from '../model/errors';
import { createSdk, fromSdkError, notAnApi } from '../model/transport';
import { QWEN_STOPS } from './fimFormat';
import type { PackedPrompt } from './promptBuilder';

export type FimDialect = 'qwen' | 'suffix' | 'infill';

export interface FimEndpoint {
  readonly baseUrl: string;
  readonly model: string;
  readonly apiKey: string;
  readonly timeoutMs: number;
  readonly fetch?: typeof fetch;
}

export interface FimQuery {
  readonly prompt: PackedPrompt;
  readonly maxTokens: number;
  /** One line only: the server may stop at the first newline. */
  readonly singleLine: boolean;
  readonly signal: AbortSignal;
}

export class FimHttp {
  private readonly sdk: OpenAI;

  constructor(private readonly endpoint: FimEndpoint) {
    this.sdk = createSdk({ ...endpoint, timeoutMs: endpoint.timeoutMs });
  }

  async send(dialect: FimDialect, query: FimQuery): Promise<string> {
    const context = { baseUrl: this.endpoint.baseUrl, model: this.endpoint.model };
    // The SDK's timeout ends the wait for the headers only; this one ends a body that never does.
    const timeout = AbortSignal.timeout(this.endpoint.timeoutMs);
    const signal = AbortSignal.any([query.signal, timeout]);
    try {
      if (dialect === 'infill') return await this.infill({ ...query, signal });
      const { prompt } = query;
      const stop = query.singleLine ? ['\n', ...QWEN_STOPS.slice(0, 3)] : QWEN_STOPS;
      const { data, response } = await this.sdk.completions
        .create(
          {
            model: this.endpoint.model,
            prompt: dialect === 'qwen' ? prompt.text : prompt.prefix,
            ...(dialect === 'suffix' ? { suffix: prompt.suffix } : {}),
            max_tokens: query.maxTokens,
            temperature: 0.2,
            stream: false,
            stop,
          },
          { signal },
        )
        .withResponse();
      notAnApi(response, context, 'a JSON completion');
      const choices = (data as { choices?: unknown }).choices;
      if (!Array.isArray(choices)) throw notJson(context);
      return (choices[0] as { text?: unknown } | undefined)?.text?.toString() ?? '';
    } catch (error) {
      if (timeout.aborted && !query.signal.aborted)
        throw new ModelError(
          'timeout',
          `${describeHost(this.endpoint.baseUrl)} did not finish the completion in ` +
            `${Math.round(this.endpoint.timeoutMs / 1000)} s. Retry, or raise qcoder.requestTimeoutSeconds.`,
        );
      throw fromSdkError(error, context, false);
    }
  }

  private async infill(query: FimQuery): Promise<string> {
    const { prompt } = query;
    const doFetch = this.endpoint.fetch ?? fetch;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.endpoint.apiKey) headers.authorization = `Bearer ${this.endpoint.apiKey}`;
    const response = await doFetch(infillUrl(this.endpoint.baseUrl), {
      method: 'POST',
      headers,
      signal: query.signal,
      body: JSON.stringify({
        input_prefix: prompt.prefix,
        input_suffix: prompt.suffix,
        input_extra: prompt.snippets.map((snippet) => ({ filename: snippet.path, text: snippet.text })),
        n_predict: query.maxTokens,
        ...(query.singleLine ? { stop: ['\n'] } : {}),
        cache_prompt: true,
        stream: false,
      }),
    });
    const body = await response.text();
    const context = { baseUrl: this.endpoint.baseUrl, model: this.endpoint.model };
    if (!response.ok) throw httpError(response.status, body, response.headers, context);
    try {
      const content = (JSON.parse(body) as { content?: unknown }).content;
      if (typeof content === 'string') return content;
    } catch {
      /* told below */
    }
    throw new ModelError('malformed', `${describeHost(this.endpoint.baseUrl)} answered /infill without a "content".`);
  }
}

function notJson(context: { baseUrl: string }): ModelError {
  return new ModelError(
    'malformed',
    `${describeHost(context.baseUrl)} did not answer the completion request with a JSON completion. Check ` +
      `qcoder.baseUrl (now ${context.baseUrl}) and that the server takes /v1/completions.`,
  );
}

/** llama.cpp serves `/infill` at its root, beside `/v1`. */
export function infillUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '')}/infill`;
}

/**
 * True when the error says the server does not speak this form (no such route, no `suffix`),
 * as opposed to a wrong model name, a key, or a busy server.
 */
export function isUnsupported(error: unknown): boolean {
  if (!(error instanceof ModelError)) return false;
  const status = error.status;
  const text = error.message;
  if (status === 405 || status === 501) return true;
  if (status === 404) return !/\bmodel\b/i.test(text) || /route|path|endpoint|no route/i.test(text);
  if (status === 400 || status === 422)
    return /suffix|infill|fim|not supported|unsupported|does not support|insert/i.test(text);
  return false;
}
