/**
 * The lexical index's data, apart from how files reach it: BM25F postings and the
 * definition sites of names, one document per file. The host's in-process index and the
 * index worker both keep one, so both answer a question the same way.
 */
import { Bm25fIndex, type ScoredDocument } from './bm25f';
import { countTokens, pathTokens } from './codeTokens';
import { type ImportSpec, importSpecs, probe, resolveSpec } from './imports';
import { languageFamily } from './outline';
import { isTest } from './prose';

export interface Definition {
  readonly path: string;
  /** 1-based lines where the name is defined. */
  readonly lines: readonly number[];
}

/** What one file contributes: its content tokens, the names it defines with their lines, and what it imports. */
export interface AnalysedFile {
  readonly content: ReadonlyMap<string, number>;
  readonly defined: ReadonlyMap<string, readonly number[]>;
  readonly imports: readonly ImportSpec[];
}

/** Declarations in the languages people mostly open; the name is the last group. */
const DEFINITION = new RegExp(
  [
    /^[ \t]*(?:(?:export|default|pub|public|private|protected|static|async|abstract|final|declare)\s+)*/.source +
      /(?:def|class|function\*?|interface|type|enum|struct|trait|fn|func|module|namespace|object)/.source +
      /\s+([A-Za-z_$][\w$]*)/.source,
    /^[ \t]*(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=/.source,
    /^([A-Za-z_][\w]*)\s*=[^=]/.source,
  ].join('|'),
  'gm',
);

/** Names a file defines, with their lines. */
export function definitions(text: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  let line = 1;
  let from = 0;
  for (const match of text.matchAll(DEFINITION)) {
    for (let i = from; i < match.index; i++) if (text.charCodeAt(i) === 10) line++;
    from = match.index;
    const name = match[1] ?? match[2] ?? match[3];
    const lines = out.get(name);
    if (lines) lines.push(line);
    else out.set(name, [line]);
  }
  return out;
}

/** Content tokens and definitions of one file (`content` when the caller tokenised it already). */
export function analyseFile(path: string, text: string, content?: ReadonlyMap<string, number>): AnalysedFile {
  const family = languageFamily(path);
  // Keys of configuration files and headings are not definitions a name in a request points at.
  const defined = family && family !== 'markdown' ? definitions(text) : new Map<string, number[]>();
  return { content: content ?? countTokens(text), defined, imports: importSpecs(path, text) };
}

export class LexicalDocuments {
  readonly bm25 = new Bm25fIndex();
  /** Lower-cased name → display path → lines. */
  private readonly defined = new Map<string, Map<string, readonly number[]>>();
  private readonly definedBy = new Map<string, string[]>();
  private readonly imports = new Map<string, readonly ImportSpec[]>();
  /** Path → how many other files import it; worked out when first asked after a change. */
  private importers: Map<string, number> | undefined;

  get size(): number {
    return this.bm25.size;
  }

  /** Adds the file, or replaces what it contributed before. */
  set(path: string, file: AnalysedFile): void {
    this.delete(path);
    const symbols = new Map<string, number>();
    for (const [name, lines] of file.defined) {
      countTokens(name, symbols);
      const lower = name.toLowerCase();
      let sites = this.defined.get(lower);
      if (!sites) this.defined.set(lower, (sites = new Map()));
      // `class Foo` and `def foo` in one file: both lines, not the last name's only.
      const earlier = sites.get(path);
      sites.set(path, earlier ? [...earlier, ...lines].sort((a, b) => a - b) : lines);
    }
    this.definedBy.set(
      path,
      [...file.defined.keys()].map((name) => name.toLowerCase()),
    );
    this.bm25.set(path, { path: pathTokens(path), symbols, content: file.content });
    this.imports.set(path, file.imports);
    this.importers = undefined;
  }

  delete(path: string): void {
    this.bm25.delete(path);
    for (const name of this.definedBy.get(path) ?? []) {
      const sites = this.defined.get(name);
      sites?.delete(path);
      if (sites?.size === 0) this.defined.delete(name);
    }
    this.definedBy.delete(path);
    this.imports.delete(path);
    this.importers = undefined;
  }

  search(query: ReadonlyMap<string, number>, limit?: number): ScoredDocument[] {
    return this.bm25.search(query, limit);
  }

  /** Files that define `name` (any case), with the lines. */
  definitionsOf(name: string): Definition[] {
    const found = this.defined.get(name.toLowerCase());
    return found ? [...found].map(([path, lines]) => ({ path, lines })) : [];
  }

  /** How many other files (tests aside) import `path`. */
  importedBy(path: string): number {
    this.importers ??= this.countImporters();
    return this.importers.get(path) ?? 0;
  }

  /**
   * Each file's imports resolved against the files indexed now, so a module added after its importers were read is
   * counted too. Tests import what they test, not what the code is built on, so they are not counted.
   */
  private countImporters(): Map<string, number> {
    const counts = new Map<string, number>();
    const exists = (path: string) => this.bm25.has(path);
    for (const [from, specs] of this.imports) {
      if (isTest(from)) continue;
      // In a workspace of several folders, a path from the folder's root starts with the folder's name.
      const folder = from.slice(0, from.indexOf('/') + 1);
      const find = (place: string) =>
        place.startsWith('/')
          ? (probe(from, place.slice(1), exists) ?? (folder ? probe(from, folder + place.slice(1), exists) : undefined))
          : probe(from, place, exists);
      const targets = new Set<string>();
      for (const spec of specs) {
        const target = resolveSpec(spec, find);
        if (target && target !== from) targets.add(target);
      }
      for (const target of targets) counts.set(target, (counts.get(target) ?? 0) + 1);
    }
    return counts;
  }
}
