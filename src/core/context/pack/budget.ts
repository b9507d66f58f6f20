/**
 * How the window is shared: the answer's reserve comes off the top; system prompt
 * and tool schemas take what they measure; pinned items and history take what they
 * need up to their caps; retrieved context gets what is left, at most its own budget
 * (`retrieved`) when one is set: the window is a ceiling, not a target.
 */
import type { Share } from '../types';

export const DEFAULT_WINDOW = 262_144;
/** Chat-template tokens around one message (`<|im_start|>role\n … <|im_end|>\n` is 5; one spare). */
export const MESSAGE_OVERHEAD = 6;
/** The template's `<tools>` preamble and per-tool wrapping, rounded up. */
export const TOOLS_OVERHEAD = 160;
/** `<|im_start|>assistant\n` that opens the reply. */
export const REPLY_PRIMER = 3;
/**
 * What retrieval adds to a message unless the user asks for more (`qcoder.context.retrievedTokens`).
 * A cost choice read off the recall benchmark (bench/retrieval, 28 SWE-bench Lite issues, fresh run):
 * every gold file covered in 54 % of them at 16K, 57 % at 24K, 61 % at 32K, 64 % at 48K, 89 % with a
 * whole 256K window. 32K buys one issue in 28 over 24K but takes a first message past 32K input
 * tokens, into DashScope's next price tier (1.5× per token); 24K keeps it in the cheapest, at about a
 * ninth of the tokens a filled window sends. `@codebase` or "fill the window" buys the rest when a
 * message needs it.
 */
export const DEFAULT_RETRIEVED_TOKENS = 24_000;

export interface BudgetOptions {
  /** The model's context window in tokens (default 262,144). */
  readonly window?: number;
  /** Kept for the answer (default: an eighth of the window, at most 32,768). */
  readonly reserve?: number;
  /** Most of the input the history may take before it is compacted (default 0.3). */
  readonly historyShare?: number;
  /** Most of the input pinned items may take (default 0.5). */
  readonly pinnedShare?: number;
  /** Kept free when counts are estimated rather than exact (default 0.05). */
  readonly estimateMargin?: number;
  /** Most tokens retrieved context may take, chat-template overhead included (default: all that is left). */
  readonly retrieved?: number;
}

export interface BudgetPlan {
  readonly window: number;
  readonly reserve: number;
  /** window − reserve: what the prompt may use. */
  readonly input: number;
  /** Tokens kept free against estimation error (0 with an exact tokenizer). */
  readonly margin: number;
  /** Tokens each share may use. system/tools are what they measure. */
  readonly caps: Readonly<Record<Share, number>>;
}

export function defaultReserve(window: number): number {
  return Math.min(32_768, Math.floor(window / 8));
}

/**
 * `fixed` are the measured system and tool tokens. Throws when they alone do not fit:
 * nothing can be sent then, and saying so beats sending a prompt the server rejects.
 */
export function planBudget(
  options: BudgetOptions,
  fixed: { system: number; tools: number },
  exact: boolean,
): BudgetPlan {
  const window = Math.floor(options.window ?? DEFAULT_WINDOW);
  const reserve = Math.floor(options.reserve ?? defaultReserve(window));
  const input = window - reserve;
  const margin = exact ? 0 : Math.ceil(input * (options.estimateMargin ?? 0.05));
  const rest = input - margin - fixed.system - fixed.tools - REPLY_PRIMER;
  // A window no larger than the reserve leaves a negative rest too.
  if (rest < 0) {
    throw new Error(
      `The system prompt and tools need ${fixed.system + fixed.tools} tokens; the window of ${window} with ` +
        `${reserve} reserved for the answer leaves ${Math.max(0, input - margin)}.`,
    );
  }
  return {
    window,
    reserve,
    input,
    margin,
    caps: {
      system: fixed.system,
      tools: fixed.tools,
      pinned: Math.floor(rest * (options.pinnedShare ?? 0.5)),
      history: Math.floor(rest * (options.historyShare ?? 0.3)),
      retrieved: rest,
    },
  };
}
