/**
 * "Explain This File": sends the chat a structured request about a file, a selection in it,
 * an unsaved buffer or a folder, with the file pinned ("explained file") and its neighbours
 * ranked around it by the context engine. Nothing is sent for a file the access decision
 * denies, a binary file, or a file outside the workspace; the user is told why.
 */
import * as nodePath from 'node:path';
import * as vscode from 'vscode';
import type { ExtraContext } from '../../core/chat/contextProvider';
import type { Mention } from '../../core/context';
import {
  explainFilePrompt,
  explainFolderPrompt,
  explainLabel,
  explainSelectionPrompt,
  mainFiles,
} from '../../core/chat/explain';
import type { ChatTarget } from '../chatHost';
import { workspaceRoots } from '../workspacePaths';
import type { WorkspaceRoot } from '../../core/edits';

export const EXPLAIN_COMMAND = 'qcoder.explainFile';
export const EXPLAINED_FILE = 'explained file';

/** Why a path may not be sent to the model (the one access decision), or undefined when it may. */
export type ExplainAccess = (root: WorkspaceRoot, relative: string, text: string) => Promise<string | undefined>;

export interface ExplainDeps {
  /** The chat to explain in: the editor tab the user last worked in, else the sidebar. */
  readonly chat: () => ChatTarget;
  readonly refusal: ExplainAccess;
  /** How a refusal reaches the user; tests listen. */
  readonly warn?: (message: string) => void;
}

interface Request {
  readonly text: string;
  readonly extra: ExtraContext;
}

export function register(deps: ExplainDeps): vscode.Disposable {
  const warn = deps.warn ?? ((message: string) => void vscode.window.showWarningMessage(message));
  // Resolves, after the answer, to the warning shown instead of sending (undefined when sent): tests read it.
  return vscode.commands.registerCommand(EXPLAIN_COMMAND, async (target?: unknown): Promise<string | undefined> => {
    const shown = (message: string) => (warn(message), message);
    const uri = target instanceof vscode.Uri ? target : vscode.window.activeTextEditor?.document.uri;
    if (!uri) return shown('QCoder: open a file (or choose one in the Explorer) to explain it.');
    const request = await explainRequest(uri, deps.refusal).catch((error: unknown) =>
      error instanceof Error ? error.message : String(error),
    );
    if (typeof request === 'string') return shown(`QCoder: ${request}`);
    const chat = deps.chat();
    if (chat.engine.busy)
      return shown('QCoder is still answering; explain the file when the answer is done (or stop it).');
    await chat.reveal();
    await chat.engine.send(request.text, request.extra);
    return undefined;
  });
}

/** The chat message and pinned items for `uri`, or why it cannot be explained. */
async function explainRequest(uri: vscode.Uri, refusal: ExplainAccess): Promise<Request | string> {
  if (uri.scheme === 'untitled') return untitledRequest(uri);
  if (uri.scheme !== 'file') return `only files on disk or unsaved editors can be explained (not ${uri.scheme}:).`;
  const located = locateInWorkspace(uri.fsPath);
  if (!located) return `${nodePath.basename(uri.fsPath)} is not in a workspace folder, so it is not sent to the model.`;
  const stat = await vscode.workspace.fs.stat(uri);
  if (stat.type & vscode.FileType.Directory) return folderRequest(uri, located, refusal);
  const text = await bufferText(uri);
  if (text === undefined) return `${located.display} is a binary file; Explain This File works on text files.`;
  const denied = await refusal(located.root, located.relative, text);
  if (denied) return `${located.display} was not sent to the model: ${denied}.`;
  const pin: Mention = { kind: 'file', path: uri.fsPath, reason: EXPLAINED_FILE };
  const selection = selectionIn(uri);
  if (!selection)
    return {
      text: explainFilePrompt(located.display),
      extra: { mentions: [pin], activeFile: uri.fsPath, display: explainLabel(located.display) },
    };
  const focus = Array.from({ length: selection.end - selection.start + 1 }, (_, i) => selection.start + i);
  return {
    text: explainSelectionPrompt(located.display, selection),
    extra: { mentions: [{ ...pin, focus }], activeFile: uri.fsPath, display: explainLabel(located.display, selection) },
  };
}

function untitledRequest(uri: vscode.Uri): Request | string {
  const document = vscode.workspace.textDocuments.find((each) => each.uri.toString() === uri.toString());
  if (!document?.getText().trim()) return 'the editor is empty; there is nothing to explain.';
  const name = document.fileName || uri.path;
  // An untitled buffer has no path for the ranking; it goes in as a pinned text.
  const pin: Mention = {
    kind: 'text',
    id: `explain:${uri.toString()}`,
    title: name,
    text: document.getText(),
    reason: EXPLAINED_FILE,
  };
  const selection = selectionIn(uri);
  return {
    text: selection ? explainSelectionPrompt(name, selection) : explainFilePrompt(name),
    extra: { mentions: [pin], display: explainLabel(name, selection) },
  };
}

async function folderRequest(uri: vscode.Uri, located: Located, refusal: ExplainAccess): Promise<Request | string> {
  const entries = await vscode.workspace.fs.readDirectory(uri);
  const files = entries.filter(([, type]) => type === vscode.FileType.File).map(([name]) => name);
  const mentions: Mention[] = [];
  for (const name of mainFiles(files)) {
    const child = vscode.Uri.joinPath(uri, name);
    const text = await bufferText(child);
    const relative = located.relative ? `${located.relative}/${name}` : name;
    if (text === undefined || (await refusal(located.root, relative, text))) continue;
    mentions.push({ kind: 'file', path: child.fsPath, reason: 'main file of the explained folder' });
  }
  const label = `Explain the folder ${located.display || '.'}`;
  return { text: explainFolderPrompt(located.display || '.'), extra: { mentions, display: label } };
}

interface Located {
  readonly root: WorkspaceRoot;
  /** POSIX, relative to the root ('' for the root itself). */
  readonly relative: string;
  readonly display: string;
}

function locateInWorkspace(absolute: string): Located | undefined {
  const roots = workspaceRoots();
  for (const root of roots) {
    const relative = nodePath.relative(root.path, absolute);
    if (relative.startsWith('..') || nodePath.isAbsolute(relative)) continue;
    const posix = relative.split(nodePath.sep).join('/');
    const display = roots.length > 1 ? `${root.name}/${posix}`.replace(/\/$/, '') : posix;
    return { root, relative: posix, display };
  }
  return undefined;
}

/** The editor's buffer when the file is open (saved or not), else the disk; undefined for binary content. */
async function bufferText(uri: vscode.Uri): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((each) => each.uri.toString() === uri.toString());
  if (open) return open.getText();
  const bytes = await vscode.workspace.fs.readFile(uri);
  if (bytes.subarray(0, 8192).includes(0)) return undefined;
  return new TextDecoder().decode(bytes);
}

/** The active editor's non-empty selection in this document, 1-based lines with its text. */
function selectionIn(uri: vscode.Uri): { start: number; end: number; text: string } | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.uri.toString() !== uri.toString() || editor.selection.isEmpty) return undefined;
  const { selection } = editor;
  // A selection ending at column 0 of a line does not include that line.
  const end =
    selection.end.character === 0 && selection.end.line > selection.start.line
      ? selection.end.line
      : selection.end.line + 1;
  return { start: selection.start.line + 1, end, text: editor.document.getText(selection) };
}
