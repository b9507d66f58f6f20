/**
 * The review of one turn's edits, from the card in the chat to the bytes on disk. The user
 * decides per unit (hunk, create, delete, rename) through the card, CodeLens in the editor,
 * or VS Code's Refactor Preview; when nothing is left undecided, every accepted unit lands
 * in one WorkspaceEdit with a checkpoint taken just before, and the model is told what
 * landed. Stop rejects what is still undecided.
 */
import * as vscode from 'vscode';
import type { HostMessage, ReviewAction, ReviewView } from '../../core/protocol';
import type { FileChange, ReviewUnit, UnitDecision } from '../../core/review/fileChange';
import { describeOutcome, failedOutcome, reviewEnd } from '../../core/review/outcome';
import { ReviewState } from '../../core/review/reviewState';
import { fileView, undecided } from '../../core/review/view';
import { newId } from '../../core/session/session';
import { type CheckpointStore, type PreImage } from './checkpoints';
import { originUri } from './editBuilder';
import { land, type LandResult } from './lander';
import { proposalUri } from './proposalDocuments';
import { changedSince, restoreCheckpoint } from './restore';

export interface ReviewControllerDeps {
  post(message: HostMessage): void;
  readonly checkpoints: CheckpointStore;
  /** A modal question; resolves true when the user picks `button`. */
  confirm(message: string, detail: string, button: string): Promise<boolean>;
  log(line: string): void;
  /** Auto mode: changes to files that need no explicit approval are accepted without waiting for the user. */
  autoAccept?(): boolean;
}

export class Review {
  /** Where the review is; only its transitions change it. */
  readonly state = new ReviewState();
  note: string | undefined;
  readonly images: PreImage[] = [];

  constructor(
    readonly id: string,
    readonly messageId: string,
    readonly files: readonly FileChange[],
  ) {}

  /** The outcome is known: no decision can change it any more. */
  get finished(): boolean {
    return this.state.finished;
  }

  file(path: string): FileChange | undefined {
    return this.files.find((file) => file.display === path || file.id === path);
  }
}

export class ReviewController implements vscode.Disposable {
  private readonly reviews = new Map<string, Review>();
  private messageId = '';
  private readonly changed = new vscode.EventEmitter<void>();
  /** Decisions changed (CodeLens and proposal documents refresh). */
  readonly onDidChange = this.changed.event;
  private readonly updated = new vscode.EventEmitter<ReviewView>();
  /** A review card changed (tests listen). */
  readonly onDidUpdate = this.updated.event;

  constructor(private readonly deps: ReviewControllerDeps) {}

  /** The chat message the next review belongs to (the one whose tool calls proposed the edits). */
  noteMessage(messageId: string): void {
    this.messageId = messageId;
  }

  find(reviewId: string): Review | undefined {
    return this.reviews.get(reviewId);
  }

  /** Reviews still waiting for the user. */
  pending(): Review[] {
    return [...this.reviews.values()].filter((review) => !review.finished);
  }

  /** Shows `files` for review; resolves when each has an outcome. */
  async review(files: readonly FileChange[], signal: AbortSignal): Promise<Review> {
    const review = new Review(newId('r'), this.messageId, files);
    for (const file of files) {
      if (file.units().length === 0)
        file.outcome = {
          status: 'accepted',
          message: `The edits to ${file.display} cancel each other out; it is unchanged.`,
          summary: 'no net change',
        };
    }
    if (this.deps.autoAccept?.()) {
      // Protected files keep their approval: they stay pending and the card waits for the user's own click.
      for (const file of files) if (!file.approval) file.decide('accepted', (unit) => undecided(file, unit));
      review.note = files.some((file) => file.approval)
        ? 'Auto mode: the other files were accepted; protected files need your own Accept.'
        : 'Auto mode: accepted without review.';
    }
    this.reviews.set(review.id, review);
    this.prune();
    const onAbort = () => {
      void this.stop(review);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    this.publish(review);
    if (signal.aborted) onAbort();
    else await this.settle(review);
    await review.state.done;
    signal.removeEventListener('abort', onAbort);
    return review;
  }

  async act(reviewId: string, action: ReviewAction, path?: string): Promise<void> {
    if (action === 'undo') {
      await this.undo(reviewId);
      return;
    }
    const review = this.reviews.get(reviewId);
    if (!review || review.finished) return;
    const file = path === undefined ? undefined : review.file(path);
    if (file && action === 'diff') {
      await this.openDiff(review, file);
      return;
    }
    // While the Refactor Preview is open or the edit is landing, its outcome decides.
    if (!review.state.can('decide')) return;
    switch (action) {
      case 'acceptAll':
        // Protected files need their own explicit Accept.
        for (const each of review.files) if (!each.approval) each.decide('accepted', (unit) => undecided(each, unit));
        break;
      case 'rejectAll':
        for (const each of review.files) each.decide('rejected', (unit) => undecided(each, unit));
        break;
      case 'acceptFile':
      case 'rejectFile':
        if (!file || file.outcome) return;
        file.decide(action === 'acceptFile' ? 'accepted' : 'rejected', (unit) => !file.landed.has(unit.key));
        break;
      case 'diff':
        return;
      case 'review':
        await this.preview(review);
        return;
    }
    this.changed.fire();
    await this.settle(review);
  }

  /** One unit, from CodeLens. */
  async decideUnit(reviewId: string, fileId: string, unitKey: string, decision: UnitDecision): Promise<void> {
    const review = this.reviews.get(reviewId);
    const file = review?.file(fileId);
    if (!review || !review.state.can('decide') || !file || file.outcome) return;
    file.decide(decision, (unit) => (unitKey === '*' || unit.key === unitKey) && !file.landed.has(unit.key));
    this.changed.fire();
    await this.settle(review);
  }

  async openDiff(review: Review, file: FileChange): Promise<void> {
    const right = proposalUri(review.id, file, 'after');
    const left = file.origin ? originUri(file) : proposalUri(review.id, file, 'before');
    await vscode.commands.executeCommand('vscode.diff', left, right, `${file.display} ↔ QCoder's proposal`, {
      preview: true,
    });
  }

  /** Everything not rejected goes to VS Code's Refactor Preview; what the user applies there is the decision. */
  private async preview(review: Review): Promise<void> {
    if (!review.state.transition({ type: 'openPreview' })) return;
    review.note = 'Tick the changes to keep in the Refactor Preview, then Apply.';
    this.publish(review);
    let result: LandResult | undefined;
    try {
      const include = (file: FileChange, unit: ReviewUnit) =>
        !file.outcome && !file.landed.has(unit.key) && file.decision(unit) !== 'rejected';
      result = await land(review.files, include, { needsConfirm: undecided });
      this.record(review, result);
      for (const [file, keys] of result.landed) file.decide('accepted', (unit) => keys.has(unit.key));
      if (result.applied)
        for (const file of review.files)
          file.decide('rejected', (unit) => include(file, unit) && !file.landed.has(unit.key));
    } catch (error) {
      this.deps.log(`review: the Refactor Preview failed: ${String(error)}`);
    } finally {
      review.state.transition({ type: 'closePreview' });
    }
    review.note =
      result?.applied || review.state.stopped
        ? undefined
        : 'The Refactor Preview was closed without applying anything; choose again.';
    this.changed.fire();
    await this.settle(review);
  }

  private async stop(review: Review): Promise<void> {
    const previewing = review.state.phase === 'reviewing';
    if (!review.state.transition({ type: 'stop' })) return;
    if (previewing) await vscode.commands.executeCommand('refactorPreview.discard').then(undefined, () => undefined);
    for (const file of review.files) file.decide('rejected', (unit) => undecided(file, unit));
    this.changed.fire();
    await this.settle(review);
  }

  /** When nothing is undecided: lands the accepted units, tells everyone, ends the review. */
  private async settle(review: Review): Promise<void> {
    if (!review.state.can('apply')) return;
    if (review.files.some((file) => !file.outcome && file.pending)) {
      this.publish(review);
      return;
    }
    review.state.transition({ type: 'apply' });
    this.publish(review);
    try {
      this.record(
        review,
        await land(
          review.files,
          (file, unit) => !file.outcome && file.decision(unit) === 'accepted' && !file.landed.has(unit.key),
        ),
      );
    } catch (error) {
      this.deps.log(`review: applying failed: ${String(error)}`);
      for (const file of review.files)
        if (!file.outcome && file.landed.size === 0)
          file.outcome = failedOutcome(`Applying the change to ${file.display} failed: ${String(error)}`);
    }
    await this.finish(review);
  }

  private record(review: Review, result: LandResult): void {
    for (const [file, keys] of result.landed) for (const key of keys) file.landed.add(key);
    for (const [file, message] of result.failures) {
      file.outcome = failedOutcome(message, 'changed since proposed');
      file.decide('rejected', (unit) => !file.landed.has(unit.key));
    }
    review.images.push(...result.images);
  }

  private async finish(review: Review): Promise<void> {
    for (const file of review.files) file.outcome ??= describeOutcome(file, file.landed);
    const { end, note } = reviewEnd(review.files, review.state.stopped);
    if (note) review.note = note;
    review.state.transition({ type: 'conclude', end, canUndo: review.images.length > 0 });
    if (review.state.canUndo) {
      await this.deps.checkpoints
        .save({ id: review.id, createdAt: Date.now(), files: review.images }, this.view(review))
        .then(undefined, (error: unknown) => this.deps.log(`review: could not save the checkpoint: ${String(error)}`));
    }
    this.publish(review);
    this.changed.fire();
    review.state.transition({ type: 'report' });
  }

  /** Restores the files of a turn (the latest not yet undone when `reviewId` is omitted). */
  async undo(
    reviewId?: string,
    confirm = this.deps.confirm,
  ): Promise<{ readonly ok: boolean; readonly message: string }> {
    const id = reviewId ?? this.deps.checkpoints.latest();
    const checkpoint = id ? await this.deps.checkpoints.load(id) : undefined;
    if (!id || !checkpoint) return this.tell(false, 'There is no QCoder edit to undo.');
    if (this.deps.checkpoints.isUndone(id)) return this.tell(false, 'That turn was already undone.');
    const changed = await changedSince(checkpoint);
    if (changed.length > 0) {
      const list = changed.join(', ');
      const go = await confirm(
        `${list} changed since QCoder's edit.`,
        `Undoing the turn puts back the files as they were before it and loses those later changes.`,
        'Undo Anyway',
      );
      if (!go) {
        const message = `Not undone: ${list} changed since QCoder applied the edit.`;
        await this.updateCard(id, (view) => ({ ...view, note: message }));
        return this.tell(false, message);
      }
    }
    const done = await restoreCheckpoint(checkpoint);
    const phrases = done.map(({ phrase }) => phrase).join('; ');
    if (done.some(({ complete }) => !complete)) {
      // The turn stays undoable: a second Undo puts back what this one could not.
      const message = `Not fully undone: ${phrases}. Undo again once the file is still.`;
      await this.updateCard(id, (view) => ({ ...view, note: message }));
      return this.tell(false, message);
    }
    const message = `Undone: ${phrases}.`;
    await this.updateCard(id, (view) => ({ ...view, status: 'undone', note: message, canUndo: false }), true);
    return this.tell(true, message);
  }

  private async updateCard(id: string, change: (view: ReviewView) => ReviewView, undone?: boolean): Promise<void> {
    const review = this.reviews.get(id);
    if (review && undone) review.state.transition({ type: 'undo' });
    const stored = this.deps.checkpoints.views().find((view) => view.id === id);
    const base = review ? this.view(review) : stored;
    if (!base) return;
    const view = change(base);
    if (review) review.note = view.note;
    await this.deps.checkpoints.update(id, view, undone);
    this.post(view);
  }

  private tell(ok: boolean, message: string): { ok: boolean; message: string } {
    if (ok) void vscode.window.showInformationMessage(`QCoder: ${message}`);
    else void vscode.window.showWarningMessage(`QCoder: ${message}`);
    return { ok, message };
  }

  /** Posts every card again (after the webview redrew a session). */
  republish(): void {
    const live = new Set(this.reviews.keys());
    for (const view of this.deps.checkpoints.views()) if (!live.has(view.id)) this.post(view);
    for (const review of this.reviews.values()) this.publish(review);
  }

  view(review: Review): ReviewView {
    return {
      id: review.id,
      messageId: review.messageId,
      status: review.state.status,
      files: review.files.filter((file) => file.units().length > 0).map(fileView),
      ...(review.note ? { note: review.note } : {}),
      canUndo: review.state.canUndo && !this.deps.checkpoints.isUndone(review.id),
    };
  }

  private publish(review: Review): void {
    this.post(this.view(review));
  }

  private post(view: ReviewView): void {
    this.deps.post({ type: 'review', review: view });
    this.updated.fire(view);
  }

  private prune(): void {
    const finished = [...this.reviews.values()].filter((review) => review.finished);
    for (const review of finished.slice(0, Math.max(0, finished.length - 50))) this.reviews.delete(review.id);
  }

  dispose(): void {
    for (const review of this.pending()) void this.stop(review);
    this.changed.dispose();
    this.updated.dispose();
  }
}
