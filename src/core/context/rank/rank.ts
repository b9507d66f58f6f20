/**
 * Decides what may go into the prompt and in which order: pinned items first (the
 * @-mentions, the active file with the selection), then, by score, the active file's
 * neighbours (imports both ways, sibling tests), files with diagnostics, open editors,
 * recently edited files, and files matching the query by name or content. Every
 * candidate says why it is there; ties break by path, so the order is deterministic.
 */
import type { WorkspaceIndex } from '../files/workspaceIndex';
import type { Candidate, ContextSignals, LedgerItem } from '../types';
import { importStem, resolveImports } from './imports';
import { type QueryTerm, queryTerms } from './query';
import { type FileHits, searchTerms } from './search';
import { siblingTests } from './siblings';

export interface RankOptions {
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
  readonly terms: readonly QueryTerm[];
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
  contentBest: 70,
  contentLeast: 20,
} as const;

class Scoreboard {
  private readonly entries = new Map<string, { reasons: [string, number][]; focus: Set<number> }>();

  add(path: string, reason: string, score: number, focus: readonly number[] = []): void {
    let entry = this.entries.get(path);
    if (!entry) this.entries.set(path, (entry = { reasons: [], focus: new Set() }));
    entry.reasons.push([reason, score]);
    for (const line of focus) entry.focus.add(line);
  }

  /** Best reason counts fully, the others a quarter: several weak reasons do not beat one strong one. */
  candidates(exclude: ReadonlySet<string>): Candidate[] {
    const out: Candidate[] = [];
    for (const [path, entry] of this.entries) {
      if (exclude.has(path)) continue;
      const scores = entry.reasons.map(([, score]) => score);
      const best = Math.max(...scores);
      const score = Math.min(100, best + 0.25 * (scores.reduce((a, b) => a + b, 0) - best));
      const reasons = [...entry.reasons].sort((a, b) => b[1] - a[1]).map(([reason]) => reason);
      out.push({
        key: `file:${path}`,
        title: path,
        path,
        pinned: false,
        score: Math.round(score * 10) / 10,
        reasons,
        focus: [...entry.focus].sort((a, b) => a - b),
      });
    }
    return out.sort((a, b) => b.score - a.score || (a.path as string).localeCompare(b.path as string));
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
  const terms = queryTerms(query);
  const active = signals.activeFile
    ? (index.displayOf(signals.activeFile) ?? (index.has(signals.activeFile) ? signals.activeFile : undefined))
    : undefined;
  const stem = active ? importStem(active) : undefined;
  const searchFor = [...terms.map((term) => term.text), ...(stem && stem.length >= 3 ? [stem] : [])];
  const [hits, activeText] = await Promise.all([
    searchTerms(index, searchFor, { rgPath: options.rgPath, signal: options.signal }),
    active ? readText(index, active) : Promise.resolve(undefined),
  ]);
  if (active) await addNeighbours(index, board, active, activeText, stem, hits);
  addEditorSignals(index, board, signals);
  addPathMatches(index, board, terms);
  addContentMatches(index, board, terms, hits);
  const exclude = new Set(pinned.flatMap((candidate) => (candidate.path ? [candidate.path] : [])));
  const ranked = board.candidates(exclude).slice(0, options.maxCandidates ?? 4000);
  return { pinned, ranked, refused, terms, ms: performance.now() - started };
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
  board: Scoreboard,
  active: string,
  text: string | undefined,
  stem: string | undefined,
  hits: Map<string, FileHits>,
): Promise<void> {
  const location = index.get(active);
  if (!location) return;
  const { folder } = location;
  const exists = (rel: string) => index.has(index.folders.display(folder, rel));
  if (text !== undefined) {
    for (const rel of resolveImports(location.rel, text, exists))
      board.add(index.folders.display(folder, rel), 'imported by the active file', SCORES.importedByActive);
  }
  for (const [path, reason] of siblingTests(active, [...index.paths()])) board.add(path, reason, SCORES.testOfActive);
  if (!stem) return;
  // Files that mention the active file's name are the only ones that can import it.
  const mentioning = [...hits.values()]
    .filter((file) => file.path !== active && file.counts.has(stem.toLowerCase()))
    .slice(0, 200);
  const texts = await Promise.all(mentioning.map((file) => readText(index, file.path)));
  mentioning.forEach((file, i) => {
    const other = index.get(file.path);
    const otherText = texts[i];
    if (!other || otherText === undefined || other.folder !== folder) return;
    if (resolveImports(other.rel, otherText, exists).includes(location.rel))
      board.add(file.path, 'imports the active file', SCORES.importsActive);
  });
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

function addPathMatches(index: WorkspaceIndex, board: Scoreboard, terms: readonly QueryTerm[]): void {
  const wanted = terms
    .filter((term) => term.weight > 1 || term.text.length >= 5)
    .map((term) => [term.text, term.text.toLowerCase(), term.weight] as const);
  if (!wanted.length) return;
  for (const path of index.paths()) {
    const lower = path.toLowerCase();
    const name = lower.slice(lower.lastIndexOf('/') + 1);
    const stem = name.replace(/\.[^.]*$/, '').replace(/\.(test|spec|d)$/, '');
    for (const [text, term, weight] of wanted) {
      // A plain word in a file name says less than an identifier does.
      const discount = (3 - weight) * 10;
      if (name === term || stem === term) board.add(path, `file name matches "${text}"`, SCORES.nameMatch - discount);
      else if (term.length >= 4 && name.includes(term))
        board.add(path, `path matches "${text}"`, SCORES.pathMatch - discount);
    }
  }
}

function addContentMatches(
  index: WorkspaceIndex,
  board: Scoreboard,
  terms: readonly QueryTerm[],
  hits: Map<string, FileHits>,
): void {
  if (!terms.length || !hits.size) return;
  const weights = new Map(terms.map((term) => [term.text.toLowerCase(), term] as const));
  const documents = new Map<string, number>();
  for (const file of hits.values())
    for (const term of file.counts.keys()) documents.set(term, (documents.get(term) ?? 0) + 1);
  const scored: [FileHits, number, string[]][] = [];
  for (const file of hits.values()) {
    let score = 0;
    const matched: string[] = [];
    for (const [term, count] of file.counts) {
      const queryTerm = weights.get(term);
      if (!queryTerm) continue;
      matched.push(queryTerm.text);
      score += queryTerm.weight * Math.log(1 + index.size / (documents.get(term) ?? 1)) * (1 + Math.log(count));
    }
    if (score > 0) scored.push([file, score, matched]);
  }
  const best = Math.max(...scored.map(([, score]) => score));
  for (const [file, score, matched] of scored) {
    const scaled = SCORES.contentLeast + (SCORES.contentBest - SCORES.contentLeast) * (score / best);
    board.add(
      file.path,
      `mentions ${matched
        .slice(0, 4)
        .map((text) => `"${text}"`)
        .join(', ')}`,
      Math.round(scaled * 10) / 10,
      file.lines,
    );
  }
}

async function readText(index: WorkspaceIndex, path: string): Promise<string | undefined> {
  const result = await index.policy.read(path, index.reader, { explicit: true });
  return result.allowed ? result.text : undefined;
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
