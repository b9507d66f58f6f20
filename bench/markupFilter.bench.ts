/**
 * A real model writing a big file through Qwen-XML tool-call text (a server without the
 * qwen3_coder parser): 1 MiB of `write_file` content inside `<tool_call>…</tool_call>`,
 * pushed through MarkupFilter in one piece and in 16-character pieces, as a stream
 * delivers it. The streamed time is reported against the one-piece time measured in the
 * same run. Goal: ≤ 2× (a filter that re-scans what it holds is quadratic: ~47 s here).
 */
import { MarkupFilter, type MarkupSink } from '../src/core/model/markupFilter';
import type { MarkupCall } from '../src/core/model/qwenToolCalls';

const CONTENT_BYTES = 1 << 20;
const PIECE = 16;
const ROUNDS = 9;

/** TypeScript-looking lines, `<` and `>` included, until `bytes` characters. */
function fileContent(bytes: number): string {
  const lines = [
    'export function pick<T>(items: Array<T>, n: number): T[] {',
    '  if (n < 0 || items.length < n) throw new RangeError(`bad n: ${n}`);',
    '  return items.filter((_, i) => i % 2 === 0 && i <= n);',
    '}',
    'const html = "<div class=\\"row\\"><span>x</span></div>";',
    '',
  ];
  const out: string[] = [];
  let length = 0;
  for (let i = 0; length < bytes; i++) {
    const line = `${lines[i % lines.length]}\n`;
    out.push(line);
    length += line.length;
  }
  return out.join('').slice(0, bytes);
}

function toolCallText(content: string): string {
  return (
    'I will write the file now.\n<tool_call>\n<function=write_file>\n<parameter=path>\nsrc/big.ts\n</parameter>\n' +
    `<parameter=content>\n${content}\n</parameter>\n</function>\n</tool_call>`
  );
}

function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

function run(input: readonly string[], expected: string): number {
  const calls: MarkupCall[] = [];
  const sink: MarkupSink = { reasoning: () => undefined, call: (call) => calls.push(call) };
  const started = performance.now();
  const filter = new MarkupFilter();
  for (const piece of input) filter.push(piece, sink);
  filter.end(sink);
  const elapsed = performance.now() - started;
  if (
    calls.length !== 1 ||
    calls[0].arguments.content !== expected ||
    filter.pieces.join('') !== 'I will write the file now.\n'
  )
    throw new Error('the filter did not yield the one write_file call');
  return elapsed;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function main(): void {
  const content = fileContent(CONTENT_BYTES);
  const text = toolCallText(content);
  const whole = [text];
  const streamed = pieces(text, PIECE);
  for (let i = 0; i < 3; i++) {
    run(whole, content);
    run(streamed, content);
  } // warm-up
  const wholeTimes: number[] = [];
  const streamedTimes: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    wholeTimes.push(run(whole, content));
    streamedTimes.push(run(streamed, content));
  }
  // The fastest run of each is the least disturbed by other work on the machine; the medians are shown too.
  const one = Math.min(...wholeTimes);
  const many = Math.min(...streamedTimes);
  const ratio = many / one;
  console.log(`MarkupFilter, 1 MiB Qwen-XML write_file call, best (median) of ${ROUNDS}`);
  console.log(`  one piece:                       ${one.toFixed(1)} ms (${median(wholeTimes).toFixed(1)})`);
  console.log(
    `  ${streamed.length.toLocaleString('en')} pieces of ${PIECE} characters: ${many.toFixed(1)} ms (${median(streamedTimes).toFixed(1)})`,
  );
  console.log(
    `  ratio: ${ratio.toFixed(2)}x (medians ${(median(streamedTimes) / median(wholeTimes)).toFixed(2)}x)  [goal ≤ 2x] ${ratio <= 2 ? '✓' : '✗'}`,
  );
  if (ratio > 2) process.exitCode = 1;
}

main();
