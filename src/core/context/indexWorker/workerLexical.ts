/**
 * One workspace index's lexical answers from the index worker. The host's index decides
 * which files may be used; this hands the worker exactly those paths — all of them once,
 * then what the watcher reports and what a re-listing added or removed — and asks the
 * ranker's questions after the worker has caught up.
 */
import type { WorkspaceIndex } from '../files/workspaceIndex';
import type { LexicalAnswers, LexicalProvider, LexicalQuestions } from '../rank/lexicalSource';
import type { IndexWorkerClient } from './client';
import type { FileRef, SyncReport } from './protocol';

/** Changes are sent this long after the last one (a save touches a few files at once). */
const SEND_DELAY_MS = 50;

export class WorkerLexical implements LexicalProvider {
  /** Paths the worker was last told about. */
  private readonly sent: Set<string>;
  private readonly dirty = new Set<string>();
  private sending: Promise<void>;
  private generation: number;
  private timer: NodeJS.Timeout | undefined;
  private readonly stopListening: () => void;
  /** Question sets the worker answered (the integration test tells the worker's answers from the host's). */
  answered = 0;
  /** Settles when the worker has indexed every file of the first listing. */
  readonly built: Promise<SyncReport>;

  constructor(
    private readonly client: IndexWorkerClient,
    private readonly index: WorkspaceIndex,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    this.stopListening = index.onDidChangeFile((path) => {
      this.dirty.add(path);
      this.schedule();
    });
    this.generation = index.generation;
    const files = [...index.paths()].map((path) => this.ref(path));
    this.sent = new Set(files.map((file) => file.path));
    this.built = client.request({ type: 'sync', files });
    this.sending = this.built.then(() => undefined);
    // A worker that failed rejects every question (ranking then falls back); these two are not left unhandled.
    this.built.catch(() => undefined);
    this.sending.catch(() => undefined);
  }

  async answer(questions: LexicalQuestions, signal?: AbortSignal): Promise<LexicalAnswers> {
    try {
      await this.flush();
      signal?.throwIfAborted();
      const answers = await this.client.request({ type: 'ask', questions });
      this.answered++;
      return answers;
    } catch (error) {
      // A stopped worker was reported by the client already; anything else is said here, once (ranking detaches).
      if (!signal?.aborted && !this.client.failed) this.log(`context: the index worker failed (${String(error)})`);
      throw error;
    }
  }

  /** Sends what changed since the last send; settles when the worker has it. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.sending = this.sending.then(() => this.send());
    return this.sending;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.stopListening();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush().catch(() => undefined), SEND_DELAY_MS);
    this.timer.unref();
  }

  private async send(): Promise<void> {
    const changed = new Set(this.dirty);
    this.dirty.clear();
    const removed = new Set<string>();
    // A re-listing (an ignore file changed) adds and removes files without a watcher event for each.
    if (this.index.generation !== this.generation) {
      this.generation = this.index.generation;
      for (const path of this.index.paths()) if (!this.sent.has(path)) changed.add(path);
      for (const path of this.sent) if (!this.index.has(path)) removed.add(path);
    }
    for (const path of changed)
      if (!this.index.has(path)) {
        changed.delete(path);
        removed.add(path);
      }
    if (!changed.size && !removed.size) return;
    for (const path of changed) this.sent.add(path);
    for (const path of removed) this.sent.delete(path);
    await this.client.request({
      type: 'update',
      changed: [...changed].map((path) => this.ref(path)),
      removed: [...removed],
    });
  }

  private ref(path: string): FileRef {
    return { path, abs: (this.index.get(path) as { abs: string }).abs };
  }
}
