/**
 * Up/Down in the input: earlier prompts, newest first, as a shell recalls commands. What the
 * user was typing is kept and comes back below the newest entry. Pure (no DOM), so it is unit tested.
 */
export class PromptHistory {
  private entries: string[] = [];
  /** entries.length: not browsing; else the index shown. */
  private position = 0;
  private draft = '';

  /** The prompts of the session, oldest first (a session switch replaces them). */
  reset(prompts: readonly string[]): void {
    this.entries = dedupe(prompts.filter((prompt) => prompt.trim()));
    this.position = this.entries.length;
  }

  /** A prompt was just sent. */
  add(prompt: string): void {
    if (prompt.trim()) this.entries = dedupe([...this.entries, prompt]);
    this.position = this.entries.length;
  }

  /** The prompt before the one shown (Up); undefined at the oldest. `current` is the input's text. */
  previous(current: string): string | undefined {
    if (this.position === 0) return undefined;
    if (this.position === this.entries.length) this.draft = current;
    this.position--;
    return this.entries[this.position];
  }

  /** The prompt after the one shown (Down); past the newest, the draft; undefined when not browsing. */
  next(): string | undefined {
    if (this.position >= this.entries.length) return undefined;
    this.position++;
    return this.position === this.entries.length ? this.draft : this.entries[this.position];
  }

  /** The user typed: the next Up starts from the newest again. */
  edited(): void {
    this.position = this.entries.length;
  }
}

/** Later repeats win: sending the same prompt twice keeps one entry, at its latest place. */
function dedupe(prompts: readonly string[]): string[] {
  const seen = new Set<string>();
  const kept: string[] = [];
  for (let index = prompts.length - 1; index >= 0; index--) {
    if (seen.has(prompts[index])) continue;
    seen.add(prompts[index]);
    kept.unshift(prompts[index]);
  }
  return kept;
}

/** True when the caret (no selection) is on the first line of `text`. */
export function onFirstLine(text: string, start: number, end: number): boolean {
  return start === end && !text.slice(0, start).includes('\n');
}

/** True when the caret (no selection) is on the last line of `text`. */
export function onLastLine(text: string, start: number, end: number): boolean {
  return start === end && !text.slice(end).includes('\n');
}
