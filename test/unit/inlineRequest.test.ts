import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimatingCounter } from '../../src/core/context';
import { END_MARKER, START_MARKER, importLines, inlineRequest, type InlineRequestInput } from '../../src/core/inline';

const file = [
  "import { helper } from './helper';",
  'import {',
  '  other,',
  "} from './other';",
  '',
  ...Array.from({ length: 200 }, (_, i) => `export const filler${i} = ${i};`),
  'export function target(a: number): number {',
  '  return a + helper(a);',
  '}',
  ...Array.from({ length: 200 }, (_, i) => `export const after${i} = ${i};`),
].join('\n');
const targetStart = 205;

const base: InlineRequestInput = {
  path: 'src/a.ts',
  languageId: 'typescript',
  text: file,
  range: { start: targetStart, end: targetStart + 2 },
  instruction: 'make it subtract',
  counter: estimatingCounter,
  window: 262_144,
};

const user = (input: InlineRequestInput) => inlineRequest(input).messages[1].content as string;

describe('inline edit: the request', () => {
  it('sends the range between markers, the instruction, and asks for the replacement of the range only', () => {
    const request = inlineRequest(base);
    assert.equal(request.messages[0].role, 'system');
    assert.match(request.messages[0].content as string, /new text of the range only/);
    const text = user(base);
    assert.ok(
      text.includes(
        `${START_MARKER} (lines 206-208)\nexport function target(a: number): number {\n  return a ` +
          `+ helper(a);\n}\n${END_MARKER}`,
      ),
      text,
    );
    assert.match(text, /Instruction: make it subtract/);
    assert.match(text, /Reply with the replacement for lines 206-208 only\.$/);
    assert.match(text, /^File: `src\/a\.ts` \(typescript\)/);
  });

  it('sends the whole file around the range when it fits', () => {
    const request = inlineRequest(base);
    assert.deepEqual(request.context, { from: 0, to: file.split('\n').length - 1 });
    assert.ok(!user(base).includes('Imports of the file'), 'imports are in the file already');
  });

  it('in a small window sends the nearest lines and the imports separately, and stays within the budget', () => {
    const input = { ...base, window: 3000, reserve: 1000 };
    const request = inlineRequest(input);
    assert.ok(request.context.from > 4 && request.context.from < targetStart, JSON.stringify(request.context));
    assert.ok(request.context.to > targetStart + 2 && request.context.to < 405, JSON.stringify(request.context));
    assert.ok(request.tokens <= 2000, `${request.tokens} tokens`);
    const text = user(input);
    assert.ok(
      text.includes(
        "Imports of the file:\n```typescript\nimport { helper } from './helper';\nimport {\n  " +
          "other,\n} from './other';\n```",
      ),
    );
    // Nearest first: about as many lines above as below.
    const above = targetStart - request.context.from;
    const below = request.context.to - (targetStart + 2);
    assert.ok(Math.abs(above - below) <= 2, `${above} above, ${below} below`);
  });

  it('refuses a range too large for the window, saying so', () => {
    assert.throws(
      () => inlineRequest({ ...base, range: { start: 0, end: 400 }, window: 2000, reserve: 500 }),
      /too large for the model's window: it needs \d+ tokens and \d+ are free\. Select fewer lines\./,
    );
    assert.throws(() => inlineRequest({ ...base, range: { start: 5, end: 9999 } }), /not in the document/);
  });

  it('includes the problems to fix, with 1-based lines', () => {
    const text = user({
      ...base,
      problems: [{ line: targetStart + 1, message: "Cannot find name 'helper'.", severity: 'error', source: 'ts' }],
    });
    assert.match(text, /Problems to fix in the range:\n- line 207 \(error\): Cannot find name 'helper'\. \[ts\]/);
  });

  it('includes pinned items that fit their share, and names those that do not', () => {
    const request = inlineRequest({
      ...base,
      window: 8000,
      reserve: 1000,
      pinned: [
        { title: 'src/helper.ts', text: 'export const helper = (a: number) => a * 2; // PINNED-7f1' },
        { title: 'big.txt', text: 'word '.repeat(20_000) },
      ],
    });
    assert.deepEqual(request.pinned, { included: ['src/helper.ts'], left: ['big.txt'] });
    assert.ok((request.messages[1].content as string).includes('PINNED-7f1'));
  });

  it('when refining, sends the rewrite under review and the instructions before', () => {
    const text = user({
      ...base,
      instruction: 'shorter',
      previous: { instructions: ['make it subtract'], proposal: ['export function target() { return 0; }'] },
    });
    assert.match(text, /Your rewrite of the range for "make it subtract" is under review:/);
    assert.ok(text.includes('export function target() { return 0; }'));
    assert.match(text, /Instruction: shorter/);
  });

  it('fences text with a fence longer than any backtick run in it', () => {
    const text = user({ ...base, text: 'const s = `a ```` b`;\nx();', range: { start: 1, end: 1 } });
    assert.ok(text.includes('`````typescript\n'), text);
  });
});

describe('inline edit: import lines', () => {
  it('finds imports in the common languages, multi-line ones line by line', () => {
    const lines = [
      'import os',
      'from typing import Any',
      "const fs = require('fs');",
      '#include <stdio.h>',
      'use std::io;',
      'using System.Text;',
      'import (',
      '  "fmt"',
      ')',
      "export * from './x';",
      'code();',
    ];
    assert.deepEqual(importLines(lines), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
