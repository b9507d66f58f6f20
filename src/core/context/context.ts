/**
 * The context pipeline in one call: rank the workspace for a request, pack the prompt,
 * and lay out the messages so the stable part (system, pinned, older history) stays a
 * prefix from one turn to the next and the server's prefix cache keeps working.
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

/**
 * The messages to send, in prefix-stable order: system, pinned context, the history
 * before the last user message, this turn's retrieved context, the last user message.
 */
export function promptMessages(system: string, packed: PackedContext): HistoryMessage[] {
  const history = packed.history;
  let lastUser = history.length;
  for (let i = history.length - 1; i >= 0; i--)
    if (history[i].role === 'user') {
      lastUser = i;
      break;
    }
  return [
    { role: 'system', content: system },
    ...(packed.pinnedText ? [{ role: 'user' as const, content: packed.pinnedText }] : []),
    ...history.slice(0, lastUser),
    ...(packed.retrievedText ? [{ role: 'user' as const, content: packed.retrievedText }] : []),
    ...history.slice(lastUser),
  ];
}
