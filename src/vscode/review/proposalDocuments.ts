/**
 * `qcoder-proposal:` documents: the file as the proposal would leave it (without the hunks
 * the user rejected so far), read-only and in memory, for the diff editor. Nothing is
 * written to disk to show a proposal.
 */
import * as vscode from 'vscode';
import { applyHunks } from '../../core/edits';
import type { FileChange } from '../../core/review/fileChange';

export const PROPOSAL_SCHEME = 'qcoder-proposal';

export function proposalUri(reviewId: string, file: FileChange, side: 'before' | 'after'): vscode.Uri {
  const query = new URLSearchParams({ review: reviewId, file: file.id, side }).toString();
  // The path keeps the file name, so the diff editor picks the right language.
  return vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${file.display}`, query });
}

/** The text the proposal leaves, rejected hunks left out. */
export function proposedText(file: FileChange): string {
  if (!file.target) return '';
  if (!file.origin || !file.proposal || !file.current) return stripBom(file.text ?? '');
  const hunks = file
    .units()
    .filter((unit) => unit.kind === 'hunk' && file.decision(unit) !== 'rejected')
    .map((unit) => unit.hunk!);
  return stripBom(applyHunks(file.current.text, hunks));
}

const stripBom = (text: string): string => (text.startsWith('\uFEFF') ? text.slice(1) : text);

export class ProposalDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly shown = new Set<string>();

  constructor(private readonly find: (reviewId: string, fileId: string) => FileChange | undefined) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    this.shown.add(uri.toString());
    const query = new URLSearchParams(uri.query);
    const file = this.find(query.get('review') ?? '', query.get('file') ?? '');
    if (!file) return '(This proposal is no longer available.)\n';
    return query.get('side') === 'before' ? '' : proposedText(file);
  }

  forget(uri: vscode.Uri): void {
    this.shown.delete(uri.toString());
  }

  /** Decisions changed: every proposal document that is showing is drawn again. */
  refresh(): void {
    for (const uri of this.shown) this.changed.fire(vscode.Uri.parse(uri));
  }

  dispose(): void {
    this.changed.dispose();
  }
}
