import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CursorContext, isMidLine, postProcess } from '../../src/core/completion/postProcess';

const at = (linePrefix: string, lineSuffix = '', nextLines: string[] = [], maxLines = 8): CursorContext => ({
  linePrefix,
  lineSuffix,
  nextLines,
  maxLines,
});

describe('completion post-processing', () => {
  it('cuts at the first special token', () => {
    assert.equal(postProcess('return x;<|file_sep|>other.ts\nstuff', at('  ')), 'return x;');
    assert.equal(postProcess('a<|endoftext|>', at('')), 'a');
  });

  it('keeps one line in the middle of a line', () => {
    assert.equal(postProcess('value, other\nnext();', at('call(', ', last)')), 'value, other');
    assert.ok(isMidLine(' + b'));
    assert.ok(!isMidLine(');'));
    assert.ok(!isMidLine('  '));
  });

  it('stops where the block ends by indentation', () => {
    const raw = 'const y = 2;\n  return y;\n}\n\nfunction next() {\n  return 3;\n}';
    assert.equal(postProcess(raw, at('  ', '', [])), 'const y = 2;\n  return y;\n}');
  });

  it('drops a closing line the code after the cursor already has', () => {
    const raw = 'return y;\n}\n\nfunction next() {}';
    assert.equal(postProcess(raw, at('  ', '', ['}', ''])), 'return y;');
  });

  it('stops at a bracket closed that was opened before the cursor line', () => {
    assert.equal(postProcess('a: 1 }, more', at('  ', '', [])), 'a: 1');
  });

  it('keeps brackets the completion opens and closes itself', () => {
    assert.equal(postProcess('if (x) {\n  go(x);\n}', at('')), 'if (x) {\n  go(x);\n}');
  });

  it('ends a top-level block at its closing line', () => {
    const raw = 'function a() {\n  return 1;\n}\nfunction b() {\n  return 2;\n}';
    assert.equal(postProcess(raw, at('')), 'function a() {\n  return 1;\n}');
  });

  it('ends a method at its closing line inside a class', () => {
    const raw = 'area() {\n    return this.w * this.h;\n  }\n\n  perimeter() {\n    return 0;\n  }';
    assert.equal(postProcess(raw, at('  ')), 'area() {\n    return this.w * this.h;\n  }');
  });

  it('ends at the brace that closes the cursor line', () => {
    assert.equal(postProcess('\n  return 1;\n}\nnext();', at('function f() {')), '\n  return 1;\n}');
  });

  it('strips what the rest of the line repeats, bracket-aware', () => {
    assert.equal(postProcess('a, b)', at('call(', ')')), 'a, b');
    assert.equal(postProcess('inner(a)', at('call(', ')')), 'inner(a)');
    assert.equal(postProcess('hello";', at('const s = "', '";')), 'hello');
  });

  it('strips trailing lines the following code repeats', () => {
    const raw = 'x = 1\ny = 2\nprint(x)';
    assert.equal(postProcess(raw, at('')), 'x = 1\ny = 2\nprint(x)');
    assert.equal(postProcess(raw, at('', '', ['print(x)', 'done()'])), 'x = 1\ny = 2');
  });

  it('never shows more than maxLines', () => {
    const raw = ['a()', 'b()', 'c()', 'd()'].join('\n');
    assert.equal(postProcess(raw, at('', '', [], 2)), 'a()\nb()');
    assert.equal(postProcess(raw, at('', '', [], 0)), 'a()');
  });

  it('returns nothing for whitespace', () => {
    assert.equal(postProcess('  \n\n ', at('')), '');
    assert.equal(postProcess('<|endoftext|>', at('')), '');
  });

  it('trims trailing spaces of every line and keeps the first line leading space', () => {
    assert.equal(postProcess(' = 1;  \n', at('let x')), ' = 1;');
    assert.equal(postProcess('a;  \nb;  ', at('')), 'a;\nb;');
  });

  it('reads tabs as indentation', () => {
    const raw = 'x();\n\ty();\n}\nz();';
    assert.equal(postProcess(raw, at('\t', '', [])), 'x();\n\ty();\n}');
  });

  it('normalizes CRLF', () => {
    assert.equal(postProcess('a();\r\nb();', at('')), 'a();\nb();');
  });
});
