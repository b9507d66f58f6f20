/**
 * The API key lives in SecretStorage (or comes from OPENAI_API_KEY, as in Qwen Code).
 * It is never sent to the webview, never logged and never put in a prompt.
 * With a profile active (`qcoder.activeProfile`), the key is that profile's own, stored
 * under its own name. Every stored key is bound to the endpoint it was given for
 * (`core/model/keyBinding`); the environment's key to `OPENAI_BASE_URL` (or the default
 * endpoint). A key goes only where its binding matches: a changed endpoint asks first.
 */
import * as vscode from 'vscode';
import { DEFAULT_BASE_URL, describeHost, resolveEndpoint } from '../core/model/endpoint';
import { decodeStoredKey, encodeStoredKey, keyEndpoint, keyMatches } from '../core/model/keyBinding';
import { profileSecretKey } from '../core/model/presets';
import { activeProfile, readProfiles, readSettings } from './settings';

const SECRET_KEY = 'qcoder.apiKey';

/** The active profile's name (when that profile exists), read from the user's settings only. */
export function activeProfileName(): string | undefined {
  return activeProfile()?.name;
}

export type KeySource = 'secret' | 'environment' | 'none';

export interface FoundKey {
  readonly key: string;
  readonly source: KeySource;
  /** A key exists but was given for another endpoint (or before keys were bound), so it is held back. */
  readonly heldBack?: HeldBackKey;
}

export interface HeldBackKey {
  readonly source: 'secret' | 'environment';
  /** The endpoint the key was given for; undefined for a key stored before keys were bound. */
  readonly storedFor?: string;
}

/** What the user answered when a key was about to go to an endpoint it was not given for. */
export type KeyAnswer = 'use' | 'another' | undefined;

export interface ApiKeysOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly activeProfile?: () => string | undefined;
  /** Where requests of `profile` (default: the current configuration) go. */
  readonly baseUrl?: (profile?: string) => string;
  /** Asks whether to send a held-back key to `server` (a modal by default). */
  readonly ask?: (server: string, held: HeldBackKey) => Promise<KeyAnswer>;
  /** Asks for a new key (a password box by default); undefined when cancelled. */
  readonly inputKey?: (title: string) => Promise<string | undefined>;
}

export class ApiKeys {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;
  private readonly env: NodeJS.ProcessEnv;
  private readonly activeProfile: () => string | undefined;
  private readonly baseUrl: (profile?: string) => string;
  private readonly ask: (server: string, held: HeldBackKey) => Promise<KeyAnswer>;
  private readonly inputKey: (title: string) => Promise<string | undefined>;
  /** Endpoints the user allowed the environment's key to go to (this window only: the environment is not ours). */
  private readonly environmentAllowed = new Set<string>();
  /** Questions the user dismissed (secret name + endpoint): not asked again until a key or setting changes. */
  private readonly declined = new Set<string>();
  private readonly asking = new Map<string, Promise<boolean>>();

  constructor(
    private readonly secrets: vscode.SecretStorage,
    options: ApiKeysOptions = {},
  ) {
    this.env = options.env ?? process.env;
    this.activeProfile = options.activeProfile ?? activeProfileName;
    this.baseUrl = options.baseUrl ?? ((profile) => configuredBaseUrl(this.env, profile));
    this.ask = options.ask ?? askToSendKey;
    this.inputKey = options.inputKey ?? inputKeyBox;
    this.subscription = secrets.onDidChange((event) => {
      if (event.key !== this.secretName()) return;
      this.declined.clear();
      this.changed.fire();
    });
  }

  private secretName(profile = this.activeProfile()): string {
    return profile ? profileSecretKey(profile) : SECRET_KEY;
  }

  /** The key for requests to `baseUrl` (default: where requests go now), only if it was given for that endpoint. */
  async get(baseUrl = this.baseUrl()): Promise<FoundKey> {
    const profile = this.activeProfile();
    const stored = decodeStoredKey(await this.secrets.get(this.secretName(profile)));
    if (stored) {
      if (keyMatches(stored, baseUrl)) return { key: stored.key, source: 'secret' };
      return { key: '', source: 'none', heldBack: { source: 'secret', storedFor: stored.endpoint } };
    }
    const fromEnv = this.env.OPENAI_API_KEY?.trim();
    if (!fromEnv || profile) return { key: '', source: 'none' };
    const envEndpoint = keyEndpoint(this.env.OPENAI_BASE_URL?.trim() || DEFAULT_BASE_URL);
    const endpoint = keyEndpoint(baseUrl);
    if (endpoint && (endpoint === envEndpoint || this.environmentAllowed.has(endpoint)))
      return { key: fromEnv, source: 'environment' };
    return { key: '', source: 'none', heldBack: { source: 'environment', storedFor: envEndpoint } };
  }

  /**
   * Asks once whether the held-back key may go to `baseUrl` ("use the key for this server" rebinds
   * it; "enter another" stores a new key for it). True when a key for `baseUrl` exists afterwards.
   * A dismissed question is not asked again until a key or a setting changes.
   */
  async confirm(baseUrl: string, held: HeldBackKey): Promise<boolean> {
    const id = `${this.secretName()}\n${keyEndpoint(baseUrl) ?? baseUrl}`;
    if (this.declined.has(id)) return false;
    let pending = this.asking.get(id);
    if (!pending) {
      pending = this.decide(baseUrl, held, id).finally(() => this.asking.delete(id));
      this.asking.set(id, pending);
    }
    return pending;
  }

  private async decide(baseUrl: string, held: HeldBackKey, id: string): Promise<boolean> {
    const answer = await this.ask(baseUrl, held);
    if (answer === 'another') return this.prompt(undefined, baseUrl);
    if (answer !== 'use') {
      this.declined.add(id);
      return false;
    }
    if (held.source === 'environment') {
      const endpoint = keyEndpoint(baseUrl);
      if (endpoint) this.environmentAllowed.add(endpoint);
      this.changed.fire();
      return true;
    }
    const stored = decodeStoredKey(await this.secrets.get(this.secretName()));
    if (!stored) return false;
    await this.set(stored.key, undefined, baseUrl);
    return true;
  }

  /** Stores the key of the active profile (or `profile`), bound to that profile's endpoint (or `baseUrl`). */
  async set(key: string, profile?: string, baseUrl?: string): Promise<void> {
    const name = profile ?? this.activeProfile();
    await this.secrets.store(this.secretName(name), encodeStoredKey(key.trim(), baseUrl ?? this.baseUrl(name)));
  }

  async clear(profile?: string): Promise<void> {
    await this.secrets.delete(this.secretName(profile ?? this.activeProfile()));
  }

  /** Whether the active profile (or `profile`) has a key stored for its own endpoint. */
  async has(profile?: string): Promise<boolean> {
    const name = profile ?? this.activeProfile();
    const stored = decodeStoredKey(await this.secrets.get(this.secretName(name)));
    return stored !== undefined && keyMatches(stored, this.baseUrl(name));
  }

  /** Asks for a key in a password box and stores it for the endpoint. Returns false when the user cancelled. */
  async prompt(profile = this.activeProfile(), baseUrl?: string): Promise<boolean> {
    const server = describeHost(baseUrl ?? this.baseUrl(profile));
    const key = await this.inputKey(
      profile ? `QCoder: API key for ${profile} (${server})` : `QCoder: API key for ${server}`,
    );
    if (!key?.trim()) return false;
    await this.set(key, profile, baseUrl);
    return true;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** Where requests of `profile` go, or of the current configuration (active profile, settings, environment). */
function configuredBaseUrl(env: NodeJS.ProcessEnv, profile?: string): string {
  const named = profile ? readProfiles().find((p) => p.name === profile) : undefined;
  return named?.baseUrl ?? resolveEndpoint(readSettings(), env).baseUrl;
}

async function askToSendKey(server: string, held: HeldBackKey): Promise<KeyAnswer> {
  const use = 'Use the key for this server';
  const another = 'Enter another key';
  const what = held.source === 'environment' ? 'The key from OPENAI_API_KEY' : 'The stored API key';
  const given = held.storedFor ? `was given for ${held.storedFor}` : 'was stored before QCoder remembered its server';
  const answer = await vscode.window.showWarningMessage(
    `Send your API key to ${server}?`,
    { modal: true, detail: `${what} ${given}. QCoder now talks to ${server}. A key sent there cannot be taken back.` },
    use,
    another,
  );
  if (answer === use) return 'use';
  return answer === another ? 'another' : undefined;
}

function inputKeyBox(title: string): Promise<string | undefined> {
  return Promise.resolve(
    vscode.window.showInputBox({
      title,
      prompt:
        'The key of your OpenAI-compatible provider (DashScope, OpenRouter, OpenAI…). ' +
        "Stored in VS Code's secret storage.",
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() ? undefined : 'Enter a key, or press Escape to cancel.'),
    }),
  );
}
