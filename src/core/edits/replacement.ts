/**
 * Turns a block found by a tolerant match into the file's new lines. Lines the model kept
 * between old_text and new_text are written back as the file has them (so a
 * typo, a lost indent or a curly quote in the model's copy never reaches the file); changed
 * lines are the model's own bytes, re-indented to the block, stripped of typography the file
 * does not use, and cleared of a typo the model copied from its old line.
 */
import { diffArrays } from 'diff';
import { carryCorrection } from './correction';
import { inferIndentUnit, makeReindent, type IndentUnit, type LinePair } from './indent';
import { foldOnly, isBlank, looseKey } from './normalize';

export interface LineMatch {
  /** File lines `[start, end)` are replaced. */
  readonly start: number;
  readonly end: number;
  /** The model's lines aligned one to one with the file's lines `start..end-1`. */
  readonly modelOld: readonly string[];
  readonly modelNew: readonly string[];
}

export interface ReplacementContext {
  readonly fileLines: readonly string[];
  readonly fileUnit: IndentUnit;
  /** Typographic characters the model used that the matched file text does not. */
  readonly foldChars: ReadonlySet<string>;
}

export function buildLines(match: LineMatch, context: ReplacementContext): string[] {
  const { fileLines, fileUnit, foldChars } = context;
  const { start, modelOld, modelNew } = match;
  const fileLine = (j: number): string => fileLines[start + j];
  const pairs: LinePair[] = modelOld.map((model, j) => ({ model, file: fileLine(j) }));
  const modelUnit = inferIndentUnit([...modelOld, ...modelNew], fileUnit.tabs ? undefined : fileUnit);
  const reindent = makeReindent(pairs, modelUnit, fileUnit);
  const reference = nearestNonBlank(modelOld);
  const transform = (line: string, j: number): string => foldOnly(reindent(line, pairs[reference(j)]), foldChars);
  // A line the model changed but had mistyped in old_text: its own typo must not reach the file.
  const corrected = (line: string, j: number): string =>
    looseKey(modelOld[j]) === looseKey(fileLine(j)) ? line : carryCorrection(modelOld[j], fileLine(j), line);

  const out: string[] = [];
  let oldIndex = 0;
  let lastEqual = -1;
  let removed: { from: number; count: number } | undefined;
  const parts = diffArrays([...modelOld], [...modelNew], { comparator: sameLine });
  let newIndex = 0;
  for (const part of parts) {
    if (part.removed) {
      removed = { from: oldIndex, count: part.count };
      oldIndex += part.count;
    } else if (part.added) {
      for (let k = 0; k < part.count; k++) {
        if (removed) {
          const j = removed.from + Math.min(k, removed.count - 1);
          out.push(transform(corrected(modelNew[newIndex + k], j), j));
        } else {
          out.push(
            transform(modelNew[newIndex + k], lastEqual >= 0 ? lastEqual : Math.min(oldIndex, modelOld.length - 1)),
          );
        }
      }
      newIndex += part.count;
      removed = undefined;
    } else {
      for (let k = 0; k < part.count; k++) out.push(fileLine(oldIndex + k));
      oldIndex += part.count;
      newIndex += part.count;
      lastEqual = oldIndex - 1;
      removed = undefined;
    }
  }
  return out;
}

/** For each line index, the nearest non-blank line (backwards first): blank lines carry no indentation. */
function nearestNonBlank(lines: readonly string[]): (index: number) => number {
  return (index) => {
    for (let distance = 0; distance < lines.length; distance++) {
      if (index - distance >= 0 && !isBlank(lines[index - distance])) return index - distance;
      if (index + distance < lines.length && !isBlank(lines[index + distance])) return index + distance;
    }
    return Math.max(0, Math.min(index, lines.length - 1));
  };
}

/**
 * Whether the model kept an old line in new_text. Trailing blanks it sprinkled on its copies
 * do not count, but blanks it added to a line it had copied clean are meant (a Markdown
 * line break): that line is changed, and written as the model wrote it.
 */
function sameLine(old: string, next: string): boolean {
  if (old === next) return true;
  const trimmed = old.trimEnd();
  return trimmed !== old && trimmed === next.trimEnd();
}

/** For each of the model's old lines: does new_text keep it (a context line)? */
export function keptLines(modelOld: readonly string[], modelNew: readonly string[]): boolean[] {
  const kept: boolean[] = [];
  for (const part of diffArrays([...modelOld], [...modelNew], { comparator: sameLine })) {
    if (part.added) continue;
    for (let k = 0; k < part.count; k++) kept.push(!part.removed);
  }
  return kept;
}
