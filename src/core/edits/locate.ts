/**
 * Finds where one edit applies, trying each way of matching from strictest to loosest and
 * stopping at the first that finds anything: one place is a match, several are ambiguous
 * (refused, never guessed), none moves on. See `MatchStrategy` for the ladder.
 */
import { findElided } from './elided';
import type { FileIndex } from './fileIndex';
import { closestCandidates, findFuzzy, round } from './fuzzy';
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
import { buildLines, keptLines, type LineMatch } from './replacement';
import { lineAt, normalizeEol, splitLines } from './text';
import type { Candidate, Edit, EditProblem, MatchStrategy } from './types';

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

type Outcome = Located | Omit<EditProblem, 'edit'>;

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
      detail: `new_text contains \`${lazy.trim()}\`, which would be written into the file literally; write out the full new text`,
    };
  }
  return (
    locateExact(index, oldText, newText, edit.replaceAll === true) ??
    locateLines(index, oldText, newText, edit.replaceAll === true)
  );
}

function locateExact(index: FileIndex, oldText: string, newText: string, replaceAll: boolean): Outcome | undefined {
  const starts = findExact(index, oldText);
  if (starts.length === 0) return undefined;
  if (starts.length > 1 && !replaceAll)
    return ambiguous(
      index,
      starts.map((at) => lineAt(index.model, at)),
      splitLines(oldText).length,
      'exact',
    );
  // A block of whole lines replaced by text that forgot its last newline would glue two lines together.
  const text = oldText.endsWith('\n') && newText !== '' && !newText.endsWith('\n') ? `${newText}\n` : newText;
  return { strategy: 'exact', replacements: starts.map((start) => ({ start, end: start + oldText.length, text })) };
}

/**
 * Every non-overlapping occurrence of `oldText` in the normalised text. A block of three or
 * more lines has whole lines in its middle: those are looked up by line, which is much
 * cheaper than scanning the whole text once per edit.
 */
function findExact(index: FileIndex, oldText: string): number[] {
  const model = index.model;
  const text = model.normalized;
  const parts = oldText.split('\n');
  const starts: number[] = [];
  if (parts.length < 3) {
    for (let at = text.indexOf(oldText); at >= 0; at = text.indexOf(oldText, at + oldText.length)) starts.push(at);
    return starts;
  }
  let anchor = 1;
  for (let j = 2; j < parts.length - 1; j++) if (parts[j].length > parts[anchor].length) anchor = j;
  for (const line of index.positions('exact', parts[anchor])) {
    const first = line - anchor;
    if (first < 0) continue;
    const start = model.normalizedStarts[first] + model.lines[first].length - parts[0].length;
    if (
      start < model.normalizedStarts[first] ||
      (starts.length > 0 && start < starts[starts.length - 1] + oldText.length)
    )
      continue;
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
      const chosen = choose(starts, variant.old.length, replaceAll, stage.stripped ? prefixes : undefined);
      if (!chosen) return ambiguous(index, starts, variant.old.length, stage.strategy);
      const matches = chosen.map((start) => ({
        start,
        end: start + variant.old.length,
        modelOld: variant.old,
        modelNew: variant.new,
      }));
      return { strategy: stage.strategy, replacements: matches.map((match) => toReplacement(index, match)) };
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
    if (hits.length === 1) {
      const start = hits[0].start;
      // A typo is forgiven only in a line new_text keeps: that line is written back as the file has it.
      // A line the model changes must be the file's line, or we would overwrite what we never showed it.
      const kept = keptLines(last.old, last.new);
      const fileKeys = index.keys('loose');
      const changed = keys.findIndex((key, j) => !kept[j] && fileKeys[start + j] !== key);
      if (changed < 0) {
        const match = { start, end: start + last.old.length, modelOld: last.old, modelNew: last.new };
        return {
          strategy: 'fuzzy',
          similarity: round(hits[0].similarity),
          replacements: [toReplacement(index, match)],
        };
      }
      const candidate: Candidate = {
        line: start + 1,
        endLine: start + last.old.length,
        similarity: round(hits[0].similarity),
        worst: { line: start + changed + 1, expected: keys[changed], found: fileKeys[start + changed] },
      };
      return { kind: 'not_found', detail: describeNotFound([candidate]), candidates: [candidate] };
    }
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
  let text = lines.map((line) => `${line}\n`).join('');
  // The last line of a file without a final newline has no terminator to keep.
  if (atEnd && text !== '') text = text.slice(0, -1);
  return { start, end, text };
}

function ambiguous(
  index: FileIndex,
  starts: number[],
  height: number,
  strategy: MatchStrategy,
): Omit<EditProblem, 'edit'> {
  const candidates: Candidate[] = starts
    .slice(0, 10)
    .map((start) => ({ line: start + 1, endLine: Math.min(start + height, index.lineCount), similarity: 1 }));
  return { kind: 'ambiguous', detail: describeAmbiguous(candidates, strategy, starts.length), candidates };
}

const lineRange = (candidate: Candidate): string =>
  candidate.endLine > candidate.line ? `lines ${candidate.line}-${candidate.endLine}` : `line ${candidate.line}`;

function describeAmbiguous(
  candidates: readonly Candidate[],
  strategy: MatchStrategy,
  total = candidates.length,
): string {
  const places = candidates.map(lineRange).join(', ');
  return `old_text matches ${total} places (${places}${total > candidates.length ? ', …' : ''}; ${strategy} match); include more surrounding lines so it matches one place only, or set replace_all to change every one`;
}

const quote = (text: string): string => JSON.stringify(text.length > 120 ? `${text.slice(0, 117)}...` : text);

function describeNotFound(candidates: readonly Candidate[]): string {
  const tried =
    'tried exact, whitespace-, indentation- and quote-insensitive, line-number-stripped, elided and fuzzy matching';
  if (candidates.length === 0)
    return `old_text was not found in the file (${tried}); nothing in the file resembles it: check that this is the right file, and read it again`;
  const closest = candidates.map((candidate) => {
    const worst = candidate.worst
      ? `; line ${candidate.worst.line} has ${quote(candidate.worst.found)} where old_text has ${quote(candidate.worst.expected)}`
      : '';
    return `${lineRange(candidate)} (similarity ${candidate.similarity.toFixed(2)}${worst})`;
  });
  return `old_text was not found in the file (${tried}). Closest: ${closest.join('; ')}. Read those lines again and copy old_text exactly`;
}
