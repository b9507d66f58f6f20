/** The one replacement that turns the text shown into the next rendering: the differing middle. */

export interface Replacement {
  readonly offset: number;
  readonly length: number;
  readonly insert: string;
}

export function smallestReplacement(before: string, after: string): Replacement {
  const max = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  // Never split a CRLF or a surrogate pair (in either text).
  while (prefix > 0 && (splits(before, prefix) || splits(after, prefix))) prefix--;
  let suffix = 0;
  while (
    suffix < max - prefix &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  )
    suffix++;
  while (suffix > 0 && (splits(before, before.length - suffix) || splits(after, after.length - suffix))) suffix--;
  return {
    offset: prefix,
    length: before.length - prefix - suffix,
    insert: after.slice(prefix, after.length - suffix),
  };
}

/** Cutting `text` at `at` would separate \r from \n, or the halves of a surrogate pair. */
function splits(text: string, at: number): boolean {
  const code = text.charCodeAt(at);
  return (code >= 0xdc00 && code <= 0xdfff) || (text[at] === '\n' && text[at - 1] === '\r');
}
