/**
 * Splits an MCP server's stdout into messages in time linear in its size. The SDK's own buffer
 * copies everything buffered on every chunk (its cost grows with the square of a message), which
 * held the cap at 4 MB, and a screenshot over ~3 MB (base64 adds a third) was refused. Here each
 * byte is copied once, so the cap can hold a large image and still stop a runaway server early.
 */

/** The largest message taken: a 12 MB image, base64-encoded, and its envelope. */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/** The shape of the SDK's `ReadBuffer`, which the stdio transport calls. */
export interface MessageBuffer {
  append(chunk: Buffer): void;
  readMessage(): unknown;
  clear(): void;
}

export class LinearReadBuffer implements MessageBuffer {
  /** The start of the message not yet ended by a newline. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private readonly lines: string[] = [];

  constructor(
    private readonly parse: (line: string) => unknown,
    private readonly maxBytes = MAX_MESSAGE_BYTES,
  ) {}

  append(chunk: Buffer): void {
    let start = 0;
    for (let end = chunk.indexOf(10); end !== -1; end = chunk.indexOf(10, start)) {
      this.take(chunk.subarray(start, end));
      this.lines.push(Buffer.concat(this.pending, this.pendingBytes).toString('utf8').replace(/\r$/, ''));
      this.pending = [];
      this.pendingBytes = 0;
      start = end + 1;
    }
    if (start < chunk.length) this.take(chunk.subarray(start));
  }

  readMessage(): unknown {
    const line = this.lines.shift();
    return line === undefined ? null : this.parse(line);
  }

  clear(): void {
    this.pending = [];
    this.pendingBytes = 0;
    this.lines.length = 0;
  }

  private take(part: Buffer): void {
    if (this.pendingBytes + part.length > this.maxBytes) {
      this.clear();
      // The SDK's own words: the connection reads them to tell the user what was refused.
      throw new Error(`ReadBuffer exceeded maximum size of ${this.maxBytes} bytes`);
    }
    this.pending.push(part);
    this.pendingBytes += part.length;
  }
}

/**
 * Puts the linear buffer into the SDK's stdio transport (a private field, checked here: an SDK
 * that renamed it keeps its own buffer and the limit given to it). True when it was replaced.
 */
export function useLinearBuffer(transport: object, parse: (line: string) => unknown): boolean {
  const fields = transport as { _readBuffer?: Partial<MessageBuffer> };
  const current = fields._readBuffer;
  if (typeof current?.append !== 'function' || typeof current.readMessage !== 'function') return false;
  fields._readBuffer = new LinearReadBuffer(parse);
  return true;
}
