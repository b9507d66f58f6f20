/**
 * The core's `WorkspaceReader` over VS Code: files through `workspace.fs` (so remote and
 * virtual file systems behave as VS Code does), an open editor's unsaved text before the
 * disk, and real paths through Node for local files so links cannot leave the workspace.
 */
import { realpath } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { DirEntry, FileStat, WorkspaceReader } from '../../core/context';

export class VsCodeWorkspaceReader implements WorkspaceReader {
  async readFile(absPath: string): Promise<Uint8Array> {
    return vscode.workspace.fs.readFile(vscode.Uri.file(absPath));
  }

  async stat(absPath: string): Promise<FileStat | undefined> {
    try {
      const stat = await vscode.workspace.fs.stat(vscode.Uri.file(absPath));
      return { size: stat.size, mtimeMs: stat.mtime, isDirectory: (stat.type & vscode.FileType.Directory) !== 0 };
    } catch {
      return undefined;
    }
  }

  async readDirectory(absPath: string): Promise<DirEntry[]> {
    const entries = await vscode.workspace.fs.readDirectory(vscode.Uri.file(absPath));
    // Symbolic links are not followed by the walk (a link can lead anywhere).
    return entries.map(([name, type]) => ({
      name,
      isDirectory: type === vscode.FileType.Directory,
      isFile: type === vscode.FileType.File,
    }));
  }

  realpath(absPath: string): Promise<string> {
    return realpath(absPath);
  }

  openDocumentText(absPath: string): string | undefined {
    const document = vscode.workspace.textDocuments.find(
      (doc) => doc.uri.scheme === 'file' && doc.uri.fsPath === absPath,
    );
    return document?.isDirty ? document.getText() : undefined;
  }
}
