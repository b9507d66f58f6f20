/**
 * The function, method or class around a line, read from the text when no language server
 * answers (Go, Python, Java and Rust have none in a bare VS Code). Brace languages end a
 * definition at its matching brace, Python at the first line indented no deeper.
 */
import { matchingBrace } from './braces';
import type { Language } from './frameworks';

export interface CodeSymbol {
  readonly name: string;
  /** function, method or class. */
  readonly kind: string;
  /** 1-based, inclusive. */
  readonly start: number;
  readonly end: number;
}

const DEFINITIONS: Record<Language, readonly [RegExp, string][]> = {
  typescript: [
    [/^\s*(?:export\s+)?(?:default\s+)?(?:abstract\s+)?class\s+(\w+)/, 'class'],
    [/^\s*(?:export\s+)?(?:default\s+)?(?:async\s+)?function\s*\*?\s*(\w+)/, 'function'],
    [
      /^\s*(?:export\s+)?(?:const|let|var)\s+(\w+)\s*(?::[^=]+)?=\s*(?:async\s+)?(?:\([^)]*\)|\w+)\s*(?::[^=]+)?=>/,
      'function',
    ],
    [
      // eslint-disable-next-line max-len -- a regex literal, read as one pattern
      /^\s+(?:(?:public|private|protected|static|async|override|readonly|get|set)\s+)*(\w+)\s*(?:<[^>]*>)?\([^)]*\)\s*(?::[^{]+)?\{\s*$/,
      'method',
    ],
  ],
  javascript: [],
  python: [
    [/^\s*class\s+(\w+)/, 'class'],
    [/^\s*(?:async\s+)?def\s+(\w+)/, 'function'],
  ],
  go: [[/^func\s+(?:\([^)]*\)\s*)?(\w+)/, 'function']],
  java: [
    [/^\s*(?:(?:public|private|protected|abstract|final|static)\s+)*(?:class|interface|enum|record)\s+(\w+)/, 'class'],
    [
      // eslint-disable-next-line max-len -- a regex literal, read as one pattern
      /^(?!\s*(?:return|new|throw|else)\b)\s*(?:(?:public|private|protected|static|final|synchronized|abstract)\s+)*[\w<>[\],.? ]+\s+(\w+)\s*\((?:[^)]*\)\s*(?:throws\s+[\w., ]+)?\s*\{|[^)]*$)/,
      'method',
    ],
  ],
  rust: [
    [/^\s*(?:pub(?:\([\w:]+\))?\s+)?(?:async\s+)?(?:unsafe\s+)?fn\s+(\w+)/, 'function'],
    [/^\s*(?:pub(?:\([\w:]+\))?\s+)?(?:struct|enum|trait)\s+(\w+)/, 'class'],
  ],
};
DEFINITIONS.javascript = DEFINITIONS.typescript;

const KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'catch', 'return', 'new', 'else', 'do', 'try']);

/** Every definition in `text`, outermost first. */
export function definitions(text: string, language: Language): CodeSymbol[] {
  const lines = text.split('\n');
  const offsets: number[] = [];
  let at = 0;
  for (const line of lines) {
    offsets.push(at);
    at += line.length + 1;
  }
  const found: CodeSymbol[] = [];
  lines.forEach((line, index) => {
    for (const [pattern, kind] of DEFINITIONS[language]) {
      const match = pattern.exec(line);
      if (!match || KEYWORDS.has(match[1])) continue;
      const end = language === 'python' ? pythonEnd(lines, index) : braceEnd(text, offsets, index);
      if (end !== undefined) found.push({ name: match[1], kind, start: index + 1, end });
      break;
    }
  });
  return found;
}

/** The innermost definition holding `line` (1-based). */
export function enclosingSymbol(text: string, language: Language, line: number): CodeSymbol | undefined {
  return definitions(text, language)
    .filter((symbol) => symbol.start <= line && line <= symbol.end)
    .sort((a, b) => a.end - a.start - (b.end - b.start))[0];
}

function braceEnd(text: string, offsets: readonly number[], index: number): number | undefined {
  const open = text.indexOf('{', offsets[index]);
  if (open < 0) return undefined;
  // The body must open on the definition's line or soon after (a signature over a few lines).
  if (offsets[index + 4] !== undefined && open >= offsets[index + 4]) return undefined;
  const close = matchingBrace(text, open);
  if (close < 0) return undefined;
  let line = index;
  while (line + 1 < offsets.length && offsets[line + 1] <= close) line++;
  return line + 1;
}

function pythonEnd(lines: readonly string[], index: number): number {
  const depth = /^\s*/.exec(lines[index])![0].length;
  let last = index;
  for (let i = index + 1; i < lines.length; i++) {
    if (!lines[i].trim()) continue;
    if (/^\s*/.exec(lines[i])![0].length <= depth) break;
    last = i;
  }
  return last + 1;
}
