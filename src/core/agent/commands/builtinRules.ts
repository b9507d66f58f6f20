/**
 * What QCoder denies or asks about whatever the user's lists say. The user's deny list adds to these;
 * the allow list cannot lift them.
 */
import { type CommandRule, parseRule } from './rules';

export interface BuiltinRule {
  readonly rule: CommandRule;
  /** Why, in words for the approval prompt. */
  readonly why: string;
}

function rules(entries: readonly (readonly [string, string])[]): BuiltinRule[] {
  return entries.map(([entry, why]) => ({ rule: parseRule(entry) as CommandRule, why }));
}

const WIPES_MACHINE = 'it deletes every file the user can reach';
const WIPES_HOME = 'it deletes your home folder';
const POWER = 'it shuts down or restarts the machine';
const FORMATS = 'it formats a disk';

export const BUILTIN_DENY: readonly BuiltinRule[] = rules([
  ['rm -rf /', WIPES_MACHINE],
  ['rm -rf /*', WIPES_MACHINE],
  ['rm -rf ~', WIPES_HOME],
  ['rm -rf ~/*', WIPES_HOME],
  ['chmod -R 777 /', 'it lets everyone change every file on the machine'],
  ['git push --force', "it overwrites the remote branch's history"],
  ['git push --force-with-lease', "it overwrites the remote branch's history"],
  ['mkfs', FORMATS],
  ['mkfs.ext4', FORMATS],
  ['mkfs.xfs', FORMATS],
  ['mkfs.vfat', FORMATS],
  ['shutdown', POWER],
  ['reboot', POWER],
  ['halt', POWER],
  ['poweroff', POWER],
]);

export const BUILTIN_ASK: readonly BuiltinRule[] = rules([
  ['git push', 'it publishes commits to a remote, so it always asks'],
  ['git send-pack', 'it publishes commits to a remote, so it always asks'],
  ['npm publish', 'it publishes a package, so it always asks'],
  ['source', 'it runs the commands in a file'],
  ['.', 'it runs the commands in a file'],
  ['alias', 'it defines an alias that changes what later commands run'],
  ['trap', 'it sets commands to run when a signal arrives'],
  ['su', 'it runs as another user (su)'],
]);

/** Programs that run their standard input as code when it is piped or redirected into them. */
export const INTERPRETERS =
  // eslint-disable-next-line max-len -- one anchored alternation of interpreter names
  /^(sh|bash|zsh|dash|ksh|mksh|ash|rbash|fish|csh|tcsh|busybox|python[0-9.]*|pypy[0-9.]*|node|nodejs|deno|bun|perl|ruby|php|lua[0-9.]*|luajit|tclsh|wish|R|Rscript|osascript|pwsh|powershell|source|\.)$/;

/** Programs that download; one piped into an interpreter runs code from the network. */
export const DOWNLOADERS = /^(curl|wget|fetch|aria2c|http|https|xh|lwp-request|GET)$/;

/** Programs whose arguments name files they change (a protected one asks). */
export const WRITERS = new Set([
  'tee',
  'cp',
  'mv',
  'ln',
  'install',
  'touch',
  'truncate',
  'rm',
  'rmdir',
  'mkdir',
  'chmod',
  'chown',
  'rsync',
  'dd',
  'sed',
  'patch',
  'unzip',
  'tar',
  'curl',
  'wget',
]);
