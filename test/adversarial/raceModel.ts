/**
 * The document the races suite types into, kept as cells: each character knows whether it
 * came from the original file (and which one) or from a keystroke (and which one). The
 * reference result is computed on the cells, independently of the edit engine's offsets.
 */
export interface Cell {
  readonly ch: string;
  /** Index in the original text. */
  readonly orig?: number;
  /** Number of the keystroke that typed it. */
  readonly typed?: number;
}

export type Random = () => number;

export function seeded(seed: number): Random {
  // Neighbouring seeds give neighbouring first values in a Lehmer generator: spread them first.
  let state = ((Math.imul(seed, 2654435761) >>> 0) % 2147483646) + 1;
  return () => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647;
  };
}

export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];

const TYPED = 'abcxyz_;(){}= \n\t"';

export const cellsOf = (text: string): Cell[] => [...text].map((ch, orig) => ({ ch, orig }));
export const textOf = (cells: readonly Cell[]): string => cells.map((cell) => cell.ch).join('');

/** A keystroke as the editor reports it: `length` characters at `offset` replaced by `text`. */
export interface Keystroke {
  readonly offset: number;
  readonly length: number;
  readonly text: string;
}

/**
 * Types into `cells` at `at` (an offset into the document's text): a character, a short word,
 * or a Backspace. Returns the change as the editor would report it. Keystrokes are numbered
 * from `next`; a typed CR is never split from its LF because none is typed.
 */
export function typeAt(cells: Cell[], at: number, random: Random, next: number): Keystroke & { count: number } {
  const roll = random();
  if (roll < 0.15 && at > 0 && cells[at - 1].ch !== '\n' && cells[at - 1].ch !== '\r') {
    cells.splice(at - 1, 1);
    return { offset: at - 1, length: 1, text: '', count: 0 };
  }
  const length = roll < 0.35 ? 2 + Math.floor(random() * 6) : 1;
  const typed: Cell[] = Array.from({ length }, (_, k) => ({ ch: pick(random, [...TYPED]), typed: next + k }));
  // Never type between a CR and its LF: the editor would not put a caret there.
  const offset = cells[at]?.ch === '\n' && cells[at - 1]?.ch === '\r' ? at - 1 : at;
  cells.splice(offset, 0, ...typed);
  return { offset, length: 0, text: textOf(typed), count: length };
}

/** Whether every typed character is in `text`, in the order typed (each one used once). */
export function keepsKeystrokes(cells: readonly Cell[], text: string): boolean {
  let cursor = 0;
  for (const cell of cells) {
    if (cell.typed === undefined) continue;
    const found = text.indexOf(cell.ch, cursor);
    if (found < 0) return false;
    cursor = found + 1;
  }
  return true;
}
