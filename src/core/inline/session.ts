/**
 * One inline rewrite of a range, as a state machine the host drives and renders:
 *
 *   streaming ──finish()──> review ──decide…() until none pending──> done
 *       │                     │
 *       └──fail() / a message / no change──> done      restart() (refine) ──> streaming
 *
 * `done` carries the lines the range must end with (`result()`); the host writes them.
 */
import { type CleanAnswer, cleanAnswer, streamingLines } from './clean';
import { type LineDiff, lineDiff } from './diff';
import { type Decision, type RenderedDiff, renderDiff, resolveDiff } from './render';

export type InlineState = 'streaming' | 'review' | 'done';

/** How `finish` ended: blocks to review, or why there is nothing to review. */
export type Finished =
  | { readonly kind: 'review'; readonly blocks: number }
  | { readonly kind: 'message'; readonly text: string }
  | { readonly kind: 'unchanged' };

export class InlineDiff {
  private current: InlineState = 'streaming';
  private text = '';
  private proposed: readonly string[] = [];
  private diff: LineDiff;
  private decisions: Decision[] = [];
  private final: readonly string[] | undefined;
  /** Lines arrived since the diff was last computed. */
  private stale = false;

  constructor(readonly original: readonly string[]) {
    this.diff = { blocks: [], reached: 0 };
  }

  get state(): InlineState {
    return this.current;
  }

  /** The raw answer so far. */
  get answer(): string {
    return this.text;
  }

  get blockCount(): number {
    return this.diff.blocks.length;
  }

  /**
   * A piece of the answer arrived; true when a line was completed (the rendering may change).
   * The diff is computed when it is rendered, so a host that renders less often than lines arrive does less work.
   */
  append(piece: string): boolean {
    this.expect('streaming');
    this.text += piece;
    if (!piece.includes('\n')) return false;
    this.stale = true;
    return true;
  }

  private settle(): void {
    if (!this.stale) return;
    this.stale = false;
    const lines = streamingLines(this.text);
    if (sameLines(lines, this.proposed)) return;
    this.proposed = lines;
    this.diff = lineDiff(this.original, lines, false);
  }

  /** The answer is complete. */
  finish(languageId = ''): Finished {
    this.expect('streaming');
    this.stale = false;
    const clean: CleanAnswer = cleanAnswer(this.text, languageId);
    if (clean.kind === 'message') return this.end(this.original, clean);
    this.proposed = clean.lines;
    this.diff = lineDiff(this.original, clean.lines, true);
    if (this.diff.blocks.length === 0) return this.end(this.original, { kind: 'unchanged' });
    this.decisions = this.diff.blocks.map(() => 'pending');
    this.current = 'review';
    return { kind: 'review', blocks: this.diff.blocks.length };
  }

  /** The stream failed or was stopped: the range goes back to what it was. */
  fail(): void {
    this.end(this.original, { kind: 'unchanged' });
  }

  /** Accept or reject one block; true when that was the last undecided one. */
  decide(index: number, decision: 'accepted' | 'rejected'): boolean {
    this.expect('review');
    if (this.decisions[index] !== 'pending') return false;
    this.decisions[index] = decision;
    if (this.decisions.includes('pending')) return false;
    this.end(resolveDiff(this.original, this.proposed, this.diff, this.decisions, decision));
    return true;
  }

  /** Accept or reject every undecided block (those decided one by one keep their decision). */
  decideAll(decision: 'accepted' | 'rejected'): void {
    if (this.current === 'streaming' && decision === 'rejected') return this.fail();
    this.expect('review');
    this.end(resolveDiff(this.original, this.proposed, this.diff, this.decisions, decision));
  }

  /** Refine: a new answer will replace this one. Returns the proposal so far (undecided blocks as proposed). */
  restart(): string[] {
    this.settle();
    const proposal =
      this.current === 'review'
        ? resolveDiff(this.original, this.proposed, this.diff, this.decisions, 'accepted')
        : [...this.proposed];
    if (this.current === 'done') throw new Error('The inline edit is done; start a new one.');
    this.current = 'streaming';
    this.final = undefined;
    this.text = '';
    this.stale = false;
    this.proposed = [];
    this.diff = { blocks: [], reached: 0 };
    this.decisions = [];
    return proposal;
  }

  render(): RenderedDiff {
    if (this.final) return { lines: this.final, added: [], removed: [], blocks: [] };
    this.settle();
    return renderDiff(this.original, this.proposed, this.diff, this.decisions);
  }

  /** The lines the range ends with (only once `done`). */
  result(): readonly string[] {
    this.expect('done');
    return this.final ?? this.original;
  }

  private end<T extends Finished>(lines: readonly string[], finished?: T): T {
    this.current = 'done';
    this.final = lines;
    return finished as T;
  }

  private expect(state: InlineState): void {
    if (this.current !== state) throw new Error(`The inline edit is ${this.current}, not ${state}.`);
  }
}

function sameLines(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((line, i) => line === b[i]);
}
