import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keyArgument, toolCallDetails } from '../../src/core/agent/toolCallDetails';
import { sessionMatches } from '../../src/core/session/search';
import { parseHostMessage, parseWebviewMessage } from '../../src/core/protocol';
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

describe('protocol: the chat shell messages', () => {
  it('reads the host messages and drops malformed ones', () => {
    const servers = [{ preset: 'ollama', label: 'Ollama', baseUrl: 'http://127.0.0.1:11434/v1', models: ['q'] }];
    assert.deepEqual(parseHostMessage({ type: 'localServers', servers, extra: 1 }), { type: 'localServers', servers });
    assert.equal(parseHostMessage({ type: 'localServers', servers: [{ ...servers[0], models: [3] }] }), undefined);
    assert.deepEqual(parseHostMessage({ type: 'reasoning', messageId: 'a', text: 'hm' }), {
      type: 'reasoning',
      messageId: 'a',
      text: 'hm',
    });
    assert.deepEqual(parseHostMessage({ type: 'sessionMatches', requestId: 2, ids: ['s1'] }), {
      type: 'sessionMatches',
      requestId: 2,
      ids: ['s1'],
    });
    assert.equal(parseHostMessage({ type: 'sessionMatches', requestId: -1, ids: [] }), undefined);
  });

  it('keeps a tool card detail, arguments and result, and refuses them when not strings', () => {
    const call = { id: 'c', name: 'get_weather', title: 'get_weather', status: 'done', detail: 'Paris', result: '20°' };
    const message = parseHostMessage({ type: 'toolCall', messageId: 'm', call });
    assert.deepEqual(message, { type: 'toolCall', messageId: 'm', call });
    assert.equal(parseHostMessage({ type: 'toolCall', messageId: 'm', call: { ...call, arguments: {} } }), undefined);
  });

  it('reads the webview messages, bounded', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'chooseProvider' }), { type: 'chooseProvider' });
    assert.deepEqual(parseWebviewMessage({ type: 'chooseProvider', preset: 'vllm', model: 'm' }), {
      type: 'chooseProvider',
      preset: 'vllm',
      model: 'm',
    });
    assert.equal(parseWebviewMessage({ type: 'chooseProvider', baseUrl: 'x'.repeat(3000) }), undefined);
    assert.deepEqual(parseWebviewMessage({ type: 'searchSessions', requestId: 1, query: 'tokyo' }), {
      type: 'searchSessions',
      requestId: 1,
      query: 'tokyo',
    });
    assert.equal(parseWebviewMessage({ type: 'searchSessions', requestId: 1, query: 'x'.repeat(501) }), undefined);
    assert.deepEqual(parseWebviewMessage({ type: 'findLocalServers' }), { type: 'findLocalServers' });
    assert.deepEqual(parseWebviewMessage({ type: 'sessionAction', sessionId: 's', action: 'undoDelete' }), {
      type: 'sessionAction',
      sessionId: 's',
      action: 'undoDelete',
    });
  });
});
