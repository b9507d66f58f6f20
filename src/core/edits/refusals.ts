/** The refusals of `locate`, worded so the model can act on them. */
import type { FileIndex } from './fileIndex';
import type { Candidate, EditProblem, MatchStrategy } from './types';

export function ambiguous(
  index: FileIndex,
  starts: number[],
  height: number,
  strategy: MatchStrategy,
): Omit<EditProblem, 'edit'> {
  const candidates: Candidate[] = starts
    .slice(0, 10)
    .map((start) => ({ line: start + 1, endLine: Math.min(start + height, index.lineCount), similarity: 1 }));
  return { kind: 'ambiguous', detail: describeAmbiguous(candidates, strategy, starts.length), candidates };
}

const lineRange = (candidate: Candidate): string =>
  candidate.endLine > candidate.line ? `lines ${candidate.line}-${candidate.endLine}` : `line ${candidate.line}`;

export function describeAmbiguous(
  candidates: readonly Candidate[],
  strategy: MatchStrategy,
  total = candidates.length,
): string {
  const places = candidates.map(lineRange).join(', ');
  return (
    `old_text matches ${total} places (${places}${total > candidates.length ? ', …' : ''}; ${strategy} match); ` +
    `include more surrounding lines so it matches one place only, or set replace_all to change every one`
  );
}

const quote = (text: string): string => JSON.stringify(text.length > 120 ? `${text.slice(0, 117)}...` : text);

export function describeNotFound(candidates: readonly Candidate[]): string {
  const tried =
    'tried exact, whitespace-, indentation- and quote-insensitive, line-number-stripped, elided and fuzzy matching';
  if (candidates.length === 0)
    return (
      `old_text was not found in the file (${tried}); nothing in the file resembles it: check that this is ` +
      `the right file, and read it again`
    );
  const closest = candidates.map((candidate) => {
    const worst = candidate.worst
      ? `; line ${candidate.worst.line} has ${quote(candidate.worst.found)} where old_text has ` +
        `${quote(candidate.worst.expected)}`
      : '';
    return `${lineRange(candidate)} (similarity ${candidate.similarity.toFixed(2)}${worst})`;
  });
  return (
    `old_text was not found in the file (${tried}). Closest: ${closest.join('; ')}. Read those ` +
    `lines again and copy old_text exactly`
  );
}
