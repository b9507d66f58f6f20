/**
 * One review race: the model proposes an edit of a file, the user types in that file before
 * the edit lands, then the review lands the hunks the user accepted the way the lander does
 * (`rebase` onto the text now, `applyHunks`). The reference is computed on cells: the
 * accepted hunks replace exactly the original characters they covered, typed characters
 * stay where they were typed. An edit whose lines were typed into must be refused.
 */
import { applyHunks, diffProposal, type Hunk, rebase } from '../../src/core/edits';
import { FileChange } from '../../src/core/review/fileChange';
import { landedHunks } from '../../src/core/review/landed';
import { type Cell, cellsOf, pick, type Random, textOf, typeAt } from './raceModel';

export interface RaceResult {
  readonly outcome: 'reanchored' | 'refused';
  /** What is wrong, if anything. */
  readonly violation?: string;
}

/** Lines `[first, first + count)` rewritten, or new lines inserted before `first` (count 0). */
function intendedEdit(original: string, random: Random): string {
  const lines = original.split(/(?<=\n)/);
  const eol = original.includes('\r\n') ? '\r\n' : '\n';
  const blocks = 1 + Math.floor(random() * 3);
  for (let b = 0; b < blocks; b++) {
    const first = Math.floor(random() * lines.length);
    const count = Math.floor(random() * 3);
    const replaced = lines.slice(first, first + count).map((line) => line.replace(/(\r?\n)?$/, ` // edited ${b}$1`));
    const inserted = count === 0 || random() < 0.3 ? [`  const added${b} = ${first};${eol}`] : [];
    lines.splice(first, count, ...replaced, ...inserted);
  }
  return lines.join('');
}

/**
 * The accepted hunks applied to the typed cells, or undefined when a keystroke is inside one of
 * `all`: each hunk's text goes where its first original character is, after what was typed before it.
 */
function reference(cells: readonly Cell[], all: readonly Hunk[], accepted: readonly Hunk[]): string | undefined {
  for (const hunk of all) if (!contiguous(cells, hunk)) return undefined;
  let out = '';
  const pending = [...accepted].sort((a, b) => a.start - b.start);
  for (const cell of cells) {
    while (pending.length && cell.orig !== undefined && cell.orig >= pending[0].start) {
      out += pending.shift()!.newText;
    }
    const inside = accepted.some((hunk) => cell.orig !== undefined && cell.orig >= hunk.start && cell.orig < hunk.end);
    if (!inside) out += cell.ch;
  }
  return out + pending.map((hunk) => hunk.newText).join('');
}

/**
 * The hunk's original characters are all there, in a row, with no keystroke among them. An
 * insertion (no original characters) stays attached to the line it goes before.
 */
function contiguous(cells: readonly Cell[], hunk: Hunk): boolean {
  if (hunk.end === hunk.start) return true;
  const from = cells.findIndex((cell) => cell.orig === hunk.start);
  for (let k = 0; k < hunk.end - hunk.start; k++) if (cells[from + k]?.orig !== hunk.start + k) return false;
  return from >= 0;
}

/** Whether a keystroke landed inside the hunk's lines or the context lines `rebase` looks for. */
function disturbed(cells: readonly Cell[], length: number, hunk: Hunk): boolean {
  const from = hunk.start - hunk.before.length;
  const to = hunk.end + hunk.after.length;
  const present = new Set<number>();
  let next = 0;
  for (const cell of cells) {
    if (cell.orig !== undefined) {
      present.add(cell.orig);
      next = cell.orig + 1;
    } else if (next >= from && next < to) return true;
  }
  for (let k = from; k < Math.min(to, length); k++) if (!present.has(k)) return true;
  return false;
}

export function reviewRace(path: string, original: string, random: Random, keystrokes: number): RaceResult {
  const intended = intendedEdit(original, random);
  const proposal = diffProposal(path, original, intended);
  if (!proposal.ok) return { outcome: 'refused', violation: `the trial made no change: ${proposal.message}` };
  const location = { display: path, absolute: `/work/${path}`, relative: path };
  const file = new FileChange('f', { location, base: { text: original, fromDocument: false } }, location, intended);
  const units = file.units();
  const accepted = units.filter(() => random() < 0.7).map((unit) => unit.hunk!);
  const cells = cellsOf(original);
  let typedSoFar = 0;
  for (let k = 0; k < keystrokes; k++) {
    // Some keystrokes near a hunk (in it or its context), most anywhere in the file.
    const near = pick(random, units).hunk!.start + Math.floor((random() - 0.5) * 300);
    const at = random() < 0.25 ? Math.max(0, Math.min(cells.length, near)) : Math.floor(random() * (cells.length + 1));
    typedSoFar += typeAt(cells, at, random, typedSoFar).count;
  }
  const typed = textOf(cells);
  const expected = reference(cells, file.proposal!.hunks, accepted);
  const rebased = rebase(file.proposal!, typed);
  if (!rebased.ok) {
    if (!file.proposal!.hunks.some((hunk) => disturbed(cells, original.length, hunk)))
      return {
        outcome: 'refused',
        violation: `refused though no keystroke touched a hunk or its context: ${rebased.message}`,
      };
    if (!rebased.message.includes(path) || !/read the file again/i.test(rebased.message))
      return { outcome: 'refused', violation: `refusal without a clear message: ${rebased.message}` };
    return { outcome: 'refused' };
  }
  file.rebaseOnto({ text: typed, fromDocument: false }, rebased);
  const keys = new Set(accepted.map((hunk) => `h${hunk.id}`));
  const landing = file.units().filter((unit) => keys.has(unit.key));
  const final = applyHunks(
    typed,
    landing.map((unit) => unit.hunk!),
  );
  if (expected === undefined) return { outcome: 'reanchored', violation: 'an edit whose lines were typed into landed' };
  if (final !== expected)
    return { outcome: 'reanchored', violation: 'the re-anchored edit differs from the reference' };
  const read = landedHunks(typed, final, file.proposal!.hunks);
  if (read?.size !== landing.length) return { outcome: 'reanchored', violation: 'read-back does not find the hunks' };
  return { outcome: 'reanchored' };
}
