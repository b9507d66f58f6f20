/**
 * The host's side of the index worker: starts it, numbers requests and matches replies.
 * If the worker cannot start or dies, every pending and later request fails with the
 * reason, which is logged once; ranking then falls back to the host's own index.
 */
import { Worker } from 'node:worker_threads';
import type { FromWorker, ReadyReport, SyncReport, ToWorker, WorkerOptions } from './protocol';
import type { LexicalAnswers } from '../rank/lexicalSource';

type Request = ToWorker extends infer M ? (M extends { id: number } ? Omit<M, 'id'> : never) : never;
type Reply<T extends Request['type']> = T extends 'ask'
  ? LexicalAnswers
  : T extends 'save'
    ? string | undefined
    : SyncReport;

export class IndexWorkerClient {
  private readonly worker: Worker | undefined;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private nextId = 1;
  private failure: Error | undefined;
  /** Settles when the worker has loaded its store (or failed to start). */
  readonly ready: Promise<ReadyReport>;

  constructor(
    script: string,
    options: WorkerOptions,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    let settle: { resolve(report: ReadyReport): void; reject(error: Error): void } | undefined;
    this.ready = new Promise((resolve, reject) => (settle = { resolve, reject }));
    // A failed start is reported through `ready` and the requests, never as an unhandled rejection.
    this.ready.catch(() => undefined);
    try {
      this.worker = new Worker(script, { workerData: options });
    } catch (error) {
      this.fail(error, settle);
      return;
    }
    this.worker.on('message', (message: FromWorker) => {
      if (message.type === 'ready') settle?.resolve(message.report);
      else if (message.type === 'note') this.log(message.line);
      else this.settle(message);
      this.holdWhileBusy();
    });
    this.worker.on('error', (error) => this.fail(error, settle));
    this.worker.on('exit', (code) => this.fail(new Error(`the index worker stopped (exit code ${code})`), settle));
  }

  /** Why the worker is not available, once it is not. */
  get failed(): Error | undefined {
    return this.failure;
  }

  request<T extends Request['type']>(message: Extract<Request, { type: T }>): Promise<Reply<T>> {
    if (this.failure || !this.worker) return Promise.reject(this.failure ?? new Error('the index worker is stopped'));
    const id = this.nextId++;
    const worker = this.worker;
    return new Promise<Reply<T>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ ...message, id });
      this.holdWhileBusy();
    });
  }

  /** An idle worker never keeps the process alive (the CLI, tests); one with work to answer does. */
  private holdWhileBusy(): void {
    if (this.pending.size) this.worker?.ref();
    else this.worker?.unref();
  }

  async dispose(): Promise<void> {
    const worker = this.worker;
    this.fail(new Error('the index worker was stopped'), undefined, false);
    await worker?.terminate();
  }

  private settle(message: Exclude<FromWorker, { type: 'ready' | 'note' }>): void {
    const waiting = this.pending.get(message.id);
    if (!waiting) return;
    this.pending.delete(message.id);
    if (message.type === 'failed') waiting.reject(new Error(message.message));
    else if (message.type === 'synced') waiting.resolve(message.report);
    else if (message.type === 'answer') waiting.resolve(message.answers);
    else waiting.resolve(message.path);
  }

  private fail(error: unknown, settle: { reject(error: Error): void } | undefined, report = true): void {
    if (this.failure) return;
    this.failure = error instanceof Error ? error : new Error(String(error));
    if (report)
      this.log(`context: the index worker is not available (${this.failure.message}); ranking runs on the host`);
    settle?.reject(this.failure);
    for (const waiting of this.pending.values()) waiting.reject(this.failure);
    this.pending.clear();
  }
}
