/**
 * The session's running cost: each request the usage meter records is priced at the
 * endpoint in use when its usage arrived (tiered by that request's own input), and
 * added up per currency. Requests to a server on this machine are free; requests no
 * price entry matches are counted apart, so a total never hides what it does not know.
 */
import type { IDisposable } from '../util/lifecycle';
import { type Price, type PriceEntry, formatCost, requestCost, tierFor } from './pricing';
import type { UsageMeter, UsageTotals } from './usageMeter';

export interface RequestCost {
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** Undefined when the request was free or not priced. */
  readonly amount?: number;
  readonly currency?: string;
  readonly free: boolean;
}

export class CostMeter implements IDisposable {
  private readonly spent = new Map<string, number>();
  private seen: UsageTotals = { promptTokens: 0, completionTokens: 0, requests: 0 };
  private unpriced = 0;
  private lastRequest: RequestCost | undefined;
  private readonly subscription: IDisposable;

  /** Register before anything that reads the totals on the usage meter's change: listeners run in order. */
  constructor(
    usage: UsageMeter,
    private readonly priceNow: () => Price,
  ) {
    this.seen = usage.totals;
    this.subscription = usage.onDidChange((totals) => this.observe(totals));
  }

  get last(): RequestCost | undefined {
    return this.lastRequest;
  }

  /** `¥0.42`, `¥0.42 + $0.10`, `free`, with `(n requests not priced)` when some were not. */
  describeSession(): string {
    const parts = [...this.spent].map(([currency, amount]) => formatCost(amount, currency));
    const known = parts.length ? parts.join(' + ') : this.unpriced ? '' : 'free';
    const unknown = this.unpriced ? `${this.unpriced} request${this.unpriced === 1 ? '' : 's'} not priced` : '';
    return known && unknown ? `${known} (${unknown})` : known || unknown;
  }

  /** Spent so far in each currency. */
  get totals(): ReadonlyMap<string, number> {
    return this.spent;
  }

  dispose(): void {
    this.subscription.dispose();
  }

  private observe(totals: UsageTotals): void {
    const promptTokens = totals.promptTokens - this.seen.promptTokens;
    const completionTokens = totals.completionTokens - this.seen.completionTokens;
    this.seen = totals;
    const price = this.priceNow();
    if (price?.kind === 'priced') {
      const amount = requestCost(price.entry, promptTokens, completionTokens);
      const { currency } = price.entry;
      this.spent.set(currency, (this.spent.get(currency) ?? 0) + amount);
      this.lastRequest = { promptTokens, completionTokens, amount, currency, free: false };
      return;
    }
    if (!price) this.unpriced++;
    this.lastRequest = { promptTokens, completionTokens, free: price?.kind === 'free' };
  }
}

/** The ledger's line for a request about to go out: its input's estimated cost and the tier it falls in. */
export function describeInputCost(price: Price, inputTokens: number): string {
  if (!price) return 'no price known for this model and server (add one in qcoder.pricing)';
  if (price.kind === 'free') return 'free: the server runs on this machine';
  const { entry } = price;
  return (
    `≈ ${formatCost(requestCost(entry, inputTokens), entry.currency)} for its input ` +
    `(${tierText(entry, inputTokens)})`
  );
}

function tierText(entry: PriceEntry, inputTokens: number): string {
  const tier = tierFor(entry, inputTokens);
  const index = entry.tiers.indexOf(tier);
  const from = index > 0 ? entry.tiers[index - 1].upTo : 0;
  const k = (tokens: number) => `${Math.round(tokens / 1024)}K`;
  return `the ${k(from)}–${k(tier.upTo)} input tier, ${formatCost(tier.input, entry.currency)} per million tokens`;
}
