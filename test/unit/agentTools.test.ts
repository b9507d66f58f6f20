import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CodeIntel, CodeLocation, CodePosition, Problem } from '../../src/core/agent/codeIntel';
import {
  codeTools,
  findSymbolNear,
  MAX_PROBLEMS,
  MAX_REFERENCES,
  resolvePosition,
} from '../../src/core/agent/symbolTools';
import { MemoryWorkspace } from '../support/memoryWorkspace';

const SRC = '/w/src';
const file = (name: string) => `${SRC}/${name}`;
const at = (line: number, end = line) => ({ startLine: line, endLine: end });

/** A language service in memory: files under /w are shown workspace-relative, `.env*` and `/outside` are refused. */
class FakeIntel implements CodeIntel {
  problemList: Problem[] = [];
  symbolList: CodeLocation[] = [];
  definitionList: CodeLocation[] = [];
  referenceList: CodeLocation[] = [];
  asked: { kind: string; at?: CodePosition; query?: string; declaration?: boolean }[] = [];
  lines = new Map<string, string[]>();
  note: string | undefined;

  async problems(path?: string) {
    this.asked.push({ kind: 'problems', query: path });
    const items = path ? this.problemList.filter((p) => p.file === `/w/${path}`) : this.problemList;
    return { ok: true as const, items };
  }
  async symbols(query: string) {
    this.asked.push({ kind: 'symbols', query });
    return { ok: true as const, items: this.symbolList, ...(this.note ? { note: this.note } : {}) };
  }
  async definitions(position: CodePosition) {
    this.asked.push({ kind: 'definitions', at: position });
    return { ok: true as const, items: this.definitionList };
  }
  async references(position: CodePosition, declaration: boolean) {
    this.asked.push({ kind: 'references', at: position, declaration });
    return { ok: true as const, items: this.referenceList };
  }
  async displayPath(path: string) {
    if (!path.startsWith('/w/') || /(^|\/)\.env/.test(path)) return undefined;
    return path.slice(3);
  }
  async lineText(path: string, line: number) {
    return this.lines.get(path)?.[line - 1];
  }
}

const workspace = new MemoryWorkspace({
  'src/math.ts':
    'export function add(a: number, b: number) {\n  return a + b;\n}\n\nexport const twice ' +
    '= (x: number) => add(x, x);\n',
  'src/main.ts': "import { add } from './math';\nconsole.log(add(1, 2));\n",
});
const signal = new AbortController().signal;

function tools(intel: CodeIntel) {
  const byName = new Map(codeTools(intel).map((tool) => [tool.schema.name, tool]));
  return (name: string, args: Record<string, unknown>) => byName.get(name)!.run(args, { workspace, signal });
}

describe('get_problems', () => {
  it('groups by file with errors first, line:column, source and code, and leaves out denied files', async () => {
    const intel = new FakeIntel();
    intel.problemList = [
      {
        file: file('b.ts'),
        severity: 'warning',
        message: "'x' is declared\n  but never used.",
        source: 'ts',
        code: '6133',
        range: { ...at(4), startColumn: 7 },
      },
      {
        file: file('a.ts'),
        severity: 'error',
        message: "Type 'string' is not assignable to type 'number'.",
        source: 'ts',
        code: '2322',
        range: { ...at(12), startColumn: 5 },
      },
      { file: '/w/.env', severity: 'error', message: 'SECRET=abc is bad', range: at(1) },
      { file: file('a.ts'), severity: 'hint', message: 'could be async', range: at(2) },
    ];
    const run = tools(intel);
    const result = await run('get_problems', {});
    assert.equal(
      result.content,
      [
        '2 problems (1 error, 1 warning) in 2 files:',
        'src/a.ts',
        "  12:5 error [ts 2322] Type 'string' is not assignable to type 'number'.",
        'src/b.ts',
        "  4:7 warning [ts 6133] 'x' is declared but never used.",
        '[1 more in files outside the workspace or off limits to QCoder were left out]',
      ].join('\n'),
    );
    assert.equal(result.summary, '1 error, 1 warning');
    assert.doesNotMatch(result.content, /SECRET|\.env/);
    const hints = await run('get_problems', { severity: 'hint' });
    assert.match(hints.content, /3 problems \(1 error, 1 warning, 1 hint\)/);
  });

  it('asks for one path and says when there is nothing', async () => {
    const intel = new FakeIntel();
    const result = await tools(intel)('get_problems', { path: 'src/clean.ts' });
    assert.equal(result.content, 'No problems in src/clean.ts.');
    assert.deepEqual(intel.asked, [{ kind: 'problems', query: 'src/clean.ts' }]);
  });

  it(`shows at most ${MAX_PROBLEMS} problems and says how many more there are`, async () => {
    const intel = new FakeIntel();
    intel.problemList = Array.from({ length: 130 }, (_, i) => ({
      file: file('big.ts'),
      severity: 'error' as const,
      message: `problem ${i}`,
      range: at(i + 1),
    }));
    const result = await tools(intel)('get_problems', {});
    assert.equal(result.content.split('\n').filter((line) => line.startsWith('  ')).length, MAX_PROBLEMS);
    assert.match(result.content, /\[30 more not shown; ask for one path\]/);
  });
});

describe('find_symbol', () => {
  it('lists kind, container and name with a path and line range, without secret files', async () => {
    const intel = new FakeIntel();
    intel.symbolList = [
      { file: file('math.ts'), range: at(1, 3), name: 'add', kind: 'function' },
      { file: file('calc.ts'), range: at(10, 12), name: 'add', kind: 'method', container: 'Calculator' },
      { file: '/w/.env.local', range: at(1), name: 'addSecret', kind: 'variable' },
      { file: '/elsewhere/lib.ts', range: at(5), name: 'add', kind: 'function' },
    ];
    const result = await tools(intel)('find_symbol', { query: 'add' });
    assert.equal(
      result.content,
      [
        '2 symbols matching "add":',
        'function add — src/math.ts:1-3',
        'method Calculator.add — src/calc.ts:10-12',
        '[2 more in files outside the workspace or off limits to QCoder were left out]',
      ].join('\n'),
    );
    assert.doesNotMatch(result.content, /addSecret|elsewhere/);
  });

  it('passes on the host note (a language server still starting) and refuses an empty query', async () => {
    const intel = new FakeIntel();
    intel.note = 'the typescript language server may still be starting; try again in a few seconds';
    const result = await tools(intel)('find_symbol', { query: 'nothing' });
    assert.equal(
      result.content,
      'No symbols match "nothing".\n[the typescript language server may still be starting; try again in a few seconds]',
    );
    const empty = await tools(intel)('find_symbol', { query: '  ' });
    assert.equal(empty.isError, true);
    assert.match(empty.content, /needs a "query"/);
  });
});

describe('go_to_definition and find_references', () => {
  it('finds the symbol on the line the model named and asks for that column', async () => {
    const intel = new FakeIntel();
    intel.definitionList = [{ file: file('math.ts'), range: at(1, 3) }];
    intel.lines.set(file('math.ts'), ['export function add(a: number, b: number) {']);
    const result = await tools(intel)('go_to_definition', { path: 'src/main.ts', line: 2, symbol: 'add' });
    assert.deepEqual(intel.asked[0].at, { path: 'src/main.ts', line: 2, column: 13 });
    assert.equal(
      result.content,
      'Definition of "add" (src/main.ts:2):\nsrc/math.ts:1-3: export function add(a: number, b: number) {',
    );
  });

  it(
    'lists references sorted by path and line, one per line, ' + 'with the line text and without denied files',
    async () => {
      const intel = new FakeIntel();
      intel.referenceList = [
        { file: file('math.ts'), range: at(5) },
        { file: file('main.ts'), range: at(2) },
        { file: file('math.ts'), range: at(1) },
        { file: file('math.ts'), range: at(1) },
        { file: '/w/.env', range: at(3) },
      ];
      intel.lines.set(file('math.ts'), [
        'export function add(a, b) {',
        '',
        '',
        '',
        'export const twice = (x) => add(x, x);',
      ]);
      const result = await tools(intel)('find_references', {
        path: 'src/math.ts',
        line: 1,
        symbol: 'add',
        include_declaration: false,
      });
      assert.equal(intel.asked[0].declaration, false);
      assert.equal(
        result.content,
        [
          '3 references to "add" (src/math.ts:1):',
          'src/main.ts:2',
          'src/math.ts:1: export function add(a, b) {',
          'src/math.ts:5: export const twice = (x) => add(x, x);',
          '[1 more in files outside the workspace or off limits to QCoder were left out]',
        ].join('\n'),
      );
      assert.equal(result.summary, '3 references');
    },
  );

  it(`caps references at ${MAX_REFERENCES}`, async () => {
    const intel = new FakeIntel();
    intel.referenceList = Array.from({ length: 150 }, (_, i) => ({
      file: file(`f${String(i).padStart(3, '0')}.ts`),
      range: at(1),
    }));
    const result = await tools(intel)('find_references', { path: 'src/math.ts', line: 1, column: 17 });
    assert.match(result.content, /^150 references to src\/math\.ts:1:17:/);
    assert.match(result.content, /\n\[50 more not shown\]$/);
  });

  it('refuses a secret file before asking the language server', async () => {
    const intel = new FakeIntel();
    const result = await tools(intel)('find_references', { path: '.env', line: 1, symbol: 'KEY' });
    assert.equal(result.isError, true);
    assert.match(result.content, /secrets file/);
    assert.equal(intel.asked.length, 0);
  });
});

describe('resolvePosition', () => {
  it('uses a nearby line when the model is a line off, and says so', async () => {
    const resolved = await resolvePosition({ path: 'src/math.ts', line: 4, symbol: 'twice' }, workspace, 't');
    assert.ok(resolved.ok);
    assert.deepEqual(resolved.position, { path: 'src/math.ts', line: 5, column: 14 });
    assert.match(resolved.note ?? '', /on line 5, not 4/);
  });

  it('says what the line reads when the name is not near it', async () => {
    const resolved = await resolvePosition({ path: 'src/main.ts', line: 1, symbol: 'missing' }, workspace, 't');
    assert.ok(!resolved.ok);
    assert.match(
      resolved.reason,
      /"missing" is not on line 1 of src\/main\.ts .*Line 1 reads: import \{ add \} from '\.\/math';/,
    );
  });

  it('wants a line and a symbol or a column, and a line inside the file', async () => {
    for (const args of [
      { path: 'src/main.ts' },
      { path: 'src/main.ts', line: 1 },
      { path: 'src/main.ts', line: 0, column: 1 },
    ]) {
      const resolved = await resolvePosition(args, workspace, 'find_references');
      assert.ok(!resolved.ok);
      assert.match(resolved.reason, /^find_references needs/);
    }
    const past = await resolvePosition({ path: 'src/main.ts', line: 9, column: 1 }, workspace, 't');
    assert.ok(!past.ok);
    assert.match(past.reason, /has 3 lines; line 9 is past the end/);
  });

  it('matches whole words only, and the last part of a dotted name', () => {
    const lines = ['const adder = 1; add(2);', 'this.calc.add(3)'];
    assert.deepEqual(findSymbolNear(lines, 1, 'add'), { line: 1, column: 18 });
    assert.deepEqual(findSymbolNear(lines, 2, 'calc.add'), { line: 2, column: 11 });
    assert.deepEqual(findSymbolNear(lines, 1, 'add()'), { line: 1, column: 18 });
    assert.equal(findSymbolNear(lines, 1, 'ad'), undefined);
  });
});
