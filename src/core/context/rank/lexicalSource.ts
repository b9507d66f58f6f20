/**
 * Where ranking gets its lexical answers. In process, the `LexicalIndex` answers any
 * question. With an index worker attached to the workspace index, the scoring runs in the
 * worker: ranking names its questions up front (the request's terms, the definitions of
 * its identifiers, the files that mention a name), one round trip answers them all, and
 * the answers come back as a view with the same shape, so the ranker does not change.
 */
import type { WorkspaceIndex } from '../files/workspaceIndex';
import type { ScoredDocument } from './bm25f';
import type { Definition } from './lexicalDocuments';
import { LexicalIndex } from './lexicalIndex';
import type { LexicalDocuments } from './lexicalDocuments';

/** The part of the lexical index the ranker reads. */
export interface LexicalView {
  readonly size: number;
  readonly bm25: { idf(term: string): number; documentFrequency(term: string): number };
  search(query: ReadonlyMap<string, number>, limit?: number): ScoredDocument[];
  definitionsOf(name: string): Definition[];
  /** How many other files import `path` (tests aside); asked only of the request's hits. */
  importedBy(path: string): number;
}

export interface LexicalQuestions {
  /** The request's weighted terms, searched with `limit` hits kept. */
  readonly query: ReadonlyMap<string, number>;
  readonly limit: number;
  /** Names whose definition sites are asked (their lower case is also asked as a term). */
  readonly names: readonly string[];
  /** Single terms searched alone (the files that mention a name), `mentionLimit` hits kept each. */
  readonly mentions: readonly string[];
  readonly mentionLimit: number;
}

export interface LexicalAnswers {
  readonly size: number;
  readonly hits: readonly ScoredDocument[];
  /** Term → [document frequency, idf], for every term of the query and every name. */
  readonly terms: readonly (readonly [string, number, number])[];
  readonly definitions: readonly (readonly [string, readonly Definition[]])[];
  readonly mentions: readonly (readonly [string, readonly ScoredDocument[]])[];
  /** For each of `hits` that other files import: the path and how many do. */
  readonly importedBy: readonly (readonly [string, number])[];
}

/** Something that answers a whole set of questions at once (the index worker's client). */
export interface LexicalProvider {
  answer(questions: LexicalQuestions, signal?: AbortSignal): Promise<LexicalAnswers>;
}

/** Hits kept for the request's own terms and for each single mentioned name (what the ranker reads at most). */
export const QUESTION_LIMITS = { query: 1000, mention: 201 } as const;

const providers = new WeakMap<WorkspaceIndex, LexicalProvider>();

/** From now on, ranking over `index` asks `provider` (the host attaches its index worker). */
export function attachLexical(index: WorkspaceIndex, provider: LexicalProvider): void {
  providers.set(index, provider);
}

export function detachLexical(index: WorkspaceIndex): void {
  providers.delete(index);
}

/**
 * The lexical view ranking reads for these questions: the attached provider's answers, or the
 * in-process index when none is attached (the CLI, the benchmarks) or the provider fails.
 */
export async function lexicalFor(
  index: WorkspaceIndex,
  questions: LexicalQuestions,
  signal?: AbortSignal,
): Promise<LexicalView> {
  const provider = providers.get(index);
  if (provider) {
    try {
      return new AnsweredView(questions, await provider.answer(questions, signal));
    } catch (error) {
      if (signal?.aborted) throw error;
      // The provider said why (and stops being asked); ranking goes on in process.
      if (providers.get(index) === provider) providers.delete(index);
    }
  }
  return LexicalIndex.of(index, { signal });
}

/** The ranker's questions for a request: its terms, its identifiers, and the active file's import stem. */
export function rankingQuestions(
  query: ReadonlyMap<string, number>,
  identifiers: readonly string[],
  stem: string | undefined,
): LexicalQuestions {
  const mentions = new Set(identifiers.map((name) => name.toLowerCase()));
  if (stem) mentions.add(stem.toLowerCase());
  return {
    query,
    limit: QUESTION_LIMITS.query,
    names: identifiers,
    mentions: [...mentions],
    mentionLimit: QUESTION_LIMITS.mention,
  };
}

/** Answers `questions` from `documents` (in the worker; in process in tests). */
export function answerQuestions(documents: LexicalDocuments, questions: LexicalQuestions): LexicalAnswers {
  const { bm25 } = documents;
  const terms = new Set([...questions.query.keys(), ...questions.names.map((name) => name.toLowerCase())]);
  const definitions = questions.names.map((name) => [name, documents.definitionsOf(name)] as const);
  const mentions = questions.mentions.map(
    (term) => [term, documents.search(new Map([[term, 1]]), questions.mentionLimit)] as const,
  );
  const hits = documents.search(questions.query, questions.limit);
  return {
    size: documents.size,
    hits,
    terms: [...terms].map((term) => [term, bm25.documentFrequency(term), bm25.idf(term)] as const),
    definitions,
    mentions,
    importedBy: hits.flatMap(({ id }) => {
      const count = documents.importedBy(id);
      return count ? [[id, count] as const] : [];
    }),
  };
}

const keyOf = (query: ReadonlyMap<string, number>) => JSON.stringify([...query]);

/** The answers as the view the ranker reads; a question nobody asked is a mistake in the ranker, said loudly. */
export class AnsweredView implements LexicalView {
  readonly size: number;
  readonly bm25: LexicalView['bm25'];
  private readonly searches = new Map<string, { hits: readonly ScoredDocument[]; limit: number }>();
  private readonly definitions: Map<string, readonly Definition[]>;
  private readonly importers: Map<string, number>;
  private readonly hits: Set<string>;

  constructor(questions: LexicalQuestions, answers: LexicalAnswers) {
    this.size = answers.size;
    const terms = new Map(answers.terms.map(([term, frequency, idf]) => [term, { frequency, idf }]));
    const term = (name: string) => {
      const found = terms.get(name);
      if (!found) throw new Error(`the lexical index was not asked about "${name}"`);
      return found;
    };
    this.bm25 = { idf: (name) => term(name).idf, documentFrequency: (name) => term(name).frequency };
    this.definitions = new Map(answers.definitions.map(([name, sites]) => [name.toLowerCase(), sites]));
    for (const [mention, hits] of answers.mentions)
      this.searches.set(keyOf(new Map([[mention, 1]])), { hits, limit: questions.mentionLimit });
    this.searches.set(keyOf(questions.query), { hits: answers.hits, limit: questions.limit });
    this.importers = new Map(answers.importedBy);
    this.hits = new Set(answers.hits.map(({ id }) => id));
  }

  search(query: ReadonlyMap<string, number>, limit = Number.POSITIVE_INFINITY): ScoredDocument[] {
    const asked = this.searches.get(keyOf(query));
    // More hits than were asked for would be silently missing ones.
    if (!asked || (limit > asked.limit && asked.hits.length === asked.limit))
      throw new Error('the lexical index was not asked this search');
    return asked.hits.slice(0, limit);
  }

  definitionsOf(name: string): Definition[] {
    const sites = this.definitions.get(name.toLowerCase());
    if (!sites) throw new Error(`the lexical index was not asked where "${name}" is defined`);
    return [...sites];
  }

  importedBy(path: string): number {
    if (!this.hits.has(path)) throw new Error(`the lexical index was not asked what imports ${path}`);
    return this.importers.get(path) ?? 0;
  }
}
