import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHostMessage, parseWebviewMessage } from '../../src/core/protocol';

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
