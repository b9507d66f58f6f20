/**
 * Where an inline edit's lines are in a document the user keeps typing in: the offsets move
 * with edits above the range, the edit's own writes are told from the user's, and an edit
 * of the user inside the range marks it as touched. Editor-free, so the races suite drives it
 * over a plain string; `Region` (src/vscode) feeds it the editor's change events.
 */
import { diffArrays } from 'diff';
import { splitKeepingEol } from '../edits/text';

export interface TextChange {
  readonly offset: number;
  readonly length: number;
  readonly text: string;
}

export class RegionTrack {
  /** The text the range holds now (what was written, or read back after the user's edit). */
  shown: string;
  /** The text last written by the edit itself. */
  written: string;
  /** Set when the user edited inside the range: what is there is no longer only ours. */
  touched = false;
  private readonly expected: TextChange[] = [];

  constructor(
    /** Offset of the range's first character. */
    public start: number,
    original: string,
  ) {
    this.shown = original;
    this.written = original;
  }

  /** A write of ours is about to be applied. */
  expect(change: TextChange): void {
    this.expected.push(change);
  }

  /** The write was refused (the document moved on under it). */
  unexpect(change: TextChange): void {
    const index = this.expected.indexOf(change);
    if (index >= 0) this.expected.splice(index, 1);
  }

  /** The write landed: the range holds `text`. */
  wrote(text: string): void {
    this.shown = text;
    this.written = text;
  }

  /** Follows one change of the document; `read` gives the document's text at an offset, after the change. */
  follow(change: TextChange, read: (offset: number, length: number) => string): void {
    const head = this.expected[0];
    if (head && head.offset === change.offset && head.length === change.length && head.text === change.text) {
      this.expected.shift();
      return;
    }
    const end = this.start + this.shown.length;
    const changeEnd = change.offset + change.length;
    const delta = change.text.length - change.length;
    // Whole lines inserted just above the first line move the range; a change that reaches into it does not.
    const above =
      changeEnd < this.start || (change.length === 0 && changeEnd === this.start && change.text.endsWith('\n'));
    if (above) this.start += delta;
    else if (change.offset < end) {
      // The user edited the lines under review: the range takes in their edit, and what it holds is read back.
      const start = Math.min(this.start, change.offset);
      const length = Math.max(end, changeEnd) + delta - start;
      this.start = start;
      this.shown = read(start, length);
      this.touched = true;
    }
  }
}

/**
 * The text the range ends with when the user typed in it: `result` applied to what the user
 * sees, except on the lines the user changed, which stay as they are. `result` keeps a
 * subsequence of the lines `written` showed (the review drops the side it did not choose), so
 * a line of `written` that `result` drops is dropped from `now` only if the user left it alone.
 */
export function keepTyping(written: string, result: string, now: string): string {
  const shown = splitKeepingEol(written);
  const wanted = splitKeepingEol(result);
  const kept = keptLines(shown, wanted);
  // Not a subsequence: nothing can be said about which lines are ours, so everything stays.
  if (kept.size !== wanted.length) return now;
  const dropped = new Set(shown.map((_, index) => index).filter((index) => !kept.has(index)));
  let out = '';
  let index = 0;
  for (const part of diffArrays(shown, splitKeepingEol(now))) {
    if (part.added) out += part.value.join('');
    else if (part.removed) index += part.count ?? part.value.length;
    else {
      for (const line of part.value) if (!dropped.has(index++)) out += line;
    }
  }
  return out;
}

/** The indexes of the lines of `lines` that `subsequence` keeps (matched in order, first fit). */
function keptLines(lines: readonly string[], subsequence: readonly string[]): Set<number> {
  const kept = new Set<number>();
  let at = 0;
  for (const line of subsequence) {
    while (at < lines.length && lines[at] !== line) at++;
    if (at < lines.length) kept.add(at++);
  }
  return kept;
}
