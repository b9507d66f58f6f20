import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keyArgument, toolCallDetails } from '../../src/core/agent/toolCallDetails';
import { sessionMatches } from '../../src/core/session/search';
import { settlePoint } from '../../src/webview/streamRender';

describe('tool card details', () => {
  it('two get_weather calls show their cities', () => {
    assert.equal(keyArgument('{"city":"Paris","unit":"c"}'), 'Paris');
    assert.equal(keyArgument('{"unit":"c","city":"Tokyo"}'), 'Tokyo');
  });

  it('prefers the path, falls back to the first short value, and cuts one line', () => {
    assert.equal(keyArgument('{"limit":5,"path":"src/a.ts"}'), 'src/a.ts');
    assert.equal(keyArgument('{"limit":5}'), '5');
    assert.equal(keyArgument('{"command":"ls\\nrm -rf x"}'), 'ls');
    assert.equal(keyArgument('not json'), undefined);
    assert.equal(keyArgument('{"x":"' + 'a'.repeat(200) + '"}')?.length, 80);
  });

  it('the expanded card carries pretty arguments and the result, bounded', () => {
    const details = toolCallDetails({ rawArguments: '{"city":"Paris"}', result: 'r'.repeat(5000) });
    assert.equal(details.arguments, '{\n  "city": "Paris"\n}');
    assert.equal(details.result?.length, 4000);
    assert.deepEqual(toolCallDetails({ rawArguments: '{}' }), {});
  });
});

describe('session search', () => {
  const session = {
    title: 'Storage notes',
    messages: [{ content: 'Where are the files kept?' }, { content: 'In globalStorage.' }],
  } as Parameters<typeof sessionMatches>[0];

  it('matches every word in the title or any message, case-insensitive', () => {
    assert.ok(sessionMatches(session, 'storage'));
    assert.ok(sessionMatches(session, 'FILES globalstorage'));
    assert.ok(!sessionMatches(session, 'files tokyo'));
    assert.ok(sessionMatches(session, '  '));
  });
});

describe('streaming render: where a streaming answer is cut', () => {
  it('cuts after the last blank line outside a fence, never inside one', () => {
    const text = 'Intro.\n\n```ts\nconst a = 1;\n\nconst b = 2;\n```\n\nMore';
    assert.deepEqual(settlePoint(text, 0, undefined), { length: text.indexOf('More') });
    assert.deepEqual(settlePoint('Intro.\n\n```ts\nconst a = 1;\n\nconst b', 0, undefined), { length: 8 });
  });

  it('cuts a long open code block at a line end, remembering its fence', () => {
    const body = Array.from({ length: 200 }, (_, i) => `const line${i} = ${i};`).join('\n');
    const point = settlePoint(`\`\`\`ts\n${body}`, 0, undefined);
    assert.equal(point.openFence, '```ts');
    assert.ok(point.length > 2000);
    const next = settlePoint(`\`\`\`ts\n${body}\n\`\`\`\n\nafter`, point.length, point.openFence);
    assert.equal(next.openFence, undefined, 'the closing fence ends the block');
  });
});
