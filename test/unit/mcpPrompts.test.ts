import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { promptCommand, promptText } from '../../src/core/mcp/prompts';

describe('MCP prompts as slash commands', () => {
  const asked: Record<string, string>[] = [];
  const command = promptCommand(
    'everything',
    {
      name: 'args-prompt',
      description: 'A prompt with arguments',
      arguments: [{ name: 'city', required: true }, { name: 'state' }],
    },
    async (args) => {
      asked.push(args);
      return `prompt for ${JSON.stringify(args)}`;
    },
  )!;

  test('named /mcp.server.prompt, with its arguments as the hint', () => {
    assert.equal(command.name, 'mcp.everything.args-prompt');
    assert.equal(command.argumentHint, '<city> [state]');
    assert.match(command.description, /^A prompt with arguments \(MCP prompt of everything\)$/);
  });

  test('arguments in declared order, quotes group words, the last takes the rest of the line', async () => {
    assert.equal(await command.expand!('"New York" NY'), 'prompt for {"city":"New York","state":"NY"}');
    await command.expand!('Paris Ile de France');
    assert.deepEqual(asked.at(-1), { city: 'Paris', state: 'Ile de France' });
    await command.expand!('Lyon');
    assert.deepEqual(asked.at(-1), { city: 'Lyon' });
  });

  test('a missing required argument is a clear error, and the server is not asked', async () => {
    const before = asked.length;
    await assert.rejects(
      command.expand!(''),
      /^Error: \/mcp\.everything\.args-prompt needs city \(<city> \[state\]\)$/,
    );
    assert.equal(asked.length, before);
  });

  test('a prompt name that cannot be typed is not offered; a prompt without arguments has no hint', () => {
    assert.equal(
      promptCommand('s', { name: 'has space' }, async () => ''),
      undefined,
    );
    assert.equal(promptCommand('s', { name: 'plain' }, async () => '')?.argumentHint, undefined);
  });

  test("the prompt's messages become one message", () => {
    assert.equal(
      promptText([
        { role: 'user', content: { type: 'text', text: 'first' } },
        { role: 'assistant', content: { type: 'resource', resource: { uri: 'x://a', text: 'embedded' } } },
        { role: 'user', content: { type: 'image', data: 'AAAA', mimeType: 'image/png' } },
      ]),
      'first\n\nembedded\n\n[image content from the prompt not shown]',
    );
  });
});
