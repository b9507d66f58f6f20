/**
 * The agent's read tools over VS Code. Reads prefer an editor's unsaved buffer; listing and
 * search run VS Code's bundled ripgrep, which does not follow links. Every path, listed,
 * matched or read, passes the one access decision on its spelled and its real path, and what
 * is read passes its content rules too: a file denied is denied to every tool.
 */
import * as nodePath from 'node:path';
import * as vscode from 'vscode';
import { grep, PRUNE_ARGS } from '../core/agent/grep';
import type { ListResult, ReadResult, SearchHit, SearchResult, WorkspaceAccess } from '../core/agent/workspace';
import { runProcess, splitNul } from '../core/context/files/process';
import type { AccessOp } from '../core/context';
import type { WorkspaceRoot } from '../core/edits';
import { type AccessDecider, AccessService, refusal } from './workspace/accessService';
import { displayPath, locate, readCurrent, workspaceRoots } from './workspacePaths';

const SEARCH_TIMEOUT_MS = 10_000;
const LIST_TIMEOUT_MS = 20_000;
/** ripgrep's matches read before the access filter; denied files' lines must not crowd out allowed ones. */
const SEARCH_OVERSCAN = 4;

interface Base {
  readonly root: WorkspaceRoot;
  readonly folder: string;
  /** Folder-relative path of `folder` with a trailing `/`, or '' for the root. */
  readonly prefix: string;
}

export class VsCodeWorkspaceAccess implements WorkspaceAccess {
  constructor(
    private readonly access: AccessDecider = new AccessService(workspaceRoots),
    private readonly rgPath: string | undefined = undefined,
    private readonly roots: () => WorkspaceRoot[] = workspaceRoots,
  ) {}

  async readText(path: string): Promise<ReadResult> {
    const located = await locate(path, this.deniedFor('read'), this.roots());
    if (!located.ok) return { ok: false, reason: located.message };
    const { display, relative } = located.location;
    const current = await readCurrent(located.uri, display);
    if (!current.exists) return { ok: false, reason: `${display} does not exist.` };
    if (!current.ok) return { ok: false, reason: `${current.reason}.` };
    const denied = refusal(await this.access.decide(located.root, relative, 'read', { text: current.text }));
    if (denied) return { ok: false, reason: `${display} is off limits to QCoder: ${denied}.` };
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
  }): Promise<ListResult> {
    const roots = this.roots();
    const bases = await this.bases(options.under);
    if (typeof bases === 'string') return { paths: [], truncated: false, reason: bases };
    const candidates: { root: WorkspaceRoot; relative: string; display: string }[] = [];
    for (const base of bases) {
      for (const relative of await this.listed(base, options.glob))
        candidates.push({ root: base.root, relative, display: displayPath(base.root, relative, roots) });
    }
    candidates.sort((a, b) => a.display.localeCompare(b.display));
    // Decided in order, and only until one past the limit: a big tree costs the files shown, not all of them.
    const paths: string[] = [];
    for (const { root, relative, display } of candidates) {
      // Secrets are not listed at all: their names are information too.
      if (!(await this.access.decide(root, relative, 'list')).allowed) continue;
      paths.push(display);
      if (paths.length > options.limit) break;
    }
    return { paths: paths.slice(0, options.limit), truncated: paths.length > options.limit };
  }

  async search(options: {
    readonly pattern: string;
    readonly glob?: string;
    readonly contextLines?: number;
    readonly limit: number;
    readonly signal: AbortSignal;
  }): Promise<SearchResult> {
    if (!this.rgPath)
      return { ok: false, reason: "search_files needs the ripgrep that VS Code ships, and it wasn't found." };
    const roots = this.roots();
    const hits: SearchHit[] = [];
    let truncated = false;
    let timedOut = false;
    for (const root of roots) {
      const result = await grep({
        rgPath: this.rgPath,
        cwd: root.path,
        pattern: options.pattern,
        glob: options.glob,
        contextLines: options.contextLines,
        maxMatches: options.limit * SEARCH_OVERSCAN,
        timeoutMs: SEARCH_TIMEOUT_MS,
        signal: options.signal,
      });
      if (!result.ok) return { ok: false, reason: `ripgrep refused the search: ${result.message}` };
      truncated ||= result.truncated;
      timedOut ||= result.timedOut;
      const allowed = new Map<string, Promise<boolean>>();
      for (const line of result.lines) {
        let verdict = allowed.get(line.path);
        if (!verdict) allowed.set(line.path, (verdict = this.searchable(root, line.path)));
        if (!(await verdict)) continue;
        hits.push({
          path: displayPath(root, line.path, roots),
          line: line.line,
          text: line.text,
          ...(line.match ? {} : { context: true }),
        });
      }
    }
    const { kept, cut } = capMatches(hits, options.limit);
    const note = timedOut ? `the search stopped after ${SEARCH_TIMEOUT_MS / 1000} s; results are partial` : undefined;
    return { ok: true, hits: kept, truncated: truncated || cut, ...(note ? { note } : {}) };
  }

  private deniedFor(op: AccessOp) {
    return async (root: WorkspaceRoot, relative: string) => refusal(await this.access.decide(root, relative, op));
  }

  /** A matched file is shown when the decision allows it under both names and its content holds no secret. */
  private async searchable(root: WorkspaceRoot, relative: string): Promise<boolean> {
    if (!(await this.access.decide(root, relative, 'search')).allowed) return false;
    const current = await readCurrent(vscode.Uri.file(nodePath.join(root.path, relative)), relative);
    if (!current.exists || !current.ok) return false;
    return (await this.access.decide(root, relative, 'search', { text: current.text })).allowed;
  }

  /**
   * The folders to list: one folder below a root, or every root; or why `under` cannot be listed.
   * A denied path lists nothing, as if empty: its name tells the model nothing more.
   */
  private async bases(under: string | undefined): Promise<Base[] | string> {
    if (!under || under === '.' || under === '/')
      return this.roots().map((root) => ({ root, folder: root.path, prefix: '' }));
    const located = await locate(under, this.deniedFor('list'), this.roots());
    if (!located.ok) return [];
    const { display, absolute, relative } = located.location;
    // ripgrep started in a file fails with a bare `spawn ENOTDIR`: say what is wrong before it runs.
    const kind = await vscode.workspace.fs.stat(located.uri).then(
      (stat) => stat.type,
      () => undefined,
    );
    if (kind === undefined) return `${display} does not exist; list_files without a path lists the whole workspace.`;
    if (!(kind & vscode.FileType.Directory)) return `${display} is a file, not a folder; read it with read_file.`;
    return [{ root: located.root, folder: absolute, prefix: `${relative}/` }];
  }

  /** Root-relative paths of the files under `base` (links not followed), through ripgrep or VS Code's search. */
  private async listed(base: Base, glob: string | undefined): Promise<string[]> {
    if (this.rgPath) {
      const args = ['--files', '--hidden', '--no-require-git', '--no-ignore-parent', '--no-config', '--null'];
      const globs = [...(glob ? ['--glob', glob] : []), ...PRUNE_ARGS];
      const result = await runProcess(this.rgPath, [...args, ...globs, '--', '.'], {
        cwd: base.folder,
        timeoutMs: LIST_TIMEOUT_MS,
        maxBytes: 32 * 1024 * 1024,
      });
      return splitNul(result.stdout).map((path) => base.prefix + path.replace(/^\.\//, '').split('\\').join('/'));
    }
    // No ripgrep: VS Code's own search follows links, so every result is still judged on its real path.
    const uris = await vscode.workspace.findFiles(
      new vscode.RelativePattern(vscode.Uri.file(base.folder), glob || '**/*'),
      '**/{node_modules,.git}/**',
      20_000,
    );
    return uris.map((uri) => nodePath.relative(base.root.path, uri.fsPath).split(nodePath.sep).join('/'));
  }
}

/** Keeps the first `limit` matching lines and the context lines around them. */
function capMatches(hits: SearchHit[], limit: number): { kept: SearchHit[]; cut: boolean } {
  let matches = 0;
  for (let i = 0; i < hits.length; i++) {
    if (hits[i].context) continue;
    if (++matches > limit) return { kept: hits.slice(0, i), cut: true };
  }
  return { kept: hits, cut: false };
}
