/**
 * Which instruction files apply, in the order they go into the prompt: the nearest first.
 * The folder of the active file and each folder above it up to its workspace root, then
 * the other roots, then each root's `.qcoder/rules/*.md`, then the user's own file. Pure:
 * the host lists folders and reads files; this decides the order and the names.
 */

/** The instruction file names looked for in a folder, in this order. */
export const INSTRUCTION_FILE_NAMES = ['QWEN.md', 'AGENTS.md'] as const;

/** Where `.qcoder/rules/*.md` and `.qcoder/commands/*.md` live in a workspace root. */
export const RULES_FOLDER = '.qcoder/rules';
export const COMMANDS_FOLDER = '.qcoder/commands';

export type InstructionSource = 'project' | 'rules' | 'user';

/** A file that may hold instructions; `relative` is inside `root` with `/` separators. */
export interface InstructionCandidate {
  readonly source: InstructionSource;
  /** The workspace root's name (or 'user' for the user-level file). */
  readonly root: string;
  readonly relative: string;
}

export interface DiscoveryInput {
  /** Workspace roots by name, in the workspace's order. */
  readonly roots: readonly string[];
  /** The active editor's file as root + relative path, when it is inside the workspace. */
  readonly activeFile?: { readonly root: string; readonly relative: string };
  /** File names in each root's `.qcoder/rules` folder (only `.md` files are used). */
  readonly rules?: ReadonlyMap<string, readonly string[]>;
  /** True when a user-level instruction file is to be read. */
  readonly user?: boolean;
}

/** `src/a/b.ts` → `['src/a', 'src', '']`: the file's folder and every folder above it, nearest first. */
export function foldersUp(relative: string): string[] {
  const parts = relative.split('/').filter(Boolean);
  const folders: string[] = [];
  for (let depth = parts.length - 1; depth >= 0; depth--) folders.push(parts.slice(0, depth).join('/'));
  return folders;
}

const join = (folder: string, name: string) => (folder ? `${folder}/${name}` : name);

export function instructionCandidates(input: DiscoveryInput): InstructionCandidate[] {
  const out: InstructionCandidate[] = [];
  const seen = new Set<string>();
  const add = (candidate: InstructionCandidate) => {
    const key = `${candidate.source}\u0000${candidate.root}\u0000${candidate.relative}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(candidate);
  };
  const active = input.activeFile && input.roots.includes(input.activeFile.root) ? input.activeFile : undefined;
  if (active)
    for (const folder of foldersUp(active.relative))
      for (const name of INSTRUCTION_FILE_NAMES)
        add({ source: 'project', root: active.root, relative: join(folder, name) });
  for (const root of input.roots)
    for (const name of INSTRUCTION_FILE_NAMES) add({ source: 'project', root, relative: name });
  for (const root of input.roots) {
    const names = [...(input.rules?.get(root) ?? [])].filter((name) => /\.md$/i.test(name)).sort(compareNames);
    for (const name of names) add({ source: 'rules', root, relative: `${RULES_FOLDER}/${name}` });
  }
  if (input.user) add({ source: 'user', root: 'user', relative: USER_FILE_NAME });
  return out;
}

/** The user-level file's name in the extension's global storage folder. */
export const USER_FILE_NAME = 'QWEN.md';

/** Code-point order, so `10-x.md` sorts after `09-y.md` on every machine the same way. */
function compareNames(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
