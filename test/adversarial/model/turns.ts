/**
 * Edit and command turns written in the stream shapes servers were recorded sending
 * (test/fixtures/streams/*.sse): where each server puts the call's id and name, how it splits the
 * arguments, its finish chunk, where its usage goes, its comment lines; or the call left in the
 * text as Qwen3-Coder XML or Hermes JSON. The turns themselves are data in
 * test/fixtures/adversarial/malformed-output/turns.json.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

type Json = Record<string, unknown>;

export interface TurnSpec {
  readonly dialect: Dialect;
  readonly text: string;
  readonly calls: readonly { readonly name: string; readonly args: Json }[];
}

export type Dialect =
  'vllm' | 'sglang' | 'openai' | 'openrouter' | 'llamacpp' | 'dashscope' | 'ollama' | 'xml' | 'hermes';

export const TURNS_FILE = resolve(__dirname, '..', '..', 'fixtures', 'adversarial', 'malformed-output', 'turns.json');

export function loadTurns(): TurnSpec[] {
  return JSON.parse(readFileSync(TURNS_FILE, 'utf8')) as TurnSpec[];
}

interface Envelope {
  readonly chunk: (delta: Json, finish: string | null) => Json;
  readonly usage: Json;
  readonly comments?: string;
}

const USAGE = { prompt_tokens: 1480, completion_tokens: 96, total_tokens: 1576 };

const ENVELOPES: Record<Dialect, Envelope> = {
  vllm: envelope(
    { id: 'chatcmpl-5b2e8f0a4c7d4f2a9e1b3c6d8a0f2e4b', model: 'Qwen/Qwen3-Coder-30B-A3B-Instruct' },
    { logprobs: null },
  ),
  sglang: envelope(
    { id: '6c1e4d2b9a8f4e7c8d3b2a1f0e9d8c7b', model: 'qwen3-coder' },
    { logprobs: null, matched_stop: null },
  ),
  openai: envelope(
    { id: 'chatcmpl-C3pLk8Qe2VbN7wXy1ZaR4tUs6Hd9', model: 'gpt-4.1-2025-04-14', usage: null },
    { logprobs: null },
  ),
  openrouter: envelope(
    { id: 'gen-1754988800-Q7nXk2LpV9sT4wRz', provider: 'Alibaba', model: 'qwen/qwen3-coder' },
    {
      native_finish_reason: null,
      logprobs: null,
    },
  ),
  llamacpp: envelope(
    { id: 'chatcmpl-Xq3TzW8rJb1mKp0LvN5sYc2DfG7hA9eU', model: 'qwen3-coder-30b-a3b-instruct-q4_k_m.gguf' },
    {},
  ),
  dashscope: envelope(
    { id: 'chatcmpl-9c3b5c59-6f0e-9d1b-8a7e-2f4a1c2b3d4e', model: 'qwen3-coder-plus', usage: null },
    {
      logprobs: null,
    },
  ),
  ollama: envelope({ id: 'chatcmpl-412', model: 'qwen3:30b', system_fingerprint: 'fp_ollama' }, {}),
  xml: envelope(
    { id: 'chatcmpl-7a7a7a7a7a7a4b4b8c8c9d9d0e0e1f1f', model: 'Qwen/Qwen3-Coder-480B-A35B-Instruct-FP8' },
    {},
  ),
  hermes: envelope({ id: 'chatcmpl-h2k9w1x7q3m5n8b4v6c0', model: 'qwen/qwen3-coder-30b' }, { logprobs: null }),
};
Object.assign(ENVELOPES.openrouter, { comments: ': OPENROUTER PROCESSING\n\n: OPENROUTER PROCESSING\n\n' });

function envelope(head: Json, choiceExtra: Json): Envelope {
  const base = { ...head, object: 'chat.completion.chunk', created: 1754988000 };
  return {
    chunk: (delta, finish) => ({ ...base, choices: [{ index: 0, delta, ...choiceExtra, finish_reason: finish }] }),
    usage: { ...base, choices: [], usage: USAGE },
  };
}

/** `text` in pieces of about `size` characters, as tokens arrive. */
function split(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out.length ? out : [''];
}

function callDeltas(dialect: Dialect, index: number, name: string, args: string): Json[] {
  const id = `call_${(index + 7).toString(16).repeat(12).slice(0, 24)}`;
  const pieces = split(args, 9);
  switch (dialect) {
    case 'ollama':
      return [
        {
          role: 'assistant',
          content: '',
          tool_calls: [{ id: '', index, type: 'function', function: { name, arguments: args } }],
        },
      ];
    case 'llamacpp':
    case 'dashscope': {
      const later = dialect === 'dashscope' ? { id: '', type: 'function' } : {};
      return pieces.map((piece, i) => ({
        tool_calls: [
          i === 0
            ? { index, id, type: 'function', function: { name, arguments: piece } }
            : { index, ...later, function: { arguments: piece } },
        ],
      }));
    }
    default:
      return [
        { tool_calls: [{ index, id, type: 'function', function: { name, arguments: '' } }] },
        ...pieces.map((piece) => ({ tool_calls: [{ index, function: { arguments: piece } }] })),
      ];
  }
}

function markup(dialect: 'xml' | 'hermes', name: string, args: Json): string {
  if (dialect === 'hermes') return `\n<tool_call>\n${JSON.stringify({ name, arguments: args })}\n</tool_call>`;
  const parameters = Object.entries(args)
    .map(
      ([key, value]) =>
        `<parameter=${key}>\n${typeof value === 'string' ? value : JSON.stringify(value)}\n</parameter>\n`,
    )
    .join('');
  return `\n<tool_call>\n<function=${name}>\n${parameters}</function>\n</tool_call>`;
}

/** The SSE body the server sends for `turn`. */
export function renderTurn(turn: TurnSpec): string {
  const env = ENVELOPES[turn.dialect];
  const chunks: Json[] = [env.chunk({ role: 'assistant', content: '' }, null)];
  const inText = turn.dialect === 'xml' || turn.dialect === 'hermes';
  let text = turn.text;
  if (inText) for (const call of turn.calls) text += markup(turn.dialect as 'xml' | 'hermes', call.name, call.args);
  for (const piece of split(text, 14)) chunks.push(env.chunk({ content: piece }, null));
  if (!inText)
    turn.calls.forEach((call, index) => {
      for (const delta of callDeltas(turn.dialect, index, call.name, JSON.stringify(call.args)))
        chunks.push(env.chunk(delta, null));
    });
  chunks.push(env.chunk({}, inText ? 'stop' : 'tool_calls'));
  chunks.push(env.usage);
  const events = chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('');
  return `${env.comments ?? ''}${events}data: [DONE]\n\n`;
}
