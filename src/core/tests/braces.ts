/**
 * Brace matching for C-like sources (Java, Rust, Go), skipping strings, character
 * literals and comments, so a `}` in a string does not end a class or module.
 */

/** Index of the `}` that closes the `{` at `open`, or -1. */
export function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const skipped = skipLiteral(text, i);
    if (skipped !== i) {
      i = skipped - 1;
      continue;
    }
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

/** The index just after a comment or literal starting at `i`, or `i` when none starts there. */
function skipLiteral(text: string, i: number): number {
  const two = text.slice(i, i + 2);
  if (two === '//') {
    const end = text.indexOf('\n', i);
    return end < 0 ? text.length : end;
  }
  if (two === '/*') {
    const end = text.indexOf('*/', i + 2);
    return end < 0 ? text.length : end + 2;
  }
  const quote = text[i];
  if (quote === '"' || quote === '`') return closeQuote(text, i, quote);
  // A character literal ('a', '\n', '}'); in Rust a lone ' starts a lifetime, which is left alone.
  if (quote === "'") {
    const match = /^'(?:\\.[^']{0,8}|[^\\'\n])'/.exec(text.slice(i, i + 12));
    return match ? i + match[0].length : i;
  }
  return i;
}

function closeQuote(text: string, i: number, quote: string): number {
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === quote) return j + 1;
    else if (text[j] === '\n' && quote === '"') return j;
  }
  return text.length;
}

/** The text between the braces of the first block whose header matches `header` (e.g. `class \w+`). */
export function blockBody(text: string, header: RegExp): { open: number; close: number } | undefined {
  const match = header.exec(text);
  if (!match) return undefined;
  const open = text.indexOf('{', match.index + match[0].length);
  if (open < 0) return undefined;
  const close = matchingBrace(text, open);
  return close < 0 ? undefined : { open, close };
}

/** Removes the common leading indentation of the non-blank lines. */
export function dedent(text: string): string {
  const lines = text.split('\n');
  const widths = lines.filter((line) => line.trim()).map((line) => /^[ \t]*/.exec(line)![0].length);
  const cut = widths.length ? Math.min(...widths) : 0;
  return lines.map((line) => line.slice(Math.min(cut, /^[ \t]*/.exec(line)![0].length))).join('\n');
}

export function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((line) => (line.trim() ? by + line : ''))
    .join('\n');
}
