/**
 * Runs the agent's commands in a VS Code terminal with shell integration (the user sees them run,
 * output read through `execution.read()`, the exit code from the end event), and as a child process
 * where shell integration does not come up within a short wait (no API, a shell without it, a
 * remote or headless host). Each command gets its own terminal; finished ones are closed when the
 * next command starts, so the last stays to look at.
 */
import * as vscode from 'vscode';
import { isAlive, killTree } from '../../core/agent/commands/runProcess';
import { endsTheShell } from '../../core/agent/commands/runShellExit';
import type { CommandExit, CommandHost, CommandSpec, RunningCommand } from '../../core/agent/commands/runTypes';

/** The parts of the shell-integration API used here (typed locally: the engine floor is 1.90). */
interface Execution {
  read(): AsyncIterable<string>;
}
interface ShellIntegration {
  executeCommand(commandLine: string): Execution;
}
interface EndEvent {
  readonly terminal: vscode.Terminal;
  readonly execution: Execution;
  readonly exitCode: number | undefined;
}
interface ShellWindow {
  readonly onDidChangeTerminalShellIntegration?: vscode.Event<{ terminal: vscode.Terminal }>;
  readonly onDidEndTerminalShellExecution?: vscode.Event<EndEvent>;
}
type WithIntegration = vscode.Terminal & { readonly shellIntegration?: ShellIntegration };

const shellWindow = vscode.window as unknown as ShellWindow;
/** After the end event, how long the output stream may still take to finish. */
const READ_TAIL_MS = 500;
/** How often the terminal's shell is checked to be alive (the last resort when no end event comes). */
const SHELL_WATCH_MS = 1000;
const SHELL_ENDED = "the terminal's shell ending before the command did";

export class TerminalCommandHost implements CommandHost, vscode.Disposable {
  private readonly finished = new Set<vscode.Terminal>();
  /** Set once shell integration failed to start: later commands go straight to the fallback. */
  private unavailable = !shellWindow.onDidChangeTerminalShellIntegration || !shellWindow.onDidEndTerminalShellExecution;

  constructor(
    private readonly fallback: CommandHost,
    private readonly log: (line: string) => void,
    private readonly waitMs = 3000,
  ) {}

  async start(spec: CommandSpec): Promise<RunningCommand> {
    if (this.unavailable) return this.fallback.start(spec);
    if (await endsTheShell(spec.command)) {
      // Such a line ends the terminal's shell, and a terminal cannot report that (see runShellExit.ts).
      this.log(`"${spec.command}" ends its shell; it runs as a child process, which reports its exit status`);
      return this.fallback.start(spec);
    }
    for (const old of this.finished) old.dispose();
    this.finished.clear();
    const terminal = vscode.window.createTerminal({
      name: `QCoder: ${spec.command.length > 30 ? `${spec.command.slice(0, 29)}…` : spec.command}`,
      cwd: spec.cwd,
      isTransient: true,
    }) as WithIntegration;
    const integration = await waitForIntegration(terminal, this.waitMs);
    if (!integration) {
      this.unavailable = true;
      this.log(`shell integration did not start within ${this.waitMs} ms; commands run as child processes`);
      terminal.dispose();
      return this.fallback.start(spec);
    }
    return this.execute(terminal, integration, spec);
  }

  private async execute(
    terminal: vscode.Terminal,
    integration: ShellIntegration,
    spec: CommandSpec,
  ): Promise<RunningCommand> {
    const pid = await terminal.processId;
    let ended: (exit: CommandExit) => void = () => undefined;
    const end = new Promise<CommandExit>((resolve) => (ended = resolve));
    const execution = integration.executeCommand(spec.command);
    const listeners = [
      shellWindow.onDidEndTerminalShellExecution!((event) => {
        if (event.execution === execution) ended({ code: event.exitCode });
      }),
      vscode.window.onDidCloseTerminal((closed) => {
        // Closed before the command's end: the user closed it, or its shell died. A shell killed by a
        // signal reports 0 here, which must not read as a success; a non-zero status is the shell's own.
        if (closed !== terminal) return;
        const code = closed.exitStatus?.code;
        if (code === undefined) ended({ code, signal: 'the terminal closing' });
        else ended(code === 0 ? { code: undefined, signal: SHELL_ENDED } : { code });
      }),
    ];
    // A shell that dies without an end event (killed, or `exit` the parse did not see): VS Code may
    // relaunch the terminal rather than close it, so its own events cannot be waited for.
    const watch = setInterval(() => {
      if (pid !== undefined && !isAlive(pid)) ended({ code: undefined, signal: SHELL_ENDED });
    }, SHELL_WATCH_MS);
    const reading = (async () => {
      for await (const data of execution.read()) spec.onOutput(data);
    })().catch(() => undefined);
    const exited = end.then(async (exit) => {
      await Promise.race([reading, new Promise((resolve) => setTimeout(resolve, READ_TAIL_MS))]);
      clearInterval(watch);
      for (const listener of listeners) listener.dispose();
      this.finished.add(terminal);
      return exit;
    });
    return {
      via: 'terminal',
      pid,
      exited,
      kill: async () => {
        // The shell and everything under it; the command's own process group included.
        if (pid !== undefined) await killTree(pid, { group: false });
        terminal.dispose();
        await exited;
      },
    };
  }

  dispose(): void {
    for (const terminal of this.finished) terminal.dispose();
    this.finished.clear();
  }
}

function waitForIntegration(terminal: WithIntegration, ms: number): Promise<ShellIntegration | undefined> {
  if (terminal.shellIntegration) return Promise.resolve(terminal.shellIntegration);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      listener.dispose();
      resolve(undefined);
    }, ms);
    const listener = shellWindow.onDidChangeTerminalShellIntegration!((event) => {
      if (event.terminal !== terminal) return;
      clearTimeout(timer);
      listener.dispose();
      resolve((terminal as WithIntegration).shellIntegration);
    });
  });
}
