/**
 * The part of the built-in git extension's API (`vscode.git`, `getAPI(1)`) QCoder uses, typed
 * here: the extension ships no types package.
 */
import * as vscode from 'vscode';

export interface GitRepository {
  readonly rootUri: vscode.Uri;
  readonly inputBox: { value: string };
  readonly state: {
    readonly indexChanges: readonly unknown[];
    readonly workingTreeChanges: readonly { readonly uri: vscode.Uri; readonly status: number }[];
  };
  diff(cached?: boolean): Promise<string>;
  log(options?: { readonly maxEntries?: number }): Promise<readonly { readonly message: string }[]>;
}

export interface GitApi {
  readonly repositories: readonly GitRepository[];
  getRepository(uri: vscode.Uri): GitRepository | null;
  openRepository?(root: vscode.Uri): Promise<GitRepository | null>;
}

/** Status of an untracked file in the git extension's `Status` enum. */
export const UNTRACKED = 7;

/** The git extension's API, or why there is none (disabled, not installed). */
export async function gitApi(): Promise<GitApi | string> {
  const extension = vscode.extensions.getExtension<{ getAPI(version: 1): GitApi; enabled?: boolean }>('vscode.git');
  if (!extension) return 'the built-in Git extension is not installed';
  const exports = extension.isActive ? extension.exports : await extension.activate();
  if (exports.enabled === false) return 'Git is disabled (setting "git.enabled")';
  return exports.getAPI(1);
}
