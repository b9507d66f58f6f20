import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { estimatingCounter } from '../../src/core/context/tokens/tokenCounter';
import { fitTokens, IMAGE_TOKENS, resultForModel } from '../../src/core/mcp/results';
import { reduceSchema } from '../../src/core/mcp/schema';

/** The subset Ollama's fixed tool shape, llama.cpp's grammar conversion and vLLM's guided decoding all take. */
const ALLOWED = new Set(['type', 'description', 'properties', 'required', 'items', 'enum', 'minimum', 'maximum']);
const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array']);

function assertPortable(schema: unknown, where = 'schema'): void {
  assert.ok(typeof schema === 'object' && schema !== null && !Array.isArray(schema), `${where} is an object`);
  for (const [key, value] of Object.entries(schema)) {
    assert.ok(ALLOWED.has(key), `${where} has no "${key}"`);
    if (key === 'type') assert.ok(typeof value === 'string' && TYPES.has(value), `${where}.type is one simple type`);
    if (key === 'properties')
      for (const [name, child] of Object.entries(value as object)) assertPortable(child, `${where}.${name}`);
    if (key === 'items') assertPortable(value, `${where}[]`);
  }
}

describe('MCP input schemas offered to open-model servers', () => {
  test('a zod-generated schema keeps its meaning and loses what servers reject', () => {
    const input = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      additionalProperties: false,
      properties: {
        path: { type: 'string', description: 'File path', minLength: 1, format: 'uri-reference' },
        mode: { type: 'string', enum: ['read', 'write'], default: 'read' },
        depth: { type: ['integer', 'null'], minimum: 0, maximum: 10 },
        tags: { type: 'array', items: { type: 'string', pattern: '^[a-z]+$' }, uniqueItems: true },
        target: { anyOf: [{ type: 'string' }, { type: 'number' }], description: 'Where' },
        options: { $ref: '#/$defs/Options' },
        kind: { const: 'fixed' },
      },
      required: ['path', 'ghost'],
      $defs: {
        Options: { type: 'object', properties: { dryRun: { type: 'boolean' } }, patternProperties: { '^x-': {} } },
      },
      if: { properties: { mode: { const: 'write' } } },
      then: { required: ['target'] },
    };
    const reduced = reduceSchema(input);
    assertPortable(reduced);
    const properties = reduced.properties as Record<string, Record<string, unknown>>;
    assert.deepEqual(reduced.required, ['path'], 'a required name with no property is dropped');
    assert.equal(properties.path.type, 'string');
    assert.match(String(properties.path.description), /^File path \(format: uri-reference\)$/);
    assert.deepEqual(properties.mode.enum, ['read', 'write']);
    assert.match(String(properties.mode.description), /default: "read"/);
    assert.equal(properties.depth.type, 'integer');
    assert.equal(properties.depth.maximum, 10);
    assert.deepEqual(properties.tags.items, { type: 'string', description: '(pattern: ^[a-z]+$)' });
    assert.equal(properties.target.type, 'string');
    assert.match(String(properties.target.description), /^Where \(one of: string \| number\)$/);
    assert.deepEqual(properties.options, { type: 'object', properties: { dryRun: { type: 'boolean' } } });
    assert.deepEqual(properties.kind.enum, ['fixed']);
  });

  test('recursive and unresolvable references end, and say so', () => {
    const reduced = reduceSchema({
      type: 'object',
      properties: {
        tree: { $ref: '#/definitions/Node' },
        remote: { $ref: 'https://example.test/schema.json' },
      },
      definitions: { Node: { type: 'object', properties: { child: { $ref: '#/definitions/Node' } } } },
    });
    assertPortable(reduced);
    const tree = (reduced.properties as Record<string, Record<string, unknown>>).tree;
    const child = (tree.properties as Record<string, Record<string, unknown>>).child;
    assert.equal(child.type, 'object');
    assert.match(String(child.description), /structure not shown/);
  });

  test('deep nesting stops at six levels', () => {
    let schema: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 12; i++) schema = { type: 'object', properties: { next: schema } };
    const reduced = reduceSchema(schema);
    assertPortable(reduced);
    let depth = 0;
    let node = reduced;
    while (node.properties && (node.properties as Record<string, unknown>).next) {
      node = (node.properties as Record<string, Record<string, unknown>>).next;
      depth++;
    }
    assert.equal(depth, 6);
    assert.match(String(node.description), /nested structure not shown/);
  });

  test('whatever comes in, an object schema goes out', () => {
    for (const input of [undefined, null, 'x', [], { type: 'string' }, {}])
      assert.deepEqual(reduceSchema(input), { type: 'object', properties: {} });
  });
});

describe('MCP results for the model', () => {
  const options = { counter: estimatingCounter, budget: 2_000, vision: false };

  test('text, an embedded resource, a resource link; an image is named for a text model', () => {
    const result = resultForModel(
      {
        content: [
          { type: 'text', text: 'first' },
          { type: 'resource', resource: { uri: 'file:///notes.md', mimeType: 'text/markdown', text: '# Notes' } },
          { type: 'resource', resource: { uri: 'blob://x', mimeType: 'application/zip', blob: 'AAAA'.repeat(512) } },
          { type: 'resource_link', uri: 'demo://r/1', name: 'r1' },
          { type: 'image', mimeType: 'image/png', data: 'iVBORw0KGgo=' },
          { type: 'mystery' },
        ],
      },
      options,
    );
    assert.equal(
      result.text,
      [
        'first',
        '<resource uri="file:///notes.md">\n# Notes\n</resource>',
        '[resource blob://x: application/zip, 2 KB, not shown]',
        '[resource r1: demo://r/1]',
        '[image: image/png, 8 bytes, not shown: the model does not take images]',
      ].join('\n\n'),
    );
    assert.deepEqual(result.images, []);
    assert.equal(result.isError, false);
  });

  test('a vision model gets the image itself', () => {
    const result = resultForModel(
      { content: [{ type: 'image', mimeType: 'image/png', data: 'iVBORw0KGgo=' }] },
      { ...options, vision: true },
    );
    assert.deepEqual(result.images, [{ mimeType: 'image/png', data: 'iVBORw0KGgo=' }]);
    assert.equal(result.text, '[image 1: image/png, attached below]');
  });

  test('images count against the budget: at most half of it, the text gets the rest', () => {
    const image = { type: 'image', mimeType: 'image/jpeg', data: 'A'.repeat(16 * 1024) };
    const text = 'word '.repeat(4_000);
    const result = resultForModel(
      { content: [image, image, image, { type: 'text', text }] },
      { counter: estimatingCounter, budget: 5_000, vision: true },
    );
    // 5,000 tokens: two images (2 × 1,000) fit in half of it, the third is described.
    assert.equal(result.images.length, 2);
    assert.match(result.text, /\[image: image\/jpeg, 12 KB, not shown: over the token budget for images\]/);
    assert.ok(result.truncated);
    assert.ok(estimatingCounter.count(result.text) <= 5_000 - 2 * IMAGE_TOKENS);
    // Without room for even one image, a vision model is told why, the same way.
    const small = resultForModel({ content: [image] }, { counter: estimatingCounter, budget: 1_500, vision: true });
    assert.deepEqual(small.images, []);
    assert.match(small.text, /not shown: over the token budget for images/);
  });

  test('isError goes back as an error; an empty result says so; structured content is used when alone', () => {
    assert.deepEqual(resultForModel({ isError: true, content: [] }, options), {
      text: 'The tool failed and said nothing.',
      images: [],
      isError: true,
      truncated: false,
    });
    assert.equal(resultForModel({ content: [] }, options).text, '(no content)');
    assert.equal(resultForModel({ structuredContent: { t: 1 } }, options).text, '{\n  "t": 1\n}');
  });

  test('a 50 MB answer is cut to the budget, head and tail kept, counted', () => {
    const huge = `HEAD-MARK ${'x'.repeat(50 * 1024 * 1024)} TAIL-MARK`;
    const result = resultForModel({ content: [{ type: 'text', text: huge }] }, options);
    assert.ok(result.truncated);
    assert.ok(estimatingCounter.count(result.text) <= 2_000);
    assert.ok(result.text.startsWith('HEAD-MARK'));
    assert.ok(result.text.endsWith('TAIL-MARK'));
    assert.match(result.text, /… \[\d+ lines omitted\] …/);
    assert.deepEqual(fitTokens('short', estimatingCounter, 10), { text: 'short', truncated: false });
  });
});
