/**
 * The model's window, discovered once per endpoint and model (the server's own answer
 * where it gives one, else the known-model table) and cached. The question has a short
 * timeout and no failure escapes: a chat never waits long on it and never fails by it.
 */
import {
  type ContextWindow,
  DEFAULT_CONTEXT_WINDOW,
  discoverContextWindow,
  knownContextWindow,
} from '../../core/model/contextWindow';
import type { ApiKeys } from '../apiKeys';

const TIMEOUT_MS = 1500;

export class ContextWindows {
  private readonly found = new Map<string, Promise<ContextWindow>>();

  constructor(
    private readonly keys: Pick<ApiKeys, 'get'>,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  get(baseUrl: string, model: string): Promise<ContextWindow> {
    const key = `${baseUrl}\n${model}`;
    let window = this.found.get(key);
    if (!window) {
      window = this.discover(baseUrl, model);
      this.found.set(key, window);
    }
    return window;
  }

  private async discover(baseUrl: string, model: string): Promise<ContextWindow> {
    try {
      const { key } = await this.keys.get();
      const window = await discoverContextWindow(baseUrl, model, key ?? '', fetch, { timeoutMs: TIMEOUT_MS });
      this.log(`context window of ${model}: ${window.tokens} tokens (${window.detail})`);
      return window;
    } catch (error) {
      const known = knownContextWindow(model);
      this.log(`context window of ${model} not discovered: ${String(error)}`);
      return known
        ? { ...known, source: 'known-model' }
        : { tokens: DEFAULT_CONTEXT_WINDOW, source: 'default', detail: 'a safe default' };
    }
  }
}
