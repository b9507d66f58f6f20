import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_BASE_URL,
  DEFAULT_MODEL,
  isLoopback,
  resolveEndpoint,
  validateBaseUrl,
} from '../../src/core/model/endpoint';

describe('resolveEndpoint', () => {
  it('defaults to DashScope compatible mode and qwen3-coder-plus', () => {
    const endpoint = resolveEndpoint({}, {});
    assert.equal(endpoint.baseUrl, DEFAULT_BASE_URL);
    assert.equal(endpoint.model, DEFAULT_MODEL);
    assert.equal(endpoint.baseUrlSource, 'default');
  });

  it('honours OPENAI_BASE_URL and OPENAI_MODEL as Qwen Code does', () => {
    const endpoint = resolveEndpoint(
      { baseUrl: '  ', model: '' },
      { OPENAI_BASE_URL: 'http://127.0.0.1:8000/v1/', OPENAI_MODEL: 'Qwen/Qwen3-Coder-30B-A3B-Instruct' },
    );
    assert.equal(endpoint.baseUrl, 'http://127.0.0.1:8000/v1');
    assert.equal(endpoint.model, 'Qwen/Qwen3-Coder-30B-A3B-Instruct');
    assert.equal(endpoint.modelSource, 'environment');
  });

  it('prefers settings over the environment', () => {
    const endpoint = resolveEndpoint(
      { baseUrl: 'https://openrouter.ai/api/v1', model: 'qwen/qwen3-coder' },
      { OPENAI_BASE_URL: 'http://127.0.0.1:1/v1', OPENAI_MODEL: 'x' },
    );
    assert.equal(endpoint.baseUrl, 'https://openrouter.ai/api/v1');
    assert.equal(endpoint.model, 'qwen/qwen3-coder');
    assert.equal(endpoint.baseUrlSource, 'setting');
  });
});

describe('isLoopback / validateBaseUrl', () => {
  it('knows local servers', () => {
    assert.ok(isLoopback('http://localhost:11434/v1'));
    assert.ok(isLoopback('http://127.0.0.1:1234/v1'));
    assert.ok(isLoopback('http://[::1]:8080/v1'));
    assert.ok(!isLoopback('https://dashscope-intl.aliyuncs.com/compatible-mode/v1'));
    assert.ok(!isLoopback('not a url'));
  });

  it('refuses what is not an http(s) URL, in words', () => {
    assert.match(validateBaseUrl('dashscope') ?? '', /is not a URL/);
    assert.match(validateBaseUrl('file:///etc/passwd') ?? '', /must start with http/);
    assert.equal(validateBaseUrl('https://api.openai.com/v1'), undefined);
  });
});
