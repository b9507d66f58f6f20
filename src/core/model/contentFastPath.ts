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
  private active = false;
  private hits = 0;
  private fruitless = 0;

  /** The content of the chunk `input[start, end)` when it has the learned shape, else undefined. */
  match(input: string, start: number, end: number): string | undefined {
    if (!this.active) return undefined;
    const open = start + this.prefix.length;
    const close = end - this.suffix.length - 1;
    if (close <= open || input.charCodeAt(open) !== 34 || input.charCodeAt(close) !== 34) return undefined;
    if (input.slice(start, open) !== this.prefix || input.slice(close + 1, end) !== this.suffix) return undefined;
    this.hits++;
    const value = input.slice(open + 1, close);
    // The common case: no escapes inside, so the characters are the value.
    if (value.indexOf('\\') < 0) return value.indexOf('"') < 0 ? value : undefined;
    return unescapeJson(value) ?? decodeStringLiteral(input.slice(open, close + 1));
  }

  learn(payload: string, content: string): void {
    // Chunks that change in more than their content (OpenAI's `obfuscation`) never match: stop trying.
    if (this.fruitless > 8) return;
    this.fruitless = this.active && this.hits === 0 ? this.fruitless + 1 : 0;
    this.active = false;
    this.hits = 0;
    const keys = [...payload.matchAll(/"content":\s*"/g)];
    if (keys.length !== 1) return;
    const start = keys[0].index + keys[0][0].length - 1;
    const end = closingQuote(payload, start + 1);
    if (end < 0 || decodeStringLiteral(payload.slice(start, end + 1)) !== content) return;
    // Own copies: slices would keep the whole network read alive and compare slower.
    this.prefix = flatCopy(payload.slice(0, start));
    this.suffix = flatCopy(payload.slice(end + 1));
    this.active = true;
  }
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

const SIMPLE_ESCAPES: Record<number, string> = { 34: '"', 92: '\\', 47: '/', 98: '\b', 102: '\f', 110: '\n', 114: '\r', 116: '\t' };

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
  if (literal.length < 2 || literal.charCodeAt(0) !== 34 || literal.charCodeAt(literal.length - 1) !== 34) return undefined;
  const inner = literal.slice(1, -1);
  if (!inner.includes('"') && !inner.includes('\\')) return inner;
  try {
    const value: unknown = JSON.parse(literal);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
