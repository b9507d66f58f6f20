/** Builds the model client from settings, environment and the stored key. */
import * as vscode from 'vscode';
import { ModelClient } from '../core/model/client';
import { describeHost, isLoopback, resolveEndpoint, validateBaseUrl } from '../core/model/endpoint';
import type { Connection } from '../core/chat/chatEngine';
import type { Usage } from '../core/model/types';
import { redactSecret } from '../core/util/redact';
import { keyScrubber, type Redact, type Redaction, scrubbingFetch } from '../core/util/scrubbingFetch';
import type { ApiKeys, FoundKey } from './apiKeys';
import { readSettings } from './settings';
import { acceptsImages, type VisionSetting } from '../core/model/vision';

/** `qcoder.model.vision`: whether pasted images may be sent (`auto` goes by the model's name). */
function visionSetting(): VisionSetting {
  const value = vscode.workspace.getConfiguration('qcoder').get<string>('model.vision');
  return value === 'on' || value === 'off' ? value : 'auto';
}

/** The request-body scrubber: what counts as a secret, and who hears that one was replaced. */
export interface SecretScrubber {
  readonly redact: Redact;
  onRedacted(redaction: Redaction): void;
}

export class ConnectionFactory {
  private cached: { signature: string; client: ModelClient } | undefined;

  constructor(
    private readonly keys: ApiKeys,
    /** Told the token usage of every finished reply (the status bar counts it). */
    private readonly onUsage?: (usage: Usage) => void,
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly scrubber?: SecretScrubber,
  ) {}

  async connect(): Promise<Connection> {
    const settings = readSettings();
    const endpoint = resolveEndpoint(settings, this.env);
    const invalid = validateBaseUrl(endpoint.baseUrl);
    const { key, source, heldBack } = await this.key(endpoint.baseUrl, invalid);
    const local = isLoopback(endpoint.baseUrl);
    const needsKey = !local && !key;
    const view = {
      model: endpoint.model,
      baseUrl: endpoint.baseUrl,
      ready: !needsKey && !invalid,
      keySource: key ? source : local ? ('not-needed' as const) : ('none' as const),
      images: acceptsImages(endpoint.model, visionSetting()),
    };
    if (invalid) return { view: { ...view, problem: invalid }, problem: invalid };
    if (needsKey) {
      const problem = heldBack
        ? `Your API key was given for ` +
          `${heldBack.storedFor ? describeHost(heldBack.storedFor) : 'another server'}, not for ` +
          `${describeHost(endpoint.baseUrl)}, so QCoder does not send it there. Set an API key ` +
          `for this server to chat with it.`
        : `No API key for ${describeHost(endpoint.baseUrl)}. Set one to start chatting, or set ` +
          `OPENAI_API_KEY before starting VS Code.`;
      return { view: { ...view, problem }, problem };
    }
    const signature = JSON.stringify([endpoint.baseUrl, endpoint.model, key, settings.requestTimeoutMs]);
    if (this.cached?.signature !== signature) {
      this.cached = {
        signature,
        client: new ModelClient({
          baseUrl: endpoint.baseUrl,
          model: endpoint.model,
          apiKey: key,
          idleTimeoutMs: settings.requestTimeoutMs,
          onUsage: this.onUsage,
          // Every request body is scanned for secret shapes, and the key itself, just before it leaves.
          ...(this.scrubber
            ? { fetch: scrubbingFetch(keyScrubber(key, this.scrubber.redact), (r) => this.scrubber?.onRedacted(r)) }
            : {}),
        }),
      };
    }
    return { view, client: this.cached.client, redact: (text) => redactSecret(text, key) };
  }

  /** The key for `baseUrl`; one given for another endpoint is sent only after the user says so. */
  private async key(baseUrl: string, invalid: string | undefined): Promise<FoundKey> {
    const found = await this.keys.get(baseUrl);
    if (invalid || !found.heldBack) return found;
    return (await this.keys.confirm(baseUrl, found.heldBack)) ? this.keys.get(baseUrl) : found;
  }
}
