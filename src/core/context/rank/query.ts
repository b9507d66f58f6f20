/**
 * The searchable words of a request: identifiers (`ChatEngine`, `read_file`,
 * `Tokenizer.encode`), file names and paths, and plain words that are not filler.
 * Code-shaped terms weigh more than plain words.
 */

export interface QueryTerm {
  readonly text: string;
  /** 3 for code-shaped identifiers and file names, 1 for plain words. */
  readonly weight: number;
}

const STOP_WORDS = new Set(
  (
    'the and for are but not you your with this that these those from into onto over under what when where which who whom why how ' +
    "does did doing done can could should would will shall may might must have has had having been being was were its it's " +
    'there their them they then than also just only very much many more most some any all each every other such same own ' +
    'about above after again against because before below between both during further here once out off own too until while ' +
    'use used using make makes made add adds added fix fixes fixed change changes changed update updates updated find show ' +
    'explain tell write read look see get set let new old like want need please help code file files function functions ' +
    'method methods class classes test tests work works working thing things way ways one two call calls called'
  ).split(' '),
);

const MAX_TERMS = 12;
const EXTENSIONS =
  'ts|tsx|js|jsx|mjs|cjs|py|go|rs|java|kt|cs|cpp|cc|c|h|hpp|rb|php|swift|md|json|ya?ml|toml|sh|css|scss|html|vue|svelte|sql|txt';
const FILE_NAME = new RegExp(`[\\w@.-]*[\\w-]+/[\\w@./-]+|\\b[\\w-]+\\.(?:${EXTENSIONS})\\b`, 'g');

export function queryTerms(query: string): QueryTerm[] {
  const found = new Map<string, number>();
  const add = (text: string, weight: number) => {
    if (text.length < 3 || (weight === 1 && STOP_WORDS.has(text.toLowerCase()))) return;
    found.set(text, Math.max(found.get(text) ?? 0, weight));
  };
  // Paths and file names: `src/core/x.ts`, `package.json`.
  for (const match of query.matchAll(FILE_NAME)) {
    const path = match[0].replace(/[.,;:]+$/, '');
    add(path.slice(path.lastIndexOf('/') + 1), 3);
  }
  for (const match of query.matchAll(/[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*/g)) {
    const parts = match[0].split('.');
    for (const part of parts) {
      // A capitalised word inside a sentence is usually a type or class name.
      const weight = isCodeShaped(part) || parts.length > 1 ? 3 : /^[A-Z]/.test(part) && match.index > 0 ? 2 : 1;
      add(part, weight);
    }
  }
  return [...found]
    .map(([text, weight]) => ({ text, weight }))
    .sort((a, b) => b.weight - a.weight || b.text.length - a.text.length || a.text.localeCompare(b.text))
    .slice(0, MAX_TERMS);
}

/** camelCase, PascalCase after the first letter, snake_case, digits, `$`. */
export function isCodeShaped(word: string): boolean {
  return /[a-z][A-Z]|[A-Z]{2,}[a-z]|_|\$|\d/.test(word) || /^[A-Z][a-z]+[A-Z]/.test(word);
}
