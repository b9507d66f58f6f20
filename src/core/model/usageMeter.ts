/** Counts the tokens the model reported, for the status bar (one meter per window session). */
import type { IDisposable } from '../util/lifecycle';
import type { Usage } from './types';

export interface UsageTotals {
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly requests: number;
}

export class UsageMeter {
  private current: UsageTotals = { promptTokens: 0, completionTokens: 0, requests: 0 };
  private readonly listeners = new Set<(totals: UsageTotals) => void>();

  get totals(): UsageTotals {
    return this.current;
  }

  record(usage: Usage): void {
    this.current = {
      promptTokens: this.current.promptTokens + usage.promptTokens,
      completionTokens: this.current.completionTokens + usage.completionTokens,
      requests: this.current.requests + 1,
    };
    for (const listener of [...this.listeners]) listener(this.current);
  }

  onDidChange(listener: (totals: UsageTotals) => void): IDisposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
}

/** 950 → "950", 12_345 → "12.3K", 1_250_000 → "1.25M". */
export function formatTokens(count: number): string {
  if (count < 1000) return String(count);
  if (count < 999_500) return `${(count / 1000).toFixed(count < 10_000 ? 1 : 0).replace(/\.0$/, '')}K`;
  return `${(count / 1_000_000).toFixed(2).replace(/\.?0+$/, '')}M`;
}
