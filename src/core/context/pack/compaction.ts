/**
 * Keeps the conversation inside its share of the window, mildest step first:
 * tier 1 replaces stale tool outputs with a one-line note; tier 2 has the model
 * summarise the older turns (and re-attaches the files those turns worked on, as they
 * are now); tier 3 drops the oldest turns. It reports each step so the UI can show
 * what happened, and its result never exceeds the budget it was given.
 */
import type { TokenCounter } from '../tokens/tokenCounter';
import { MESSAGE_OVERHEAD } from './budget';

export interface HistoryMessage {
  readonly role: 'system' | 'user' | 'assistant' | 'tool';
  readonly content: string;
  /** For tool outputs: the tool that produced it. */
  readonly toolName?: string;
  readonly toolCallId?: string;
  /** Workspace files this message read or changed (display paths). */
  readonly files?: readonly string[];
}

export type Summariser = (messages: readonly HistoryMessage[], signal?: AbortSignal) => Promise<string>;

export type CompactionStep =
  | {
      readonly tier: 1;
      readonly action: 'dropped-tool-outputs';
      readonly messages: number;
      readonly tokensSaved: number;
    }
  | {
      readonly tier: 2;
      readonly action: 'summarised';
      readonly messages: number;
      readonly tokensSaved: number;
      readonly summaryTokens: number;
    }
  | { readonly tier: 2; readonly action: 'summary-failed'; readonly error: string }
  | { readonly tier: 3; readonly action: 'truncated'; readonly messages: number; readonly tokensSaved: number };

export interface CompactionReport {
  readonly before: number;
  readonly after: number;
  readonly budget: number;
  readonly steps: readonly CompactionStep[];
  /** Files re-attached with their current content after older turns were summarised or dropped. */
  readonly reattached: readonly string[];
}

export interface CompactionOptions {
  readonly counter: TokenCounter;
  /** Tokens the history may use, message overheads included. */
  readonly budget: number;
  readonly summarise?: Summariser;
  /** Current text of the files being worked on, for re-attaching. */
  readonly readFiles?: (paths: readonly string[]) => Promise<readonly { path: string; text: string }[]>;
  /** User turns at the end kept verbatim by tiers 1 and 2 (default 2). */
  readonly keepTurns?: number;
  readonly signal?: AbortSignal;
}

export function messageTokens(counter: TokenCounter, message: HistoryMessage): number {
  return counter.count(message.content) + MESSAGE_OVERHEAD;
}

export function historyTokens(counter: TokenCounter, messages: readonly HistoryMessage[]): number {
  return messages.reduce((sum, message) => sum + messageTokens(counter, message), 0);
}

export async function compactHistory(
  history: readonly HistoryMessage[],
  options: CompactionOptions,
): Promise<{ messages: HistoryMessage[]; tokens: number; report: CompactionReport }> {
  const { counter, budget } = options;
  const before = historyTokens(counter, history);
  const steps: CompactionStep[] = [];
  let messages = [...history];
  let tokens = before;
  let reattached: string[] = [];
  const done = () => ({ messages, tokens, report: { before, after: tokens, budget, steps, reattached } });
  if (tokens <= budget) return done();

  const recentStart = startOfRecentTurns(messages, options.keepTurns ?? 2);
  // Tier 1: stale tool outputs, oldest first, until it fits.
  let dropped = 0;
  let saved = 0;
  for (let i = 0; i < recentStart && tokens > budget; i++) {
    const message = messages[i];
    if (message.role !== 'tool' || message.content.startsWith('[output of')) continue;
    const note: HistoryMessage = {
      ...message,
      content:
        `[output of ${message.toolName ?? 'a tool'} removed to save context (${counter.count(message.content)} ` +
        `tokens); run the tool again if it is needed]`,
    };
    const delta = messageTokens(counter, message) - messageTokens(counter, note);
    if (delta <= 0) continue;
    messages[i] = note;
    tokens -= delta;
    saved += delta;
    dropped++;
  }
  if (dropped) steps.push({ tier: 1, action: 'dropped-tool-outputs', messages: dropped, tokensSaved: saved });
  if (tokens <= budget) return done();

  // Tier 2: the model summarises everything before the recent turns.
  if (options.summarise && recentStart > 0) {
    const older = messages.slice(0, recentStart);
    try {
      const summary = await options.summarise(older, options.signal);
      const summaryMessage: HistoryMessage = {
        role: 'user',
        content: `Summary of the earlier conversation:\n${summary.trim()}`,
      };
      const rest = messages.slice(recentStart);
      const candidate = [summaryMessage, ...rest];
      const candidateTokens = historyTokens(counter, candidate);
      const files = await reattach(older, rest, budget - candidateTokens, options);
      messages = files.message ? [summaryMessage, files.message, ...rest] : candidate;
      reattached = files.paths;
      const after = historyTokens(counter, messages);
      steps.push({
        tier: 2,
        action: 'summarised',
        messages: older.length,
        tokensSaved: tokens - after,
        summaryTokens: messageTokens(counter, summaryMessage),
      });
      tokens = after;
    } catch (error) {
      steps.push({ tier: 2, action: 'summary-failed', error: error instanceof Error ? error.message : String(error) });
    }
  }
  if (tokens <= budget) return done();

  // Tier 3: drop the oldest turns (whole turns, so tool calls keep
  // their results), then cut the last message if it alone is too big.
  const truncated = truncateOldest(messages, budget, counter);
  steps.push({
    tier: 3,
    action: 'truncated',
    messages: messages.length - truncated.messages.length,
    tokensSaved: tokens - truncated.tokens,
  });
  messages = truncated.messages;
  tokens = truncated.tokens;
  return done();
}

/** Index of the first message of the last `turns` user turns. */
function startOfRecentTurns(messages: readonly HistoryMessage[], turns: number): number {
  let seen = 0;
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i].role === 'user' && ++seen === turns) return i;
  }
  return 0;
}

async function reattach(
  older: readonly HistoryMessage[],
  kept: readonly HistoryMessage[],
  room: number,
  options: CompactionOptions,
): Promise<{ message?: HistoryMessage; paths: string[] }> {
  if (!options.readFiles || room <= MESSAGE_OVERHEAD) return { paths: [] };
  const keptFiles = new Set(kept.flatMap((message) => message.files ?? []));
  const wanted = [...new Set([...older].reverse().flatMap((message) => message.files ?? []))].filter(
    (path) => !keptFiles.has(path),
  );
  if (!wanted.length) return { paths: [] };
  const files = await options.readFiles(wanted);
  const parts: string[] = [];
  const paths: string[] = [];
  let used = options.counter.count('Files being worked on, as they are now:\n') + MESSAGE_OVERHEAD;
  for (const file of files) {
    const block = `<file path="${file.path}">\n${file.text}${file.text.endsWith('\n') ? '' : '\n'}</file>\n`;
    const cost = options.counter.count(block);
    if (used + cost > room) continue;
    parts.push(block);
    paths.push(file.path);
    used += cost;
  }
  if (!parts.length) return { paths: [] };
  return {
    message: { role: 'user', content: `Files being worked on, as they are now:\n${parts.join('')}`, files: paths },
    paths,
  };
}

function truncateOldest(
  messages: readonly HistoryMessage[],
  budget: number,
  counter: TokenCounter,
): { messages: HistoryMessage[]; tokens: number } {
  const costs = messages.map((message) => messageTokens(counter, message));
  let total = costs.reduce((a, b) => a + b, 0);
  let start = 0;
  const lastUser = messages.map((message) => message.role).lastIndexOf('user');
  while (total > budget && start < messages.length - 1 && start < Math.max(lastUser, 0)) {
    // Drop through to the next user message, so no tool result loses its call.
    do {
      total -= costs[start];
      start++;
    } while (start < messages.length - 1 && messages[start].role !== 'user' && start < lastUser);
  }
  const kept = messages.slice(start);
  if (total <= budget) return { messages: kept, tokens: total };
  // Only the last turn is left and it is still too big: shorten its longest messages from the middle.
  return shortenToFit(kept, budget, counter);
}

function shortenToFit(
  messages: HistoryMessage[],
  budget: number,
  counter: TokenCounter,
): { messages: HistoryMessage[]; tokens: number } {
  const out = [...messages];
  let total = historyTokens(counter, out);
  while (total > budget) {
    const longest = out.reduce((best, message, i) => (message.content.length > out[best].content.length ? i : best), 0);
    const message = out[longest];
    if (message.content.length < 400) {
      // Nothing long left to cut: drop the oldest message; the budget is tiny.
      out.splice(0, 1);
      if (out.length === 0) return { messages: [], tokens: 0 };
    } else {
      const excess = total - budget;
      const ratio = Math.max(0.05, 1 - (excess * 1.2 + 32) / Math.max(1, counter.count(message.content)));
      // Always at least 200 characters shorter, so the loop ends.
      const keep = Math.min(
        Math.floor((message.content.length * ratio) / 2),
        Math.floor((message.content.length - 200) / 2),
      );
      const cut = message.content.length - 2 * keep;
      out[longest] = {
        ...message,
        content:
          `${message.content.slice(0, keep)}\n[… ${cut} characters cut to fit the context window …]\n` +
          `${message.content.slice(message.content.length - keep)}`,
      };
    }
    total = historyTokens(counter, out);
  }
  return { messages: out, tokens: total };
}
