/** Reads QCoder's settings. Only application-scoped values decide where code and keys go. */
import * as vscode from 'vscode';
import type { EndpointSettings } from '../core/model/endpoint';

export interface QCoderSettings extends EndpointSettings {
  readonly requestTimeoutMs: number;
}

export function readSettings(): QCoderSettings {
  const config = vscode.workspace.getConfiguration('qcoder');
  // `inspect` + globalValue: even if a workspace file sets these keys, they are not read.
  const userValue = (key: string): string | undefined => {
    const value = config.inspect<string>(key)?.globalValue;
    return typeof value === 'string' ? value : undefined;
  };
  const seconds = config.get<number>('requestTimeoutSeconds', 120);
  return {
    baseUrl: userValue('baseUrl'),
    model: userValue('model'),
    requestTimeoutMs: Math.max(5, Number.isFinite(seconds) ? seconds : 120) * 1000,
  };
}

export function onDidChangeSettings(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration('qcoder')) listener();
  });
}
