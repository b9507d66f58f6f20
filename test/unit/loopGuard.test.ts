import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_LIMITS,
  estimatePromptTokens,
  type GuardedCall,
  limitValue,
  LoopGuard,
  normalArguments,
} from '../../src/core/agent/loopGuard';

const call = (over: Partial<GuardedCall> = {}): GuardedCall => ({
  name: 'read_file',
  rawArguments: '{"path":"src/a.ts"}',
  title: 'Read src/a.ts',
  status: 'done',
  result: '1| a',
  ...over,
});

describe('LoopGuard', () => {
  it('stops the third time the same call fails, whatever the error text, and names it', () => {
    const guard = new LoopGuard({ maxModelCalls: 0, maxTaskTokens: 0 });
    const failing = (result: string) => call({ status: 'error', result, summary: 'does not exist' });
    assert.equal(guard.check([failing('Error: a')]), undefined);
    assert.equal(guard.check([failing('Error: b')]), undefined);
    const stop = guard.check([failing('Error: c')]);
    assert.match(
      stop ?? '',
      /"Read src\/a\.ts" failed the same way 3 times with the same arguments \(last error: does not exist\)/,
    );
  });

  it('counts arguments that differ only in key order or spacing as the same call', () => {
    assert.equal(
      normalArguments('{"b":2, "a":{"d":1,"c":[3,{"f":1,"e":2}]}}'),
      '{"a":{"c":[3,{"e":2,"f":1}],"d":1},"b":2}',
    );
    assert.equal(normalArguments(' not json '), 'not json');
    const guard = new LoopGuard({ maxModelCalls: 0, maxTaskTokens: 0 });
    const spellings = [
      '{"path":"x","start_line":1}',
      '{"start_line":1,"path":"x"}',
      '{ "path": "x", "start_line": 1 }',
    ];
    const stops = spellings.map((raw) => guard.check([call({ rawArguments: raw, status: 'error', result: 'E' })]));
    assert.deepEqual(stops.map(Boolean), [false, false, true]);
  });

  it('does not stop different failing calls', () => {
    const guard = new LoopGuard({ maxModelCalls: 0, maxTaskTokens: 0 });
    for (let i = 0; i < 10; i++)
      assert.equal(guard.check([call({ rawArguments: `{"path":"f${i}"}`, status: 'error', result: 'E' })]), undefined);
  });

  it('stops an identical successful call with the identical result the third time, and says what repeated', () => {
    const guard = new LoopGuard({ maxModelCalls: 0, maxTaskTokens: 0 });
    assert.equal(guard.check([call()]), undefined);
    assert.equal(guard.check([call()]), undefined);
    const stop = guard.check([call()]);
    assert.match(
      stop ?? '',
      /called "Read src\/a\.ts" 3 times with the same arguments and got the same result each time/,
    );
  });

  it('lets the same read go on when the file changed in between (a different result)', () => {
    const guard = new LoopGuard({ maxModelCalls: 0, maxTaskTokens: 0 });
    for (let i = 0; i < 6; i++) assert.equal(guard.check([call({ result: `1| version ${i}` })]), undefined);
  });

  it('counts accepted and partly accepted edits as repeats too, and defaults to 25 calls and 1,000,000 tokens', () => {
    for (const status of ['accepted', 'partial']) {
      const guard = new LoopGuard({ maxModelCalls: 0, maxTaskTokens: 0 });
      const edit = call({ name: 'write_file', title: 'Write a.ts', status, result: 'Applied.' });
      assert.deepEqual([guard.check([edit]), guard.check([edit])], [undefined, undefined]);
      assert.match(guard.check([edit]) ?? '', /called "Write a\.ts" 3 times/, status);
    }
    assert.deepEqual(DEFAULT_LIMITS, { maxModelCalls: 25, maxTaskTokens: 1_000_000 });
    const failing = call({ status: 'error', result: 'E', summary: undefined });
    const guard = new LoopGuard();
    guard.check([failing]);
    guard.check([failing]);
    assert.match(guard.check([failing]) ?? '', /\(last error: error\)/);
  });

  it('does not count skipped, rejected or polling calls as repeats', () => {
    const guard = new LoopGuard({ maxModelCalls: 0, maxTaskTokens: 0 });
    for (let i = 0; i < 5; i++) {
      assert.equal(guard.check([call({ status: 'skipped' }), call({ status: 'rejected' })]), undefined);
      assert.equal(guard.check([call({ name: 'read_command_output', rawArguments: '{"id":"1"}' })]), undefined);
    }
  });

  it('pauses after the configured number of model calls', () => {
    const guard = new LoopGuard({ maxModelCalls: 3, maxTaskTokens: 0 });
    const stops = [1, 2, 3].map((i) => {
      guard.sent(100);
      return guard.check([call({ result: String(i) })]);
    });
    assert.deepEqual(stops.slice(0, 2), [undefined, undefined]);
    assert.equal(
      stops[2],
      'QCoder paused after 3 model calls for this message (setting qcoder.agent.maxModelCalls). ' +
        'Send "continue" to let it go on.',
    );
  });

  it('pauses when the prompt tokens sent for the task reach the cap, with the numbers', () => {
    const guard = new LoopGuard({ maxModelCalls: 0, maxTaskTokens: 50_000 });
    guard.sent(20_000);
    assert.equal(guard.check([]), undefined);
    guard.sent(29_999);
    assert.equal(guard.check([]), undefined);
    guard.sent(1);
    assert.equal(guard.tokensSent, 50_000);
    assert.match(
      guard.check([]) ?? '',
      /sent 50,000 prompt tokens over 3 model calls, past the cap of 50,000 \(setting qcoder\.agent\.maxTaskTokens\)/,
    );
  });

  it('has no cap at 0', () => {
    const guard = new LoopGuard({ maxModelCalls: 0, maxTaskTokens: 0 });
    for (let i = 0; i < 100; i++) guard.sent(1_000_000);
    assert.equal(guard.check([]), undefined);
  });
});

describe('limit helpers', () => {
  it('estimates about four characters a token, tool calls included', () => {
    const tokens = estimatePromptTokens([
      { role: 'system', content: 'x'.repeat(392) },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: '1', type: 'function', function: { name: 'read_file', arguments: 'y'.repeat(83) } }],
      },
    ]);
    assert.equal(tokens, Math.ceil((392 + 8 + 8 + 9 + 83) / 4));
  });

  it('reads a limit setting as a whole number ≥ 0, else the default', () => {
    assert.equal(limitValue(10.7, 25), 10);
    assert.equal(limitValue(0, 25), 0);
    assert.equal(limitValue(-1, 25), 25);
    assert.equal(limitValue('12', 25), 25);
    assert.equal(limitValue(Number.NaN, 25), 25);
  });
});
