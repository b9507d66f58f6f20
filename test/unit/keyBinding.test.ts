import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeStoredKey, encodeStoredKey, keyEndpoint, keyMatches } from '../../src/core/model/keyBinding';

describe('keyBinding: a key belongs to the endpoint it was stored for', () => {
  it('binds to scheme, host, port and path; never to query, fragment or credentials', () => {
    assert.equal(keyEndpoint('https://OpenRouter.ai/api/v1/'), 'https://openrouter.ai/api/v1');
    assert.equal(keyEndpoint('https://user:pw@host.example:8443/v1?x=1#f'), 'https://host.example:8443/v1');
    assert.equal(keyEndpoint('http://127.0.0.1:8000/v1'), 'http://127.0.0.1:8000/v1');
    assert.equal(keyEndpoint('not a url'), undefined);
    assert.equal(keyEndpoint('ftp://host/v1'), undefined);
  });

  it('matches only the same endpoint', () => {
    const stored = decodeStoredKey(encodeStoredKey('sk-1', 'https://api.example.com/v1'))!;
    assert.deepEqual(stored, { key: 'sk-1', endpoint: 'https://api.example.com/v1' });
    assert.ok(keyMatches(stored, 'https://api.example.com/v1/'));
    for (const other of [
      'http://api.example.com/v1',
      'https://api.example.com:444/v1',
      'https://api.example.com/v2',
      'https://api.example.com.evil.test/v1',
      'https://evil.test/api.example.com/v1',
      'https://api.example.com/v1/../evil',
    ])
      assert.equal(keyMatches(stored, other), false, other);
  });

  it('reads a bare key from before binding as bound to nothing', () => {
    assert.deepEqual(decodeStoredKey('sk-legacy'), { key: 'sk-legacy' });
    assert.equal(keyMatches({ key: 'sk-legacy' }, 'https://api.example.com/v1'), false);
    assert.deepEqual(decodeStoredKey('{not json'), { key: '{not json' });
    assert.equal(decodeStoredKey(undefined), undefined);
    assert.equal(decodeStoredKey(''), undefined);
  });
});

describe('keyBinding: edges', () => {
  it('drops every trailing slash and never matches an unparsable base URL', () => {
    assert.equal(keyEndpoint('https://h.example/v1//'), 'https://h.example/v1');
    assert.equal(keyMatches({ key: 'k' }, 'not a url'), false);
    assert.equal(keyMatches({ key: 'k', endpoint: 'https://h.example/v1' }, 'not a url'), false);
  });

  it('stores a key for an unparsable base URL bound to nothing', () => {
    assert.deepEqual(decodeStoredKey(encodeStoredKey('k', 'nonsense')), { key: 'k' });
  });

  it('reads only well-formed stored records; anything else is a bare key', () => {
    assert.deepEqual(decodeStoredKey('{"key":"k"}'), { key: 'k' });
    assert.deepEqual(decodeStoredKey('{"key":"k","endpoint":7}'), { key: 'k' });
    assert.deepEqual(decodeStoredKey('{"key":5}'), { key: '{"key":5}' });
    assert.deepEqual(decodeStoredKey('{"key":""}'), { key: '{"key":""}' });
    assert.deepEqual(decodeStoredKey('12345'), { key: '12345' });
    assert.deepEqual(decodeStoredKey('null'), { key: 'null' });
  });
});
