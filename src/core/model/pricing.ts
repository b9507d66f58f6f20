/**
 * What a request costs: a price table per provider and model (the user's entries in
 * `qcoder.pricing` first, then the built-in ones), tiered by the request's input size
 * as DashScope bills it (the whole request at the rate of the tier its input falls in),
 * and nothing for a server on this machine unless an entry names its
 * host (a local proxy). Estimates only: the provider's bill decides.
 */
import { isLoopback } from './endpoint';

export interface PriceTier {
  /** The tier holds requests of at most this many input tokens (the last tier takes any larger ones). */
  readonly upTo: number;
  /** Per million input tokens. */
  readonly input: number;
  /** Per million output tokens. */
  readonly output: number;
}

export interface PriceEntry {
  /** The model name, or a prefix ending in `*` (`qwen3-coder-plus*`). */
  readonly model: string;
  /** The server's host name; any host when left out. */
  readonly host?: string;
  /** ISO code (`CNY`, `USD`, …). */
  readonly currency: string;
  /** Smallest first. */
  readonly tiers: readonly PriceTier[];
}

export type Price = { readonly kind: 'free' } | { readonly kind: 'priced'; readonly entry: PriceEntry } | undefined;

const K = 1024;
/**
 * DashScope (Model Studio, China/Beijing region), CNY: qwen3-coder-plus 0.004 / 0.016 per thousand input / output
 * tokens up to 32K input, 0.006 / 0.024 to 128K, 0.01 / 0.04 to 256K, 0.02 / 0.2 to 1M; qwen3-coder-flash
 * 0.001 / 0.004, 0.0015 / 0.006, 0.0025 / 0.01, 0.005 / 0.025 —
 * https://help.aliyun.com/zh/model-studio/user-guide/qwen-coder (read 2026-11). The
 * international endpoint bills in USD at other rates: add those in `qcoder.pricing`.
 */
export const BUILTIN_PRICES: readonly PriceEntry[] = [
  {
    model: 'qwen3-coder-plus*',
    host: 'dashscope.aliyuncs.com',
    currency: 'CNY',
    tiers: [
      { upTo: 32 * K, input: 4, output: 16 },
      { upTo: 128 * K, input: 6, output: 24 },
      { upTo: 256 * K, input: 10, output: 40 },
      { upTo: 1000 * K, input: 20, output: 200 },
    ],
  },
  {
    model: 'qwen3-coder-flash*',
    host: 'dashscope.aliyuncs.com',
    currency: 'CNY',
    tiers: [
      { upTo: 32 * K, input: 1, output: 4 },
      { upTo: 128 * K, input: 1.5, output: 6 },
      { upTo: 256 * K, input: 2.5, output: 10 },
      { upTo: 1000 * K, input: 5, output: 25 },
    ],
  },
];

/**
 * The price of `model` at `baseUrl`: the first entry that matches (an entry without a host matches any server but
 * one on this machine); else free on this machine (an entry naming that host prices a local proxy); else unknown.
 */
export function priceFor(table: readonly PriceEntry[], model: string, baseUrl: string): Price {
  const local = isLoopback(baseUrl);
  const host = hostOf(baseUrl);
  const entry = table.find(
    (candidate) =>
      modelMatches(candidate.model, model) && (candidate.host ? candidate.host.toLowerCase() === host : !local),
  );
  if (entry) return { kind: 'priced', entry };
  return local ? { kind: 'free' } : undefined;
}

/** The tier a request of `inputTokens` is billed at. */
export function tierFor(entry: PriceEntry, inputTokens: number): PriceTier {
  return entry.tiers.find((tier) => inputTokens <= tier.upTo) ?? entry.tiers[entry.tiers.length - 1];
}

/** One request's cost in the entry's currency. */
export function requestCost(entry: PriceEntry, inputTokens: number, outputTokens = 0): number {
  const tier = tierFor(entry, inputTokens);
  return (inputTokens * tier.input + outputTokens * tier.output) / 1_000_000;
}

const SYMBOLS: Readonly<Record<string, string>> = { CNY: '¥', USD: '$', EUR: '€', GBP: '£', JPY: '¥' };

/** `¥0.094`, `$1.20`, `0.0031 CHF`: two decimals from a unit up, else two significant digits. */
export function formatCost(amount: number, currency: string): string {
  const digits = amount >= 1 || amount === 0 ? 2 : Math.min(6, 1 - Math.floor(Math.log10(amount)));
  const value = amount.toFixed(digits);
  const symbol = SYMBOLS[currency.toUpperCase()];
  return symbol ? `${symbol}${value}` : `${value} ${currency}`;
}

/** The user's `qcoder.pricing` entries, each checked; what is wrong is said, in words, and the entry skipped. */
export function parsePrices(raw: unknown): { entries: PriceEntry[]; problems: string[] } {
  const entries: PriceEntry[] = [];
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { entries, problems };
  if (!Array.isArray(raw)) return { entries, problems: ['qcoder.pricing must be a list of price entries.'] };
  raw.forEach((value: unknown, i) => {
    const problem = entryProblem(value);
    if (problem) problems.push(`qcoder.pricing entry ${i + 1}: ${problem}`);
    else entries.push(value as PriceEntry);
  });
  return { entries, problems };
}

function entryProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const entry = value as Record<string, unknown>;
  if (typeof entry.model !== 'string' || !entry.model) return 'needs a "model" (a name, or a prefix ending in *)';
  if (entry.host !== undefined && typeof entry.host !== 'string') return '"host" must be a host name';
  if (typeof entry.currency !== 'string' || !entry.currency) return 'needs a "currency" such as "USD"';
  if (!Array.isArray(entry.tiers) || !entry.tiers.length) return 'needs "tiers": [{ "upTo", "input", "output" }]';
  let previous = 0;
  for (const tier of entry.tiers as unknown[]) {
    const { upTo, input, output } = (tier ?? {}) as Record<string, unknown>;
    if (![upTo, input, output].every((n) => typeof n === 'number' && Number.isFinite(n) && n >= 0))
      return 'each tier needs "upTo", "input" and "output" as numbers of zero or more (prices per million tokens)';
    if ((upTo as number) <= previous) return 'tiers must go from the smallest "upTo" to the largest';
    previous = upTo as number;
  }
  return undefined;
}

function modelMatches(pattern: string, model: string): boolean {
  const wanted = pattern.toLowerCase();
  const name = model.toLowerCase();
  return wanted.endsWith('*') ? name.startsWith(wanted.slice(0, -1)) : name === wanted;
}

function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).hostname.toLowerCase();
  } catch {
    return '';
  }
}
