/**
 * The setup most integration suites share: the extension activated in the editor that runs them, and a local
 * model server it talks to through the user settings `qcoder.baseUrl` and `qcoder.model`. A suite calls
 * `startQCoder()` in its `before` and `close()` on what it got back in its `after`, which puts the settings back
 * as they were and closes the server.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HostMessage } from '../../src/core/protocol';
import type { QCoderApi } from '../../src/extension';
import { type ModelServer, startModelServer } from './modelServer';

/** The model the suites name; the server answers whatever is asked for. */
export const TEST_MODEL = 'qwen3-coder-plus';

export interface QCoderHost {
  readonly extension: vscode.Extension<QCoderApi>;
  readonly api: QCoderApi;
  readonly server: ModelServer;
  /** Puts back the user settings `startQCoder` changed, as they were before it, then closes the server. */
  close(): Promise<void>;
}

export interface QCoderHostOptions {
  /** Runs once the server listens, before the extension is pointed at it: a default reply, a route it probes. */
  server?(server: ModelServer): void;
  /** Collects every message the extension posts to its chat views from activation on. */
  posted?: HostMessage[];
  /** Runs once the extension is active, before its settings change: listeners that must not miss a message. */
  activated?(api: QCoderApi): void;
  /** More `qcoder.*` user settings, set after the base URL and the model and put back with them. */
  settings?: Readonly<Record<string, unknown>>;
}

/** The extension, activated (the first call in an editor activates it; later ones get the same API). */
export async function activateQCoder(): Promise<{ extension: vscode.Extension<QCoderApi>; api: QCoderApi }> {
  const extension = vscode.extensions.getExtension<QCoderApi>('qcoder.qcoder');
  assert.ok(extension);
  return { extension, api: await extension.activate() };
}

/** Starts a model server, activates the extension and points its user settings at the server. */
export async function startQCoder(options: QCoderHostOptions = {}): Promise<QCoderHost> {
  const server = await startModelServer();
  const config = () => vscode.workspace.getConfiguration('qcoder');
  const settings = Object.entries({ baseUrl: server.baseUrl, model: TEST_MODEL, ...options.settings });
  const previous = settings.map(([key]) => [key, config().inspect(key)?.globalValue] as const);
  const close = async () => {
    for (const [key, value] of previous) await config().update(key, value, vscode.ConfigurationTarget.Global);
    await server.close();
  };
  try {
    options.server?.(server);
    const { extension, api } = await activateQCoder();
    const { posted } = options;
    if (posted) api.onDidPostMessage((message) => posted.push(message));
    options.activated?.(api);
    for (const [key, value] of settings) await config().update(key, value, vscode.ConfigurationTarget.Global);
    return { extension, api, server, close };
  } catch (error) {
    // The suite never gets the host, so it could not put the settings back or close the server itself.
    await close();
    throw error;
  }
}
