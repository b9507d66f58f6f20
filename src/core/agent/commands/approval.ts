/**
 * The one decision on a shell line the agent wants to run: allowed without asking, ask the user,
 * or refused. The line is parsed with the bash grammar and judged by every sub-command it would run
 * (chains, pipes, subshells, substitutions, `bash -c` and `eval` strings, `xargs` and `find -exec`
 * payloads, wrappers such as `env`, `sudo`, `timeout`), never by its text as a whole. What the checker
 * does not understand asks. Rule semantics are in `rules.ts`.
 */
import { BUILTIN_ASK, BUILTIN_DENY, DOWNLOADERS, INTERPRETERS, WRITERS } from './builtinRules';
import { gitFindings } from './gitRules';
import { type CommandRule, matchesAllow, matchesDeny, parseRules } from './rules';
import { bashParser } from './shellParser';
import { type FoundCommand, type LineFacts, readShellLine } from './shellWalk';
import { type ShellWord, programName, wordsText } from './shellWords';

/** The user's rules (application scope: a repository cannot widen them). */
export interface CommandRules {
  /** Commands that may run without asking in the auto modes, e.g. `npm test`, `git status`. */
  readonly allow: readonly string[];
  /** Commands that never run, whatever the mode or a session approval. */
  readonly deny: readonly string[];
}

export interface CheckOptions {
  /** True for a workspace-relative or absolute path the access policy protects (a write there asks). */
  readonly isProtectedPath?: (path: string) => boolean;
  /**
   * The shell that will run the line (name or path). PowerShell, cmd and fish lines always ask; so does
   * every line on Windows when no shell is named (cmd and PowerShell run them there, not bash).
   */
  readonly shell?: string;
}

export type CommandVerdict =
  /** Every sub-command is on the allow list and nothing in the line needs a person. */
  | { readonly kind: 'allow'; readonly commands: readonly string[] }
  /** A person must approve; `reasons` say why in words a user understands. */
  | {
      readonly kind: 'ask';
      readonly commands: readonly string[];
      readonly reasons: readonly string[];
      /**
       * The sub-commands that "allow for this session" would add to the allow list (only those that
       * asked for no other reason than the list); absent when the line may not be remembered.
       */
      readonly sessionKeys?: readonly string[];
    }
  /** A sub-command is on the deny list: it never runs. */
  | { readonly kind: 'deny'; readonly commands: readonly string[]; readonly reasons: readonly string[] };

const OTHER_SHELLS = /^(pwsh|powershell|cmd|fish)(\.exe)?$/i;
/** Invisible and direction-changing characters hide what a line does from the person approving it. */
const INVISIBLE = /[\p{Cf}\p{Co}\u115f\u1160\u3164\uffa0]/u;
const NON_ASCII = /[^\u0020-\u007e]/u;

/** Judges `line` against `rules`: every sub-command it would run must be allowed for it to run unasked. */
export async function checkCommand(
  line: string,
  rules: CommandRules,
  options: CheckOptions = {},
): Promise<CommandVerdict> {
  const shell = (options.shell ?? (process.platform === 'win32' ? 'cmd.exe' : '')).split(/[\\/]/).pop() ?? '';
  if (OTHER_SHELLS.test(shell)) {
    const reason = `QCoder checks only POSIX shell lines (bash, sh, zsh); in ${shell} every command asks.`;
    return { kind: 'ask', commands: [line], reasons: [reason] };
  }
  let facts: LineFacts;
  try {
    facts = readShellLine(await bashParser(), line);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { kind: 'ask', commands: [line], reasons: [`The line could not be checked (${message}), so it asks.`] };
  }
  return judge(line, facts, rules, options);
}

interface Judgement {
  readonly deny: string[];
  readonly asks: string[];
  readonly sessionKeys: string[];
  protectedWrite: boolean;
}

function judge(line: string, facts: LineFacts, rules: CommandRules, options: CheckOptions): CommandVerdict {
  const allow = parseRules(rules.allow).rules;
  const deny = parseRules(rules.deny).rules;
  const verdict: Judgement = { deny: [], asks: [...facts.asks], sessionKeys: [], protectedWrite: false };
  if (hasHiddenCharacters(line))
    verdict.asks.push('it contains invisible or control characters that can hide what it does');
  // bash joins `np\<newline>m` into one word; the grammar reads two.
  if (/[^\s\\]\\\n/.test(line)) verdict.asks.push('it continues a word on the next line with a backslash');
  for (const write of facts.writes) judgeWrite(write, verdict, options);
  for (const command of facts.commands) judgeCommand(command, verdict, allow, deny, options);
  if (!facts.commands.length) verdict.asks.push('it runs no command QCoder can name');
  const commands = unique(facts.commands.map((command) => wordsText(command.words)));
  const shown = commands.length ? commands : [line.trim()];
  if (verdict.deny.length) return { kind: 'deny', commands: shown, reasons: unique(verdict.deny) };
  if (!verdict.asks.length) return { kind: 'allow', commands: shown };
  const reasons = unique(verdict.asks).map(sentence);
  const keys = verdict.protectedWrite ? [] : unique(verdict.sessionKeys);
  return keys.length
    ? { kind: 'ask', commands: shown, reasons, sessionKeys: keys }
    : { kind: 'ask', commands: shown, reasons };
}

function judgeWrite(target: ShellWord, verdict: Judgement, options: CheckOptions): void {
  if (target.value === undefined) {
    verdict.asks.push(`it writes to a file whose name is only known at run time (${target.text})`);
  } else if (options.isProtectedPath?.(target.value)) {
    verdict.protectedWrite = true;
    verdict.asks.push(`it writes to ${target.value}, a protected file`);
  } else {
    verdict.asks.push(`it writes to the file ${target.value}`);
  }
}

function judgeCommand(
  command: FoundCommand,
  verdict: Judgement,
  allow: readonly CommandRule[],
  deny: readonly CommandRule[],
  options: CheckOptions,
): void {
  const text = wordsText(command.words);
  const before = verdict.asks.length + verdict.deny.length;
  judgeBuiltins(command, verdict, deny, options);
  const program = command.words[0];
  const name = programName(program);
  if (program.value === undefined) {
    verdict.asks.push(`the command name \`${program.text}\` is only known at run time: ${program.dynamic}`);
    return;
  }
  if (program.glob) verdict.asks.push(`the command name \`${program.text}\` has a wildcard the shell may expand`);
  if (NON_ASCII.test(program.value)) {
    verdict.asks.push(
      `the command name \`${program.value}\` has characters that are not plain ASCII ` +
        `(${codePoints(program.value)}) and may imitate another command`,
    );
  }
  if (name !== undefined && command.fedInput && INTERPRETERS.test(name)) {
    const source = command.upstream.find((stage) => DOWNLOADERS.test(stage));
    if (source) {
      verdict.deny.push(`\`${source} … | ${name}\`: it downloads code and runs it without anyone reading it`);
    }
    verdict.asks.push(`\`${name}\` runs the text piped or redirected into it as code`);
  }
  if (name !== undefined && WRITERS.has(name)) protectedArguments(command.words, verdict, options);
  const problems = verdict.asks.length + verdict.deny.length - before;
  if (allow.some((rule) => matchesAllow(rule, command.words))) return;
  verdict.asks.push(`\`${text}\` is not on your allow list (qcoder.commands.allow)`);
  if (problems === 0 && command.words.every((word) => word.value !== undefined)) verdict.sessionKeys.push(text);
}

/** The rules no allow entry lifts: built-in and user denials, what always asks, git's own options. */
function judgeBuiltins(command: FoundCommand, verdict: Judgement, deny: readonly CommandRule[], options: CheckOptions) {
  const text = wordsText(command.words);
  for (const { rule, why } of BUILTIN_DENY) denyIfMatched(rule, command, verdict, why);
  for (const rule of deny) denyIfMatched(rule, command, verdict, 'it is on your deny list (qcoder.commands.deny)');
  for (const { rule, why } of BUILTIN_ASK) {
    const match = matchesDeny(rule, command.words);
    if (match === 'yes') verdict.asks.push(`\`${text}\`: ${why}`);
    if (match === 'maybe') verdict.asks.push(`\`${text}\` could turn out to be \`${rule.entry}\` when it runs: ${why}`);
  }
  // `watch git push`, `strace rm -rf /`: a program the checker does not unwrap may run its arguments.
  // One-word entries (`source`, `shutdown`) are left out: as an argument they are most often a search.
  const rules = [...BUILTIN_DENY, ...BUILTIN_ASK]
    .map((builtin) => builtin.rule)
    .concat(deny)
    .filter((rule) => rule.words.length > 1);
  const inside = rules.find((rule) =>
    command.words.some((_, at) => at > 0 && matchesDeny(rule, command.words.slice(at)) === 'yes'),
  );
  if (inside) verdict.asks.push(`\`${text}\` has \`${inside.entry}\` among its words and may run it`);
  if (programName(command.words[0]) === 'git') {
    const git = gitFindings(command.words, options.isProtectedPath ?? (() => false));
    verdict.asks.push(...git.asks);
    verdict.protectedWrite ||= git.protectedWrite;
  }
}

function denyIfMatched(rule: CommandRule, command: FoundCommand, verdict: Judgement, why: string): void {
  const text = wordsText(command.words);
  const match = matchesDeny(rule, command.words);
  if (match === 'yes') verdict.deny.push(`\`${text}\`: ${why}`);
  // One warning per command is enough: `rm $X` could be any of several denied lines.
  const warning = `\`${text}\` could turn out to be a denied command (such as \`${rule.entry}\`) when it runs`;
  if (match === 'maybe' && !verdict.asks.some((ask) => ask.startsWith(`\`${text}\` could turn out`)))
    verdict.asks.push(warning);
}

/** A program that changes the files it names (`tee`, `cp`, `dd of=…`) asks for a protected one. */
function protectedArguments(words: readonly ShellWord[], verdict: Judgement, options: CheckOptions): void {
  for (const word of words.slice(1)) {
    const path = word.value?.replace(/^of=/, '');
    if (path !== undefined && !path.startsWith('-') && options.isProtectedPath?.(path)) {
      verdict.protectedWrite = true;
      verdict.asks.push(`it may change ${path}, a protected file`);
    }
  }
}

/** `U+FF4C` for each character outside printable ASCII. */
const codePoints = (text: string): string =>
  unique(
    [...text]
      .filter((char) => NON_ASCII.test(char))
      .map((char) => `U+${char.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}`),
  ).join(', ');

/** Control characters other than tab and newline (a carriage return can overprint a line), and invisible ones. */
function hasHiddenCharacters(line: string): boolean {
  for (const char of line) {
    const code = char.codePointAt(0) ?? 0;
    if ((code < 0x20 && char !== '\t' && char !== '\n') || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return INVISIBLE.test(line);
}

const unique = (items: readonly string[]): string[] => [...new Set(items)];
const sentence = (reason: string): string =>
  `${reason[0].toUpperCase()}${reason.slice(1)}${reason.endsWith('.') ? '' : '.'}`;
