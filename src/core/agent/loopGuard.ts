/**
 * The limits of one task (one user message and the tool loop it starts), so an agent that is
 * stuck stops before it burns a budget: model calls per message, prompt tokens sent, the same
 * failing call three times, and the same successful call giving the same answer again and again
 * (the loop that reads one file or lists one folder forever). Every stop says what happened in
 * words the user can act on.
 */
import type { ChatMessage } from '../model/types';

export interface LoopLimits {
  /** Model calls per user message before the agent pauses (0 = no limit). */
  readonly maxModelCalls: number;
  /** Prompt tokens sent for one user message, summed over its model calls (0 = no cap). */
  readonly maxTaskTokens: number;
}

export const DEFAULT_LIMITS: LoopLimits = { maxModelCalls: 25, maxTaskTokens: 1_000_000 };

/** The same call failing this often stops the task. */
export const FAILURE_REPEATS = 3;
/** The same call giving the same result this often (nothing changed in between) stops the task. */
export const SUCCESS_REPEATS = 3;

/** What the guard needs of a finished tool call (a `ToolCallRecord` has it). */
export interface GuardedCall {
  readonly name: string;
  readonly rawArguments: string;
  readonly title: string;
  readonly status: string;
  readonly result?: string;
  readonly summary?: string;
}

/** Tools whose identical answers are expected while waiting (polling output), so they are not a loop. */
const POLLING_TOOLS: ReadonlySet<string> = new Set(['read_command_output']);

/** A call's statuses that mean it ran and answered (as opposed to failing or being skipped). */
const SUCCESS: ReadonlySet<string> = new Set(['done', 'accepted', 'partial']);

export class LoopGuard {
  private calls = 0;
  private tokens = 0;
  private readonly failures = new Map<string, number>();
  private readonly repeats = new Map<string, number>();

  constructor(private readonly limits: LoopLimits = DEFAULT_LIMITS) {}

  /** Prompt tokens counted so far for this task. */
  get tokensSent(): number {
    return this.tokens;
  }

  /** Records one model request of `promptTokens` tokens. */
  sent(promptTokens: number): void {
    this.calls++;
    this.tokens += Math.max(0, Math.round(promptTokens));
  }

  /**
   * After a turn's tool calls ran: why the loop must stop before the next model call, or
   * undefined to go on. Repeats are checked first: they name the call that is stuck.
   */
  check(records: readonly GuardedCall[]): string | undefined {
    return this.repeated(records) ?? this.overBudget();
  }

  private repeated(records: readonly GuardedCall[]): string | undefined {
    for (const record of records) {
      const call = `${record.name}\u0000${normalArguments(record.rawArguments)}`;
      if (record.status === 'error') {
        const count = bump(this.failures, call);
        if (count >= FAILURE_REPEATS)
          return (
            `QCoder stopped the agent: "${record.title}" failed the same way ${count} times with the ` +
            `same arguments (last error: ${record.summary ?? 'error'}). Tell it what to do differently, ` +
            `or fix the cause, and send again.`
          );
      } else if (SUCCESS.has(record.status) && !POLLING_TOOLS.has(record.name)) {
        const count = bump(this.repeats, `${call}\u0000${record.result ?? ''}`);
        if (count >= SUCCESS_REPEATS)
          return (
            `QCoder stopped the agent: it called "${record.title}" ${count} times with the same arguments ` +
            `and got the same result each time (nothing changed in between), so it was going round in a ` +
            `loop. Send a new instruction to go on.`
          );
      }
    }
    return undefined;
  }

  private overBudget(): string | undefined {
    const { maxModelCalls, maxTaskTokens } = this.limits;
    if (maxTaskTokens > 0 && this.tokens >= maxTaskTokens)
      return (
        `QCoder paused the agent: this message has sent ${formatCount(this.tokens)} prompt tokens over ` +
        `${this.calls} model calls, past the cap of ${formatCount(maxTaskTokens)} (setting ` +
        `qcoder.agent.maxTaskTokens). Send "continue" to let it go on.`
      );
    if (maxModelCalls > 0 && this.calls >= maxModelCalls)
      return (
        `QCoder paused after ${this.calls} model calls for this message (setting ` +
        `qcoder.agent.maxModelCalls). Send "continue" to let it go on.`
      );
    return undefined;
  }
}

function bump(counts: Map<string, number>, key: string): number {
  const count = (counts.get(key) ?? 0) + 1;
  counts.set(key, count);
  return count;
}

/** `{"a":1, "b":2}` and `{"b":2,"a":1}` are the same call: compare the parsed value with sorted keys. */
export function normalArguments(raw: string): string {
  try {
    return JSON.stringify(sortKeys(JSON.parse(raw) as unknown));
  } catch {
    return raw.trim();
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, each]) => [key, sortKeys(each)]));
}

/** A prompt's size when no tokenizer counted it: about four characters a token (English and code). */
export function estimatePromptTokens(messages: readonly ChatMessage[]): number {
  let chars = 0;
  for (const message of messages) {
    chars += (message.content ?? '').length + 8;
    if (message.role === 'assistant')
      for (const call of message.tool_calls ?? []) chars += call.function.name.length + call.function.arguments.length;
  }
  return Math.ceil(chars / 4);
}

const formatCount = (value: number): string => value.toLocaleString('en-US');

/** Reads a limit setting: a whole number ≥ 0, else the default. */
export function limitValue(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : fallback;
}
