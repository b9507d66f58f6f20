/**
 * The fast path for the bulk of a long answer: chunks that carry nothing but a piece
 * of content, recognised without JSON.parse. Sound by construction: a chunk matches
 * only when every byte outside its content string equals a chunk that was fully
 * parsed, and the content is exactly one JSON string literal.
 */

/**
 * Most chunks of a long answer differ only in their `content` string. After one such
 * chunk has been parsed, the next ones are recognised by their unchanged prefix and
 * suffix, and only the string in between is decoded. A chunk that differs in any
 * other byte goes through `JSON.parse` as usual.
 */
export class ContentFastPath {
  private prefix = '';
  private suffix = '';
  /**
   * The learned shape as one sticky pattern: prefix, a JSON string literal, suffix.
   * Irregexp compares the fixed parts in native code without cutting anything out
   * of the network read, several times faster than slicing and comparing strings.
   */
  private shape: RegExp | undefined;
  /** `data: `, the learned shape and a blank line, again and again: whole events in bulk. */
  private events: RegExp | undefined;
  /** One such event, the content literal's inside captured. */
  private event: RegExp | undefined;
  private hits = 0;
  private fruitless = 0;

  /** The content of the chunk `input[start, end)` when it has the learned shape, else undefined. */
  match(input: string, start: number, end: number): string | undefined {
    const shape = this.shape;
    if (shape === undefined) return undefined;
    const open = start + this.prefix.length;
    const close = end - this.suffix.length - 1;
    if (end - start > LONGEST_PATTERN_MATCH) return this.matchLong(input, start, open, close);
    if (!this.matches(shape, input, start, end)) return undefined;
    const value = input.slice(open + 1, close);
    // The common case: no escapes inside, so the characters are the value.
    return value.indexOf('\\') < 0 ? value : unescapeJson(value);
  }

  /**
   * The content of the chunk `input[start, end)` still escaped, exactly as it stands
   * between its quotes, when the chunk has the learned shape and every escape in it is
   * valid; else undefined. Such literals can be joined and then unescaped at once.
   * Lines longer than LONGEST_PATTERN_MATCH are left to `match`.
   */
  literal(input: string, start: number, end: number): string | undefined {
    const shape = this.shape;
    if (shape === undefined || end - start > LONGEST_PATTERN_MATCH || !this.matches(shape, input, start, end))
      return undefined;
    return input.slice(start + this.prefix.length + 1, end - this.suffix.length - 1);
  }

  /**
   * How much of `input` from `start` (a line start) is whole SSE events of the learned
   * shape (`data: ` line, blank line), looking at most LONGEST_PATTERN_MATCH characters
   * ahead; their content literals, still escaped and joined, go to `take`.
   */
  run(input: string, start: number, take: (literals: string) => void): number {
    const events = this.events;
    const event = this.event;
    if (events === undefined || event === undefined) return start;
    const window =
      input.length - start > LONGEST_PATTERN_MATCH
        ? input.slice(start, start + LONGEST_PATTERN_MATCH)
        : start === 0
          ? input
          : input.slice(start);
    events.lastIndex = 0;
    if (!events.test(window)) return start;
    const length = events.lastIndex;
    if (length === 0) return start;
    this.hits++;
    take(window.slice(0, length).replace(event, '$1'));
    return start + length;
  }

  private matches(shape: RegExp, input: string, start: number, end: number): boolean {
    shape.lastIndex = start;
    // The literal ends at its first unescaped quote, so ending at `end` means the pattern is the whole line.
    if (!shape.test(input) || shape.lastIndex !== end) return false;
    this.hits++;
    return true;
  }

  private matchLong(input: string, start: number, open: number, close: number): string | undefined {
    if (close <= open || input.charCodeAt(open) !== 34 || input.charCodeAt(close) !== 34) return undefined;
    if (!input.startsWith(this.prefix, start) || !input.startsWith(this.suffix, close + 1)) return undefined;
    this.hits++;
    const value = input.slice(open + 1, close);
    if (value.indexOf('\\') < 0) return value.indexOf('"') < 0 ? value : undefined;
    return unescapeJson(value) ?? decodeStringLiteral(input.slice(open, close + 1));
  }

  learn(payload: string, content: string): void {
    // Chunks that change in more than their content (OpenAI's `obfuscation`) never match: stop trying.
    if (this.fruitless > 8) return;
    this.fruitless = this.shape !== undefined && this.hits === 0 ? this.fruitless + 1 : 0;
    this.shape = undefined;
    this.events = undefined;
    this.event = undefined;
    this.hits = 0;
    const keys = [...payload.matchAll(/"content":\s*"/g)];
    if (keys.length !== 1) return;
    const start = keys[0].index + keys[0][0].length - 1;
    const end = closingQuote(payload, start + 1);
    if (end < 0 || decodeStringLiteral(payload.slice(start, end + 1)) !== content) return;
    // Own copies: slices would keep the whole network read alive and compare slower.
    this.prefix = flatCopy(payload.slice(0, start));
    this.suffix = flatCopy(payload.slice(end + 1));
    const prefix = escapeRegExp(this.prefix);
    const suffix = escapeRegExp(this.suffix);
    this.shape = new RegExp(`${prefix}"${LITERAL_INSIDE}"${suffix}`, 'y');
    this.events = new RegExp(`(?:data: ?${prefix}"${LITERAL_INSIDE}"${suffix}\n\n)*`, 'y');
    this.event = new RegExp(`data: ?${prefix}"(${LITERAL_INSIDE})"${suffix}\n\n`, 'g');
  }
}

/**
 * Lines longer than this are compared without the pattern: irregexp's backtrack stack
 * grows with the number of escapes in a literal and overflows on a multi-megabyte one.
 */
export const LONGEST_PATTERN_MATCH = 65_536;

/**
 * The inside of a JSON string literal whose escapes are all valid (so literals can be joined
 * without one escape running into the next), unrolled so that plain text costs no backtracking.
 * Unescaped control characters pass, as they always did on the fast path.
 */
const LITERAL_INSIDE = String.raw`[^"\\]*(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\]*)*`;

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

function flatCopy(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

function closingQuote(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === 92 /* \ */) i++;
    else if (char === 34 /* " */) return i;
  }
  return -1;
}

const SIMPLE_ESCAPES: Record<number, string> = {
  34: '"',
  92: '\\',
  47: '/',
  98: '\b',
  102: '\f',
  110: '\n',
  114: '\r',
  116: '\t',
};

/**
 * The inside of a JSON string literal, unescaped; undefined when it holds an unescaped
 * quote or a bad escape (JSON.parse then decides). Newlines and quotes in code make
 * escapes common, and this is much cheaper than JSON.parse on a short string.
 */
export function unescapeJson(inner: string): string | undefined {
  let out = '';
  let last = 0;
  for (let at = inner.indexOf('\\'); at >= 0; at = inner.indexOf('\\', last)) {
    const raw = inner.slice(last, at);
    if (raw.indexOf('"') >= 0) return undefined;
    out += raw;
    const code = inner.charCodeAt(at + 1);
    const simple = SIMPLE_ESCAPES[code];
    if (simple !== undefined) {
      out += simple;
      last = at + 2;
    } else if (code === 117 /* u */ && /^[0-9a-fA-F]{4}$/.test(inner.slice(at + 2, at + 6))) {
      out += String.fromCharCode(parseInt(inner.slice(at + 2, at + 6), 16));
      last = at + 6;
    } else {
      return undefined;
    }
  }
  const rest = inner.slice(last);
  return rest.indexOf('"') >= 0 ? undefined : out + rest;
}

/** The value of one JSON string literal, or undefined when `literal` is not exactly one. */
export function decodeStringLiteral(literal: string): string | undefined {
  if (literal.length < 2 || literal.charCodeAt(0) !== 34 || literal.charCodeAt(literal.length - 1) !== 34)
    return undefined;
  const inner = literal.slice(1, -1);
  if (!inner.includes('"') && !inner.includes('\\')) return inner;
  try {
    const value: unknown = JSON.parse(literal);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
