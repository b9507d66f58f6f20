import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHostMessage, parseWebviewMessage } from '../../src/core/protocol';

const call = {
  id: 'call_1',
  name: 'run_command',
  title: 'Run npm test',
  status: 'running',
  command: { command: 'npm test', cwd: '.', state: 'running', output: 'ok 1\n', via: 'terminal' },
  prompt: {
    kind: 'approval',
    title: 'Run this command?',
    text: 'npm test',
    details: ['in .'],
    choices: [
      { id: 'run', label: 'Run', primary: true },
      { id: 'reject', label: 'Reject' },
    ],
    placeholder: 'Note',
    textChoice: 'reject',
  },
};

describe('protocol: command cards and answers', () => {
  it('carries a tool call with its command card and its waiting question, field by field', () => {
    assert.deepEqual(parseHostMessage({ type: 'toolCall', messageId: 'm1', call }), {
      type: 'toolCall',
      messageId: 'm1',
      call,
    });
  });

  it('drops a tool call whose card or question is malformed, and unknown fields', () => {
    const bad = (patch: Record<string, unknown>) =>
      parseHostMessage({ type: 'toolCall', messageId: 'm1', call: { ...call, ...patch } });
    assert.equal(bad({ command: { ...call.command, state: 'exploded' } }), undefined);
    assert.equal(bad({ command: { ...call.command, exitCode: 1.5 } }), undefined);
    assert.equal(bad({ prompt: { ...call.prompt, choices: [{ id: 'run' }] } }), undefined);
    assert.equal(bad({ prompt: { ...call.prompt, details: 'in .' } }), undefined);
    const parsed = parseHostMessage({
      type: 'toolCall',
      messageId: 'm1',
      call: { ...call, command: { ...call.command, html: '<img>' } },
    });
    assert.ok(parsed?.type === 'toolCall');
    assert.equal('html' in (parsed.call.command ?? {}), false);
  });

  it('validates an answer from the webview', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'promptAnswer', callId: 'call_1', choice: 'run' }), {
      type: 'promptAnswer',
      callId: 'call_1',
      choice: 'run',
    });
    assert.deepEqual(parseWebviewMessage({ type: 'promptAnswer', callId: 'c', choice: 'reject', text: 'no' }), {
      type: 'promptAnswer',
      callId: 'c',
      choice: 'reject',
      text: 'no',
    });
    assert.equal(parseWebviewMessage({ type: 'promptAnswer', callId: 'c' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'promptAnswer', callId: 'c', choice: 'run', text: 7 }), undefined);
    assert.equal(
      parseWebviewMessage({ type: 'promptAnswer', callId: 'c', choice: 'run', text: 'x'.repeat(20_001) }),
      undefined,
    );
  });
});
