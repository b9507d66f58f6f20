/**
 * Re-indentation: when a block was found only by ignoring indentation, the model's new
 * lines are moved to where the block really is, in the file's own unit (tabs or N spaces).
 */
import { isBlank, leadingWhitespace } from './normalize';

export interface IndentUnit {
  readonly tabs: boolean;
  /** Columns per level: spaces for a space-indented text, the tab width for tabs. */
  readonly width: number;
}

const TAB_WIDTH = 4;

/** The indentation unit of `lines`: tabs if most indented lines start with a tab, else the usual step in spaces. */
export function inferIndentUnit(lines: readonly string[], fallback?: IndentUnit): IndentUnit {
  let tabLines = 0;
  let spaceLines = 0;
  const steps = new Map<number, number>();
  let previous = -1;
  // Runs over every line of a file: character codes, no `leadingWhitespace` strings.
  for (const line of lines) {
    let indent = 0;
    let tab = false;
    for (; indent < line.length; indent++) {
      const code = line.charCodeAt(indent);
      if (code === 9) tab = true;
      else if (code !== 32) break;
    }
    if (indent === line.length || (mayBeBlank(line.charCodeAt(indent)) && isBlank(line))) continue;
    if (line.charCodeAt(0) === 9) tabLines++;
    else if (indent > 0) spaceLines++;
    if (!tab) {
      if (previous >= 0 && indent !== previous) {
        const step = Math.abs(indent - previous);
        if (step <= 8) steps.set(step, (steps.get(step) ?? 0) + 1);
      }
      previous = indent;
    } else {
      previous = -1;
    }
  }
  if (tabLines > spaceLines) return { tabs: true, width: TAB_WIDTH };
  let best = 0;
  let bestCount = 0;
  for (const [step, count] of steps) {
    if (count > bestCount || (count === bestCount && step < best)) {
      best = step;
      bestCount = count;
    }
  }
  if (best >= 2) return { tabs: false, width: best };
  if (best === 1 && bestCount > 0) return { tabs: false, width: fallback && !fallback.tabs ? fallback.width : 2 };
  return fallback ?? { tabs: false, width: 4 };
}

/** Whether a character after the indentation may still be blank (`trim` knows more blanks than space and tab). */
const mayBeBlank = (code: number): boolean => code < 33 || code === 0xa0 || code >= 0x1680;

export function levels(indent: string, unit: IndentUnit): number {
  let tabs = 0;
  let spaces = 0;
  for (const char of indent) {
    if (char === '\t') tabs++;
    else spaces++;
  }
  return tabs + spaces / (unit.tabs ? TAB_WIDTH : unit.width);
}

export function render(level: number, unit: IndentUnit): string {
  const clamped = Math.max(0, level);
  if (!unit.tabs) return ' '.repeat(Math.round(clamped * unit.width));
  const whole = Math.floor(clamped + 1e-9);
  return '\t'.repeat(whole) + ' '.repeat(Math.round((clamped - whole) * TAB_WIDTH));
}

/** A matched pair: the model's copy of a line and the file's line it stands for. */
export interface LinePair {
  readonly model: string;
  readonly file: string;
}

export type Reindent = (line: string, reference: LinePair) => string;

/**
 * Builds the re-indenter for one match. When every pair differs by the same prefix (the model
 * dropped or added a fixed indent) that prefix is added or removed; otherwise indentation is
 * mapped level by level relative to the nearest matched line, in the file's unit.
 */
export function makeReindent(pairs: readonly LinePair[], modelUnit: IndentUnit, fileUnit: IndentUnit): Reindent {
  let shift = uniformShift(pairs);
  // The model's bytes as written, trailing blanks and blank lines' own indentation included.
  if (shift?.add === '' && shift.remove === '') return (line) => line;
  // A fixed prefix is only trusted when the model indents in the file's unit; otherwise map levels.
  if (modelUnit.tabs !== fileUnit.tabs || modelUnit.width !== fileUnit.width) shift = undefined;
  return (line, reference) => {
    if (line === '') return '';
    const indent = leadingWhitespace(line);
    const rest = line.slice(indent.length);
    if (shift?.add !== undefined) return shift.add + indent + rest;
    if (shift?.remove !== undefined && indent.startsWith(shift.remove)) return indent.slice(shift.remove.length) + rest;
    const target =
      levels(leadingWhitespace(reference.file), fileUnit) +
      levels(indent, modelUnit) -
      levels(leadingWhitespace(reference.model), modelUnit);
    return render(target, fileUnit) + rest;
  };
}

function uniformShift(pairs: readonly LinePair[]): { add?: string; remove?: string } | undefined {
  let add: string | undefined;
  let remove: string | undefined;
  let addOk = true;
  let removeOk = true;
  let counted = 0;
  for (const { model, file } of pairs) {
    if (isBlank(model) || isBlank(file)) continue;
    counted++;
    const m = leadingWhitespace(model);
    const f = leadingWhitespace(file);
    if (addOk) {
      const prefix = f.endsWith(m) ? f.slice(0, f.length - m.length) : undefined;
      if (prefix === undefined || (add !== undefined && add !== prefix)) addOk = false;
      else add = prefix;
    }
    if (removeOk) {
      const prefix = m.endsWith(f) ? m.slice(0, m.length - f.length) : undefined;
      if (prefix === undefined || (remove !== undefined && remove !== prefix)) removeOk = false;
      else remove = prefix;
    }
  }
  if (addOk && add !== undefined) return add === '' ? { add: '', remove: '' } : { add };
  if (removeOk && remove !== undefined) return { remove };
  return counted === 0 ? { add: '', remove: '' } : undefined;
}
