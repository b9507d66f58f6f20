/**
 * A model that mistyped a line in old_text often copies the typo into the line it writes in
 * new_text. When the fuzzy match forgives the typo, the file's spelling is carried into the
 * new line wherever the model left that part of the line as it was; a part the model rewrote
 * is its own and stays as written.
 */
import { diffChars } from 'diff';
import { leadingWhitespace } from './normalize';

interface Fix {
  /** `[from, to)` of the model's old line becomes `text` (the file's spelling). */
  readonly from: number;
  readonly to: number;
  readonly text: string;
}

interface Run {
  /** `[from, to)` of the old line equals new line text starting at `at`. */
  readonly from: number;
  readonly to: number;
  readonly at: number;
}

/** An unchanged character either side of a fix, so that it lands in text the model really kept. */
const MARGIN = 1;

/** `line` (one of the model's new lines) with the differences `modelOld` → `fileLine` applied where it kept them. */
export function carryCorrection(modelOld: string, fileLine: string, line: string): string {
  const old = modelOld.trim();
  const indent = leadingWhitespace(line);
  const body = line.slice(indent.length);
  const runs = equalRuns(old, body);
  // Only a new line that is a version of the old one can carry its typo.
  if (runs.reduce((sum, run) => sum + run.to - run.from, 0) * 2 < old.length) return line;
  const placed: Fix[] = [];
  for (const fix of fixes(old, fileLine.trim())) {
    const run = runs.find(
      (r) =>
        (r.from === 0 || r.from + MARGIN <= fix.from) &&
        (r.to === old.length || fix.to + MARGIN <= r.to) &&
        r.from <= fix.from &&
        fix.to <= r.to,
    );
    // The model rewrote this part of the line: what it wrote there is what it means.
    if (!run) return line;
    placed.push({ from: run.at + fix.from - run.from, to: run.at + fix.to - run.from, text: fix.text });
  }
  let out = body;
  for (const fix of placed.reverse()) out = out.slice(0, fix.from) + fix.text + out.slice(fix.to);
  return indent + out;
}

function fixes(from: string, to: string): Fix[] {
  const found: Fix[] = [];
  let at = 0;
  for (const part of diffChars(from, to)) {
    const last = found[found.length - 1];
    const open = last !== undefined && last.to === at;
    if (part.added) {
      if (open) found[found.length - 1] = { ...last, text: last.text + part.value };
      else found.push({ from: at, to: at, text: part.value });
    } else if (part.removed) {
      if (open) found[found.length - 1] = { ...last, to: at + part.value.length };
      else found.push({ from: at, to: at + part.value.length, text: '' });
      at += part.value.length;
    } else {
      at += part.value.length;
    }
  }
  return found;
}

function equalRuns(from: string, to: string): Run[] {
  const runs: Run[] = [];
  let at = 0;
  let position = 0;
  for (const part of diffChars(from, to)) {
    if (part.added) position += part.value.length;
    else if (part.removed) at += part.value.length;
    else {
      runs.push({ from: at, to: at + part.value.length, at: position });
      at += part.value.length;
      position += part.value.length;
    }
  }
  return runs;
}
