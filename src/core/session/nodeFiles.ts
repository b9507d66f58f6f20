/** Session files in a folder on disk: written to a temporary file, flushed (fsync) and renamed into place. */
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { SessionFiles } from './files';

export function nodeSessionFiles(folder: string): SessionFiles {
  let made = false;
  const ensureFolder = () => {
    if (made) return;
    mkdirSync(folder, { recursive: true });
    made = true;
  };
  return {
    location: folder,
    list: () => {
      try {
        return readdirSync(folder);
      } catch (error) {
        if (isMissing(error)) return [];
        throw error;
      }
    },
    read: (name) => {
      try {
        return readFileSync(join(folder, name), 'utf8');
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },
    write: async (name, text) => {
      ensureFolder();
      await writeFileAtomic(join(folder, name), text, { encoding: 'utf8', fsync: true });
      syncFolder(folder);
    },
    rename: (from, to) => {
      renameSync(join(folder, from), join(folder, to));
      syncFolder(folder);
    },
    remove: (name) => rmSync(join(folder, name), { force: true }),
    modifiedAt: (name) => statSync(join(folder, name), { throwIfNoEntry: false })?.mtimeMs,
  };
}

/** Makes the rename itself durable (power loss, not only a crash); not possible on every platform. */
function syncFolder(folder: string): void {
  let handle: number | undefined;
  try {
    handle = openSync(folder, 'r');
    fsyncSync(handle);
  } catch {
    // Windows cannot open a directory for fsync; the rename is still atomic there.
  } finally {
    if (handle !== undefined) closeSync(handle);
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
