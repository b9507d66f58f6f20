/**
 * The lines of a file that hold the request's most telling terms, for the ranges an
 * outline shows. A term earlier in the list (rarer in the workspace, weightier in the
 * request) counts more; a line with several terms beats a line with one.
 */
import { countTokens } from '../rank/codeTokens';

/** 1-based line numbers, best first, at most `max`; `terms` are lower case, most telling first. */
export function termLines(lines: readonly string[], terms: readonly string[], max: number): number[] {
  // No terms need no test of their own: no line scores then.
  if (max <= 0) return [];
  const weight = new Map(terms.map((term, i) => [term, 1 / (1 + i)] as const));
  const scored: [number, number][] = [];
  lines.forEach((line, i) => {
    if (line.length > 1000) return;
    let score = 0;
    for (const token of countTokens(line).keys()) score += weight.get(token) ?? 0;
    if (score > 0) scored.push([score, i + 1]);
  });
  return scored
    .sort((a, b) => b[0] - a[0] || a[1] - b[1])
    .slice(0, max)
    .map(([, line]) => line);
}
