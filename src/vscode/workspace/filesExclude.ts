/**
 * `files.exclude` as plain globs: the entries set to `true`
 * (conditional `when` entries are left to VS Code's explorer).
 */
import * as vscode from 'vscode';

export function filesExcludeGlobs(folder: vscode.WorkspaceFolder): string[] {
  const setting = vscode.workspace.getConfiguration('files', folder.uri).get<Record<string, unknown>>('exclude') ?? {};
  return Object.entries(setting)
    .filter(([, value]) => value === true)
    .map(([glob]) => glob);
}

/** Per folder name, as `WorkspaceIndex.build` takes them. */
export function allFilesExcludeGlobs(folders: readonly vscode.WorkspaceFolder[]): Record<string, string[]> {
  return Object.fromEntries(folders.map((folder) => [folder.name, filesExcludeGlobs(folder)]));
}
