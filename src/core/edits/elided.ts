/**
 * Blocks with an elided middle: the model writes the first and last lines of a region and
 * `// ... existing code ...` for the rest. Each written segment must match (loosely) in
 * order, each after the previous one, at the same relative indentation (so a closing `}`
 * is the block's own, not an inner one). A marker kept in new_text keeps the original
 * lines there; a new_text without markers replaces the whole region.
 */
import type { FileIndex } from './fileIndex';
import { levels, type IndentUnit } from './indent';
import { isBlank, isElisionMarker, leadingWhitespace, lineKey } from './normalize';
import type { LineMatch } from './replacement';

export type ElidedResult =
  | { readonly kind: 'none' }
  | { readonly kind: 'found'; readonly matches: LineMatch[] }
  | { readonly kind: 'ambiguous'; readonly starts: number[] }
  | { readonly kind: 'mismatch'; readonly detail: string };

interface Segments {
  readonly parts: string[][];
}

/** Splits at marker lines; markers at either end are dropped, blank lines next to a marker belong to the gap. */
function segment(lines: readonly string[]): Segments {
  const parts: string[][] = [[]];
  for (const line of lines) {
    if (isElisionMarker(line)) parts.push([]);
    else parts[parts.length - 1].push(line);
  }
  const trimmed = parts.map((part, i) => {
    let from = 0;
    let to = part.length;
    if (i > 0) while (from < to && isBlank(part[from])) from++;
    if (i < parts.length - 1) while (to > from && isBlank(part[to - 1])) to--;
    return part.slice(from, to);
  });
  return { parts: trimmed.filter((part, i) => part.length > 0 || (i > 0 && i < trimmed.length - 1)) };
}

export function findElided(
  index: FileIndex,
  oldLines: readonly string[],
  newLines: readonly string[],
  modelUnit: IndentUnit,
): ElidedResult {
  if (!oldLines.some(isElisionMarker)) return { kind: 'none' };
  const old = segment(oldLines).parts;
  if (old.length === 0 || old.some((part) => !part.some((line) => lineKey(line, 'loose').length >= 3))) {
    return {
      kind: 'mismatch',
      detail: 'every part of old_text between `...` markers must contain real lines from the file',
    };
  }
  const fresh = segment(newLines).parts;
  const gaps = old.length - 1;
  const newGaps = newLines.some(isElisionMarker) ? fresh.length - 1 : 0;
  if (newGaps !== 0 && newGaps !== gaps) {
    return {
      kind: 'mismatch',
      detail:
        `old_text elides ${gaps} region(s) with \`...\` but new_text has ${newGaps}; keep the same markers in ` +
        `new_text (or none, to replace the whole region)`,
    };
  }
  const keys = old.map((part) => part.map((line) => lineKey(line, 'loose')));
  const chains: number[][] = [];
  for (const head of index.findBlock('loose', keys[0])) {
    const chain = followChain(index, old, keys, head, modelUnit);
    if (chain) chains.push(chain);
  }
  if (chains.length === 0) return { kind: 'found', matches: [] };
  if (chains.length > 1) return { kind: 'ambiguous', starts: chains.map((chain) => chain[0]) };
  const chain = chains[0];
  const start = chain[0];
  const end = chain[chain.length - 1] + old[old.length - 1].length;
  const modelOld: string[] = [];
  const gapLines: string[][] = [];
  old.forEach((part, k) => {
    modelOld.push(...part);
    if (k < gaps) {
      const gap = [];
      for (let line = chain[k] + part.length; line < chain[k + 1]; line++) gap.push(index.line(line));
      gapLines.push(gap);
      modelOld.push(...gap);
    }
  });
  const modelNew =
    newGaps === 0
      ? newLines.filter((line) => !isElisionMarker(line))
      : fresh.flatMap((part, k) => (k < gaps ? [...part, ...gapLines[k]] : part));
  return { kind: 'found', matches: [{ start, end, modelOld, modelNew }] };
}

/** Start lines of each segment after `head`, the nearest at the right relative indentation. */
function followChain(
  index: FileIndex,
  parts: readonly string[][],
  keys: readonly string[][],
  head: number,
  modelUnit: IndentUnit,
): number[] | undefined {
  const fileKeys = index.keys('loose');
  const fileUnit = index.indentUnit;
  const headFile = leadingWhitespace(index.line(head));
  const headModel = leadingWhitespace(parts[0][0]);
  // Same relative indentation: in columns (the model kept the file's unit) or in levels (it used another).
  const sameShift = (fileIndent: string, modelIndent: string): boolean =>
    fileIndent.length - headFile.length === modelIndent.length - headModel.length ||
    Math.abs(
      levels(fileIndent, fileUnit) -
        levels(headFile, fileUnit) -
        (levels(modelIndent, modelUnit) - levels(headModel, modelUnit)),
    ) < 0.01;
  const chain = [head];
  let cursor = head + parts[0].length;
  for (let k = 1; k < parts.length; k++) {
    const part = keys[k];
    const modelIndent = leadingWhitespace(parts[k][0]);
    let found = -1;
    for (let line = cursor; line + part.length <= index.lineCount; line++) {
      if (fileKeys[line] !== part[0]) continue;
      if (!sameShift(leadingWhitespace(index.line(line)), modelIndent)) continue;
      let ok = true;
      for (let j = 1; j < part.length && ok; j++) ok = fileKeys[line + j] === part[j];
      if (ok) {
        found = line;
        break;
      }
    }
    if (found < 0) return undefined;
    chain.push(found);
    cursor = found + part.length;
  }
  return chain;
}
