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

describe('completion post-processing: where the block ends', () => {
  it('drops a dedented closing line the next code line already has, past blank lines', () => {
    const raw = 'return y;\n}  \nnext();';
    assert.equal(postProcess(raw, at('  ', '', ['  ', '}  '])), 'return y;');
  });

  it('keeps a dedented closing line with trailing spaces when the code after does not close', () => {
    assert.equal(postProcess('return y;\n}  \nnext();', at('  ')), 'return y;\n}');
  });

  it('drops a dedented line that does more than close', () => {
    assert.equal(postProcess('a();\n} else {\n  b();', at('  ')), 'a();');
    assert.equal(postProcess('x = 1\ny = 2', at('    ')), 'x = 1');
  });

  it('reads a line of only spaces as blank, whatever its indentation', () => {
    assert.equal(postProcess('a();\n  \n    b();', at('    ')), 'a();\n\n    b();');
  });

  it('keeps going after a first line that closes the bracket the cursor line opened', () => {
    assert.equal(postProcess(')\nfoo();', at('call(')), ')\nfoo();');
  });

  it('does not end at a closing line deeper than the cursor line', () => {
    const raw = 'const a = [\n  1,\n  ];\nnext();';
    assert.equal(postProcess(raw, at('')), 'const a = [\n  1,\n  ];\nnext();');
  });

  it('does not end at a closing line that leaves a bracket of the completion open', () => {
    assert.equal(postProcess('x = [[\n1\n],\n[2]]', at('')), 'x = [[\n1\n],\n[2]]');
  });

  it('counts brackets the cursor line opened after closing an earlier one', () => {
    assert.equal(postProcess('item)', at(') && all(items, (')), 'item)');
  });

  it('ends at an unmatched closer even when the line opens a bracket after it', () => {
    assert.equal(postProcess('a: 1 }, { b: 2', at('  ')), 'a: 1');
  });

  it('ends at the unmatched closer, not at one the line opened itself', () => {
    assert.equal(postProcess('a: f(1) }, more', at('  ')), 'a: f(1)');
  });
});

describe('completion post-processing: what the code after the cursor repeats', () => {
  it('compares the rest of the line without its surrounding spaces', () => {
    assert.equal(postProcess('a, b)', at('call(', ')  ')), 'a, b');
    assert.equal(postProcess('a, b)\n', at('call(', ')')), 'a, b');
    assert.equal(postProcess(' a, b)', at('call(', ')')), ' a, b');
  });

  it('strips repeated indented lines, indentation included', () => {
    const raw = 'if (a) {\n  go();\n}';
    assert.equal(postProcess(raw, at('', '', ['  go();', '}'])), 'if (a) {');
  });

  it('never strips the whole completion', () => {
    assert.equal(postProcess('print(x)', at('', '', ['print(x)'])), 'print(x)');
  });

  it('strips the longest run of lines the code after repeats, all of them equal', () => {
    const raw = 'x = 1\ny = 2\npass\npass';
    assert.equal(postProcess(raw, at('', '', ['pass', 'pass', 'z = 3'])), 'x = 1\ny = 2');
  });

  it('strips a repeated run that has a blank line inside', () => {
    const raw = 'a()\nb()\n\nc()';
    assert.equal(postProcess(raw, at('', '', ['b()', '', 'c()'])), 'a()');
  });
});
