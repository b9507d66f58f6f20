/**
 * Streams visible text through while taking out what the user should not see as
 * text: `<tool_call>…</tool_call>` (and bare `<function=…>…</function>`) blocks a
 * server did not parse, and a leading `<think>…</think>` block. Text that might be
 * the start of such a tag is held back until the next piece shows what it is, so a
 * half-received `<tool_call>` never flashes on screen. Tags inside code (a fenced
 * block, or right after a backtick) are left alone: that is the model talking
 * about the syntax, not using it.
 */
import { type MarkupCall, parseToolCallBlock } from './qwenToolCalls';
import type { ToolSchema } from './types';

/** Where what is not visible text goes; visible text collects in `MarkupFilter.pieces`. */
export interface MarkupSink {
  reasoning(text: string): void;
  call(call: MarkupCall): void;
}

type Mode = 'text' | 'tool' | 'function' | 'think';

const OPENERS: ReadonlyArray<{ tag: string; mode: Mode; close: string }> = [
  { tag: '<tool_call>', mode: 'tool', close: '</tool_call>' },
  { tag: '<function=', mode: 'function', close: '</function>' },
  { tag: '<think>', mode: 'think', close: '</think>' },
];

export class MarkupFilter {
  private mode: Mode = 'text';
  private close = '';
  /** Text mode: a possible tag start held back. Think mode: a possible start of `</think>`. */
  private pending = '';
  /**
   * Tool-call modes: the block so far. Appending makes a rope that is flattened once, when the
   * block ends; it is never searched, so a long block stays linear.
   */
  private block = '';
  /** Tool-call modes: the end of the block so far when it may be the start of the closing tag, else ''. */
  private tail = '';
  private anyVisible = false;
  private afterBlock = false;
  private readonly fence = new FenceTracker();
  private fencedUpTo = 0;
  /** The visible text so far, in the pieces it was shown in. */
  readonly pieces: string[] = [];

  constructor(private readonly tools: readonly ToolSchema[] = []) {}

  push(chunk: string, sink: MarkupSink): void {
    // The usual pieces: plain text, or more of a tool-call block with no closing tag in sight. Both are fast paths:
    // with one off the piece takes the general path, with the same result.
    // Stryker disable next-line StringLiteral,BlockStatement: a fast path (above), same result
    if (this.mode === 'tool' || this.mode === 'function') {
      if (!this.tail && this.plainBlockPiece(chunk)) {
        this.block += chunk;
        return;
      }
      // Stryker disable next-line StringLiteral,BlockStatement: a fast path (above), same result
    } else if (this.mode === 'text' && !this.pending && chunk.indexOf('<') < 0) {
      this.emit(chunk);
      return;
    }
    // Only the short held-back text is joined to a piece: a block is never rebuilt, so a long one stays linear.
    let rest: string | undefined = this.pending ? this.pending + chunk : chunk;
    this.pending = '';
    while (rest !== undefined) rest = this.mode === 'text' ? this.inText(rest) : this.inBlock(rest, sink);
  }

  /**
   * The stream is over. A tool-call block still open is dropped when the server also sent
   * native tool calls (`nativeCalls`): it is the same call leaking into the text (llama.cpp).
   * Otherwise its calls are kept, marked as cut off so they are not run.
   */
  end(sink: MarkupSink, nativeCalls = false): void {
    const pending = this.pending;
    this.pending = '';
    if (this.mode === 'text') {
      if (pending) this.emit(pending);
    } else if (this.mode === 'think') {
      if (pending) sink.reasoning(pending);
    } else if (!nativeCalls) {
      this.finishBlock(this.block, false, sink);
    }
    this.block = '';
    this.mode = 'text';
  }

  /** Returns what is left to process in the new mode, or undefined when all is consumed. */
  private inText(input: string): string | undefined {
    let text = input;
    let from = 0;
    for (;;) {
      const at = text.indexOf('<', from);
      if (at < 0) {
        this.emit(text);
        return undefined;
      }
      // Text before a `<` is visible whatever the `<` turns out to be.
      if (at > 0) {
        this.emit(text.slice(0, at));
        text = text.slice(at);
      }
      const opener = OPENERS.find((o) => text.startsWith(o.tag));
      if (opener && this.allowed(opener.mode)) {
        this.mode = opener.mode;
        this.close = opener.close;
        this.block = '';
        this.tail = '';
        // A bare <function=…> block keeps its opening tag: the parser needs it.
        return opener.mode === 'function' ? text : text.slice(opener.tag.length);
      }
      if (!opener && text.length < 12 && OPENERS.some((o) => o.tag.startsWith(text) && this.allowed(o.mode))) {
        this.pending = text;
        return undefined;
      }
      from = 1;
    }
  }

  private inBlock(input: string, sink: MarkupSink): string | undefined {
    if (this.mode === 'think') return this.inThink(input, sink);
    // Looks only at the new piece (and a held start of the closing tag): a long block stays linear.
    const after = this.closeEnd(input);
    if (after < 0) {
      this.block += input;
      this.tail = heldStart(this.tail, input, this.close);
      return undefined;
    }
    const whole = this.block + input.slice(0, after);
    // Stryker disable next-line StringLiteral: frees the block; it is set again when the next block opens
    this.block = '';
    // Stryker disable next-line StringLiteral: the tail is set again when the next block opens
    this.tail = '';
    const body = this.mode === 'function' ? whole : whole.slice(0, whole.length - this.close.length);
    this.afterBlock = this.finishBlock(body, true, sink);
    this.mode = 'text';
    return input.slice(after);
  }

  /** A piece that neither holds the closing tag nor ends with a possible start of it (the tag begins `</`). */
  // Stryker disable next-line BlockStatement: a fast-path test; a falsy answer only sends the piece the general way
  private plainBlockPiece(chunk: string): boolean {
    // Stryker disable next-line StringLiteral: a fast-path test; a false answer only sends the piece the general way
    const last = chunk.lastIndexOf('<');
    // Stryker disable next-line StringLiteral: a fast-path test; a false answer only sends the piece the general way
    return last < 0 || (last < chunk.length - (this.close.length - 1) && chunk.indexOf('</') < 0);
  }

  /** Where the closing tag ends in `input` (it may have begun in an earlier piece), or -1. */
  private closeEnd(input: string): number {
    const close = this.close;
    if (this.tail) {
      // Stryker disable next-line MethodExpression: a longer window finds the same first closing tag
      const at = (this.tail + input.slice(0, close.length - 1)).indexOf(close);
      if (at >= 0) return at - this.tail.length + close.length;
    }
    const at = input.indexOf(close);
    return at < 0 ? -1 : at + close.length;
  }

  private inThink(input: string, sink: MarkupSink): string | undefined {
    const at = input.indexOf(this.close);
    if (at < 0) {
      // Reasoning streams as it comes; only a possible start of `</think>` waits.
      const keep = partialSuffix(input, this.close);
      if (input.length > keep) sink.reasoning(input.slice(0, input.length - keep));
      this.pending = input.slice(input.length - keep);
      return undefined;
    }
    if (at > 0) sink.reasoning(input.slice(0, at));
    // Whitespace after a thinking block is layout, not text.
    this.afterBlock = true;
    this.mode = 'text';
    return input.slice(at + this.close.length);
  }

  /** Returns whether the block held tool calls. */
  private finishBlock(body: string, closed: boolean, sink: MarkupSink): boolean {
    const calls = closed ? parseToolCallBlock(body, this.tools) : cutOffCalls(body, this.tools);
    if (calls.length === 0) {
      // Not a tool call after all: give the text back rather than lose it.
      const opener = this.mode === 'tool' ? '<tool_call>' : '';
      this.emit(`${opener}${body}${closed && this.mode === 'tool' ? this.close : ''}`);
      return false;
    }
    for (const call of calls) {
      if (closed) sink.call(call);
      else
        sink.call({
          ...call,
          parseError:
            `The ${call.name} call was cut off before it was complete, so it was not run. ` +
            `Send the whole call again.`,
        });
    }
    return true;
  }

  /** Whether a tag here is markup: not inside code, and `<think>` only before any visible text. */
  private allowed(mode: Mode): boolean {
    if (mode === 'think' && this.anyVisible) return false;
    if (this.inInlineCode()) return false;
    for (; this.fencedUpTo < this.pieces.length; this.fencedUpTo++) this.fence.feed(this.pieces[this.fencedUpTo]);
    return !this.fence.inFence;
  }

  /**
   * Joins the pieces from `from` on into one, and returns it. The pieces are slices of
   * network reads; joined, they stop keeping those reads alive.
   */
  compact(from: number): string {
    const pieces = this.pieces;
    if (pieces.length - from === 1) return pieces[from];
    if (this.fencedUpTo > from) {
      for (; this.fencedUpTo < pieces.length; this.fencedUpTo++) this.fence.feed(pieces[this.fencedUpTo]);
    }
    const joined = pieces.slice(from).join('');
    pieces.length = from;
    pieces.push(joined);
    if (this.fencedUpTo > from) this.fencedUpTo = pieces.length;
    return joined;
  }

  /** An odd number of backticks so far on the current line: inside an inline code span. */
  private inInlineCode(): boolean {
    let ticks = 0;
    let seen = 0;
    for (let i = this.pieces.length - 1; i >= 0 && seen < 4000; i--) {
      const piece = this.pieces[i];
      const newline = piece.lastIndexOf('\n');
      const line = newline < 0 ? piece : piece.slice(newline + 1);
      for (let j = 0; j < line.length; j++) if (line.charCodeAt(j) === 96) ticks++;
      if (newline >= 0) break;
      seen += piece.length;
    }
    return ticks % 2 === 1;
  }

  private emit(text: string): void {
    let shown = text;
    if (this.afterBlock) {
      // Whitespace between and after tool-call blocks is layout, not text.
      shown = shown.trimStart();
      if (!shown) return;
      this.afterBlock = false;
    }
    if (!shown) return;
    this.pieces.push(shown);
    if (!this.anyVisible && shown.trim()) this.anyVisible = true;
  }
}

/** The calls of a block the stream ended inside; one cut inside its own `<function=name` still counts. */
function cutOffCalls(body: string, tools: readonly ToolSchema[]): MarkupCall[] {
  const calls = parseToolCallBlock(body, tools);
  if (calls.length > 0) return calls;
  const name = /<function=([^>\n]+)$/.exec(body.trimEnd())?.[1].trim();
  return name ? [{ name, arguments: {}, rawArguments: '' }] : [];
}

/**
 * The end of `tail + input` that may be the start of `close` (whose only `<` is its first
 * character), or ''. Cheap for the usual piece, which has no `<` near its end.
 */
function heldStart(tail: string, input: string, close: string): string {
  const text = input.length >= close.length - 1 ? input : tail + input;
  const at = text.lastIndexOf('<');
  // A tail without `<` never matches the closing tag: the string mutants below only skip the fast path.
  // Stryker disable next-line StringLiteral: it only skips the fast path (above)
  if (at < 0 || at < text.length - (close.length - 1)) return '';
  const start = text.slice(at);
  // Stryker disable next-line StringLiteral: it only skips the fast path (above)
  return close.startsWith(start) ? start : '';
}

/** Length of the longest suffix of `text` that is a proper prefix of `tag`. */
function partialSuffix(text: string, tag: string): number {
  // The whole tag is not in `text` (checked before), so n = tag.length never matches.
  // Stryker disable next-line ArithmeticOperator: n = tag.length never matches (above)
  for (let n = Math.min(tag.length - 1, text.length); n > 0; n--) {
    if (tag.startsWith(text.slice(text.length - n))) return n;
  }
  return 0;
}

/** Knows whether the text so far ends inside a fenced code block (``` or ~~~). */
export class FenceTracker {
  inFence = false;
  private head = '';
  private decided = false;

  feed(text: string): void {
    let i = 0;
    while (i <= text.length) {
      const newline = text.indexOf('\n', i);
      const segment = newline < 0 ? text.slice(i) : text.slice(i, newline);
      if (!this.decided) {
        // Stryker disable next-line MethodExpression: the cap only bounds memory; 6 characters decide a line
        this.head += segment.slice(0, 8);
        const trimmed = this.head.replace(/^ {0,3}/, '');
        if (trimmed.length >= 3 || newline >= 0) {
          if (trimmed.startsWith('```') || trimmed.startsWith('~~~')) this.inFence = !this.inFence;
          this.decided = true;
        }
      }
      if (newline < 0) break;
      this.head = '';
      this.decided = false;
      i = newline + 1;
    }
  }
}
