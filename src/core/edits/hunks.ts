/**
 * Hunks: the unit of review. Each region of changed lines is diffed (jsdiff `structuredPatch`,
 * no context) into hunks of whole lines with exact bytes, so the host can turn each into one
 * text edit, and any subset of them can be applied to the original on its own.
 */
import { structuredPatch } from 'diff';
import type { Region } from './apply';
import { bodyLineStart, splitKeepingEol, type TextModel } from './text';
import type { Hunk } from './types';

const CONTEXT_LINES = 3;

export function computeHunks(model: TextModel, regions: readonly Region[]): Hunk[] {
  const hunks: Hunk[] = [];
  let delta = 0;
  for (const region of regions) {
    const oldLines = splitKeepingEol(region.oldText);
    const newLines = splitKeepingEol(region.newText);
    const offsets = [0];
    for (const line of oldLines) offsets.push(offsets[offsets.length - 1] + line.length);
    const regionStart = model.bomLength + bodyLineStart(model, region.firstLine);
    for (const part of lineChanges(oldLines, newLines)) {
      const oldText = oldLines.slice(part.oldIndex, part.oldIndex + part.oldCount).join('');
      const oldStart = region.firstLine + part.oldIndex;
      const start = regionStart + offsets[part.oldIndex];
      hunks.push({
        id: hunks.length,
        oldStart,
        oldLineCount: part.oldCount,
        newStart: region.firstLine + delta + part.newIndex,
        newLineCount: part.newCount,
        start,
        end: start + oldText.length,
        oldText,
        newText: newLines.slice(part.newIndex, part.newIndex + part.newCount).join(''),
        before: model.body.slice(
          bodyLineStart(model, Math.max(0, oldStart - CONTEXT_LINES)),
          bodyLineStart(model, oldStart),
        ),
        after: model.body.slice(
          bodyLineStart(model, oldStart + part.oldCount),
          bodyLineStart(model, oldStart + part.oldCount + CONTEXT_LINES),
        ),
      });
    }
    delta += newLines.length - oldLines.length;
  }
  return hunks;
}

interface LineChange {
  readonly oldIndex: number;
  readonly oldCount: number;
  readonly newIndex: number;
  readonly newCount: number;
}

/**
 * The changed runs between two lists of lines (terminators included). Equal lines at both
 * ends are set aside first; a change that is then one plain insertion, deletion or one-line
 * replacement needs no diff, anything else goes through `structuredPatch`.
 */
function lineChanges(oldLines: readonly string[], newLines: readonly string[]): LineChange[] {
  let head = 0;
  while (head < oldLines.length && head < newLines.length && oldLines[head] === newLines[head]) head++;
  let tail = 0;
  while (
    tail < oldLines.length - head &&
    tail < newLines.length - head &&
    oldLines[oldLines.length - 1 - tail] === newLines[newLines.length - 1 - tail]
  )
    tail++;
  const oldCount = oldLines.length - head - tail;
  const newCount = newLines.length - head - tail;
  if (oldCount === 0 && newCount === 0) return [];
  if (oldCount === 0 || newCount === 0 || (oldCount === 1 && newCount === 1))
    return [{ oldIndex: head, oldCount, newIndex: head, newCount }];
  const patch = structuredPatch(
    'a',
    'b',
    oldLines.slice(head, head + oldCount).join(''),
    newLines.slice(head, head + newCount).join(''),
    undefined,
    undefined,
    { context: 0 },
  );
  return patch.hunks.map((part) => ({
    oldIndex: head + part.oldStart - 1,
    oldCount: part.oldLines,
    newIndex: head + part.newStart - 1,
    newCount: part.newLines,
  }));
}

/**
 * The original with only the chosen hunks applied: none gives the original back, all gives
 * the proposal's new text. Throws if a hunk does not belong to `original`.
 */
export function applyHunks(
  original: string,
  hunks: readonly Hunk[],
  accept: (hunk: Hunk) => boolean = () => true,
): string {
  const chosen = hunks.filter(accept).sort((a, b) => a.start - b.start);
  let out = '';
  let cursor = 0;
  for (const hunk of chosen) {
    if (hunk.start < cursor || original.slice(hunk.start, hunk.end) !== hunk.oldText) {
      throw new Error(`hunk ${hunk.id} does not apply to this text (it changed since the proposal; rebase first)`);
    }
    out += original.slice(cursor, hunk.start) + hunk.newText;
    cursor = hunk.end;
  }
  return out + original.slice(cursor);
}
