import type { KeyValueStore } from '../../src/core/session/session';

/** An in-memory `KeyValueStore` that round-trips values through JSON, as VS Code's Memento does. */
export class MemoryStore implements KeyValueStore {
  readonly data = new Map<string, string>();
  get<T>(key: string): T | undefined {
    const raw = this.data.get(key);
    return raw === undefined ? undefined : (JSON.parse(raw) as T);
  }
  async update(key: string, value: unknown): Promise<void> {
    this.data.set(key, JSON.stringify(value));
  }
}
