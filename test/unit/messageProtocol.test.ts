import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHostMessage, parseWebviewMessage } from '../../src/core/protocol';

const PIXEL = 'data:image/png;base64,iVBORw0KGgo=';

describe('protocol: message actions, code blocks, images', () => {
  it('reads edit, regenerate, branch and code-block messages and drops what rides along', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'editMessage', messageId: 'm-1', text: 'new', extra: 1 }), {
      type: 'editMessage',
      messageId: 'm-1',
      text: 'new',
    });
    assert.equal(parseWebviewMessage({ type: 'editMessage', messageId: 'm-1', text: '  ' }), undefined);
    assert.deepEqual(parseWebviewMessage({ type: 'switchBranch', messageId: 'm-1', index: 0 }), {
      type: 'switchBranch',
      messageId: 'm-1',
      index: 0,
    });
    assert.equal(parseWebviewMessage({ type: 'switchBranch', messageId: 'm-1', index: -1 }), undefined);
    const code = { type: 'codeAction', action: 'run', messageId: 'm', code: 'ls', language: 'bash', before: '' };
    assert.deepEqual(parseWebviewMessage(code), code);
    assert.equal(parseWebviewMessage({ ...code, action: 'delete' }), undefined);
  });

  it('a send takes up to four data images, nothing else', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'send', text: 'see', images: [PIXEL] }), {
      type: 'send',
      text: 'see',
      images: [PIXEL],
    });
    for (const images of [['https://host/x.png'], ['data:image/svg+xml;base64,AAAA'], Array(5).fill(PIXEL), 'x'])
      assert.equal(parseWebviewMessage({ type: 'send', text: 'see', images }), undefined, String(images).slice(0, 40));
  });

  it('a message view keeps its branch, times, tokens and images; malformed extras are dropped', () => {
    const parsed = parseHostMessage({
      type: 'messageAdded',
      message: {
        id: 'm',
        role: 'assistant',
        content: 'x',
        status: 'complete',
        branch: { index: 1, count: 2 },
        createdAt: 5,
        tokens: 7,
        images: [PIXEL, 'javascript:alert(1)'],
      },
    });
    assert.deepEqual(parsed, {
      type: 'messageAdded',
      message: {
        id: 'm',
        role: 'assistant',
        content: 'x',
        status: 'complete',
        branch: { index: 1, count: 2 },
        createdAt: 5,
        tokens: 7,
      },
    });
    assert.deepEqual(parseHostMessage({ type: 'insertText', text: '@file:a.ts ' }), {
      type: 'insertText',
      text: '@file:a.ts ',
    });
  });
});
