import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { acceptsImages } from '../../src/core/model/vision';

describe('acceptsImages', () => {
  it('takes the vision families by name', () => {
    for (const model of [
      'qwen3-vl-plus',
      'Qwen2.5-VL-7B-Instruct',
      'qwen-vl-max',
      'llava:13b',
      'gpt-4o-mini',
      'gemma3:12b',
    ])
      assert.equal(acceptsImages(model), true, model);
  });
  it('does not take coder and text models', () => {
    for (const model of [
      'qwen3-coder-plus',
      'Qwen3-Coder-30B-A3B-Instruct',
      'qwen2.5-coder:7b',
      'deepseek-v3',
      'devstral',
    ])
      assert.equal(acceptsImages(model), false, model);
  });
  it('follows the setting over the name', () => {
    assert.equal(acceptsImages('qwen3-coder-plus', 'on'), true);
    assert.equal(acceptsImages('qwen3-vl-plus', 'off'), false);
  });
});
