/**
 * The test server's FIM side: `POST /v1/completions` (OpenAI's legacy completions, where
 * FIM prompts go) and llama.cpp's `POST /infill`. Records each request, answers from a
 * script, and notices clients that hang up before the answer. `mode: 'none'` plays a
 * chat-only server: both routes answer 404.
 */
import type * as http from 'node:http';
import type { RecordedRequest } from './modelServer';

export type FimReply = { text: string; delayMs?: number } | { status: number; body: unknown };

export interface CompletionsRoute {
  readonly requests: RecordedRequest[];
  readonly aborted: RecordedRequest[];
  mode: 'openai' | 'none';
  enqueue(...replies: FimReply[]): void;
  setDefault(reply: FimReply): void;
  waitForRequests(n: number, timeoutMs?: number): Promise<void>;
  waitForAborts(n: number, timeoutMs?: number): Promise<void>;
}

/** Resolves when `list` holds `n` items (checked every 10 ms); rejects after `timeoutMs`. */
export function waitFor(list: readonly unknown[], n: number, timeoutMs = 10_000): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      if (list.length >= n) resolve();
      else if (Date.now() - started > timeoutMs)
        reject(new Error(`waited ${timeoutMs} ms for ${n}, saw ${list.length}`));
      else setTimeout(tick, 10);
    };
    tick();
  });
}

export function completionsRoute(): CompletionsRoute & {
  handle(recorded: RecordedRequest, res: http.ServerResponse): boolean;
} {
  const queue: FimReply[] = [];
  // Nothing to show unless a test scripts it: other suites type into editors with completions on.
  let fallback: FimReply = { text: '' };
  const requests: RecordedRequest[] = [];
  const aborted: RecordedRequest[] = [];
  const route = {
    requests,
    aborted,
    mode: 'openai' as 'openai' | 'none',
    enqueue: (...replies: FimReply[]) => void queue.push(...replies),
    setDefault: (reply: FimReply) => void (fallback = reply),
    waitForRequests: (n: number, t?: number) => waitFor(requests, n, t),
    waitForAborts: (n: number, t?: number) => waitFor(aborted, n, t),
    handle(recorded: RecordedRequest, res: http.ServerResponse): boolean {
      const pathname = recorded.path.split('?')[0];
      const fim =
        pathname === '/infill' || (pathname.endsWith('/completions') && !pathname.endsWith('/chat/completions'));
      if (recorded.method !== 'POST' || !fim) return false;
      requests.push(recorded);
      if (route.mode === 'none') {
        send(res, 404, { error: { message: `no route POST ${pathname}`, type: 'not_found' } });
        return true;
      }
      let finished = false;
      res.on('finish', () => (finished = true));
      res.on('close', () => {
        if (!finished) aborted.push(recorded);
      });
      const reply = queue.shift() ?? fallback;
      if ('status' in reply) send(res, reply.status, reply.body);
      else setTimeout(() => answer(res, reply.text, recorded, pathname), reply.delayMs ?? 0);
      return true;
    },
  };
  return route;
}

function answer(res: http.ServerResponse, text: string, recorded: RecordedRequest, pathname: string): void {
  if (res.destroyed) return;
  if (pathname === '/infill') {
    send(res, 200, { content: text, stop: true });
    return;
  }
  send(res, 200, {
    id: `cmpl-${Date.now()}`,
    object: 'text_completion',
    created: 0,
    model: recorded.body?.model ?? 'test-model',
    choices: [{ index: 0, text, finish_reason: 'stop', logprobs: null }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  });
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) });
  res.end(data);
}
