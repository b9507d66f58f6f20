/**
 * The access decision as a service the host's readers and writers are given: the agent's
 * tools, edits, renames and deletes ask it, and it answers on the spelled path AND the real
 * path (links followed), by the core's rules. It needs no workspace index: the ignore files
 * that apply to a path (its folder's and every parent's) are read when first needed and
 * dropped when one changes, so the first `read_file` reads a few small files, not the tree.
 */
import { realpath, lstat } from 'node:fs/promises';
import * as nodePath from 'node:path';
import * as vscode from 'vscode';
import { AccessPolicy, FolderRules } from '../../core/context/files/accessPolicy';
import { textDenial } from '../../core/context/files/builtinRules';
import { FolderSet, type WorkspaceFolder } from '../../core/context/files/workspace';
import { isInside, type WorkspaceRoot } from '../../core/edits';
import { DisposableStore } from '../../core/util/lifecycle';

export interface AccessOptions {
  /** The user named this file (an @-mention): ignore rules give way, secrets never do. */
  readonly explicit?: boolean;
}

/** Where a workspace path really is: the folder-relative path after following links, or why that is unknown. */
export type RealLocation =
  { readonly ok: true; readonly relative: string } | { readonly ok: false; readonly reason: string };

const IGNORE_FILES = ['.gitignore', '.qcoderignore'] as const;

/** What readers and writers ask; `AccessService` answers it over the live workspace. */
export interface AccessDecision {
  pathDenial(root: WorkspaceRoot, relative: string, options?: AccessOptions): Promise<string | undefined>;
  contentDenial(root: WorkspaceRoot, relative: string, text: string): Promise<string | undefined>;
}

export class AccessService implements AccessDecision {
  /** The policy for the current folders, and the ignore-file loads started (per folder and directory). */
  private state: { key: string; policy: AccessPolicy; loads: Map<string, Promise<void>> } | undefined;

  constructor(private readonly roots: () => WorkspaceRoot[]) {}

  /** Drops the loaded ignore rules whenever an ignore file changes; without it the rules are read once. */
  watch(): vscode.Disposable {
    const store = new DisposableStore();
    const watcher = store.add(vscode.workspace.createFileSystemWatcher('**/{.gitignore,.qcoderignore}'));
    const drop = () => (this.state = undefined);
    store.add(watcher.onDidCreate(drop));
    store.add(watcher.onDidChange(drop));
    store.add(watcher.onDidDelete(drop));
    return store;
  }

  /**
   * Why QCoder may not read or change `relative` (in `root`), or undefined: the path rules on the
   * path as spelled and on the path its links lead to. Denied when the real path cannot be told.
   */
  async pathDenial(root: WorkspaceRoot, relative: string, options: AccessOptions = {}): Promise<string | undefined> {
    const spelled = await this.ruleDenial(root, relative, options);
    if (spelled) return spelled;
    const real = await realLocation(root, nodePath.join(root.path, relative));
    if (!real.ok) return real.reason;
    return real.relative === relative ? undefined : this.ruleDenial(root, real.relative, options);
  }

  /** Why this text may not be read (a credential, a private key), judged under both names of the file. */
  async contentDenial(root: WorkspaceRoot, relative: string, text: string): Promise<string | undefined> {
    const real = await realLocation(root, nodePath.join(root.path, relative));
    const names = real.ok && real.relative !== relative ? [relative, real.relative] : [relative];
    for (const name of names) {
      const denial = textDenial(name, text);
      if (denial) return denial.reason;
    }
    return undefined;
  }

  private async ruleDenial(root: WorkspaceRoot, relative: string, options: AccessOptions): Promise<string | undefined> {
    if (relative === '' || relative === '.') return undefined;
    const policy = this.currentPolicy();
    const folder = policy.folders.folders.find((each) => each.root === root.path);
    if (!folder) return `${relative} is not in a workspace folder`;
    await this.loadRulesAbove(policy, folder, relative);
    return policy.checkRelative(folder, relative, options)?.reason;
  }

  private currentPolicy(): AccessPolicy {
    const roots = this.roots();
    const key = JSON.stringify(roots);
    if (this.state?.key !== key) {
      const folders: WorkspaceFolder[] = roots.map((root) => ({ name: root.name, root: root.path }));
      const policy = new AccessPolicy(
        new FolderSet(folders),
        folders.map((folder) => new FolderRules(folder)),
      );
      this.state = { key, policy, loads: new Map() };
    }
    return this.state.policy;
  }

  /** Reads the ignore files of `relative`'s folder and every folder above it, each once. */
  private async loadRulesAbove(policy: AccessPolicy, folder: WorkspaceFolder, relative: string): Promise<void> {
    const loads = this.state!.loads;
    const parts = relative.split('/').slice(0, -1);
    const dirs = ['', ...parts.map((_, i) => parts.slice(0, i + 1).join('/'))];
    await Promise.all(
      dirs.map((dir) => {
        const id = `${folder.root}\0${dir}`;
        let load = loads.get(id);
        if (!load) {
          load = loadIgnoreFiles(policy.rulesOf(folder), dir);
          loads.set(id, load);
        }
        return load;
      }),
    );
  }
}

async function loadIgnoreFiles(rules: FolderRules, dir: string): Promise<void> {
  const read = (rel: string) =>
    vscode.workspace.fs.readFile(vscode.Uri.file(nodePath.join(rules.folder.root, rel))).then(
      (bytes) => new TextDecoder().decode(bytes),
      () => undefined,
    );
  for (const name of IGNORE_FILES) {
    let text = await read(dir ? `${dir}/${name}` : name);
    if (name === '.gitignore' && dir === '') {
      const exclude = await read('.git/info/exclude');
      if (exclude !== undefined) text = `${exclude}\n${text ?? ''}`;
    }
    if (text !== undefined) (name === '.gitignore' ? rules.gitignore : rules.qcoderignore).set(dir, text);
  }
}

/**
 * The folder-relative path `absolute` really has: its nearest existing ancestor resolved through
 * links, the missing rest appended (a new file is judged by where it would land). A dangling
 * link, a link that leaves the folder or a failing check gives a reason instead.
 */
export async function realLocation(root: WorkspaceRoot, absolute: string): Promise<RealLocation> {
  const realRoot = await realpath(root.path).catch(() => root.path);
  const missing: string[] = [];
  let probe = absolute;
  for (;;) {
    const real = await realpath(probe).catch((error: NodeJS.ErrnoException) => error);
    if (typeof real === 'string') {
      const full = nodePath.join(real, ...missing.reverse());
      if (!isInside(realRoot, full)) return { ok: false, reason: 'it is a link that leads outside the workspace' };
      return { ok: true, relative: nodePath.relative(realRoot, full).split(nodePath.sep).join('/') };
    }
    if (real.code !== 'ENOENT' && real.code !== 'ENOTDIR')
      return { ok: false, reason: `its real path could not be checked (${real.code ?? real.message})` };
    // A link whose target is missing: where it would write is not where it appears to be.
    if (
      await lstat(probe).then(
        (stat) => stat.isSymbolicLink(),
        () => false,
      )
    )
      return { ok: false, reason: 'it is a link to a file that does not exist' };
    const parent = nodePath.dirname(probe);
    if (parent === probe) return { ok: false, reason: 'no part of it exists on disk' };
    missing.push(nodePath.basename(probe));
    probe = parent;
  }
}
