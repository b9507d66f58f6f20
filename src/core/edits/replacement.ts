/**
 * Turns a block found by a tolerant match into the file's new lines. Lines the model kept
 * unchanged between old_text and new_text are written back as the file has them (so a typo,
 * a lost indent or a curly quote in the model's copy never reaches the file); changed lines
 * are re-indented to the block and stripped of typography the file does not use.
 */
import { diffArrays } from 'diff';
import { inferIndentUnit, makeReindent, type IndentUnit, type LinePair } from './indent';
import { foldOnly, isBlank } from './normalize';

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

  const out: string[] = [];
  let oldIndex = 0;
  let lastEqual = -1;
  let removed: { from: number; count: number } | undefined;
  const parts = diffArrays(
    modelOld.map((line) => line.trimEnd()),
    modelNew.map((line) => line.trimEnd()),
  );
  let newIndex = 0;
  for (const part of parts) {
    if (part.removed) {
      removed = { from: oldIndex, count: part.count };
      oldIndex += part.count;
    } else if (part.added) {
      for (let k = 0; k < part.count; k++) {
        const j = removed
          ? removed.from + Math.min(k, removed.count - 1)
          : lastEqual >= 0
            ? lastEqual
            : Math.min(oldIndex, modelOld.length - 1);
        out.push(transform(modelNew[newIndex + k], j));
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

/** For each of the model's old lines: does new_text keep it unchanged (a context line)? */
export function keptLines(modelOld: readonly string[], modelNew: readonly string[]): boolean[] {
  const kept: boolean[] = [];
  for (const part of diffArrays(
    modelOld.map((line) => line.trimEnd()),
    modelNew.map((line) => line.trimEnd()),
  )) {
    if (part.added) continue;
    for (let k = 0; k < part.count; k++) kept.push(!part.removed);
  }
  return kept;
}
