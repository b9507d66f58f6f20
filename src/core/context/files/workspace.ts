/**
 * The workspace as the core sees it: folders by absolute path, and a reader the host
 * implements (VS Code's file system and open documents; Node's `fs` for the CLI and
 * tests). Paths inside a folder are POSIX and folder-relative; a multi-root workspace
 * prefixes them with the folder's name, as VS Code's own UI does.
 */
import { promises as fs } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';

export interface WorkspaceFolder {
  readonly name: string;
  /** Absolute path on the local file system. */
  readonly root: string;
}

export interface FileStat {
  readonly size: number;
  readonly mtimeMs: number;
  readonly isDirectory: boolean;
}

export interface DirEntry {
  readonly name: string;
  readonly isDirectory: boolean;
  readonly isFile: boolean;
}

export interface WorkspaceReader {
  readFile(absPath: string): Promise<Uint8Array>;
  /** Undefined when nothing is there. */
  stat(absPath: string): Promise<FileStat | undefined>;
  readDirectory(absPath: string): Promise<DirEntry[]>;
  /** Where a path really is, links followed; lets the policy refuse links that leave the workspace. */
  realpath?(absPath: string): Promise<string>;
  /** The editor's text of an open, possibly unsaved document: it beats the disk. */
  openDocumentText?(absPath: string): string | undefined;
}

const DIRECTORY_BATCH = 512;

export class NodeWorkspaceReader implements WorkspaceReader {
  async readFile(absPath: string): Promise<Uint8Array> {
    return fs.readFile(absPath);
  }

  async stat(absPath: string): Promise<FileStat | undefined> {
    try {
      const stat = await fs.stat(absPath);
      return { size: stat.size, mtimeMs: stat.mtimeMs, isDirectory: stat.isDirectory() };
    } catch {
      return undefined;
    }
  }

  async readDirectory(absPath: string): Promise<DirEntry[]> {
    // In batches, not `readdir`: a folder of 100,000 files would be turned into entries in one blocking step.
    const entries: DirEntry[] = [];
    for await (const entry of await fs.opendir(absPath, { bufferSize: DIRECTORY_BATCH }))
      entries.push({ name: entry.name, isDirectory: entry.isDirectory(), isFile: entry.isFile() });
    return entries;
  }

  realpath(absPath: string): Promise<string> {
    return fs.realpath(absPath);
  }
}

/** A file located in a workspace folder. */
export interface FileLocation {
  readonly folder: WorkspaceFolder;
  /** POSIX, relative to the folder. */
  readonly rel: string;
  readonly abs: string;
}

export class FolderSet {
  private readonly byName = new Map<string, WorkspaceFolder>();

  constructor(readonly folders: readonly WorkspaceFolder[]) {
    for (const folder of folders) this.byName.set(folder.name, folder);
  }

  get multiRoot(): boolean {
    return this.folders.length > 1;
  }

  /** The path shown to the user and the model. */
  display(folder: WorkspaceFolder, rel: string): string {
    return this.multiRoot ? `${folder.name}/${rel}` : rel;
  }

  /** Accepts an absolute path, or a display path as `display` makes them. Undefined when outside every folder. */
  locate(path: string): FileLocation | undefined {
    if (isAbsolute(path)) {
      for (const folder of this.folders) {
        const rel = relative(folder.root, path);
        if (rel && isBelow(rel)) return { folder, rel: toPosix(rel), abs: resolve(path) };
      }
      return undefined;
    }
    const clean = toPosix(path).replace(/^\.\//, '');
    let folder = this.folders[0];
    let rel = clean;
    if (this.multiRoot) {
      const slash = clean.indexOf('/');
      const named = this.byName.get(slash < 0 ? clean : clean.slice(0, slash));
      if (!named) return undefined;
      folder = named;
      rel = slash < 0 ? '' : clean.slice(slash + 1);
    }
    if (!folder || !rel || rel.split('/').includes('..')) return undefined;
    return { folder, rel, abs: resolve(folder.root, rel) };
  }

  /** True when `abs` is one of the folders or inside one. */
  contains(abs: string): boolean {
    return this.folders.some((folder) => isBelow(relative(folder.root, abs)));
  }
}

/** True for a relative path that stays inside its base (or is the base itself). */
function isBelow(rel: string): boolean {
  return !isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`);
}

export function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}
