import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ReviewEvent, type ReviewEventType, ReviewState } from '../../src/core/review/reviewState';

const EVENTS: Record<ReviewEventType, ReviewEvent> = {
  decide: { type: 'decide' },
  openPreview: { type: 'openPreview' },
  closePreview: { type: 'closePreview' },
  apply: { type: 'apply' },
  stop: { type: 'stop' },
  conclude: { type: 'conclude', end: 'partial', canUndo: true },
  report: { type: 'report' },
  undo: { type: 'undo' },
};

/** How to reach each state from a new review, and what each event does there (written out by hand). */
const STATES: {
  readonly name: string;
  readonly path: readonly ReviewEvent[];
  readonly allowed: Partial<Record<ReviewEventType, string>>;
}[] = [
  {
    name: 'pending',
    path: [],
    allowed: { decide: 'pending', openPreview: 'reviewing', apply: 'applying', stop: 'pending' },
  },
  { name: 'reviewing', path: [EVENTS.openPreview], allowed: { closePreview: 'pending', stop: 'reviewing' } },
  { name: 'applying', path: [EVENTS.apply], allowed: { stop: 'applying', conclude: 'recording' } },
  { name: 'recording', path: [EVENTS.apply, EVENTS.conclude], allowed: { report: 'finished' } },
  { name: 'finished', path: [EVENTS.apply, EVENTS.conclude, EVENTS.report], allowed: { undo: 'undone' } },
  { name: 'undone', path: [EVENTS.apply, EVENTS.conclude, EVENTS.report, EVENTS.undo], allowed: {} },
  // Stop is taken once: afterwards only the other transitions of the phase are.
  {
    name: 'pending, stopped',
    path: [EVENTS.stop],
    allowed: { decide: 'pending', openPreview: 'reviewing', apply: 'applying' },
  },
  { name: 'reviewing, stopped', path: [EVENTS.openPreview, EVENTS.stop], allowed: { closePreview: 'pending' } },
  { name: 'applying, stopped', path: [EVENTS.apply, EVENTS.stop], allowed: { conclude: 'recording' } },
  // Nothing was written: there is nothing to undo.
  {
    name: 'finished without a checkpoint',
    path: [EVENTS.apply, { type: 'conclude', end: 'rejected', canUndo: false }, EVENTS.report],
    allowed: {},
  },
];

function reach(path: readonly ReviewEvent[]): ReviewState {
  const state = new ReviewState();
  for (const event of path) assert.ok(state.transition(event), `on the way: ${event.type} from ${state.phase}`);
  return state;
}

const snapshot = (state: ReviewState) => ({
  phase: state.phase,
  status: state.status,
  stopped: state.stopped,
  finished: state.finished,
  canUndo: state.canUndo,
});

describe('review state machine: every event in every state', () => {
  for (const { name, path, allowed } of STATES) {
    for (const [type, event] of Object.entries(EVENTS) as [ReviewEventType, ReviewEvent][]) {
      const to = allowed[type];
      it(`${name} + ${type} → ${to ?? 'refused'}`, () => {
        const state = reach(path);
        const before = snapshot(state);
        assert.equal(state.can(type), to !== undefined);
        assert.equal(state.transition(event), to !== undefined);
        if (to === undefined) assert.deepEqual(snapshot(state), before, 'a refused transition changes nothing');
        else assert.equal(state.phase, to);
      });
    }
  }
});

describe('review state machine: what each state shows', () => {
  it('a new review is pending, not stopped, not finished, nothing to undo', () => {
    assert.deepEqual(snapshot(new ReviewState()), {
      phase: 'pending',
      status: 'pending',
      stopped: false,
      finished: false,
      canUndo: false,
    });
  });

  it('the card says reviewing while the Refactor Preview is open, and applying while edits land', () => {
    assert.equal(reach([EVENTS.openPreview]).status, 'reviewing');
    assert.equal(reach([EVENTS.apply]).status, 'applying');
  });

  it('once concluded, the card shows the end, and the undo button only when something was written', () => {
    const written = reach([EVENTS.apply, { type: 'conclude', end: 'applied', canUndo: true }]);
    assert.deepEqual(snapshot(written), {
      phase: 'recording',
      status: 'applied',
      stopped: false,
      finished: true,
      canUndo: true,
    });
    written.transition(EVENTS.report);
    assert.deepEqual([written.status, written.finished, written.canUndo], ['applied', true, true]);
    const nothing = reach([EVENTS.apply, { type: 'conclude', end: 'failed', canUndo: false }, EVENTS.report]);
    assert.deepEqual([nothing.status, nothing.canUndo], ['failed', false]);
  });

  it('undone: the card says so and offers no second undo', () => {
    const state = reach(STATES.find((each) => each.name === 'undone')!.path);
    assert.deepEqual([state.status, state.finished, state.canUndo], ['undone', true, false]);
  });

  it('a stop is remembered through the preview and the landing to the end', () => {
    const state = reach([EVENTS.openPreview, EVENTS.stop, EVENTS.closePreview, EVENTS.apply]);
    assert.equal(state.stopped, true);
    state.transition({ type: 'conclude', end: 'stopped', canUndo: false });
    assert.deepEqual([state.status, state.stopped], ['stopped', true]);
  });
});

describe('review state machine: who waits for the review', () => {
  const settled = async (promise: Promise<void>) =>
    Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 20))]);

  it('done resolves on report, not before (the checkpoint is saved first)', async () => {
    const state = reach([EVENTS.apply, EVENTS.conclude]);
    assert.equal(await settled(state.done), false);
    state.transition(EVENTS.report);
    assert.equal(await settled(state.done), true);
  });

  it('a refused report does not release the waiter', async () => {
    const state = reach([EVENTS.apply]);
    assert.equal(state.transition(EVENTS.report), false);
    assert.equal(await settled(state.done), false);
  });
});
