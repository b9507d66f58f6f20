/**
 * Generate Tests' view of the workspace: the project a file belongs to (the nearest folder
 * with a package.json, pyproject.toml, go.mod, pom.xml, Cargo.toml…), its files, and their
 * text as the editor has it. A file the access decision denies, or a binary, reads as absent.
 */
import * as nodePath from 'node:path';
import * as vscode from 'vscode';
import type { WorkspaceRoot } from '../../core/edits';
import { projectRootOf, type ProjectFiles } from '../../core/tests';
import { workspaceRoots } from '../workspacePaths';

/** Why a workspace file may not be sent to the model, or undefined. */
export type TestsAccess = (root: WorkspaceRoot, relative: string, text: string) => Promise<string | undefined>;

/** Folders never searched for tests or configs. */
const EXCLUDE = '**/{node_modules,.git,target,build,dist,out,.venv,venv,__pycache__,.gradle,.idea,vendor}/**';
const MAX_FILES = 20_000;

export interface Located {
  readonly root: WorkspaceRoot;
  /** Workspace-folder relative, POSIX. */
  readonly relative: string;
  /** As shown to the model and the user (folder name first in a multi-root workspace). */
  readonly display: string;
}

export function locateFile(uri: vscode.Uri): Located | undefined {
  const roots = workspaceRoots();
  for (const root of roots) {
    const relative = nodePath.relative(root.path, uri.fsPath);
    if (!relative || relative.startsWith('..') || nodePath.isAbsolute(relative)) continue;
    const posix = relative.split(nodePath.sep).join('/');
    return { root, relative: posix, display: roots.length > 1 ? `${root.name}/${posix}` : posix };
  }
  return undefined;
}

export interface Project extends ProjectFiles {
  /** The project folder, workspace-folder relative ('' for the folder itself). */
  readonly base: string;
  readonly root: WorkspaceRoot;
  /** The display path of a project-relative path. */
  display(path: string): string;
  /** The absolute path of a project-relative path. */
  absolute(path: string): string;
}

export async function openProject(file: Located, access: TestsAccess): Promise<Project> {
  const folder = vscode.Uri.file(file.root.path);
  const found = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*'), EXCLUDE, MAX_FILES);
  const all = found.map((uri) => nodePath.relative(file.root.path, uri.fsPath).split(nodePath.sep).join('/'));
  const base = projectRootOf(file.relative, all);
  const prefix = base ? `${base}/` : '';
  const paths = all.filter((path) => path.startsWith(prefix)).map((path) => path.slice(prefix.length));
  const multi = workspaceRoots().length > 1;
  const absolute = (path: string) => nodePath.join(file.root.path, ...`${prefix}${path}`.split('/'));
  return {
    base,
    root: file.root,
    paths,
    absolute,
    display: (path) => `${multi ? `${file.root.name}/` : ''}${prefix}${path}`,
    read: async (path) => {
      const text = await readText(vscode.Uri.file(absolute(path)));
      if (text === undefined) return undefined;
      return (await access(file.root, `${prefix}${path}`, text)) ? undefined : text;
    },
  };
}

/** The editor's buffer when open (saved or not), else the disk; undefined when missing or binary. LF line ends. */
export async function readText(uri: vscode.Uri): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((each) => each.uri.toString() === uri.toString());
  if (open) return open.getText().replace(/\r\n/g, '\n');
  const bytes = await vscode.workspace.fs.readFile(uri).then(
    (value) => value,
    () => undefined,
  );
  if (!bytes || bytes.subarray(0, 8192).includes(0)) return undefined;
  return new TextDecoder().decode(bytes).replace(/\r\n/g, '\n');
}
