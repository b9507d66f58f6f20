/**
 * Completions by the text around the cursor, least recently used dropped first. A lookup
 * also finds a completion whose start the user has since typed: with `urn x;` cached after
 * `ret`, typing `u` finds `rn x;`. So typing what a suggestion predicted sends no request.
 */

/** Characters of prefix and suffix that identify a position (the rest of a big file does not matter here). */
const PREFIX_KEY = 2000;
const SUFFIX_KEY = 400;

interface Entry {
  readonly document: string;
  readonly prefix: string;
  readonly suffix: string;
  readonly text: string;
}

export class CompletionCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly capacity = 64) {}

  put(document: string, prefix: string, suffix: string, text: string): void {
    const entry = { document, prefix: prefix.slice(-PREFIX_KEY), suffix: suffix.slice(0, SUFFIX_KEY), text };
    const key = keyOf(entry);
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  /** What is left to show at this position: an exact hit, or the rest of a completion partly typed. */
  get(document: string, prefix: string, suffix: string): string | undefined {
    const head = suffix.slice(0, SUFFIX_KEY);
    const exact = this.entries.get(keyOf({ document, prefix: prefix.slice(-PREFIX_KEY), suffix: head }));
    if (exact) return this.touch(exact, exact.text);
    for (const entry of [...this.entries.values()].reverse()) {
      if (entry.document !== document || entry.suffix !== head) continue;
      const rest = remainder(entry, prefix);
      if (rest) return this.touch(entry, rest);
    }
    return undefined;
  }

  clear(): void {
    this.entries.clear();
  }

  private touch(entry: Entry, text: string): string {
    const key = keyOf(entry);
    this.entries.delete(key);
    this.entries.set(key, entry);
    return text;
  }
}

function keyOf(entry: Omit<Entry, 'text'>): string {
  return `${entry.document}\u0000${entry.prefix}\u0000${entry.suffix}`;
}

/** The part of `entry.text` not yet typed, when `prefix` is the entry's prefix plus a start of its text. */
function remainder(entry: Entry, prefix: string): string | undefined {
  for (let typed = Math.min(entry.text.length - 1, prefix.length); typed > 0; typed--) {
    if (!prefix.endsWith(entry.text.slice(0, typed))) continue;
    if (prefix.slice(0, prefix.length - typed).endsWith(entry.prefix)) return entry.text.slice(typed);
  }
  return undefined;
}
