/**
 * Finds where one edit applies, trying each way of matching from strictest to loosest and
 * stopping at the first that finds anything: one place is a match, several are ambiguous
 * (refused, never guessed), none moves on. See `MatchStrategy` for the ladder.
 */
import { findElided } from './elided';
import type { FileIndex } from './fileIndex';
import { closestCandidates, findFuzzy, round, type FuzzyHit } from './fuzzy';
import { inferIndentUnit } from './indent';
import {
  detectLinePrefixes,
  foldableIn,
  isBlank,
  isElisionMarker,
  isWordyElisionMarker,
  lineKey,
  type KeyLevel,
  type LinePrefixes,
} from './normalize';
import { ambiguous, describeAmbiguous, describeNotFound } from './refusals';
import { buildLines, keptLines, type LineMatch } from './replacement';
import { boundedLevenshtein } from './similarity';
import { lineAt, normalizeEol, splitLines } from './text';
import type { Candidate, Edit, EditProblem, MatchStrategy } from './types';

/** The most characters a replaced line may differ from the file's by and still be a typo. */
const TYPO_LIMIT = 2;

/** Replace `[start, end)` of the normalised text with `text` (LF line endings). */
export interface Replacement {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export interface Located {
  readonly strategy: MatchStrategy;
  readonly replacements: readonly Replacement[];
  readonly similarity?: number;
}

/** A refusal; for a block that matches several places, each of them, for the call's order to choose from. */
export interface Unlocated extends Omit<EditProblem, 'edit'> {
  readonly alternatives?: () => Located[];
}

export type Outcome = Located | Unlocated;

export function locate(index: FileIndex, edit: Edit): Outcome {
  const oldText = normalizeEol(edit.oldText);
  const newText = normalizeEol(edit.newText);
  if (oldText.trim() === '') {
    return {
      kind: 'invalid_arguments',
      detail: 'old_text is empty; to create a file or replace all of it use write_file',
    };
  }
  const lazy = splitLines(newText).find((line) => isWordyElisionMarker(line) && !oldText.includes(line.trim()));
  if (lazy !== undefined) {
    return {
      kind: 'elision_mismatch',
      detail:
        `new_text contains \`${lazy.trim()}\`, which would be written into the file ` +
        `literally; write out the full new text`,
    };
  }
  return (
    locateExact(index, oldText, newText, edit.replaceAll === true) ??
    locateLines(index, oldText, newText, edit.replaceAll === true)
  );
}

function locateExact(index: FileIndex, oldText: string, newText: string, replaceAll: boolean): Outcome | undefined {
  const starts = findExact(index, oldText, replaceAll);
  if (starts.length === 0) return undefined;
  // A block of whole lines replaced by text that forgot its last newline would glue two lines together.
  const text = oldText.endsWith('\n') && newText !== '' && !newText.endsWith('\n') ? `${newText}\n` : newText;
  const at = (start: number): Replacement => ({ start, end: start + oldText.length, text });
  if (starts.length > 1 && !replaceAll) {
    const lines = starts.map((start) => lineAt(index.model, start));
    return {
      ...ambiguous(index, lines, splitLines(oldText).length, 'exact'),
      alternatives: () => starts.map((start) => ({ strategy: 'exact', replacements: [at(start)] })),
    };
  }
  return { strategy: 'exact', replacements: starts.map(at) };
}

/**
 * Every occurrence of `oldText` in the normalised text; with `replaceAll`, only those that do
 * not overlap the one before (an overlapping one is still another place the block could mean).
 * A block of three or more lines has whole lines in its middle: those are looked up by line,
 * which is much cheaper than scanning the whole text once per edit.
 */
function findExact(index: FileIndex, oldText: string, replaceAll: boolean): number[] {
  const model = index.model;
  const text = model.normalized;
  const parts = oldText.split('\n');
  const starts: number[] = [];
  if (parts.length < 3) {
    const step = replaceAll ? oldText.length : 1;
    for (let at = text.indexOf(oldText); at >= 0; at = text.indexOf(oldText, at + step)) starts.push(at);
    return starts;
  }
  let anchor = 1;
  for (let j = 2; j < parts.length - 1; j++) if (parts[j].length > parts[anchor].length) anchor = j;
  for (const line of index.positions('exact', parts[anchor])) {
    const first = line - anchor;
    if (first < 0) continue;
    // The first part ends line `first`; a first part longer than that line fails `startsWith` at its newline.
    const start = model.normalizedStarts[first] + model.lines[first].length - parts[0].length;
    if (replaceAll && starts.length > 0 && start < starts[starts.length - 1] + oldText.length) continue;
    if (text.startsWith(oldText, start)) starts.push(start);
  }
  return starts;
}

interface Variant {
  readonly old: string[];
  readonly new: string[];
}

/** The block as written, then without blank lines the model added around it. */
function variants(oldLines: string[], newLines: string[]): Variant[] {
  let head = 0;
  let tail = oldLines.length;
  while (head < tail && isBlank(oldLines[head])) head++;
  while (tail > head && isBlank(oldLines[tail - 1])) tail--;
  const result: Variant[] = [{ old: oldLines, new: newLines }];
  if (head > 0 || tail < oldLines.length) {
    let newHead = 0;
    let newTail = newLines.length;
    while (newHead < Math.min(head, newTail) && isBlank(newLines[newHead])) newHead++;
    while (newTail > newHead && newLines.length - newTail < oldLines.length - tail && isBlank(newLines[newTail - 1]))
      newTail--;
    result.push({ old: oldLines.slice(head, tail), new: newLines.slice(newHead, newTail) });
  }
  return result;
}

const LINE_STAGES: readonly { strategy: MatchStrategy; level: KeyLevel; stripped: boolean }[] = [
  { strategy: 'whitespace', level: 'trailing', stripped: false },
  { strategy: 'indentation', level: 'indentation', stripped: false },
  { strategy: 'normalized', level: 'loose', stripped: true },
];

function locateLines(index: FileIndex, oldText: string, newText: string, replaceAll: boolean): Outcome {
  const oldLines = splitLines(oldText);
  const newLines = splitLines(newText);
  const prefixes = detectLinePrefixes(oldLines);
  const strip = (lines: string[]): string[] => (prefixes ? lines.map((line) => prefixes.strip(line)) : lines);
  const plain = variants(oldLines, newLines);
  const stripped = prefixes ? variants(strip(oldLines), strip(newLines)) : plain;
  for (const stage of LINE_STAGES) {
    for (const variant of stage.stripped ? stripped : plain) {
      const starts = index.findBlock(
        stage.level,
        variant.old.map((line) => lineKey(line, stage.level)),
      );
      if (starts.length === 0) continue;
      const at = (start: number): Replacement =>
        toReplacement(index, { start, end: start + variant.old.length, modelOld: variant.old, modelNew: variant.new });
      const chosen = choose(starts, variant.old.length, replaceAll, stage.stripped ? prefixes : undefined);
      if (!chosen) {
        return {
          ...ambiguous(index, starts, variant.old.length, stage.strategy),
          alternatives: () => starts.map((start) => ({ strategy: stage.strategy, replacements: [at(start)] })),
        };
      }
      return { strategy: stage.strategy, replacements: chosen.map(at) };
    }
  }
  const last = stripped[stripped.length - 1];
  const elided = findElided(
    index,
    last.old,
    last.new,
    inferIndentUnit([...last.old, ...last.new], index.indentUnit.tabs ? undefined : index.indentUnit),
  );
  if (elided.kind === 'mismatch') return { kind: 'elision_mismatch', detail: elided.detail };
  if (elided.kind === 'ambiguous') return ambiguous(index, elided.starts, 1, 'elided');
  if (elided.kind === 'found' && elided.matches.length > 0) {
    return { strategy: 'elided', replacements: elided.matches.map((match) => toReplacement(index, match)) };
  }
  const keys = last.old.map((line) => lineKey(line, 'loose'));
  if (!replaceAll && elided.kind === 'none') {
    const hits = findFuzzy(index, keys);
    if (hits.length > 1) {
      const candidates = hits.slice(0, 5).map((hit) => ({
        line: hit.start + 1,
        endLine: hit.start + last.old.length,
        similarity: round(hit.similarity),
      }));
      return { kind: 'ambiguous', detail: describeAmbiguous(candidates, 'fuzzy', hits.length), candidates };
    }
    if (hits.length === 1) return acceptFuzzy(index, last, keys, hits[0]);
  }
  const candidates = closestCandidates(
    index,
    keys.filter((_, j) => !isElisionMarker(last.old[j])),
  );
  return { kind: 'not_found', detail: describeNotFound(candidates), candidates };
}

/** One start, or all with replace_all, or the one the model's own line numbers point at. */
function choose(
  starts: number[],
  height: number,
  replaceAll: boolean,
  prefixes: LinePrefixes | undefined,
): number[] | undefined {
  if (starts.length === 1) return starts;
  if (replaceAll) {
    const kept: number[] = [];
    for (const start of starts) if (kept.length === 0 || start >= kept[kept.length - 1] + height) kept.push(start);
    return kept;
  }
  const pointed = prefixes ? starts.filter((start) => start === prefixes.firstNumber - 1) : [];
  return pointed.length === 1 ? pointed : undefined;
}

function toReplacement(index: FileIndex, match: LineMatch): Replacement {
  const model = index.model;
  const region = match.modelOld.join('\n');
  const fileRegion = model.lines.slice(match.start, match.end).join('\n');
  const foldChars = new Set([...foldableIn(region)].filter((char) => !fileRegion.includes(char)));
  const lines = buildLines(match, { fileLines: model.lines, fileUnit: index.indentUnit, foldChars });
  const start = model.normalizedStarts[match.start];
  const atEnd = match.end >= model.lines.length;
  const end = atEnd ? model.normalized.length : model.normalizedStarts[match.end];
  // Whole lines with their newline; at the end of a file without one, `applyEdits` drops the last.
  const text = lines.map((line) => `${line}\n`).join('');
  return { start, end, text };
}

/**
 * A unique fuzzy window is accepted when every line that differs from the file is one the
 * edit keeps (written back as the file has it) or every one is a line it replaces, each off
 * by a typo of at most `TYPO_LIMIT` characters (the replacement overwrites it anyway). Both at
 * once, or a bigger difference in a replaced line, is a copy of another version of the file.
 */
function acceptFuzzy(index: FileIndex, block: Variant, keys: readonly string[], hit: FuzzyHit): Outcome {
  const { start } = hit;
  const kept = keptLines(block.old, block.new);
  const fileKeys = index.keys('loose');
  const differing = keys.map((_, j) => j).filter((j) => fileKeys[start + j] !== keys[j]);
  const inKept = differing.filter((j) => kept[j]);
  const inReplaced = differing.filter((j) => !kept[j]);
  const typo = (j: number): boolean => boundedLevenshtein(keys[j], fileKeys[start + j], TYPO_LIMIT) <= TYPO_LIMIT;
  const blocking = inKept.length === 0 ? inReplaced.filter((j) => !typo(j)) : inReplaced;
  const similarity = round(hit.similarity);
  if (blocking.length === 0) {
    const match = { start, end: start + block.old.length, modelOld: block.old, modelNew: block.new };
    return { strategy: 'fuzzy', similarity, replacements: [toReplacement(index, match)] };
  }
  const worst = blocking[0];
  const candidate: Candidate = {
    line: start + 1,
    endLine: start + block.old.length,
    similarity,
    worst: { line: start + worst + 1, expected: keys[worst], found: fileKeys[start + worst] },
  };
  return { kind: 'not_found', detail: describeNotFound([candidate]), candidates: [candidate] };
}
