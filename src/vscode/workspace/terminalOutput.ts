/**
 * `@terminal`: the last command run in a terminal and its output, through VS Code's
 * shell-integration API (1.93+). Where that API or shell integration is missing the
 * mention says so rather than guessing from the screen.
 *
 * Nothing is read before the user asks: the listeners start with the first `@terminal`
 * (reading every command's output from activation on would be a silent recording), so
 * that first mention can only say that reading has begun.
 */
import * as vscode from 'vscode';
import type { Mention } from '../../core/context';
import { DisposableStore } from '../../core/util/lifecycle';

const MAX_OUTPUT_CHARS = 64 * 1024;

/** The parts of the shell-integration API used here (typed locally: the engine floor is 1.90). */
interface ShellExecution {
  readonly commandLine: { readonly value: string };
  read(): AsyncIterable<string>;
}
interface ShellExecutionEvent {
  readonly terminal: vscode.Terminal;
  readonly execution: ShellExecution;
  readonly exitCode?: number;
}
interface ShellIntegrationWindow {
  readonly onDidStartTerminalShellExecution?: vscode.Event<ShellExecutionEvent>;
  readonly onDidEndTerminalShellExecution?: vscode.Event<ShellExecutionEvent>;
}

interface Finished {
  readonly terminal: string;
  readonly command: string;
  readonly output: string;
  readonly exitCode: number | undefined;
}

export class TerminalOutputSource implements vscode.Disposable {
  private readonly listeners = new DisposableStore();
  private readonly reading = new Map<ShellExecution, Promise<string>>();
  private last: Finished | undefined;
  private listening = false;
  /** False when this VS Code has no shell-integration API. */
  readonly available: boolean;

  constructor(private readonly api: ShellIntegrationWindow = vscode.window as unknown as ShellIntegrationWindow) {
    this.available = Boolean(api.onDidStartTerminalShellExecution && api.onDidEndTerminalShellExecution);
  }

  /** Whether terminal commands are being read (from the first `@terminal` on). */
  get started(): boolean {
    return this.listening;
  }

  private start(): void {
    if (this.listening || !this.available) return;
    this.listening = true;
    this.listeners.add(
      this.api.onDidStartTerminalShellExecution!((event) =>
        this.reading.set(event.execution, collect(event.execution)),
      ),
    );
    this.listeners.add(this.api.onDidEndTerminalShellExecution!((event) => this.finish(event)));
  }

  private finish(event: ShellExecutionEvent): void {
    const output = this.reading.get(event.execution) ?? Promise.resolve('');
    this.reading.delete(event.execution);
    void output.then((text) => {
      this.last = {
        terminal: event.terminal.name,
        command: event.execution.commandLine.value,
        output: text,
        exitCode: event.exitCode,
      };
    });
  }

  mention(): Mention {
    const base = { kind: 'text' as const, id: 'terminal', title: 'terminal: last command', reason: '@terminal' };
    if (!this.available)
      return {
        ...base,
        text: 'Terminal output is not available: this VS Code has no shell-integration API (it needs 1.93 or later).',
      };
    const first = !this.listening;
    this.start();
    if (first)
      return {
        ...base,
        text:
          'QCoder reads terminal commands from the first @terminal on, and this was it: run the ' +
          'command again, then mention @terminal.',
      };
    if (!this.last)
      return {
        ...base,
        text: 'No command has finished in a terminal with shell integration since the first @terminal.',
      };
    const { terminal, command, output, exitCode } = this.last;
    return {
      ...base,
      title: `terminal "${terminal}": ${command}`,
      text: `$ ${command}\n${output}${exitCode === undefined ? '' : `\n[exit code ${exitCode}]`}`,
    };
  }

  dispose(): void {
    this.listeners.dispose();
    this.reading.clear();
  }
}

async function collect(execution: ShellExecution): Promise<string> {
  let text = '';
  try {
    for await (const chunk of execution.read()) {
      text += chunk;
      // Keep the end: that is where errors are.
      if (text.length > 2 * MAX_OUTPUT_CHARS) text = text.slice(-MAX_OUTPUT_CHARS);
    }
  } catch {
    // The terminal went away while reading: keep what arrived.
  }
  // eslint-disable-next-line no-control-regex
  const plain = text.replace(/\u001b\][^\u0007]*(\u0007|\u001b\\)|\u001b\[[0-9;?]*[A-Za-z]/g, '');
  return plain.length > MAX_OUTPUT_CHARS ? `[… earlier output cut]\n${plain.slice(-MAX_OUTPUT_CHARS)}` : plain;
}
