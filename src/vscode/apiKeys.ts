/**
 * The API key lives in SecretStorage (or comes from OPENAI_API_KEY, as in Qwen Code).
 * It is never sent to the webview, never logged and never put in a prompt.
 */
import * as vscode from 'vscode';

const SECRET_KEY = 'qcoder.apiKey';

export type KeySource = 'secret' | 'environment' | 'none';

export class ApiKeys {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly secrets: vscode.SecretStorage, private readonly env: NodeJS.ProcessEnv = process.env) {
    this.subscription = secrets.onDidChange((event) => {
      if (event.key === SECRET_KEY) this.changed.fire();
    });
  }

  async get(): Promise<{ key: string; source: KeySource }> {
    const stored = await this.secrets.get(SECRET_KEY);
    if (stored) return { key: stored, source: 'secret' };
    const fromEnv = this.env.OPENAI_API_KEY?.trim();
    if (fromEnv) return { key: fromEnv, source: 'environment' };
    return { key: '', source: 'none' };
  }

  async set(key: string): Promise<void> {
    await this.secrets.store(SECRET_KEY, key.trim());
  }

  async clear(): Promise<void> {
    await this.secrets.delete(SECRET_KEY);
  }

  /** Asks for a key in a password box and stores it. Returns false when the user cancelled. */
  async prompt(): Promise<boolean> {
    const key = await vscode.window.showInputBox({
      title: 'QCoder: API key',
      prompt: 'The key of your OpenAI-compatible provider (DashScope, OpenRouter, OpenAI…). Stored in VS Code\'s secret storage.',
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() ? undefined : 'Enter a key, or press Escape to cancel.'),
    });
    if (!key) return false;
    await this.set(key);
    return true;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
