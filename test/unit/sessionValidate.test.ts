/** What a session file or index must hold to be loaded; each defect is named in the report. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseIndex, parseSession } from '../../src/core/session/validate';

const message = { id: 'm1', role: 'user', content: 'hi', status: 'complete', createdAt: 1 };
const call = { id: 't1', name: 'read_file', rawArguments: '{}', title: 'Read', status: 'done', result: 'ok' };
const session = {
  id: 's-1',
  title: 'T',
  createdAt: 1,
  updatedAt: 2,
  messages: [message, { ...message, id: 'm2', role: 'assistant', note: true, error: 'e', toolCalls: [call] }],
};
const text = (value: unknown) => JSON.stringify(value);
const problem = (value: unknown) => {
  const checked = parseSession(text(value));
  return checked.ok ? 'ok' : checked.problem;
};

describe('session file validation', () => {
  it('accepts a well-formed session and keeps exactly its fields', () => {
    const checked = parseSession(text({ ...session, extra: 'dropped' }));
    assert.ok(checked.ok);
    assert.deepEqual(checked.value, session);
  });

  it('names the first defect', () => {
    const cases: [unknown, string | RegExp][] = [
      ['[1]', 'not a session object'],
      [null, 'not a session object'],
      [{ ...session, id: '../escape' }, 'the session id is missing or malformed'],
      [{ ...session, id: 'x'.repeat(101) }, 'the session id is missing or malformed'],
      [{ ...session, title: 3 }, 'the title or the times are missing'],
      [{ ...session, createdAt: '1' }, 'the title or the times are missing'],
      [{ ...session, updatedAt: null }, 'the title or the times are missing'],
      [{ ...session, messages: {} }, 'there is no message list'],
      [{ ...session, messages: [7] }, 'message 1 is not an object'],
      [{ ...session, messages: [message, { ...message, id: 1 }] }, 'message 2 has no id'],
      [{ ...session, messages: [{ ...message, role: 'system' }] }, 'message 1 has no role (user or assistant)'],
      [{ ...session, messages: [{ ...message, content: null }] }, 'message 1 has no text'],
      [{ ...session, messages: [{ ...message, status: 'done' }] }, 'message 1 has an unknown status'],
      [{ ...session, messages: [{ ...message, createdAt: 'now' }] }, 'message 1 has no time'],
      [{ ...session, messages: [{ ...message, error: 5 }] }, 'message 1 has a malformed error or note'],
      [{ ...session, messages: [{ ...message, note: 'yes' }] }, 'message 1 has a malformed error or note'],
      [{ ...session, messages: [{ ...message, toolCalls: {} }] }, 'message 1 has a malformed tool call'],
      ...(['id', 'name', 'rawArguments', 'title'] as const).map((field): [unknown, string] => [
        { ...session, messages: [{ ...message, toolCalls: [{ ...call, [field]: 1 }] }] },
        'message 1 has a malformed tool call',
      ]),
      [
        { ...session, messages: [{ ...message, toolCalls: [{ ...call, status: 'ran' }] }] },
        'message 1 has a malformed tool call',
      ],
      [
        { ...session, messages: [{ ...message, toolCalls: [{ ...call, summary: 1 }] }] },
        'message 1 has a malformed tool call',
      ],
      [
        { ...session, messages: [{ ...message, toolCalls: [{ ...call, result: 1 }] }] },
        'message 1 has a malformed tool call',
      ],
    ];
    for (const [value, expected] of cases) {
      const got = typeof value === 'string' ? problem(JSON.parse(value)) : problem(value);
      assert.equal(got, expected, `for ${JSON.stringify(value).slice(0, 120)}`);
    }
  });

  it('says a file that is not JSON is not JSON', () => {
    const checked = parseSession('{"id":');
    assert.ok(!checked.ok);
    assert.match(checked.problem, /^not valid JSON \(/);
  });
});

describe('index validation', () => {
  const entry = { id: 's-1', title: 'T', createdAt: 1, updatedAt: 2 };
  it('accepts version 1 with well-formed entries', () => {
    assert.deepEqual(parseIndex(text({ version: 1, activeId: 's-1', sessions: [entry] })), {
      ok: true,
      value: { version: 1, activeId: 's-1', sessions: [entry] },
    });
  });
  it('refuses other versions, a missing active id and malformed entries', () => {
    const cases: [unknown, string][] = [
      [{ version: 2, activeId: 's-1', sessions: [] }, 'not a version 1 session index'],
      [[], 'not a version 1 session index'],
      [{ version: 1, sessions: [] }, 'the session list is malformed'],
      [{ version: 1, activeId: 's-1', sessions: {} }, 'the session list is malformed'],
      ...(['id', 'title', 'createdAt', 'updatedAt'] as const).map((field): [unknown, string] => [
        { version: 1, activeId: 's-1', sessions: [{ ...entry, [field]: field === 'id' ? 'a/b' : undefined }] },
        'the session list is malformed',
      ]),
    ];
    for (const [value, expected] of cases) {
      const checked = parseIndex(text(value));
      assert.equal(checked.ok ? 'ok' : checked.problem, expected, JSON.stringify(value));
    }
  });
});
