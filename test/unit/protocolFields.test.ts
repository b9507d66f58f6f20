/**
 * Every field of every message, both directions: a complete valid message parses to an equal
 * copy; each field with a value of the wrong type makes it invalid; deleting a required field
 * makes it invalid and deleting an optional one leaves the rest. The optional fields are listed
 * here, from the protocol's documented types, not read from the validator.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MENTION_KINDS, parseHostMessage, parseWebviewMessage } from '../../src/core/protocol';

type Json = string | number | boolean | Json[] | { [key: string]: Json };

const call = { id: 'c1', name: 'read_file', title: 'Read a.ts', status: 'done', summary: '3 lines' };
const message = { id: 'm1', role: 'assistant', content: 'hi', status: 'error', error: 'boom', toolCalls: [call] };
const file = {
  path: 'b.ts',
  from: 'a.ts',
  kind: 'rename',
  added: 1,
  removed: 2,
  units: 3,
  decided: 1,
  state: 'partial',
  approval: 'protected',
  note: '1 of 3',
};
const item = {
  key: 'file:a.ts',
  kind: 'pinned',
  title: 'a.ts',
  tokens: 10,
  reasons: ['@-mentioned'],
  included: true,
  form: 'outline',
  ranges: '1-10',
  note: 'n',
  userPinned: true,
  userDropped: false,
  actionable: true,
};

const hostSamples: Array<{ sample: Record<string, Json>; optional: string[] }> = [
  {
    sample: {
      type: 'session',
      sessionId: 's1',
      messages: [message],
      sessions: [{ id: 's1', title: 'T', updatedAt: 5 }],
      busy: false,
    },
    optional: ['messages.0.error', 'messages.0.toolCalls', 'messages.0.toolCalls.0.summary'],
  },
  {
    sample: {
      type: 'connection',
      connection: { model: 'q', baseUrl: 'http://h/v1', ready: false, keySource: 'none', problem: 'no key' },
    },
    optional: ['connection.problem'],
  },
  {
    sample: { type: 'messageAdded', message },
    optional: ['message.error', 'message.toolCalls', 'message.toolCalls.0.summary'],
  },
  { sample: { type: 'delta', messageId: 'm1', text: 'x' }, optional: [] },
  { sample: { type: 'notice', messageId: 'm1', text: 'retrying' }, optional: [] },
  { sample: { type: 'toolCall', messageId: 'm1', call }, optional: ['call.summary'] },
  {
    sample: { type: 'messageDone', messageId: 'm1', status: 'error', error: 'e', content: 'c' },
    optional: ['error', 'content'],
  },
  { sample: { type: 'busy', busy: true }, optional: [] },
  { sample: { type: 'restoreInput', text: 'typed' }, optional: [] },
  {
    sample: {
      type: 'review',
      review: { id: 'r1', messageId: 'm1', status: 'partial', files: [file], note: 'n', canUndo: true },
    },
    optional: ['review.note', 'review.files.0.from', 'review.files.0.approval', 'review.files.0.note'],
  },
  {
    sample: {
      type: 'ledger',
      ledger: {
        model: 'q',
        window: 1000,
        windowSource: 'server',
        used: 10,
        counter: 'qwen',
        exact: true,
        items: [item],
        compaction: 'summarised',
        ms: 1.5,
        cost: '≈ ¥0.01',
        fillNext: true,
      },
    },
    optional: [
      'ledger.compaction',
      'ledger.cost',
      'ledger.fillNext',
      'ledger.items.0.form',
      'ledger.items.0.ranges',
      'ledger.items.0.note',
      'ledger.items.0.userPinned',
      'ledger.items.0.userDropped',
    ],
  },
  { sample: { type: 'mentionResults', requestId: 3, items: ['a.ts'] }, optional: [] },
];

const webviewSamples: Array<{ sample: Record<string, Json>; optional: string[] }> = [
  { sample: { type: 'send', text: 'hello' }, optional: [] },
  { sample: { type: 'switchSession', sessionId: 's2' }, optional: [] },
  { sample: { type: 'rendered', messageId: 'm1', status: 'complete', text: 'shown' }, optional: [] },
  { sample: { type: 'reviewAction', reviewId: 'r1', action: 'diff', path: 'a.ts' }, optional: [] },
  { sample: { type: 'contextAction', action: 'drop', key: 'file:a.ts' }, optional: [] },
  { sample: { type: 'mentionQuery', requestId: 1, kind: 'folder', prefix: 'src/' }, optional: [] },
  { sample: { type: 'openLink', href: 'src/a.ts:3' }, optional: [] },
];

/** Every path to a value below the message (not `type`), with array elements as indexes. */
function paths(value: Json, prefix: string[] = []): string[][] {
  if (typeof value !== 'object') return [];
  const entries: Array<[string, Json]> = Array.isArray(value)
    ? value.map((entry, index) => [String(index), entry])
    : Object.entries(value).filter(([key]) => prefix.length > 0 || key !== 'type');
  return entries.flatMap(([key, entry]) => [[...prefix, key], ...paths(entry, [...prefix, key])]);
}

function edit(value: Json, path: string[], change: (parent: Record<string, Json> | Json[], key: string) => void): Json {
  const copy = structuredClone(value);
  let parent = copy as Record<string, Json>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string, Json>;
  change(parent, path.at(-1)!);
  return copy;
}

function wrongValue(value: Json): Json {
  if (typeof value === 'string') return 42;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return 'true';
  if (Array.isArray(value)) return 'not a list';
  return 'not an object';
}

const valueAt = (root: Json, path: string[]) =>
  path.reduce<Json>((node, key) => (node as Record<string, Json>)[key], root);

function checkFields(
  parse: (value: unknown) => unknown,
  samples: Array<{ sample: Record<string, Json>; optional: string[] }>,
) {
  for (const { sample, optional } of samples) {
    assert.deepEqual(parse(sample), sample, `${String(sample.type)} as sent`);
    assert.deepEqual(parse({ ...sample, extra: 'x' }), sample, `${String(sample.type)} drops unknown fields`);
    for (const path of paths(sample)) {
      const name = `${String(sample.type)}.${path.join('.')}`;
      const wrong = edit(sample, path, (parent, key) => {
        (parent as Record<string, Json>)[key] = wrongValue(valueAt(sample, path));
      });
      assert.equal(parse(wrong), undefined, `${name} of the wrong type`);
      if (/^\d+$/.test(path.at(-1)!)) continue;
      const without = edit(sample, path, (parent, key) => delete (parent as Record<string, Json>)[key]);
      if (optional.includes(path.join('.'))) assert.deepEqual(parse(without), without, `${name} is optional`);
      else assert.equal(parse(without), undefined, `${name} is required`);
    }
  }
}

describe('protocol: every field of every message', () => {
  it('host → webview', () => checkFields(parseHostMessage, hostSamples));
  it('webview → host', () => checkFields(parseWebviewMessage, webviewSamples));

  it('counts are whole and not negative; times and durations finite', () => {
    const ledger = hostSamples.find((s) => s.sample.type === 'ledger')!.sample;
    for (const [path, value] of [
      [['ledger', 'window'], -1],
      [['ledger', 'used'], 1.5],
      [['ledger', 'items', '0', 'tokens'], -3],
      [['ledger', 'ms'], Number.POSITIVE_INFINITY],
    ] as const) {
      const changed = edit(ledger, [...path], (parent, key) => ((parent as Record<string, Json>)[key] = value));
      assert.equal(parseHostMessage(changed), undefined, path.join('.'));
    }
    const session = hostSamples[0].sample;
    const changed = edit(session, ['sessions', '0', 'updatedAt'], (parent, key) => {
      (parent as Record<string, Json>)[key] = Number.NaN;
    });
    assert.equal(parseHostMessage(changed), undefined);
  });

  it('bounds the sizes the host accepts, inclusively', () => {
    const at = (length: number) => 'x'.repeat(length);
    assert.ok(parseWebviewMessage({ type: 'send', text: at(1_000_000) }));
    assert.equal(parseWebviewMessage({ type: 'send', text: at(1_000_001) }), undefined);
    assert.ok(parseWebviewMessage({ type: 'openLink', href: at(4096) }));
    assert.ok(parseWebviewMessage({ type: 'contextAction', action: 'pin', key: at(4096) }));
    assert.equal(parseWebviewMessage({ type: 'contextAction', action: 'pin', key: at(4097) }), undefined);
    assert.equal(parseWebviewMessage({ type: 'contextAction', action: 'pin', key: '' }), undefined);
    assert.ok(parseWebviewMessage({ type: 'reviewAction', reviewId: 'r', action: 'diff', path: at(4096) }));
    assert.equal(
      parseWebviewMessage({ type: 'reviewAction', reviewId: 'r', action: 'diff', path: at(4097) }),
      undefined,
    );
    assert.ok(parseWebviewMessage({ type: 'mentionQuery', requestId: 0, kind: 'file', prefix: at(1024) }));
    assert.equal(
      parseWebviewMessage({ type: 'mentionQuery', requestId: 0, kind: 'file', prefix: at(1025) }),
      undefined,
    );
    const rendered = parseWebviewMessage({ type: 'rendered', messageId: 'm', status: 'stopped', text: at(5000) });
    assert.equal((rendered as { text: string }).text.length, 4000);
  });

  it('refuses null where an object belongs, at any depth', () => {
    for (const { sample } of hostSamples)
      for (const path of paths(sample)) {
        if (typeof valueAt(sample, path) !== 'object') continue;
        const changed = edit(sample, path, (parent, key) => ((parent as Record<string, unknown>)[key] = null));
        assert.equal(parseHostMessage(changed), undefined, `${String(sample.type)}.${path.join('.')} = null`);
      }
  });

  it('takes the messages without fields by their type alone', () => {
    for (const type of ['ready', 'stop', 'newChat', 'setApiKey', 'openSettings', 'retry'])
      assert.deepEqual(parseWebviewMessage({ type, extra: 1 }), { type });
    for (const value of [[], 'ready', 7, null, { type: 7 }, { type: 'unknown' }]) {
      assert.equal(parseWebviewMessage(value), undefined);
      assert.equal(parseHostMessage(value), undefined);
    }
  });

  it('offers every mention kind with its own label and a description', () => {
    assert.deepEqual(
      MENTION_KINDS.map((entry) => entry.kind),
      ['file', 'folder', 'mcp', 'selection', 'problems', 'terminal', 'git', 'codebase'],
    );
    for (const entry of MENTION_KINDS) {
      assert.ok(entry.label.startsWith(`@${entry.kind}`), entry.label);
      assert.ok(entry.detail.length > 5, entry.kind);
    }
  });
});
