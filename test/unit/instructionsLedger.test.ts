import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ledgerView } from '../../src/core/chat/ledger';
import { parseHostMessage, parseWebviewMessage } from '../../src/core/protocol';

const base = {
  model: 'qwen3-coder-plus',
  window: { tokens: 1000, detail: 'test' },
  counter: { name: 'qwen', exact: true },
  used: 400,
  system: 300,
  tools: { tokens: 0, count: 0 },
  history: { cap: 100, used: 10, messages: 1 },
  items: [],
  dropped: new Map(),
  pinned: new Set<string>(),
  ms: 1,
};

describe('instruction files in the ledger', () => {
  it('shows each file as its own row and takes its tokens from the system row', () => {
    const view = ledgerView({
      ...base,
      instructions: [
        { key: 'instructions:project:app/QWEN.md', title: 'QWEN.md', tokens: 120, included: true },
        {
          key: 'instructions:project:app/AGENTS.md',
          title: 'AGENTS.md',
          tokens: 0,
          included: false,
          note: 'not loaded: untrusted workspace',
        },
      ],
    });
    assert.deepEqual(
      view.items.slice(0, 3).map((item) => [item.kind, item.title, item.tokens, item.included, item.note]),
      [
        ['system', 'System prompt', 180, true, undefined],
        ['instructions', 'QWEN.md', 120, true, undefined],
        ['instructions', 'AGENTS.md', 0, false, 'not loaded: untrusted workspace'],
      ],
    );
    // The webview accepts the new kind.
    assert.deepEqual(parseHostMessage({ type: 'ledger', ledger: view }), { type: 'ledger', ledger: view });
  });

  it('leaves the system row whole without instruction files', () => {
    assert.equal(ledgerView(base).items[0].tokens, 300);
  });
});

describe('slash and trust messages', () => {
  it('are validated field by field in both directions', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'slashQuery', requestId: 3, extra: 1 }), {
      type: 'slashQuery',
      requestId: 3,
    });
    assert.equal(parseWebviewMessage({ type: 'slashQuery', requestId: -1 }), undefined);
    assert.deepEqual(parseWebviewMessage({ type: 'trustAction', action: 'load' }), {
      type: 'trustAction',
      action: 'load',
    });
    assert.equal(parseWebviewMessage({ type: 'trustAction', action: 'grant' }), undefined);
    const items = [
      { name: 'review', description: 'Review', argumentHint: '<path>' },
      { name: 'new', description: 'New' },
    ];
    assert.deepEqual(parseHostMessage({ type: 'slashResults', requestId: 3, items }), {
      type: 'slashResults',
      requestId: 3,
      items,
    });
    assert.equal(parseHostMessage({ type: 'slashResults', requestId: 3, items: [{ name: 'x' }] }), undefined);
    assert.deepEqual(parseHostMessage({ type: 'trust', trusted: false, withheld: ['QWEN.md'] }), {
      type: 'trust',
      trusted: false,
      withheld: ['QWEN.md'],
    });
    assert.equal(parseHostMessage({ type: 'trust', trusted: 'no', withheld: [] }), undefined);
  });
});
