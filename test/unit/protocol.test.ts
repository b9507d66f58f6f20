import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  MESSAGE_STATUSES,
  parseHostMessage,
  parseWebviewMessage,
  REVIEW_ACTIONS,
  REVIEW_FILE_ACTIONS,
} from '../../src/core/protocol';

describe('protocol validation', () => {
  it('accepts well-formed webview messages and rejects everything else', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'send', text: 'hi', extra: 1 }), { type: 'send', text: 'hi' });
    assert.deepEqual(parseWebviewMessage({ type: 'stop' }), { type: 'stop' });
    assert.equal(parseWebviewMessage({ type: 'send', text: 42 }), undefined);
    assert.equal(parseWebviewMessage({ type: 'runShell', command: 'rm -rf /' }), undefined);
    assert.equal(parseWebviewMessage('send'), undefined);
    assert.equal(parseWebviewMessage(null), undefined);
    assert.equal(parseWebviewMessage({ type: 'switchSession' }), undefined);
  });

  it('checks host messages before the webview renders them', () => {
    assert.ok(parseHostMessage({ type: 'delta', messageId: 'm', text: 'x' }));
    assert.equal(parseHostMessage({ type: 'delta', messageId: 'm' }), undefined);
    assert.equal(parseHostMessage({ type: 'messageDone', messageId: 'm', status: 'weird' }), undefined);
    assert.equal(
      parseHostMessage({ type: 'messageAdded', message: { id: 'x', role: 'system', content: '', status: 'complete' } }),
      undefined,
    );
  });
});

describe('protocol: review cards', () => {
  const file = { path: 'src/a.ts', kind: 'edit', added: 3, removed: 1, units: 2, decided: 0, state: 'pending' };
  const review = { id: 'r1', messageId: 'm1', status: 'pending', files: [file], canUndo: false };

  it('accepts review actions, with a path only where one is needed', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'reviewAction', reviewId: 'r1', action: 'acceptAll', path: 'x' }), {
      type: 'reviewAction',
      reviewId: 'r1',
      action: 'acceptAll',
    });
    assert.deepEqual(
      parseWebviewMessage({ type: 'reviewAction', reviewId: 'r1', action: 'rejectFile', path: 'src/a.ts' }),
      { type: 'reviewAction', reviewId: 'r1', action: 'rejectFile', path: 'src/a.ts' },
    );
    assert.equal(parseWebviewMessage({ type: 'reviewAction', reviewId: 'r1', action: 'acceptFile' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'reviewAction', reviewId: 'r1', action: 'writeDisk' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'reviewAction', action: 'undo' }), undefined);
  });

  it('checks review views field by field', () => {
    assert.ok(parseHostMessage({ type: 'review', review }));
    assert.ok(
      parseHostMessage({
        type: 'review',
        review: { ...review, note: 'n', files: [{ ...file, approval: 'runs code', from: 'old.ts', kind: 'rename' }] },
      }),
    );
    assert.equal(parseHostMessage({ type: 'review', review: { ...review, status: 'merged' } }), undefined);
    assert.equal(parseHostMessage({ type: 'review', review: { ...review, canUndo: 'yes' } }), undefined);
    assert.equal(
      parseHostMessage({ type: 'review', review: { ...review, files: [{ ...file, added: -1 }] } }),
      undefined,
    );
    assert.equal(
      parseHostMessage({ type: 'review', review: { ...review, files: [{ ...file, approval: 5 }] } }),
      undefined,
    );
  });
});

describe('protocol: host messages are read field by field, like webview messages', () => {
  const message = { id: 'm1', role: 'assistant', content: 'hi', status: 'complete' };

  it('returns a fresh copy with the known fields only', () => {
    const raw = { type: 'messageAdded', message: { ...message, extra: '<img src=x>' }, injected: true };
    const parsed = parseHostMessage(raw);
    assert.deepEqual(parsed, { type: 'messageAdded', message });
    assert.notEqual((parsed as { message: unknown }).message, raw.message);
  });

  it('checks optional and nested fields too', () => {
    const call = { id: 'c', name: 'read_file', title: 'Read a.ts', status: 'done' };
    assert.ok(parseHostMessage({ type: 'messageAdded', message: { ...message, toolCalls: [call] } }));
    const bad = [
      { type: 'messageAdded', message: { ...message, error: 42 } },
      { type: 'messageAdded', message: { ...message, toolCalls: [{ ...call, status: 'exploded' }] } },
      { type: 'messageAdded', message: { ...message, toolCalls: 'no' } },
      { type: 'toolCall', messageId: 'm1', call: { ...call, name: 1 } },
      { type: 'messageDone', messageId: 'm1', status: 'complete', content: 7 },
      { type: 'session', sessionId: 's', messages: [message], sessions: [{ id: 's' }], busy: false },
      { type: 'session', sessionId: 's', messages: [message], sessions: [], busy: 'no' },
      { type: 'connection', connection: { model: 'q', baseUrl: 'u', ready: true, keySource: 'stolen' } },
      { type: 'connection', connection: { model: 'q', baseUrl: 'u', ready: 'yes', keySource: 'none' } },
      { type: 'mentionResults', requestId: 1, items: ['a', 2] },
      { type: 'mentionResults', requestId: -1, items: [] },
      { type: 'busy', busy: 1 },
    ];
    for (const value of bad) assert.equal(parseHostMessage(value), undefined, JSON.stringify(value));
  });

  it('reads a ledger with its optional flags and refuses a wrong one', () => {
    const item = { key: 'system', kind: 'system', title: 'System', tokens: 5, reasons: ['r'], included: true };
    const ledger = {
      model: 'q',
      window: 100,
      windowSource: 's',
      used: 5,
      counter: 'c',
      exact: true,
      items: [{ ...item, actionable: false, userPinned: true }],
      ms: 1.5,
    };
    assert.deepEqual(parseHostMessage({ type: 'ledger', ledger }), { type: 'ledger', ledger });
    const wrong = { ...ledger, items: [{ ...item, actionable: false, userPinned: 'yes' }] };
    assert.equal(parseHostMessage({ type: 'ledger', ledger: wrong }), undefined);
  });

  it('derives its value lists and types from one array each', () => {
    assert.deepEqual([...MESSAGE_STATUSES], ['streaming', 'complete', 'stopped', 'error']);
    for (const action of REVIEW_ACTIONS) {
      const path = (REVIEW_FILE_ACTIONS as readonly string[]).includes(action) ? 'a.ts' : undefined;
      assert.ok(parseWebviewMessage({ type: 'reviewAction', reviewId: 'r', action, path }), action);
    }
  });

  it('accepts a clicked link as text for the host to judge', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'openLink', href: 'javascript:x' }), {
      type: 'openLink',
      href: 'javascript:x',
    });
    assert.equal(parseWebviewMessage({ type: 'openLink', href: '' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'openLink', href: 'x'.repeat(5000) }), undefined);
  });
});
