/**
 * Applies a call's edits to one text, all or nothing: every edit is located against the
 * same original, none may overlap another, and the result keeps the file's BOM, its
 * dominant line ending for new lines, each untouched line's own ending, and whether it
 * ends with a newline.
 */
import { diffArrays } from 'diff';
import { FileIndex } from './fileIndex';
import { locate, type Located, type Outcome, type Replacement } from './locate';
import { chooseInOrder } from './order';
import { bodyLineStart, lineAt, splitKeepingEol, toBodyOffset, toTextModel, withEol, type TextModel } from './text';
import type { Edit, EditProblem, MatchReport } from './types';

/** Whole original lines `[firstLine, endLine)` (`oldText`, exact bytes) become `newText`. */
export interface Region {
  readonly firstLine: number;
  readonly endLine: number;
  readonly oldText: string;
  readonly newText: string;
}

export interface Applied {
  readonly ok: true;
  readonly model: TextModel;
  readonly newText: string;
  readonly regions: readonly Region[];
  readonly matches: readonly MatchReport[];
}

export interface NotApplied {
  readonly ok: false;
  readonly problems: readonly EditProblem[];
}

interface Placed extends Replacement {
  readonly edit: number;
}

export function applyEdits(raw: string, edits: readonly Edit[]): Applied | NotApplied {
  const model = toTextModel(raw);
  const index = new FileIndex(model);
  const problems: EditProblem[] = [];
  const placed: Placed[] = [];
  const matches: MatchReport[] = [];
  const outcomes = placeInOrder(
    edits,
    edits.map((edit) => locate(index, edit)),
  );
  outcomes.forEach((outcome, i) => {
    if ('kind' in outcome) {
      const { alternatives: _, ...problem } = outcome;
      problems.push({ edit: i, ...problem });
      return;
    }
    for (const replacement of outcome.replacements) placed.push({ ...replacement, edit: i });
    matches.push({
      edit: i,
      strategy: outcome.strategy,
      ranges: outcome.replacements.map((r) => ({
        startLine: lineAt(model, r.start) + 1,
        endLine: lineAt(model, Math.max(r.start, r.end - 1)) + 1,
      })),
      ...(outcome.similarity !== undefined ? { similarity: outcome.similarity } : {}),
    });
  });
  if (problems.length > 0) return { ok: false, problems };
  placed.sort((a, b) => a.start - b.start || a.end - b.end);
  const overlaps = findOverlaps(model, placed);
  if (overlaps.length > 0) return { ok: false, problems: overlaps };
  const regions = finalNewline(model, toRegions(model, placed));
  return { ok: true, model, newText: assemble(model, regions), regions, matches };
}

/**
 * Blocks that match several places (identical blocks in one call, or a common block between
 * unique ones) are placed by the order of the call, each after the one before it, when that
 * order leaves exactly one place for every edit; otherwise they stay ambiguous.
 */
function placeInOrder(edits: readonly Edit[], outcomes: Outcome[]): Outcome[] {
  if (outcomes.some((outcome) => 'kind' in outcome && outcome.alternatives === undefined)) return outcomes;
  const chain = outcomes.flatMap((_, i) => (edits[i].replaceAll === true ? [] : [i]));
  const options = chain.map((i): Located[] => {
    const outcome = outcomes[i];
    return 'kind' in outcome ? outcome.alternatives!() : [outcome];
  });
  // Without replace_all a located edit has one replacement: its span is the edit's place.
  const picked = chooseInOrder(options.map((list) => list.map(({ replacements }) => replacements[0])));
  if (!picked) return outcomes;
  const placed = [...outcomes];
  chain.forEach((i, k) => (placed[i] = options[k][picked[k]]));
  return placed;
}

function findOverlaps(model: TextModel, placed: readonly Placed[]): EditProblem[] {
  const problems: EditProblem[] = [];
  const lines = (r: Placed): string =>
    `lines ${lineAt(model, r.start) + 1}-${lineAt(model, Math.max(r.start, r.end - 1)) + 1}`;
  for (let k = 1; k < placed.length; k++) {
    const [a, b] = [placed[k - 1], placed[k]];
    if (b.start < a.end) {
      problems.push({
        edit: b.edit,
        kind: 'overlap',
        detail:
          `its old_text (${lines(b)}) overlaps that of edit ${a.edit + 1} (${lines(a)}); ` +
          `combine them into one edit`,
      });
    }
  }
  return problems;
}

/** Groups replacements by the whole lines they touch; replacements sharing a line form one region. */
function toRegions(model: TextModel, placed: readonly Placed[]): Region[] {
  const groups: { first: number; end: number; items: Placed[] }[] = [];
  for (const r of placed) {
    const first = lineAt(model, r.start);
    const end = lineAt(model, Math.max(r.start, r.end - 1)) + 1;
    const last = groups[groups.length - 1];
    if (last && first < last.end) {
      last.end = Math.max(last.end, end);
      last.items.push(r);
    } else {
      groups.push({ first, end, items: [r] });
    }
  }
  const { body, facts } = model;
  return groups.map(({ first, end, items }) => {
    const from = bodyLineStart(model, first);
    const to = bodyLineStart(model, end);
    let cursor = from;
    let newText = '';
    for (const r of items) {
      newText += body.slice(cursor, toBodyOffset(model, r.start)) + withEol(r.text, facts.eol);
      cursor = toBodyOffset(model, r.end);
    }
    newText += body.slice(cursor, to);
    const oldText = body.slice(from, to);
    return {
      firstLine: first,
      endLine: end,
      oldText,
      newText: facts.mixedEol ? keepLineEndings(oldText, newText, facts.eol) : newText,
    };
  });
}

/**
 * In a file with mixed line endings, a line whose content did not change keeps its own
 * ending and a changed or new line takes the dominant one, whatever the match spanned.
 */
function keepLineEndings(oldText: string, newText: string, eol: string): string {
  const oldLines = splitKeepingEol(oldText);
  const newLines = splitKeepingEol(newText);
  const content = (line: string): string => line.replace(/\r?\n$/, '');
  const terminated = (line: string): boolean => line.endsWith('\n');
  let out = '';
  let oldIndex = 0;
  let newIndex = 0;
  for (const part of diffArrays(oldLines.map(content), newLines.map(content))) {
    if (part.removed) {
      oldIndex += part.count;
      continue;
    }
    for (let k = 0; k < part.count; k++) {
      const line = newLines[newIndex + k];
      if (part.added) out += terminated(line) ? content(line) + eol : line;
      else out += terminated(line) && terminated(oldLines[oldIndex + k]) ? oldLines[oldIndex + k] : line;
    }
    newIndex += part.count;
    if (!part.added) oldIndex += part.count;
  }
  return out;
}

/** Keeps "ends with a newline" as the original had it, whatever the edit at the end of the file did. */
function finalNewline(model: TextModel, regions: Region[]): Region[] {
  const last = regions[regions.length - 1];
  if (!last || bodyLineStart(model, last.endLine) !== model.body.length) return regions;
  // A file that ends with a newline keeps it: `locate` never leaves the text that replaces
  // its last line unterminated (whole lines are written with their newline).
  if (model.facts.finalNewline) return regions;
  const head = regions.slice(0, -1);
  if (last.newText !== '') return [...head, { ...last, newText: last.newText.replace(/\r?\n$/, '') }];
  if (last.firstLine === 0) return regions;
  // The last lines were deleted: the line before them now ends the file, without its terminator.
  const previous = head[head.length - 1];
  if (previous && previous.endLine === last.firstLine) {
    return [
      ...head.slice(0, -1),
      {
        firstLine: previous.firstLine,
        endLine: last.endLine,
        oldText: previous.oldText + last.oldText,
        newText: previous.newText.replace(/\r?\n$/, ''),
      },
    ];
  }
  const line = model.body.slice(bodyLineStart(model, last.firstLine - 1), bodyLineStart(model, last.firstLine));
  return [
    ...head,
    {
      firstLine: last.firstLine - 1,
      endLine: last.endLine,
      oldText: line + last.oldText,
      newText: line.replace(/\r?\n$/, ''),
    },
  ];
}

function assemble(model: TextModel, regions: readonly Region[]): string {
  let out = model.raw.slice(0, model.bomLength);
  let cursor = 0;
  for (const region of regions) {
    out += model.body.slice(cursor, bodyLineStart(model, region.firstLine)) + region.newText;
    cursor = bodyLineStart(model, region.endLine);
  }
  return out + model.body.slice(cursor);
}
