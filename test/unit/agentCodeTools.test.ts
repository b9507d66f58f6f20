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

  it('lists errors first, by file and line, with column, origin and the message on one line; counts by severity', async () => {
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
  });

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
      'Definition of "total" (src/math.ts:5):\nfunction add — src/math.ts:1-3\n["total" is on line 5, not 4; used that]',
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
  it('needs a path, a 1-based line and a symbol or column; refuses a line past the end and a symbol not near it', async () => {
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
        '"nothere" is not on line 1 of src/math.ts (nor within 3 lines of it). Line 1 reads: export function add(a: number, b: number) {',
    });
  });

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
