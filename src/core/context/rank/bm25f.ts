/**
 * BM25F over three fields of each file: its path, the names it defines and its
 * content. An inverted index, so a query costs the postings of its terms, not a pass
 * over the workspace; documents are added, replaced and removed one at a time, so the
 * file watcher keeps it fresh. Term statistics (IDF, average lengths) are the workspace's.
 */

export const FIELDS = ['path', 'symbols', 'content'] as const;
export type Field = (typeof FIELDS)[number];

export interface FieldWeights {
  readonly weight: readonly [number, number, number];
  /** Length normalisation per field (0: none, 1: full). */
  readonly b: readonly [number, number, number];
  readonly k1: number;
}

/** A name in the path or among the definitions says more than one more mention in the body. */
export const DEFAULT_WEIGHTS: FieldWeights = { weight: [3, 2.5, 1], b: [0.3, 0.5, 0.75], k1: 1.2 };

export interface DocumentTerms {
  readonly path: ReadonlyMap<string, number>;
  readonly symbols: ReadonlyMap<string, number>;
  readonly content: ReadonlyMap<string, number>;
}

export interface ScoredDocument {
  readonly id: string;
  readonly score: number;
  /** Query terms found in the document, the most telling first. */
  readonly terms: readonly string[];
}

interface Document {
  readonly id: string;
  readonly lengths: readonly [number, number, number];
  readonly terms: readonly string[];
}

type Counts = [number, number, number];

export class Bm25fIndex {
  private readonly documents = new Map<number, Document>();
  private readonly byId = new Map<string, number>();
  private readonly postings = new Map<string, Map<number, Counts>>();
  private readonly totalLengths: [number, number, number] = [0, 0, 0];
  private nextNumber = 0;

  constructor(private readonly weights: FieldWeights = DEFAULT_WEIGHTS) {}

  get size(): number {
    return this.documents.size;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  ids(): IterableIterator<string> {
    return this.byId.keys();
  }

  /** Files containing `term` in any field. */
  documentFrequency(term: string): number {
    return this.postings.get(term)?.size ?? 0;
  }

  /** Adds the document, or replaces the one with the same id. */
  set(id: string, fields: DocumentTerms): void {
    this.delete(id);
    const number = this.nextNumber++;
    const maps = [fields.path, fields.symbols, fields.content];
    const lengths: Counts = [0, 0, 0];
    const terms = new Set<string>();
    maps.forEach((map, field) => {
      for (const [term, count] of map) {
        if (count <= 0) continue;
        lengths[field] += count;
        terms.add(term);
        let posting = this.postings.get(term);
        if (!posting) this.postings.set(term, (posting = new Map()));
        let counts = posting.get(number);
        if (!counts) posting.set(number, (counts = [0, 0, 0]));
        counts[field] += count;
      }
    });
    for (let field = 0; field < 3; field++) this.totalLengths[field] += lengths[field];
    this.documents.set(number, { id, lengths, terms: [...terms] });
    this.byId.set(id, number);
  }

  delete(id: string): boolean {
    const number = this.byId.get(id);
    if (number === undefined) return false;
    const document = this.documents.get(number) as Document;
    for (const term of document.terms) {
      // Every term of a document has its posting (set adds them).
      const posting = this.postings.get(term) as Map<number, Counts>;
      posting.delete(number);
      if (posting.size === 0) this.postings.delete(term);
    }
    for (let field = 0; field < 3; field++) this.totalLengths[field] -= document.lengths[field];
    this.documents.delete(number);
    this.byId.delete(id);
    return true;
  }

  /** Inverse document frequency (BM25's, never negative). */
  idf(term: string): number {
    const frequency = this.documentFrequency(term);
    return Math.log(1 + (this.documents.size - frequency + 0.5) / (frequency + 0.5));
  }

  /** Documents matching any query term, best first; `query` maps a term to its weight in the request. */
  search(query: ReadonlyMap<string, number>, limit = Number.POSITIVE_INFINITY): ScoredDocument[] {
    const { weight, b, k1 } = this.weights;
    const count = Math.max(1, this.documents.size);
    const averages = this.totalLengths.map((total) => Math.max(1, total / count));
    const scores = new Map<number, { score: number; terms: [string, number][] }>();
    for (const [term, queryWeight] of query) {
      const posting = this.postings.get(term);
      if (!posting || queryWeight <= 0) continue;
      const idf = this.idf(term);
      for (const [number, counts] of posting) {
        const { lengths } = this.documents.get(number) as Document;
        let tf = 0;
        for (let field = 0; field < 3; field++) {
          if (counts[field] === 0) continue;
          tf += (weight[field] * counts[field]) / (1 - b[field] + (b[field] * lengths[field]) / averages[field]);
        }
        const gain = queryWeight * idf * (tf / (k1 + tf));
        let entry = scores.get(number);
        if (!entry) scores.set(number, (entry = { score: 0, terms: [] }));
        entry.score += gain;
        entry.terms.push([term, gain]);
      }
    }
    const out: ScoredDocument[] = [];
    for (const [number, entry] of scores) {
      const terms = entry.terms.sort((x, y) => y[1] - x[1]).map(([term]) => term);
      out.push({ id: (this.documents.get(number) as Document).id, score: entry.score, terms });
    }
    out.sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
    return out.length > limit ? out.slice(0, limit) : out;
  }
}
