/**
 * Messages between the host and the index worker. The host decides which files may be
 * used (the one access decision) and hands the worker their paths; the worker reads only
 * those, keeps the lexical index, answers questions and keeps its store file.
 */
import type { LexicalAnswers, LexicalQuestions } from '../rank/lexicalSource';

/** A file the access decision allows: its display path and where to read it. */
export interface FileRef {
  readonly path: string;
  readonly abs: string;
}

/** Given to the worker when it starts (`workerData`). */
export interface WorkerOptions {
  /** The store file to load at start and keep up to date; none: nothing is persisted. */
  readonly store?: string;
  /** Files larger than this are not indexed (default 1 MB): generated data, not code to read. */
  readonly maxBytes?: number;
  /** How long after the last change the store is written again (default 2 s; the first build is written at once). */
  readonly saveDelayMs?: number;
}

export type ToWorker =
  /** Every allowed file: the index follows the list, reading only files that are new or whose size or time changed. */
  | { readonly id: number; readonly type: 'sync'; readonly files: readonly FileRef[] }
  /** Files the watcher saw change (read again whatever their time) and files no longer allowed or present. */
  | {
      readonly id: number;
      readonly type: 'update';
      readonly changed: readonly FileRef[];
      readonly removed: readonly string[];
    }
  | { readonly id: number; readonly type: 'ask'; readonly questions: LexicalQuestions }
  /** Writes the store now (tests, and the host before it stops the worker). */
  | { readonly id: number; readonly type: 'save' };

export interface SyncReport {
  /** Files read and tokenised. */
  readonly read: number;
  /** Files kept from the store or an earlier sync because their size and time had not changed. */
  readonly reused: number;
  readonly removed: number;
  /** Files in the index now (text files within the size limit). */
  readonly size: number;
  readonly ms: number;
}

export interface ReadyReport {
  /** Files loaded from the store. */
  readonly loaded: number;
  /** Why the store was not used, when there was one. */
  readonly ignored?: string;
}

export type FromWorker =
  | { readonly type: 'ready'; readonly report: ReadyReport }
  | { readonly id: number; readonly type: 'synced'; readonly report: SyncReport }
  | { readonly id: number; readonly type: 'answer'; readonly answers: LexicalAnswers }
  | { readonly id: number; readonly type: 'saved'; readonly path?: string }
  | { readonly id: number; readonly type: 'failed'; readonly message: string }
  /** Something the user's log should say (the store could not be written). */
  | { readonly type: 'note'; readonly line: string };
