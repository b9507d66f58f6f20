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
    assert.equal(parseHostMessage({ type: 'messageAdded', message: { id: 'x', role: 'system', content: '', status: 'complete' } }), undefined);
  });
});
