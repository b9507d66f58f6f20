/**
 * Where a model-given path leads, and what is there now: one answer for every tool that
 * reads or changes the workspace. A path must resolve inside a workspace folder, stay
 * there after following symbolic links, and not be denied by the access rules; the text
 * is the open editor's unsaved buffer when there is one, else the file on disk.
 */
import { realpath } from 'node:fs/promises';
import * as nodePath from 'node:path';
import * as vscode from 'vscode';
import { secretByName } from '../core/context/files/secretRules';
import { confirmRealPath, isInside, resolveWorkspacePath, type WorkspaceRoot } from '../core/edits';
import type { FileLocation } from '../core/review/fileChange';
import { decodeUtf8 } from '../core/review/texts';

/**
 * Why QCoder may not read or change this path (relative to `root`), or undefined when it
 * may. May answer later: the access policy lives in the workspace index, built on first use.
 */
export type IsDenied = (
  root: WorkspaceRoot,
  relativePath: string,
  /** What the file holds, when the caller has read it: the content rules judge it too. */
  text?: string,
) => string | undefined | Promise<string | undefined>;

/** Without the access policy (some tests): the core's secret rules, and the git directory. */
export const defaultIsDenied: IsDenied = (_root, relativePath) =>
  secretByName(relativePath) ??
  (/(^|\/)\.git(\/|$)/i.test(relativePath) ? "the git directory is git's own data" : undefined);

/** Files larger than this are not read into memory for editing. */
export const MAX_EDIT_BYTES = 4 * 1024 * 1024;

/** The workspace folders on a local file system (edits need real paths). */
export function workspaceRoots(): WorkspaceRoot[] {
  return (vscode.workspace.workspaceFolders ?? [])
    .filter((folder) => folder.uri.scheme === 'file')
    .map((folder) => ({ name: folder.name, path: folder.uri.fsPath }));
}

export function displayPath(root: WorkspaceRoot, relative: string, roots: readonly WorkspaceRoot[]): string {
  return roots.length > 1 ? `${root.name}/${relative}` : relative;
}

export type Located =
  | { readonly ok: true; readonly location: FileLocation; readonly uri: vscode.Uri; readonly root: WorkspaceRoot }
  | { readonly ok: false; readonly message: string };

const realpathOrUndefined = (path: string): Promise<string | undefined> => realpath(path).catch(() => undefined);

/**
 * Resolves a model-given path: relative, absolute or `file:` URI, inside a workspace folder,
 * not through a link that leaves it, not denied (by its own path or the path a link leads to).
 */
export async function locate(
  input: string,
  isDenied: IsDenied,
  roots: readonly WorkspaceRoot[] = workspaceRoots(),
): Promise<Located> {
  const resolved = resolveWorkspacePath(input, roots);
  if (!resolved.ok) return { ok: false, message: resolved.message };
  const confirmed = await confirmRealPath(resolved, realpathOrUndefined);
  if (!confirmed.ok) return { ok: false, message: confirmed.message };
  const display = displayPath(confirmed.root, confirmed.relative, roots);
  const denied =
    (await isDenied(confirmed.root, confirmed.relative)) ??
    (await deniedTarget(confirmed.root, confirmed.absolute, isDenied));
  if (denied) return { ok: false, message: `${display} is off limits to QCoder: ${denied}.` };
  return {
    ok: true,
    root: confirmed.root,
    uri: vscode.Uri.file(confirmed.absolute),
    location: { display, absolute: confirmed.absolute, relative: confirmed.relative },
  };
}

/** A link inside the workspace to a denied file inside it (`notes.txt -> .env`) is denied too. */
async function deniedTarget(root: WorkspaceRoot, absolute: string, isDenied: IsDenied): Promise<string | undefined> {
  const real = await realpathOrUndefined(absolute);
  const realRoot = (await realpathOrUndefined(root.path)) ?? root.path;
  if (real === undefined || !isInside(realRoot, real)) return undefined;
  const relative = nodePath.relative(realRoot, real).split(nodePath.sep).join('/');
  return relative && relative !== nodePath.relative(root.path, absolute).split(nodePath.sep).join('/')
    ? isDenied(root, relative)
    : undefined;
}

export type Current =
  | { readonly exists: false }
  | {
      readonly exists: true;
      readonly ok: true;
      readonly text: string;
      readonly version?: number;
      readonly fromDocument: boolean;
    }
  | { readonly exists: true; readonly ok: false; readonly reason: string };

/** The open document when it has unsaved changes, else the bytes on disk as UTF-8. */
export async function readCurrent(uri: vscode.Uri, display: string): Promise<Current> {
  const document = openDocument(uri);
  if (document?.isDirty)
    return { exists: true, ok: true, text: document.getText(), version: document.version, fromDocument: true };
  let stat: vscode.FileStat;
  try {
    stat = await vscode.workspace.fs.stat(uri);
  } catch {
    return { exists: false };
  }
  if (stat.type & vscode.FileType.Directory)
    return { exists: true, ok: false, reason: `${display} is a folder, not a file` };
  if (stat.size > MAX_EDIT_BYTES)
    return {
      exists: true,
      ok: false,
      reason: `${display} is ${Math.round(stat.size / 1024)} KB, too large to edit here`,
    };
  const decoded = decodeUtf8(await vscode.workspace.fs.readFile(uri));
  return decoded.ok
    ? { exists: true, ok: true, text: decoded.text, fromDocument: false }
    : { exists: true, ok: false, reason: `${display} ${decoded.reason}` };
}

export function openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
  const key = uri.toString();
  return vscode.workspace.textDocuments.find((document) => document.uri.toString() === key);
}

export async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
