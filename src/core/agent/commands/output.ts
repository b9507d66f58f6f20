/**
 * A command's output, kept within bounds however much it prints: the first and the last
 * part are kept (where test failures and summaries are), the middle counted. What the model
 * gets is head + tail within a token budget, counted with the model's tokenizer.
 */
import type { TokenCounter } from '../../context/tokens/tokenCounter';

/** Characters kept at each end; far more than any budget needs, so the budget decides what goes. */
const KEEP_CHARS = 64 * 1024;

// CSI and OSC sequences (colours, cursor moves, shell-integration marks) and other single escapes.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

/** Terminal output as text: escape sequences removed, CRLF made LF, a line redrawn with `\r` kept as last drawn. */
export function plainText(raw: string): string {
  return raw
    .replace(ANSI, '')
    .replace(/\r+\n/g, '\n')
    .split('\n')
    .map((line) => line.slice(line.lastIndexOf('\r') + 1))
    .join('\n');
}

export class OutputBuffer {
  private head = '';
  private tail = '';
  private total = 0;

  append(text: string): void {
    this.total += text.length;
    if (this.head.length < KEEP_CHARS) {
      const room = KEEP_CHARS - this.head.length;
      this.head += text.slice(0, room);
      text = text.slice(room);
    }
    if (text) this.tail = (this.tail + text).slice(-KEEP_CHARS);
  }

  /** Characters received in all. */
  get length(): number {
    return this.total;
  }

  /** Characters received but not kept (the middle of a very long output). */
  get dropped(): number {
    return this.total - this.head.length - this.tail.length;
  }

  /** All that is kept, as plain text, with a marker where the middle was dropped. */
  text(): string {
    if (this.dropped === 0) return plainText(this.head + this.tail);
    return `${plainText(this.head)}\n… [${this.dropped} characters not kept] …\n${plainText(this.tail)}`;
  }

  /** The last `chars` characters of plain text, for the live view on the card. */
  last(chars: number): string {
    const text = plainText(this.tail || this.head);
    return text.length > chars ? text.slice(-chars) : text;
  }
}

/**
 * `text` whole when it fits `budget` tokens; else its first lines and its last lines (a third
 * and two thirds of the budget: the end of a test run says most) with a line saying how many
 * lines were left out between them.
 */
export function headAndTail(text: string, budget: number, counter: TokenCounter): string {
  if (counter.count(text) <= budget) return text;
  const lines = text.split('\n');
  const marker = (omitted: number) => `… [${omitted} lines omitted] …`;
  const room = Math.max(0, budget - counter.count(marker(lines.length)));
  const head = take(lines, Math.floor(room / 3), counter);
  const tail = take([...lines.slice(head.length)].reverse(), room - tokensOf(head, counter), counter).reverse();
  const omitted = lines.length - head.length - tail.length;
  return [...head, marker(omitted), ...tail].join('\n');
}

const tokensOf = (lines: readonly string[], counter: TokenCounter): number =>
  lines.reduce((sum, line) => sum + counter.count(line) + 1, 0);

/** Leading lines within `budget`; a line too long for what is left is cut (the cut marked). */
function take(lines: readonly string[], budget: number, counter: TokenCounter): string[] {
  const taken: string[] = [];
  let used = 0;
  for (const line of lines) {
    const cost = counter.count(line) + 1;
    if (used + cost <= budget) {
      taken.push(line);
      used += cost;
      continue;
    }
    const left = budget - used;
    if (left > 8) taken.push(cutLine(line, left, counter));
    break;
  }
  return taken;
}

function cutLine(line: string, budget: number, counter: TokenCounter): string {
  let low = 0;
  let high = line.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (counter.count(`${line.slice(0, middle)}…`) + 1 <= budget) low = middle;
    else high = middle - 1;
  }
  return `${line.slice(0, low)}…`;
}
