import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { branchAt, fork, switchBranch } from '../../src/core/session/forks';
import type { ChatSession, StoredMessage } from '../../src/core/session/types';
import { parseSession } from '../../src/core/session/validate';

const message = (id: string, role: 'user' | 'assistant' = 'user'): StoredMessage => ({
  id,
  role,
  content: `text of ${id}`,
  status: 'complete',
  createdAt: 1,
});
const session = (...ids: string[]): ChatSession => ({
  id: 's-1',
  title: 't',
  createdAt: 1,
  updatedAt: 1,
  messages: ids.map((id, index) => message(id, index % 2 === 0 ? 'user' : 'assistant')),
});
const path = (chat: ChatSession) => chat.messages.map((each) => each.id).join(' ');

describe('conversation forks', () => {
  it('an edit parks the old tail and shows the new one, "2/2" on the fork', () => {
    const chat = session('u1', 'a1', 'u2', 'a2');
    assert.equal(fork(chat, 'u2', [message('u2b')]), true);
    assert.equal(path(chat), 'u1 a1 u2b');
    assert.deepEqual(branchAt(chat, 2), { index: 1, count: 2 });
    assert.equal(branchAt(chat, 1), undefined, 'no fork before the edited message');
  });

  it('the old branch comes back whole, and the new one is kept in turn', () => {
    const chat = session('u1', 'a1', 'u2', 'a2');
    fork(chat, 'u2', [message('u2b'), message('a2b', 'assistant')]);
    assert.equal(switchBranch(chat, 'u2b', 0), true);
    assert.equal(path(chat), 'u1 a1 u2 a2');
    assert.deepEqual(branchAt(chat, 2), { index: 0, count: 2 });
    assert.equal(switchBranch(chat, 'u2', 1), true);
    assert.equal(path(chat), 'u1 a1 u2b a2b');
  });

  it('forking the first message keys the fork at the start', () => {
    const chat = session('u1', 'a1');
    fork(chat, 'u1', [message('u1b')]);
    fork(chat, 'u1b', [message('u1c')]);
    assert.deepEqual(branchAt(chat, 0), { index: 2, count: 3 });
    switchBranch(chat, 'u1c', 0);
    assert.equal(path(chat), 'u1 a1');
  });

  it('a fork inside a parked branch survives switching away and back', () => {
    const chat = session('u1', 'a1', 'u2', 'a2');
    fork(chat, 'a2', []); // regenerate a2
    chat.messages.push(message('a2b', 'assistant'));
    fork(chat, 'u2', [message('u3')]); // then edit u2
    switchBranch(chat, 'u3', 0);
    assert.equal(path(chat), 'u1 a1 u2 a2b');
    assert.deepEqual(branchAt(chat, 3), { index: 1, count: 2 });
    switchBranch(chat, 'a2b', 0);
    assert.equal(path(chat), 'u1 a1 u2 a2');
  });

  it('refuses what is not on the shown path or not a branch', () => {
    const chat = session('u1', 'a1');
    assert.equal(fork(chat, 'nope', []), false);
    assert.equal(switchBranch(chat, 'u1', 1), false, 'no fork there');
    fork(chat, 'u1', [message('u1b')]);
    assert.equal(switchBranch(chat, 'u1b', 1), false, 'already shown');
    assert.equal(switchBranch(chat, 'u1b', 5), false, 'no such branch');
  });

  it('branches are saved with the session and read back; damaged ones are dropped, not the session', () => {
    const chat = session('u1', 'a1');
    fork(chat, 'a1', [message('a1b', 'assistant')]);
    const read = parseSession(JSON.stringify(chat));
    assert.ok(read.ok);
    switchBranch(read.value, 'a1b', 0);
    assert.equal(path(read.value), 'u1 a1');
    const damaged = JSON.parse(JSON.stringify(chat)) as { forks: Record<string, { tails: unknown[] }> };
    damaged.forks.u1.tails[0] = [{ id: 3 }];
    const kept = parseSession(JSON.stringify(damaged));
    assert.ok(kept.ok);
    assert.equal(kept.value.forks, undefined);
    assert.equal(path(kept.value), 'u1 a1b');
  });
});
