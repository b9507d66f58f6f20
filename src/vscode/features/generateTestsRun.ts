/**
 * "Run these tests": after the user accepts generated tests, the framework's command for
 * just those tests runs as a VS Code task (its output in the terminal), and the chat says
 * whether they passed.
 */
import * as vscode from 'vscode';

export const RUN_TESTS_COMMAND = 'qcoder.runGeneratedTests';
export const TASK_TYPE = 'qcoder-tests';

export interface TestRun {
  readonly command: string;
  /** The project folder the command runs in. */
  readonly cwd: string;
  readonly label: string;
}

export interface TestRunResult {
  readonly command: string;
  /** Undefined when the task ended without an exit code (stopped, or it could not start). */
  readonly exitCode: number | undefined;
}

export class TestRunner implements vscode.Disposable {
  private last: TestRun | undefined;

  /** `note` puts a line in the chat. */
  constructor(private readonly note: (text: string) => void) {}

  /** The tests landed: say so in the chat and offer to run them. */
  offer(display: string, run: TestRun): void {
    this.last = run;
    this.note(`Tests added to \`${display}\`. Run these tests: \`${run.command}\` (QCoder: Run Generated Tests).`);
    void vscode.window
      .showInformationMessage(`QCoder: tests added to ${display}.`, 'Run these tests')
      .then((choice) => (choice ? this.run(run) : undefined));
  }

  /** Runs `run` (the last accepted tests when omitted) in a task; resolves with its exit code. */
  async run(run: TestRun | undefined = this.last): Promise<TestRunResult | undefined> {
    if (!run) {
      void vscode.window.showWarningMessage('QCoder: there are no accepted generated tests to run yet.');
      return undefined;
    }
    const task = new vscode.Task(
      { type: TASK_TYPE },
      vscode.TaskScope.Workspace,
      run.label,
      'QCoder',
      new vscode.ShellExecution(run.command, { cwd: run.cwd }),
    );
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, clear: true };
    const ended = new Promise<number | undefined>((resolve) => {
      const listener = vscode.tasks.onDidEndTaskProcess((event) => {
        if (event.execution.task.name !== run.label || event.execution.task.definition.type !== TASK_TYPE) return;
        listener.dispose();
        resolve(event.exitCode);
      });
    });
    await vscode.tasks.executeTask(task);
    const exitCode = await ended;
    this.note(verdict(run.command, exitCode));
    return { command: run.command, exitCode };
  }

  dispose(): void {
    this.last = undefined;
  }
}

function verdict(command: string, exitCode: number | undefined): string {
  if (exitCode === 0) return `✅ The generated tests passed: \`${command}\` exited with 0.`;
  if (exitCode === undefined) return `The test run \`${command}\` ended without an exit code (stopped?).`;
  return `❌ The generated tests failed: \`${command}\` exited with ${exitCode}; the terminal shows why.`;
}
