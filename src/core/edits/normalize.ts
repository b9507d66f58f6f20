/**
 * The ways a model's copy of a line drifts from the file: trailing blanks, indentation,
 * typographic quotes and dashes, line numbers pasted from a read, elided middles.
 * Each is undone here as a pure function on one line or one block.
 */

/** Typographic characters a model (or a chat renderer) puts where code has ASCII. */
const FOLD: Readonly<Record<string, string>> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201A': "'",
  '\u201B': "'",
  '\u2032': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u201E': '"',
  '\u201F': '"',
  '\u2033': '"',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2212': '-',
  '\u00A0': ' ',
  '\u2007': ' ',
  '\u202F': ' ',
  '\u3000': ' ',
  '\u200B': '',
  '\u200C': '',
  '\u200D': '',
  '\u2060': '',
  '\uFEFF': '',
  '\u2026': '...',
};
const FOLD_PATTERN =
  // eslint-disable-next-line max-len -- one character class of look-alike characters
  /[\u2018\u2019\u201A\u201B\u2032\u201C\u201D\u201E\u201F\u2033\u2010-\u2014\u2212\u00A0\u2007\u202F\u3000\u200B-\u200D\u2060\uFEFF\u2026]/g;
const HAS_FOLDABLE =
  // eslint-disable-next-line max-len -- one character class of look-alike characters
  /[\u2018\u2019\u201A\u201B\u2032\u201C\u201D\u201E\u201F\u2033\u2010-\u2014\u2212\u00A0\u2007\u202F\u3000\u200B-\u200D\u2060\uFEFF\u2026]/;

export function fold(text: string): string {
  return HAS_FOLDABLE.test(text) ? text.replace(FOLD_PATTERN, (char) => FOLD[char]) : text;
}

/** The foldable characters in `text`, so a caller can fold only those the file itself does not use. */
export function foldableIn(text: string): Set<string> {
  const found = new Set<string>();
  if (!HAS_FOLDABLE.test(text)) return found;
  for (const match of text.matchAll(FOLD_PATTERN)) found.add(match[0]);
  return found;
}

export function foldOnly(text: string, chars: ReadonlySet<string>): string {
  if (chars.size === 0) return text;
  return text.replace(FOLD_PATTERN, (char) => (chars.has(char) ? FOLD[char] : char));
}

/** How loosely two lines are compared; each level forgives more than the one before. */
export type KeyLevel = 'exact' | 'trailing' | 'indentation' | 'loose';

export function lineKey(line: string, level: KeyLevel): string {
  switch (level) {
    case 'exact':
      return line;
    case 'trailing':
      return line.trimEnd();
    case 'indentation':
      return line.trim();
    case 'loose':
      return looseKey(line);
  }
}

/** `fold`, trim, and runs of blanks as one space. */
export function looseKey(line: string): string {
  const key = fold(line).trim();
  return NEEDS_COLLAPSE.test(key) ? key.replace(/\s+/g, ' ') : key;
}

const NEEDS_COLLAPSE = / {2}|[\t\v\f\r]/;

/** A trimmed line with none of these has itself as its loose key: nothing to fold, no blanks to collapse. */
const LOOSENS = new RegExp(`${FOLD_PATTERN.source}| {2}|[\\t\\v\\f\\r]`);

/** `looseKey` of each of `lines`, given them trimmed: most lines are their trimmed selves. */
export function looseKeys(lines: readonly string[], trimmed: readonly string[]): string[] {
  return trimmed.map((key, i) => (LOOSENS.test(key) ? looseKey(lines[i]) : key));
}

export const isBlank = (line: string): boolean => line.trim() === '';

export const leadingWhitespace = (line: string): string => /^[ \t]*/.exec(line)![0];

/** A line-number gutter copied from a read tool: `12 | x`, `12: x`, `    12\tx`, `12→x`. */
interface PrefixFormat {
  readonly pattern: RegExp;
}
const PREFIX_FORMATS: readonly PrefixFormat[] = [
  { pattern: /^\s*(\d+)\s*\|(?: |$)/ },
  { pattern: /^\s*(\d+)\s*→/ },
  { pattern: /^\s*(\d+)\t/ },
  { pattern: /^\s*(\d+):(?: |$)/ },
  { pattern: /^\s*L(\d+):(?: |$)/ },
];

export interface LinePrefixes {
  /** 1-based number of the first line, as the gutter said. */
  readonly firstNumber: number;
  strip(line: string): string;
}

/**
 * Finds a gutter on every non-blank line of `lines`, numbered consecutively (blank lines may
 * lack it): only then is it a gutter and not content.
 */
export function detectLinePrefixes(lines: readonly string[]): LinePrefixes | undefined {
  for (const { pattern } of PREFIX_FORMATS) {
    let expected: number | undefined;
    let first: number | undefined;
    let ok = true;
    let seen = 0;
    for (const line of lines) {
      const match = pattern.exec(line);
      if (!match) {
        if (isBlank(line)) {
          if (expected !== undefined) expected++;
          continue;
        }
        ok = false;
        break;
      }
      const number = Number(match[1]);
      if (expected !== undefined && number !== expected) {
        ok = false;
        break;
      }
      first ??= number;
      expected = number + 1;
      seen++;
    }
    if (ok && seen > 0 && first !== undefined) {
      return { firstNumber: first, strip: (line) => line.replace(pattern, '') };
    }
  }
  return undefined;
}

const MARKER_WORDS =
  // eslint-disable-next-line max-len -- one anchored alternation of marker phrases
  /^(?:existing code|existing|rest of (?:the )?(?:code|file|function|method|class|body|implementation)|unchanged(?: code)?|same as before|keep existing(?: code)?|code|etc\.?|omitted|snip)?$/i;

/**
 * A line that stands for "the code here stays as it is": `...`, `…`, `// ... existing code ...`,
 * `# ...`, `/* ... *\/`, `<!-- ... -->`. Tried only after the literal text failed to match,
 * so a real `...` line in Python still matches as code.
 */
export function isElisionMarker(line: string): boolean {
  let text = line.trim();
  if (!text.includes('...') && !text.includes('\u2026')) return false;
  text = text.replace(/^(?:\/\/+|#+|--|;+|\/\*+|<!--|\{\/\*)\s*/, '').replace(/\s*(?:\*+\/|-->|\*\/\})$/, '');
  text = text.replace(/\u2026/g, '...');
  const match = /^\.\.\.\s*(.*?)\s*(?:\.\.\.)?$/.exec(text) ?? /^(.*?)\s*\.\.\.$/.exec(text);
  return match !== null && MARKER_WORDS.test(match[1].replace(/[\s.]+$/, ''));
}

/** A marker that says it in words (or as a comment): never legitimate as new code. */
export function isWordyElisionMarker(line: string): boolean {
  const text = line.trim();
  return isElisionMarker(line) && text.replace(/\u2026/g, '...') !== '...';
}
