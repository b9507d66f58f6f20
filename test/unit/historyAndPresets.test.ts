import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { trimOldestTurns } from '../../src/core/model/history';
import { PROVIDER_PRESETS, parseProfiles, profileSecretKey, upsertProfile } from '../../src/core/model/presets';
import type { ChatMessage } from '../../src/core/model/types';
import { UsageMeter, formatTokens } from '../../src/core/model/usageMeter';

const history: ChatMessage[] = [
  { role: 'system', content: 'SYSTEM' },
  { role: 'user', content: 'q1' },
  {
    role: 'assistant',
    content: null,
    tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{}' } }],
  },
  { role: 'tool', tool_call_id: 'c1', content: 'file' },
  { role: 'assistant', content: 'a1' },
  { role: 'user', content: 'q2' },
  { role: 'assistant', content: 'a2' },
  { role: 'user', content: 'q3' },
  { role: 'assistant', content: 'a3' },
  { role: 'user', content: 'q4' },
];

describe('trimOldestTurns', () => {
  it('drops the oldest half of the earlier turns, whole, keeping system messages and the latest turn', () => {
    const { messages, removedTurns } = trimOldestTurns(history);
    assert.equal(removedTurns, 2);
    assert.deepEqual(messages, [history[0], ...history.slice(7)]);
  });

  it('never separates a tool result from its call, and can drop all but the latest turn', () => {
    const { messages } = trimOldestTurns(history, 1);
    assert.deepEqual(messages, [history[0], history[9]]);
    const one = trimOldestTurns(history, 0.1);
    assert.equal(one.removedTurns, 1);
    assert.deepEqual(one.messages, [history[0], ...history.slice(5)]);
  });

  it('has nothing to drop when only one turn is left', () => {
    const only: ChatMessage[] = [
      { role: 'system', content: 'S' },
      { role: 'user', content: 'q' },
    ];
    assert.deepEqual(trimOldestTurns(only), { messages: only, removedTurns: 0 });
  });
});

describe('provider presets and profiles', () => {
  it('offers every server the issue names, with a key only where a hosted service needs one', () => {
    const ids = PROVIDER_PRESETS.map((p) => p.id);
    assert.deepEqual(ids, [
      'dashscope-intl',
      'dashscope-cn',
      'openrouter',
      'vllm',
      'sglang',
      'ollama',
      'lmstudio',
      'llamacpp',
      'openai',
      'custom',
    ]);
    for (const preset of PROVIDER_PRESETS.filter((p) => p.id !== 'custom')) {
      assert.match(preset.baseUrl, /^https?:\/\/[^/]+(\/[\w-]+)*\/v1$/, preset.id);
      assert.ok(preset.model, preset.id);
      assert.equal(preset.needsKey, preset.baseUrl.startsWith('https://'), preset.id);
    }
  });

  it('reads the profiles setting leniently', () => {
    const profiles = parseProfiles([
      {
        name: ' Work ',
        baseUrl: 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1/',
        model: 'qwen3-coder-plus',
        preset: 'dashscope-intl',
      },
      { name: 'Work', baseUrl: 'http://dup', model: 'x' },
      { name: 'broken', baseUrl: '', model: 'x' },
      'junk',
      { name: 'Home', baseUrl: 'http://localhost:11434/v1', model: 'qwen3-coder:30b' },
    ]);
    assert.deepEqual(profiles, [
      {
        name: 'Work',
        baseUrl: 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1',
        model: 'qwen3-coder-plus',
        preset: 'dashscope-intl',
      },
      { name: 'Home', baseUrl: 'http://localhost:11434/v1', model: 'qwen3-coder:30b' },
    ]);
    assert.deepEqual(parseProfiles(undefined), []);
  });

  it('replaces a profile by name, or adds it', () => {
    const a = { name: 'A', baseUrl: 'http://a/v1', model: 'm' };
    assert.deepEqual(upsertProfile([a], { ...a, model: 'n' }), [{ ...a, model: 'n' }]);
    assert.deepEqual(
      upsertProfile([a], { name: 'B', baseUrl: 'http://b/v1', model: 'm' }).map((p) => p.name),
      ['A', 'B'],
    );
    assert.notEqual(profileSecretKey('A'), profileSecretKey('B'));
    assert.notEqual(profileSecretKey('A'), 'qcoder.apiKey');
  });
});

describe('UsageMeter', () => {
  it('adds up usage and tells listeners until they are disposed', () => {
    const meter = new UsageMeter();
    const seen: number[] = [];
    const listener = meter.onDidChange((totals) => seen.push(totals.promptTokens + totals.completionTokens));
    meter.record({ promptTokens: 100, completionTokens: 20 });
    meter.record({ promptTokens: 50, completionTokens: 5 });
    listener.dispose();
    meter.record({ promptTokens: 1, completionTokens: 1 });
    assert.deepEqual(seen, [120, 175]);
    assert.deepEqual(meter.totals, { promptTokens: 151, completionTokens: 26, requests: 3 });
  });
});

describe('formatTokens', () => {
  it('says counts the way a status bar has room for', () => {
    assert.deepEqual([0, 950, 1000, 1234, 12_345, 999_999, 1_000_000, 1_250_000].map(formatTokens), [
      '0',
      '950',
      '1K',
      '1.2K',
      '12K',
      '1M',
      '1M',
      '1.25M',
    ]);
  });
});
