/**
 * The index worker's entry (bundled as dist/indexWorker.js): loads the store, then handles
 * the host's messages one at a time, in order, so a question is answered over the files
 * synced before it. The store is written after the first build and a little after changes.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { IndexState } from './indexState';
import type { FromWorker, ReadyReport, ToWorker, WorkerOptions } from './protocol';
import { readStore, writeStore } from './store';

const DEFAULT_SAVE_DELAY_MS = 2000;

class IndexWorker {
  private readonly state: IndexState;
  private queue: Promise<unknown> = Promise.resolve();
  private saveTimer: NodeJS.Timeout | undefined;
  private saved = false;

  constructor(
    private readonly options: WorkerOptions,
    private readonly post: (message: FromWorker) => void,
  ) {
    this.state = new IndexState(options.maxBytes);
  }

  async start(): Promise<ReadyReport> {
    if (!this.options.store) return { loaded: 0 };
    const loaded = await readStore(this.options.store);
    if ('ignored' in loaded) return { loaded: 0, ignored: loaded.ignored };
    this.state.restore(loaded.files);
    return { loaded: loaded.files.length };
  }

  receive(message: ToWorker): void {
    this.queue = this.queue.then(() => this.handle(message));
  }

  private async handle(message: ToWorker): Promise<void> {
    try {
      switch (message.type) {
        case 'sync':
        case 'update': {
          const report =
            message.type === 'sync'
              ? await this.state.sync(message.files)
              : await this.state.update(message.changed, message.removed);
          this.post({ id: message.id, type: 'synced', report });
          if (report.read || report.removed || !this.saved) this.scheduleSave();
          return;
        }
        case 'ask':
          this.post({ id: message.id, type: 'answer', answers: this.state.answer(message.questions) });
          return;
        case 'save':
          await this.save();
          this.post({ id: message.id, type: 'saved', path: this.options.store });
          return;
      }
    } catch (error) {
      this.post({ id: message.id, type: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  }

  /** The first build is written at once (a reopened workspace needs it most); later changes a little after. */
  private scheduleSave(): void {
    if (!this.options.store) return;
    clearTimeout(this.saveTimer);
    const delay = this.saved ? (this.options.saveDelayMs ?? DEFAULT_SAVE_DELAY_MS) : 0;
    this.saveTimer = setTimeout(() => {
      this.queue = this.queue.then(() =>
        this.save().catch((error: unknown) =>
          this.post({ type: 'note', line: `context: the index store could not be written (${String(error)})` }),
        ),
      );
    }, delay);
    // A pending write never keeps the worker alive.
    this.saveTimer.unref();
  }

  private async save(): Promise<void> {
    clearTimeout(this.saveTimer);
    if (!this.options.store) return;
    await writeStore(this.options.store, this.state.stored());
    this.saved = true;
  }
}

if (parentPort) {
  const port = parentPort;
  const worker = new IndexWorker((workerData ?? {}) as WorkerOptions, (message) => port.postMessage(message));
  const ready = worker.start();
  port.on('message', (message: ToWorker) => {
    void ready.then(() => worker.receive(message));
  });
  void ready.then((report) => port.postMessage({ type: 'ready', report } satisfies FromWorker));
}
