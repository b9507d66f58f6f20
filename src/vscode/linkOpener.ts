/**
 * Opens a link the user clicked in an answer, as `linkTarget` allows: a web page only after a
 * modal that shows the whole URL, a workspace file in the editor (at its line), nothing else.
 */
import * as vscode from 'vscode';
import { linkTarget } from '../core/chat/linkTarget';

/** The editor's side of opening a link; tests replace the modal and the browser. */
export interface LinkUi {
  confirmWeb(url: string): Promise<boolean>;
  openExternal(url: string): Promise<unknown>;
  warn(message: string): void;
}

const defaultUi: LinkUi = {
  confirmWeb: async (url) => {
    const open = 'Open';
    const answer = await vscode.window.showWarningMessage(
      'Open this link from the answer in your browser?',
      { modal: true, detail: url },
      open,
    );
    return answer === open;
  },
  openExternal: (url) => Promise.resolve(vscode.env.openExternal(vscode.Uri.parse(url, true))),
  warn: (message) => void vscode.window.showWarningMessage(message),
};

export async function openAnswerLink(href: string, ui: LinkUi = defaultUi): Promise<void> {
  const target = linkTarget(href);
  if (target.kind === 'refused') {
    ui.warn(`QCoder did not open "${shorten(href)}": ${target.reason}.`);
    return;
  }
  if (target.kind === 'web') {
    if (await ui.confirmWeb(target.url)) await ui.openExternal(target.url);
    return;
  }
  const uri = await findInWorkspace(target.path);
  if (!uri) {
    ui.warn(`QCoder: there is no file "${target.path}" in the workspace.`);
    return;
  }
  const line = Math.max(0, (target.line ?? 1) - 1);
  // A range (`#L10-L40`) is selected whole; a line puts the cursor at its start.
  const end = target.endLine ? new vscode.Position(target.endLine, 0) : new vscode.Position(line, 0);
  await vscode.window.showTextDocument(uri, {
    preview: true,
    selection: target.line ? new vscode.Range(new vscode.Position(line, 0), end) : undefined,
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
