/**
 * The chat's context provider over the context engine. The first request of a user
 * message ranks the workspace for it and packs the window; the tool loop's later
 * requests keep that pinned and retrieved set and only let the history grow (so the
 * prefix the server caches stays the same). The user's pins and drops apply from the
 * next request on. Nothing here fails a chat: when the context cannot be built the
 * conversation goes out as it is, with a note saying why.
 */
import {
  type BudgetOptions,
  type Candidate,
  type ContextSignals,
  type HistoryMessage,
  type Mention,
  type PackedContext,
  type Ranking,
  type SymbolProvider,
  type TokenCounter,
  type WorkspaceIndex,
  compactHistory,
  historyTokens,
  packContext,
  rankContext,
} from '../context';
import { MESSAGE_OVERHEAD, REPLY_PRIMER } from '../context/pack/budget';
import { trimForRetry } from '../model/history';
import type { ContextAction, LedgerView, MentionQueryKind } from '../protocol';
import {
  type ContextInput,
  type ContextProvider,
  plainMessages,
  type PreparedRequest,
  type ShrinkRequest,
  type ShrunkRequest,
} from './contextProvider';
import { describeRetry, retryBudget, retryTarget } from './contextRetry';
import { type TaggedMessage, fromHistory, promptMessages, toHistory } from './historyMessages';
import { UserChoices, completePaths } from './userChoices';
import { describeCompaction, ledgerView } from './ledger';
import type { ParsedMention } from './mentions';

export interface ContextWindowInfo {
  readonly tokens: number;
  readonly detail: string;
  /** Tokens kept for the answer (default: an eighth of the window, at most 32,768). */
  readonly reserve?: number;
}

/** What the provider needs from the editor. */
export interface WorkspaceContextHost {
  index(): Promise<WorkspaceIndex>;
  counter(model: string): Promise<TokenCounter>;
  /** The model's window; must not throw (fall back to a known or default size). */
  window(model: string, baseUrl: string): Promise<ContextWindowInfo>;
  /** Mentions as the engine takes them; `problems` says, per mention, why it could not be attached. */
  resolve(
    mentions: readonly ParsedMention[],
    index: WorkspaceIndex,
    signal: AbortSignal,
  ): Promise<{ mentions: Mention[]; problems: string[] }>;
  /** Editor focus (active file, selection, open editors, Problems) with the mentions. */
  signals(mentions: readonly Mention[]): ContextSignals;
  symbols?(index: WorkspaceIndex): SymbolProvider;
  /** `server:uri` of MCP resources for the `@mcp:` menu. */
  completeMcp?(prefix: string): Promise<string[]>;
  /** Most tokens retrieval adds to a message (`qcoder.context.retrievedTokens`); 0 or undefined: no limit. */
  retrievedTokens?(): number | undefined;
  /** The request's estimated cost and the session's so far, in words, for the ledger. */
  cost?(model: string, baseUrl: string, inputTokens: number): string | undefined;
  readonly rgPath?: string;
  log(line: string): void;
}

/** What the first request of a user message found; the tool loop and a context-length retry reuse it. */
interface TurnBase {
  readonly index: WorkspaceIndex;
  readonly counter: TokenCounter;
  readonly window: ContextWindowInfo;
  /** The ranking without the items the user dropped. */
  readonly ranking: Ranking;
  /** Items the user dropped, as this ranking knew them, and the keys the user pinned: for the ledger. */
  readonly dropped: ReadonlyMap<string, Candidate | undefined>;
  readonly pinned: ReadonlySet<string>;
}

interface TurnState extends TurnBase {
  readonly packed: PackedContext;
  /** Tokens of everything but the history: system, tools, pinned, retrieved, the reply primer. */
  readonly fixed: number;
  readonly toolCount: number;
}

export class WorkspaceContext implements ContextProvider {
  private readonly choices = new UserChoices();
  private turn: TurnState | undefined;
  /** The input of the last request prepared; what our counter counted for it and its history as sent (compacted). */
  private input: ContextInput | undefined;
  private sent = { tokens: 0, history: [] as readonly HistoryMessage[] };
  /** Windows servers reported in context-length errors, by model and endpoint (`tokens` as our counter counts). */
  private readonly learned = new Map<string, { info: ContextWindowInfo; tokens: number }>();
  private last: LedgerView | undefined;

  constructor(private readonly host: WorkspaceContextHost) {}

  async prepare(input: ContextInput): Promise<PreparedRequest> {
    this.input = input;
    try {
      return input.step > 1 && this.turn ? await this.next(input, this.turn) : await this.first(input);
    } catch (error) {
      if (input.signal.aborted) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      this.host.log(`context: could not build the context: ${reason}`);
      this.turn = undefined;
      return {
        messages: plainMessages(input.system, input.history),
        notes: [`Workspace context could not be built (${reason}); the conversation was sent without it.`],
      };
    }
  }

  /** What the user pinned in the ledger (inline edit sends it too). */
  pinnedItems(): Mention[] {
    return [...this.choices.pins.values()];
  }

  /** What the last request's first step ranked and packed (for `qcoder context`'s report). */
  current(): (PackedContext & { readonly ranking: Ranking }) | undefined {
    return this.turn && { ...this.turn.packed, ranking: this.turn.ranking };
  }

  act(action: ContextAction, key: string): LedgerView | undefined {
    this.choices.apply(action, key);
    if (!this.last) return undefined;
    this.last = this.choices.relabel(this.last, action, key);
    return this.last;
  }

  async complete(kind: MentionQueryKind, prefix: string): Promise<string[]> {
    if (kind === 'mcp') return (await this.host.completeMcp?.(prefix)) ?? [];
    return completePaths((await this.host.index()).paths(), kind, prefix);
  }

  /**
   * The server refused the last request as too long: pack it again for a smaller budget
   * (retrieved files first, then older turns, pinned items last) and say what went.
   */
  async shrink(request: ShrinkRequest): Promise<ShrunkRequest | undefined> {
    const { turn, input } = this;
    // The context could not be built and the plain conversation went out: its messages are all turns.
    if (!turn || !input) return trimForRetry(request.sent);
    try {
      const started = performance.now();
      const target = retryTarget(this.sent.tokens, request.limits);
      const reported = request.limits?.contextWindow;
      const window = reported
        ? { tokens: reported, detail: 'reported by the server when a request did not fit' }
        : turn.window;
      if (target.window) this.learned.set(windowKey(input), { info: window, tokens: target.window });
      // The history as it went out: compacted once already, it is not compacted (or summarised) again unless it must.
      const { history } = this.sent;
      const lastUser = history.map((message) => message.role).lastIndexOf('user');
      const { totals } = turn.packed;
      const budget = retryBudget(target.tokens, {
        fixed: totals.system.used + totals.tools.used,
        pinned: totals.pinned.used,
        history: historyTokens(turn.counter, history),
        lastTurn: historyTokens(turn.counter, history.slice(Math.max(0, lastUser))),
      });
      const next = await this.pack({ ...input, signal: request.signal }, { ...turn, window }, budget, history);
      const prepared = this.request(next, input.system, performance.now() - started);
      return { ...prepared, note: describeRetry(turn.packed, next.packed, request.limits) };
    } catch (error) {
      if (request.signal.aborted) throw error;
      this.host.log(`context: could not re-pack after the server's context-length error: ${String(error)}`);
      return undefined;
    }
  }

  private async first(input: ContextInput): Promise<PreparedRequest> {
    const started = performance.now();
    const [index, counter, discovered] = await Promise.all([
      this.host.index(),
      this.host.counter(input.model),
      this.host.window(input.model, input.baseUrl),
    ]);
    // A window the server reported in an earlier context-length error beats the one discovered.
    const learned = this.learned.get(windowKey(input));
    const window = learned?.info ?? discovered;
    const resolved = await this.host.resolve(input.mentions, index, input.signal);
    const mentions = this.choices.mentions([...(input.extra?.mentions ?? []), ...resolved.mentions]);
    const ranking = await rankContext(index, input.text, focusOn(this.host.signals(mentions), input.extra), {
      rgPath: this.host.rgPath,
      signal: input.signal,
    });
    const { choices } = this;
    choices.known = new Map([...ranking.pinned, ...ranking.ranked].map((candidate) => [candidate.key, candidate]));
    const keep = (candidate: Candidate) => !choices.drops.has(candidate.key);
    const base: TurnBase = {
      index,
      counter,
      window,
      ranking: { ...ranking, pinned: ranking.pinned.filter(keep), ranked: ranking.ranked.filter(keep) },
      dropped: new Map([...choices.drops].map((key) => [key, choices.known.get(key)])),
      pinned: new Set(choices.pins.keys()),
    };
    const budget = {
      window: learned?.tokens ?? window.tokens,
      reserve: learned ? undefined : discovered.reserve,
      retrieved: choices.fillNext ? undefined : retrievedBudget(this.host, input.mentions),
    };
    choices.fillNext = false;
    const turn = await this.pack(input, base, budget, input.history.map(toHistory));
    const { packed } = turn;
    const ms = performance.now() - started;
    this.host.log(
      `context: ${packed.used} of ${window.tokens} tokens ` +
        `(${packed.items.filter((item) => item.included).length} items) in ${ms.toFixed(0)} ms`,
    );
    const prepared = this.request(turn, input.system, ms);
    return {
      ...prepared,
      notes: [...resolved.problems, ...(packed.compaction ? [describeCompaction(packed.compaction)] : [])],
    };
  }

  /** Packs the ranked candidates and the history into `budget`; the result becomes this turn's state. */
  private async pack(
    input: ContextInput,
    base: TurnBase,
    budget: BudgetOptions,
    history: readonly HistoryMessage[],
  ): Promise<TurnState> {
    const packed = await packContext({
      counter: base.counter,
      index: base.index,
      ranking: base.ranking,
      system: input.system,
      tools: input.tools,
      history,
      budget,
      summarise: (messages, signal) => input.summarise(fromHistory(messages as TaggedMessage[]), signal),
      symbols: this.host.symbols?.(base.index),
      signal: input.signal,
    });
    const { totals } = packed;
    const fixed = totals.system.used + totals.tools.used + totals.pinned.used + totals.retrieved.used + REPLY_PRIMER;
    this.turn = { ...base, packed, fixed, toolCount: input.tools?.length ?? 0 };
    return this.turn;
  }

  /** The messages and ledger of a freshly packed turn. */
  private request(turn: TurnState, system: string, ms: number): PreparedRequest {
    const { packed } = turn;
    this.sent = { tokens: packed.used, history: packed.history };
    const ledger = this.publish(turn, packed.history, packed.totals.history.used, packed.used, ms, packed.compaction);
    return { messages: promptMessages(system, packed), ledger, notes: [] };
  }

  /** A later request in the tool loop: same pinned and retrieved text, the history grown by the calls and results. */
  private async next(input: ContextInput, turn: TurnState): Promise<PreparedRequest> {
    const started = performance.now();
    const { counter, packed } = turn;
    const room = packed.plan.input - packed.plan.margin - turn.fixed;
    let history: readonly HistoryMessage[] = input.history.map(toHistory);
    let used = historyTokens(counter, history);
    let compaction;
    if (used > room) {
      const compacted = await compactHistory(history, {
        counter,
        budget: Math.max(0, Math.min(room, Math.max(packed.plan.caps.history, room - MESSAGE_OVERHEAD))),
        summarise: (messages, signal) => input.summarise(fromHistory(messages as TaggedMessage[]), signal),
        signal: input.signal,
      });
      history = compacted.messages;
      used = compacted.tokens;
      compaction = compacted.report;
    }
    const messages = promptMessages(input.system, { ...packed, history });
    this.sent = { tokens: turn.fixed + used, history };
    const ledger = this.publish(turn, history, used, turn.fixed + used, performance.now() - started, compaction);
    return { messages, ledger, notes: compaction ? [describeCompaction(compaction)] : [] };
  }

  private publish(
    turn: TurnState,
    history: readonly HistoryMessage[],
    historyUsed: number,
    used: number,
    ms: number,
    compaction: PackedContext['compaction'],
  ): LedgerView {
    const { packed } = turn;
    this.last = ledgerView({
      model: this.input?.model ?? '',
      window: turn.window,
      counter: packed.counter,
      system: packed.totals.system.used,
      instructions: this.input?.instructions,
      tools: { tokens: packed.totals.tools.used, count: turn.toolCount },
      items: packed.items,
      dropped: turn.dropped,
      pinned: turn.pinned,
      history: { cap: turn.packed.plan.caps.history, used: historyUsed, messages: history.length },
      used,
      compaction,
      ms,
    });
    const cost = this.input && this.host.cost?.(this.input.model, this.input.baseUrl, used);
    if (cost) this.last = { ...this.last, cost };
    return this.last;
  }
}

/** The retrieved budget for this message: the user's setting, or the whole window when they wrote `@codebase`. */
export function retrievedBudget(host: WorkspaceContextHost, mentions: readonly ParsedMention[]): number | undefined {
  if (mentions.some((mention) => mention.kind === 'codebase')) return undefined;
  const tokens = host.retrievedTokens?.();
  return tokens && tokens > 0 ? tokens : undefined;
}

/** A feature's file replaces the editor's focus: its neighbours are ranked, not the active editor's. */
function focusOn(signals: ContextSignals, extra: ContextInput['extra']): ContextSignals {
  if (!extra?.activeFile) return signals;
  return { ...signals, activeFile: extra.activeFile, cursorLine: undefined, selection: undefined };
}

function windowKey(input: Pick<ContextInput, 'model' | 'baseUrl'>): string {
  return `${input.baseUrl}\n${input.model}`;
}
