/**
 * The few file operations session storage needs, over one flat folder. Reads are
 * synchronous because the chat engine asks for the active session synchronously (one
 * small file at a time); writes are asynchronous and atomic.
 */
import type { KeyValueStore } from './types';

export interface SessionFiles {
  /** Where the files are, for messages to the user. */
  readonly location: string;
  /** The names of the files in the folder (none when it does not exist yet). */
  list(): string[];
  /** The file's text, or undefined when there is no such file. */
  read(name: string): string | undefined;
  /** Replaces the file's text; after a crash at any moment the file holds the old text or the new one. */
  write(name: string, text: string): Promise<void>;
  rename(from: string, to: string): void;
  remove(name: string): void;
  /** When the file was last written (ms since the epoch), undefined when it is gone; absent where unknown. */
  modifiedAt?(name: string): number | undefined;
}

const FILES_KEY = 'qcoder.sessionFiles';

/**
 * Files kept as one record in a key-value store: for tests and for a host without a local
 * folder to write to. Each write replaces the whole record, so it is atomic as the store is.
 */
export function keyValueFiles(store: KeyValueStore): SessionFiles {
  const files: Record<string, string> = { ...(store.get<Record<string, string>>(FILES_KEY) ?? {}) };
  let pending: Promise<void> = Promise.resolve();
  const persist = (): Promise<void> => {
    const snapshot = { ...files };
    pending = pending.then(() => store.update(FILES_KEY, snapshot));
    return pending;
  };
  return {
    location: 'workspace state',
    list: () => Object.keys(files),
    read: (name) => files[name],
    write: (name, text) => {
      files[name] = text;
      return persist();
    },
    rename: (from, to) => {
      if (files[from] === undefined) throw new Error(`no such file: ${from}`);
      files[to] = files[from];
      delete files[from];
      void persist();
    },
    remove: (name) => {
      delete files[name];
      void persist();
    },
  };
}
