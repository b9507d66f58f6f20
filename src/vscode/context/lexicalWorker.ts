/**
 * The lexical index in a worker thread, persisted in the extension's workspace storage:
 * each workspace index the host builds (under the one access decision) is handed to the
 * worker, which reads those files, keeps the index and answers the ranker. The worker
 * starts with the first index (never during activation). If it cannot start or stops,
 * the reason is logged once and ranking goes on in the extension host, as before.
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { WorkspaceIndex } from '../../core/context';
import { IndexWorkerClient } from '../../core/context/indexWorker/client';
import { WorkerLexical } from '../../core/context/indexWorker/workerLexical';
import { attachLexical, detachLexical } from '../../core/context/rank/lexicalSource';
import { DisposableStore } from '../../core/util/lifecycle';
import type { WorkspaceIndexService } from '../workspace/indexService';

/** The store's file name in the workspace's storage folder (one folder per workspace). */
export const LEXICAL_STORE = 'lexical-index.v8';

export interface LexicalWorkerOptions {
  /** The bundled worker entry (dist/indexWorker.js). */
  readonly script: string;
  /** The workspace's storage folder (`context.storageUri`); none (no folder open): nothing is persisted. */
  readonly storage: vscode.Uri | undefined;
  log(line: string): void;
}

export class LexicalWorkerService implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private client: IndexWorkerClient | undefined;
  private current: { index: WorkspaceIndex; lexical: WorkerLexical } | undefined;

  constructor(
    indexService: WorkspaceIndexService,
    private readonly options: LexicalWorkerOptions,
  ) {
    this.store.add(indexService.onDidBuild((index) => this.follow(index)));
  }

  /** The store file, when the workspace has storage. */
  get storePath(): string | undefined {
    return this.options.storage && join(this.options.storage.fsPath, LEXICAL_STORE);
  }

  /** The worker's view of the current index; settles when its first build is done. */
  get lexical(): WorkerLexical | undefined {
    return this.current?.lexical;
  }

  dispose(): void {
    this.store.dispose();
    this.unfollow();
    void this.client?.dispose();
  }

  private follow(index: WorkspaceIndex): void {
    this.unfollow();
    this.client ??= this.start();
    if (this.client.failed) return;
    const lexical = new WorkerLexical(this.client, index, this.options.log);
    this.current = { index, lexical };
    attachLexical(index, lexical);
    lexical.built.then(
      (report) =>
        this.options.log(
          `context: index worker read ${report.read} files, reused ${report.reused} from its store, ` +
            `${report.size} indexed in ${report.ms.toFixed(0)} ms`,
        ),
      () => undefined,
    );
  }

  private unfollow(): void {
    if (!this.current) return;
    detachLexical(this.current.index);
    this.current.lexical.dispose();
    this.current = undefined;
  }

  private start(): IndexWorkerClient {
    const client = new IndexWorkerClient(this.options.script, { store: this.storePath }, this.options.log);
    client.ready.then(
      (report) => {
        if (report.ignored && report.ignored !== 'no store yet')
          this.options.log(`context: index store not used (${report.ignored}); the index is built again`);
      },
      () => undefined,
    );
    return client;
  }
}
