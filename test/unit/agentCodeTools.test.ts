import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CodeIntel, CodeLocation, Problem } from '../../src/core/agent/codeIntel';
import {
  CODE_TOOLS_PROMPT,
  codeTools,
  findSymbolNear,
  formatLocation,
  formatProblems,
  formatRange,
  resolvePosition,
} from '../../src/core/agent/symbolTools';
import { MemoryWorkspace } from '../support/memoryWorkspace';

const signal = new AbortController().signal;
const range = (startLine: number, endLine = startLine, startColumn?: number) => ({ startLine, endLine, startColumn });

/** A language service over fixed answers; files under secret/ may not be shown. */
function fakeIntel(answers: {
  problems?: Problem[];
  locations?: CodeLocation[];
  note?: string;
  fail?: string;
  lines?: Record<string, string>;
}): CodeIntel & { asked: unknown[] } {
  const asked: unknown[] = [];
  const result = <T>(items: T[] | undefined) =>
    answers.fail
      ? { ok: false as const, reason: answers.fail }
      : { ok: true as const, items: items ?? [], note: answers.note };
  return {
    asked,
    problems: async (path) => (asked.push(['problems', path]), result(answers.problems)),
    symbols: async (query) => (asked.push(['symbols', query]), result(answers.locations)),
    definitions: async (at) => (asked.push(['definitions', at]), result(answers.locations)),
    references: async (at, declaration) => (asked.push(['references', at, declaration]), result(answers.locations)),
    displayPath: async (file) => (file.startsWith('/ws/secret/') ? undefined : file.replace('/ws/', '')),
    lineText: async (file, line) => answers.lines?.[`${file}:${line}`],
  };
}

const tool = (intel: CodeIntel, name: string) => codeTools(intel).find((each) => each.schema.name === name)!;
const workspace = new MemoryWorkspace({
  'src/math.ts':
    'export function add(a: number, b: number) {\n  return a + b;\n}\n\nconst total = add(1, 2);\nthis.add(total);\n',
});
const context = { workspace, signal };

describe('get_problems as the model reads it', () => {
  const problems: Problem[] = [
    {
      file: '/ws/src/b.ts',
      severity: 'warning',
      message: 'unused\n   variable',
      source: 'eslint',
      code: 'no-unused',
      range: range(4, 4, 7),
    },
    { file: '/ws/src/a.ts', severity: 'error', message: 'type mismatch', source: 'ts', code: '2322', range: range(9) },
    { file: '/ws/src/a.ts', severity: 'error', message: 'missing name', range: range(2) },
    { file: '/ws/src/a.ts', severity: 'hint', message: 'could be const', range: range(1) },
    { file: '/ws/secret/k.ts', severity: 'error', message: 'in a secret file', range: range(1) },
  ];

  it(
    'lists errors first, by file and line, with column, ' + 'origin and the message on one line; counts by severity',
    async () => {
      const outcome = await tool(fakeIntel({ problems }), 'get_problems').run({}, context);
      assert.equal(
        outcome.content,
        [
          '3 problems (2 errors, 1 warning) in 2 files:',
          'src/a.ts',
          '  2 error missing name',
          '  9 error [ts 2322] type mismatch',
          'src/b.ts',
          '  4:7 warning [eslint no-unused] unused variable',
          '[1 more in files outside the workspace or off limits to QCoder were left out]',
        ].join('\n'),
      );
      assert.equal(outcome.summary, '2 errors, 1 warning');
    },
  );

  it('takes a least severity, a path and the service’s note; says when there are none', async () => {
    const intel = fakeIntel({ problems, note: 'the TypeScript server is still starting' });
    const all = await tool(intel, 'get_problems').run({ severity: 'hint', path: 'src/a.ts' }, context);
    assert.match(all.content, /^4 problems \(2 errors, 1 warning, 1 hint\) in src\/a\.ts:\n/);
    assert.match(all.content, /\n\[the TypeScript server is still starting\]\n\[1 more in files/);
    assert.deepEqual(intel.asked.at(-1), ['problems', 'src/a.ts']);
    const errors = await tool(fakeIntel({ problems: problems.slice(0, 1) }), 'get_problems').run(
      { severity: 'error' },
      context,
    );
    assert.deepEqual(errors, { content: 'No problems.', summary: 'no problems' });
    const unknownLevel = await tool(fakeIntel({ problems }), 'get_problems').run({ severity: 'loud' }, context);
    assert.match(unknownLevel.content, /^3 problems \(2 errors, 1 warning\)/, 'an unknown level means warning');
    const failed = await tool(fakeIntel({ fail: 'no language server' }), 'get_problems').run({}, context);
    assert.equal(failed.isError, true);
    assert.match(failed.content, /no language server/);
  });

  it('shows at most 100 problems and says how many more', () => {
    const many = Array.from({ length: 103 }, (_, i) => ({ ...problems[1], path: 'src/a.ts', range: range(i + 1) }));
    const text = formatProblems(many);
    assert.equal(text.split('\n').filter((line) => line.startsWith('  ')).length, 100);
    assert.match(text, /\n\[3 more not shown; ask for one path\]$/);
    assert.doesNotMatch(formatProblems(many.slice(0, 100)), /more not shown/);
  });

  it('cuts a long message at 300 characters', () => {
    const text = formatProblems([{ ...problems[2], path: 'a.ts', message: 'x'.repeat(301) }]);
    assert.ok(text.endsWith(`${'x'.repeat(299)}…`));
    const exact = formatProblems([{ ...problems[2], path: 'a.ts', message: 'y'.repeat(300) }]);
    assert.ok(exact.endsWith(` ${'y'.repeat(300)}`));
  });
});

describe('find_symbol, go_to_definition and find_references as the model reads them', () => {
  const symbols: CodeLocation[] = [
    { file: '/ws/src/math.ts', name: 'add', kind: 'function', range: range(1, 3) },
    { file: '/ws/src/calc.ts', name: 'add', kind: 'method', container: 'Calc', range: range(7) },
    { file: '/ws/src/math.ts', name: 'add', kind: 'function', range: range(1, 3) },
    { file: '/ws/secret/keys.ts', name: 'addKey', range: range(1) },
  ];

  it('names symbols with kind, container and range in the server’s order, without repeats', async () => {
    const outcome = await tool(fakeIntel({ locations: symbols }), 'find_symbol').run({ query: ' add ' }, context);
    assert.equal(
      outcome.content,
      '2 symbols matching "add":\nfunction add — src/math.ts:1-3\nmethod Calc.add — src/calc.ts:7' +
        '\n[1 more in files outside the workspace or off limits to QCoder were left out]',
    );
    assert.equal(outcome.summary, '2 symbols');
    const none = await tool(fakeIntel({ locations: [] }), 'find_symbol').run({ query: 'zzz' }, context);
    assert.deepEqual(none, { content: 'No symbols match "zzz".', summary: 'no symbols' });
    const empty = await tool(fakeIntel({}), 'find_symbol').run({ query: '  ' }, context);
    assert.match(empty.content, /find_symbol needs a "query"/);
  });

  it('references: sorted by path and line with a preview of each line, capped at 100', async () => {
    const uses: CodeLocation[] = [
      { file: '/ws/src/b.ts', range: range(5) },
      { file: '/ws/src/a.ts', range: range(9) },
      { file: '/ws/src/a.ts', range: range(2) },
    ];
    const intel = fakeIntel({ locations: uses, lines: { '/ws/src/a.ts:2': '   const x =\n add(1, 2);  ' } });
    const outcome = await tool(intel, 'find_references').run(
      { path: 'src/math.ts', line: 1, symbol: 'add', include_declaration: false },
      context,
    );
    assert.equal(
      outcome.content,
      '3 references to "add" (src/math.ts:1):\nsrc/a.ts:2: const x = add(1, 2);\nsrc/a.ts:9\nsrc/b.ts:5',
    );
    assert.deepEqual(intel.asked.at(-1), ['references', { path: 'src/math.ts', line: 1, column: 17 }, false]);
    const many = Array.from({ length: 102 }, (_, i) => ({ file: '/ws/src/a.ts', range: range(i + 1) }));
    const capped = await tool(fakeIntel({ locations: many }), 'find_references').run(
      { path: 'src/math.ts', line: 5, column: 3 },
      context,
    );
    assert.match(capped.content, /^102 references to src\/math\.ts:5:3:\n/);
    assert.match(capped.content, /\n\[2 more not shown\]$/);
  });

  it('go_to_definition: one or several, a note when the symbol was found on another line', async () => {
    const one = await tool(fakeIntel({ locations: [symbols[0]] }), 'go_to_definition').run(
      { path: 'src/math.ts', line: 4, symbol: 'total' },
      context,
    );
    assert.equal(
      one.content,
      'Definition of "total" (src/math.ts:5):\nfunction add — src/math.ts:1-3\n["total" ' +
        'is on line 5, not 4; used that]',
    );
    assert.equal(one.summary, '1 definition');
    const two = await tool(fakeIntel({ locations: symbols.slice(0, 2) }), 'go_to_definition').run(
      { path: 'src/math.ts', line: 5, symbol: 'add' },
      context,
    );
    assert.match(two.content, /^2 definitions of "add" \(src\/math\.ts:5\):/);
    const none = await tool(fakeIntel({ locations: [] }), 'go_to_definition').run(
      { path: 'src/math.ts', line: 5, symbol: 'add' },
      context,
    );
    assert.deepEqual(none, { content: 'No definition found for "add" (src/math.ts:5).', summary: 'no definitions' });
  });

  it('titles and the prompt line name what the tool does', () => {
    const intel = fakeIntel({});
    assert.equal(tool(intel, 'get_problems').title({ path: 'a.ts' }), 'Problems in a.ts');
    assert.equal(tool(intel, 'get_problems').title({}), 'Problems');
    assert.equal(tool(intel, 'find_symbol').title({ query: 'add' }), 'Find symbol "add"');
    assert.equal(tool(intel, 'go_to_definition').title({ path: 'a.ts', line: 3 }), 'Definition of a.ts:3');
    assert.equal(tool(intel, 'find_references').title({ symbol: 'add' }), 'References to add');
    assert.match(CODE_TOOLS_PROMPT, /^- Use find_symbol, go_to_definition and find_references/);
  });
});

describe('a position as the model gives it', () => {
  it(
    'needs a path, a 1-based line and a symbol or column; ' + 'refuses a line past the end and a symbol not near it',
    async () => {
      const tries: [Record<string, unknown>, RegExp][] = [
        [{ line: 1, symbol: 'add' }, /^t needs a "path" and a 1-based "line"\.$/],
        [{ path: 'src/math.ts', line: 0, symbol: 'add' }, /needs a "path" and a 1-based "line"/],
        [{ path: 'src/math.ts', line: 2 }, /^t needs the "symbol" name on line 2 \(or a 1-based "column"\)\.$/],
        [{ path: 'src/math.ts', line: 2, column: 0 }, /needs the "symbol" name/],
        [{ path: 'src/math.ts', line: 99, symbol: 'add' }, /^src\/math\.ts has 7 lines; line 99 is past the end\.$/],
        [{ path: 'nope.ts', line: 1, symbol: 'x' }, /nope\.ts/],
      ];
      for (const [args, reason] of tries) {
        const resolved = await resolvePosition(args, workspace, 't');
        assert.ok(!resolved.ok && reason.test(resolved.reason), `${JSON.stringify(args)}: ${JSON.stringify(resolved)}`);
      }
      const far = await resolvePosition({ path: 'src/math.ts', line: 1, symbol: 'nothere' }, workspace, 't');
      assert.deepEqual(far, {
        ok: false,
        reason:
          '"nothere" is not on line 1 of src/math.ts (nor within 3 lines of it). Line 1 reads: export ' +
          'function add(a: number, b: number) {',
      });
    },
  );

  it('finds a whole word on the line or the nearest around it (before first), by its last dotted part', () => {
    const lines = ['adder(1)', 'add_one', 'x = add;', 'this.add(2)', 'z'];
    assert.deepEqual(findSymbolNear(lines, 3, 'add'), { line: 3, column: 5 });
    assert.deepEqual(findSymbolNear(lines, 4, 'this.add'), { line: 4, column: 6 });
    assert.deepEqual(findSymbolNear(lines, 5, 'add('), { line: 4, column: 6 });
    assert.deepEqual(findSymbolNear(lines, 1, 'add'), { line: 3, column: 5 }, 'not inside adder or add_one');
    assert.equal(findSymbolNear(lines, 1, 'z'), undefined, 'four lines away is too far');
    assert.deepEqual(findSymbolNear(['a', 'b', 'c', 'd', 'z'], 1, 'z'), undefined);
    assert.deepEqual(findSymbolNear(['q', 'z', 'q'], 2, 'z'), { line: 2, column: 1 });
    assert.equal(findSymbolNear(lines, 3, '.'), undefined);
  });

  it('formats ranges and plain locations', () => {
    assert.equal(formatRange(range(4)), '4');
    assert.equal(formatRange(range(4, 9)), '4-9');
    assert.equal(formatLocation({ file: 'f', path: 'a.ts', range: range(3) }), 'a.ts:3');
    assert.equal(formatLocation({ file: 'f', path: 'a.ts', range: range(3), name: 'x' }), 'x — a.ts:3');
  });
});

describe('what reaches the model from the code tools', () => {
  const refs = (...places: [string, number][]): CodeLocation[] =>
    places.map(([file, line]) => ({ file, range: range(line) }));

  it('leaves out denied files and files the host cannot name, counts them, and asks once per file', async () => {
    const intel = fakeIntel({
      locations: refs(['/ws/secret/keys.ts', 1], ['/ws/src/a.ts', 3], ['/ws/boom/x.ts', 2], ['/ws/secret/keys.ts', 4]),
    });
    const asked: string[] = [];
    const displayPath = intel.displayPath;
    intel.displayPath = async (file) => {
      asked.push(file);
      if (file.startsWith('/ws/boom/')) throw new Error('no workspace folder');
      return displayPath(file);
    };
    const outcome = await tool(intel, 'find_references').run({ path: 'src/math.ts', line: 1, column: 1 }, context);
    assert.deepEqual(outcome, {
      content:
        '1 reference to src/math.ts:1:1:\nsrc/a.ts:3' +
        '\n[3 more in files outside the workspace or off limits to QCoder were left out]',
      summary: '1 reference',
    });
    assert.deepEqual(asked, ['/ws/secret/keys.ts', '/ws/src/a.ts', '/ws/boom/x.ts']);
  });

  it('says so when every result is off limits, without naming any of them', async () => {
    const intel = fakeIntel({ locations: [{ file: '/ws/secret/keys.ts', name: 'apiKey', range: range(2) }] });
    const outcome = await tool(intel, 'find_symbol').run({ query: 'apiKey' }, context);
    assert.deepEqual(outcome, {
      content:
        'No symbols match "apiKey".\n[1 more in files outside the workspace or off limits to QCoder were left out]',
      summary: 'no symbols',
    });
  });

  it('passes on the language service’s note after the position note, and its failure as an error', async () => {
    const noted = fakeIntel({ locations: refs(['/ws/src/a.ts', 1]), note: 'still indexing' });
    const symbol = await tool(noted, 'find_symbol').run({ query: 'add' }, context);
    assert.equal(symbol.content, '1 symbol matching "add":\nsrc/a.ts:1\n[still indexing]');
    assert.equal(symbol.summary, '1 symbol');
    const definition = await tool(noted, 'go_to_definition').run(
      { path: 'src/math.ts', line: 4, symbol: 'total' },
      context,
    );
    assert.equal(
      definition.content,
      'Definition of "total" (src/math.ts:5):\nsrc/a.ts:1\n["total" is on line 5, not 4; used that]\n[still indexing]',
    );
    const none = await tool(fakeIntel({ locations: [], note: 'still indexing' }), 'find_symbol').run(
      { query: 'add' },
      context,
    );
    assert.equal(none.content, 'No symbols match "add".\n[still indexing]');
    for (const name of ['find_symbol', 'go_to_definition', 'find_references']) {
      const failed = await tool(fakeIntel({ fail: 'no language server for .ts' }), name).run(
        { query: 'add', path: 'src/math.ts', line: 5, symbol: 'add' },
        context,
      );
      assert.deepEqual(failed, {
        content: 'Error: no language server for .ts',
        summary: 'no language server for .ts',
        isError: true,
      });
    }
  });

  it('lists a reference line once; keeps two symbols on one line; works without line previews', async () => {
    const intel = fakeIntel({ locations: refs(['/ws/src/a.ts', 2], ['/ws/src/a.ts', 2], ['/ws/src/a.ts', 3]) });
    const uses = await tool(intel, 'find_references').run({ path: 'src/math.ts', line: 5, column: 3 }, context);
    assert.equal(uses.content, '2 references to src/math.ts:5:3:\nsrc/a.ts:2\nsrc/a.ts:3');
    const pair: CodeLocation[] = [
      { file: '/ws/src/z.ts', name: 'b', range: range(1) },
      { file: '/ws/src/z.ts', name: 'a', range: range(1) },
    ];
    const both = await tool(fakeIntel({ locations: pair }), 'find_symbol').run({ query: 'a' }, context);
    assert.equal(both.content, '2 symbols matching "a":\nb — src/z.ts:1\na — src/z.ts:1');
    const { lineText: _unused, ...withoutPreviews } = fakeIntel({ locations: refs(['/ws/src/a.ts', 2]) });
    const plain = await tool(withoutPreviews, 'find_references').run(
      { path: 'src/math.ts', line: 5, column: 3 },
      context,
    );
    assert.equal(plain.content, '1 reference to src/math.ts:5:3:\nsrc/a.ts:2');
  });

  it('asks for references with the declaration unless told not to, at the given column', async () => {
    const intel = fakeIntel({ locations: [] });
    const none = await tool(intel, 'find_references').run({ path: 'src/math.ts', line: 5, column: 3 }, context);
    assert.deepEqual(none, { content: 'No references found for src/math.ts:5:3.', summary: 'no references' });
    assert.deepEqual(intel.asked.at(-1), ['references', { path: 'src/math.ts', line: 5, column: 3 }, true]);
    await tool(intel, 'go_to_definition').run({ path: 'src/math.ts', line: 2, column: 1 }, context);
    assert.deepEqual(intel.asked.at(-1), ['definitions', { path: 'src/math.ts', line: 2, column: 1 }]);
  });

  it('refuses bad positions in the tool’s own words without asking the language service', async () => {
    const intel = fakeIntel({ locations: [] });
    const definition = await tool(intel, 'go_to_definition').run({ path: 'src/math.ts' }, context);
    assert.deepEqual(definition, {
      content: 'Error: go_to_definition needs a "path" and a 1-based "line".',
      summary: 'go_to_definition needs a "path" and a 1-based "line".',
      isError: true,
    });
    const references = await tool(intel, 'find_references').run({ path: 'src/math.ts', line: 2 }, context);
    assert.equal(
      references.content,
      'Error: find_references needs the "symbol" name on line 2 (or a 1-based "column").',
    );
    assert.deepEqual(intel.asked, []);
  });

  it('offers each tool to the model with its parameters, their JSON types and which are required', () => {
    const typed = (properties: object) =>
      Object.entries(properties).map(([key, property]) => [key, (property as { type: string }).type]);
    const schemas = codeTools(fakeIntel({})).map(({ schema }) => ({
      name: schema.name,
      type: schema.parameters.type,
      properties: typed(schema.parameters.properties ?? {}),
      required: schema.parameters.required,
    }));
    const position = [
      ['path', 'string'],
      ['line', 'integer'],
      ['symbol', 'string'],
      ['column', 'integer'],
    ];
    assert.deepEqual(schemas, [
      {
        name: 'get_problems',
        type: 'object',
        properties: [
          ['path', 'string'],
          ['severity', 'string'],
        ],
        required: undefined,
      },
      { name: 'find_symbol', type: 'object', properties: [['query', 'string']], required: ['query'] },
      { name: 'go_to_definition', type: 'object', properties: position, required: ['path', 'line'] },
      {
        name: 'find_references',
        type: 'object',
        properties: [...position, ['include_declaration', 'boolean']],
        required: ['path', 'line'],
      },
    ]);
    const problemsParameters = codeTools(fakeIntel({}))[0].schema.parameters as {
      properties: { severity: { enum: string[] } };
    };
    assert.deepEqual(problemsParameters.properties.severity.enum, ['error', 'warning', 'info', 'hint']);
    for (const { schema } of codeTools(fakeIntel({}))) {
      assert.ok(schema.description.length > 20, schema.name);
      for (const [key, property] of Object.entries(schema.parameters.properties ?? {}))
        assert.ok((property as { description?: string }).description, `${schema.name}.${key}`);
    }
    assert.match(CODE_TOOLS_PROMPT, /\n- For a task of several steps, keep a checklist with todo_write/);
  });

  it('titles name the symbol, or the path and line', () => {
    const intel = fakeIntel({});
    assert.equal(tool(intel, 'go_to_definition').title({ symbol: 'add', path: 'a.ts', line: 3 }), 'Definition of add');
    assert.equal(tool(intel, 'find_references').title({ path: 'a.ts', line: 3 }), 'References to a.ts:3');
    assert.equal(tool(intel, 'find_symbol').title({}), 'Find symbol ""');
  });

  it('refuses find_symbol without a query; looks up to three lines away; a name must start a word', async () => {
    const missing = await tool(fakeIntel({}), 'find_symbol').run({}, context);
    assert.equal(missing.content, 'Error: find_symbol needs a "query" (a name or part of one).');
    assert.deepEqual(findSymbolNear(['z', 'a', 'b', 'c'], 4, 'z'), { line: 1, column: 1 });
    assert.deepEqual(findSymbolNear(['readd = 1', 'add'], 1, 'add'), { line: 2, column: 1 });
  });

  it('takes a trimmed symbol, a column of 1, and files with CRLF line ends', async () => {
    const crlf = new MemoryWorkspace({ 'w.ts': 'let a = 1;\r\nlet b = a;\r\n' });
    assert.deepEqual(await resolvePosition({ path: 'w.ts', line: 2, symbol: ' a ' }, crlf, 't'), {
      ok: true,
      position: { path: 'w.ts', line: 2, column: 9 },
      label: '"a" (w.ts:2)',
      note: undefined,
    });
    assert.deepEqual(await resolvePosition({ path: 'w.ts', line: 1, column: 1 }, crlf, 't'), {
      ok: true,
      position: { path: 'w.ts', line: 1, column: 1 },
      label: 'w.ts:1:1',
    });
    assert.deepEqual(await resolvePosition({ path: 'w.ts', line: 3, column: 2 }, crlf, 't'), {
      ok: true,
      position: { path: 'w.ts', line: 3, column: 2 },
      label: 'w.ts:3:2',
    });
    const past = await resolvePosition({ path: 'w.ts', line: 4, column: 1 }, crlf, 't');
    assert.deepEqual(past, { ok: false, reason: 'w.ts has 3 lines; line 4 is past the end.' });
  });

  it('cuts a long line preview at 160 characters', async () => {
    const long = `${'x'.repeat(150)} ${'y'.repeat(20)}`;
    const intel = fakeIntel({ locations: refs(['/ws/src/a.ts', 2]), lines: { '/ws/src/a.ts:2': long } });
    const outcome = await tool(intel, 'find_references').run({ path: 'src/math.ts', line: 5, column: 3 }, context);
    assert.equal(outcome.content, `1 reference to src/math.ts:5:3:\nsrc/a.ts:2: ${long.slice(0, 159)}…`);
    assert.equal(
      formatLocation({ file: 'f', path: 'a.ts', range: range(1) }, 'z'.repeat(160)),
      `a.ts:1: ${'z'.repeat(160)}`,
    );
  });

  it('names a symbol with its kind or its container alone', () => {
    const at = { file: 'f', path: 'a.ts', range: range(2, 5) };
    assert.equal(formatLocation({ ...at, name: 'x', kind: 'field' }), 'field x — a.ts:2-5');
    assert.equal(formatLocation({ ...at, name: 'x', container: 'C' }, 'preview'), 'C.x — a.ts:2-5');
  });
});

describe('get_problems: order, counts and what is left out', () => {
  const error = (file: string, line: number, message: string): Problem => ({
    file,
    severity: 'error',
    message,
    range: range(line),
  });

  it('orders files of equal severity by path and counts one file in the singular', async () => {
    const intel = fakeIntel({ problems: [error('/ws/src/z.ts', 1, 'late'), error('/ws/src/a.ts', 5, 'early')] });
    const both = await tool(intel, 'get_problems').run({}, context);
    assert.equal(
      both.content,
      '2 problems (2 errors) in 2 files:\nsrc/a.ts\n  5 error early\nsrc/z.ts\n  1 error late',
    );
    assert.deepEqual(intel.asked, [['problems', undefined]]);
    const one = await tool(fakeIntel({ problems: [error('/ws/src/a.ts', 5, 'early')] }), 'get_problems').run(
      { path: '' },
      context,
    );
    assert.deepEqual(one, { content: '1 problem (1 error) in 1 file:\nsrc/a.ts\n  5 error early', summary: '1 error' });
  });

  it('says there are none in the path asked, with the note and what was left out', async () => {
    const intel = fakeIntel({ problems: [error('/ws/secret/k.ts', 1, 'hidden')], note: 'still starting' });
    const outcome = await tool(intel, 'get_problems').run({ path: 'src/b.ts' }, context);
    assert.deepEqual(outcome, {
      content:
        'No problems in src/b.ts.\n[still starting]' +
        '\n[1 more in files outside the workspace or off limits to QCoder were left out]',
      summary: 'no problems',
    });
  });

  it('shows infos from info up, and nothing less severe', async () => {
    const levels: Problem[] = (['hint', 'info', 'warning'] as const).map((severity, i) => ({
      ...error('/ws/src/a.ts', i + 1, severity),
      severity,
    }));
    const outcome = await tool(fakeIntel({ problems: levels }), 'get_problems').run({ severity: 'info' }, context);
    assert.equal(
      outcome.content,
      '2 problems (1 warning, 1 info) in 1 file:\nsrc/a.ts\n  3 warning warning\n  2 info info',
    );
  });
});
