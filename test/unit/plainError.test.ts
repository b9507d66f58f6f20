import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { plainError } from '../../src/webview/plainError';
import { httpError, toModelError } from '../../src/core/model/errors';

const context = { baseUrl: 'http://127.0.0.1:8000/v1', model: 'qwen3-coder' };

describe('plainError', () => {
  it('a 401 offers Set API Key, not Retry', () => {
    const text = httpError(401, '{"error":{"message":"Incorrect API key"}}', undefined, context).message;
    const shown = plainError(text);
    assert.equal(shown.action, 'setApiKey');
    assert.equal(shown.summary, 'The model server did not accept the API key.');
    assert.equal(shown.details, text);
  });

  it('a dropped socket is said in words; the host stays in the details, the code nowhere', () => {
    const error = new TypeError('terminated', { cause: { code: 'UND_ERR_SOCKET' } });
    const text = toModelError(error, context).message;
    const shown = plainError(text);
    assert.doesNotMatch(shown.summary, /UND_ERR|127\.0\.0\.1|:8000/);
    assert.match(shown.details ?? '', /127\.0\.0\.1:8000 broke off before the answer was complete\. Retry/);
    assert.doesNotMatch(shown.details ?? '', /UND_ERR/);
    assert.equal(shown.action, 'retry');
  });

  it('a refused connection points at the provider choice', () => {
    const error = new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    const shown = plainError(toModelError(error, context).message);
    assert.equal(shown.action, 'chooseProvider');
    assert.doesNotMatch(shown.summary, /ECONNREFUSED|8000/);
  });

  it('an unknown text keeps its words and offers Retry; nothing says the answer failed', () => {
    assert.deepEqual(plainError('Something odd.'), { summary: 'Something odd.', action: 'retry' });
    assert.deepEqual(plainError(undefined), { summary: 'The answer failed.', action: 'retry' });
  });

  it('a context overflow asks for a new chat, not a retry that fails the same way', () => {
    const text = httpError(400, '{"error":{"message":"maximum context length is 8192 tokens"}}', undefined, context);
    assert.equal(plainError(text.message).action, 'none');
  });
});
