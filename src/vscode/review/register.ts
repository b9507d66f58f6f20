/** The review feature: edit service, review controller, proposal documents, CodeLens and commands. */
import * as vscode from 'vscode';
import type { HostMessage } from '../../core/protocol';
import type { UnitDecision } from '../../core/review/fileChange';
import { DisposableStore } from '../../core/util/lifecycle';
import type { IsDenied } from '../workspacePaths';
import { CheckpointStore } from './checkpoints';
import { VsCodeEditService } from './editService';
import { DECIDE_COMMAND, DIFF_COMMAND, HunkLensProvider } from './hunkLens';
import { PROPOSAL_SCHEME, ProposalDocuments } from './proposalDocuments';
import { ReviewController } from './reviewController';

export const UNDO_COMMAND = 'qcoder.undoLastTurn';

export interface ReviewFeature extends vscode.Disposable {
  readonly edits: VsCodeEditService;
  readonly controller: ReviewController;
}

export interface ReviewFeatureDeps {
  readonly context: Pick<vscode.ExtensionContext, 'workspaceState' | 'storageUri'>;
  post(message: HostMessage): void;
  readonly isDenied?: IsDenied;
  log(line: string): void;
  /** Whether the agent mode accepts edits without review now (protected files are still asked). */
  autoAccept?(): boolean;
}

async function confirmModal(message: string, detail: string, button: string): Promise<boolean> {
  return (await vscode.window.showWarningMessage(message, { modal: true, detail }, button)) === button;
}

export function registerReview(deps: ReviewFeatureDeps): ReviewFeature {
  const store = new DisposableStore();
  const controller = store.add(
    new ReviewController({
      post: deps.post,
      checkpoints: new CheckpointStore(deps.context.workspaceState, deps.context.storageUri),
      confirm: confirmModal,
      log: deps.log,
      autoAccept: () => deps.autoAccept?.() ?? false,
    }),
  );
  const edits = new VsCodeEditService({
    review: (files, signal) => controller.review(files, signal),
    isDenied: deps.isDenied,
  });
  const documents = store.add(new ProposalDocuments((reviewId, fileId) => controller.find(reviewId)?.file(fileId)));
  store.add(controller.onDidChange(() => documents.refresh()));
  store.add(vscode.workspace.onDidCloseTextDocument((document) => documents.forget(document.uri)));
  store.add(vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, documents));
  const lenses = new HunkLensProvider(() => controller.pending(), controller.onDidChange);
  store.add(vscode.languages.registerCodeLensProvider({ scheme: 'file' }, lenses));
  store.add(
    vscode.commands.registerCommand(
      DECIDE_COMMAND,
      (reviewId: string, fileId: string, unitKey: string, decision: UnitDecision) =>
        controller.decideUnit(reviewId, fileId, unitKey, decision),
    ),
  );
  store.add(
    vscode.commands.registerCommand(DIFF_COMMAND, async (reviewId: string, fileId: string) => {
      const review = controller.find(reviewId);
      const file = review?.file(fileId);
      if (review && file) await controller.openDiff(review, file);
    }),
  );
  store.add(vscode.commands.registerCommand(UNDO_COMMAND, () => controller.undo()));
  return { edits, controller, dispose: () => store.dispose() };
}

/**
 * A review card belongs under the message whose tool calls proposed the edits, and is drawn
 * again after the webview redraws a session (queued: the session message must go first).
 */
export function linkReviewToChat(
  onDidPostMessage: vscode.Event<HostMessage>,
  controller: ReviewController,
): vscode.Disposable {
  return onDidPostMessage((message) => {
    if (message.type === 'toolCall') controller.noteMessage(message.messageId);
    else if (message.type === 'session') queueMicrotask(() => controller.republish());
  });
}
