/**
 * How long to wait after a keystroke before asking the server. A request sent while the user
 * is still typing is wasted (the next keystroke cancels it), so the wait follows the user's own
 * rhythm: a pause longer than their usual gap between keys is the signal. A slow server makes
 * each wasted request cost more, so its latency lengthens the wait too. Both are moving averages.
 */

export interface DebounceOptions {
  readonly minMs: number;
  readonly maxMs: number;
  /** How much the wait exceeds the usual gap between keystrokes. */
  readonly gapFactor: number;
  /** The share of the server's usual latency added to the wait. */
  readonly latencyFactor: number;
}

export const DEFAULT_DEBOUNCE: DebounceOptions = { minMs: 60, maxMs: 400, gapFactor: 1.4, latencyFactor: 0.25 };

/** Gaps longer than this are pauses, not typing rhythm. */
const MAX_TYPING_GAP_MS = 1000;
/** Shorter gaps are the editor asking again for the same keystroke. */
const MIN_TYPING_GAP_MS = 10;
/** Before the first measured gap: a brisk typist's. */
const FIRST_GAP_MS = 100;
const WEIGHT = 0.2;

export class AdaptiveDebounce {
  private gap: number | undefined;
  private latency: number | undefined;
  private lastKey: number | undefined;

  constructor(private readonly options: DebounceOptions = DEFAULT_DEBOUNCE) {}

  /** A keystroke (a call for a completion) at `now`. */
  keystroke(now: number): void {
    if (this.lastKey !== undefined) {
      const gap = now - this.lastKey;
      if (gap >= MIN_TYPING_GAP_MS && gap <= MAX_TYPING_GAP_MS) this.gap = average(this.gap, gap);
    }
    this.lastKey = now;
  }

  /** A request the server answered in `ms`. */
  answered(ms: number): void {
    this.latency = average(this.latency, ms);
  }

  delayMs(): number {
    const { minMs, maxMs, gapFactor, latencyFactor } = this.options;
    const wanted = (this.gap ?? FIRST_GAP_MS) * gapFactor + (this.latency ?? 0) * latencyFactor;
    return Math.round(Math.min(maxMs, Math.max(minMs, wanted)));
  }

  get typingGapMs(): number | undefined {
    return this.gap;
  }

  get latencyMs(): number | undefined {
    return this.latency;
  }
}

function average(previous: number | undefined, sample: number): number {
  return previous === undefined ? sample : previous + (sample - previous) * WEIGHT;
}
