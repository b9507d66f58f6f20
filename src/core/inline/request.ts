/**
 * The request for an inline edit: the range to rewrite between markers, the file around
 * it (nearest lines first, as many as the budget allows), the file's imports when they fall
 * outside that, the pinned items, the problems to fix and the instruction; counted with the
 * chat's tokenizer and budget plan. The model is asked for the replacement of the range only.
 */
import { type TokenCounter, planBudget } from '../context';
import { MESSAGE_OVERHEAD } from '../context/pack/budget';
import type { ChatMessage } from '../model/types';
import { MAX_CHARS_PER_TOKEN } from '../completion/promptBuilder';
import { importLines } from './imports';

export interface InlineProblem {
  /** 0-based line in the document. */
  readonly line: number;
  readonly message: string;
  readonly severity?: string;
  readonly source?: string;
}

export interface InlineRequestInput {
  /** As the user sees it (workspace-relative, or the editor's title). */
  readonly path: string;
  readonly languageId: string;
  /** The whole document as it is in the editor. */
  readonly text: string;
  /** 0-based lines, inclusive. */
  readonly range: { readonly start: number; readonly end: number };
  readonly instruction: string;
  readonly problems?: readonly InlineProblem[];
  readonly pinned?: readonly { readonly title: string; readonly text: string }[];
  /** Refining: the rewrite under review and the instructions that produced it. */
  readonly previous?: { readonly instructions: readonly string[]; readonly proposal: readonly string[] };
  readonly counter: TokenCounter;
  /** The model's window in tokens, and what is kept for the answer. */
  readonly window: number;
  readonly reserve?: number;
}

export interface InlineRequest {
  readonly messages: ChatMessage[];
  /** What the messages cost, counted by `counter`. */
  readonly tokens: number;
  /** The file's lines sent around the range (0-based, inclusive). */
  readonly context: { readonly from: number; readonly to: number };
  /** Titles of pinned items sent, and of those that did not fit. */
  readonly pinned: { readonly included: readonly string[]; readonly left: readonly string[] };
}

export const INLINE_SYSTEM_PROMPT = [
  "You are QCoder's inline editor. You rewrite one marked range of a file as the user instructs.",
  'Reply with the new text of the range only: the exact lines that replace it, indented as ' +
    'the file is, and nothing else.',
  'No Markdown fences, no explanation, no markers, no lines from outside the range.',
  'If the instruction cannot be carried out as a change to this code, reply with one short sentence saying why.',
].join('\n');

export const START_MARKER = '<<<<<<< REWRITE START';
export const END_MARKER = '>>>>>>> REWRITE END';

export function inlineRequest(input: InlineRequestInput): InlineRequest {
  const lines = input.text.split(/\r\n|\n/);
  const { start, end } = input.range;
  if (start < 0 || end < start || end >= lines.length)
    throw new Error(`The range ${start + 1}-${end + 1} is not in the document (${lines.length} lines).`);
  const system = INLINE_SYSTEM_PROMPT;
  const plan = planBudget(
    { window: input.window, reserve: input.reserve },
    { system: input.counter.count(system) + MESSAGE_OVERHEAD, tools: 0 },
    input.counter.exact,
  );
  const available = plan.caps.retrieved;
  // A range of megabytes cannot fit: said before it is copied and counted (that would hold the editor for seconds).
  const rangeChars = lines.slice(start, end + 1).reduce((sum, line) => sum + line.length + 1, 0);
  if (rangeChars > available * MAX_CHARS_PER_TOKEN)
    throw new Error(
      `The range is too large for the model's window: ${rangeChars} characters, and ${available} ` +
        `tokens are free. Select fewer lines.`,
    );
  const bare = userMessage(input, lines, { from: start, to: end }, [], []);
  const needed = input.counter.count(bare) + MESSAGE_OVERHEAD;
  if (needed > available)
    throw new Error(
      `The range is too large for the model's window: it needs ${needed} tokens and ` +
        `${available} are free. Select fewer lines.`,
    );
  const pinned = choosePinned(input, Math.min(plan.caps.pinned, available - needed));
  const pinnedTokens = pinned.included.reduce((sum, item) => sum + input.counter.count(item.text) + 8, 0);
  const around = widen(lines, start, end, available - needed - pinnedTokens, input.counter);
  let context = around;
  for (;;) {
    const content = userMessage(input, lines, context, pinned.included, importsOutside(lines, context));
    const tokens = input.counter.count(system) + input.counter.count(content) + 2 * MESSAGE_OVERHEAD;
    // Per-line counts are close to the whole text's, not equal: give back lines until the whole fits.
    if (tokens <= plan.input - plan.margin || (context.from === start && context.to === end)) {
      const messages: ChatMessage[] = [
        { role: 'system', content: system },
        { role: 'user', content },
      ];
      const titles = (items: readonly { title: string }[]) => items.map((item) => item.title);
      return { messages, tokens, context, pinned: { included: titles(pinned.included), left: titles(pinned.left) } };
    }
    context = shrink(context, start, end);
  }
}

function choosePinned(input: InlineRequestInput, cap: number) {
  const included: { title: string; text: string }[] = [];
  const left: { title: string; text: string }[] = [];
  let used = 0;
  for (const item of input.pinned ?? []) {
    const cost = input.counter.count(item.text) + 8;
    if (used + cost <= cap) {
      included.push(item);
      used += cost;
    } else left.push(item);
  }
  return { included, left };
}

/** Lines around the range, nearest first, alternating above and below, until `budget` tokens. */
function widen(lines: readonly string[], start: number, end: number, budget: number, counter: TokenCounter) {
  let from = start;
  let to = end;
  let left = budget;
  for (let step = 0; from > 0 || to < lines.length - 1; step++) {
    const above = from > 0 && (step % 2 === 0 || to >= lines.length - 1);
    const line = above ? lines[from - 1] : lines[to + 1];
    if (cannotFit(line, left)) break;
    const cost = counter.count(`${line}\n`);
    if (cost > left) break;
    left -= cost;
    if (above) from--;
    else to++;
  }
  return { from, to };
}

/** True when `text` is too long to fit `budget` tokens whatever it holds. */
const cannotFit = (text: string, budget: number) => text.length > budget * MAX_CHARS_PER_TOKEN;

function shrink(context: { from: number; to: number }, start: number, end: number) {
  const cut = (size: number) => Math.max(1, Math.ceil(size / 10));
  return {
    from: Math.min(start, context.from + cut(start - context.from)),
    to: Math.max(end, context.to - cut(context.to - end)),
  };
}

/** Import lines of the file that are not already among the lines sent. */
function importsOutside(lines: readonly string[], context: { from: number; to: number }): string[] {
  return importLines(lines)
    .filter((index) => index < context.from || index > context.to)
    .map((index) => lines[index]);
}

function userMessage(
  input: InlineRequestInput,
  lines: readonly string[],
  context: { from: number; to: number },
  pinned: readonly { title: string; text: string }[],
  imports: readonly string[],
): string {
  const { start, end } = input.range;
  const span = `lines ${start + 1}-${end + 1}`;
  const parts = [`File: \`${input.path}\`${input.languageId ? ` (${input.languageId})` : ''}`];
  if (imports.length) parts.push(`Imports of the file:\n${fenced(imports.join('\n'), input.languageId)}`);
  for (const item of pinned) parts.push(`Pinned: ${item.title}\n${fenced(item.text)}`);
  const body = [
    ...lines.slice(context.from, start),
    `${START_MARKER} (${span})`,
    ...lines.slice(start, end + 1),
    END_MARKER,
    ...lines.slice(end + 1, context.to + 1),
  ].join('\n');
  parts.push(
    `The file (lines ${context.from + 1}-${context.to + 1} of ${lines.length}); the range to rewrite is ` +
      `${span}, between the markers:\n${fenced(body, input.languageId)}`,
  );
  if (input.problems?.length)
    parts.push(`Problems to fix in the range:\n${input.problems.map(problemLine).join('\n')}`);
  if (input.previous) {
    const asked = input.previous.instructions.map((each) => `"${each}"`).join(', then ');
    parts.push(
      `Your rewrite of the range for ${asked} is under review:\n` +
        `${fenced(input.previous.proposal.join('\n'), input.languageId)}\nChange that rewrite as the instruction ` +
        `says (the original is between the markers above).`,
    );
  }
  parts.push(`Instruction: ${input.instruction}`);
  parts.push(`Reply with the replacement for ${span} only.`);
  return parts.join('\n\n');
}

function problemLine(problem: InlineProblem): string {
  const where = `line ${problem.line + 1}${problem.severity ? ` (${problem.severity})` : ''}`;
  return `- ${where}: ${problem.message}${problem.source ? ` [${problem.source}]` : ''}`;
}

function fenced(text: string, language = ''): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${text}\n${fence}`;
}
