/**
 * What does the transport cost over reading the bytes? A 100K-token answer (100,000 small
 * content deltas plus two tool calls streamed in 400 argument pieces each, vLLM's wire
 * format) is served from memory by a local HTTP server, then read per round:
 *   raw   fetch + UTF-8 decode + counting SSE events: the floor, no JSON;
 *   json  the same, plus JSON.parse of every `data:` line (what any client must do);
 *   full  ModelClient.stream: the `openai` package's SSE parsing, tool-call assembly,
 *         markup filter, events and the final ModelTurn.
 * Prints the medians and the ratios against the raw read. No goal: a model writes 100K
 * tokens in ~20 minutes, so this is never the bottleneck; the number is here to be seen.
 * Most of the cost is the SDK's SSE splitting (openai 6.x `iterSSEChunks` copies the rest
 * of a network read for every event), largest when one read carries hundreds of events,
 * as here (64 KiB writes); a live model's reads carry a few.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ModelClient } from '../src/core/model/client';

const DELTAS = 100_000;
const ARGUMENT_PIECES = 400;
const ROUNDS = 5;

function makeStream(): Buffer {
  const head =
    '{"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1754988000,"model":"Qwen/Qwen3-Coder-30B-A3B-Instruct","choices":[{"index":0,"delta":';
  const tail = ',"logprobs":null,"finish_reason":null}]}';
  const words = [
    'the',
    ' function',
    ' returns',
    ' a',
    ' value',
    '.\n',
    ' const',
    ' x',
    ' =',
    ' 42;',
    ' "q"',
    ' é',
    ' 漢字',
  ];
  const lines: string[] = [`data: ${head}{"role":"assistant","content":""}${tail}\n\n`];
  for (let i = 0; i < DELTAS; i++)
    lines.push(`data: ${head}${JSON.stringify({ content: words[i % words.length] })}${tail}\n\n`);
  for (let call = 0; call < 2; call++) {
    lines.push(
      `data: ${head}{"tool_calls":[{"id":"call_${call}","type":"function","index":${call},"function":{"name":"write_file","arguments":""}}]}${tail}\n\n`,
    );
    lines.push(
      `data: ${head}{"tool_calls":[{"index":${call},"function":{"arguments":"{\\"path\\": \\"out${call}.txt\\", \\"content\\": \\""}}]}${tail}\n\n`,
    );
    for (let i = 0; i < ARGUMENT_PIECES; i++)
      lines.push(
        `data: ${head}{"tool_calls":[{"index":${call},"function":{"arguments":"line ${i}\\\\n"}}]}${tail}\n\n`,
      );
    lines.push(`data: ${head}{"tool_calls":[{"index":${call},"function":{"arguments":"\\"}"}}]}${tail}\n\n`);
  }
  lines.push(`data: ${head}{"content":""},"logprobs":null,"finish_reason":"tool_calls"}]}\n\n`);
  lines.push(
    'data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1754988000,"model":"m","choices":[],"usage":{"prompt_tokens":10,"completion_tokens":100000,"total_tokens":100010}}\n\n',
  );
  lines.push('data: [DONE]\n\n');
  return Buffer.from(lines.join(''), 'utf8');
}

async function serve(body: Buffer): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (let i = 0; i < body.length; i += 65_536) res.write(body.subarray(i, i + 65_536));
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Reads the body as text and hands each complete event to `onEvent`. */
async function read(url: string, onEvent: (event: string) => void): Promise<void> {
  const response = await fetch(`${url}/chat/completions`, { method: 'POST', body: '{}' });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let start = 0;
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n', start)) {
      onEvent(buffer.slice(start, end));
      start = end + 2;
    }
    buffer = buffer.slice(start);
  }
}

async function raw(url: string): Promise<void> {
  let events = 0;
  await read(url, () => {
    events++;
  });
  if (events < DELTAS) throw new Error(`raw read saw ${events} events`);
}

async function json(url: string): Promise<void> {
  let parsed = 0;
  await read(url, (event) => {
    const data = event.slice(6);
    if (data !== '[DONE]') parsed += JSON.parse(data) ? 1 : 0;
  });
  if (parsed < DELTAS) throw new Error(`parsed ${parsed} events`);
}

async function full(client: ModelClient): Promise<void> {
  let calls = 0;
  for await (const event of client.stream([{ role: 'user', content: 'go' }], new AbortController().signal)) {
    if (event.type === 'turn') calls = event.turn.toolCalls.filter((call) => !call.parseError).length;
  }
  if (calls !== 2) throw new Error(`expected 2 tool calls, got ${calls}`);
}

async function time(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const body = makeStream();
  const server = await serve(body);
  const client = new ModelClient({ baseUrl: server.url, model: 'bench', apiKey: '' });
  try {
    for (let i = 0; i < 2; i++) {
      await raw(server.url);
      await json(server.url);
      await full(client);
    } // warm-up
    const times = { raw: [] as number[], json: [] as number[], full: [] as number[] };
    for (let i = 0; i < ROUNDS; i++) {
      times.raw.push(await time(() => raw(server.url)));
      times.json.push(await time(() => json(server.url)));
      times.full.push(await time(() => full(client)));
    }
    const [rawMs, jsonMs, fullMs] = [median(times.raw), median(times.json), median(times.full)];
    console.log(
      `stream of ${DELTAS.toLocaleString('en')} content deltas + 2 tool calls (${(body.length / 1e6).toFixed(1)} MB), median of ${ROUNDS}`,
    );
    console.log(`  raw read (fetch + decode + event split): ${rawMs.toFixed(1)} ms`);
    console.log(`  raw read + JSON.parse per event:         ${jsonMs.toFixed(1)} ms (${(jsonMs / rawMs).toFixed(2)}x)`);
    console.log(`  ModelClient.stream on openai:            ${fullMs.toFixed(1)} ms (${(fullMs / rawMs).toFixed(2)}x)`);
    console.log(
      `  transport overhead: ${(fullMs / rawMs).toFixed(2)}x the raw read, ${(((fullMs - rawMs) / DELTAS) * 1000).toFixed(1)} µs per delta (no goal)`,
    );
  } finally {
    await server.close();
  }
}

void main();
