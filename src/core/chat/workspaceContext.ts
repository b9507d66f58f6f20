/**
 * The chat's context provider over the context engine. The first request of a user
 * message ranks the workspace for it and packs the window; the tool loop's later
 * requests keep that pinned and retrieved set and only let the history grow (so the
 * prefix the server caches stays the same). The user's pins and drops apply from the
 * next request on. Nothing here fails a chat: when the context cannot be built the
 * conversation goes out as it is, with a note saying why.
 */
import {
  type Candidate,
  type ContextSignals,
  type HistoryMessage,
  type Mention,
  type PackedContext,
  type SymbolProvider,
  type TokenCounter,
  type WorkspaceIndex,
  compactHistory,
  historyTokens,
  packContext,
  rankContext,
} from '../context';
import { MESSAGE_OVERHEAD, REPLY_PRIMER } from '../context/pack/budget';
import type { ContextAction, LedgerView, MentionQueryKind } from '../protocol';
import { type ContextInput, type ContextProvider, plainMessages, type PreparedRequest } from './contextProvider';
import { type TaggedMessage, assemble, fromHistory, toHistory } from './historyMessages';
import { describeCompaction, ledgerView } from './ledger';
import type { ParsedMention } from './mentions';

export interface ContextWindowInfo {
  readonly tokens: number;
  readonly detail: string;
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
  readonly rgPath?: string;
  log(line: string): void;
}

interface TurnState {
  readonly counter: TokenCounter;
  readonly packed: PackedContext;
  readonly ledger: Omit<Parameters<typeof ledgerView>[0], 'history' | 'used' | 'compaction' | 'ms'>;
  readonly fixed: number;
}

const MAX_COMPLETIONS = 50;

export class WorkspaceContext implements ContextProvider {
  private readonly pins = new Map<string, Mention>();
  private readonly drops = new Set<string>();
  /** Every candidate the last ranking saw, by key: what a pin or drop refers to. */
  private known = new Map<string, Candidate>();
  private turn: TurnState | undefined;
  private last: LedgerView | undefined;

  constructor(private readonly host: WorkspaceContextHost) {}

  async prepare(input: ContextInput): Promise<PreparedRequest> {
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

  act(action: ContextAction, key: string): LedgerView | undefined {
    const candidate = this.known.get(key);
    if (action === 'drop') {
      this.drops.add(key);
      this.pins.delete(key);
    }
    if (action === 'restore') this.drops.delete(key);
    if (action === 'unpin') this.pins.delete(key);
    if (action === 'pin' && candidate) {
      this.drops.delete(key);
      this.pins.set(
        key,
        candidate.text !== undefined
          ? {
              kind: 'text',
              id: key.replace(/^text:/, ''),
              title: candidate.title,
              text: candidate.text,
              reason: candidate.reasons[0] ?? 'pinned',
            }
          : {
              kind: 'file',
              path: candidate.path ?? candidate.title,
              ...(candidate.only ? { range: candidate.only } : {}),
            },
      );
    }
    if (!this.last) return undefined;
    // The window does not change until the next request; the ledger shows what will.
    this.last = {
      ...this.last,
      items: this.last.items.map((item) =>
        item.key !== key
          ? item
          : {
              ...item,
              userPinned: this.pins.has(key) || undefined,
              userDropped: this.drops.has(key) || undefined,
              note:
                action === 'drop'
                  ? 'dropped by you: left out from the next request'
                  : action === 'pin'
                    ? 'pinned by you: kept in every request'
                    : item.note === 'dropped by you'
                      ? undefined
                      : item.note,
            },
      ),
    };
    return this.last;
  }

  async complete(kind: MentionQueryKind, prefix: string): Promise<string[]> {
    const index = await this.host.index();
    const wanted = prefix.toLowerCase();
    const paths = kind === 'file' ? [...index.paths()] : folders(index.paths());
    const starts: string[] = [];
    const contains: string[] = [];
    for (const path of paths) {
      const lower = path.toLowerCase();
      if (lower.startsWith(wanted)) starts.push(path);
      else if (wanted && (lower.includes(wanted) || lower.slice(lower.lastIndexOf('/') + 1).startsWith(wanted)))
        contains.push(path);
    }
    const byLength = (a: string, b: string) => a.length - b.length || a.localeCompare(b);
    return [...starts.sort(byLength), ...contains.sort(byLength)].slice(0, MAX_COMPLETIONS);
  }

  private async first(input: ContextInput): Promise<PreparedRequest> {
    const started = performance.now();
    const [index, counter, window] = await Promise.all([
      this.host.index(),
      this.host.counter(input.model),
      this.host.window(input.model, input.baseUrl),
    ]);
    const resolved = await this.host.resolve(input.mentions, index, input.signal);
    const written = new Set(resolved.mentions.map(mentionKey));
    const mentions = [
      ...resolved.mentions,
      ...[...this.pins.values()].filter((mention) => !written.has(mentionKey(mention))),
    ];
    const ranking = await rankContext(index, input.text, this.host.signals(mentions), {
      rgPath: this.host.rgPath,
      signal: input.signal,
    });
    this.known = new Map([...ranking.pinned, ...ranking.ranked].map((candidate) => [candidate.key, candidate]));
    const keep = (candidate: Candidate) => !this.drops.has(candidate.key);
    const packed = await packContext({
      counter,
      index,
      ranking: { ...ranking, pinned: ranking.pinned.filter(keep), ranked: ranking.ranked.filter(keep) },
      system: input.system,
      tools: input.tools,
      history: input.history.map(toHistory),
      budget: { window: window.tokens },
      summarise: (messages, signal) => input.summarise(fromHistory(messages as TaggedMessage[]), signal),
      symbols: this.host.symbols?.(index),
      signal: input.signal,
    });
    const fixed =
      packed.totals.system.used +
      packed.totals.tools.used +
      packed.totals.pinned.used +
      packed.totals.retrieved.used +
      REPLY_PRIMER;
    const turn: TurnState = {
      counter,
      packed,
      fixed,
      ledger: {
        model: input.model,
        window,
        counter: packed.counter,
        system: packed.totals.system.used,
        tools: { tokens: packed.totals.tools.used, count: input.tools?.length ?? 0 },
        items: packed.items,
        dropped: new Map([...this.drops].map((key) => [key, this.known.get(key)])),
        pinned: new Set(this.pins.keys()),
      },
    };
    this.turn = turn;
    const ms = performance.now() - started;
    this.host.log(
      `context: ${packed.used} of ${window.tokens} tokens (${packed.items.filter((item) => item.included).length} items) in ${ms.toFixed(0)} ms`,
    );
    const messages = assemble(
      input.system,
      packed.pinnedText,
      packed.retrievedText,
      fromHistory(packed.history as TaggedMessage[]),
    );
    const ledger = this.publish(turn, packed.history, packed.totals.history.used, packed.used, ms, packed.compaction);
    return {
      messages,
      ledger,
      notes: [...resolved.problems, ...(packed.compaction ? [describeCompaction(packed.compaction)] : [])],
    };
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
    const messages = assemble(
      input.system,
      packed.pinnedText,
      packed.retrievedText,
      fromHistory(history as TaggedMessage[]),
    );
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
    this.last = ledgerView({
      ...turn.ledger,
      history: { cap: turn.packed.plan.caps.history, used: historyUsed, messages: history.length },
      used,
      compaction,
      ms,
    });
    return this.last;
  }
}

function mentionKey(mention: Mention): string {
  return mention.kind === 'text'
    ? `text:${mention.id}`
    : `file:${mention.path}${mention.range ? `#${mention.range.start}-${mention.range.end}` : ''}`;
}

/** Every folder that holds an allowed file, with a trailing slash. */
function folders(paths: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const path of paths) {
    for (let at = path.indexOf('/'); at > 0; at = path.indexOf('/', at + 1)) out.add(path.slice(0, at + 1));
  }
  return [...out];
}
