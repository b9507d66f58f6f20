/**
 * Where the review of one turn's edits is, and what may happen next. Every state and every
 * allowed transition is in TRANSITIONS below; anything else is refused (the transition
 * returns false and nothing changes), so a late click, a second Stop or an abort while the
 * edit lands cannot move a review somewhere it must not be.
 *
 *   pending ──openPreview──▶ reviewing ──closePreview──▶ pending
 *   pending ──apply──▶ applying ──conclude──▶ recording ──report──▶ finished ──undo──▶ undone
 *   decide: pending only; stop: once, in pending, reviewing or applying
 */
import type { ReviewStatusView } from '../protocol';

export type ReviewPhase =
  /** Waiting for the user's decisions (card, CodeLens). */
  | 'pending'
  /** VS Code's Refactor Preview is open: what the user applies there decides. */
  | 'reviewing'
  /** The accepted units are landing in the workspace. */
  | 'applying'
  /** The outcome is known; the checkpoint is being saved. The agent is not told yet. */
  | 'recording'
  /** Done: the agent has its answer. */
  | 'finished'
  /** The files were put back as they were before the turn. */
  | 'undone';

/** How a review ended, as its card shows it. */
export type ReviewEnd = Extract<ReviewStatusView, 'applied' | 'partial' | 'rejected' | 'stopped' | 'failed'>;

export type ReviewEvent =
  /** The user accepts or rejects units. */
  | { readonly type: 'decide' }
  | { readonly type: 'openPreview' }
  | { readonly type: 'closePreview' }
  /** Nothing is undecided: land what was accepted. */
  | { readonly type: 'apply' }
  /** The request was stopped: what is undecided is rejected; the end says so. */
  | { readonly type: 'stop' }
  /** Landing is over; `canUndo` when something was written (there is a checkpoint). */
  | { readonly type: 'conclude'; readonly end: ReviewEnd; readonly canUndo: boolean }
  /** The outcome is recorded; whoever waits on `done` may go on. */
  | { readonly type: 'report' }
  | { readonly type: 'undo' };

export type ReviewEventType = ReviewEvent['type'];

const TRANSITIONS: { readonly [P in ReviewPhase]: Partial<Record<ReviewEventType, ReviewPhase>> } = {
  pending: { decide: 'pending', openPreview: 'reviewing', apply: 'applying', stop: 'pending' },
  reviewing: { closePreview: 'pending', stop: 'reviewing' },
  applying: { stop: 'applying', conclude: 'recording' },
  recording: { report: 'finished' },
  finished: { undo: 'undone' },
  undone: {},
};

export class ReviewState {
  private current: ReviewPhase = 'pending';
  private stopRequested = false;
  private end: ReviewEnd | undefined;
  private undoable = false;
  private resolveDone: () => void = () => undefined;
  /** Resolves when the review is finished (reported). */
  readonly done = new Promise<void>((resolve) => {
    this.resolveDone = resolve;
  });

  get phase(): ReviewPhase {
    return this.current;
  }

  /** Stop was requested (at most once, before the outcome was known). */
  get stopped(): boolean {
    return this.stopRequested;
  }

  /** The outcome is known: no decision can change it any more. */
  get finished(): boolean {
    return this.current === 'recording' || this.current === 'finished' || this.current === 'undone';
  }

  /** The turn wrote something and is not undone yet. */
  get canUndo(): boolean {
    return this.undoable && (this.current === 'recording' || this.current === 'finished');
  }

  /** What the review card shows. */
  get status(): ReviewStatusView {
    switch (this.current) {
      case 'recording':
      case 'finished':
        return this.end!;
      default:
        return this.current;
    }
  }

  /** Whether `type` would be taken now. */
  can(type: ReviewEventType): boolean {
    if (TRANSITIONS[this.current][type] === undefined) return false;
    if (type === 'stop') return !this.stopRequested;
    if (type === 'undo') return this.undoable;
    return true;
  }

  /** Takes the transition, or refuses it (false) and changes nothing. */
  transition(event: ReviewEvent): boolean {
    if (!this.can(event.type)) return false;
    this.current = TRANSITIONS[this.current][event.type]!;
    switch (event.type) {
      case 'stop':
        this.stopRequested = true;
        break;
      case 'conclude':
        this.end = event.end;
        this.undoable = event.canUndo;
        break;
      case 'report':
        this.resolveDone();
        break;
    }
    return true;
  }
}
