import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactSecrets } from '../../src/core/context/files/secretRules';
import { keyScrubber, scrubBody } from '../../src/core/util/scrubbingFetch';

describe('keyScrubber', () => {
  const key = 'local-proxy-token-4711';
  const redact = keyScrubber(key, (text) => redactSecrets(text));

  it('replaces the exact key, in no known shape, wherever a body carries it', () => {
    const body = JSON.stringify({ messages: [{ role: 'tool', content: `$ printenv\nQC_KEY=${key}\nPATH=/bin` }] });
    const scrubbed = scrubBody(body, redact);
    assert.equal(scrubbed.body.includes(key), false);
    assert.match(scrubbed.body, /QC_KEY=\[API key hidden\]/);
    assert.deepEqual(scrubbed.kinds, ['API key']);
  });

  it('keeps the secret shapes and leaves a body without secrets as it was', () => {
    const body = JSON.stringify({ content: 'ghp_0123456789abcdefghij0123456789abcdef and nothing else' });
    assert.deepEqual(scrubBody(body, redact).kinds, ['GitHub token']);
    assert.deepEqual(scrubBody('{"content":"hello"}', redact), { body: '{"content":"hello"}', kinds: [] });
  });

  it('does not blank ordinary words with a placeholder key for a local server', () => {
    assert.equal(keyScrubber('x', (text) => ({ text, found: [] }))('xyz').text, 'xyz');
    assert.equal(keyScrubber(undefined, (text) => ({ text, found: [] }))('xyz').text, 'xyz');
  });
});
