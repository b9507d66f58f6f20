/**
 * The edit rules added after the outside review: a typo in a line the edit replaces, blocks
 * placed by the order of the call, and the model's trailing blanks in new lines. Every
 * assertion is on the text that would be written or on the refusal the model would read.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeProposal, type Edit, type Proposal, type ProposalResult, type Refusal } from '../../src/core/edits';
import { chooseInOrder } from '../../src/core/edits/order';

const CART = [
  'export function total(items) {',
  '    let sum = 0;',
  '    for (const item of items) {',
  '        sum += item.price * item.quantity;',
  '    }',
  '    return sum;',
  '}',
  '',
].join('\n');

const edit = (oldText: string, newText: string, replaceAll = false): Edit => ({
  oldText,
  newText,
  ...(replaceAll ? { replaceAll } : {}),
});

function applied(result: ProposalResult): Proposal {
  if (!result.ok) assert.fail(`refused: ${result.message}`);
  return result;
}

function refused(result: ProposalResult): Refusal {
  if (result.ok) assert.fail(`applied: ${JSON.stringify(result.newText)}`);
  return result;
}

const run = (edits: Edit[], text = CART): ProposalResult => computeProposal('cart.js', text, 1, edits);

/** `text` with its one `from` replaced by `to` (the reference, written by hand). */
function swap(text: string, from: string, to: string): string {
  assert.equal(text.split(from).length, 2, `fixture has exactly one ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

describe('a typo in a line the edit replaces', () => {
  const loop = '    for (const item of items) {\n';

  it('is accepted when the model rewrites the line, and the file gets the new line', () => {
    const result = applied(
      run([
        edit(`${loop}        sum += item.price * item.quantitty;\n    }`, `${loop}        sum += item.total;\n    }`),
      ]),
    );
    assert.equal(result.newText, swap(CART, 'item.price * item.quantity', 'item.total'));
    assert.equal(result.matches[0].strategy, 'fuzzy');
    assert.equal(result.matches[0].similarity, 0.97);
    assert.deepEqual(result.matches[0].ranges, [{ startLine: 3, endLine: 5 }]);
  });

  it("corrects the typo where the model copied it into its new line, and keeps the model's change", () => {
    const result = applied(
      run([
        edit(
          `${loop}        sum += item.price * item.quantitty;\n    }`,
          `${loop}        sum += item.price * item.quantitty * 2; // doubled\n    }`,
        ),
      ]),
    );
    assert.equal(result.newText, swap(CART, 'item.quantity;', 'item.quantity * 2; // doubled'));
  });

  it('writes the part of the line the model rewrote as it wrote it', () => {
    const result = applied(
      run([
        edit(`${loop}        sum += item.prize * item.quantity;`, `${loop}        sum += item.cost * item.quantity;`),
      ]),
    );
    assert.equal(result.newText, swap(CART, 'item.price *', 'item.cost *'));
  });

  it('corrects a typo at the very start of the line and one at its end', () => {
    const start = applied(run([edit(`${loop}        sun += item.price * item.quantity;`, `${loop}        sun += 1;`)]));
    assert.equal(start.newText, swap(CART, 'sum += item.price * item.quantity;', 'sun += 1;'));
    const copied = applied(
      run([
        edit(
          `${loop}        sum += item.price * item.quantit;`,
          `${loop}        total(); sum += item.price * item.quantit;`,
        ),
      ]),
    );
    assert.equal(copied.newText, swap(CART, '        sum += item.price', '        total(); sum += item.price'));
  });

  it('is accepted when the edit deletes the mistyped line', () => {
    const result = applied(
      run([edit(`${loop}        sum += item.price * item.quantitty;\n    }\n`, `${loop}    }\n`)]),
    );
    assert.equal(result.newText, swap(CART, '        sum += item.price * item.quantity;\n', ''));
  });

  it('forgives two characters (a transposition) but not three', () => {
    const two = applied(run([edit(`${loop}        sum += item.price * item.quantiyt;`, `${loop}        sum += 1;`)]));
    assert.equal(two.newText, swap(CART, 'sum += item.price * item.quantity;', 'sum += 1;'));
    const three = refused(run([edit(`${loop}        sum += item.price * item.qxxxtity;`, `${loop}        sum += 1;`)]));
    assert.equal(three.kind, 'not_found');
    assert.match(
      three.message,
      /line 4 has "sum \+= item\.price \* item\.quantity;" where old_text has "sum \+= item\.price \* item\.qxxxtity;"/,
    );
  });

  it('is refused when a line the edit keeps is mistyped too, naming the replaced line', () => {
    const result = refused(
      run([
        edit(
          '    for (const item of itemz) {\n        sum += item.price * item.quantitty;\n    }',
          '    for (const item of itemz) {\n        sum += item.total;\n    }',
        ),
      ]),
    );
    assert.equal(result.kind, 'not_found');
    assert.match(result.message, /Closest: lines 3-5 \(similarity 0\.9\d; line 4 has /);
  });

  it('is refused when the block is close to two places', () => {
    const twice = `${CART}${CART.replace('total', 'other')}`;
    const result = refused(
      run(
        [
          edit(
            '    let sum = 0;\n    for (const item of itemz) {',
            '    let sum = 1;\n    for (const item of itemz) {',
          ),
        ],
        twice,
      ),
    );
    assert.equal(result.kind, 'ambiguous');
    assert.match(result.message, /matches 2 places \(lines 2-3, lines 9-10; fuzzy match\)/);
    assert.deepEqual(
      result.problems?.[0].candidates?.map((candidate) => [candidate.line, candidate.endLine, candidate.similarity]),
      [
        [2, 3, 0.96],
        [9, 10, 0.96],
      ],
    );
  });
});

describe('blocks placed by the order of the call', () => {
  const TWICE = ['a();', 'if (ready) {', '  go();', '}', 'b();', 'if (ready) {', '  go();', '}', 'c();', ''].join('\n');

  it('gives identical blocks the places in file order', () => {
    const block = 'if (ready) {\n  go();\n';
    const result = applied(
      run([edit(block, 'if (ready) {\n  first();\n'), edit(block, 'if (ready) {\n  second();\n')], TWICE),
    );
    assert.equal(result.newText, TWICE.replace('go', 'first').replace('go', 'second'));
    assert.deepEqual(
      result.matches.map((match) => [match.edit, match.strategy, match.ranges]),
      [
        [0, 'exact', [{ startLine: 2, endLine: 3 }]],
        [1, 'exact', [{ startLine: 6, endLine: 7 }]],
      ],
    );
  });

  it('places a repeated block after the unique edit listed before it, or before the one listed after it', () => {
    const repeated = edit('  go();\n', '  stop();\n');
    const after = applied(run([edit('b();\n', 'B();\n'), repeated], TWICE));
    assert.equal(after.newText, swap(TWICE, 'b();\nif (ready) {\n  go', 'B();\nif (ready) {\n  stop'));
    const before = applied(run([repeated, edit('b();\n', 'B();\n')], TWICE));
    assert.equal(
      before.newText,
      swap(TWICE, 'a();\nif (ready) {\n  go();\n}\nb', 'a();\nif (ready) {\n  stop();\n}\nB'),
    );
  });

  it('works at the line stages too', () => {
    const block = 'if (ready) { \n  go();\n';
    const result = applied(
      run([edit(block, 'if (ready) {\n  first();\n'), edit(block, 'if (ready) {\n  second();\n')], TWICE),
    );
    assert.equal(result.newText, TWICE.replace('go', 'first').replace('go', 'second'));
    assert.deepEqual(
      result.matches.map((match) => match.strategy),
      ['whitespace', 'whitespace'],
    );
  });

  it('refuses when the order leaves a choice, with a refusal that carries only what the model reads', () => {
    const thrice = `${TWICE}if (ready) {\n  go();\n}\n`;
    const block = 'if (ready) {\n  go();\n';
    const result = refused(
      run([edit(block, 'if (ready) {\n  first();\n'), edit(block, 'if (ready) {\n  second();\n')], thrice),
    );
    assert.equal(result.kind, 'ambiguous');
    assert.deepEqual(
      result.problems?.map((problem) => [problem.edit, problem.kind, Object.keys(problem).sort()]),
      [
        [0, 'ambiguous', ['candidates', 'detail', 'edit', 'kind']],
        [1, 'ambiguous', ['candidates', 'detail', 'edit', 'kind']],
      ],
    );
    assert.match(result.message, /old_text matches 3 places \(lines 2-3, lines 6-7, lines 10-11; exact match\)/);
  });

  it('refuses a single block that matches two places, and a call whose order fits no placement', () => {
    assert.equal(refused(run([edit('  go();\n', '  stop();\n')], TWICE)).kind, 'ambiguous');
    const reversed = refused(
      run([edit('c();\n', 'C();\n'), edit('  go();\n', '  stop();\n'), edit('a();\n', 'A();\n')], TWICE),
    );
    assert.equal(reversed.kind, 'ambiguous');
  });

  it('leaves a replace_all edit out of the order and reports a missing block as before', () => {
    const result = applied(
      run([edit('b();\n', 'B();\n'), edit('ready', 'set', true), edit('  go();\n', '  stop();\n')], TWICE),
    );
    assert.equal(
      result.newText,
      ['a();', 'if (set) {', '  go();', '}', 'B();', 'if (set) {', '  stop();', '}', 'c();', ''].join('\n'),
    );
    const missing = refused(
      run([edit('b();\n', 'B();\n'), edit('  go();\n', '  stop();\n'), edit('zzz();\n', '')], TWICE),
    );
    assert.deepEqual(
      missing.problems?.map((problem) => problem.kind),
      ['ambiguous', 'not_found'],
    );
  });

  it('counts overlapping occurrences as places: never a guess between them', () => {
    const braces = 'x\n}\n}\n}\n';
    assert.equal(refused(run([edit('}\n}\n', '}\n')], braces)).kind, 'ambiguous');
    assert.equal(refused(run([edit('}\n}\n}', '}')], 'a\n}\n}\n}\n}\nb\n')).kind, 'ambiguous');
    assert.equal(applied(run([edit('aa', 'b', true)], 'aaa\n')).newText, 'ba\n');
    assert.equal(applied(run([edit('x\n}\n}\n', 'x\n')], braces)).newText, 'x\n}\n');
  });
});

describe("the model's trailing blanks in new lines", () => {
  it('are kept on a match that re-bases the indentation; a blank line keeps its re-based indentation', () => {
    const result = applied(
      run([
        edit(
          'let sum = 0;\nfor (const item of items) {',
          'let sum = 0;  \n  \nlet count = 0;\t\nfor (const item of items) {',
        ),
      ]),
    );
    assert.equal(result.matches[0].strategy, 'indentation');
    assert.equal(
      result.newText,
      swap(CART, '    let sum = 0;\n', '    let sum = 0;  \n      \n    let count = 0;\t\n'),
    );
  });

  it('are kept when the model adds them to a line it copied clean (a Markdown line break)', () => {
    const text = 'Title\n\nFirst line\nSecond line\n';
    const result = applied(run([edit('First line\nSecond line ', 'First line  \nSecond line ')], text));
    assert.equal(result.matches[0].strategy, 'whitespace');
    assert.equal(result.newText, 'Title\n\nFirst line  \nSecond line\n');
  });

  it('sprinkled on copied lines are not written', () => {
    const result = applied(
      run([
        edit(
          '    let sum = 0;  \n    for (const item of items) {\t',
          '    let sum = 0; \n    for (const item of items) {\n      let n;',
        ),
      ]),
    );
    assert.equal(result.newText, swap(CART, 'of items) {\n', 'of items) {\n      let n;\n'));
  });

  it("are kept with the file's own indentation and in whitespace-only lines", () => {
    const result = applied(run([edit('    let sum = 0; \n', '    let sum = 0;\n    \n    let n = 1;  \n')]));
    assert.equal(result.newText, swap(CART, '    let sum = 0;\n', '    let sum = 0;\n    \n    let n = 1;  \n'));
  });
});

describe('chooseInOrder', () => {
  const span = (start: number, end: number): { start: number; end: number } => ({ start, end });

  it('picks the only chain in which each span starts at or after the end of the one before', () => {
    assert.deepEqual(chooseInOrder([[span(0, 5)], [span(2, 4), span(5, 9), span(20, 25)], [span(10, 12)]]), [0, 1, 0]);
    assert.deepEqual(
      chooseInOrder([
        [span(0, 5), span(10, 15)],
        [span(0, 5), span(10, 15)],
      ]),
      [0, 1],
    );
  });

  it('gives up when a choice remains or no chain exists', () => {
    assert.equal(
      chooseInOrder([
        [span(0, 5), span(10, 15), span(20, 25)],
        [span(0, 5), span(10, 15), span(20, 25)],
      ]),
      undefined,
    );
    assert.equal(chooseInOrder([[span(10, 12)], [span(0, 5), span(20, 25)], [span(6, 8)]]), undefined);
    assert.equal(chooseInOrder([[span(0, 5), span(10, 15)]]), undefined);
  });
});

describe('exact blocks of three lines or more', () => {
  it('start on whole or partial lines, never before the file', () => {
    const text = 'abc\nabc\nabc\nx\n';
    assert.equal(applied(run([edit('abc\nabc\nabc', 'y')], text)).newText, 'y\nx\n');
    assert.equal(applied(run([edit('c\nabc\nabc\nx', 'z')], text)).newText, 'abz\n');
    assert.equal(refused(run([edit('bc\nabc\nabc\nx\nabc', 'z')], text)).kind, 'not_found');
  });

  it('are found by their middle lines and must match at both ends', () => {
    const result = applied(
      run([edit('sum = 0;\n    for (const item of items) {\n        sum +=', 'sum = 1;\n        sum +=')]),
    );
    assert.equal(result.newText, swap(CART, 'sum = 0;\n    for (const item of items) {\n', 'sum = 1;\n'));
    assert.equal(result.matches[0].strategy, 'exact');
    const wrongTail = refused(run([edit('sum = 0;\n    for (const item of items) {\n        sum -=', 'x')]));
    assert.equal(wrongTail.kind, 'not_found');
  });

  it('with replace_all, replace each run that does not overlap the one before', () => {
    const text = 'a\nb\na\nb\na\nb\na\n';
    assert.equal(applied(run([edit('a\nb\na\n', 'X\n', true)], text)).newText, 'X\nb\nX\n');
  });
});
