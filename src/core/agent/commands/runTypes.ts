/**
 * What the command tools need from the host: a way to start a shell line in a folder and
 * to kill it with everything it started. The VS Code host runs it in a terminal with shell
 * integration when it can, else as a child process (`runProcess.ts`); tests use the child process.
 */

/** How the line was run, as the tool result and the card say it. */
export type CommandVia = 'terminal' | 'process';

export interface CommandSpec {
  readonly command: string;
  /** Absolute folder, already checked to be inside the workspace. */
  readonly cwd: string;
  /** Called with each piece of output as it arrives (stdout and stderr interleaved, raw). */
  readonly onOutput: (text: string) => void;
}

export interface CommandExit {
  /** The exit code; undefined when the process was killed by a signal or the host could not tell. */
  readonly code: number | undefined;
  readonly signal?: string;
}

export interface RunningCommand {
  readonly via: CommandVia;
  /** The process (or the terminal's shell) id, when known. */
  readonly pid?: number;
  /** Resolves once, when the command has ended and its output has been read. */
  readonly exited: Promise<CommandExit>;
  /** Kills the command and every process it started; resolves when they are gone (or after a last SIGKILL). */
  kill(): Promise<void>;
}

export interface CommandHost {
  start(spec: CommandSpec): Promise<RunningCommand>;
}
