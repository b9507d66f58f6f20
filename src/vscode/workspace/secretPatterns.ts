/**
 * `qcoder.secrets.extraPatterns`, compiled for the access decision and the request scrubber.
 * Only the user's own settings count (a cloned repository must not be able to narrow what is
 * kept secret), and an entry that cannot be understood is reported, never silently dropped.
 */
import * as vscode from 'vscode';
import { compileSecretPatterns, type SecretPatterns } from '../../core/context';
import { DisposableStore } from '../../core/util/lifecycle';

const SECTION = 'qcoder';
const KEY = 'secrets.extraPatterns';

export class SecretPatternsSetting implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly changed = this.store.add(new vscode.EventEmitter<SecretPatterns>());
  readonly onDidChange = this.changed.event;
  current: SecretPatterns;

  constructor(private readonly log: (line: string) => void) {
    this.current = this.read();
    this.store.add(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (!event.affectsConfiguration(`${SECTION}.${KEY}`)) return;
        this.current = this.read();
        this.changed.fire(this.current);
      }),
    );
  }

  dispose(): void {
    this.store.dispose();
  }

  private read(): SecretPatterns {
    const value = vscode.workspace.getConfiguration(SECTION).inspect<unknown>(KEY)?.globalValue;
    const entries = Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];
    const compiled = compileSecretPatterns(entries);
    if (compiled.errors.length) {
      const message =
        `QCoder: some qcoder.secrets.extraPatterns entries were not understood: ` + compiled.errors.join('; ');
      this.log(message);
      void vscode.window.showWarningMessage(message);
    }
    return compiled;
  }
}
