/**
 * What git can be told on its own command line to run or write, whatever the allow list says: an
 * entry such as `git *` lets git run, not a program git is told to run (`git -c alias.st='!rm x' st`,
 * `-c core.pager=…`, `--exec-path`), nor a change to its configuration or hooks (`git config`,
 * `git diff --output=.git/hooks/pre-commit`). Those ask and are never allowed for the session.
 */
import type { ShellWord } from './shellWords';

/** git's own options (before the subcommand) that take the next word as their value. */
const VALUE_OPTIONS = new Set([
  '-C',
  '-c',
  '--git-dir',
  '--work-tree',
  '--namespace',
  '--super-prefix',
  '--config-env',
]);
/** `git config` words that only read. */
const CONFIG_READS = new Set(['--get', '--get-all', '--get-regexp', '--get-urlmatch', '--list', '-l', 'get', 'list']);
const CONFIG_CHANGES =
  // eslint-disable-next-line max-len -- one anchored alternation of option names
  /^(--(unset|unset-all|add|replace-all|edit|rename-section|remove-section)|-e|set|unset|edit|rename-section|remove-section)$/;
const OUTPUT = /^--output(=|$)/;

export interface GitFindings {
  /** Why the line needs a person, in words for the prompt. */
  readonly asks: string[];
  /** It writes to a file the access policy protects. */
  protectedWrite: boolean;
}

/** Reasons `words` (a git command) needs a person beyond its rules. */
export function gitFindings(words: readonly ShellWord[], isProtected: (path: string) => boolean): GitFindings {
  const found: GitFindings = { asks: [], protectedWrite: false };
  let at = 1;
  for (; at < words.length; at++) {
    const value = words[at].value;
    if (value === undefined || !value.startsWith('-')) break;
    const option = value.split('=')[0];
    if (option === '--config-env' || /^-c/.test(option)) {
      found.asks.push(
        `\`git ${option}\` sets git configuration for this command, which can make git run another program`,
      );
    } else if (option === '--exec-path' && value.includes('=')) {
      found.asks.push('`git --exec-path` tells git where to find the programs it runs');
    }
    if (VALUE_OPTIONS.has(value)) at++;
  }
  const rest = words.slice(at + 1).map((word) => word.value);
  if (words[at]?.value === 'config' && changesConfig(rest)) {
    found.asks.push('`git config` changes git configuration, which can make git run other programs');
    found.protectedWrite = isProtected('.git/config');
  }
  const output = words[at]?.value === 'format-patch' ? /^(-o|--output-directory(=|$))/ : OUTPUT;
  rest.forEach((value, index) => {
    const option = value === undefined ? undefined : output.exec(value)?.[0];
    if (option === undefined) return;
    const attached = value?.slice(option.length);
    const target = attached || option.endsWith('=') ? attached : rest[index + 1];
    if (target !== undefined && isProtected(target)) {
      found.asks.push(`it may change ${target}, a protected file`);
      found.protectedWrite = true;
    }
  });
  return found;
}

/** `git config name value`, `--unset`, `--edit`…: anything but a read (`--get`, `--list`, a lone name). */
function changesConfig(args: readonly (string | undefined)[]): boolean {
  if (args.some((value) => value === undefined || CONFIG_CHANGES.test(value))) return true;
  if (args.some((value) => CONFIG_READS.has(value ?? ''))) return false;
  return args.filter((value) => !value?.startsWith('-')).length !== 1;
}
