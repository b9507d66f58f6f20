/**
 * CodeLens "Accept | Reject | Diff" above each undecided hunk, in the real editor of a file
 * with a pending proposal. The hunks are placed on the buffer as it is now: when it changed
 * since the proposal they are found again, and when they cannot be, the lens says so.
 */
import * as vscode from 'vscode';
import { type Hunk, rebase } from '../../core/edits';
import type { FileChange } from '../../core/review/fileChange';
import { equivalent } from '../../core/review/texts';
import { describeUnit, originUri } from './editBuilder';
import type { Review } from './reviewController';

export const DECIDE_COMMAND = 'qcoder.review.decide';
export const DIFF_COMMAND = 'qcoder.review.diff';

export class HunkLensProvider implements vscode.CodeLensProvider {
  constructor(
    private readonly pending: () => readonly Review[],
    readonly onDidChangeCodeLenses: vscode.Event<void>,
  ) {}

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (document.uri.scheme !== 'file') return [];
    const key = document.uri.toString();
    const lenses: vscode.CodeLens[] = [];
    for (const review of this.pending()) {
      if (!review.state.can('decide')) continue;
      for (const file of review.files) {
        if (!file.origin || file.outcome || originUri(file).toString() !== key) continue;
        lenses.push(...fileLenses(review, file, document));
      }
    }
    return lenses;
  }
}

function fileLenses(review: Review, file: FileChange, document: vscode.TextDocument): vscode.CodeLens[] {
  const units = file.units();
  const lenses: vscode.CodeLens[] = [];
  const positions = placeHunks(file, document.getText());
  const top = new vscode.Range(0, 0, 0, 0);
  const diff = (range: vscode.Range) =>
    new vscode.CodeLens(range, { title: '$(diff) Diff', command: DIFF_COMMAND, arguments: [review.id, file.id] });
  if (!positions) {
    lenses.push(
      new vscode.CodeLens(top, {
        title: 'QCoder: this file changed since the proposal; its hunks cannot be placed',
        command: '',
      }),
      new vscode.CodeLens(top, {
        title: '$(close) Reject',
        command: DECIDE_COMMAND,
        arguments: [review.id, file.id, '*', 'rejected'],
      }),
    );
    return lenses;
  }
  units.forEach((unit, index) => {
    if (file.decision(unit) !== 'pending') return;
    const line = unit.hunk ? Math.min(positions.get(unit.hunk.id) ?? 0, Math.max(0, document.lineCount - 1)) : 0;
    const range = new vscode.Range(line, 0, line, 0);
    const what =
      unit.kind === 'hunk' ? `change ${index + 1}/${units.length}` : describeUnit(file, unit, index, units.length);
    lenses.push(
      new vscode.CodeLens(range, {
        title: `$(check) Accept QCoder's ${what}`,
        command: DECIDE_COMMAND,
        arguments: [review.id, file.id, unit.key, 'accepted'],
      }),
      new vscode.CodeLens(range, {
        title: '$(close) Reject',
        command: DECIDE_COMMAND,
        arguments: [review.id, file.id, unit.key, 'rejected'],
      }),
      diff(range),
    );
  });
  return lenses;
}

/** Hunk id → 0-based line in `text`, or undefined when the hunks are no longer there. */
function placeHunks(file: FileChange, text: string): Map<number, number> | undefined {
  const proposal = file.proposal;
  if (!proposal || !file.current) return new Map();
  let hunks: readonly Hunk[] = proposal.hunks;
  if (!equivalent(text, file.current.text)) {
    const moved = rebase(proposal, text);
    if (!moved.ok) return undefined;
    hunks = moved.hunks;
  }
  return new Map(hunks.map((hunk) => [hunk.id, hunk.oldStart]));
}
