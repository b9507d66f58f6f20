/**
 * The three places QCoder calls the model's server, driven as the product drives them: the chat
 * (ChatEngine → ModelClient, the text the chat shows), inline edit (its request through
 * ModelClient into the inline diff) and inline completions (the FIM request). Each run ends with
 * the answer or with the text the user would read, and says how long it took; `stopAfterMs`
 * presses Stop that long after the start.
 */
import { ChatEngine } from '../../../src/core/chat/chatEngine';
import { FimHttp } from '../../../src/core/completion/fimClient';
import { estimatingCounter } from '../../../src/core/context/tokens/tokenCounter';
import { InlineDiff, inlineRequest } from '../../../src/core/inline';
import { ModelClient } from '../../../src/core/model/client';
import { ModelError } from '../../../src/core/model/errors';
import type { HostMessage } from '../../../src/core/protocol';
import { SessionRepository } from '../../../src/core/session/session';
import { plainError } from '../../../src/webview/plainError';
import { MemoryStore } from '../../support/memoryStore';

export interface Run {
  /** The answer's text, or undefined when it failed. */
  readonly answer?: string;
  /** What the user reads when it failed. */
  readonly message?: string;
  readonly stopped: boolean;
  readonly ms: number;
  /** Milliseconds from Stop to the end of the run. */
  readonly afterStopMs?: number;
}

export type Surface = 'chat' | 'inline' | 'fim';
export const SURFACES: readonly Surface[] = ['chat', 'inline', 'fim'];

/** The limit on silence the suite configures, as a user sets qcoder.requestTimeoutSeconds. */
export const IDLE_MS = 1500;
const HANG_MS = 8000;

export async function run(surface: Surface, baseUrl: string, stopAfterMs?: number, text = 'What is it?'): Promise<Run> {
  const controller = new AbortController();
  const started = Date.now();
  let stoppedAt: number | undefined;
  const stop =
    stopAfterMs === undefined
      ? undefined
      : setTimeout(() => {
          stoppedAt = Date.now();
          controller.abort();
        }, stopAfterMs);
  let giveUp: ReturnType<typeof setTimeout> | undefined;
  // A run that never ends is reported as one that took HANG_MS, not left to hang the suite.
  const hung = new Promise<{ message: string }>((resolve) => {
    giveUp = setTimeout(() => resolve({ message: `(still running after ${HANG_MS} ms)` }), HANG_MS);
  });
  try {
    const result = await Promise.race([SURFACE_RUNS[surface](baseUrl, controller, text), hung]);
    return { ...result, ms: Date.now() - started, stopped: stoppedAt !== undefined, afterStopMs: since(stoppedAt) };
  } finally {
    clearTimeout(stop);
    clearTimeout(giveUp);
    controller.abort();
  }
}

const since = (at: number | undefined) => (at === undefined ? undefined : Date.now() - at);

type SurfaceRun = (
  baseUrl: string,
  controller: AbortController,
  text: string,
) => Promise<{ answer?: string; message?: string }>;

const SURFACE_RUNS: Record<Surface, SurfaceRun> = {
  async chat(baseUrl, controller, text) {
    const posted: HostMessage[] = [];
    const engine = new ChatEngine({
      sessions: new SessionRepository(new MemoryStore()),
      connect: async () => ({
        view: { model: 'm', baseUrl, ready: true, keySource: 'not-needed' },
        client: new ModelClient({
          baseUrl,
          model: 'm',
          apiKey: '',
          idleTimeoutMs: IDLE_MS,
          sleep: async () => undefined,
        }),
      }),
      post: (message) => posted.push(message),
      systemPrompt: () => 'SYSTEM',
      runCommand: () => undefined,
      log: () => undefined,
    });
    controller.signal.addEventListener('abort', () => engine.stop());
    await engine.send(text);
    const done = posted.filter((m) => m.type === 'messageDone').at(-1);
    if (done?.type !== 'messageDone') return { message: '(the chat showed no end of the answer)' };
    if (done.status === 'complete') return { answer: done.content };
    if (done.status === 'stopped') return {};
    // The chat shows the error in plain words, the server's own under "Details", and one action button.
    const shown = plainError(done.error);
    const button = { retry: 'Retry', chooseProvider: 'Choose a provider', setApiKey: 'Set API key', none: '' }[
      shown.action
    ];
    return { message: [shown.summary, shown.details ?? '', button].filter(Boolean).join('\n') };
  },

  async inline(baseUrl, controller, text) {
    const document = 'function total(items) {\n  return items.length;\n}\n';
    const request = inlineRequest({
      path: 'src/cart.js',
      languageId: 'javascript',
      text: document,
      range: { start: 0, end: 2 },
      instruction: text,
      counter: estimatingCounter,
      window: 32_768,
    });
    const client = new ModelClient({
      baseUrl,
      model: 'm',
      apiKey: '',
      idleTimeoutMs: IDLE_MS,
      sleep: async () => undefined,
    });
    const diff = new InlineDiff(document.split('\n'));
    try {
      for await (const event of client.stream(request.messages, controller.signal))
        if (event.type === 'text') diff.append(event.text);
      return { answer: diff.answer };
    } catch (error) {
      if (error instanceof ModelError && error.kind === 'aborted') return {};
      // As the inline-edit controller words it.
      return { message: `QCoder: the inline edit failed, and the lines are as they were. ${messageOf(error)}` };
    }
  },

  async fim(baseUrl, controller) {
    const http = new FimHttp({ baseUrl, model: 'm', apiKey: '', timeoutMs: IDLE_MS });
    const prompt = {
      text: '<|fim_prefix|>const a = <|fim_suffix|>;\n<|fim_middle|>',
      prefix: 'const a = ',
      suffix: ';\n',
      snippets: [],
    };
    try {
      const answer = await http.send('qwen', {
        prompt: prompt as never,
        maxTokens: 64,
        singleLine: false,
        signal: controller.signal,
      });
      return { answer };
    } catch (error) {
      if (error instanceof ModelError && error.kind === 'aborted') return {};
      return { message: messageOf(error) };
    }
  },
};

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Why `text` is not a message a person understands, or undefined when it is. */
export function unclear(text: string | undefined, host: string): string | undefined {
  if (!text?.trim()) return 'no message';
  if (/UND_ERR|ECONN|EPIPE|ETIMEDOUT|ERR_[A-Z_]{3,}/.test(text)) return 'a Node error code';
  if (/\n\s+at\s|\bat [\w.<>]+ \(/.test(text)) return 'a stack trace';
  if (/\bundefined\b|\[object Object\]|\bNaN\b/.test(text)) return 'a programming word';
  if (text.length > 1200) return 'too long to read';
  if (!text.includes(host) && !/context window|the server|the model/i.test(text)) return 'does not say which server';
  if (!/retry|try again|check|raise|wait|start a new|shorter|remove|smaller|set |make sure/i.test(text))
    return 'does not say what to do';
  return undefined;
}
