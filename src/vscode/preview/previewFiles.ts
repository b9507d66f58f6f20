/**
 * Workspace files for a previewed page, decided like every other read: inside a workspace
 * folder, not through a link that leaves it, not denied by the ignore and secret rules (a
 * page cannot pull `.env` into a screenshot).
 */
import * as vscode from 'vscode';
import type { FileRead, PreviewFiles } from '../../core/preview/session';
import { type AccessDecider, refusal } from '../workspace/accessService';
import { locate, workspaceRoots } from '../workspacePaths';

const TEXT = /\.(html?|m?js|css|json|svg|txt|md)$/i;

export class VsCodePreviewFiles implements PreviewFiles {
  constructor(private readonly access: AccessDecider) {}

  async read(path: string): Promise<FileRead> {
    const located = await locate(
      path,
      async (root, relative) => refusal(await this.access.decide(root, relative, 'read')),
      workspaceRoots(),
    );
    if (!located.ok) return { ok: false, reason: located.message };
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(located.uri);
    } catch {
      return { ok: false, reason: `${located.location.display} does not exist.` };
    }
    if (TEXT.test(path)) {
      const text = new TextDecoder().decode(bytes);
      const { root, location } = located;
      const denied = refusal(await this.access.decide(root, location.relative, 'read', { text }));
      if (denied) return { ok: false, reason: `${location.display} is off limits to QCoder: ${denied}.` };
    }
    return { ok: true, bytes };
  }
}
