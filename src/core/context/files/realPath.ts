/**
 * Where a path really is: links followed by the operating system's `realpath`, for a file
 * that exists; for a new file, the real path of its nearest existing folder with the missing
 * names joined on. A link that leads nowhere (dangling), a loop or an error that is not
 * "no such file" is an answer of its own: the check failed, and the caller denies.
 */
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** The two file-system questions the access decision asks; tests and hosts may answer them. */
export interface PathProbe {
  /** Rejects (with `code` 'ENOENT' when nothing is there) like `fs.realpath`. */
  realpath(absPath: string): Promise<string>;
  /** Whether a directory entry exists at `absPath` itself (a link counts, even a dangling one). */
  entryExists(absPath: string): Promise<boolean>;
  /** Whether `absPath` itself is a symbolic link (false when nothing is there). */
  isSymbolicLink(absPath: string): Promise<boolean>;
}

export const nodePathProbe: PathProbe = {
  realpath: (absPath) => fs.realpath(absPath),
  entryExists: (absPath) =>
    fs.lstat(absPath).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return false;
        throw error;
      },
    ),
  isSymbolicLink: (absPath) =>
    fs.lstat(absPath).then(
      (stat) => stat.isSymbolicLink(),
      () => false,
    ),
};

export type RealLocation =
  | { readonly ok: true; readonly real: string; readonly exists: boolean }
  | { readonly ok: false; readonly reason: string };

const codeOf = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code;

/** The real location of `absPath` (absolute, normalised). */
export async function realLocation(absPath: string, probe: PathProbe = nodePathProbe): Promise<RealLocation> {
  const missing: string[] = [];
  let current = absPath;
  for (;;) {
    try {
      const real = await probe.realpath(current);
      return { ok: true, real: join(real, ...missing.reverse()), exists: missing.length === 0 };
    } catch (error) {
      const code = codeOf(error);
      if (code !== 'ENOENT') return { ok: false, reason: `it could not be checked (${code ?? String(error)})` };
    }
    let entry: boolean;
    try {
      entry = await probe.entryExists(current);
    } catch (error) {
      return { ok: false, reason: `it could not be checked (${codeOf(error) ?? String(error)})` };
    }
    if (entry) return { ok: false, reason: 'it is (or lies inside) a symbolic link that leads nowhere' };
    const parent = dirname(current);
    if (parent === current) return { ok: false, reason: 'no part of it exists on disk' };
    missing.push(basename(current));
    current = parent;
  }
}
