import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { namedPath, placeBlock, shellCommand } from '../../src/core/chat/codeBlockTarget';
import { isShellBlock, languageOf } from '../../src/core/chat/messageProtocol';

describe('code block → file: the path a block names', () => {
  it('reads the fence info in the forms models write', () => {
    assert.equal(namedPath('ts src/cart.ts', '', ''), 'src/cart.ts');
    assert.equal(namedPath('ts:src/cart.ts', '', ''), 'src/cart.ts');
    assert.equal(namedPath('python title="app/main.py"', '', ''), 'app/main.py');
    assert.equal(namedPath('src/cart.ts', '', ''), 'src/cart.ts');
  });

  it('reads a first-line comment naming the file', () => {
    assert.equal(namedPath('ts', '// src/cart.ts\nexport const a = 1;', ''), 'src/cart.ts');
    assert.equal(namedPath('py', '# file: tools/run.py\nprint(1)', ''), 'tools/run.py');
    assert.equal(namedPath('ts', '// compute the total\nconst a = 1;', ''), undefined, 'a comment that is not a path');
  });

  it('reads the last path in the paragraph just before the block', () => {
    const before = 'Earlier I looked at `src/other.ts`.\n\nChange `formatCents` in `src/cart.ts` like this:';
    assert.equal(namedPath('ts', 'function f() {}', before), 'src/cart.ts');
    assert.equal(namedPath('ts', 'x', 'See example.com for details:'), undefined, 'a web name is not a file');
    assert.equal(namedPath('ts', 'x', 'Put it in ../outside.ts:'), undefined, 'nothing outside the workspace');
  });

  it('takes the language from the first word of the info, not a path', () => {
    assert.equal(languageOf('TypeScript src/a.ts'), 'typescript');
    assert.equal(languageOf('src/a.ts'), '');
    assert.equal(languageOf('ts:src/a.ts'), 'ts');
    assert.equal(isShellBlock('bash'), true);
    assert.equal(isShellBlock('Console'), true);
    assert.equal(isShellBlock('python'), false);
  });
});

const FILE = [
  "import { round } from './math';",
  '',
  'export function formatCents(cents: number): string {',
  '  const dollars = Math.floor(cents / 100);',
  '  return `$${dollars}`;',
  '}',
  '',
  'export function total(items: number[]): number {',
  '  return items.reduce((a, b) => a + b, 0);',
  '}',
  '',
].join('\n');

describe('code block → place in the file', () => {
  it('a function rewritten replaces that function only, closing brace included', () => {
    const code = 'export function formatCents(cents: number): string {\n  return `$${(cents / 100).toFixed(2)}`;\n}\n';
    const placed = placeBlock(FILE, code);
    assert.equal(placed?.kind, 'region');
    assert.equal(
      placed?.text,
      FILE.replace(
        '  const dollars = Math.floor(cents / 100);\n  return `$${dollars}`;',
        () => '  return `$${(cents / 100).toFixed(2)}`;',
      ),
    );
    assert.deepEqual(placed?.kind === 'region' && [placed.startLine, placed.endLine], [3, 6]);
  });

  it('a fragment whose signature changed still finds the declaration it rewrites', () => {
    const code = 'export function total(items: number[], tax = 0): number {\n  return 1;\n}';
    const placed = placeBlock(FILE, code);
    assert.equal(placed?.kind === 'region' && placed.startLine, 8);
    assert.match(placed?.text ?? '', /formatCents[\s\S]*total\(items: number\[\], tax = 0\)[\s\S]*return 1;\n}\n$/);
    const single = placeBlock(
      FILE.replace('export function total', 'const limit = 5;\nexport function total'),
      'const limit = 9;',
    );
    assert.match(single?.text ?? '', /const limit = 9;\nexport function total/);
  });

  it('an indented fragment (a method, a Python body) takes the file’s indentation', () => {
    const python = 'class Cart:\n    def total(self):\n        return 0\n\n    def size(self):\n        return 1\n';
    const placed = placeBlock(python, 'def total(self):\n    return sum(self.items)');
    assert.equal(placed?.text, python.replace('        return 0', '        return sum(self.items)'));
  });

  it('a block that is the whole file, or most of it, replaces the file', () => {
    const whole = FILE.replace('Math.floor', 'Math.round').trimEnd();
    assert.deepEqual(placeBlock(FILE, whole), { kind: 'whole', text: `${whole}\n` });
    assert.deepEqual(placeBlock('', 'print(1)\n'), { kind: 'whole', text: 'print(1)' });
  });

  it('a small fragment whose place cannot be told is not guessed', () => {
    assert.equal(placeBlock(FILE, 'const x = 2;'), undefined);
    const twice = 'a {\n}\na {\n}\nb\nc\nd\ne\nf\ng\n';
    assert.equal(placeBlock(twice, 'a {\n  x\n}'), undefined, 'its first line is in the file twice');
  });
});

describe('shell blocks as command lines', () => {
  it('drops prompts and leaves console output out', () => {
    assert.equal(shellCommand('$ npm test\n> passed 3\n', 'console'), 'npm test');
    assert.equal(shellCommand('$ npm ci\nadded 3 packages\n$ npm test\n', 'console'), 'npm ci\nnpm test');
    assert.equal(shellCommand('npm run build\n', 'bash'), 'npm run build');
  });
});
