/**
 * What a killed writer leaves: write-file-atomic writes `<name>.<hash>`, flushes it and renames it
 * over `<name>`; a kill in between leaves the temporary file, which nothing else removes. The hash
 * hides the writer's pid, so a leftover is told from a live writer's file (another window sharing
 * the folder) by age: one write takes milliseconds, seconds on a slow disk, so a temporary file
 * untouched for `STALE_TEMPORARY_MS` has no writer left. Younger ones are remembered and looked at
 * again on later writes, once they are old enough. A committed file never matches `isTemporary`.
 */
import type { SessionFiles } from './files';
import { nodeSessionFiles } from './nodeFiles';

export const STALE_TEMPORARY_MS = 60_000;

/** `<committed name>.<hex>`, the name write-file-atomic gives its temporary file. */
export const temporaryOf =
  (committed: RegExp) =>
  (name: string): boolean => {
    const dot = name.lastIndexOf('.');
    return dot > 0 && /^[0-9a-f]+$/.test(name.slice(dot + 1)) && committed.test(name.slice(0, dot));
  };

export class TemporarySweeper {
  /** Temporary files too young to remove yet, by name. */
  private readonly young = new Set<string>();

  constructor(
    private readonly files: Pick<SessionFiles, 'list' | 'remove' | 'modifiedAt'>,
    private readonly isTemporary: (name: string) => boolean,
    private readonly now: () => number = Date.now,
  ) {}

  /** Lists the folder: removes the stale temporary files, remembers the young ones. */
  sweep(): void {
    for (const name of this.files.list()) if (this.isTemporary(name)) this.judge(name);
  }

  /** Looks again at the young ones only, without listing the folder: cheap enough for every write. */
  sweepYoung(): void {
    for (const name of [...this.young]) this.judge(name);
  }

  private judge(name: string): void {
    try {
      // Without modification times (a key-value store) no writer can be live but this one.
      const modified = this.files.modifiedAt ? this.files.modifiedAt(name) : 0;
      if (modified !== undefined && this.now() - modified < STALE_TEMPORARY_MS) {
        this.young.add(name);
        return;
      }
      this.young.delete(name);
      // Gone already (its writer renamed it into place): nothing to remove.
      if (modified !== undefined) this.files.remove(name);
    } catch {
      // Not ours to stat or remove (permissions): left where it is; it harms nothing but space.
      this.young.delete(name);
    }
  }
}

/** The checkpoint store's folder (`<storage>/checkpoints`, one `<id>.json` per checkpoint), swept at start. */
export function checkpointSweeper(folder: string): TemporarySweeper {
  const sweeper = new TemporarySweeper(nodeSessionFiles(folder), temporaryOf(/^[\w-]+\.json$/));
  sweeper.sweep();
  return sweeper;
}
