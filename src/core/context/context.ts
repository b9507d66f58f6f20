/**
 * Ranking and packing in one call, for benchmarks and tests of the engine itself. The chat
 * and `qcoder context` go through `WorkspaceContext` (core/chat), which adds the user's
 * mentions, pins and drops and lays out the messages (`promptMessages`).
 */
import type { WorkspaceIndex } from './files/workspaceIndex';
import type { BudgetOptions } from './pack/budget';
import type { HistoryMessage, Summariser } from './pack/compaction';
import type { SymbolProvider } from './pack/fit';
import { type PackedContext, packContext } from './pack/pack';
import { type Ranking, rankContext } from './rank/rank';
import type { TokenCounter } from './tokens/tokenCounter';
import type { ContextSignals } from './types';

export interface ContextRequest {
  /** What the user asked; its identifiers drive the search. */
  readonly query: string;
  readonly signals?: ContextSignals;
  readonly system: string;
  readonly tools?: readonly unknown[];
  /** The conversation so far, ending with the user's new message. */
  readonly history?: readonly HistoryMessage[];
  readonly budget?: BudgetOptions;
  readonly summarise?: Summariser;
  /** The host's document symbols (absolute or display path) for pinned files that enter as an outline. */
  readonly symbols?: SymbolProvider;
  readonly signal?: AbortSignal;
}

export interface BuiltContext extends PackedContext {
  readonly ranking: Ranking;
}

export async function buildContext(
  index: WorkspaceIndex,
  counter: TokenCounter,
  request: ContextRequest,
  options: { rgPath?: string } = {},
): Promise<BuiltContext> {
  const ranking = await rankContext(index, request.query, request.signals ?? {}, {
    rgPath: options.rgPath,
    signal: request.signal,
  });
  const packed = await packContext({
    counter,
    index,
    ranking,
    system: request.system,
    tools: request.tools,
    history: request.history,
    budget: request.budget,
    summarise: request.summarise,
    symbols: request.symbols,
    signal: request.signal,
  });
  return { ...packed, ranking };
}
