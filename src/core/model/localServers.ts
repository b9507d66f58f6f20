/**
 * Model servers already answering on this machine: each known server's default loopback
 * port is asked for its models (OpenAI's `GET /v1/models`; Ollama's own `GET /api/tags`),
 * with a short timeout, so a person who runs a local model can use it with one click.
 * Only 127.0.0.1 is asked, never another host.
 */

/** A server kind, the preset it maps to (`presets.ts`) and the port it listens on by default. */
export interface LocalServerKind {
  readonly preset: string;
  readonly label: string;
  readonly port: number;
  /** How the server lists its models. */
  readonly listing: 'openai' | 'ollama';
}

export const LOCAL_SERVER_KINDS: readonly LocalServerKind[] = [
  { preset: 'ollama', label: 'Ollama', port: 11434, listing: 'ollama' },
  { preset: 'lmstudio', label: 'LM Studio', port: 1234, listing: 'openai' },
  { preset: 'llamacpp', label: 'llama.cpp server', port: 8080, listing: 'openai' },
  { preset: 'vllm', label: 'vLLM', port: 8000, listing: 'openai' },
  { preset: 'sglang', label: 'SGLang', port: 30000, listing: 'openai' },
];

/** A server that answered, with the models it serves. */
export interface LocalServer {
  readonly preset: string;
  readonly label: string;
  /** The OpenAI-compatible base URL (ends in /v1). */
  readonly baseUrl: string;
  readonly models: readonly string[];
}

export interface DiscoveryOptions {
  /** Which servers to ask (tests inject ports of servers they started). */
  readonly kinds?: readonly LocalServerKind[];
  /** Per request; a closed port answers at once, a hung one is given up on. */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

const MAX_MODELS = 20;

/** The servers among `kinds` that answer with at least one model, in the order of `kinds`. */
export async function discoverLocalServers(options: DiscoveryOptions = {}): Promise<LocalServer[]> {
  const kinds = options.kinds ?? LOCAL_SERVER_KINDS;
  const found = await Promise.all(kinds.map((kind) => probe(kind, options)));
  return found.filter((server): server is LocalServer => server !== undefined);
}

async function probe(kind: LocalServerKind, options: DiscoveryOptions): Promise<LocalServer | undefined> {
  const origin = `http://127.0.0.1:${kind.port}`;
  const path = kind.listing === 'ollama' ? '/api/tags' : '/v1/models';
  try {
    const response = await (options.fetch ?? fetch)(origin + path, {
      signal: AbortSignal.timeout(options.timeoutMs ?? 800),
      headers: { accept: 'application/json' },
    });
    if (!response.ok) return undefined;
    const models = modelNames(await response.json(), kind.listing);
    if (models.length === 0) return undefined;
    return { preset: kind.preset, label: kind.label, baseUrl: `${origin}/v1`, models };
  } catch {
    // Nothing listens there, or something that is not a model server: not offered.
    return undefined;
  }
}

/** The model ids in a listing (`{data:[{id}]}` or Ollama's `{models:[{name}]}`), without duplicates. */
export function modelNames(body: unknown, listing: LocalServerKind['listing']): string[] {
  if (typeof body !== 'object' || body === null) return [];
  const items = (body as Record<string, unknown>)[listing === 'ollama' ? 'models' : 'data'];
  if (!Array.isArray(items)) return [];
  const names = items
    .map((item: unknown) => {
      if (typeof item !== 'object' || item === null) return undefined;
      const record = item as Record<string, unknown>;
      const name = listing === 'ollama' ? (record.name ?? record.model) : record.id;
      return typeof name === 'string' && name.trim() ? name.trim() : undefined;
    })
    .filter((name): name is string => name !== undefined);
  return [...new Set(names)].slice(0, MAX_MODELS);
}
