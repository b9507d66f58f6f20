import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { TerminalOutputSource } from '../../../src/vscode/workspace/terminalOutput';

/** A shell-integration API whose events the test fires, counting who listens. */
function fakeShellIntegration() {
  const started = new vscode.EventEmitter<unknown>();
  const ended = new vscode.EventEmitter<unknown>();
  let listeners = 0;
  const counted =
    (emitter: vscode.EventEmitter<unknown>): vscode.Event<unknown> =>
    (listener, thisArg, disposables) => {
      listeners++;
      const subscription = emitter.event(listener, thisArg, disposables);
      return { dispose: () => (listeners--, subscription.dispose()) };
    };
  const run = async (command: string, output: string) => {
    const execution = {
      commandLine: { value: command },
      read: async function* () {
        yield output;
      },
    };
    const terminal = { name: 'bash' };
    started.fire({ terminal, execution });
    ended.fire({ terminal, execution, exitCode: 1 });
    await new Promise((resolve) => setTimeout(resolve, 20));
  };
  return {
    api: { onDidStartTerminalShellExecution: counted(started), onDidEndTerminalShellExecution: counted(ended) },
    run,
    listeners: () => listeners,
  };
}

const text = (source: TerminalOutputSource) => {
  const mention = source.mention();
  return mention.kind === 'text' ? mention.text : '';
};

describe('@terminal reads terminal commands only from the first @terminal on', () => {
  it('listens to nothing until the first @terminal, then reads, and lets go on dispose', async () => {
    const shell = fakeShellIntegration();
    const source = new TerminalOutputSource(shell.api as never);
    assert.equal(shell.listeners(), 0, 'no listener at activation');
    await shell.run('cat secrets.txt', 'before the first mention\n');

    assert.match(text(source), /reads terminal commands from the first @terminal on/);
    assert.equal(shell.listeners(), 2);
    assert.match(text(source), /No command has finished/);

    await shell.run('npm test', 'FAIL src/a.test.ts\n');
    const shown = text(source);
    assert.match(shown, /^\$ npm test\nFAIL src\/a\.test\.ts\n/);
    assert.match(shown, /\[exit code 1\]/);
    assert.doesNotMatch(shown, /before the first mention/);

    source.dispose();
    assert.equal(shell.listeners(), 0, 'dispose removes both listeners');
  });
});
