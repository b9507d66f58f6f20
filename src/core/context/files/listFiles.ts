/**
 * Lists a workspace folder as fast as the machine allows: `git ls-files` in a git
 * work tree (git already knows every file and every ignore rule), else `rg --files`,
 * else a walk in JS over the host's file system that prunes ignored folders as it goes.
 * Listings are raw: the access policy filters them.
 */
import { join } from 'node:path';
import type { FolderRules } from './accessPolicy';
import { BUILD_DIRS, DEPENDENCY_DIRS, builtinDirDenial } from './builtinRules';
import { runProcess, splitNul } from './process';
import type { WorkspaceReader } from './workspace';

export type ListStrategy = 'git' | 'ripgrep' | 'walk';

export interface ListOptions {
  readonly reader: WorkspaceReader;
  /** ripgrep binary (VS Code ships one under appRoot); none → no ripgrep. */
  readonly rgPath?: string;
  /** Use git when the folder is a work tree (default true). */
  readonly git?: boolean;
  readonly signal?: AbortSignal;
}

export interface FolderListing {
  readonly strategy: ListStrategy;
  /** POSIX paths relative to the folder. */
  readonly files: string[];
}

export async function listFolder(rules: FolderRules, options: ListOptions): Promise<FolderListing> {
  const root = rules.folder.root;
  if (options.git !== false) {
    const files = await gitFiles(root, options.signal);
    if (files) return { strategy: 'git', files };
  }
  if (options.rgPath) {
    const files = await ripgrepFiles(root, options.rgPath, options.signal);
    if (files) return { strategy: 'ripgrep', files };
  }
  return { strategy: 'walk', files: await walk(rules, options.reader, options.signal) };
}

/** Undefined when the folder is not (or not usefully) a git work tree. */
export async function gitFiles(root: string, signal?: AbortSignal): Promise<string[] | undefined> {
  const [listed, deleted, ignored] = await Promise.all([
    runProcess('git', ['-c', 'core.quotepath=off', 'ls-files', '-co', '--exclude-standard', '-z'], {
      cwd: root,
      signal,
    }),
    runProcess('git', ['ls-files', '-d', '-z'], { cwd: root, signal }),
    // An ignored folder inside some repository (a dependency, a test download) lists
    // nothing through git; it is listed as a tree of its own.
    runProcess('git', ['check-ignore', '-q', '.'], { cwd: root, signal }),
  ]);
  if (listed.code !== 0 || ignored.code === 0) return undefined;
  const files = splitNul(listed.stdout);
  if (deleted.code === 0 && deleted.stdout.length) {
    const gone = new Set(splitNul(deleted.stdout));
    return files.filter((file) => !gone.has(file));
  }
  return files;
}

/** The ripgrep flags that list a folder as a tree of its own, built-in folders pruned. */
export function ripgrepListArgs(): string[] {
  const prune = [...DEPENDENCY_DIRS, ...BUILD_DIRS].flatMap((name) => ['-g', `!${name}/`]);
  return ['--files', '--hidden', '--no-require-git', '--no-ignore-parent', '--null', ...prune];
}

export async function ripgrepFiles(root: string, rgPath: string, signal?: AbortSignal): Promise<string[] | undefined> {
  const result = await runProcess(rgPath, ripgrepListArgs(), { cwd: root, signal });
  // 1: nothing listed (an empty folder), still an answer.
  if (result.code !== 0 && result.code !== 1) return undefined;
  return splitNul(result.stdout).map((file) => (file.startsWith('./') ? file.slice(2) : file));
}

const WALK_CONCURRENCY = 32;

/** Walks the folder through the reader, reading ignore files as it meets them and pruning what they ignore. */
export async function walk(rules: FolderRules, reader: WorkspaceReader, signal?: AbortSignal): Promise<string[]> {
  const files: string[] = [];
  const queue: string[] = [''];
  let active = 0;
  await new Promise<void>((resolve, reject) => {
    const pump = () => {
      if (signal?.aborted) {
        reject(new Error('aborted'));
        return;
      }
      while (active < WALK_CONCURRENCY && queue.length) {
        const dir = queue.pop() as string;
        active++;
        visit(dir).then(() => {
          active--;
          pump();
        }, reject);
      }
      if (active === 0 && queue.length === 0) resolve();
    };
    const visit = async (dir: string) => {
      const abs = dir ? join(rules.folder.root, dir) : rules.folder.root;
      const entries = await reader.readDirectory(abs).catch(() => []);
      for (const name of ['.gitignore', '.qcoderignore']) {
        if (!entries.some((entry) => entry.isFile && entry.name === name)) continue;
        const text = new TextDecoder().decode(await reader.readFile(join(abs, name)).catch(() => new Uint8Array()));
        (name === '.gitignore' ? rules.gitignore : rules.qcoderignore).set(dir, text);
      }
      for (const entry of entries) {
        const rel = dir ? `${dir}/${entry.name}` : entry.name;
        if (entry.isDirectory) {
          if (
            builtinDirDenial(entry.name) ||
            rules.gitignore.ignores(rel, true) ||
            rules.qcoderignore.ignores(rel, true)
          )
            continue;
          queue.push(rel);
        } else if (entry.isFile) {
          files.push(rel);
        }
      }
    };
    pump();
  });
  return files.sort();
}
