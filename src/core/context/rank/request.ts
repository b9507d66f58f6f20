/**
 * What a request says about where to look, read from all of it (a pasted issue, a stack
 * trace, an error message, quoted code): the weighted terms for the lexical index, the
 * identifiers whose definitions matter, the files a traceback names with their lines,
 * and file names written out. Links, image names and hashes are dropped first.
 */
import { STOP_WORDS, countTokens, identifierParts, isCodeShaped, withoutNoise } from './codeTokens';
import { requestParts } from './requestParts';

export interface Frame {
  /** As written in the trace (often absolute, from another machine). */
  readonly path: string;
  readonly line: number;
}

export interface RequestTerms {
  /** Lower-cased term → weight for BM25F. */
  readonly query: Map<string, number>;
  /** Identifiers written as code (`register_hook`, `Request.send`, `foo()`), in order of appearance. */
  readonly identifiers: readonly string[];
  /** Frames of stack traces, innermost last as printed. */
  readonly frames: readonly Frame[];
  /** File names and paths written in the request. */
  readonly files: readonly string[];
  /** Lower-cased term → its first spelling in the request, for reasons a person reads. */
  readonly spelled: ReadonlyMap<string, string>;
}

const EXTENSIONS =
  'py|pyi|ts|tsx|js|jsx|mjs|cjs|go|rs|java|kt|cs|cpp|cc|c|h|hpp|rb|php|swift|md|rst|' +
  'json|ya?ml|toml|cfg|ini|sh|css|scss|html|vue|svelte|sql|txt';
const FILE = new RegExp(`(?:[\\w@.-]+/)*[\\w@.-]+\\.(?:${EXTENSIONS})\\b`, 'g');
const PYTHON_FRAME = /File "([^"]+)", line (\d+)/g;
const LOCATION_FRAME = new RegExp(`((?:[A-Za-z]:)?[\\w@./\\\\-]+\\.(?:${EXTENSIONS})):(\\d+)`, 'g');
/** A term that appears many times still counts little more than a few times. */
const MAX_QUERY_WEIGHT = 3;

export function requestTerms(text: string): RequestTerms {
  const clean = withoutNoise(text);
  const frames = traceFrames(clean);
  const files = [...new Set([...clean.matchAll(FILE)].map((match) => match[0].replace(/^\.\//, '')))];
  // Each term counts as often as it comes, times how much the part it comes in says (see requestParts).
  const counted = new Map<string, number>();
  const namedIn = new Map<string, number>();
  for (const part of requestParts(clean)) {
    for (const [term, count] of countTokens(part.text))
      counted.set(term, (counted.get(term) ?? 0) + count * part.weight);
    for (const name of codeIdentifiers(part.text)) namedIn.set(name, Math.max(namedIn.get(name) ?? 0, part.weight));
  }
  const query = new Map<string, number>();
  for (const [term, count] of counted) {
    // Digits lead no name, and a rule of underscores (`____`, pytest's separators) is no word.
    if (STOP_WORDS.has(term) || /^(\d|_+$)/.test(term) || count <= 0) continue;
    query.set(term, count < 1 ? count : Math.min(MAX_QUERY_WEIGHT, 1 + Math.log(count)));
  }
  // Names written as code are what the user points at: their whole form weighs more.
  for (const [name, weight] of namedIn) {
    const lower = name.toLowerCase();
    query.set(lower, (query.get(lower) ?? weight) + weight);
  }
  // The names from what the user wrote first, those from long pasted output last.
  const identifiers = [...namedIn].sort((a, b) => b[1] - a[1]).map(([name]) => name);
  const spelled = new Map<string, string>();
  for (const match of clean.matchAll(/[A-Za-z_][\w]*/g)) {
    const lower = match[0].toLowerCase();
    if (!spelled.has(lower)) spelled.set(lower, match[0]);
  }
  return { query, identifiers, frames, files, spelled };
}

function traceFrames(text: string): Frame[] {
  const frames: Frame[] = [];
  const seen = new Set<string>();
  const add = (path: string, line: string) => {
    const key = `${path}:${line}`;
    if (seen.has(key)) return;
    seen.add(key);
    frames.push({ path: path.replace(/\\/g, '/'), line: Number(line) });
  };
  for (const match of text.matchAll(PYTHON_FRAME)) add(match[1], match[2]);
  for (const match of text.matchAll(LOCATION_FRAME)) add(match[1], match[2]);
  return frames;
}

/**
 * Identifiers the request writes as code: compound names (`snake_case`, `camelCase`),
 * calls (`name(`), attribute access (`obj.name`), and anything in backticks.
 */
function codeIdentifiers(text: string): string[] {
  const found = new Set<string>();
  const consider = (word: string, explicit: boolean) => {
    if (word.length < 3 || STOP_WORDS.has(word.toLowerCase()) || /^_+$/.test(word)) return;
    if (explicit || isCodeShaped(word) || identifierParts(word).length > 1) found.add(word);
  };
  for (const match of text.matchAll(/`([^`\n]+)`/g))
    for (const word of match[1].matchAll(/[A-Za-z_][\w]*/g)) consider(word[0], true);
  for (const match of text.matchAll(/([A-Za-z_][\w]*)\s*\(/g)) consider(match[1], true);
  for (const match of text.matchAll(/\.([A-Za-z_][\w]*)/g)) consider(match[1], false);
  for (const match of text.matchAll(/[A-Za-z_][\w]*/g)) consider(match[0], false);
  return [...found];
}
