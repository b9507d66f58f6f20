/**
 * How many tokens the model on the other end can take, asked of the server itself
 * when it says so (each local server in its own way), else from a table of known
 * models, else from the user's setting. Every question has a short timeout and no
 * failure escapes: this runs beside a chat, never in front of it.
 */
import { isRecord } from './toolArguments';

export type ContextWindowSource = 'server' | 'known-model' | 'setting' | 'default';

export interface ContextWindow {
  readonly tokens: number;
  readonly source: ContextWindowSource;
  /** Where the number came from, in words (for logs and the "what is in the window" view). */
  readonly detail: string;
}

export interface DiscoverOptions {
  /** The user's setting, used when neither the server nor the table knows. */
  readonly fallback?: number;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** Used when nothing else is known: small enough to be safe on any current server. */
export const DEFAULT_CONTEXT_WINDOW = 32_768;

interface Found {
  readonly tokens: number;
  readonly detail: string;
  /** Lower wins: what the server runs with beats what the model was trained for. */
  readonly rank: number;
}

type Fetch = typeof fetch;

export async function discoverContextWindow(
  baseUrl: string,
  model: string,
  key: string,
  fetchImpl: Fetch = fetch,
  options: DiscoverOptions = {},
): Promise<ContextWindow> {
  const found = await askServer(baseUrl, model, key, fetchImpl, options).catch(() => undefined);
  if (found) return { tokens: found.tokens, source: 'server', detail: found.detail };
  const known = knownContextWindow(model);
  if (known) return { tokens: known.tokens, source: 'known-model', detail: known.detail };
  if (options.fallback && options.fallback > 0)
    return { tokens: options.fallback, source: 'setting', detail: 'qcoder.contextWindow setting' };
  return {
    tokens: DEFAULT_CONTEXT_WINDOW,
    source: 'default',
    detail: 'nothing known about this model: a safe default',
  };
}

async function askServer(
  baseUrl: string,
  model: string,
  key: string,
  fetchImpl: Fetch,
  options: DiscoverOptions,
): Promise<Found | undefined> {
  const base = baseUrl.replace(/\/+$/, '');
  let host: string;
  try {
    host = new URL(base).hostname;
  } catch {
    return undefined;
  }
  // Hosted APIs that publish no window: the table knows them better than a 404 would.
  if (/(^|\.)(dashscope(-intl)?\.aliyuncs\.com|api\.openai\.com)$/.test(host)) return undefined;
  const root = base.replace(/\/v1$/, '');
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 2000);
  const onAbort = () => controller.abort();
  options.signal?.addEventListener('abort', onAbort);
  const get = async (url: string, body?: unknown): Promise<unknown> => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (key) headers.authorization = `Bearer ${key}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetchImpl(url, {
      method: body === undefined ? 'GET' : 'POST',
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: controller.signal,
    });
    if (!response.ok) throw new Error(`${response.status}`);
    return response.json();
  };
  const probes: Array<Promise<Found | undefined>> = [fromModelsList(get, base, model)];
  if (!/(^|\.)openrouter\.ai$/.test(host)) {
    probes.push(fromLlamaCpp(get, root), fromOllama(get, root, model), fromLmStudio(get, root, model));
  }
  try {
    const results = await Promise.all(probes.map((probe) => probe.catch(() => undefined)));
    const answers = results.filter((result): result is Found => result !== undefined && result.tokens > 0);
    return answers.sort((a, b) => a.rank - b.rank)[0];
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

type Get = (url: string, body?: unknown) => Promise<unknown>;

const positive = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : undefined;

/** vLLM and SGLang: `max_model_len`; OpenRouter: `context_length`; both on GET /models. */
async function fromModelsList(get: Get, base: string, model: string): Promise<Found | undefined> {
  const body = await get(`${base}/models`);
  const data = isRecord(body) && Array.isArray(body.data) ? body.data.filter(isRecord) : [];
  const entry =
    data.find((item) => item.id === model) ??
    data.find((item) => typeof item.id === 'string' && item.id.toLowerCase() === model.toLowerCase());
  if (!entry) return undefined;
  const maxModelLen = positive(entry.max_model_len);
  if (maxModelLen) return { tokens: maxModelLen, detail: 'max_model_len from GET /models (vLLM, SGLang)', rank: 1 };
  const topProvider = isRecord(entry.top_provider) ? positive(entry.top_provider.context_length) : undefined;
  const contextLength = positive(entry.context_length) ?? topProvider;
  if (contextLength) return { tokens: contextLength, detail: 'context_length from GET /models (OpenRouter)', rank: 2 };
  return undefined;
}

/** llama.cpp's llama-server: GET /props, the slot's `n_ctx`. */
async function fromLlamaCpp(get: Get, root: string): Promise<Found | undefined> {
  const body = await get(`${root}/props`);
  if (!isRecord(body)) return undefined;
  const settings = isRecord(body.default_generation_settings) ? body.default_generation_settings : {};
  const tokens = positive(settings.n_ctx) ?? positive(body.n_ctx);
  return tokens ? { tokens, detail: 'n_ctx from GET /props (llama.cpp)', rank: 0 } : undefined;
}

/** Ollama: POST /api/show; `num_ctx` in the parameters when set, else the model's trained length. */
async function fromOllama(get: Get, root: string, model: string): Promise<Found | undefined> {
  const body = await get(`${root}/api/show`, { model, name: model });
  if (!isRecord(body)) return undefined;
  const parameters = typeof body.parameters === 'string' ? body.parameters : '';
  const numCtx = /^\s*num_ctx\s+(\d+)\s*$/m.exec(parameters)?.[1];
  if (numCtx && Number(numCtx) > 0)
    return { tokens: Number(numCtx), detail: 'num_ctx from POST /api/show (Ollama)', rank: 0 };
  const info = isRecord(body.model_info) ? body.model_info : {};
  const architecture = typeof info['general.architecture'] === 'string' ? info['general.architecture'] : '';
  const trained =
    positive(info[`${architecture}.context_length`]) ??
    positive(Object.entries(info).find(([name]) => name.endsWith('.context_length'))?.[1]);
  return trained
    ? {
        tokens: trained,
        detail:
          `${architecture || 'model'}.context_length from POST /api/show (Ollama; runs with less unless num_ctx ` +
          `or OLLAMA_CONTEXT_LENGTH is raised)`,
        rank: 3,
      }
    : undefined;
}

/** LM Studio: GET /api/v0/models; the loaded context length, else the model's maximum. */
async function fromLmStudio(get: Get, root: string, model: string): Promise<Found | undefined> {
  const body = await get(`${root}/api/v0/models`);
  const data = isRecord(body) && Array.isArray(body.data) ? body.data.filter(isRecord) : [];
  const entry =
    data.find((item) => item.id === model) ??
    data.find((item) => typeof item.id === 'string' && item.id.toLowerCase() === model.toLowerCase());
  if (!entry) return undefined;
  const loaded = positive(entry.loaded_context_length);
  if (loaded) return { tokens: loaded, detail: 'loaded_context_length from GET /api/v0/models (LM Studio)', rank: 0 };
  const max = positive(entry.max_context_length);
  return max ? { tokens: max, detail: 'max_context_length from GET /api/v0/models (LM Studio)', rank: 3 } : undefined;
}

interface KnownModel {
  readonly pattern: RegExp;
  readonly tokens: number;
  readonly detail: string;
}

/**
 * Windows of models people run with QCoder. Qwen3-Coder (480B-A35B, 30B-A3B, and
 * DashScope's qwen3-coder-plus / -flash built on them) is trained for 262,144 tokens;
 * DashScope serves plus/flash with up to 1M through YaRN extrapolation, but the budget
 * stays at the native window, where the model is at its best.
 */
const KNOWN_MODELS: readonly KnownModel[] = [
  { pattern: /qwen3-coder/i, tokens: 262_144, detail: 'Qwen3-Coder: 262,144 tokens native' },
  {
    pattern: /qwen3-(235b|30b)-a\d+b-(instruct|thinking)-2507/i,
    tokens: 262_144,
    detail: 'Qwen3 2507: 262,144 tokens native',
  },
  { pattern: /qwen2\.5-coder/i, tokens: 32_768, detail: 'Qwen2.5-Coder: 32,768 tokens without YaRN' },
  { pattern: /(^|\/)gpt-4\.1/i, tokens: 1_047_576, detail: 'GPT-4.1: 1,047,576 tokens' },
  { pattern: /(^|\/)gpt-4o/i, tokens: 128_000, detail: 'GPT-4o: 128,000 tokens' },
];

export function knownContextWindow(model: string): { tokens: number; detail: string } | undefined {
  const known = KNOWN_MODELS.find((entry) => entry.pattern.test(model));
  return known ? { tokens: known.tokens, detail: known.detail } : undefined;
}
