/**
 * Server-sent events framing: text in, `data` payloads out. Lines may be split
 * anywhere between reads; `\r\n`, `\r` and `\n` all end a line; comment lines
 * (`: OPENROUTER PROCESSING`, keep-alives) are skipped.
 */

export type SseListener = (data: string, event: string | undefined) => void;

export class SseDecoder {
  private buffer = '';
  private data: string | undefined;
  private event: string | undefined;

  /** Feeds decoded text; calls `listener` for every complete event. */
  push(text: string, listener: SseListener): void {
    let input = this.buffer ? this.buffer + text : text;
    // A trailing `\r` may be the first half of `\r\n`: keep it until the next read.
    let keep = '';
    if (input.includes('\r')) {
      if (input.endsWith('\r')) {
        keep = '\r';
        input = input.slice(0, -1);
      }
      input = input.replace(/\r\n?/g, '\n');
    }
    let start = 0;
    for (;;) {
      const end = input.indexOf('\n', start);
      if (end < 0) break;
      this.line(input, start, end, listener);
      start = end + 1;
    }
    this.buffer = (start === 0 ? input : input.slice(start)) + keep;
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
  private line(input: string, start: number, end: number, listener: SseListener): void {
    if (start === end) {
      this.dispatch(listener);
      return;
    }
    if (input.startsWith('data:', start)) {
      const value = input.slice(input.charCodeAt(start + 5) === 32 ? start + 6 : start + 5, end);
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
