/**
 * Completion settings. Whether completions run is read from the user's own settings only
 * (a workspace cannot turn on the sending of code); `auto` means on only when the endpoint is
 * on this machine, because a completion sends the code around the cursor on every pause.
 */
import * as vscode from 'vscode';
import type { CompleterSettings } from '../../core/completion/completer';
import { isLoopback } from '../../core/model/endpoint';

export type Enablement = 'auto' | 'on' | 'off';

function section(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('qcoder.completions');
}

export function enablement(): Enablement {
  const value = section().inspect<string>('enabled')?.globalValue;
  return value === 'on' || value === 'off' ? value : 'auto';
}

/** On for this endpoint: `on`, or `auto` with a server on this machine. */
export function isOn(baseUrl: string): boolean {
  const mode = enablement();
  return mode === 'on' || (mode === 'auto' && isLoopback(baseUrl));
}

/** Per-language switch: `{"*": true, "markdown": false}`, the language's own key first. */
export function languageOn(languageId: string): boolean {
  const languages = section().get<Record<string, unknown>>('languages') ?? {};
  const own = languages[languageId];
  if (typeof own === 'boolean') return own;
  return languages['*'] !== false;
}

/** The completion model: its own setting (user settings only), or the chat model. */
export function completionModel(chatModel: string): string {
  const value = section().inspect<string>('model')?.globalValue;
  return typeof value === 'string' && value.trim() ? value.trim() : chatModel;
}

export function completerSettings(): CompleterSettings {
  const config = section();
  const format = config.get<string>('format', 'auto');
  return {
    maxPromptTokens: Math.max(256, config.get<number>('maxPromptTokens', 4096)),
    maxLines: Math.max(1, config.get<number>('maxLines', 8)),
    inCommentsAndStrings: config.get<boolean>('inCommentsAndStrings', true),
    format: format === 'qwen' || format === 'suffix' || format === 'infill' ? format : 'auto',
  };
}

export async function setEnablement(value: Enablement): Promise<void> {
  await section().update('enabled', value, vscode.ConfigurationTarget.Global);
}

export async function toggleLanguage(languageId: string): Promise<boolean> {
  const languages = { ...(section().get<Record<string, boolean>>('languages') ?? {}) };
  const next = !languageOn(languageId);
  languages[languageId] = next;
  await section().update('languages', languages, vscode.ConfigurationTarget.Global);
  return next;
}
