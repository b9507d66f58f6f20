import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type RecordStore, TabMemory } from '../../src/core/chat/tabMemory';

/** The workspace state as VS Code keeps it: values go through JSON between windows. */
function store(initial?: unknown): RecordStore & { saved: () => unknown } {
  let value = initial === undefined ? undefined : JSON.stringify(initial);
  return {
    get: () => (value === undefined ? undefined : JSON.parse(value)),
    update: (_key, next) => ((value = JSON.stringify(next)), Promise.resolve()),
    saved: () => (value === undefined ? undefined : JSON.parse(value)),
  };
}

/** The next window: a fresh memory on what the last one stored. */
const reload = (previous: ReturnType<typeof store>) => new TabMemory(store(previous.saved()));

describe('chat tab memory (a tab comes back on its chat after a reload)', () => {
  it('a tab whose webview stored no state takes the record of its column, then the oldest left', () => {
    const first = store();
    const memory = new TabMemory(first);
    const left = memory.add({ sessionId: 's-left', column: 1, title: 'Left chat' });
    memory.add({ sessionId: 's-right', column: 2, title: 'Right chat' });
    memory.update(left, { sessionId: 's-left-2', title: 'Another' });
    const next = reload(first);
    assert.equal(next.restore({ column: 2, title: 'Right chat' }).sessionId, 's-right');
    assert.equal(next.restore({ column: 3 }).sessionId, 's-left-2', 'the one record left');
    assert.equal(next.restore({ column: 1 }).sessionId, '', 'no record left: a new chat');
  });

  it('a state that names a session wins, and its record is not given to another tab', () => {
    const first = store();
    const memory = new TabMemory(first);
    memory.add({ sessionId: 's-a', column: 2, title: 'A' });
    memory.add({ sessionId: 's-b', column: 2, title: 'B' });
    const next = reload(first);
    assert.equal(next.restore({ sessionId: 's-b', column: 2, title: 'B' }).sessionId, 's-b');
    assert.equal(next.restore({ column: 2, title: 'B' }).sessionId, 's-a');
    assert.equal(next.restore({ sessionId: 's-unknown', column: 2 }).sessionId, 's-unknown');
  });

  it('a tab the user closed is forgotten; records that are not records are ignored', () => {
    const first = store([{ key: 7 }, 'x', null, { key: 'tab-old', sessionId: 's-old', column: 'one' }]);
    const memory = new TabMemory(first);
    assert.deepEqual(memory.all, [{ key: 'tab-old', sessionId: 's-old' }]);
    const key = memory.add({ sessionId: 's-new', column: 1 });
    memory.remove('tab-old');
    assert.deepEqual(
      (first.saved() as { sessionId: string }[]).map((record) => record.sessionId),
      ['s-new'],
    );
    memory.remove(key);
    assert.deepEqual(first.saved(), []);
  });

  it('a failed write is reported, not thrown', async () => {
    const errors: unknown[] = [];
    const failing: RecordStore = { get: () => undefined, update: () => Promise.reject(new Error('disk full')) };
    new TabMemory(failing, (error) => errors.push(error)).add({ sessionId: 's' });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(errors.length, 1);
  });
});
