/** How a file under review looks on the review card. */
import type { ReviewFileState, ReviewFileView } from '../protocol';
import type { FileChange, ReviewUnit, UnitDecision } from './fileChange';

/** A unit the user has not decided, in a file that has no outcome yet. */
export const undecided = (file: FileChange, unit: ReviewUnit): boolean =>
  file.decision(unit) === 'pending' && !file.outcome;

export function fileView(file: FileChange): ReviewFileView {
  const units = file.units();
  const decisions = units.map((unit) => file.decision(unit));
  const decided = decisions.filter((decision) => decision !== 'pending').length;
  const { added, removed } = file.counts();
  const note =
    file.outcome?.summary ??
    (decided > 0 && decided < units.length ? `${decided} of ${units.length} decided` : undefined);
  return {
    path: file.display,
    ...(file.kind === 'rename' ? { from: file.origin!.location.display } : {}),
    kind: file.kind,
    added,
    removed,
    units: units.length,
    decided,
    state: fileState(file, decisions),
    ...(file.approval ? { approval: file.approval } : {}),
    ...(note ? { note } : {}),
  };
}

function fileState(file: FileChange, decisions: readonly UnitDecision[]): ReviewFileState {
  if (file.outcome) return file.outcome.status;
  if (decisions.includes('pending')) return 'pending';
  if (decisions.every((decision) => decision === 'accepted')) return 'accepted';
  if (decisions.every((decision) => decision === 'rejected')) return 'rejected';
  return 'partial';
}
