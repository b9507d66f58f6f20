/**
 * A file's text as the edit core sees it: BOM and line endings set aside, lines in a
 * `\n`-normalised view, and a map from that view back to the original offsets, so an
 * edit touches only the bytes it means to and every untouched line keeps its own ending.
 */
import { createHash } from 'node:crypto';
import type { TextFacts } from './types';

export interface TextModel {
  /** The text exactly as given. */
  readonly raw: string;
  /** 1 when `raw` starts with a BOM, else 0. */
  readonly bomLength: number;
  /** `raw` without the BOM, original line endings. */
  readonly body: string;
  /** `body` with every CRLF as LF. */
  readonly normalized: string;
  /** `normalized.split('\n')`: the last entry is '' when the text ends with a newline. */
  readonly lines: readonly string[];
  /** Lines that exist (the trailing '' after a final newline is not one). */
  readonly lineCount: number;
  /** Start of each entry of `lines` in `normalized` and in `body`. */
  readonly normalizedStarts: readonly number[];
  readonly bodyStarts: readonly number[];
  readonly facts: TextFacts;
}

export function toTextModel(raw: string): TextModel {
  const bomLength = raw.charCodeAt(0) === 0xfeff ? 1 : 0;
  const body = bomLength ? raw.slice(1) : raw;
  const lines = body.split('\n');
  const count = lines.length;
  const bodyStarts = lineStarts(lines);
  // Without a CR (most files) the normalised text is the body: one array of starts serves both.
  const crlf = body.includes('\r') ? dropCrs(lines) : 0;
  const normalizedStarts = crlf === 0 ? bodyStarts : lineStarts(lines);
  const lf = count - 1 - crlf;
  const finalNewline = body.endsWith('\n');
  const lineCount = body.length === 0 ? 0 : finalNewline ? count - 1 : count;
  return {
    raw,
    bomLength,
    body,
    normalized: crlf === 0 ? body : lines.join('\n'),
    lines,
    lineCount,
    normalizedStarts,
    bodyStarts,
    facts: { eol: crlf > lf ? '\r\n' : '\n', mixedEol: crlf > 0 && lf > 0, bom: bomLength === 1, finalNewline },
  };
}

/** Where each of `lines` starts in `lines.join('\n')`. */
function lineStarts(lines: readonly string[]): number[] {
  const starts = new Array<number>(lines.length);
  let offset = 0;
  for (let i = 0; i < lines.length; i++) {
    starts[i] = offset;
    offset += lines[i].length + 1;
  }
  return starts;
}

/** Takes the CR off every line that ends in one (but the last, which no LF follows); returns how many did. */
function dropCrs(lines: string[]): number {
  let count = 0;
  for (let i = 0; i < lines.length - 1; i++) {
    if (lines[i].charCodeAt(lines[i].length - 1) === 13) {
      lines[i] = lines[i].slice(0, -1);
      count++;
    }
  }
  return count;
}

/** Index of the last entry of the ascending `starts` that is at or before `offset`. */
function lastStartAtOrBefore(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle] <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** Index of the entry of `lines` that holds `offset` of the normalised text. */
export function lineAt(model: TextModel, offset: number): number {
  return lastStartAtOrBefore(model.normalizedStarts, offset);
}

/** Maps an offset of the normalised text to the same place in `body`. */
export function toBodyOffset(model: TextModel, offset: number): number {
  const line = lineAt(model, offset);
  return model.bodyStarts[line] + (offset - model.normalizedStarts[line]);
}

/** Start of line `index` in `body`; `lines.length` (or more) means the end. */
export function bodyLineStart(model: TextModel, index: number): number {
  return index < model.bodyStarts.length ? model.bodyStarts[index] : model.body.length;
}

export const normalizeEol = (text: string): string => (text.includes('\r\n') ? text.replace(/\r\n/g, '\n') : text);

/** Splits model-written text into lines; a final newline ends the last line rather than starting a new one. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = normalizeEol(text).split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Splits into lines that keep their terminators (the unit of a hunk). */
export function splitKeepingEol(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline + 1;
    lines.push(text.slice(start, end));
    start = end;
  }
  return lines;
}

export function withEol(text: string, eol: string): string {
  return eol === '\n' ? text : text.replace(/\n/g, eol);
}

/** A content hash (SHA-256, shortened) to tell that a document changed under a proposal. */
export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 24);
}

/** Index of the line that holds `offset` of `body` (original line endings). */
export function lineAtBody(model: TextModel, offset: number): number {
  return lastStartAtOrBefore(model.bodyStarts, offset);
}
