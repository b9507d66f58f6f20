/**
 * The agent's read tools over VS Code, minimal until the context engine takes over: reads
 * prefer an editor's unsaved buffer, listing uses `workspace.findFiles`, search scans those
 * files in JS. Every path passes the same resolution and access rules as edits.
 */
import * as vscode from 'vscode';
import type { ReadResult, SearchHit, WorkspaceAccess } from '../core/agent/workspace';
import type { WorkspaceRoot } from '../core/edits';
import { defaultIsDenied, displayPath, type IsDenied, locate, readCurrent, workspaceRoots } from './workspacePaths';

const EXCLUDE = '**/{node_modules,.git}/**';
const SEARCH_MAX_FILES = 5000;
const SEARCH_MAX_BYTES = 1024 * 1024;

export class VsCodeWorkspaceAccess implements WorkspaceAccess {
  constructor(
    private readonly isDenied: IsDenied = defaultIsDenied,
    private readonly roots: () => WorkspaceRoot[] = workspaceRoots,
  ) {}

  async readText(path: string): Promise<ReadResult> {
    const located = await locate(path, this.isDenied, this.roots());
    if (!located.ok) return { ok: false, reason: located.message };
    const current = await readCurrent(located.uri, located.location.display);
    if (!current.exists) return { ok: false, reason: `${located.location.display} does not exist.` };
    if (!current.ok) return { ok: false, reason: `${current.reason}.` };
    return {
      ok: true,
      text: current.text.replace(/^\uFEFF/, ''),
      ...(current.version !== undefined ? { version: current.version } : {}),
    };
  }

  async listFiles(options: {
    readonly under?: string;
    readonly glob?: string;
    readonly limit: number;
  }): Promise<{ paths: string[]; truncated: boolean }> {
    const paths = await this.files(options.under, options.glob, options.limit + 1);
    return {
      paths: paths.slice(0, options.limit).map((file) => file.display),
      truncated: paths.length > options.limit,
    };
  }

  async search(options: {
    readonly pattern: string;
    readonly glob?: string;
    readonly limit: number;
    readonly signal: AbortSignal;
  }): Promise<{ hits: SearchHit[]; truncated: boolean }> {
    const regex = new RegExp(options.pattern);
    const hits: SearchHit[] = [];
    for (const file of await this.files(undefined, options.glob, SEARCH_MAX_FILES)) {
      if (options.signal.aborted) break;
      const stat = await vscode.workspace.fs.stat(file.uri).then(
        (value) => value,
        () => undefined,
      );
      if (!stat || stat.size > SEARCH_MAX_BYTES) continue;
      const current = await readCurrent(file.uri, file.display);
      if (!current.exists || !current.ok) continue;
      const lines = current.text.split(/\r?\n/);
      for (let i = 0; i < lines.length; i++) {
        if (!regex.test(lines[i])) continue;
        hits.push({ path: file.display, line: i + 1, text: lines[i] });
        if (hits.length > options.limit) return { hits: hits.slice(0, options.limit), truncated: true };
      }
    }
    return { hits, truncated: false };
  }

  /** Allowed files under `under` (default: every folder) matching `glob`, sorted, at most `max`. */
  private async files(
    under: string | undefined,
    glob: string | undefined,
    max: number,
  ): Promise<{ uri: vscode.Uri; display: string }[]> {
    const roots = this.roots();
    const bases: { root: WorkspaceRoot; folder: vscode.Uri; prefix: string }[] = [];
    if (under && under !== '.' && under !== '/') {
      const located = await locate(under, this.isDenied, roots);
      if (!located.ok) return [];
      bases.push({ root: located.root, folder: located.uri, prefix: `${located.location.relative}/` });
    } else {
      for (const root of roots) bases.push({ root, folder: vscode.Uri.file(root.path), prefix: '' });
    }
    const found: { uri: vscode.Uri; display: string }[] = [];
    for (const base of bases) {
      const uris = await vscode.workspace.findFiles(
        new vscode.RelativePattern(base.folder, glob || '**/*'),
        EXCLUDE,
        max * 2 + 100,
      );
      for (const uri of uris) {
        // Relative to the folder that holds it (never prefixed with the folder's name).
        const inRoot = vscode.workspace.asRelativePath(uri, false).split('\\').join('/');
        if (!inRoot.startsWith(base.prefix) || (await this.isDenied(base.root, inRoot))) continue;
        found.push({ uri, display: displayPath(base.root, inRoot, roots) });
      }
    }
    return found.sort((a, b) => a.display.localeCompare(b.display)).slice(0, max);
  }
}
