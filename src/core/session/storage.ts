/**
 * Session files on disk: `index.json` (the list), `session-<id>.json` (one per session),
 * `deleted-<id>.json` (a deletion that can still be undone). Every write is atomic and
 * goes through one queue, so a rename or a trash never overtakes a write of the same file.
 * A file that cannot be read back is renamed `….corrupt-<time>` and reported, never deleted.
 */
import type { SessionFiles } from './files';
import { TemporarySweeper, temporaryOf } from './temporaries';
import type { ChatSession, SessionIndex } from './types';
import { type Checked, isSessionId, parseIndex, parseSession } from './validate';

export const INDEX_FILE = 'index.json';
const SESSION_FILE = /^session-([A-Za-z0-9-]+)\.json$/;
/** What write-file-atomic leaves behind when the process dies mid-write: `<name>.<hex>`. */
const isTemporary = temporaryOf(/^(?:session-[A-Za-z0-9-]+\.json|index\.json)$/);
const DELETED_FILE = /^deleted-[A-Za-z0-9-]+\.json$/;

export const sessionFile = (id: string) => `session-${id}.json`;
const deletedFile = (id: string) => `deleted-${id}.json`;
const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');

export class SessionStorage {
  /** Each file's text as last written or read: an unchanged session is not written again. */
  private readonly written = new Map<string, string>();
  private queue: Promise<void> = Promise.resolve();
  private readonly temporaries: TemporarySweeper;

  constructor(
    private readonly files: SessionFiles,
    private readonly report: (problem: string) => void,
  ) {
    this.temporaries = new TemporarySweeper(files, isTemporary);
  }

  get location(): string {
    return this.files.location;
  }

  /**
   * Removes what earlier runs left: deletions past their undo, and temporary files of writers that
   * died mid-write (a live writer's, in another window, is left alone; see temporaries.ts).
   */
  cleanUp(): void {
    for (const name of this.files.list()) if (DELETED_FILE.test(name)) this.files.remove(name);
    this.temporaries.sweep();
  }

  sessionIds(): string[] {
    return this.files
      .list()
      .map((name) => SESSION_FILE.exec(name)?.[1])
      .filter((id): id is string => id !== undefined);
  }

  /** The index, or undefined when there is none or it was unreadable (then it is set aside). */
  readIndex(): SessionIndex | undefined {
    return this.readChecked(INDEX_FILE, parseIndex, 'The session list');
  }

  /** The session, or undefined when it has no file or the file was unreadable (then it is set aside). */
  readSession(id: string): ChatSession | undefined {
    if (!isSessionId(id)) return undefined;
    return this.readChecked(sessionFile(id), parseSession, 'A chat session');
  }

  private readChecked<T>(name: string, parse: (text: string) => Checked<T>, what: string): T | undefined {
    let text: string | undefined;
    try {
      text = this.files.read(name);
    } catch (error) {
      this.report(`${what} could not be read (${name}: ${String(error)}).`);
      return undefined;
    }
    if (text === undefined) return undefined;
    const checked = parse(text);
    if (checked.ok) {
      this.written.set(name, text);
      return checked.value;
    }
    this.setAside(name, `${what} could not be loaded (${checked.problem})`);
    return undefined;
  }

  /** Renames an unreadable file out of the way, so it is kept for the user but no longer loaded. */
  private setAside(name: string, problem: string): void {
    const kept = `${name}.corrupt-${stamp()}`;
    try {
      this.files.rename(name, kept);
      this.report(`${problem}. It was kept as ${kept} in ${this.files.location}.`);
    } catch (error) {
      this.report(`${problem}, and it could not be set aside: ${String(error)}.`);
    }
  }

  /** Keeps text that is not a session (e.g. a malformed entry of the old workspace state) beside the sessions. */
  keepUnreadable(label: string, text: string, problem: string): Promise<boolean> {
    const kept = `${label}.json.corrupt-${stamp()}`;
    this.report(`${problem}. It was kept as ${kept} in ${this.files.location}.`);
    return this.enqueue(kept, text);
  }

  /** Resolves true when the text is on disk (or was already), false when writing failed (reported). */
  writeSession(session: ChatSession): Promise<boolean> {
    return this.enqueue(sessionFile(session.id), JSON.stringify(session));
  }

  writeIndex(index: SessionIndex): Promise<boolean> {
    return this.enqueue(INDEX_FILE, JSON.stringify(index));
  }

  /** Moves a session's file aside so that `restore` can bring it back. */
  trash(id: string): Promise<void | undefined> {
    return this.after(() => {
      if (this.files.read(sessionFile(id)) !== undefined) this.files.rename(sessionFile(id), deletedFile(id));
      this.written.delete(sessionFile(id));
    });
  }

  restore(id: string): Promise<boolean | undefined> {
    return this.after(() => {
      if (this.files.read(deletedFile(id)) === undefined) return false;
      this.files.rename(deletedFile(id), sessionFile(id));
      return true;
    });
  }

  /** Drops what is remembered of a session that was closed (its text can be megabytes). */
  forget(id: string): void {
    this.written.delete(sessionFile(id));
  }

  /** Resolves when every write asked for so far has finished. */
  flushed(): Promise<void> {
    return this.queue;
  }

  private enqueue(name: string, text: string): Promise<boolean> {
    if (this.written.get(name) === text) return this.queue.then(() => this.written.get(name) === text);
    this.written.set(name, text);
    return this.afterWrite(async () => {
      try {
        await this.files.write(name, text);
        this.temporaries.sweepYoung();
        return true;
      } catch (error) {
        // Not marked as written: the next save tries again.
        if (this.written.get(name) === text) this.written.delete(name);
        this.report(`QCoder could not save ${name} in ${this.files.location}: ${String(error)}`);
        return false;
      }
    });
  }

  private afterWrite(step: () => Promise<boolean>): Promise<boolean> {
    return this.after(step).then((done) => done === true);
  }

  /** Runs after every write asked for so far; a failure is reported, and resolves undefined. */
  private after<T>(step: () => T | Promise<T>): Promise<T | undefined> {
    const result = this.queue.then(step).catch((error: unknown) => {
      this.report(`QCoder could not update its session files in ${this.files.location}: ${String(error)}`);
      return undefined;
    });
    this.queue = result.then(() => undefined);
    return result;
  }
}
