/**
 * The workspace's lexical index: every file the access policy allows, read once,
 * tokenised into BM25F fields, plus where each name is defined. Built on first use in
 * slices that give the event loop back every few milliseconds, then kept fresh from
 * the file watcher through the workspace index (only changed files are read again).
 */
import { breather } from '../../util/breathe';
import type { WorkspaceIndex } from '../files/workspaceIndex';
import type { ScoredDocument } from './bm25f';
import { countTokens } from './codeTokens';
import { type Definition, LexicalDocuments, analyseFile } from './lexicalDocuments';

export { type Definition, definitions } from './lexicalDocuments';

export interface LexicalOptions {
  readonly signal?: AbortSignal;
  /** Longest stretch of work before the event loop gets a turn (default 12 ms). */
  readonly sliceMs?: number;
  /** Files larger than this are not indexed (default 1 MB): generated data, not code to read. */
  readonly maxBytes?: number;
}

const indexes = new WeakMap<WorkspaceIndex, Promise<LexicalIndex>>();
/** Characters tokenised between two chances to give the event loop back (a few milliseconds of work). */
const SLICE_CHARS = 64 * 1024;

/** `countTokens` of a long text in slices cut at line ends, with `breathe` between them. */
async function tokensInSlices(text: string, breathe: () => Promise<void>): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let start = 0; start < text.length;) {
    const cut = text.indexOf('\n', start + SLICE_CHARS);
    const end = cut < 0 ? text.length : cut + 1;
    countTokens(text.slice(start, end), counts);
    start = end;
    if (start < text.length) await breathe();
  }
  return counts;
}

export class LexicalIndex {
  private readonly documents = new LexicalDocuments();
  readonly bm25 = this.documents.bm25;
  private readonly dirty = new Set<string>();
  /** Every path read, indexed or not (binary, too large): so a file left out is not read again at each refresh. */
  private readonly known = new Set<string>();
  private readonly decoder = new TextDecoder();
  /** Time the last build or refresh took. */
  ms = 0;

  private constructor(
    private readonly index: WorkspaceIndex,
    private readonly options: LexicalOptions,
  ) {
    index.onDidChangeFile((path) => this.dirty.add(path));
  }

  /** The index of `index`'s files, built once and shared; brought up to date before it is returned. */
  static async of(index: WorkspaceIndex, options: LexicalOptions = {}): Promise<LexicalIndex> {
    let pending = indexes.get(index);
    if (!pending) {
      pending = LexicalIndex.build(index, options);
      indexes.set(index, pending);
      pending.catch(() => indexes.delete(index));
    }
    const lexical = await pending;
    await lexical.refresh(options.signal);
    return lexical;
  }

  static async build(index: WorkspaceIndex, options: LexicalOptions = {}): Promise<LexicalIndex> {
    const started = performance.now();
    const lexical = new LexicalIndex(index, options);
    await lexical.update([...index.paths()], options.signal);
    lexical.ms = performance.now() - started;
    return lexical;
  }

  get size(): number {
    return this.bm25.size;
  }

  /** Re-reads the files the watcher reported and follows additions and removals. */
  async refresh(signal?: AbortSignal): Promise<void> {
    const started = performance.now();
    const stale = new Set(this.dirty);
    this.dirty.clear();
    for (const path of this.known) if (!this.index.has(path)) stale.add(path);
    if (this.known.size !== this.index.size || stale.size)
      for (const path of this.index.paths()) if (!this.known.has(path)) stale.add(path);
    if (!stale.size) return;
    await this.update([...stale], signal);
    this.ms = performance.now() - started;
  }

  search(query: ReadonlyMap<string, number>, limit?: number): ScoredDocument[] {
    return this.documents.search(query, limit);
  }

  /** Files that define `name` (any case), with the lines. */
  definitionsOf(name: string): Definition[] {
    return this.documents.definitionsOf(name);
  }

  /** How many other files import `path` (tests aside). */
  importedBy(path: string): number {
    return this.documents.importedBy(path);
  }

  private async update(paths: readonly string[], signal?: AbortSignal): Promise<void> {
    const breathe = breather(this.options.sliceMs ?? 12);
    let next = 0;
    const worker = async () => {
      while (next < paths.length) {
        if (signal?.aborted) throw new Error('aborted');
        const path = paths[next++];
        const text = this.index.has(path) ? await this.read(path) : undefined;
        await breathe();
        const content = text === undefined ? undefined : await tokensInSlices(text, breathe);
        this.forget(path);
        if (this.index.has(path)) this.known.add(path);
        if (text !== undefined && content) this.add(path, text, content);
        await breathe();
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
  }

  private async read(path: string): Promise<string | undefined> {
    const location = this.index.get(path);
    if (!location) return undefined;
    const stat = await this.index.reader.stat(location.abs).catch(() => undefined);
    if (!stat || stat.isDirectory || stat.size > (this.options.maxBytes ?? 1024 * 1024)) return undefined;
    const bytes = await this.index.reader.readFile(location.abs).catch(() => undefined);
    if (!bytes || bytes.subarray(0, 8192).includes(0)) return undefined;
    return this.decoder.decode(bytes);
  }

  private add(path: string, text: string, content: Map<string, number>): void {
    this.documents.set(path, analyseFile(path, text, content));
  }

  private forget(path: string): void {
    this.known.delete(path);
    this.documents.delete(path);
  }
}
