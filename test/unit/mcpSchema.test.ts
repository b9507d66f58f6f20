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

  test('unions, intersections, references and types, reduced exactly', () => {
    const one = (property: unknown, extra: Record<string, unknown> = {}) =>
      (reduceSchema({ type: 'object', properties: { a: property }, ...extra }).properties as Record<string, unknown>).a;
    assert.deepEqual(one({ anyOf: [{ type: 'string' }, { type: 'null' }] }), { type: 'string' });
    // A union of constants stays a choice among all of them.
    assert.deepEqual(one({ oneOf: [{ const: 'x' }, { const: 'y' }] }), { type: 'string', enum: ['x', 'y'] });
    assert.deepEqual(one({ anyOf: [{ type: 'string', enum: ['x'] }, { const: 'y' }, { type: 'null' }] }), {
      type: 'string',
      enum: ['x', 'y'],
    });
    assert.deepEqual(one({ anyOf: [{ properties: { x: { type: 'string' } } }, { type: 'number' }, { const: 3 }] }), {
      type: 'object',
      properties: { x: { type: 'string' } },
      description: '(one of: object | number | 3)',
    });
    assert.deepEqual(
      one({ $ref: '#/$defs/X', description: 'Over' }, { $defs: { X: { type: 'string', description: 'Inner' } } }),
      {
        type: 'string',
        description: 'Over',
      },
    );
    assert.deepEqual(one({ $ref: '#/$defs/a~1b~0c' }, { $defs: { 'a/b~c': { type: 'boolean' } } }), {
      type: 'boolean',
    });
    assert.deepEqual(one({ $ref: '#/definitions/Y' }, { definitions: { Y: { type: 'integer', minimum: 1 } } }), {
      type: 'integer',
      minimum: 1,
    });
    assert.deepEqual(one({ type: ['string', 'number'] }), { type: 'string', description: '(type: string or number)' });
    assert.deepEqual(one({ type: ['null', 'boolean'] }), { type: 'boolean' });
    assert.deepEqual(one({ type: 'null' }), {});
    assert.deepEqual(one({ enum: [1, 2] }), { enum: [1, 2] });
    assert.deepEqual(one({ enum: ['p', 'q'] }), { type: 'string', enum: ['p', 'q'] });
    assert.deepEqual(one({ items: { type: 'number' } }), { type: 'array', items: { type: 'number' } });
    assert.deepEqual(one({ type: 'array', items: { description: 'anything' } }), { type: 'array', items: {} });
    assert.deepEqual(one({ type: 'array' }), { type: 'array', items: {} });
    assert.deepEqual(one({ type: 'string', default: { k: 1 } }), { type: 'string', description: '(default: {"k":1})' });
    assert.deepEqual(one({ type: 'string', description: 'Name', pattern: '^a$', format: 'email' }), {
      type: 'string',
      description: 'Name (format: email; pattern: ^a$)',
    });
    // A property with words but no type is any value; its words move to the object's description.
    assert.deepEqual(
      reduceSchema({ type: 'object', description: 'Args', properties: { n: { description: 'count', default: 3 } } }),
      {
        type: 'object',
        description: 'Args (n: count (default: 3))',
        properties: { n: {} },
      },
    );
    assert.deepEqual(
      reduceSchema({ allOf: [{ type: 'object', properties: { a: { type: 'string' } } }, { required: ['a'] }] }),
      { type: 'object', required: ['a'], properties: { a: { type: 'string' } } },
    );
    // A draft-03 `required: true` is not a list: dropped, not passed on.
    assert.deepEqual(reduceSchema({ type: 'object', properties: { a: { type: 'string' } }, required: true }), {
      type: 'object',
      properties: { a: { type: 'string' } },
    });
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

  test('what a block leaves out is named plainly; odd blocks are skipped', () => {
    const text = (content: unknown[]) => resultForModel({ content }, options).text;
    assert.equal(
      text([{ type: 'image', data: 'AAAA' }]),
      '[image: image/png, 3 bytes, not shown: the model does not take images]',
    );
    assert.equal(
      text([{ type: 'image', mimeType: 'image/gif', data: 'AAA=' }]),
      '[image: image/gif, 2 bytes, not shown: the model does not take images]',
    );
    assert.equal(
      text([{ type: 'image', mimeType: 'image/gif', data: 'AA==' }]),
      '[image: image/gif, 1 bytes, not shown: the model does not take images]',
    );
    assert.equal(
      text([{ type: 'image', mimeType: 'image/gif', data: 'A'.repeat(1364) }]),
      '[image: image/gif, 1023 bytes, not shown: the model does not take images]',
    );
    assert.equal(
      text([{ type: 'image', mimeType: 'image/gif', data: `${'A'.repeat(1366)}==` }]),
      '[image: image/gif, 1 KB, not shown: the model does not take images]',
    );
    assert.equal(text([{ type: 'audio', mimeType: 'audio/wav', data: 'AAAA' }]), '[audio (audio/wav) not shown]');
    assert.equal(text([{ type: 'audio', data: 'AAAA' }]), '[audio (unknown type) not shown]');
    assert.equal(
      text([{ type: 'resource', resource: { text: 'plain' } }]),
      '<resource uri="resource">\nplain\n</resource>',
    );
    assert.equal(
      text([{ type: 'resource', resource: { uri: 'x://b', blob: 'AAAA' } }]),
      '[resource x://b: binary, 3 bytes, not shown]',
    );
    assert.equal(text([{ type: 'resource' }]), '[resource resource: binary, 0 bytes, not shown]');
    assert.equal(text([{ type: 'resource_link' }]), '[resource : ]');
    assert.equal(text(['loose', null, { type: 'text', text: 7 }, { type: 'text', text: 'kept' }]), 'kept');
    assert.equal(resultForModel({ content: 'not a list' }, options).text, '(no content)');
    assert.equal(resultForModel('not an object', options).text, '(no content)');
    // Structured content is the answer only when there is no content to show.
    assert.equal(
      resultForModel({ content: [{ type: 'text', text: 'shown' }], structuredContent: { t: 1 } }, options).text,
      'shown',
    );
    assert.deepEqual(resultForModel({ isError: true, content: [{ type: 'text', text: 'bad input' }] }, options), {
      text: 'bad input',
      images: [],
      isError: true,
      truncated: false,
    });
    // A vision model with no image data gets the description, not an empty image.
    const empty = resultForModel({ content: [{ type: 'image', mimeType: 'image/png' }] }, { ...options, vision: true });
    assert.deepEqual(empty.images, []);
    assert.equal(empty.text, '[image: image/png, 0 bytes, not shown: the server sent no image data]');
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
    const exact = 'one two three';
    assert.deepEqual(fitTokens(exact, estimatingCounter, estimatingCounter.count(exact)), {
      text: exact,
      truncated: false,
    });
    // Empty lines survive the cut (a long line is broken into pieces; an empty one stays a line).
    const cut = fitTokens(`top\n\n${'word '.repeat(3_000)}\n\nend`, estimatingCounter, 200);
    assert.ok(cut.truncated);
    assert.ok(cut.text.startsWith('top\n\n'), cut.text.slice(0, 20));
    assert.ok(cut.text.endsWith('\n\nend'), cut.text.slice(-20));
  });
});
