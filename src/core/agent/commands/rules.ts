/**
 * Allow and deny entries, and how they match one sub-command (a program and its words):
 *
 * - An allow entry is words, e.g. `npm test`. It matches a sub-command whose words are exactly those
 *   words (after the shell's quoting is removed). A final `*` (`npm test *`) also matches any further
 *   arguments, `--` included. The program must be spelled the same: `npm` does not match `./npm`.
 * - A deny entry matches wherever the same program (by name, any folder) is given the entry's options
 *   in any order or spelling (`-rf`, `-r -f`, `--recursive --force`) and its other words in order,
 *   with anything in between: `git push --force` denies `git push origin main -f`.
 */
import { type ShellWord, programName } from './shellWords';

export interface CommandRule {
  /** The entry as the user wrote it. */
  readonly entry: string;
  readonly words: readonly string[];
  /** The entry ends with a bare `*`: any further arguments match. */
  readonly anyArguments: boolean;
}

const OPERATOR = /[;&|<>()`$]/;

/** Splits an entry into words the way the shell would; undefined for an entry that is not one plain command. */
export function parseRule(entry: string): CommandRule | undefined {
  const words: { value: string; raw: string }[] = [];
  let word: { value: string; start: number } | undefined;
  const finish = (end: number) => {
    if (word) words.push({ value: word.value, raw: entry.slice(word.start, end) });
    word = undefined;
  };
  for (let i = 0; i < entry.length; i++) {
    const char = entry[i];
    if (/\s/.test(char)) {
      finish(i);
      continue;
    }
    word ??= { value: '', start: i };
    if (char === "'" || char === '"') {
      const end = entry.indexOf(char, i + 1);
      if (end < 0) return undefined;
      const inner = entry.slice(i + 1, end);
      if (char === '"' && /[$`\\]/.test(inner)) return undefined;
      word.value += inner;
      i = end;
    } else if (char === '\\') {
      if (i + 1 >= entry.length) return undefined;
      word.value += entry[++i];
    } else if (OPERATOR.test(char)) {
      return undefined;
    } else {
      word.value += char;
    }
  }
  finish(entry.length);
  // Only a final `*` written bare stands for more arguments; `'*'` or `\*` is the word itself.
  const anyArguments = words.at(-1)?.raw === '*';
  const fixed = (anyArguments ? words.slice(0, -1) : words).map((item) => item.value);
  return fixed.length ? { entry: entry.trim(), words: fixed, anyArguments } : undefined;
}

/** The entries that are plain commands, and the ones that are not (to tell the user). */
export function parseRules(entries: readonly string[]): { rules: CommandRule[]; invalid: string[] } {
  const rules: CommandRule[] = [];
  const invalid: string[] = [];
  for (const entry of entries) {
    const rule = typeof entry === 'string' ? parseRule(entry) : undefined;
    if (rule) rules.push(rule);
    else invalid.push(String(entry));
  }
  return { rules, invalid };
}

export function matchesAllow(rule: CommandRule, words: readonly ShellWord[]): boolean {
  if (words.length < rule.words.length) return false;
  if (words.length > rule.words.length && !rule.anyArguments) return false;
  return rule.words.every((expected, index) => words[index].value === expected);
}

/** Spellings of one option, per program: each maps to the spelling the entries use. */
const OPTION_ALIASES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  rm: { '-R': '-r', '--recursive': '-r', '--force': '-f' },
  chmod: { '--recursive': '-R' },
  chown: { '--recursive': '-R' },
  git: { '--force': '-f' },
};

/** `//a/./b/` → `/a/b`: spellings of one path the shell and the kernel treat alike. */
export function normalizePath(value: string): string {
  if (!value.includes('/')) return value;
  const segments = value.split('/').filter((segment) => segment !== '' && segment !== '.');
  const absolute = value.startsWith('/');
  if (!segments.length) return absolute ? '/' : '.';
  return (absolute ? '/' : '') + segments.join('/');
}

interface Arguments {
  readonly options: Set<string>;
  readonly operands: string[];
  readonly unknown: number;
}

function readArguments(program: string, words: readonly (string | undefined)[]): Arguments {
  const aliases = OPTION_ALIASES[program] ?? {};
  const options = new Set<string>();
  const operands: string[] = [];
  let unknown = 0;
  let afterDashes = false;
  for (const value of words) {
    if (value === undefined) unknown++;
    else if (afterDashes || !value.startsWith('-') || value === '-') operands.push(normalizePath(value));
    else if (value === '--') afterDashes = true;
    else if (/^-[A-Za-z]{2,}$/.test(value))
      for (const letter of value.slice(1)) options.add(aliases[`-${letter}`] ?? `-${letter}`);
    else options.add(aliases[value] ?? aliases[longOption(aliases, value) ?? ''] ?? value);
  }
  return { options, operands, unknown };
}

/** `--forc` for `--force`: GNU tools take any unambiguous start of a long option as the option. */
function longOption(aliases: Readonly<Record<string, string>>, value: string): string | undefined {
  return value.startsWith('--') ? Object.keys(aliases).find((name) => name.startsWith(value)) : undefined;
}

/** How many of `wanted` are not found in `found`, in order. */
function missingInOrder(wanted: readonly string[], found: readonly string[]): number {
  let at = 0;
  let missing = 0;
  for (const word of wanted) {
    const index = found.indexOf(word, at);
    if (index < 0) missing++;
    else at = index + 1;
  }
  return missing;
}

/** `yes` when the sub-command is what the entry denies, `maybe` when only its run-time words could make it so. */
export function matchesDeny(rule: CommandRule, words: readonly ShellWord[]): 'yes' | 'maybe' | 'no' {
  const program = words.length ? programName(words[0]) : undefined;
  const denied = programName({ text: rule.words[0], value: rule.words[0] });
  if (program === undefined || program !== denied) return 'no';
  const wanted = readArguments(program, rule.words.slice(1));
  const found = readArguments(
    program,
    words.slice(1).map((word) => word.value),
  );
  const missing = [...wanted.options].filter((option) => !found.options.has(option)).length;
  const total = missing + missingInOrder(wanted.operands, found.operands);
  if (total === 0) return 'yes';
  // `git pus*` is whatever file names the shell finds: it could be `git push`.
  return found.unknown > 0 || words.some((word) => word.glob) ? 'maybe' : 'no';
}
