/**
 * Packs the prompt: measures system prompt and tools, places pinned items, compacts
 * the history into its share, then fills what is left, up to the retrieved budget,
 * with ranked candidates, whole or as outline + relevant ranges (see fit.ts). Counts are the
 * tokenizer's, so the sum it reports is what the server will see (with an estimating
 * counter, an upper bound), and it never exceeds the window less the answer's reserve.
 */
import type { WorkspaceIndex } from '../files/workspaceIndex';
import type { Ranking } from '../rank/rank';
import type { TokenCounter } from '../tokens/tokenCounter';
import type { LedgerItem, Share } from '../types';
import {
  type BudgetOptions,
  type BudgetPlan,
  MESSAGE_OVERHEAD,
  REPLY_PRIMER,
  TOOLS_OVERHEAD,
  planBudget,
} from './budget';
import {
  type CompactionReport,
  type HistoryMessage,
  type Summariser,
  compactHistory,
  historyTokens,
} from './compaction';
import { ItemFitter, type SymbolProvider } from './fit';

export interface PackInput {
  readonly counter: TokenCounter;
  readonly index: WorkspaceIndex;
  readonly ranking: Ranking;
  readonly system: string;
  /** Tool schemas as sent to the server. */
  readonly tools?: readonly unknown[];
  /** The conversation so far, ending with the user's new message. */
  readonly history?: readonly HistoryMessage[];
  readonly budget?: BudgetOptions;
  readonly summarise?: Summariser;
  /** The host's document symbols for pinned files that enter as an outline. */
  readonly symbols?: SymbolProvider;
  readonly signal?: AbortSignal;
}

export interface ShareTotal {
  /** Most this share could use. */
  readonly cap: number;
  readonly used: number;
}

export interface PackedContext {
  readonly plan: BudgetPlan;
  readonly counter: { readonly name: string; readonly exact: boolean };
  readonly totals: Readonly<Record<Share, ShareTotal>>;
  /** Prompt tokens in all, chat-template overhead included. */
  readonly used: number;
  /** Pinned items as one message's text (empty when none). */
  readonly pinnedText: string;
  /** Retrieved items as one message's text (empty when none). */
  readonly retrievedText: string;
  readonly history: readonly HistoryMessage[];
  readonly compaction?: CompactionReport;
  /** Included items in prompt order, then the dropped ones. */
  readonly items: readonly LedgerItem[];
  readonly ms: number;
}

export async function packContext(input: PackInput): Promise<PackedContext> {
  const started = performance.now();
  const { counter } = input;
  const system = counter.count(input.system) + MESSAGE_OVERHEAD;
  const tools = input.tools?.length ? counter.count(JSON.stringify(input.tools)) + TOOLS_OVERHEAD : 0;
  const plan = planBudget(input.budget ?? {}, { system, tools }, counter.exact);
  const fitter = new ItemFitter(counter, input.index, input.symbols);

  const pinned = await fitter.fill(input.ranking.pinned, plan.caps.pinned - MESSAGE_OVERHEAD, 'pinned', input.signal);
  const pinnedUsed = pinned.included.length ? pinned.tokens + MESSAGE_OVERHEAD : 0;

  let history = [...(input.history ?? [])];
  let historyUsed = historyTokens(counter, history);
  let compaction: CompactionReport | undefined;
  if (historyUsed > plan.caps.history) {
    const compacted = await compactHistory(history, {
      counter,
      budget: plan.caps.history,
      summarise: input.summarise,
      readFiles: (paths) => fitter.readFiles(paths),
      signal: input.signal,
    });
    history = compacted.messages;
    historyUsed = compacted.tokens;
    compaction = compacted.report;
  }

  const left = Math.min(plan.caps.retrieved - pinnedUsed - historyUsed, input.budget?.retrieved ?? Infinity);
  const retrievedCap = Math.max(0, left - MESSAGE_OVERHEAD);
  const retrieved = await fitter.fill(input.ranking.ranked, retrievedCap, 'retrieved', input.signal);
  const retrievedUsed = retrieved.included.length ? retrieved.tokens + MESSAGE_OVERHEAD : 0;

  const used = system + tools + pinnedUsed + historyUsed + retrievedUsed + REPLY_PRIMER;
  if (used > plan.input - plan.margin)
    throw new Error(`internal: packed ${used} tokens into ${plan.input - plan.margin}`);
  return {
    plan,
    counter: { name: counter.name, exact: counter.exact },
    totals: {
      system: { cap: system, used: system },
      tools: { cap: tools, used: tools },
      pinned: { cap: plan.caps.pinned, used: pinnedUsed },
      history: { cap: plan.caps.history, used: historyUsed },
      retrieved: { cap: retrievedCap + MESSAGE_OVERHEAD, used: retrievedUsed },
    },
    used,
    pinnedText: pinned.included.map((item) => item.text).join(''),
    retrievedText: retrieved.included.map((item) => item.text).join(''),
    history,
    compaction,
    items: [
      ...pinned.included.map((item) => item.ledger),
      ...retrieved.included.map((item) => item.ledger),
      ...input.ranking.refused,
      ...pinned.dropped,
      ...retrieved.dropped,
    ],
    ms: performance.now() - started,
  };
}
