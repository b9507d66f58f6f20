/**
 * The text a context item becomes in the prompt. Every rendering starts with `<` and
 * ends with a newline, so the pre-tokenizer always splits between two items and the
 * tokens of a block are exactly the sum of its items' tokens.
 */
import type { OutlineSymbol } from '../rank/outline';
import type { LineRange } from '../types';

export function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/\n/g, ' ');
}

function body(text: string): string {
  return text.endsWith('\n') || text === '' ? text : `${text}\n`;
}

export function renderWhole(path: string, reasons: readonly string[], text: string): string {
  return `<file path="${attr(path)}" reason="${attr(reasons.join('; '))}">\n${body(text)}</file>\n`;
}

export function renderText(title: string, reasons: readonly string[], text: string): string {
  return `<context title="${attr(title)}" reason="${attr(reasons.join('; '))}">\n${body(text)}</context>\n`;
}

export interface OutlineView {
  readonly symbols: readonly OutlineSymbol[];
  readonly ranges: readonly LineRange[];
  /** Lines in the file. */
  readonly lineCount: number;
  /** Set when only part of the outline is shown. */
  readonly maxDepth?: number;
  /** Symbols left out to make it fit (those farthest from the ranges that matter). */
  readonly omitted?: number;
}

/** A large file: its outline, then the line ranges that matter, each whole. */
export function renderOutline(
  path: string,
  reasons: readonly string[],
  lines: readonly string[],
  view: OutlineView,
): string {
  const symbols =
    view.maxDepth === undefined ? view.symbols : view.symbols.filter((symbol) => symbol.depth <= view.maxDepth!);
  const shown = view.ranges.map((range) => `${range.start}-${range.end}`).join(', ');
  const outline = symbols.length ? 'outline' : '';
  const joiner = symbols.length && shown ? ' and ' : '';
  const lined = shown ? `lines ${shown}` : '';
  const head =
    `<file path="${attr(path)}" reason="${attr(reasons.join('; '))}" lines="${view.lineCount}" ` +
    `shown="${outline}${joiner}${lined}">\n`;
  const parts = [head];
  if (symbols.length) {
    parts.push('outline (lines: declaration):\n');
    for (const symbol of symbols)
      parts.push(`${'  '.repeat(symbol.depth)}${symbol.line}-${symbol.endLine}: ${symbol.signature}\n`);
    const hidden = view.symbols.length - symbols.length;
    if (hidden > 0) parts.push(`(${hidden} nested symbols not listed)\n`);
    if (view.omitted) parts.push(`(${view.omitted} more symbols not listed)\n`);
  }
  for (const range of view.ranges) {
    parts.push(`lines ${range.start}-${range.end}:\n`);
    parts.push(body(lines.slice(range.start - 1, range.end).join('\n')));
  }
  parts.push('</file>\n');
  return parts.join('');
}

/**
 * Ranges around the focus lines: the smallest enclosing symbol when it is short
 * enough to show whole, else a window around the line; merged, in file order.
 */
export function focusRanges(
  focus: readonly number[],
  symbols: readonly OutlineSymbol[],
  lineCount: number,
  options: { context?: number; maxSymbolLines?: number } = {},
): LineRange[] {
  const context = options.context ?? 8;
  const maxSymbolLines = options.maxSymbolLines ?? 80;
  const ranges: LineRange[] = [];
  for (const line of focus) {
    if (line < 1 || line > lineCount) continue;
    const enclosing = symbols
      .filter(
        (symbol) => symbol.line <= line && symbol.endLine >= line && symbol.endLine - symbol.line < maxSymbolLines,
      )
      .sort((a, b) => a.endLine - a.line - (b.endLine - b.line))[0];
    ranges.push(
      enclosing
        ? { start: enclosing.line, end: enclosing.endLine }
        : { start: Math.max(1, line - context), end: Math.min(lineCount, line + context) },
    );
  }
  return mergeRanges(ranges);
}

export function mergeRanges(ranges: readonly LineRange[], gap = 3): LineRange[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const merged: LineRange[] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last && range.start <= last.end + gap)
      merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, range.end) };
    else merged.push(range);
  }
  return merged;
}

/** A text item cut to its first `keep` lines, saying how much is missing. */
export function truncateLines(text: string, keep: number): string {
  const lines = text.split('\n');
  if (lines.length <= keep) return text;
  return `${lines.slice(0, keep).join('\n')}\n[… ${lines.length - keep} more lines not shown]`;
}

const IMPORT_LINE = /^\s*(import\s|from\s+\S+\s+import\b|#\s*include\s|use\s+[\w:]+|(const|let|var)\s.*=\s*require\()/;
/** The most lines before the first declaration searched for imports. */
const HEADER_LINES = 100;
/** The most lines of imports shown: a longer block shows its start. */
const IMPORT_LINES = 40;

/** The file's import block (first to last import line before the first declaration), where it has one. */
export function importBlock(lines: readonly string[], symbols: readonly OutlineSymbol[]): LineRange | undefined {
  const stop = Math.min(lines.length, HEADER_LINES, symbols.length ? symbols[0].line - 1 : HEADER_LINES);
  let first = 0;
  let last = 0;
  let open = 0;
  for (let i = 0; i < stop; i++) {
    const line = lines[i];
    if (open > 0 || IMPORT_LINE.test(line)) {
      if (!first) first = i + 1;
      last = i + 1;
      open = Math.max(
        0,
        open + (line.split('(').length - line.split(')').length) + (line.split('{').length - line.split('}').length),
      );
    }
  }
  return first ? { start: first, end: Math.min(last, first + IMPORT_LINES - 1) } : undefined;
}
