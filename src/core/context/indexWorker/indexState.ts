/**
 * What the index worker holds: the files the host allowed, each with the size and time it
 * had when read, and the lexical documents built from them. It reads only the paths the
 * host hands it, and re-reads a file only when it is new, changed on disk, or reported by
 * the watcher.
 */
import { readFile, stat } from 'node:fs/promises';
import { type LexicalAnswers, type LexicalQuestions, answerQuestions } from '../rank/lexicalSource';
import { LexicalDocuments, analyseFile } from '../rank/lexicalDocuments';
import type { FileRef, SyncReport } from './protocol';
import type { StoredFile } from './store';

const DEFAULT_MAX_BYTES = 1024 * 1024;
/** Files read at once: enough to keep the disk busy while another is tokenised. */
const READS_AT_ONCE = 8;

export class IndexState {
  private readonly documents = new LexicalDocuments();
  private readonly files = new Map<string, StoredFile>();
  private readonly decoder = new TextDecoder();

  constructor(private readonly maxBytes = DEFAULT_MAX_BYTES) {}

  get size(): number {
    return this.documents.size;
  }

  /** Takes the stored files as they were; `sync` checks them against the disk before they are trusted. */
  restore(files: readonly StoredFile[]): void {
    for (const file of files) this.keep(file);
  }

  stored(): IterableIterator<StoredFile> {
    return this.files.values();
  }

  /** Follows the host's whole list: drops what left it, reads what is new or changed on disk. */
  async sync(refs: readonly FileRef[]): Promise<SyncReport> {
    const started = performance.now();
    const listed = new Set(refs.map((ref) => ref.path));
    let removed = 0;
    for (const path of [...this.files.keys()])
      if (!listed.has(path)) {
        this.forget(path);
        removed++;
      }
    const counts = await this.refresh(refs, false);
    return { ...counts, removed, size: this.size, ms: performance.now() - started };
  }

  /** The watcher's report: `changed` read again whatever their time, `removed` dropped. */
  async update(changed: readonly FileRef[], removed: readonly string[]): Promise<SyncReport> {
    const started = performance.now();
    let dropped = 0;
    for (const path of removed)
      if (this.files.has(path)) {
        this.forget(path);
        dropped++;
      }
    const counts = await this.refresh(changed, true);
    return { ...counts, removed: dropped, size: this.size, ms: performance.now() - started };
  }

  answer(questions: LexicalQuestions): LexicalAnswers {
    return answerQuestions(this.documents, questions);
  }

  private async refresh(refs: readonly FileRef[], force: boolean): Promise<{ read: number; reused: number }> {
    let read = 0;
    let reused = 0;
    let next = 0;
    const worker = async () => {
      while (next < refs.length) {
        const ref = refs[next++];
        const info = await stat(ref.abs).catch(() => undefined);
        const known = this.files.get(ref.path);
        if (!info || !info.isFile()) {
          // Gone or not a file (any more): nothing to index.
          if (known) this.forget(ref.path);
          continue;
        }
        if (!force && known && known.abs === ref.abs && known.size === info.size && known.mtimeMs === info.mtimeMs) {
          reused++;
          continue;
        }
        read++;
        this.keep({ ...ref, size: info.size, mtimeMs: info.mtimeMs, analysed: await this.analyse(ref, info.size) });
      }
    };
    await Promise.all(Array.from({ length: READS_AT_ONCE }, worker));
    return { read, reused };
  }

  private async analyse(ref: FileRef, size: number): Promise<StoredFile['analysed']> {
    if (size > this.maxBytes) return undefined;
    const bytes = await readFile(ref.abs).catch(() => undefined);
    if (!bytes || bytes.subarray(0, 8192).includes(0)) return undefined;
    return analyseFile(ref.path, this.decoder.decode(bytes));
  }

  private keep(file: StoredFile): void {
    this.files.set(file.path, file);
    if (file.analysed) this.documents.set(file.path, file.analysed);
    else this.documents.delete(file.path);
  }

  private forget(path: string): void {
    this.files.delete(path);
    this.documents.delete(path);
  }
}
