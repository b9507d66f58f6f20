/**
 * Servers that misbehave, as the local model server plays them: each scenario says what the chat
 * route, the FIM route and the model list answer, and whether a good client ends with the answer
 * or with a message.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Reply } from '../../support/modelServer';

const FIXTURES = resolve(__dirname, '..', '..', 'fixtures', 'adversarial', 'bad-servers');
const HTML = readFileSync(resolve(FIXTURES, 'nginx-welcome.html'), 'utf8');
export const CONTEXT_ERROR = JSON.parse(readFileSync(resolve(FIXTURES, 'vllm-context-length.json'), 'utf8'));

export interface Scenario {
  readonly name: string;
  readonly chat: Reply;
  readonly fim: Reply;
  readonly models?: Reply;
  /** `answer`: the request succeeds with ANSWER; `message`: it fails with a message a person understands. */
  readonly expect: { readonly chat: Outcome; readonly fim: Outcome };
  /** Nothing arrives for the idle limit: the request must end by it. */
  readonly silent?: boolean;
}

export const ANSWER = 'The answer is 42.';

export type Outcome = 'answer' | 'message';
const MESSAGE = { chat: 'message', fim: 'message' } as const;
const ANSWERED = { chat: 'answer', fim: 'answer' } as const;

const chunk = (delta: object, finish: string | null = null) =>
  JSON.stringify({
    id: 'chatcmpl-bad',
    object: 'chat.completion.chunk',
    created: 0,
    model: 'm',
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
const FIM_JSON = {
  id: 'cmpl-bad',
  object: 'text_completion',
  created: 0,
  model: 'm',
  choices: [{ index: 0, text: ANSWER, finish_reason: 'stop' }],
};
const ANSWER_EVENTS = [chunk({ role: 'assistant', content: '' }), chunk({ content: ANSWER }), chunk({}, 'stop')];
const sse = (events: readonly string[]) => events.map((event) => `data: ${event}\n\n`).join('');
const head = (type: string) => `HTTP/1.1 200 OK\r\nContent-Type: ${type}\r\nConnection: close\r\n\r\n`;
const TEN_MB = 10 * 1024 * 1024;

/** A body line of 10 MB in 64 KB pieces, never ended. */
function endlessLine(): Buffer[] {
  const piece = Buffer.alloc(64 * 1024, 'x');
  return [
    Buffer.from('data: {"choices":[{"delta":{"content":"'),
    ...Array.from({ length: TEN_MB / piece.length }, () => piece),
  ];
}

export function scenarios(): Scenario[] {
  return [
    {
      name: '200 with an HTML page',
      chat: { kind: 'socket', pieces: [head('text/html; charset=utf-8'), HTML], then: 'end' },
      fim: { kind: 'socket', pieces: [head('text/html; charset=utf-8'), HTML], then: 'end' },
      expect: MESSAGE,
    },
    {
      name: 'closes in the middle of the headers',
      chat: { kind: 'socket', pieces: ['HTTP/1.1 200 OK\r\nContent-Type: text/event-st'], then: 'destroy' },
      fim: { kind: 'socket', pieces: ['HTTP/1.1 200 OK\r\nContent-Ty'], then: 'destroy' },
      expect: MESSAGE,
    },
    {
      name: '10 MB without a newline',
      chat: { kind: 'socket', pieces: [head('text/event-stream'), ...endlessLine()], then: 'hang' },
      fim: { kind: 'socket', pieces: [head('application/json'), ...endlessLine()], then: 'hang' },
      expect: MESSAGE,
    },
    {
      name: '[DONE] twice, and data after it',
      chat: { kind: 'raw', events: [...ANSWER_EVENTS, '[DONE]', '[DONE]', chunk({ content: ' And more.' })] },
      fim: { kind: 'json', status: 200, body: FIM_JSON },
      expect: ANSWERED,
    },
    {
      name: 'never answers (connection open, no headers)',
      chat: { kind: 'socket', pieces: [], then: 'hang' },
      fim: { kind: 'socket', pieces: [], then: 'hang' },
      expect: MESSAGE,
      silent: true,
    },
    {
      name: 'never closes (headers, then silence)',
      chat: { kind: 'stall' },
      fim: { kind: 'socket', pieces: [head('application/json')], then: 'hang' },
      expect: MESSAGE,
      silent: true,
    },
    {
      name: 'never closes (part of the answer, then silence)',
      chat: { kind: 'socket', pieces: [head('text/event-stream'), sse(ANSWER_EVENTS.slice(0, 2))], then: 'hang' },
      fim: { kind: 'socket', pieces: [head('application/json'), '{"choices":[{"text":"The ans'], then: 'hang' },
      expect: MESSAGE,
      silent: true,
    },
    {
      name: 'an SSE stream for a non-streaming call (and the model list)',
      chat: { kind: 'raw', events: [...ANSWER_EVENTS, '[DONE]'] },
      fim: {
        kind: 'socket',
        pieces: [head('text/event-stream'), sse([JSON.stringify(FIM_JSON), '[DONE]'])],
        then: 'end',
      },
      models: { kind: 'socket', pieces: [head('text/event-stream'), sse(['{"data":[]}', '[DONE]'])], then: 'end' },
      expect: { chat: 'answer', fim: 'message' },
    },
    {
      name: 'plain JSON for a streaming call',
      chat: {
        kind: 'json',
        status: 200,
        body: {
          id: 'c',
          object: 'chat.completion',
          created: 0,
          model: 'm',
          choices: [{ index: 0, message: { role: 'assistant', content: ANSWER }, finish_reason: 'stop' }],
        },
      },
      fim: { kind: 'json', status: 200, body: FIM_JSON },
      expect: ANSWERED,
    },
    {
      name: 'lies about the window (the list says 1M, the server refuses at 32K)',
      chat: { kind: 'json', status: 400, body: CONTEXT_ERROR },
      fim: { kind: 'json', status: 400, body: CONTEXT_ERROR },
      models: {
        kind: 'json',
        status: 200,
        body: { object: 'list', data: [{ id: 'm', object: 'model', max_model_len: 1_048_576 }] },
      },
      expect: MESSAGE,
    },
  ];
}
