/**
 * The workspace index for the chat and the tools: built on first use (never during
 * activation), kept fresh from VS Code's file watcher instead of walking again, and
 * rebuilt only when the folders or `files.exclude` change.
 */
import * as vscode from 'vscode';
import {
  NO_EXTRA_PATTERNS,
  type SecretPatterns,
  type WorkspaceFolder,
  WorkspaceIndex,
  type WorkspaceReader,
} from '../../core/context';
import { breather } from '../../core/util/breathe';
import { DisposableStore } from '../../core/util/lifecycle';
import { allFilesExcludeGlobs } from './filesExclude';
import { VsCodeWorkspaceReader } from './reader';
import { ripgrepPath } from './ripgrep';

/** File events applied between two `changed` events. */
const DRAIN_SLICE = 256;

export class WorkspaceIndexService implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly changed = new vscode.EventEmitter<void>();
  private current: Promise<WorkspaceIndex> | undefined;
  private readonly queue: { path: string; update: (index: WorkspaceIndex, path: string) => Promise<void> }[] = [];
  private draining: Promise<void> | undefined;
  readonly rgPath: string | undefined;
  /** Fires when files were added, removed or re-ruled, or the index was dropped for a rebuild. */
  readonly onDidChange = this.changed.event;
  private readonly built = new vscode.EventEmitter<WorkspaceIndex>();
  /** Fires with each index built (the lexical index worker follows it). */
  readonly onDidBuild = this.built.event;

  constructor(
    private readonly log: (line: string) => void = () => undefined,
    private readonly reader: WorkspaceReader = new VsCodeWorkspaceReader(),
    appRoot: string = vscode.env.appRoot,
    /** The user's extra secret patterns, read at every build. */
    private readonly secrets: () => SecretPatterns = () => NO_EXTRA_PATTERNS,
  ) {
    this.rgPath = ripgrepPath(appRoot);
    this.store.add(this.changed);
    this.store.add(this.built);
    const watcher = this.store.add(vscode.workspace.createFileSystemWatcher('**/*'));
    this.store.add(watcher.onDidCreate((uri) => this.apply(uri, (index, path) => index.onDidCreate(path))));
    this.store.add(watcher.onDidDelete((uri) => this.apply(uri, (index, path) => index.onDidDelete(path))));
    this.store.add(watcher.onDidChange((uri) => this.apply(uri, (index, path) => index.onDidChange(path))));
    this.store.add(vscode.workspace.onDidChangeWorkspaceFolders(() => this.invalidate()));
    this.store.add(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('files.exclude')) this.invalidate();
      }),
    );
  }

  /** The index, built on the first call. */
  get(): Promise<WorkspaceIndex> {
    this.current ??= this.build();
    return this.current;
  }

  dispose(): void {
    this.store.dispose();
  }

  private async build(): Promise<WorkspaceIndex> {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file');
    const roots: WorkspaceFolder[] = folders.map((folder) => ({ name: folder.name, root: folder.uri.fsPath }));
    const index = await WorkspaceIndex.build(roots, this.reader, {
      rgPath: this.rgPath,
      excludeGlobs: allFilesExcludeGlobs(folders),
      secrets: this.secrets(),
    });
    const { stats } = index;
    this.log(
      `context: indexed ${stats.allowed} of ${stats.listed} files in ${stats.ms.toFixed(0)} ms (${Object.entries(
        stats.strategies,
      )
        .map(([name, how]) => `${name}: ${how}`)
        .join(', ')})`,
    );
    this.built.fire(index);
    return index;
  }

  /** Drops the index; the next use builds it again under the current rules. */
  invalidate(): void {
    this.current = undefined;
    this.changed.fire();
  }

  private apply(uri: vscode.Uri, update: (index: WorkspaceIndex, path: string) => Promise<void>): void {
    // Before the first build there is nothing to update: the build will list the file.
    if (uri.scheme !== 'file' || !this.current) return;
    // Queued and applied in order, a slice at a time: 100,000 files appearing at once arrive as 100,000 events,
    // and applying each as it comes held the host for seconds.
    this.queue.push({ path: uri.fsPath, update });
    if (!this.draining) this.draining = this.drain(this.current).finally(() => (this.draining = undefined));
  }

  private async drain(pending: Promise<WorkspaceIndex>): Promise<void> {
    const breathe = breather();
    try {
      const index = await pending;
      while (this.queue.length) {
        // A rebuild lists every file again: what is queued for the old index is moot.
        if (this.current !== pending) {
          this.queue.length = 0;
          return;
        }
        const generation = index.generation;
        for (const { path, update } of this.queue.splice(0, DRAIN_SLICE)) {
          await update(index, path).catch((error: unknown) =>
            this.log(`context: index update failed for ${path}: ${String(error)}`),
          );
          await breathe();
        }
        if (index.generation !== generation) this.changed.fire();
      }
    } catch (error) {
      this.queue.length = 0;
      this.log(`context: index updates dropped: ${String(error)}`);
    }
  }
}
