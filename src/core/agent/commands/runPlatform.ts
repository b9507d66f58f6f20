/**
 * What differs between Windows and POSIX when a command is started and killed, as pure decisions
 * (tested on any machine; `runProcess.ts` carries them out). POSIX: the shell leads a process group
 * of its own, so one signal to the group reaches everything that stayed in it, and the descendants
 * that left it are signalled one by one. Windows has no process groups a signal reaches:
 * `taskkill /T /F` ends the process and its whole tree.
 */

/** How to start a shell line. */
export interface LaunchPlan {
  /** The program and its arguments; on Windows Node's `shell: true` picks cmd.exe (ComSpec). */
  readonly file: string;
  readonly args: readonly string[];
  readonly shell: boolean;
  /** A process group of its own (POSIX), so the tree can be killed together. */
  readonly detached: boolean;
}

export function launchPlan(platform: NodeJS.Platform, command: string, userShell: string | undefined): LaunchPlan {
  if (platform === 'win32') return { file: command, args: [], shell: true, detached: false };
  // bash and zsh understand what the model writes for them; any other login shell gets /bin/sh.
  const shell = userShell && /(^|\/)(bash|zsh)$/.test(userShell) ? userShell : '/bin/sh';
  return { file: shell, args: ['-c', command], shell: false, detached: true };
}

/** How to kill a command and everything it started. */
export type KillPlan =
  | { readonly kind: 'taskkill'; readonly file: 'taskkill'; readonly args: readonly string[] }
  | {
      readonly kind: 'signals';
      /** The process group to signal first (`-pid`), when the command leads one. */
      readonly group?: number;
      /** The process whose descendants (found through `ps`) are signalled one by one, with it. */
      readonly root: number;
      readonly first: 'SIGTERM';
      /** Sent to whatever is still alive after the grace period. */
      readonly last: 'SIGKILL';
    };

export function killPlan(platform: NodeJS.Platform, pid: number, options: { group: boolean }): KillPlan {
  if (platform === 'win32') return { kind: 'taskkill', file: 'taskkill', args: ['/PID', String(pid), '/T', '/F'] };
  return {
    kind: 'signals',
    ...(options.group ? { group: -pid } : {}),
    root: pid,
    first: 'SIGTERM',
    last: 'SIGKILL',
  };
}
