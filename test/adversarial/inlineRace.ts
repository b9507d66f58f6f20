/**
 * One inline-edit race: a rewrite of some lines streams in and is written into the document
 * rendering by rendering, as EditorSession does (core `InlineDiff`, `RegionTrack`,
 * `smallestReplacement`, `keepTyping`), while the user types above, below or inside those
 * lines. A write computed before a keystroke is refused, as the editor refuses an edit made on
 * an older version, and tried again. The reference is computed on cells: text typed outside
 * stays where it was and the lines end as decided; typed inside, the edit stops, every line
 * the user changed stays as it is and only the proposal's lines they left alone go.
 */
import { InlineDiff, keepTyping, RegionTrack, smallestReplacement, splitLines } from '../../src/core/inline';
import type { TextChange } from '../../src/core/inline';
import { type Cell, cellsOf, type Random, textOf, typeAt } from './raceModel';

export interface InlineRaceResult {
  readonly touched: boolean;
  readonly violation?: string;
}

class Simulation {
  readonly cells: Cell[];
  readonly track: RegionTrack;
  readonly diff: InlineDiff;
  /** The cells of each added line of the last rendering written. */
  addedLines: Cell[][] = [];
  typed = 0;
  userTouched = false;

  constructor(
    original: string,
    readonly first: number,
    readonly after: number,
    readonly eol: string,
    readonly random: Random,
  ) {
    this.cells = cellsOf(original);
    const start = this.indexOf(first);
    this.track = new RegionTrack(start, original.slice(first, after));
    this.diff = new InlineDiff(splitLines(original.slice(first, after)));
  }

  indexOf(orig: number): number {
    return this.cells.findIndex((cell) => cell.orig === orig);
  }

  /** The cells between the line before the range and the line after it. */
  region(): [number, number] {
    return [this.indexOf(this.first - 1) + 1, this.indexOf(this.after)];
  }

  apply(change: TextChange, cells: Cell[]): void {
    this.cells.splice(change.offset, change.length, ...cells);
    const text = textOf(this.cells);
    this.track.follow(change, (offset, length) => text.slice(offset, offset + length));
  }

  /** A keystroke above, below or (when `inside`) within the range's lines. */
  keystroke(inside: boolean): void {
    const [from, to] = this.region();
    let at: number;
    if (inside) {
      at = from + 1 + Math.floor(this.random() * Math.max(1, to - from - 1));
      this.userTouched = true;
    } else if (this.random() < 0.5) at = Math.floor(this.random() * from);
    else {
      // Below: past the end of the line after the range.
      const lineEnd = this.cells.findIndex((cell, index) => index >= to && cell.ch === '\n');
      at = lineEnd + 1 + Math.floor(this.random() * (this.cells.length - lineEnd));
    }
    const before = [...this.cells];
    const stroke = typeAt(this.cells, at, this.random, this.typed);
    this.typed += stroke.count;
    const inserted = this.cells.slice(stroke.offset, stroke.offset + stroke.text.length);
    this.cells.splice(0, this.cells.length, ...before);
    this.apply(stroke, inserted);
  }

  textOfLines(lines: readonly string[]): string {
    return lines.length === 0 ? '' : lines.join(this.eol) + this.eol;
  }

  /** Writes `text` over the range unless a keystroke slips in first (then the editor refuses it). */
  write(text: () => string, typing: number, addedSpans?: readonly { start: number; end: number }[]): boolean {
    const wanted = text();
    const { offset, length, insert } = smallestReplacement(this.track.shown, wanted);
    if (length === 0 && insert.length === 0) return true;
    const change = { offset: this.track.start + offset, length, text: insert };
    this.track.expect(change);
    if (this.random() < typing) {
      this.track.unexpect(change);
      this.keystroke(this.random() < 0.3);
      return false;
    }
    this.apply(
      change,
      [...insert].map((ch) => ({ ch })),
    );
    this.track.wrote(wanted);
    if (addedSpans) this.recordAdded(addedSpans);
    return true;
  }

  private recordAdded(spans: readonly { start: number; end: number }[]): void {
    const lines = this.lines();
    this.addedLines = spans.flatMap((span) => lines.slice(span.start, span.end));
  }

  /** The range's cells, line by line. */
  lines(): Cell[][] {
    const [from, to] = this.region();
    const lines: Cell[][] = [[]];
    for (const cell of this.cells.slice(from, to)) {
      lines.at(-1)!.push(cell);
      if (cell.ch === '\n') lines.push([]);
    }
    if (lines.at(-1)!.length === 0) lines.pop();
    return lines;
  }
}

/**
 * The model's rewrite of `lines`: some changed, one added, one dropped. It neither starts nor
 * ends with a blank line, which the answer's cleaning trims (that is not what this suite tests).
 */
function rewrite(lines: readonly string[], random: Random): string[] {
  const out = lines.map((line) => (random() < 0.4 ? `${line} // rewritten` : line));
  if (out.length > 3 && random() < 0.3) out.splice(Math.floor(random() * out.length), 1);
  out.splice(Math.floor(random() * (out.length + 1)), 0, '  const inserted = 1;');
  if (out[0].trim() === '') out.unshift('  const first = 1;');
  if (out.at(-1)!.trim() === '') out.push('  const last = 1;');
  return out;
}

export function inlineRace(original: string, random: Random): InlineRaceResult {
  const eol = original.includes('\r\n') ? '\r\n' : '\n';
  const starts = [0];
  for (let at = original.indexOf('\n'); at >= 0; at = original.indexOf('\n', at + 1)) starts.push(at + 1);
  const firstLine = 1 + Math.floor(random() * (starts.length - 12));
  const count = 3 + Math.floor(random() * 6);
  const sim = new Simulation(original, starts[firstLine], starts[firstLine + count], eol, random);
  const originalLines = splitLines(original.slice(starts[firstLine], starts[firstLine + count]));
  const answerLines = rewrite(originalLines, random);
  const answer = answerLines.join('\n') + '\n';
  const typing = 0.1 + random() * 0.3;
  const insideToo = random() < 0.5;
  for (let at = 0; at < answer.length && !sim.track.touched;) {
    const size = 1 + Math.floor(random() * 24);
    const piece = answer.slice(at, at + size);
    at += size;
    if (random() < typing) sim.keystroke(insideToo && random() < 0.3);
    if (sim.track.touched) break;
    if (!sim.diff.append(piece)) continue;
    const rendered = sim.diff.render();
    sim.write(() => sim.textOfLines(rendered.lines), typing, rendered.added);
  }
  return conclude(sim, answerLines, originalLines, typing);
}

function conclude(sim: Simulation, answerLines: string[], originalLines: string[], typing: number): InlineRaceResult {
  const accept = sim.random() < 0.6;
  if (sim.track.touched) sim.diff.fail();
  else if (sim.diff.finish().kind !== 'review') return { touched: false, violation: 'the rewrite was not reviewed' };
  else sim.diff.decideAll(accept ? 'accepted' : 'rejected');
  const result = sim.textOfLines(sim.diff.result());
  const keeping = (text: string) => () =>
    sim.track.touched ? keepTyping(sim.track.written, text, sim.track.shown) : text;
  let expected: string | undefined;
  for (let attempt = 0; attempt < 50; attempt++) {
    expected = reference(sim, accept ? answerLines : originalLines);
    if (sim.write(keeping(sim.textOfLines(originalLines)), typing)) break;
  }
  if (result !== sim.textOfLines(originalLines))
    for (let attempt = 0; attempt < 50; attempt++) {
      expected = reference(sim, accept ? answerLines : originalLines);
      if (sim.write(keeping(result), typing)) break;
    }
  if (textOf(sim.cells) === expected) return { touched: sim.userTouched };
  const where = sim.userTouched ? 'typed inside the lines' : 'typed outside the lines';
  return { touched: sim.userTouched, violation: `the document differs from the reference (${where})` };
}

/** What the document must be: untouched, the decided lines in the range; touched, the user's lines kept. */
function reference(sim: Simulation, decided: readonly string[]): string {
  const [from, to] = sim.region();
  const head = textOf(sim.cells.slice(0, from));
  const tail = textOf(sim.cells.slice(to));
  if (!sim.userTouched) return head + sim.textOfLines(decided) + tail;
  // A line is ours while it holds exactly the characters the last rendering wrote there.
  const ours = (line: Cell[]) =>
    sim.addedLines.some((added) => added.length === line.length && added.every((cell, k) => cell === line[k]));
  const kept = sim.lines().filter((line) => !ours(line));
  return head + kept.map(textOf).join('') + tail;
}
