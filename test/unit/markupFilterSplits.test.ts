/**
 * MarkupFilter must not care where the network cut the stream: any split of the same text
 * shows the same text, the same reasoning and the same calls as the text in one piece, and
 * for well-formed streams the result matches a model of what the user should see.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MarkupFilter } from '../../src/core/model/markupFilter';
import type { MarkupCall } from '../../src/core/model/qwenToolCalls';

interface Outcome {
  shown: string;
  reasoning: string;
  calls: MarkupCall[];
}

function run(pieces: readonly string[], nativeCalls = false): Outcome {
  const filter = new MarkupFilter();
  const calls: MarkupCall[] = [];
  let reasoning = '';
  const sink = {
    reasoning: (text: string) => {
      reasoning += text;
    },
    call: (call: MarkupCall) => calls.push(call),
  };
  for (const piece of pieces) filter.push(piece, sink);
  filter.end(sink, nativeCalls);
  return { shown: filter.pieces.join(''), reasoning, calls };
}

/** Cuts `text` at the given (sorted, deduplicated) offsets. */
function cut(text: string, at: readonly number[]): string[] {
  const points = [...new Set(at.map((n) => n % (text.length + 1)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let from = 0;
  for (const point of points) {
    pieces.push(text.slice(from, point));
    from = point;
  }
  pieces.push(text.slice(from));
  return pieces;
}

/** Every way to cut `text` in two, and once into single characters, agrees with the whole. */
function assertSplitFree(text: string, nativeCalls = false): void {
  const whole = run([text], nativeCalls);
  for (let i = 0; i <= text.length; i++) {
    assert.deepEqual(
      run([text.slice(0, i), text.slice(i)], nativeCalls),
      whole,
      `cut at ${i} of ${JSON.stringify(text)}`,
    );
  }
  assert.deepEqual(run([...text], nativeCalls), whole, `one character at a time: ${JSON.stringify(text)}`);
}

const call = (path: string) => ({ name: 'read_file', arguments: { path }, rawArguments: JSON.stringify({ path }) });
const qwen = (path: string) =>
  `<tool_call>\n<function=read_file>\n<parameter=path>\n${path}\n</parameter>\n</function>\n</tool_call>`;
const bare = (path: string) => `<function=read_file>\n<parameter=path>\n${path}\n</parameter>\n</function>`;
const hermes = (path: string) => `<tool_call>{"name": "read_file", "arguments": {"path": "${path}"}}</tool_call>`;

/** Fragments that sit near the tags: whole tags, their starts, their closings, code marks. */
const TOKENS = [
  '<tool_call>',
  '</tool_call>',
  '<tool_c',
  '</tool_c',
  '<function=read_file>',
  '<function=',
  '</function>',
  '</func',
  '<parameter=path>',
  '</parameter>',
  '<think>',
  '</think>',
  '</thi',
  '<',
  '</',
  '>',
  '`',
  '```',
  '~~~',
  '\n',
  ' ',
  'x',
  'a.ts',
  '<p>',
  '{"name": "read_file", "arguments": {"path": "b"}}',
];

const markup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 24 }).map((parts) => parts.join(''));

describe('MarkupFilter: where the stream is cut does not matter', () => {
  it('gives the same result for any cuts of any mix of tags, tag starts and code marks', () => {
    fc.assert(
      fc.property(markup, fc.array(fc.nat(), { maxLength: 8 }), fc.boolean(), (text, at, nativeCalls) => {
        assert.deepEqual(run(cut(text, at), nativeCalls), run([text], nativeCalls));
      }),
      { numRuns: 400 },
    );
  });

  it('gives the same result at every single cut of characteristic streams', () => {
    const streams = [
      `Go.${qwen('a.ts')}\n\n  Next.`,
      `x ${bare('b.ts')} y`,
      `${hermes('c')}\n${hermes('d')}done`,
      '<think>plan </thin </think>\n answer',
      `\n<think>a</think>${qwen('e')}`,
      'see `<tool_call>` and <p> < </ </tool_call>',
      `\`\`\`\n${qwen('f')}\n\`\`\`\n${qwen('g')}`,
      `<tool_call>just </tool text</tool_call>b`,
      `<tool_call>${'</tool_c'}x${qwen('h').slice(11)}`,
      `<function=read_file>\n<parameter=path>\ni</parameter></func</function>tail`,
      `${qwen('j').slice(0, 40)}`,
      `a<function=read_file`,
    ];
    for (const text of streams) {
      assertSplitFree(text);
      assertSplitFree(text, true);
    }
  });
});

describe('MarkupFilter: three pieces', () => {
  it('gives the same result for every pair of cuts of short streams', () => {
    // A closing tag can begin in one piece, run through a short middle piece and end in the next.
    const streams = [`a${hermes('k')}\n b`, `<think>p</think>${bare('m')}c`];
    for (const text of streams) {
      const whole = run([text]);
      for (let i = 0; i <= text.length; i++) {
        for (let j = i; j <= text.length; j++) {
          const pieces = [text.slice(0, i), text.slice(i, j), text.slice(j)];
          assert.deepEqual(run(pieces), whole, `cuts at ${i} and ${j} of ${JSON.stringify(text)}`);
        }
      }
    }
  });

  it('treats a tilde fence opened on the same line as code', () => {
    const text = `~~~${qwen('n')}`;
    assert.deepEqual(run([text]), { shown: text, reasoning: '', calls: [] });
  });
});

/** A stream of prose and well-formed calls, with what the user should see worked out separately. */
const prose = fc
  .array(fc.constantFrom('a', 'b', ' ', '\n', '.', '<', '< ', '<p>', '</b>', '<tool', 'x>'), { maxLength: 12 })
  .map((parts) => parts.join(''));
const part = fc.oneof(
  prose.map((text) => ({ text })),
  fc.tuple(fc.constantFrom(qwen, bare, hermes), fc.stringMatching(/^[a-z]{1,6}$/)).map(([form, path]) => ({
    call: path,
    form,
  })),
);

describe('MarkupFilter: shows the prose and runs the calls of a well-formed stream', () => {
  it('matches the expected text and calls, however the stream is cut', () => {
    fc.assert(
      fc.property(
        fc.option(fc.stringMatching(/^[a-z .]{1,12}$/), { nil: undefined }),
        fc.array(part, { maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (thought, parts, at) => {
          let text = thought === undefined ? '' : `<think>${thought}</think>`;
          let shown = '';
          // After a block (a thought or a call), leading whitespace is layout until real text comes.
          let afterBlock = thought !== undefined;
          const calls: MarkupCall[] = [];
          for (const p of parts) {
            if ('text' in p) {
              text += p.text;
              const visible = afterBlock ? p.text.trimStart() : p.text;
              if (visible) afterBlock = false;
              shown += visible;
            } else {
              text += p.form(p.call);
              calls.push(call(p.call));
              afterBlock = true;
            }
          }
          const expected = { shown, reasoning: thought ?? '', calls };
          assert.deepEqual(run([text]), expected);
          assert.deepEqual(run(cut(text, at)), expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
