/**
 * Choosing among the places an edit could go by the order of the call: models list the edits
 * of one call top to bottom, so each goes after the one before it. Used only when a block
 * matches several places, and only when the order leaves exactly one place for every edit.
 */

/** A place one edit could go: a range of the text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/**
 * For each edit (in call order) the index of its only place in a chain where each edit starts
 * at or after the end of the one before; undefined when no such chain exists or when some
 * edit could still go in more than one place.
 */
export function chooseInOrder(options: readonly (readonly Span[])[]): number[] | undefined {
  const count = options.length;
  // The earliest end of a chain through edits 0..i, and the latest start of one through i..count-1.
  const earliestEnd: number[] = [];
  let bound = -Infinity;
  for (let i = 0; i < count; i++) {
    let best = Infinity;
    for (const span of options[i]) if (span.start >= bound && span.end < best) best = span.end;
    if (best === Infinity) return undefined;
    earliestEnd.push(best);
    bound = best;
  }
  const latestStart: number[] = new Array<number>(count);
  bound = Infinity;
  for (let i = count - 1; i >= 0; i--) {
    let best = -Infinity;
    for (const span of options[i]) if (span.end <= bound && span.start > best) best = span.start;
    latestStart[i] = best;
    bound = best;
  }
  const picked: number[] = [];
  for (let i = 0; i < count; i++) {
    const after = i > 0 ? earliestEnd[i - 1] : -Infinity;
    const before = i < count - 1 ? latestStart[i + 1] : Infinity;
    const fits = options[i].flatMap((span, k) => (span.start >= after && span.end <= before ? [k] : []));
    if (fits.length !== 1) return undefined;
    picked.push(fits[0]);
  }
  return picked;
}
