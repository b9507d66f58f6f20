/**
 * The context-length retry: the server refused a prompt as longer than its window, so the
 * same request is packed again into a smaller budget. What matters least goes first:
 * retrieved files, then the older conversation; the user's pinned items (@-mentions, the
 * active file, pins) are cut only when nothing else is left. The budget comes from the
 * server's own numbers when its error carried them (llama.cpp's `n_ctx` and
 * `n_prompt_tokens`, the counts in vLLM's and OpenAI's message).
 */
import type { BudgetOptions, CompactionReport, LedgerItem, PackedContext } from '../context';
import { REPLY_PRIMER, defaultReserve } from '../context/pack/budget';

export interface ContextLimits {
  readonly promptTokens?: number;
  readonly contextWindow?: number;
}

export interface RetryTarget {
  /** Prompt tokens, as our counter counts, the retried request may use. */
  readonly tokens: number;
  /** The window as our counter counts it, to keep using for later requests (when the server said). */
  readonly window?: number;
}

/** Never retry with more than this share of what was refused, whatever the numbers say. */
const MOST = 0.9;

/**
 * `sent` is what our counter counted for the refused prompt. The server's count of the same
 * prompt gives the ratio between the two tokenizers; its window, less the answer's reserve,
 * divided by that ratio is what fits. Without numbers, half of what was sent.
 */
export function retryTarget(sent: number, limits: ContextLimits | undefined): RetryTarget {
  const ratio = limits?.promptTokens && sent > 0 ? limits.promptTokens / sent : 1;
  const window = limits?.contextWindow;
  if (!window || window <= 0) return { tokens: Math.floor(sent / 2) };
  const fits = Math.floor((window - defaultReserve(window)) / ratio);
  return { tokens: Math.max(0, Math.min(fits, Math.floor(sent * MOST))), window: Math.floor(window / ratio) };
}

export interface RetryShares {
  /** System prompt and tool schemas, as packed before. */
  readonly fixed: number;
  /** Tokens the pinned items took before. */
  readonly pinned: number;
  /** Tokens of the whole conversation now, and of its last turn (which must stay). */
  readonly history: number;
  readonly lastTurn: number;
}

/**
 * A budget whose shares keep the pinned items and the conversation as they were while they
 * fit, so the packer's retrieved share (what is left) shrinks first; then the conversation
 * is compacted down to its last turn; only then do pinned items give way.
 */
export function retryBudget(target: number, shares: RetryShares): BudgetOptions {
  const rest = target - shares.fixed - REPLY_PRIMER;
  if (rest <= 0) return { window: target, reserve: 0, estimateMargin: 0 };
  const pinned = Math.max(0, Math.min(shares.pinned, rest - Math.min(rest, shares.lastTurn)));
  const history = Math.max(0, Math.min(shares.history, rest - pinned));
  // Half a token over each, so the packer's floor() lands on the amount itself.
  return {
    window: target,
    reserve: 0,
    estimateMargin: 0,
    pinnedShare: (pinned + 0.5) / rest,
    historyShare: (history + 0.5) / rest,
  };
}

/** The line the chat shows: why the request was sent again and what was left out or shortened. */
export function describeRetry(before: PackedContext, after: PackedContext, limits: ContextLimits | undefined): string {
  const now = new Map(after.items.filter((item) => item.included).map((item) => [item.key, item]));
  const leftOut: LedgerItem[] = [];
  const shortened: LedgerItem[] = [];
  for (const item of before.items) {
    if (!item.included) continue;
    const kept = now.get(item.key);
    if (!kept) leftOut.push(item);
    else if (kept.tokens < item.tokens) shortened.push(kept);
  }
  const parts: string[] = [];
  const retrieved = leftOut.filter((item) => item.share === 'retrieved');
  const pinned = leftOut.filter((item) => item.share === 'pinned');
  if (retrieved.length) parts.push(`left out ${count(retrieved.length, 'retrieved file')} (${names(retrieved)})`);
  const history = historyPart(after.compaction);
  if (history) parts.push(history);
  if (shortened.length)
    parts.push(`shortened ${shortened.map((item) => `${name(item)} (${formOf(item)})`).join(', ')}`);
  if (pinned.length) parts.push(`left out ${count(pinned.length, 'pinned item')} (${names(pinned)})`);
  const kept = after.items.filter((item) => item.included && item.share === 'pinned');
  const keptText = kept.length ? ` Still attached: ${names(kept)}.` : '';
  const what = parts.length ? parts.join('; ') : 'less room for the retrieved files';
  return (
    `The request was longer than the model's window${serverSaid(limits)}, so it was sent again with ` +
    `less context: ${what}.${keptText}`
  );
}

function serverSaid(limits: ContextLimits | undefined): string {
  const number = (value: number) => value.toLocaleString('en-US');
  if (limits?.promptTokens && limits.contextWindow)
    return (
      ` (the server counted ${number(limits.promptTokens)} prompt tokens for a window of ` +
      `${number(limits.contextWindow)})`
    );
  if (limits?.contextWindow) return ` (${number(limits.contextWindow)} tokens, the server said)`;
  if (limits?.promptTokens) return ` (the server counted ${number(limits.promptTokens)} prompt tokens)`;
  return '';
}

function historyPart(report: CompactionReport | undefined): string | undefined {
  if (!report) return undefined;
  const parts = report.steps.flatMap((step) => {
    if (step.action === 'truncated' && step.messages) return [`${count(step.messages, 'earlier message')} left out`];
    if (step.action === 'summarised') return [`${count(step.messages, 'earlier message')} summarised`];
    if (step.action === 'dropped-tool-outputs') return [`${count(step.messages, 'old tool output')} removed`];
    return [];
  });
  if (report.steps.some((step) => step.action === 'truncated' && !step.messages))
    parts.push('the last message cut to fit');
  return parts.length ? parts.join(', ') : undefined;
}

/** A shortened file enters as its outline; anything else (a text, an excerpt) is cut. */
function formOf(item: LedgerItem): string {
  return item.form === 'outline' ? 'outline and the lines that matter' : 'cut';
}

const name = (item: LedgerItem) => item.path ?? item.title;
const names = (items: readonly LedgerItem[]) => items.map(name).join(', ');
const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
