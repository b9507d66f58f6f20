/**
 * The host side of a code block's buttons and of files dropped on the input. Copy, Insert and
 * Open act on the editor directly (nothing is written to disk); Apply and Run go through the
 * agent's own tools (`write_file` into the review flow, `run_command` through the command rules),
 * so a block from an answer gets no easier way into the workspace than the agent has.
 */
import * as vscode from 'vscode';
import type { ChatEngine } from '../core/chat/chatEngine';
import { blockBody, namedPath, placeBlock, shellCommand } from '../core/chat/codeBlockTarget';
import { languageOf } from '../core/chat/messageProtocol';
import type { HostMessage, WebviewMessage } from '../core/protocol';

type CodeMessage = Extract<WebviewMessage, { type: 'codeAction' }>;
type DropMessage = Extract<WebviewMessage, { type: 'dropFiles' }>;

export interface CodeBlockDeps {
  /** Sends `message` to the surfaces that show `engine`'s chat (the one the button was pressed in). */
  postFrom(engine: ChatEngine, message: HostMessage): void;
  /** How a message reaches the user (tests listen). */
  readonly inform?: (text: string) => void;
}

const LANGUAGE_IDS: Record<string, string> = {
  ts: 'typescript',
  tsx: 'typescriptreact',
  js: 'javascript',
  jsx: 'javascriptreact',
  py: 'python',
  sh: 'shellscript',
  bash: 'shellscript',
  shell: 'shellscript',
  zsh: 'shellscript',
  console: 'shellscript',
  md: 'markdown',
  yml: 'yaml',
  rs: 'rust',
  rb: 'ruby',
  cs: 'csharp',
  'c++': 'cpp',
  golang: 'go',
  kt: 'kotlin',
};

/** The handler of one surface's code-block buttons: Apply and Run go through that surface's engine. */
export function codeBlockHandler(
  deps: CodeBlockDeps,
): (message: CodeMessage | DropMessage, from: { readonly engine: ChatEngine }) => Promise<unknown> {
  const inform = deps.inform ?? ((text: string) => void vscode.window.showInformationMessage(text));
  return async (message, { engine }) => {
    if (message.type === 'dropFiles') {
      const text = await mentionsFor(message.uris);
      if (text) deps.postFrom(engine, { type: 'insertText', text });
      else inform('QCoder: only files and folders of this workspace can be mentioned.');
      return;
    }
    switch (message.action) {
      case 'copy':
        await vscode.env.clipboard.writeText(message.code);
        vscode.window.setStatusBarMessage('QCoder: copied', 2000);
        return;
      case 'insert':
        return insertAtCursor(message.code, inform);
      case 'open':
        return openInEditor(message.code, message.language);
      case 'apply':
        return apply(engine, message, inform);
      case 'run':
        // A turn of the engine: Stop ends the command (see MessageActions.runTool).
        if (engine.busy) return inform('QCoder is still answering: run the block when the answer is done.');
        return engine.actions.runTool(
          'run_command',
          { command: shellCommand(message.code, languageOf(message.language)) },
          'Run the code block',
        );
    }
  };
}

async function insertAtCursor(code: string, inform: (text: string) => void): Promise<void> {
  const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
  if (!editor) return inform('QCoder: open an editor and place the cursor where the code goes.');
  const text = code.replace(/\n$/, '');
  await editor.edit((builder) => {
    for (const selection of editor.selections) builder.replace(selection, text);
  });
  await vscode.window.showTextDocument(editor.document, editor.viewColumn);
}

async function openInEditor(code: string, info: string): Promise<void> {
  const word = languageOf(info);
  const wanted = LANGUAGE_IDS[word] ?? word;
  const language = wanted && (await vscode.languages.getLanguages()).includes(wanted) ? wanted : 'plaintext';
  const document = await vscode.workspace.openTextDocument({ content: code, language });
  await vscode.window.showTextDocument(document, { preview: false });
}

async function apply(engine: ChatEngine, message: CodeMessage, inform: (text: string) => void): Promise<void> {
  if (engine.busy) return inform('QCoder is still answering: apply the block when the answer is done.');
  const code = blockBody(message.code);
  const uri = await targetFile(message, code);
  if (!uri) return;
  const current = await readText(uri);
  let content = code;
  if (current !== undefined) {
    const placed = placeBlock(current, code);
    if (!placed) {
      const name = vscode.workspace.asRelativePath(uri, false);
      const whole = 'Replace the whole file';
      const choice = await vscode.window.showWarningMessage(
        `QCoder cannot tell where in ${name} this block goes. Replace the whole file with it (you review the change)?`,
        { modal: true },
        whole,
      );
      if (choice !== whole) return;
    } else content = placed.text;
  }
  const path = vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
  await engine.actions.runTool('write_file', { path, content }, `Apply the code block to ${path}`);
}

/** The file the block names, else the active file when the block is a fragment of it, else the user's pick. */
async function targetFile(message: CodeMessage, code: string): Promise<vscode.Uri | undefined> {
  const named = namedPath(message.language, message.code, message.before);
  if (named) return (await findInWorkspace(named)) ?? newFileUri(named);
  const active = vscode.window.activeTextEditor?.document;
  if (active && active.uri.scheme === 'file' && placeBlock(active.getText(), code)?.kind === 'region')
    return active.uri;
  return pickFile(active?.uri);
}

async function findInWorkspace(path: string): Promise<vscode.Uri | undefined> {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const uri = vscode.Uri.joinPath(folder.uri, path);
    if (await exists(uri)) return uri;
  }
  // A bare name or a path from a subfolder: the one file in the workspace that ends with it.
  const found = await vscode.workspace.findFiles(`**/${path}`, '**/node_modules/**', 2);
  return found.length === 1 ? found[0] : undefined;
}

function newFileUri(path: string): vscode.Uri | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder && vscode.Uri.joinPath(folder.uri, path);
}

async function pickFile(active: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
  const files = await vscode.workspace.findFiles('**/*', '**/{node_modules,.git}/**', 5000);
  const items = files
    .map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri }))
    .sort((a, b) => Number(b.uri.toString() === active?.toString()) - Number(a.uri.toString() === active?.toString()))
    .map((item) => ({ ...item, description: item.uri.toString() === active?.toString() ? 'active editor' : '' }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Apply the code block to which file?',
    placeHolder: 'The block does not name its file: pick one (you review the change before it is written)',
  });
  return picked?.uri;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  return vscode.workspace.fs.stat(uri).then(
    () => true,
    () => false,
  );
}

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  if (!(await exists(uri))) return undefined;
  return (await vscode.workspace.openTextDocument(uri)).getText();
}

/** `@file:` / `@folder:` mentions for dropped URIs inside the workspace; others are left out. */
async function mentionsFor(uris: readonly string[]): Promise<string> {
  const mentions: string[] = [];
  for (const raw of uris) {
    let uri: vscode.Uri;
    try {
      uri = vscode.Uri.parse(raw.trim(), true);
    } catch {
      continue;
    }
    // The browser may hand the workbench's own scheme (vscode-remote in code-server): the path is the file's.
    if (!vscode.workspace.getWorkspaceFolder(uri) && uri.scheme !== 'file') uri = vscode.Uri.file(uri.path);
    if (!vscode.workspace.getWorkspaceFolder(uri)) continue;
    const stat = await Promise.resolve(vscode.workspace.fs.stat(uri)).catch(() => undefined);
    if (!stat) continue;
    const kind = stat.type & vscode.FileType.Directory ? 'folder' : 'file';
    const path = vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
    mentions.push(`@${kind}:${/\s/.test(path) ? `"${path}"` : path}`);
  }
  return mentions.length > 0 ? `${mentions.join(' ')} ` : '';
}
