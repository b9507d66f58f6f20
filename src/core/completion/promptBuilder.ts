/**
 * Packs the FIM prompt into a token budget: the lines nearest the cursor first (above it,
 * then below it), then related files, then whatever is left goes back to the prefix and the
 * suffix. Lines are whole (a cut line teaches the model a broken file); the current line is
 * always there. The final text is counted once more as a whole, so `tokens` is the count the
 * server will see when the counter is exact.
 */
import type { TokenCounter } from '../context/tokens/tokenCounter';
import { type FimParts, QWEN_FIM, renderQwenRepo, type Snippet } from './fimFormat';

export interface PromptInput {
  readonly repoName: string;
  readonly path: string;
  /** All the text before the cursor. */
  readonly prefix: string;
  /** All the text after the cursor. */
  readonly suffix: string;
  /** Related files, most useful first. */
  readonly snippets: readonly Snippet[];
  readonly budget: number;
  readonly counter: TokenCounter;
}

export interface PackedPrompt extends FimParts {
  /** The Qwen repo-level rendering of the parts. */
  readonly text: string;
  /** Tokens of `text` by the counter (exact for Qwen models). */
  readonly tokens: number;
}

/** Shares of the budget in the first pass; the rest goes to related files. */
const PREFIX_SHARE = 0.55;
const SUFFIX_SHARE = 0.2;
/** A related file is worth its header only if this many of its lines fit. */
const MIN_SNIPPET_LINES = 4;

export function buildPrompt(input: PromptInput): PackedPrompt {
  const { counter } = input;
  const empty: FimParts = { repoName: input.repoName, path: input.path, snippets: [], prefix: '', suffix: '' };
  const available = Math.max(0, input.budget - counter.count(renderQwenRepo(empty)));
  const before = nearCursor(input.prefix, input.budget, 'before');
  const after = nearCursor(input.suffix, input.budget, 'after');
  let prefix = linesBefore(before, Math.floor(available * PREFIX_SHARE), counter);
  let suffix = linesAfter(after, Math.floor(available * SUFFIX_SHARE), counter);
  let left = available - prefix.tokens - suffix.tokens;
  const snippets: Snippet[] = [];
  for (const snippet of input.snippets) {
    const header = counter.count(`${QWEN_FIM.fileSep}${snippet.path}\n`) + 1;
    const body = linesAfter(snippet.text, left - header, counter);
    const whole = body.text.length === snippet.text.length;
    if (!whole && body.lines < MIN_SNIPPET_LINES) continue;
    snippets.push({ path: snippet.path, text: body.text });
    left -= header + body.tokens;
  }
  const grown = linesBefore(before, prefix.tokens + Math.max(0, left), counter);
  left -= grown.tokens - prefix.tokens;
  prefix = grown;
  suffix = linesAfter(after, suffix.tokens + Math.max(0, left), counter);
  return fitExactly({ ...empty, snippets, prefix: prefix.text, suffix: suffix.text }, input.budget, counter);
}

/** No token is longer than this many characters in practice; text beyond it cannot fit and is not counted. */
export const MAX_CHARS_PER_TOKEN = 16;

/** The part of a huge file that could fit at all, so a 10,000-line file costs what a 300-line one does. */
function nearCursor(text: string, budget: number, side: 'before' | 'after'): string {
  const limit = budget * MAX_CHARS_PER_TOKEN;
  if (text.length <= limit) return text;
  if (side === 'after') return text.slice(0, limit);
  const tail = text.slice(text.length - limit);
  const firstBreak = tail.indexOf('\n');
  return firstBreak >= 0 ? tail.slice(firstBreak + 1) : tail;
}

interface Window {
  readonly text: string;
  readonly tokens: number;
  readonly lines: number;
}

/**
 * The longest run of whole lines ending at the end of `text` within `budget` tokens (by the
 * sum of line counts). The last line (the one the cursor is on) is always taken.
 */
export function linesBefore(text: string, budget: number, counter: TokenCounter): Window {
  let start = text.lastIndexOf('\n') + 1;
  let tokens = counter.count(text.slice(start));
  let lines = 1;
  while (start > 0) {
    const from = text.lastIndexOf('\n', start - 2) + 1;
    const cost = counter.count(text.slice(from, start));
    if (tokens + cost > budget) break;
    tokens += cost;
    lines++;
    start = from;
  }
  return { text: text.slice(start), tokens, lines };
}

/** The longest run of whole lines from the start of `text` within `budget` tokens; the first line is always taken. */
export function linesAfter(text: string, budget: number, counter: TokenCounter): Window {
  let end = lineEnd(text, 0);
  let tokens = counter.count(text.slice(0, end));
  let lines = 1;
  while (end < text.length) {
    const next = lineEnd(text, end);
    const cost = counter.count(text.slice(end, next));
    if (tokens + cost > budget) break;
    tokens += cost;
    lines++;
    end = next;
  }
  return { text: text.slice(0, end), tokens, lines };
}

/** The index just past the line that starts at `from` (its newline included). */
function lineEnd(text: string, from: number): number {
  const at = text.indexOf('\n', from);
  return at < 0 ? text.length : at + 1;
}

/**
 * Counts the whole prompt and, while it is over the budget (line sums can differ from the
 * count of the joined text by a token here and there), drops the line farthest from the
 * cursor: a related file's last line first, then the top of the prefix, then the end of the suffix.
 */
function fitExactly(parts: FimParts, budget: number, counter: TokenCounter): PackedPrompt {
  let current = parts;
  for (;;) {
    const text = renderQwenRepo(current);
    const tokens = counter.count(text);
    const smaller = tokens > budget ? shrink(current, budget / tokens) : undefined;
    if (!smaller) return { ...current, text, tokens };
    current = smaller;
  }
}

/** `keep` is the share of the prompt that fits: a line of minified code is cut to about that at once, not by halves. */
function shrink(parts: FimParts, keep: number): FimParts | undefined {
  const last = parts.snippets.at(-1);
  if (last) {
    const text = dropLastLine(last.text);
    const snippets = parts.snippets.slice(0, -1);
    return { ...parts, snippets: text ? [...snippets, { path: last.path, text }] : snippets };
  }
  const firstBreak = parts.prefix.indexOf('\n');
  if (firstBreak >= 0) return { ...parts, prefix: parts.prefix.slice(firstBreak + 1) };
  if (parts.suffix) return { ...parts, suffix: dropLastLine(parts.suffix, keep) };
  // One line longer than the budget (minified code): its characters nearest the cursor.
  if (parts.prefix) {
    const cut = Math.max(Math.ceil(parts.prefix.length / 4), Math.floor(parts.prefix.length * (1 - keep)));
    return { ...parts, prefix: parts.prefix.slice(cut) };
  }
  return undefined;
}

function dropLastLine(text: string, keep = 1): string {
  const trimmed = text.endsWith('\n') ? text.slice(0, -1) : text;
  const at = trimmed.lastIndexOf('\n');
  if (at >= 0) return trimmed.slice(0, at + 1);
  // One long line: keep the half nearest the cursor, or less when far less fits.
  return trimmed.length > 1 ? trimmed.slice(0, Math.floor(trimmed.length * Math.min(0.5, keep))) : '';
}
