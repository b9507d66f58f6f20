/** The session drop-down's message to the host is checked like every other webview message. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseWebviewMessage } from '../../src/core/protocol';

describe('sessionAction message', () => {
  it('accepts the four actions on a session id', () => {
    for (const action of ['rename', 'delete', 'exportMarkdown', 'exportJson']) {
      assert.deepEqual(parseWebviewMessage({ type: 'sessionAction', sessionId: 's-1', action, extra: 1 }), {
        type: 'sessionAction',
        sessionId: 's-1',
        action,
      });
    }
  });

  it('refuses an unknown action, a missing or oversized id', () => {
    assert.equal(parseWebviewMessage({ type: 'sessionAction', sessionId: 's-1', action: 'format' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'sessionAction', action: 'delete' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'sessionAction', sessionId: 7, action: 'delete' }), undefined);
    assert.equal(
      parseWebviewMessage({ type: 'sessionAction', sessionId: 'x'.repeat(201), action: 'delete' }),
      undefined,
    );
  });
});
