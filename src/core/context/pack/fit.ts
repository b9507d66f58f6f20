/**
 * Fits candidates into a token cap, in rank order. Pinned items go in whole when they
 * fit, else as an outline. Retrieved files are packed for recall: the best-ranked first
 * with the most room, the next two with a third each, then breadth first: a
 * short file whole, a long one as its outline with the ranges that matter (shrinking
 * step by step: fewer ranges, shallower outline), so the cap holds many candidates;
 * then the room left turns the best-ranked outlines back into whole files. A cap larger
 * than 64K holds more files, not larger ones: past the first three, each file is held to
 * the limits of a 64K cap, past the sixteenth to less and less, and 25 % of the cap is
 * kept for making the best-ranked outlines whole (none larger than 28K); what they cannot
 * use goes on to the files held back for it. Reads run ahead of the fitting so the disk
 * and the tokenizer overlap.
 */
import type { WorkspaceIndex } from '../files/workspaceIndex';
import { type OutlineSymbol, outline } from '../rank/outline';
import type { TokenCounter } from '../tokens/tokenCounter';
import type { Candidate, ItemForm, LedgerItem, LineRange } from '../types';
import {
  type OutlineView,
  focusRanges,
  importBlock,
  mergeRanges,
  renderOutline,
  renderText,
  renderWhole,
  truncateLines,
} from './render';
import { termLines } from './termLines';

export interface FittedItem {
  readonly text: string;
  readonly tokens: number;
  readonly ledger: LedgerItem;
}

export interface FillResult {
  readonly included: FittedItem[];
  readonly dropped: LedgerItem[];
  readonly tokens: number;
}

type Loaded = { ok: true; text: string; symbols?: readonly OutlineSymbol[] } | { ok: false; reason: string };

/** The host's symbols for a file (VS Code's document symbols), when it has them. */
export type SymbolProvider = (path: string) => Promise<readonly OutlineSymbol[] | undefined>;

const READ_AHEAD = 24;
/** Below this many free tokens nothing useful fits. */
const MIN_ROOM = 24;
/** Candidates in a row that did not fit before the fill stops looking. */
const MAX_MISSES = 200;
/** The fill stops once less than this share of the cap is left: the rest would cost more reading than it brings. */
const ENOUGH = 0.005;
/** Dropped retrieved candidates listed one by one in the ledger; the rest are counted. */
const MAX_DROPPED_LISTED = 100;
/** A retrieved file at most this share of the cap goes in whole at once; a longer one starts as an outline. */
const SHORT_SHARE = 1 / 16;
/** The best-ranked few are worth most per token: whole when they take at most this share each. */
const TOP_SHARE = 1 / 3;
const TOP_COUNT = 3;
/**
 * The best-ranked file most of all: whole, or else its fullest outline, within this share. It is most often the
 * file a change needs, and a large one shown as a thin outline missed the lines that matter (retrieval benchmark).
 */
const FIRST_SHARE = 0.6;
/** Most of the cap one outline may take. */
const OUTLINE_SHARE = 1 / 10;
/** Most of the cap one retrieved file may take whole, when room is left after the outlines. */
const WHOLE_SHARE = 1 / 2;
/** Lines holding query terms shown in an outline: at least this many, more when the file may take more room. */
const TERM_LINES = 6;
/** The longest function or class shown whole around a focus line when the room allows (else a few lines around it). */
const WIDE_SYMBOL_LINES = 300;
/** Tokens of room per further term line. */
const TOKENS_PER_TERM_LINE = 300;
/**
 * Past the best-ranked few, a file's whole and outline limits are those of a cap this large: with a 256K window,
 * files of up to 14K tokens went in whole in rank order, the window held 33 files and the rest said "no room left".
 */
const BREADTH_CAP = 64_000;
/**
 * With a cap larger than BREADTH_CAP, from this many files on each further file's limits shrink with its place: those
 * of a cap of BREADTH_CAP × TAPER_FROM / place, down to a TAPER_FLOOR cap's. A file far down the ranking is less
 * likely to matter, so it gets fewer tokens, and the window holds more files (median 33 → 59 at 256K).
 */
const TAPER_FROM = 16;
const TAPER_FLOOR = 16_000;
/**
 * With a cap larger than BREADTH_CAP, the share kept from the breadth pass for making the best outlines whole; what
 * they cannot use goes on to the candidates held back for it.
 */
const DEEPEN_RESERVE = 0.25;
/**
 * Most one file may take when room left turns an outline whole (else half the cap): at 256K, a 37K-token file made
 * whole cost the room of eight more files. With this limit and 25 % kept rather than 30 %, the retrieval benchmark
 * covered 121 of 134 issues at 256K rather than 119 (111 rather than 112 at 128K); with 14K, 116.
 */
const DEEPEN_MAX = 28_000;

interface Placed {
  item: FittedItem;
  candidate: Candidate;
  text: string;
}

export class ItemFitter {
  /** Characters per token seen so far: lets a file that cannot fit be skipped without counting it. */
  private charsPerToken = 3.2;

  constructor(
    private readonly counter: TokenCounter,
    private readonly index: WorkspaceIndex,
    private readonly symbolsFor?: SymbolProvider,
  ) {}

  async fill(
    candidates: readonly Candidate[],
    cap: number,
    share: 'pinned' | 'retrieved',
    signal?: AbortSignal,
  ): Promise<FillResult> {
    const included: FittedItem[] = [];
    const dropped: LedgerItem[] = [];
    let remaining = Math.max(0, cap);
    // Only retrieved items are held to it: a pinned item's whole limit is unbounded, and the larger limit applies.
    const itemLimit = Math.max(1024, Math.floor(cap * OUTLINE_SHARE));
    const wholeLimit = share === 'pinned' ? Number.POSITIVE_INFINITY : breadthLimits(cap, 0).whole;
    const reserve = share === 'retrieved' && cap > BREADTH_CAP ? Math.floor(cap * DEEPEN_RESERVE) : 0;
    const reads = new Map<number, Promise<Loaded>>();
    const read = (i: number) => {
      for (let j = i; j < Math.min(candidates.length, i + READ_AHEAD); j++)
        if (!reads.has(j)) reads.set(j, this.load(candidates[j], share));
      const loaded = reads.get(i) as Promise<Loaded>;
      reads.delete(i);
      return loaded;
    };
    let misses = 0;
    // Why the candidates not listed one by one were left out, with how many each.
    const unlisted = new Map<string, number>();
    const minRoom = Math.max(MIN_ROOM, Math.floor(cap * ENOUGH));
    const drop = (candidate: Candidate, note: string) => {
      if (share !== 'retrieved' || dropped.length < MAX_DROPPED_LISTED)
        return void dropped.push(ledger(candidate, share, 0, false, undefined, undefined, note));
      const kind = unlistedKind(note);
      unlisted.set(kind, (unlisted.get(kind) ?? 0) + 1);
    };
    const placed: Placed[] = [];
    // Places candidates from `from` on; with a reserve, stops where only the reserve is left and says where.
    const pass = async (from: number, reserve: number): Promise<number | undefined> => {
      for (let i = from; i < candidates.length; i++) {
        const candidate = candidates[i];
        if (signal?.aborted) throw new Error('aborted');
        // The room this candidate may use: what is left, less what is kept for the best-ranked outlines.
        const room = remaining - reserve;
        if (reserve && room < minRoom) return i;
        if (room < minRoom || misses >= MAX_MISSES) {
          drop(candidate, room < minRoom ? 'no room left' : `not tried: the ${MAX_MISSES} before it did not fit`);
          continue;
        }
        const loaded = await read(i);
        if (!loaded.ok) {
          drop(candidate, loaded.reason);
          continue;
        }
        // The host is asked for symbols only when the candidate has none (see load).
        const withSymbols = loaded.symbols ? { ...candidate, symbols: loaded.symbols } : candidate;
        const top = placed.length === 0 ? FIRST_SHARE : TOP_SHARE;
        const topSlot = share === 'retrieved' && placed.length < TOP_COUNT;
        const breadth =
          share === 'retrieved' ? breadthLimits(cap, placed.length) : { whole: wholeLimit, outline: itemLimit };
        const whole = topSlot ? Math.floor(cap * top) : breadth.whole;
        const limit = Math.min(room, Math.max(topSlot ? itemLimit : breadth.outline, whole));
        const fitted = this.fit(withSymbols, loaded.text, limit, share, whole);
        if (fitted === 'minified') {
          drop(candidate, 'minified or bundled code');
          continue;
        }
        if (!fitted) {
          misses++;
          drop(candidate, `does not fit in the ${room} tokens left`);
          continue;
        }
        misses = 0;
        placed.push({ item: fitted, candidate: withSymbols, text: loaded.text });
        remaining -= fitted.tokens;
      }
      return undefined;
    };
    const held = await pass(0, reserve);
    if (share === 'retrieved') {
      const wholeCap = Math.max(wholeLimit, Math.min(cap * WHOLE_SHARE, DEEPEN_MAX));
      remaining = this.deepen(placed, remaining, wholeCap);
      // What the best-ranked outlines did not take goes on to the candidates held back for it.
      if (held !== undefined) {
        await pass(held, 0);
        remaining = this.deepen(placed, remaining, wholeCap);
      }
    }
    for (const { item } of placed) included.push(item);
    if (unlisted.size)
      dropped.push({
        key: 'more',
        title: `${[...unlisted.values()].reduce((a, b) => a + b, 0)} more candidates`,
        share,
        pinned: false,
        reasons: [],
        score: 0,
        tokens: 0,
        included: false,
        note: unlistedNote(unlisted),
      });
    return { included, dropped, tokens: cap - remaining };
  }

  /** Room left after every candidate had its place: the best-ranked outlines become whole files, in rank order. */
  private deepen(placed: Placed[], remaining: number, limit: number): number {
    for (const entry of placed) {
      if (entry.item.ledger.form !== 'outline') continue;
      const whole = renderWhole(entry.candidate.path as string, entry.candidate.reasons, entry.text);
      const tokens = this.countIfFits(whole, Math.min(limit, remaining + entry.item.tokens));
      if (tokens === undefined) continue;
      remaining -= tokens - entry.item.tokens;
      const note = 'whole: room was left once every candidate had its place';
      entry.item = {
        text: whole,
        tokens,
        ledger: ledger(entry.candidate, 'retrieved', tokens, true, 'whole', undefined, note),
      };
    }
    return remaining;
  }

  /** Current text of files, through the access policy (for re-attaching after compaction). */
  async readFiles(paths: readonly string[]): Promise<{ path: string; text: string }[]> {
    const out: { path: string; text: string }[] = [];
    for (const path of paths) {
      const result = await this.index.policy.read(path, this.index.reader);
      if (result.allowed) out.push({ path, text: result.text });
    }
    return out;
  }

  private async load(candidate: Candidate, share: 'pinned' | 'retrieved'): Promise<Loaded> {
    if (candidate.text !== undefined) return { ok: true, text: candidate.text };
    if (!candidate.path) return { ok: false, reason: 'nothing to read' };
    try {
      // Pinned files (few, and the ones the user looks at) may take the host's symbols;
      // retrieved ones use the cheap outline.
      const [result, symbols] = await Promise.all([
        this.index.policy.read(candidate.path, this.index.reader, { explicit: share === 'pinned' }),
        share === 'pinned' && this.symbolsFor && !candidate.symbols
          ? this.symbolsFor(candidate.path).catch(() => undefined)
          : undefined,
      ]);
      return result.allowed ? { ok: true, text: result.text, symbols } : { ok: false, reason: result.reason };
    } catch (error) {
      return { ok: false, reason: `could not be read: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  private fit(
    candidate: Candidate,
    text: string,
    limit: number,
    share: 'pinned' | 'retrieved',
    wholeLimit: number,
  ): FittedItem | undefined | 'minified' {
    if (candidate.text !== undefined) return this.fitText(candidate, text, limit, share);
    const path = candidate.path as string;
    // Bundled or minified code says little per token; a user who pins it gets it anyway.
    if (share === 'retrieved' && looksMinified(text)) return 'minified';
    if (!candidate.only) {
      const whole = renderWhole(path, candidate.reasons, text);
      const tokens = this.countIfFits(whole, Math.min(limit, wholeLimit));
      if (tokens !== undefined) return { text: whole, tokens, ledger: ledger(candidate, share, tokens, true, 'whole') };
    }
    const lines = text.split('\n');
    const symbols = candidate.symbols ?? outline(path, text);
    const views = candidate.only
      ? [{ symbols: [], ranges: [clampRange(candidate.only, lines.length)], lineCount: lines.length }]
      : shrinkingViews(symbols, focusLines(candidate, lines, limit), lines.length, lines);
    const form: ItemForm = candidate.only ? 'excerpt' : 'outline';
    for (const view of views) {
      const rendered = renderOutline(path, candidate.reasons, lines, view);
      const tokens = this.countIfFits(rendered, limit);
      if (tokens !== undefined) {
        const note = candidate.only ? undefined : outlineNote(limit, wholeLimit);
        return { text: rendered, tokens, ledger: ledger(candidate, share, tokens, true, form, view.ranges, note) };
      }
    }
    return undefined;
  }

  private fitText(
    candidate: Candidate,
    text: string,
    limit: number,
    share: 'pinned' | 'retrieved',
  ): FittedItem | undefined {
    let body = text;
    for (let attempt = 0; attempt < 6; attempt++) {
      const rendered = renderText(candidate.title, candidate.reasons, body);
      const tokens = this.counter.count(rendered);
      if (tokens <= limit) {
        const note = body === text ? undefined : 'cut to fit';
        return { text: rendered, tokens, ledger: ledger(candidate, share, tokens, true, 'text', undefined, note) };
      }
      const lines = body.split('\n').length;
      body = truncateLines(text, Math.floor(lines * Math.min(0.9, (limit / tokens) * 0.95)));
      if (lines <= 1) break;
    }
    return undefined;
  }

  /** The exact count when `text` fits in `limit`; undefined (often without counting) when it does not. */
  private countIfFits(text: string, limit: number): number | undefined {
    // Even at half again the densest ratio seen, it would not fit: no need to count.
    if (text.length / (this.charsPerToken * 1.5) > limit) return undefined;
    const tokens = this.counter.count(text);
    if (text.length > 2000) this.charsPerToken = Math.max(this.charsPerToken, text.length / Math.max(1, tokens));
    return tokens <= limit ? tokens : undefined;
  }
}

/** A retrieved file's whole and outline limits at its place (files placed before it), past the best-ranked few. */
function breadthLimits(cap: number, place: number): { whole: number; outline: number } {
  let limitCap = Math.min(cap, BREADTH_CAP);
  if (cap > BREADTH_CAP && place > TAPER_FROM) limitCap = Math.max(TAPER_FLOOR, (BREADTH_CAP * TAPER_FROM) / place);
  return {
    whole: Math.max(1024, Math.floor(limitCap * SHORT_SHARE)),
    outline: Math.max(1024, Math.floor(limitCap * OUTLINE_SHARE)),
  };
}

/** The candidate's own focus lines first, then the lines holding the most telling query terms. */
function focusLines(candidate: Candidate, lines: readonly string[], limit: number): number[] {
  if (!candidate.terms?.length) return [...candidate.focus];
  const max = Math.max(TERM_LINES, Math.floor(limit / TOKENS_PER_TERM_LINE));
  const extra = termLines(lines, candidate.terms, max).filter((line) => !candidate.focus.includes(line));
  return [...candidate.focus, ...extra];
}

/** A dropped candidate's note without its particulars (a path, a token count), so that like notes count together. */
function unlistedKind(note: string): string {
  if (note === 'no room left') return note;
  if (note.startsWith('does not fit')) return 'too long for the room left';
  if (note.startsWith('not tried')) return `not tried after ${MAX_MISSES} in a row did not fit`;
  return 'unreadable, refused or skipped';
}

/** One reason as it is; several as counts, the most common first ("12 no room left; 3 not found"). */
function unlistedNote(notes: ReadonlyMap<string, number>): string {
  if (notes.size === 1) return [...notes.keys()][0];
  return [...notes]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([note, count]) => `${count} ${note}`)
    .join('; ');
}

/** A pinned file's whole limit is unbounded (see fill), so it always gets the first note. */
function outlineNote(limit: number, wholeLimit: number): string {
  if (limit <= wholeLimit) return `outline: the whole file does not fit in ${limit} tokens`;
  return `outline: longer than the ${wholeLimit} tokens a file may take whole before every candidate has its place`;
}

/** Long lines on average, or one very long line: a bundle, a minified file, a data dump. */
export function looksMinified(text: string): boolean {
  if (text.length < 4096) return false;
  let lines = 1;
  let longest = 0;
  let start = 0;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) {
    longest = Math.max(longest, at - start);
    start = at + 1;
    lines++;
  }
  longest = Math.max(longest, text.length - start);
  return text.length / lines > 200 || longest > 5000;
}

/**
 * Outline views from fullest to sparest. `focus` is best first: a view with fewer ranges keeps the ranges of the
 * best focus lines (not the first ones in the file).
 */
function shrinkingViews(
  symbols: OutlineView['symbols'],
  focus: readonly number[],
  lineCount: number,
  lines: readonly string[],
): OutlineView[] {
  // The imports go with the ranges: the names in scope, and where a fix adds one.
  const header = importBlock(lines, symbols);
  const withHeader = (ranges: LineRange[]) => (header && ranges.length ? mergeRanges([header, ...ranges]) : ranges);
  const rangesOf = (keep: number) => withHeader(focusRanges(focus.slice(0, keep), symbols, lineCount));
  const all = rangesOf(focus.length);
  const base = symbols.length || all.length ? all : [{ start: 1, end: Math.min(lineCount, 60) }];
  // Fullest first: the whole functions and classes the focus lines fall in, up to a long one, where room allows.
  const wide = withHeader(focusRanges(focus, symbols, lineCount, { maxSymbolLines: WIDE_SYMBOL_LINES }));
  const views: OutlineView[] = [
    ...(wide.length && symbols.length ? [{ symbols, ranges: wide, lineCount }] : []),
    { symbols, ranges: base, lineCount },
  ];
  const fewer: LineRange[][] = [];
  for (let keep = Math.floor(focus.length / 2); keep >= 1; keep = Math.floor(keep / 2)) fewer.push(rangesOf(keep));
  for (const ranges of fewer) views.push({ symbols, ranges, lineCount });
  // The lines that matter count more than a full list of symbols: a long outline keeps its ranges with only the
  // symbols nearest them before it gives the ranges up.
  const nearViews = (ranges: LineRange[][]) => {
    for (let keep = 64; keep >= 8; keep /= 2) {
      if (symbols.length <= keep) continue;
      const near = nearest(symbols, base, keep);
      for (const shown of ranges)
        views.push({ symbols: near, ranges: shown, lineCount, omitted: symbols.length - near.length });
    }
  };
  if (base.length) nearViews([base, ...fewer]);
  if (symbols.length) {
    views.push({ symbols, ranges: [], lineCount });
    if (symbols.some((symbol) => symbol.depth > 1)) views.push({ symbols, ranges: [], lineCount, maxDepth: 1 });
    if (symbols.some((symbol) => symbol.depth > 0)) views.push({ symbols, ranges: [], lineCount, maxDepth: 0 });
  }
  // Then only the symbols nearest the ranges that matter (or the first ones).
  nearViews([[]]);
  return views;
}

/** The `keep` symbols closest to the ranges, in file order. */
function nearest(symbols: OutlineView['symbols'], ranges: readonly LineRange[], keep: number): OutlineView['symbols'] {
  const distance = (line: number) =>
    ranges.length
      ? Math.min(
          ...ranges.map((range) => (line < range.start ? range.start - line : line > range.end ? line - range.end : 0)),
        )
      : line;
  const chosen = new Set(
    [...symbols].sort((a, b) => distance(a.line) - distance(b.line) || a.line - b.line).slice(0, keep),
  );
  return symbols.filter((symbol) => chosen.has(symbol));
}

function clampRange(range: LineRange, lineCount: number): LineRange {
  const start = Math.min(Math.max(1, range.start), lineCount);
  return { start, end: Math.min(Math.max(start, range.end), lineCount) };
}

function ledger(
  candidate: Candidate,
  share: 'pinned' | 'retrieved',
  tokens: number,
  included: boolean,
  form?: ItemForm,
  ranges?: readonly LineRange[],
  note?: string,
): LedgerItem {
  return {
    key: candidate.key,
    title: candidate.title,
    path: candidate.path,
    share,
    pinned: candidate.pinned,
    reasons: candidate.reasons,
    score: candidate.score,
    form,
    ranges,
    tokens,
    included,
    note,
  };
}
