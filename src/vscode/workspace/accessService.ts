/**
 * The core's access decision (`AccessPolicy.decide`) as a service the host's tools and edits
 * are given. It needs no workspace index: the ignore files that apply to a path (its folder's
 * and every parent's, under the spelled and the real path) are read when first needed and
 * dropped when one changes, so the first `read_file` reads a few small files, not the tree.
 */
import * as nodePath from 'node:path';
import * as vscode from 'vscode';
import {
  type AccessDecision,
  type AccessOp,
  AccessPolicy,
  type DecideOptions,
  FolderRules,
  NO_EXTRA_PATTERNS,
  type SecretPatterns,
} from '../../core/context';
import { FolderSet, type WorkspaceFolder } from '../../core/context/files/workspace';
import type { WorkspaceRoot } from '../../core/edits';
import { DisposableStore } from '../../core/util/lifecycle';
import { filesExcludeGlobs } from './filesExclude';

/** What the host's readers and writers ask of the access decision. */
export interface AccessDecider {
  /** The decision for `relative` in `root` (spelled as given; links followed by the decision itself). */
  decide(root: WorkspaceRoot, relative: string, op: AccessOp, options?: DecideOptions): Promise<AccessDecision>;
}

const IGNORE_FILES = ['.gitignore', '.qcoderignore'] as const;

interface RulesState {
  readonly key: string;
  readonly policy: AccessPolicy;
  /** Ignore-file loads started, per folder and directory. */
  readonly loads: Map<string, Promise<void>>;
  readonly readAt: number;
}

/**
 * The rules are read again after this long even without a watcher event: watchers miss changes
 * (a folder created and filled at once may be reported as the folder alone).
 */
const RULES_MAX_AGE_MS = 2000;

export class AccessService implements AccessDecider {
  /** The policy for the current folders; dropped when an ignore file changes. */
  private state: RulesState | undefined;

  constructor(
    private readonly roots: () => WorkspaceRoot[],
    private secrets: SecretPatterns = NO_EXTRA_PATTERNS,
  ) {}

  /** Drops the loaded rules whenever an ignore file or `files.exclude` changes; without it they are read once. */
  watch(): vscode.Disposable {
    const store = new DisposableStore();
    const watcher = store.add(vscode.workspace.createFileSystemWatcher('**/{.gitignore,.qcoderignore}'));
    const drop = () => (this.state = undefined);
    store.add(watcher.onDidCreate(drop));
    store.add(watcher.onDidChange(drop));
    store.add(watcher.onDidDelete(drop));
    store.add(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('files.exclude')) drop();
      }),
    );
    return store;
  }

  /** The user's extra secret patterns changed. */
  setSecrets(secrets: SecretPatterns): void {
    this.secrets = secrets;
    if (this.state) this.state.policy.secrets = secrets;
  }

  async decide(
    root: WorkspaceRoot,
    relative: string,
    op: AccessOp,
    options: DecideOptions = {},
  ): Promise<AccessDecision> {
    const state = this.currentState();
    const { policy } = state;
    const folder = policy.folders.folders.find((each) => each.root === root.path);
    if (!folder)
      return { allowed: false, rule: 'outside-workspace', reason: `${relative} is not in a workspace folder` };
    const absolute = nodePath.join(root.path, relative);
    await loadRulesAbove(state, folder, relative);
    const decision = await policy.decide(absolute, op, options);
    const real = decision.realRel;
    if (real === undefined || real === relative) return decision;
    // A link: the rules of the folders above where it leads count too.
    await loadRulesAbove(state, folder, real);
    return policy.decide(absolute, op, options);
  }

  private currentState(): RulesState {
    const roots = this.roots();
    const key = JSON.stringify(roots);
    if (this.state?.key !== key || Date.now() - this.state.readAt > RULES_MAX_AGE_MS) {
      const folders: WorkspaceFolder[] = roots.map((root) => ({ name: root.name, root: root.path }));
      const policy = new AccessPolicy(
        new FolderSet(folders),
        folders.map((folder) => new FolderRules(folder, excludeGlobsOf(folder))),
        { secrets: this.secrets },
      );
      this.state = { key, policy, loads: new Map(), readAt: Date.now() };
    }
    return this.state;
  }
}

/** `files.exclude` of the VS Code folder at this root, as the index reads it. */
function excludeGlobsOf(folder: WorkspaceFolder): string[] {
  const match = vscode.workspace.workspaceFolders?.find((each) => each.uri.fsPath === folder.root);
  return match ? filesExcludeGlobs(match) : [];
}

/** Reads the ignore files of `relative`'s folder and every folder above it, each once. */
async function loadRulesAbove({ policy, loads }: RulesState, folder: WorkspaceFolder, relative: string): Promise<void> {
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

/** The decision's refusal, worded for the model: undefined when allowed. */
export function refusal(decision: AccessDecision): string | undefined {
  return decision.allowed ? undefined : (decision.reason ?? 'denied by the access rules');
}
