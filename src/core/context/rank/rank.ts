/**
 * Decides what may go into the prompt and in which order: pinned items first (the
 * @-mentions, the active file with the selection), then the retrieved files, fused by
 * reciprocal rank from the editor's structure (imports both ways, sibling tests,
 * diagnostics, open and recently edited files), the lexical index (BM25F over path,
 * definitions and content), the files a traceback names, the definition sites of the
 * identifiers in the request, and the files it names. Every candidate says why it is
 * there; ties break by path, so the order is deterministic.
 */
import type { WorkspaceIndex } from '../files/workspaceIndex';
import type { Candidate, ContextSignals, LedgerItem } from '../types';
import { type ListEntry, type RankedList, fuse } from './fuse';
import { PROSE_FACTOR, TEST_FACTOR, asksAboutDocs, asksAboutTests, isProse, isTest } from './prose';
import { isCodeShaped } from './codeTokens';
import { type DefinitionSite, importerEntries, importersOf, readText } from './importers';
import { importStem, resolveImports } from './imports';
import { type LexicalView, lexicalFor, rankingQuestions } from './lexicalSource';
import { ISSUE_TEMPLATE_PATH, type IssueForm, issueForm, withoutForm } from './issueTemplate';
import { type RequestTerms, requestTerms } from './request';
import { siblingTests } from './siblings';

export interface RankOptions {
  /** Unused since ranking has its own index; kept so callers need not change. */
  readonly rgPath?: string;
  readonly signal?: AbortSignal;
  /** Retrieved candidates kept (default 4000). */
  readonly maxCandidates?: number;
}

export interface Ranking {
  readonly pinned: Candidate[];
  readonly ranked: Candidate[];
  /** Mentions the policy refused, for the ledger. */
  readonly refused: LedgerItem[];
  /** The request's most telling terms, for reports. */
  readonly terms: readonly string[];
  readonly ms: number;
}

export const SCORES = {
  importedByActive: 90,
  testOfActive: 85,
  importsActive: 80,
  error: 75,
  nameMatch: 72,
  recentFirst: 70,
  openEditor: 60,
  pathMatch: 55,
  warning: 50,
  recentLast: 45,
} as const;

/** How much each signal counts in the fusion: the editor's structure is the user's own focus. */
export const WEIGHTS = {
  structure: 1.5,
  lexical: 1,
  traceback: 1.5,
  definitions: 1,
  named: 1.2,
  // Where a named definition is used: a lead, weaker than the definition itself.
  importers: 0.5,
} as const;
/** Lexical matches kept for fusion. */
const LEXICAL_LIMIT = 1000;
/** A name defined in more files than this is too common to point anywhere. */
const MAX_DEFINITION_SITES = 4;
/** A plain word in more than this share of the files is too common to point at its definition. */
const COMMON_SHARE = 0.02;
/**
 * A lexical match in a module many others import counts for more: × (1 + CENTRALITY × ln(1 + importers)), so × 1.24
 * at 10 importers, × 1.46 at 100. A fix lands more often in the code the rest is built on (sympy's `core/numbers.py`,
 * xarray's `core/variable.py`) than in a leaf that repeats the request's words. Over the retrieval benchmark's 134
 * issues, gold files in the top 20 went from 112 to 117 and in the top 60 from 122 to 129; at 0.2 the top 1 lost 5.
 */
const CENTRALITY = 0.1;
/** A match's reasons say how many files import it from this many on. */
const IMPORTERS_SAID = 10;

class Scoreboard {
  private readonly entries = new Map<string, { reasons: [string, number][]; focus: Set<number> }>();

  add(path: string, reason: string, score: number, focus: readonly number[] = []): void {
    let entry = this.entries.get(path);
    if (!entry) this.entries.set(path, (entry = { reasons: [], focus: new Set() }));
    entry.reasons.push([reason, score]);
    for (const line of focus) entry.focus.add(line);
  }

  /** Best reason counts fully, the others a quarter: several weak reasons do not beat one strong one. */
  ranked(): ListEntry[] {
    const out: [number, ListEntry][] = [];
    for (const [path, entry] of this.entries) {
      const scores = entry.reasons.map(([, score]) => score);
      const best = Math.max(...scores);
      const score = best + 0.25 * (scores.reduce((a, b) => a + b, 0) - best);
      const reasons = [...entry.reasons].sort((a, b) => b[1] - a[1]).map(([reason]) => reason);
      out.push([score, { path, reasons, focus: [...entry.focus].sort((a, b) => a - b) }]);
    }
    return out.sort((a, b) => b[0] - a[0] || a[1].path.localeCompare(b[1].path)).map(([, entry]) => entry);
  }
}

export async function rankContext(
  index: WorkspaceIndex,
  query: string,
  signals: ContextSignals,
  options: RankOptions = {},
): Promise<Ranking> {
  const started = performance.now();
  const { pinned, refused } = pinnedCandidates(index, signals);
  const board = new Scoreboard();
  const request = requestTerms(withoutForm(query, await issueFormOf(index)));
  const active = signals.activeFile
    ? (index.displayOf(signals.activeFile) ?? (index.has(signals.activeFile) ? signals.activeFile : undefined))
    : undefined;
  const [lexical, activeText] = await Promise.all([
    lexicalFor(
      index,
      rankingQuestions(request.query, request.identifiers, active && importStem(active)),
      options.signal,
    ),
    active ? readText(index, active) : Promise.resolve(undefined),
  ]);
  if (active) await addNeighbours(index, lexical, board, active, activeText);
  addEditorSignals(index, board, signals);
  const definitions = definitionEntries(lexical, request);
  const lists: RankedList[] = [
    { weight: WEIGHTS.structure, entries: board.ranked() },
    { weight: WEIGHTS.lexical, entries: lexicalEntries(lexical, request, asksAboutDocs(query), asksAboutTests(query)) },
    { weight: WEIGHTS.traceback, entries: tracebackEntries(index, request) },
    { weight: WEIGHTS.definitions, entries: definitions.map(({ entry }) => entry) },
    {
      weight: WEIGHTS.importers,
      entries: await importerEntries(
        index,
        lexical,
        definitions.map(({ site }) => site),
      ),
    },
    { weight: WEIGHTS.named, entries: namedEntries(index, request) },
  ];
  const exclude = new Set(pinned.flatMap((candidate) => (candidate.path ? [candidate.path] : [])));
  const ranked = fuse(lists, exclude).slice(0, options.maxCandidates ?? 4000);
  const terms = [...request.query]
    .map(([term, weight]) => [term, weight * lexical.bm25.idf(term)] as const)
    .filter(([term]) => lexical.bm25.documentFrequency(term) > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 24)
    .map(([term]) => term);
  return { pinned, ranked, refused, terms, ms: performance.now() - started };
}

/** The repository's issue forms (see issueTemplate.ts); none when it has no templates. */
async function issueFormOf(index: WorkspaceIndex): Promise<IssueForm> {
  const templates = [...index.paths()].filter((path) => ISSUE_TEMPLATE_PATH.test(path));
  const texts = await Promise.all(templates.map((path) => readText(index, path)));
  return issueForm(templates.flatMap((path, i) => (texts[i] === undefined ? [] : [{ path, text: texts[i] }])));
}

function lexicalEntries(
  lexical: LexicalView,
  request: RequestTerms,
  aboutDocs: boolean,
  aboutTests: boolean,
): ListEntry[] {
  const hits = lexical.search(request.query, LEXICAL_LIMIT);
  const factor = (path: string) =>
    isProse(path) ? (aboutDocs ? 1 : PROSE_FACTOR) : isTest(path) && !aboutTests ? TEST_FACTOR : 1;
  const weighed = hits
    .map((hit, order) => {
      const importers = lexical.importedBy(hit.id);
      return { hit, order, importers, score: hit.score * factor(hit.id) * (1 + CENTRALITY * Math.log1p(importers)) };
    })
    .sort((a, b) => b.score - a.score || a.order - b.order);
  return weighed.map(({ hit, importers }) => ({
    path: hit.id,
    reasons: [
      `mentions ${hit.terms
        .slice(0, 4)
        .map((term) => `"${request.spelled.get(term) ?? term}"`)
        .join(', ')}`,
      ...(importers >= IMPORTERS_SAID ? [`imported by ${importers} files`] : []),
    ],
    terms: hit.terms.slice(0, 16),
  }));
}

/** Files of the workspace a stack trace passes through, innermost frame first, with the lines. */
function tracebackEntries(index: WorkspaceIndex, request: RequestTerms): ListEntry[] {
  if (!request.frames.length) return [];
  const byPath = new Map<string, number[]>();
  for (const frame of [...request.frames].reverse()) {
    const path = locateWritten(index, frame.path);
    if (!path) continue;
    const lines = byPath.get(path) ?? [];
    lines.push(frame.line);
    byPath.set(path, lines);
  }
  return [...byPath].map(([path, lines]) => ({ path, reasons: ['in the traceback'], focus: lines }));
}

/** Where the identifiers the request writes as code are defined, rarest name first. */
function definitionEntries(lexical: LexicalView, request: RequestTerms): { entry: ListEntry; site: DefinitionSite }[] {
  const found: [number, { entry: ListEntry; site: DefinitionSite }][] = [];
  for (const name of request.identifiers) {
    const sites = lexical.definitionsOf(name);
    if (!sites.length || sites.length > MAX_DEFINITION_SITES) continue;
    // A plain word (`list`, `platform`) that many files use is not a pointer, even when it is defined somewhere.
    const common = lexical.bm25.documentFrequency(name.toLowerCase()) > lexical.size * COMMON_SHARE;
    if (common && !isCodeShaped(name)) continue;
    for (const site of sites)
      found.push([
        sites.length,
        {
          entry: { path: site.path, reasons: [`defines ${name}`], focus: site.lines },
          site: { name, path: site.path },
        },
      ]);
  }
  return found.sort((a, b) => a[0] - b[0]).map(([, definition]) => definition);
}

/** Files the request names (`models.py`, `src/app/cart.ts`). */
function namedEntries(index: WorkspaceIndex, request: RequestTerms): ListEntry[] {
  const out: ListEntry[] = [];
  for (const written of request.files) {
    const path = locateWritten(index, written);
    if (path) out.push({ path, reasons: [`named in the request ("${written}")`] });
  }
  return out;
}

/**
 * The workspace file a written path means: the same path, or the file whose path is the
 * longest suffix of it (a trace from another machine), or the only file of that name.
 */
function locateWritten(index: WorkspaceIndex, written: string): string | undefined {
  const clean = written.replace(/\\/g, '/').replace(/^\.\//, '');
  if (index.has(clean)) return clean;
  const name = clean.slice(clean.lastIndexOf('/') + 1);
  let best: string | undefined;
  let sameName: string[] = [];
  for (const path of index.paths()) {
    if (!path.endsWith(name)) continue;
    if (path === name || path.endsWith(`/${name}`)) sameName.push(path);
    if ((clean.endsWith(`/${path}`) || path.endsWith(`/${clean}`)) && (!best || path.length > best.length)) best = path;
  }
  if (best) return best;
  sameName = sameName.filter((path) => path.slice(path.lastIndexOf('/') + 1) === name);
  return sameName.length === 1 ? sameName[0] : undefined;
}

function pinnedCandidates(
  index: WorkspaceIndex,
  signals: ContextSignals,
): { pinned: Candidate[]; refused: LedgerItem[] } {
  const pinned: Candidate[] = [];
  const refused: LedgerItem[] = [];
  const seen = new Set<string>();
  const pinFile = (raw: string, reasons: string[], focus: number[], only?: { start: number; end: number }) => {
    const verdict = index.policy.check(raw, { explicit: true });
    if (!verdict.allowed) {
      refused.push({
        key: `file:${raw}`,
        title: raw,
        path: raw,
        share: 'pinned',
        pinned: true,
        reasons,
        score: 100,
        tokens: 0,
        included: false,
        note: verdict.reason,
      });
      return;
    }
    const path = index.folders.display(verdict.location.folder, verdict.location.rel);
    const key = only ? `file:${path}#${only.start}-${only.end}` : `file:${path}`;
    if (seen.has(key)) return;
    seen.add(key);
    pinned.push({ key, title: path, path, pinned: true, score: 100, reasons, focus, only });
  };
  for (const mention of signals.mentions ?? []) {
    if (mention.kind === 'text') {
      pinned.push({
        key: `text:${mention.id}`,
        title: mention.title,
        text: mention.text,
        pinned: true,
        score: 100,
        reasons: [mention.reason],
        focus: [],
      });
    } else {
      const range = mention.range;
      pinFile(
        mention.path,
        [
          range
            ? `${mention.reason ?? '@-mentioned'} (lines ${range.start}-${range.end})`
            : (mention.reason ?? '@-mentioned'),
        ],
        range ? lines(range.start, range.end) : [...(mention.focus ?? [])],
        range,
      );
    }
  }
  const selection = signals.selection;
  const selectionInActive = selection && signals.activeFile && samePath(index, selection.path, signals.activeFile);
  if (signals.activeFile) {
    const focus = selectionInActive
      ? lines(selection.range.start, selection.range.end)
      : signals.cursorLine
        ? [signals.cursorLine]
        : [];
    const reasons = [
      'active file',
      ...(selectionInActive ? [`selection (lines ${selection.range.start}-${selection.range.end})`] : []),
    ];
    pinFile(signals.activeFile, reasons, focus);
  }
  if (selection && !selectionInActive)
    pinFile(
      selection.path,
      [`selection (lines ${selection.range.start}-${selection.range.end})`],
      lines(selection.range.start, selection.range.end),
      selection.range,
    );
  return { pinned, refused };
}

async function addNeighbours(
  index: WorkspaceIndex,
  lexical: LexicalView,
  board: Scoreboard,
  active: string,
  text: string | undefined,
): Promise<void> {
  const stem = importStem(active);
  const location = index.get(active);
  if (!location) return;
  const { folder } = location;
  const exists = (rel: string) => index.has(index.folders.display(folder, rel));
  if (text !== undefined) {
    for (const rel of resolveImports(location.rel, text, exists))
      board.add(index.folders.display(folder, rel), 'imported by the active file', SCORES.importedByActive);
  }
  for (const [path, reason] of siblingTests(active, [...index.paths()])) board.add(path, reason, SCORES.testOfActive);
  if (stem.length < 3) return;
  for (const path of await importersOf(index, lexical, active, stem, 200))
    board.add(path, 'imports the active file', SCORES.importsActive);
}

function addEditorSignals(index: WorkspaceIndex, board: Scoreboard, signals: ContextSignals): void {
  const display = (path: string) => index.displayOf(path) ?? (index.has(path) ? path : undefined);
  const byFile = new Map<string, { errors: number[]; warnings: number[] }>();
  for (const diagnostic of signals.diagnostics ?? []) {
    const path = display(diagnostic.path);
    if (!path || diagnostic.severity === 'info') continue;
    let entry = byFile.get(path);
    if (!entry) byFile.set(path, (entry = { errors: [], warnings: [] }));
    (diagnostic.severity === 'error' ? entry.errors : entry.warnings).push(diagnostic.line);
  }
  for (const [path, { errors, warnings }] of byFile) {
    if (errors.length)
      board.add(path, `${errors.length} error${errors.length > 1 ? 's' : ''} in Problems`, SCORES.error, errors);
    else
      board.add(
        path,
        `${warnings.length} warning${warnings.length > 1 ? 's' : ''} in Problems`,
        SCORES.warning,
        warnings,
      );
  }
  for (const path of signals.openEditors ?? []) {
    const shown = display(path);
    if (shown) board.add(shown, 'open in the editor', SCORES.openEditor);
  }
  (signals.recentlyEdited ?? []).forEach((path, i) => {
    const shown = display(path);
    if (shown) board.add(shown, 'edited recently', Math.max(SCORES.recentLast, SCORES.recentFirst - 3 * i));
  });
}

function samePath(index: WorkspaceIndex, a: string, b: string): boolean {
  const located = (path: string) => {
    const location = index.folders.locate(path);
    return location ? index.folders.display(location.folder, location.rel) : path;
  };
  return located(a) === located(b);
}

function lines(start: number, end: number): number[] {
  const out: number[] = [];
  for (let line = start; line <= end && out.length < 200; line++) out.push(line);
  return out;
}
