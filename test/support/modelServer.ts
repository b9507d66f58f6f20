/**
 * A local OpenAI-compatible server for tests: it listens on 127.0.0.1, answers
 * `POST /v1/chat/completions` from a script of replies (real SSE framing when the
 * request asks to stream), records every request it got, and notices when a client
 * hangs up mid-stream. No test reaches the internet.
 */
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { type CompletionsRoute, completionsRoute, waitFor } from './completionsRoute';
import { type RawReply, serveRaw } from './rawReplies';

/** Where recorded stream dialects live (`sse` replies name a file in here). */
export const STREAM_FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'streams');

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: any;
}

/** One scripted reply. */
export type Reply =
  /** Bytes straight to the socket (see rawReplies.ts): a cut header, an endless line, a connection left open. */
  | RawReply
  | {
      kind: 'stream';
      chunks: readonly string[];
      delayMs?: number;
      model?: string;
      usage?: boolean;
      /** After this many SSE events the stream waits for `release` (a test holds it mid-stream while it looks). */
      holdAfter?: number;
      release?: Promise<unknown>;
    }
  /** Raw SSE `data:` payloads (already JSON strings or `[DONE]`), for recorded dialects. */
  | { kind: 'raw'; events: readonly string[]; delayMs?: number }
  | { kind: 'json'; status: number; body: unknown; headers?: Record<string, string> }
  /** Sends a few chunks, then destroys the socket without finishing the stream. */
  | { kind: 'drop'; chunks: readonly string[]; delayMs?: number }
  /** Accepts the request and never answers until the client goes away. */
  | { kind: 'stall' }
  /**
   * Replays a recorded SSE body byte for byte, comment lines included: `file` is a name in
   * test/fixtures/streams/ (or an absolute path), `text` the body itself. Written one
   * event at a time, or in pieces of `splitBytes` bytes (cutting lines and characters).
   * `dropAfterBytes` destroys the socket after that many bytes.
   */
  | {
      kind: 'sse';
      file?: string;
      text?: string;
      splitBytes?: number;
      delayMs?: number;
      dropAfterBytes?: number;
      /** How long the bytes before the drop get to reach the client (default 50 ms). */
      dropDelayMs?: number;
    };

export interface ModelServer {
  readonly url: string;
  /** The base URL a client puts in `baseURL` (`…/v1`). */
  readonly baseUrl: string;
  /** Chat-completion requests, in order of arrival. */
  readonly requests: RecordedRequest[];
  /** Every other request (window discovery: GET /models, /props, POST /api/show…). */
  readonly probes: RecordedRequest[];
  /** Requests whose client closed the connection before the reply ended. */
  readonly aborted: RecordedRequest[];
  enqueue(...replies: Reply[]): void;
  /** Answers `METHOD /path` (any path, e.g. `GET /props`) with `reply` from now on, before the built-in routes. */
  route(method: string, pathname: string, reply: Reply): void;
  /** Used when the queue is empty. */
  setDefault(reply: Reply): void;
  /** Looks at each chat request first: a reply it returns answers instead (a server that refuses some requests). */
  gate(check: ((body: any) => Reply | undefined) | undefined): void;
  /** Resolves when `n` requests have arrived. */
  waitForRequests(n: number, timeoutMs?: number): Promise<void>;
  /** Resolves when `n` clients have hung up mid-reply. */
  waitForAborts(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
  /** FIM requests: `POST /v1/completions` and `/infill` (see completionsRoute.ts). */
  readonly completions: CompletionsRoute;
}

export function textChunks(text: string, size = 8): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** `port`: a fixed loopback port (a test of local-server discovery listens where a known server would). */
export async function startModelServer(options: { port?: number } = {}): Promise<ModelServer> {
  const queue: Reply[] = [];
  let fallback: Reply = { kind: 'stream', chunks: ['Hello from the test server.'] };
  const requests: RecordedRequest[] = [];
  const probes: RecordedRequest[] = [];
  const aborted: RecordedRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const routes = new Map<string, Reply>();
  let gate: ((body: any) => Reply | undefined) | undefined;
  let counter = 0;
  const fim = completionsRoute();

  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      const text = Buffer.concat(parts).toString('utf8');
      let body: any = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        /* keep the raw text */
      }
      const recorded: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      const routed = routes.get(`${req.method} ${(req.url ?? '').split('?')[0]}`);
      // A route wins over the FIM route too: a misbehaving /v1/completions is scripted with `route`.
      if (!routed && fim.handle(recorded, res)) return;
      (req.method === 'POST' && (req.url ?? '').split('?')[0].endsWith('/chat/completions') ? requests : probes).push(
        recorded,
      );
      if (routed) {
        void serve(routed, res, body, `chatcmpl-${++counter}`);
        return;
      }
      if (req.method === 'GET' && req.url?.endsWith('/models')) {
        sendJson(res, 200, { object: 'list', data: [{ id: 'test-model', object: 'model' }] });
        return;
      }
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        sendJson(res, 404, { error: { message: `no route ${req.method} ${req.url}`, type: 'not_found' } });
        return;
      }
      const reply = gate?.(body) ?? queue.shift() ?? fallback;
      let finished = false;
      res.on('finish', () => {
        finished = true;
      });
      res.on('close', () => {
        if (!finished) aborted.push(recorded);
      });
      void serve(reply, res, body, `chatcmpl-${++counter}`);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    baseUrl: `${url}/v1`,
    requests,
    probes,
    aborted,
    enqueue: (...replies) => {
      queue.push(...replies);
    },
    route: (method, pathname, reply) => {
      routes.set(`${method.toUpperCase()} ${pathname}`, reply);
    },
    setDefault: (reply) => {
      fallback = reply;
    },
    gate: (check) => {
      gate = check;
    },
    waitForRequests: (n, t) => waitFor(requests, n, t),
    waitForAborts: (n, t) => waitFor(aborted, n, t),
    completions: fim,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), ...headers });
  res.end(data);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function serve(reply: Reply, res: http.ServerResponse, body: any, id: string): Promise<void> {
  if (reply.kind === 'socket') {
    await serveRaw(reply, res);
    return;
  }
  if (reply.kind === 'json') {
    sendJson(res, reply.status, reply.body, reply.headers);
    return;
  }
  if (reply.kind === 'stall') {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.flushHeaders();
    return;
  }
  if (reply.kind === 'sse') {
    await replay(reply, res);
    return;
  }
  const model = (reply.kind === 'stream' && reply.model) || body?.model || 'test-model';
  const events =
    reply.kind === 'raw'
      ? reply.events
      : chunkEvents(reply.chunks, id, model, reply.kind === 'stream' && reply.usage === true);
  if (body && body.stream === false && reply.kind === 'stream') {
    sendJson(res, 200, {
      id,
      object: 'chat.completion',
      created: 0,
      model,
      choices: [{ index: 0, message: { role: 'assistant', content: reply.chunks.join('') }, finish_reason: 'stop' }],
    });
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.flushHeaders();
  const delay = reply.delayMs ?? 0;
  const limit = reply.kind === 'drop' ? Math.max(0, events.length - 2) : events.length;
  for (let i = 0; i < limit; i++) {
    if (res.destroyed) return;
    res.write(`data: ${events[i]}\n\n`);
    if (delay) await sleep(delay);
    if (reply.kind === 'stream' && reply.release && i + 1 === reply.holdAfter) await reply.release;
  }
  if (reply.kind === 'drop') {
    // Let what was written reach the client before the connection breaks.
    await sleep(50);
    res.socket?.destroy();
    return;
  }
  res.end();
}

function chunkEvents(chunks: readonly string[], id: string, model: string, usage: boolean): string[] {
  const base = { id, object: 'chat.completion.chunk', created: 0, model };
  const events = [
    JSON.stringify({
      ...base,
      choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
    }),
  ];
  for (const content of chunks) {
    events.push(JSON.stringify({ ...base, choices: [{ index: 0, delta: { content }, finish_reason: null }] }));
  }
  events.push(JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }));
  if (usage) {
    const completion = chunks.length;
    events.push(
      JSON.stringify({
        ...base,
        choices: [],
        usage: { prompt_tokens: 10, completion_tokens: completion, total_tokens: 10 + completion },
      }),
    );
  }
  events.push('[DONE]');
  return events;
}

/** Reads a fixture: a name in test/fixtures/streams/, or a path. */
export function readStreamFixture(file: string): string {
  return readFileSync(path.isAbsolute(file) ? file : path.join(STREAM_FIXTURES, file), 'utf8');
}

async function replay(reply: Extract<Reply, { kind: 'sse' }>, res: http.ServerResponse): Promise<void> {
  const bytes = Buffer.from(reply.text ?? readStreamFixture(reply.file ?? ''), 'utf8');
  const pieces: Buffer[] = [];
  if (reply.splitBytes) {
    for (let i = 0; i < bytes.length; i += reply.splitBytes) pieces.push(bytes.subarray(i, i + reply.splitBytes));
  } else {
    // One write per event: up to and including each blank line.
    const text = bytes.toString('utf8');
    const events = text.match(/[\s\S]*?(?:\r?\n\r?\n|$)/g) ?? [text];
    for (const event of events) if (event) pieces.push(Buffer.from(event, 'utf8'));
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.flushHeaders();
  let sent = 0;
  for (const piece of pieces) {
    if (res.destroyed) return;
    const limit = reply.dropAfterBytes;
    if (limit !== undefined && sent + piece.length >= limit) {
      res.write(piece.subarray(0, limit - sent));
      await sleep(reply.dropDelayMs ?? 50);
      res.socket?.destroy();
      return;
    }
    res.write(piece);
    sent += piece.length;
    if (reply.delayMs) await sleep(reply.delayMs);
  }
  res.end();
}
