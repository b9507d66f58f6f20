/**
 * The API key lives in SecretStorage (or comes from OPENAI_API_KEY, as in Qwen Code).
 * It is never sent to the webview, never logged and never put in a prompt.
 * With a profile active (`qcoder.activeProfile`), the key is that profile's own,
 * stored under its own name, and nothing else is used: a key given for one provider
 * is never sent to another.
 */
import * as vscode from 'vscode';
import { parseProfiles, profileSecretKey } from '../core/model/presets';

const SECRET_KEY = 'qcoder.apiKey';

/** The active profile's name (when that profile exists), read from the user's settings only. */
export function activeProfileName(): string | undefined {
  const config = vscode.workspace.getConfiguration('qcoder');
  const value = config.inspect<string>('activeProfile')?.globalValue;
  const name = typeof value === 'string' ? value.trim() : '';
  return name && parseProfiles(config.inspect('profiles')?.globalValue).some((p) => p.name === name) ? name : undefined;
}

export type KeySource = 'secret' | 'environment' | 'none';

export class ApiKeys {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly activeProfile: () => string | undefined = activeProfileName,
  ) {
    this.subscription = secrets.onDidChange((event) => {
      if (event.key === this.secretName()) this.changed.fire();
    });
  }

  private secretName(profile = this.activeProfile()): string {
    return profile ? profileSecretKey(profile) : SECRET_KEY;
  }

  async get(): Promise<{ key: string; source: KeySource }> {
    const profile = this.activeProfile();
    const stored = await this.secrets.get(this.secretName(profile));
    if (stored) return { key: stored, source: 'secret' };
    const fromEnv = this.env.OPENAI_API_KEY?.trim();
    if (fromEnv && !profile) return { key: fromEnv, source: 'environment' };
    return { key: '', source: 'none' };
  }

  /** Stores the key of the active profile, or of `profile` when given. */
  async set(key: string, profile?: string): Promise<void> {
    await this.secrets.store(this.secretName(profile ?? this.activeProfile()), key.trim());
  }

  async clear(profile?: string): Promise<void> {
    await this.secrets.delete(this.secretName(profile ?? this.activeProfile()));
  }

  /** Whether the active profile (or `profile`) has a key stored. */
  async has(profile?: string): Promise<boolean> {
    return Boolean(await this.secrets.get(this.secretName(profile ?? this.activeProfile())));
  }

  /** Asks for a key in a password box and stores it. Returns false when the user cancelled. */
  async prompt(profile = this.activeProfile()): Promise<boolean> {
    const key = await vscode.window.showInputBox({
      title: profile ? `QCoder: API key for ${profile}` : 'QCoder: API key',
      prompt:
        "The key of your OpenAI-compatible provider (DashScope, OpenRouter, OpenAI…). Stored in VS Code's secret storage.",
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() ? undefined : 'Enter a key, or press Escape to cancel.'),
    });
    if (!key) return false;
    await this.set(key, profile);
    return true;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
