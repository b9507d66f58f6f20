/**
 * Reads QCoder's settings. Only application-scoped values decide where code and keys go.
 * One source of truth for the endpoint: while a profile is active (`qcoder.activeProfile`
 * names one in `qcoder.profiles`), its base URL and model are used and `qcoder.baseUrl` /
 * `qcoder.model` are not read; without one, those two settings are.
 */
import * as vscode from 'vscode';
import type { EndpointSettings } from '../core/model/endpoint';
import { parseProfiles, type Profile } from '../core/model/presets';

export interface QCoderSettings extends EndpointSettings {
  readonly requestTimeoutMs: number;
  /** The active profile the base URL and model came from. */
  readonly profile?: string;
}

/** `inspect` + globalValue: even if a workspace file sets these keys, they are not read. */
function userValue<T>(key: string): T | undefined {
  return vscode.workspace.getConfiguration('qcoder').inspect<T>(key)?.globalValue;
}

export function readProfiles(): Profile[] {
  return parseProfiles(userValue('profiles'));
}

/** The active profile, when `qcoder.activeProfile` names one that exists. */
export function activeProfile(): Profile | undefined {
  const value = userValue<string>('activeProfile');
  const name = typeof value === 'string' ? value.trim() : '';
  return name ? readProfiles().find((profile) => profile.name === name) : undefined;
}

export function readSettings(): QCoderSettings {
  const text = (key: string): string | undefined => {
    const value = userValue<string>(key);
    return typeof value === 'string' ? value : undefined;
  };
  const seconds = vscode.workspace.getConfiguration('qcoder').get<number>('requestTimeoutSeconds', 120);
  const requestTimeoutMs = Math.max(5, Number.isFinite(seconds) ? seconds : 120) * 1000;
  const profile = activeProfile();
  if (profile) return { baseUrl: profile.baseUrl, model: profile.model, requestTimeoutMs, profile: profile.name };
  return { baseUrl: text('baseUrl'), model: text('model'), requestTimeoutMs };
}

export function onDidChangeSettings(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration('qcoder')) listener();
  });
}
