/** Tool calls left in the text, arguments that are almost JSON, and what the user gets to see meanwhile. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MarkupFilter } from '../../src/core/model/markupFilter';
import { type MarkupCall, parseToolCallBlock } from '../../src/core/model/qwenToolCalls';
import { parseToolArguments, repairJson } from '../../src/core/model/toolArguments';
import type { ToolSchema } from '../../src/core/model/types';

const tools: ToolSchema[] = [
  {
    name: 'write_file',
    description: 'Write a file.',
    parameters: {
      type: 'object',
      properties: {
        path: { type: 'string' },
        content: { type: 'string' },
        mode: { type: ['integer', 'null'] },
        overwrite: { type: 'boolean' },
        tags: { type: 'array' },
        meta: { anyOf: [{ type: 'object' }, { type: 'null' }] },
      },
    },
  },
];

describe('parseToolCallBlock', () => {
  it('reads Qwen3-Coder XML, trimming one newline each side and typing values by the schema', () => {
    const block =
      '\n<function=write_file>\n<parameter=path>\nsrc/a.ts\n</parameter>\n<parameter=content>\n\n' +
      'export const a = 1;\n\n</parameter>\n' +
      '<parameter=mode>\n420\n</parameter>\n<parameter=overwrite>\nTrue\n</parameter>\n<parameter=tags>\n["x", ' +
      '"y"]\n</parameter>\n<parameter=meta>\n{"k": 1}\n</parameter>\n</function>\n';
    assert.deepEqual(parseToolCallBlock(block, tools), [
      {
        name: 'write_file',
        arguments: {
          path: 'src/a.ts',
          content: '\nexport const a = 1;\n',
          mode: 420,
          overwrite: true,
          tags: ['x', 'y'],
          meta: { k: 1 },
        },
        rawArguments: JSON.stringify({
          path: 'src/a.ts',
          content: '\nexport const a = 1;\n',
          mode: 420,
          overwrite: true,
          tags: ['x', 'y'],
          meta: { k: 1 },
        }),
      },
    ]);
  });

  it('ends a value at a leaked `</parameter` that lost its `>` (vllm#55495)', () => {
    const [call] = parseToolCallBlock(
      '<function=write_file>\n<parameter=path>\na.ts</parameter\n<parameter=content>\nx = 1\n</parameter\n</function>',
      tools,
    );
    assert.deepEqual(call.arguments, { path: 'a.ts', content: 'x = 1' });
    const [closed] = parseToolCallBlock('<function=f><parameter=p>v</parameter>\n</function>');
    assert.deepEqual(closed.arguments, { p: 'v' });
  });

  it('keeps strings as written: a string-typed "42" or "null", and parameters the schema does not know', () => {
    const [call] = parseToolCallBlock(
      '<function=write_file><parameter=path>42</parameter>' +
        '<parameter=content>null</parameter><parameter=extra>[1]</parameter></function>',
      tools,
    );
    assert.deepEqual(call.arguments, { path: '42', content: 'null', extra: '[1]' });
  });

  it('keeps a value that does not decode as the string it is', () => {
    const [call] = parseToolCallBlock('<function=write_file><parameter=mode>rw-r--r--</parameter></function>', tools);
    assert.deepEqual(call.arguments, { mode: 'rw-r--r--' });
  });

  it('ends a parameter without its closing tag at the next parameter or the end of the function', () => {
    const [call] = parseToolCallBlock(
      '<function=write_file>\n<parameter=path>\na.ts\n<parameter=content>\nx\n</function>',
      tools,
    );
    assert.deepEqual(call.arguments, { path: 'a.ts', content: 'x' });
  });

  it('reads several functions in one block', () => {
    const calls = parseToolCallBlock('<function=a><parameter=x>1</parameter></function><function=b></function>');
    assert.deepEqual(
      calls.map((c) => [c.name, c.arguments]),
      [
        ['a', { x: '1' }],
        ['b', {}],
      ],
    );
  });

  it('reads Hermes-style JSON, with arguments as an object or as a string', () => {
    assert.deepEqual(parseToolCallBlock('\n{"name": "write_file", "arguments": {"path": "a.ts"}}\n'), [
      { name: 'write_file', arguments: { path: 'a.ts' }, rawArguments: '{"path":"a.ts"}' },
    ]);
    assert.deepEqual(parseToolCallBlock('{"name": "x", "arguments": "{\\"n\\": 1}"}'), [
      { name: 'x', arguments: { n: 1 }, rawArguments: '{"n": 1}' },
    ]);
  });

  it('repairs Hermes JSON once, and keeps an unrepairable call with its error', () => {
    assert.deepEqual(parseToolCallBlock('{"name": "x", "arguments": {"n": 1,},}')[0].arguments, { n: 1 });
    const [broken] = parseToolCallBlock('{"name": "edit", "arguments": {"path": "a.ts" "x": 1}}');
    assert.equal(broken.name, 'edit');
    assert.match(broken.parseError ?? '', /could not be used: it is not valid JSON/);
  });

  it('types values by every way a schema can say a type, and only by the called tool', () => {
    const schema: ToolSchema[] = [
      {
        name: 'typed',
        description: '',
        parameters: {
          properties: {
            n: { oneOf: [{ type: 'number' }, 'junk', { type: 7 }] },
            listed: { type: [3, 'integer'] },
            flag: { type: 'boolean' },
            either: { anyOf: [{ type: 'integer' }, { type: 'string' }] },
            loose: {},
            none: { type: [3] },
            junk: { anyOf: ['junk'] },
          },
        },
      },
      { name: 'other', description: '', parameters: { properties: { n: { type: 'string' } } } },
      { name: 'odd', description: '', parameters: { properties: 'not an object' } },
    ];
    const args = (name: string, body: string) => parseToolCallBlock(`<function=${name}>${body}</function>`, schema)[0];
    const typed = args(
      'typed',
      '<parameter=n>\n 12 \n</parameter><parameter=listed>5</parameter><parameter=flag> FALSE </parameter>' +
        '<parameter=either>7</parameter><parameter=loose>8</parameter>',
    );
    assert.deepEqual(typed.arguments, { n: 12, listed: 5, flag: false, either: '7', loose: '8' });
    assert.deepEqual(args('typed', '<parameter=flag>True</parameter>').arguments, { flag: true });
    assert.deepEqual(args('typed', '<parameter=flag>yes</parameter>').arguments, { flag: 'yes' });
    assert.deepEqual(args('typed', '<parameter=flag>untrue</parameter>').arguments, { flag: 'untrue' });
    assert.deepEqual(args('typed', '<parameter=flag>falsey</parameter>').arguments, { flag: 'falsey' });
    assert.deepEqual(args('typed', '<parameter=none>12</parameter><parameter=junk>13</parameter>').arguments, {
      none: '12',
      junk: '13',
    });
    assert.deepEqual(args('typed', '<parameter=n> twelve </parameter>').arguments, { n: ' twelve ' });
    assert.deepEqual(args('other', '<parameter=n>12</parameter>').arguments, { n: '12' });
    assert.deepEqual(args('odd', '<parameter=n>12</parameter>').arguments, { n: '12' });
    assert.deepEqual(args('unknown', '<parameter=n>12</parameter>').arguments, { n: '12' });
  });

  it('trims exactly one newline on each side of a value, and the spaces around names', () => {
    const [call] = parseToolCallBlock(
      '<function= write_file >\n<parameter= content >\n\n  x  \n\n</parameter>\n' +
        '<parameter= >lost</parameter></function>',
      tools,
    );
    assert.equal(call.name, 'write_file');
    assert.deepEqual(call.arguments, { content: '\n  x  \n' });
    assert.deepEqual(parseToolCallBlock('<function= ><parameter=a>1</parameter></function>'), []);
  });

  it('reads Hermes JSON with "parameters" or no arguments, and skips one without a usable name', () => {
    assert.deepEqual(parseToolCallBlock('{"name": "x", "parameters": {"a": 1}}'), [
      { name: 'x', arguments: { a: 1 }, rawArguments: '{"a":1}' },
    ]);
    assert.deepEqual(parseToolCallBlock('{"name": "x"}'), [{ name: 'x', arguments: {}, rawArguments: '{}' }]);
    assert.deepEqual(parseToolCallBlock('{"name": "", "arguments": {}}'), []);
    assert.deepEqual(parseToolCallBlock('{"name": 3, "arguments": {}}'), []);
    assert.deepEqual(parseToolCallBlock('{"arguments": {"a": 1} "oops"}'), []);
    const [bad] = parseToolCallBlock('{"name": "x", "arguments": "[1]"}');
    assert.deepEqual([bad.name, bad.arguments, bad.rawArguments], ['x', {}, '[1]']);
    assert.match(bad.parseError ?? '', /arguments of the x call could not be used: they are an array/);
    assert.equal(parseToolCallBlock('{"name" :"spaced", "arguments": {} x}')[0].name, 'spaced');
    assert.equal(parseToolCallBlock('{"name":  "wide", "arguments": {} x}')[0].name, 'wide');
    const [broken] = parseToolCallBlock('{"name": "edit", "arguments": {"p": 1} x}');
    assert.deepEqual([broken.arguments, broken.rawArguments], [{}, '{"name": "edit", "arguments": {"p": 1} x}']);
    assert.match(broken.parseError ?? '', /^The arguments of the edit call could not be used/);
  });

  it('finds no call in text that only looks like one', () => {
    assert.deepEqual(parseToolCallBlock('just some words'), []);
    assert.deepEqual(parseToolCallBlock('{"not": "a call"}'), []);
  });
});

describe('parseToolArguments', () => {
  it('parses an object, and an empty string as no arguments', () => {
    assert.deepEqual(parseToolArguments('{"a": [1, {"b": null}]}', 't'), { value: { a: [1, { b: null }] } });
    assert.deepEqual(parseToolArguments('  ', 't'), { value: {} });
  });

  it('repairs trailing commas and raw newlines and tabs in strings', () => {
    assert.deepEqual(parseToolArguments('{"a": [1, 2,], "b": {"c": 3,},}', 't').value, { a: [1, 2], b: { c: 3 } });
    assert.deepEqual(parseToolArguments('{"content": "line 1\nline 2\tend\u0001"}', 't').value, {
      content: 'line 1\nline 2\tend\u0001',
    });
    assert.deepEqual(parseToolArguments('{"o": {"k": 1}}\n', 't').value, { o: { k: 1 } });
  });

  it('never closes an object: whatever its last value, what followed may have been cut', () => {
    for (const raw of [
      '{"path": "a.ts"',
      '{"command": "rm -rf build"',
      '{"path": "a.ts", "lines": [1, 2] ',
      '{"o": {"k": 1}',
      '{"path":"a.ts","start_line":12',
      '{"path":"a.ts","start_line":-1.5e',
      '{"path":"a.ts","overwrite":tru',
      '{"path":"a.ts","overwrite":null',
      '{"path":"a.ts",',
      '{"path":"a.ts","content":',
    ]) {
      const result = parseToolArguments(raw, 'read_file');
      assert.deepEqual(result.value, {}, raw);
      assert.match(result.error ?? '', /could not be used: it is not valid JSON/, raw);
      assert.equal(repairJson(raw), undefined, raw);
    }
  });

  it('repairs only once: two missing braces, an open string, or junk stay errors', () => {
    for (const raw of ['{"a": {"b": 1', '{"a": "unterminated', '{"a": 1} trailing', "{'a': 1}"]) {
      const result = parseToolArguments(raw, 'edit_file');
      assert.deepEqual(result.value, {}, raw);
      assert.match(
        result.error ?? '',
        // eslint-disable-next-line max-len -- the expected text, as one regex literal
        /^The arguments of the edit_file call could not be used: it is not valid JSON \(.+\)\. Call edit_file again with the arguments as one JSON object\. You sent: /,
        raw,
      );
    }
  });

  it('refuses arguments that are not an object, and unwraps a double-encoded one', () => {
    assert.match(parseToolArguments('[1, 2]', 't').error ?? '', /they are an array, not a JSON object/);
    assert.match(parseToolArguments('"hello"', 't').error ?? '', /they are a string, not a JSON object/);
    assert.deepEqual(parseToolArguments('"{\\"a\\": 1}"', 't'), { value: { a: 1 } });
  });

  it('escapes every control character in a string the way JSON spells it', () => {
    const raw = '{"s": "a\rb\bc\fd\te\nf\u0000g\u001fh"}';
    assert.equal(repairJson(raw), '{"s": "a\\rb\\bc\\fd\\te\\nf\\u0000g\\u001fh"}');
    assert.deepEqual(parseToolArguments(raw, 't').value, { s: 'a\rb\bc\fd\te\nf\u0000g\u001fh' });
  });

  it('keeps a repaired text as it was when nothing needed repair, and refuses mismatched brackets', () => {
    assert.equal(repairJson('{"a": [1, {"b": "}"}]}'), '{"a": [1, {"b": "}"}]}');
    assert.equal(repairJson('{"a": [1}'), undefined);
    assert.equal(repairJson('{"a": {"b": 1]}'), undefined);
    assert.equal(repairJson('[1, 2'), undefined);
    assert.equal(repairJson('{"a": 1}}'), undefined);
    assert.equal(repairJson('{"a": [1, 2,    ]}'), '{"a": [1, 2    ]}');
    assert.equal(repairJson('{"a": "x, y", "b": 2,\n}'), '{"a": "x, y", "b": 2\n}');
  });

  it('names what the arguments are when they are not an object, and the tool to call again', () => {
    const reason = (raw: string) => parseToolArguments(raw, 'run').error ?? '';
    assert.match(reason('null'), /could not be used: they are null, not a JSON object\. Call run again/);
    assert.match(reason('42'), /they are a number, not a JSON object/);
    assert.match(reason('true'), /they are a boolean, not a JSON object/);
    assert.match(reason('"[1]"'), /they are a string, not a JSON object/);
    assert.match(parseToolArguments('nope', '').error ?? '', /^The arguments of the tool call .* Call the tool again/);
  });

  it('quotes what the model sent, cut at 300 characters', () => {
    const long = `{"content": "${'x'.repeat(400)}`;
    const error = parseToolArguments(long, 'write_file').error ?? '';
    assert.ok(error.endsWith(`You sent: ${long.slice(0, 300)}…`), error.slice(-80));
    const short = '{"a": tru';
    assert.ok((parseToolArguments(short, 't').error ?? '').endsWith(`You sent: ${short}`));
    const exact = `{"a": "${'y'.repeat(293)}`;
    assert.equal(exact.length, 300);
    assert.ok((parseToolArguments(exact, 't').error ?? '').endsWith(`You sent: ${exact}`));
  });

  it('closes nothing left open, in a string or out of one', () => {
    for (const raw of ['{"a": {"b": "c"', '["a"', '[{"a": 1}', '{"a": "x}', '{"a": "x\\"', '{"a": ["x"', '{"a": ["x"]'])
      assert.equal(repairJson(raw), undefined, raw);
  });

  it('refuses a value that ends with leaked tool-call markup, and keeps the markup elsewhere', () => {
    for (const raw of [
      '{"path": "src/a.ts</parameter"}',
      '{"path": "src/a.ts\\n</parameter>"}',
      '{"content": "x</parameter>\\n</function>\\n</tool_call>"}',
    ])
      assert.match(parseToolArguments(raw, 'read_file').error ?? '', /ends with tool-call markup/, raw);
    const parser = '{"content": "const close = \'</parameter>\';\\nexport {};\\n"}';
    assert.equal(parseToolArguments(parser, 'write_file').error, undefined);
  });

  it("passes JSON.parse's own words on to the model", () => {
    const raw = '{"a": 1 "b": 2}';
    let words = '';
    try {
      JSON.parse(raw);
    } catch (error) {
      words = (error as Error).message;
    }
    assert.ok(words.length > 0);
    assert.ok((parseToolArguments(raw, 't').error ?? '').includes(`it is not valid JSON (${words})`));
  });

  it('leaves escapes inside strings alone when repairing', () => {
    assert.equal(repairJson('{"a": "q\\"uote,}", "b": [1,],}'), '{"a": "q\\"uote,}", "b": [1]}');
  });
});

/** Runs text through the filter in the given pieces; returns what was shown, as it was shown. */
function filter(
  pieces: readonly string[],
  schema: ToolSchema[] = tools,
): { shown: string[]; reasoning: string; calls: MarkupCall[] } {
  const markup = new MarkupFilter(schema);
  const calls: MarkupCall[] = [];
  let reasoning = '';
  const sink = {
    reasoning: (t: string) => {
      reasoning += t;
    },
    call: (c: MarkupCall) => calls.push(c),
  };
  const shown: string[] = [];
  for (const piece of pieces) {
    markup.push(piece, sink);
    shown.push(markup.pieces.join(''));
  }
  markup.end(sink);
  shown.push(markup.pieces.join(''));
  return { shown, reasoning, calls };
}

describe('MarkupFilter while streaming', () => {
  const text =
    'Writing it now.\n<tool_call>\n<function=write_file>\n<parameter=path>\na.ts\n</parameter>\n' +
    '</function>\n</tool_call>\nDone <b>bold</b>.';

  it('never shows any part of a tool call, wherever the stream is cut', () => {
    for (let cut = 0; cut <= text.length; cut++) {
      for (let second = cut; second <= text.length; second += 5) {
        const { shown, calls } = filter([text.slice(0, cut), text.slice(cut, second), text.slice(second)]);
        for (const visible of shown)
          assert.doesNotMatch(
            visible,
            /<t|<\/t|function|parameter/,
            `cut ${cut}/${second}: ${JSON.stringify(visible)}`,
          );
        assert.equal(shown.at(-1), 'Writing it now.\nDone <b>bold</b>.', `cut ${cut}/${second}`);
        assert.deepEqual(
          calls.map((c) => c.arguments),
          [{ path: 'a.ts' }],
        );
      }
    }
  });

  it('holds back a possible tag start only until it is clearly not one', () => {
    const { shown } = filter(['a <', 'tool', 'box> b']);
    assert.deepEqual(shown, ['a ', 'a ', 'a <toolbox> b', 'a <toolbox> b']);
    assert.deepEqual(filter(['x < y']).shown, ['x < y', 'x < y']);
  });

  it('leaves tags alone inside fenced code and right after a backtick', () => {
    const fenced =
      'The format:\n```xml\n<tool_call>\n<function=f>\n</function>\n</tool_call>\n```\nand inline `<tool_call>` too.';
    const { shown, calls } = filter([fenced.slice(0, 20), fenced.slice(20)]);
    assert.equal(shown.at(-1), fenced);
    assert.deepEqual(calls, []);
  });

  it('leaves a whole call written in inline code as text', () => {
    const inline =
      'Write `<tool_call><function=write_file><parameter=path>x</parameter></function></tool_call>` to call it.';
    const { shown, calls } = filter([inline]);
    assert.equal(shown.at(-1), inline);
    assert.deepEqual(calls, []);
  });

  it('takes a bare <function=…> block (no <tool_call> around it) as a call', () => {
    const { shown, calls } = filter(['Run:\n<function=write_file><parameter=path>b.ts</parameter></function>']);
    assert.equal(shown.at(-1), 'Run:\n');
    assert.deepEqual(
      calls.map((c) => c.arguments),
      [{ path: 'b.ts' }],
    );
  });

  it('moves a leading <think> block to reasoning, streaming it as it comes', () => {
    const { shown, reasoning } = filter(['<thi', 'nk>Plan: read ', 'a.ts.</th', 'ink>\n\nThe answer.']);
    assert.equal(reasoning, 'Plan: read a.ts.');
    assert.equal(shown.at(-1), 'The answer.', 'the blank lines after </think> are layout');
    assert.ok(
      shown.every((s) => !s.includes('think')),
      JSON.stringify(shown),
    );
  });

  it('leaves <think> alone once visible text has started', () => {
    assert.equal(filter(['Use a <think> tag.']).shown.at(-1), 'Use a <think> tag.');
  });

  it('marks a call cut off by the end of the stream, so it is not run', () => {
    const { calls, shown } = filter([
      '<tool_call>\n<function=write_file>\n<parameter=path>\na.ts\n</parameter>\n<parameter=content>\nhalf a fi',
    ]);
    assert.equal(shown.at(-1), '');
    assert.equal(calls.length, 1);
    assert.match(calls[0].parseError ?? '', /cut off before it was complete, so it was not run/);
  });

  it('drops an unclosed block at the end when the server sent the call natively too (llama.cpp leak)', () => {
    const markup = new MarkupFilter(tools);
    const calls: MarkupCall[] = [];
    const sink = { reasoning: () => undefined, call: (c: MarkupCall) => calls.push(c) };
    for (const piece of ['Checking.\n', '<tool_call>', '\n', '<function=get_current_weather']) markup.push(piece, sink);
    markup.end(sink, true);
    assert.equal(markup.pieces.join(''), 'Checking.\n');
    assert.deepEqual(calls, []);
  });

  it('keeps an unclosed block cut inside its function name as a marked call when no native call came', () => {
    const { calls, shown } = filter(['Checking.\n<tool_call>\n<function=get_current', '_weather\n']);
    assert.equal(shown.at(-1), 'Checking.\n');
    assert.deepEqual(
      calls.map((c) => [c.name, c.arguments, c.rawArguments]),
      [['get_current_weather', {}, '']],
    );
    assert.match(calls[0].parseError ?? '', /^The get_current_weather call was cut off before it was complete/);
  });

  it('finds a closing tag split across pieces of any size, and the text after it', () => {
    const call = '<tool_call>\n<function=write_file>\n<parameter=path>\nb.ts\n</parameter>\n</function>\n</tool_call>';
    const text = `Go.\n${call}\nAfter <b>x</b>\n${call}`;
    for (const size of [1, 2, 3, 5, 11, 12, 13, text.length]) {
      const pieces: string[] = [];
      for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
      const { shown, calls } = filter(pieces);
      assert.equal(shown.at(-1), 'Go.\nAfter <b>x</b>\n', `size ${size}`);
      assert.deepEqual(
        calls.map((c) => c.arguments),
        [{ path: 'b.ts' }, { path: 'b.ts' }],
        `size ${size}`,
      );
    }
  });

  it('gives back a <tool_call> block that holds no call', () => {
    assert.equal(
      filter(['See <tool_call>nothing here</tool_call> ok']).shown.at(-1),
      'See <tool_call>nothing here</tool_call> ok',
    );
  });
});
