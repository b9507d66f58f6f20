/**
 * Server-sent events framing: text in, `data` payloads out. Lines may be split
 * anywhere between reads; `\r\n`, `\r` and `\n` all end a line; comment lines
 * (`: OPENROUTER PROCESSING`, keep-alives) are skipped.
 */

export type SseListener = (data: string, event: string | undefined) => void;

/**
 * Offered every single-line `data:` value as `input[start, end)` before it is cut out;
 * returns true when it took the event itself (the fast path for plain content chunks).
 */
export type SseClaim = (input: string, start: number, end: number) => boolean;

/**
 * Offered the text from `start`, the beginning of a line, when no event is under way;
 * takes as many whole events (`data:` line and blank line) as it wants and returns
 * where it stopped (`start` when it took none). Plain content chunks go by in bulk.
 */
export type SseClaimRun = (input: string, start: number) => number;

export class SseDecoder {
  private buffer = '';
  private data: string | undefined;
  private event: string | undefined;

  /** Feeds decoded text; calls `listener` for every complete event not taken by `claim`. */
  push(text: string, listener: SseListener, claim?: SseClaim, claimRun?: SseClaimRun): void {
    if (text.includes('\r') || this.buffer.includes('\r')) {
      this.pushWithCarriageReturns(text, listener, claim, claimRun);
      return;
    }
    // Lines are read straight out of `text` (a flat string: fast to search and slice);
    // only the line that straddles two reads is put together.
    let start = 0;
    if (this.buffer) {
      const end = text.indexOf('\n');
      if (end < 0) {
        this.buffer += text;
        return;
      }
      const first = this.buffer + text.slice(0, end);
      this.buffer = '';
      this.line(first, 0, first.length, listener, claim);
      start = end + 1;
    }
    this.lines(text, start, listener, claim, claimRun);
  }

  private pushWithCarriageReturns(text: string, listener: SseListener, claim?: SseClaim, claimRun?: SseClaimRun): void {
    let input = this.buffer + text;
    this.buffer = '';
    // A trailing `\r` may be the first half of `\r\n`: keep it until the next read.
    const keep = input.endsWith('\r') ? '\r' : '';
    if (keep) input = input.slice(0, -1);
    this.lines(input.replace(/\r\n?/g, '\n'), 0, listener, claim, claimRun);
    this.buffer += keep;
  }

  private lines(input: string, from: number, listener: SseListener, claim?: SseClaim, claimRun?: SseClaimRun): void {
    let start = from;
    for (;;) {
      if (claimRun && this.data === undefined && this.event === undefined) start = claimRun(input, start);
      const end = input.indexOf('\n', start);
      if (end < 0) break;
      this.line(input, start, end, listener, claim);
      start = end + 1;
    }
    this.buffer = start === 0 ? input : input.slice(start);
  }

  /** The stream is over: whatever is pending counts as a last event. */
  end(listener: SseListener): void {
    if (this.buffer) {
      const rest = this.buffer.replace(/\r$/, '');
      this.buffer = '';
      if (rest) this.line(rest, 0, rest.length, listener);
    }
    this.dispatch(listener);
  }

  /** Handles `input[start, end)`, one line without its line break. */
  private line(input: string, start: number, end: number, listener: SseListener, claim?: SseClaim): void {
    if (start === end) {
      this.dispatch(listener);
      return;
    }
    if (input.startsWith('data:', start)) {
      const from = input.charCodeAt(start + 5) === 32 ? start + 6 : start + 5;
      if (claim && this.data === undefined && this.event === undefined && claim(input, from, end)) return;
      const value = input.slice(from, end);
      if (this.data === undefined) {
        this.data = value;
      } else if (value.startsWith('{') || value === '[DONE]') {
        // Some servers leave out the blank line between events; a new JSON object starts a new event.
        this.dispatch(listener);
        this.data = value;
      } else {
        this.data += `\n${value}`;
      }
      return;
    }
    if (input.charCodeAt(start) === 58 /* ':' comment */) return;
    if (input.startsWith('event:', start)) this.event = input.slice(start + 6, end).trim();
    // `id:` and `retry:` mean nothing for a chat completion.
  }

  private dispatch(listener: SseListener): void {
    const data = this.data;
    const event = this.event;
    this.data = undefined;
    this.event = undefined;
    if (data !== undefined) listener(data, event);
  }
}
