/**
 * Words as code search needs them: an identifier counts whole (`register_hook`) and by
 * its parts (`register`, `hook`; `ChatEngine` → `chat`, `engine`), so a question in
 * prose finds the code and a pasted name finds its definition. Everything is lower case.
 */

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/g;
/** Shorter parts say nothing (`x`, `i`); longer runs are data, not names. */
const MIN_LENGTH = 2;
const MAX_LENGTH = 64;

/** The parts of an identifier: snake_case, camelCase, PascalCase, ACRONYMWords and digits split; lower case. */
export function identifierParts(word: string): string[] {
  const spaced = word
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])(\d)/g, '$1 $2')
    .replace(/_+/g, ' ');
  return spaced
    .toLowerCase()
    .split(' ')
    .filter((part) => part.length >= MIN_LENGTH && !/^\d+$/.test(part));
}

/** Adds each token of `text` to `counts`: whole identifiers and, for compound ones, their parts. */
export function countTokens(text: string, counts: Map<string, number> = new Map()): Map<string, number> {
  // Split each distinct word once: a file repeats its names far more often than it has them.
  const words = new Map<string, number>();
  for (const match of text.matchAll(IDENTIFIER)) {
    const word = match[0];
    if (word.length >= MIN_LENGTH && word.length <= MAX_LENGTH) words.set(word, (words.get(word) ?? 0) + 1);
  }
  for (const [word, times] of words) {
    const whole = word.toLowerCase();
    counts.set(whole, (counts.get(whole) ?? 0) + times);
    if (/^[A-Za-z][a-z]*$/.test(word)) continue;
    for (const part of identifierParts(word)) if (part !== whole) counts.set(part, (counts.get(part) ?? 0) + times);
  }
  return counts;
}

/** The tokens of a path: folders, the file name without its extension, and their parts. */
export function pathTokens(path: string): Map<string, number> {
  const withoutExtension = path.replace(/\.[A-Za-z0-9]+$/, '');
  return countTokens(withoutExtension.replace(/[/\\.-]/g, ' '));
}

/**
 * Pasted text that is not about the code: links, image names in markdown, commit and
 * object hashes, base64 blobs. Their fragments (`githubusercontent`, `png`, hash runs)
 * would otherwise become search terms.
 */
export function withoutNoise(text: string): string {
  return text
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/<img\b[^>]*>/gi, ' ')
    .replace(/\b(?:https?|ftp):\/\/[^\s)>\]"']+/gi, ' ')
    .replace(/\bwww\.[^\s)>\]"']+/gi, ' ')
    .replace(/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,64}\b/gi, ' ')
    .replace(/[A-Za-z0-9+/]{60,}={0,2}/g, ' ');
}

/** English filler that says nothing about which file is meant (code words like `self` are left to IDF). */
export const STOP_WORDS = new Set(
  (
    'the and for are but not you your with this that these those from into onto over under what ' +
    'when where which who whom why how ' +
    'does did doing done can could should would will shall may might must have has had ' +
    "having been being was were its it's " +
    'there their them they then than also just only very much many more most some any all ' +
    'each every other such same own ' +
    'about above after again against because before below between both during further here ' +
    'once out off too until while ' +
    'is be am an as at by if in of on or so to up we me my our us do no yes it he she his her i a ' +
    'please thanks thank hi hello would like want need think seems seem maybe instead actually really still ' +
    'don doesn isn wasn aren weren won didn couldn shouldn wouldn haven hasn ve ll re'
  ).split(' '),
);

/** camelCase, PascalCase after the first letter, snake_case, digits, `$`. */
export function isCodeShaped(word: string): boolean {
  return /[a-z][A-Z]|[A-Z]{2,}[a-z]|_|\$|\d/.test(word);
}
