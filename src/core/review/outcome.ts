/**
 * What the model is told about a reviewed file, and the short line for the tool card: which
 * hunks landed and which were rejected, by line range in the file as it is now, so the model
 * can read the right lines again instead of assuming its whole edit is there.
 */
import type { FileChange, FileOutcome, ReviewUnit } from './fileChange';
import type { ReviewEnd } from './reviewState';

const range = (first: number, count: number): string =>
  count <= 1 ? `line ${first}` : `lines ${first}-${first + count - 1}`;

/** The outcome once `landed` (unit keys) are in the file and every other unit is not. */
export function describeOutcome(file: FileChange, landed: ReadonlySet<string>): FileOutcome {
  const units = file.units();
  const path = file.display;
  switch (file.kind) {
    case 'create':
      return landed.has('create')
        ? { status: 'accepted', message: `Created ${path}.`, summary: 'created' }
        : {
            status: 'rejected',
            message: `The user rejected creating ${path}; it was not created.`,
            summary: 'rejected',
          };
    case 'delete': {
      const from = file.origin!.location.display;
      return landed.has('delete')
        ? { status: 'accepted', message: `Deleted ${from}.`, summary: 'deleted' }
        : {
            status: 'rejected',
            message: `The user rejected deleting ${from}; it is still there.`,
            summary: 'rejected',
          };
    }
    default:
      return describeEdit(file, units, landed);
  }
}

function describeEdit(file: FileChange, units: readonly ReviewUnit[], landed: ReadonlySet<string>): FileOutcome {
  const hunks = units.filter((unit) => unit.kind === 'hunk');
  const from = file.origin!.location.display;
  const renamed = file.kind === 'rename';
  const renameLanded = renamed && landed.has('rename');
  const path = renameLanded ? file.display : from;
  const sentences: string[] = [];
  if (renamed)
    sentences.push(
      renameLanded
        ? `Renamed ${from} to ${file.display}.`
        : `The user rejected renaming ${from} to ${file.display}; it keeps its name.`,
    );
  const accepted = hunks.filter((unit) => landed.has(unit.key));
  if (hunks.length > 0) {
    if (accepted.length === hunks.length) {
      sentences.push(
        hunks.length === 1 ? `Applied the change to ${path}.` : `Applied all ${hunks.length} hunks to ${path}.`,
      );
    } else if (accepted.length === 0) {
      sentences.push(
        `The user rejected the ${hunks.length === 1 ? 'change' : `${hunks.length} hunks`} to ` +
          `${path}; its content is unchanged.`,
      );
    } else {
      sentences.push(
        `Applied ${accepted.length} of ${hunks.length} hunks to ${path}; ${describeRejected(hunks, landed)}. ` +
          `Rejected lines are as they were; read them again before changing them.`,
      );
    }
  }
  const total = hunks.length + (renamed ? 1 : 0);
  const done = accepted.length + (renameLanded ? 1 : 0);
  const status = done === total ? 'accepted' : done === 0 ? 'rejected' : 'partial';
  const summary =
    status === 'partial'
      ? `${accepted.length} of ${hunks.length} hunks${renamed ? (renameLanded ? ', renamed' : ', not renamed') : ''}`
      : status;
  return { status, message: sentences.join(' '), summary };
}

/** "rejected hunk 2 (lines 40-44)", with line numbers in the file as it now is. */
function describeRejected(hunks: readonly ReviewUnit[], landed: ReadonlySet<string>): string {
  let delta = 0;
  const parts: string[] = [];
  hunks.forEach((unit, index) => {
    const hunk = unit.hunk!;
    const line = hunk.oldStart + delta + 1;
    if (landed.has(unit.key)) {
      delta += hunk.newLineCount - hunk.oldLineCount;
      return;
    }
    const where = hunk.oldLineCount === 0 ? `an insertion at line ${line}` : range(line, hunk.oldLineCount);
    parts.push(`hunk ${index + 1} (${where})`);
  });
  return `rejected ${parts.join(', ')}`;
}

/** The outcome of a file that could not be applied (changed since, vanished…). */
export const failedOutcome = (message: string, summary = 'not applied'): FileOutcome => ({
  status: 'failed',
  message,
  summary,
});

/** How the whole review ended, from its files' outcomes, and the note a stop leaves on the card. */
export function reviewEnd(
  files: readonly FileChange[],
  stopped: boolean,
): { readonly end: ReviewEnd; readonly note?: string } {
  const landedAny = files.some((file) => file.landed.size > 0);
  const statuses = files.map((file) => file.outcome?.status);
  let end: ReviewEnd;
  if (landedAny) end = statuses.every((status) => status === 'accepted') ? 'applied' : 'partial';
  else if (stopped) end = 'stopped';
  else end = statuses.includes('failed') ? 'failed' : 'rejected';
  if (!stopped) return { end };
  const note = landedAny
    ? 'Stopped: the changes you had accepted were applied; the rest were rejected.'
    : 'Stopped: the proposed changes were rejected; nothing was written.';
  return { end, note };
}
