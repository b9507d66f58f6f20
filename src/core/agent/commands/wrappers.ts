/**
 * Programs that run another program given in their arguments (`env`, `sudo`, `timeout`, `xargs`,
 * `find -exec`, `bash -c`, `eval`, …): the checker judges what they run, not only their own name.
 */
import { type ShellWord, programName, runtimeWord, staticWord } from './shellWords';

export interface InnerCommand {
  readonly words: readonly ShellWord[];
  /** The wrappers it runs under, outermost first (`sudo`, `xargs`, …). */
  readonly via: readonly string[];
}

export interface Unwrapped {
  readonly commands: InnerCommand[];
  /** Strings a shell reads as command lines (`bash -c`, `eval`), to be parsed in turn. */
  readonly scripts: { readonly word: ShellWord; readonly via: readonly string[] }[];
  /** Files a wrapper's own option writes (`find -fprint FILE`). */
  readonly writes: ShellWord[];
  readonly asks: string[];
}

interface WrapperSpec {
  /** Short options that take the next word (or the rest of their cluster) as their value. */
  readonly takesValue: string;
  /** Long options that take the next word unless written `--name=value`. */
  readonly longValues?: readonly string[];
  /** Operands before the command (`timeout DURATION`). */
  readonly operands?: number;
  /** `NAME=value` words set the command's environment (`env`). */
  readonly assignments?: boolean;
  /** Options whose meaning the checker does not follow: short letters and long names. */
  readonly refuses?: { readonly short: string; readonly long: readonly string[] };
  /** Why the wrapper always needs a person, whatever it runs. */
  readonly ask?: string;
  /** The option that names a file the wrapper writes (`time -o FILE`). */
  readonly writes?: { readonly short: string; readonly long: string };
}

const WRAPPERS: Readonly<Record<string, WrapperSpec>> = {
  env: {
    takesValue: 'uC',
    longValues: ['--unset', '--chdir'],
    assignments: true,
    refuses: { short: 'S', long: ['--split-string'] },
  },
  nohup: { takesValue: '' },
  time: { takesValue: 'fo', longValues: ['--format', '--output'], writes: { short: 'o', long: '--output' } },
  nice: { takesValue: 'n', longValues: ['--adjustment'] },
  ionice: { takesValue: 'cn', longValues: ['--class', '--classdata'] },
  timeout: { takesValue: 'sk', longValues: ['--signal', '--kill-after'], operands: 1 },
  stdbuf: { takesValue: 'ioe', longValues: ['--input', '--output', '--error'] },
  command: { takesValue: '' },
  builtin: { takesValue: '' },
  exec: { takesValue: 'a' },
  setsid: { takesValue: '' },
  busybox: { takesValue: '' },
  sudo: {
    takesValue: 'uCDghprtTU',
    longValues: ['--user', '--group', '--chdir', '--host', '--prompt', '--role', '--type', '--other-user'],
    ask: 'it runs as another user (sudo)',
  },
  doas: { takesValue: 'uC', ask: 'it runs as another user (doas)' },
  pkexec: { takesValue: '', longValues: ['--user'], ask: 'it runs as another user (pkexec)' },
};

const XARGS: WrapperSpec = {
  takesValue: 'ILnPdEsa',
  longValues: ['--arg-file', '--delimiter', '--eof', '--replace', '--max-lines', '--max-args', '--max-procs'],
};

/** Shells whose `-c STRING` runs STRING as a command line. */
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'rbash']);
const SHELL_VALUE_OPTIONS = new Set(['-o', '+o', '-O', '+O', '--rcfile', '--init-file']);
const FIND_EXEC = new Set(['-exec', '-execdir', '-ok', '-okdir']);
const FIND_WRITES = new Set(['-fprint', '-fprint0', '-fprintf', '-fls']);
const MAX_WRAPPERS = 8;

/** `--out` for `--output`: GNU tools take any unambiguous start of a long option as the option. */
const spells = (option: string, long: string): boolean => option.length > 2 && long.startsWith(option);

function refuses(refused: NonNullable<WrapperSpec['refuses']>, option: string): boolean {
  if (option.startsWith('--')) return refused.long.some((name) => spells(option, name));
  return [...option.slice(1)].some((letter) => refused.short.includes(letter));
}

type Skipped = { readonly rest: readonly ShellWord[] } | { readonly problem: string };

/** The words after the wrapper's own options and operands; a problem when they cannot be told apart. */
export function skipOptions(name: string, spec: WrapperSpec, args: readonly ShellWord[], asks: string[]): Skipped {
  let i = 0;
  for (; i < args.length; i++) {
    const value = args[i].value;
    if (value === undefined) return { problem: `an option of \`${name}\` is only known at run time` };
    if (value === '--') {
      i++;
      break;
    }
    if (spec.assignments && /^[A-Za-z_][A-Za-z0-9_]*=/.test(value)) {
      asks.push(`\`${name}\` sets the environment variable ${value.split('=')[0]} for the command it runs`);
      continue;
    }
    if (!value.startsWith('-') || value === '-') break;
    const option = value.split('=')[0];
    if (spec.refuses && refuses(spec.refuses, option)) {
      return { problem: `\`${name} ${option}\` runs a command the checker does not follow` };
    }
    const cluster = value.slice(1);
    const at = [...cluster].findIndex((char) => spec.takesValue.includes(char));
    const takesNext = value.startsWith('--')
      ? spec.longValues?.some((name) => spells(option, name)) === true && !value.includes('=')
      : at >= 0 && at === cluster.length - 1;
    if (!takesNext) continue;
    // `nice -n $N ls`: an unquoted value may split into more words, one of them a command.
    if (args[++i] && args[i].value === undefined)
      return { problem: `an option of \`${name}\` is only known at run time` };
  }
  const rest = args.slice(i + (spec.operands ?? 0));
  return { rest };
}

/** The words given to one option among a wrapper's options: `-o F`, `-aoF`, `--output F`, `--output=F`. */
export function optionValues(options: readonly ShellWord[], short: string, long: string): ShellWord[] {
  const found: ShellWord[] = [];
  options.forEach((word, index) => {
    const value = word.value ?? '';
    const next = options[index + 1];
    const option = value.split('=')[0];
    if (option.startsWith('--') && spells(option, long)) {
      if (value.includes('=')) found.push(staticWord(value.slice(option.length + 1)));
      else if (next) found.push(next);
    } else if (/^-[^-]/.test(value) && value.includes(short)) {
      const attached = value.slice(value.indexOf(short) + 1);
      if (attached) found.push(staticWord(attached));
      else if (next) found.push(next);
    }
  });
  return found;
}

/** `bash -xc 'script' name args`: the script word, or undefined when the shell reads a file or its input. */
function shellScript(args: readonly ShellWord[]): ShellWord | 'unknown' | undefined {
  let reads = false;
  for (let i = 0; i < args.length; i++) {
    const value = args[i].value;
    if (value === undefined) return 'unknown';
    if (value === '--' || value === '-') return reads ? (args[i + 1] ?? 'unknown') : undefined;
    if (SHELL_VALUE_OPTIONS.has(value)) {
      if (args[++i] && args[i].value === undefined) return 'unknown';
      continue;
    }
    const isOption = (value.startsWith('-') || value.startsWith('+')) && value.length > 1;
    if (!isOption) return reads ? args[i] : undefined;
    if (!value.startsWith('--') && value.slice(1).includes('c')) reads = true;
  }
  return reads ? 'unknown' : undefined;
}

/**
 * What xargs runs: its words and the words it reads. Which of them `-I R` fills in is not worked out:
 * the words read are unknown anyway, and a word kept as written can only make a deny entry match.
 */
function xargsPayload(rest: readonly ShellWord[]): ShellWord[] {
  return [...rest, runtimeWord('…', 'xargs adds words read from its input')];
}

function findPayloads(words: readonly ShellWord[], out: Unwrapped, via: readonly string[]): ShellWord[] {
  const own: ShellWord[] = [words[0]];
  for (let i = 1; i < words.length; i++) {
    const value = words[i].value;
    if (value !== undefined && FIND_WRITES.has(value)) {
      if (words[i + 1]) out.writes.push(words[i + 1]);
      own.push(words[i]);
      continue;
    }
    if (value === undefined || !FIND_EXEC.has(value)) {
      own.push(words[i]);
      continue;
    }
    const end = words.findIndex((word, at) => at > i && (word.value === ';' || word.value === '+'));
    if (end < 0) {
      out.asks.push(`\`find ${value}\` has no closing ';' or '+', so what it runs is unclear`);
      return own;
    }
    const payload = words
      .slice(i + 1, end)
      .map((word) => (word.value === '{}' ? runtimeWord('{}', 'find puts a file name there') : word));
    own.push(words[i], runtimeWord('…', `the command find ${value} runs`), words[end]);
    unwrapInto(payload, out, [...via, `find ${value}`]);
    i = end;
  }
  return own;
}

function unwrapInto(start: readonly ShellWord[], out: Unwrapped, startVia: readonly string[]): void {
  let words = start;
  let via = startVia;
  for (let depth = 0; depth < MAX_WRAPPERS; depth++) {
    if (words.length === 0) return;
    const name = programName(words[0]);
    const spec = name === undefined ? undefined : name === 'xargs' ? XARGS : WRAPPERS[name];
    if (name !== undefined && spec) {
      const skipped = skipOptions(name, spec, words.slice(1), out.asks);
      if ('problem' in skipped) {
        out.asks.push(skipped.problem);
        out.commands.push({ words, via });
        return;
      }
      if (spec.ask) out.asks.push(spec.ask);
      const options = words.slice(1, words.length - skipped.rest.length);
      if (spec.writes) out.writes.push(...optionValues(options, spec.writes.short, spec.writes.long));
      if (skipped.rest.length === 0) {
        out.commands.push({ words: name === 'xargs' ? [staticWord('echo')] : words, via });
        return;
      }
      words = name === 'xargs' ? xargsPayload(skipped.rest) : skipped.rest;
      via = [...via, name];
      continue;
    }
    if (name !== undefined && SHELLS.has(name)) {
      const script = shellScript(words.slice(1));
      if (script === 'unknown') out.asks.push(`what \`${name}\` runs is only known at run time`);
      else if (script) return void out.scripts.push({ word: script, via: [...via, `${name} -c`] });
      out.commands.push({ words, via });
      return;
    }
    if (name === 'eval') {
      const args = words.slice(1);
      const unknown = args.find((word) => word.value === undefined);
      if (unknown) out.asks.push(`\`eval\` runs text that is only known at run time (${unknown.text})`);
      else
        return void out.scripts.push({
          word: staticWord(args.map((word) => word.value).join(' ')),
          via: [...via, 'eval'],
        });
      out.commands.push({ words, via });
      return;
    }
    if (name === 'find') {
      out.commands.push({ words: findPayloads(words, out, via), via });
      return;
    }
    out.commands.push({ words, via });
    return;
  }
  out.asks.push('it nests more wrapper commands than the checker follows');
  out.commands.push({ words, via });
}

/** Everything `words` runs once the wrappers around it are taken off. */
export function unwrap(words: readonly ShellWord[]): Unwrapped {
  const out: Unwrapped = { commands: [], scripts: [], writes: [], asks: [] };
  unwrapInto(words, out, []);
  return out;
}
