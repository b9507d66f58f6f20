/**
 * Turns what the model wrote into what the editor shows: cut at the first special token,
 * one line when the cursor is in the middle of a line, stop where the block the cursor is in
 * ends (by indentation and brackets), drop what the text after the cursor already has, and
 * never more than `maxLines` lines. Returns '' when nothing worth showing is left.
 */

export interface CursorContext {
  /** The current line's text before the cursor. */
  readonly linePrefix: string;
  /** The current line's text after the cursor. */
  readonly lineSuffix: string;
  /** The lines after the current one (a few are enough). */
  readonly nextLines: readonly string[];
  readonly maxLines: number;
}

const SPECIAL_TOKEN = /<\|[a-z_]+\|>/;
const OPENERS = '([{';
const CLOSERS = ')]}';
/** A line that only closes: `}`, `});`, `]`, `end`-less languages' closers with punctuation. */
const CLOSING_LINE = /^\s*[)\]}][)\]};,]*\s*$/;

/** True when the rest of the line holds more than closers and punctuation: then only one line fits. */
export function isMidLine(lineSuffix: string): boolean {
  return /[^\s)\]}'"`;,:]/.test(lineSuffix);
}

export function postProcess(raw: string, context: CursorContext): string {
  let text = cutAtSpecialToken(raw).replace(/\r\n/g, '\n');
  if (isMidLine(context.lineSuffix)) text = text.split('\n')[0];
  else text = endOfBlock(text, context);
  text = stripSuffixOverlap(text, context);
  const lines = text.split('\n').slice(0, Math.max(1, context.maxLines));
  // Trimmed to the end, so a completion of only whitespace becomes ''.
  return lines
    .map((line) => line.trimEnd())
    .join('\n')
    .trimEnd();
}

export function cutAtSpecialToken(text: string): string {
  const at = text.search(SPECIAL_TOKEN);
  return at < 0 ? text : text.slice(0, at);
}

export function indentOf(line: string): number {
  let width = 0;
  for (const char of line) {
    if (char === ' ') width++;
    else if (char === '\t') width += 4;
    else break;
  }
  return width;
}

/**
 * Where the block the cursor is in ends. The completion's first line continues the cursor's
 * line; a later line indented less than the cursor's line leaves the block: kept only when it
 * just closes a bracket and the text after the cursor does not close it already. A bracket
 * closed that was opened before the current line ends it too, and so does a closing line at the
 * cursor's indentation that closes what the completion opened.
 */
export function endOfBlock(text: string, context: CursorContext): string {
  const lines = text.split('\n');
  const base = indentOf(context.linePrefix);
  const nextCode = context.nextLines.find((line) => line.trim())?.trim() ?? '';
  const startDepth = unclosed(context.linePrefix);
  let depth = startDepth;
  const kept: string[] = [];
  for (const [i, line] of lines.entries()) {
    const blank = !line.trim();
    if (i > 0 && !blank && indentOf(line) < base) {
      if (CLOSING_LINE.test(line) && line.trim() !== nextCode) kept.push(line);
      break;
    }
    const after = depthAfter(line, depth);
    if (after < 0) {
      kept.push(beforeUnmatchedCloser(line, depth));
      break;
    }
    depth = after;
    kept.push(line);
    // A block the completion opened (or the cursor's line opened) closed at the cursor's indentation: done.
    if (i > 0 && indentOf(line) === base && CLOSING_LINE.test(line) && depth <= startDepth) break;
  }
  return kept.join('\n');
}

/** Brackets the current line opened and did not close (strings are not parsed: a bracket in one counts). */
function unclosed(line: string): number {
  return Math.max(0, depthAfter(line, 0, true));
}

function depthAfter(line: string, depth: number, allowNegative = false): number {
  let current = depth;
  for (const char of line) {
    if (OPENERS.includes(char)) current++;
    else if (CLOSERS.includes(char)) {
      current--;
      if (current < 0 && !allowNegative) return -1;
    }
  }
  return current;
}

function beforeUnmatchedCloser(line: string, depth: number): string {
  let current = depth;
  for (let i = 0; i < line.length; i++) {
    if (OPENERS.includes(line[i])) current++;
    else if (CLOSERS.includes(line[i]) && --current < 0) return line.slice(0, i);
  }
  return line;
}

/**
 * Drops the end of the completion that the text after the cursor repeats: the rest of the
 * line (`foo(|)` completed with `a)`), or whole lines equal to the ones that follow.
 */
export function stripSuffixOverlap(text: string, context: CursorContext): string {
  let out = text;
  const rest = context.lineSuffix.trim();
  if (rest && out.trimEnd().endsWith(rest) && closesWhatRestCloses(out, context.linePrefix, rest))
    out = out.trimEnd().slice(0, -rest.length);
  const lines = out.split('\n');
  const next = context.nextLines.map((line) => line.trimEnd());
  for (let n = Math.min(lines.length - 1, next.length); n > 0; n--) {
    const tail = lines.slice(lines.length - n).map((line) => line.trimEnd());
    if (tail.every((line, i) => line === next[i]) && tail.some((line) => line.trim()))
      return lines.slice(0, lines.length - n).join('\n');
  }
  return out;
}

/**
 * `foo(|)` completed with `a)` repeats the `)`; completed with `bar(a)` it does not. When the rest
 * of the line closes brackets, the completion repeats it only if it closes more than it opens.
 */
function closesWhatRestCloses(text: string, linePrefix: string, rest: string): boolean {
  if (!/[)\]}]/.test(rest)) return true;
  const start = unclosed(linePrefix);
  return depthAfter(text, start, true) < start;
}
