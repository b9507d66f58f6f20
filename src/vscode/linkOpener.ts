/**
 * Opens a link the user clicked in an answer, as `linkTarget` allows: a web page only after a
 * modal that shows the whole URL, a workspace file in the editor (at its line), nothing else.
 */
import * as vscode from 'vscode';
import { linkTarget } from '../core/chat/linkTarget';

export async function openAnswerLink(href: string): Promise<void> {
  const target = linkTarget(href);
  if (target.kind === 'refused') {
    void vscode.window.showWarningMessage(`QCoder did not open "${shorten(href)}": ${target.reason}.`);
    return;
  }
  if (target.kind === 'web') {
    const open = 'Open';
    const answer = await vscode.window.showWarningMessage(
      'Open this link from the answer in your browser?',
      { modal: true, detail: target.url },
      open,
    );
    if (answer === open) await vscode.env.openExternal(vscode.Uri.parse(target.url, true));
    return;
  }
  const uri = await findInWorkspace(target.path);
  if (!uri) {
    void vscode.window.showWarningMessage(`QCoder: there is no file "${target.path}" in the workspace.`);
    return;
  }
  const line = Math.max(0, (target.line ?? 1) - 1);
  await vscode.window.showTextDocument(uri, {
    preview: true,
    selection: target.line ? new vscode.Range(line, 0, line, 0) : undefined,
  });
}

async function findInWorkspace(path: string): Promise<vscode.Uri | undefined> {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const uri = vscode.Uri.joinPath(folder.uri, path);
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.type & vscode.FileType.File) return uri;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
