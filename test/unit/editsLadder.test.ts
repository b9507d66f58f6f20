/**
 * More rungs of the ladder in `locate`, each by what the user would get: blank lines around a
 * loosely matched block, elided blocks, exact blocks found by their middle, many fuzzy places.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeProposal, type Edit, type Proposal, type ProposalResult, type Refusal } from '../../src/core/edits';

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

const run = (text: string, ...edits: Edit[]): ProposalResult => computeProposal('a.js', text, 1, edits);

describe('blank lines around a block that only matches loosely', () => {
  const text = 'top\nA\nB\nbottom\n';

  it('are dropped from old_text, and as many from the start of new_text', () => {
    assert.equal(applied(run(text, edit('\n\nA \nB', '\n\nA2\nB'))).newText, 'top\nA2\nB\nbottom\n');
    assert.equal(applied(run(text, edit('\nA \nB', '\n\nA2\nB'))).newText, 'top\n\nA2\nB\nbottom\n');
  });

  it('and as many from the end of new_text', () => {
    const result = applied(run(text, edit('A \nB\n\n', 'A\nB2\n\n\n')));
    assert.equal(result.newText, 'top\nA\nB2\n\nbottom\n');
    assert.equal(result.matches[0].strategy, 'whitespace');
  });
});

describe('elided blocks', () => {
  const text = [
    'function f() {',
    '    const x = 1;',
    '    const y = 2;',
    '    return x + y;',
    '}',
    'function g() {',
    '    const x = 1;',
    '    const z = 3;',
    '    return x + y;',
    '}',
    '',
  ].join('\n');

  it('keep their marker even when new_text indents it differently', () => {
    const result = applied(
      run(
        text,
        edit('function f() {\n  // ...\n    return x + y;', 'function f() {\n      // ...\n    return x + y + 1;'),
      ),
    );
    assert.equal(result.newText, text.replace('return x + y;', 'return x + y + 1;'));
  });

  it("match a model that indents in its own unit, re-indented to the file's", () => {
    const result = applied(
      run(
        text,
        edit(
          'function g() {\n  const x = 1;\n  ...\n  return x + y;',
          'function g() {\n  const x = 0;\n  ...\n  return x + y;',
        ),
      ),
    );
    assert.equal(result.newText, text.replace('function g() {\n    const x = 1;', 'function g() {\n    const x = 0;'));
    assert.equal(result.matches[0].strategy, 'elided');
  });

  it('are refused when a part holds no real line, when they fit two places, or none', () => {
    const empty = refused(run(text, edit('function f() {\n...\n}', 'function f() {\n...\n}\n')));
    assert.equal(empty.kind, 'elision_mismatch');
    assert.match(
      empty.message,
      /every part of old_text between `\.\.\.` markers must contain real lines from the file/,
    );
    const twice = refused(
      run(text, edit('    const x = 1;\n    ...\n    return x + y;', '    const x = 2;\n    ...\n    return x + y;')),
    );
    assert.equal(twice.kind, 'ambiguous');
    assert.match(twice.message, /matches 2 places \(line 2, line 7; elided match\)/);
    const none = refused(
      run(text, edit('function h() {\n    ...\n    return x + y;', 'function h() {\n    ...\n    return 0;')),
    );
    assert.equal(none.kind, 'not_found');
  });
});

describe('exact blocks found by a middle line', () => {
  const text = 'let sum = 0;\nfor (const item of items) {\n  sum += item.price * item.quantity;\n}\n';

  it('end on a partial line even when it is the longest', () => {
    const result = applied(
      run(
        text,
        edit(
          '0;\nfor (const item of items) {\n  sum += item.price * item.quant',
          '1;\n  sum += item.price * item.quant',
        ),
      ),
    );
    assert.equal(result.newText, 'let sum = 1;\n  sum += item.price * item.quantity;\n}\n');
    assert.equal(result.matches[0].strategy, 'exact');
  });

  it('with replace_all, replace runs that touch', () => {
    const runs = 'a\nb\nc\na\nb\nc\n';
    assert.equal(applied(run(runs, edit('a\nb\nc\n', 'x\n', true))).newText, 'x\nx\n');
  });
});

describe('fuzzy places', () => {
  it('are listed five at most, with the count of all', () => {
    const block = ['function area(width, height) {', '  const result = width * height;', '  return result;', '}'];
    const text = `${Array.from({ length: 6 }, (_, k) => block.join('\n').replace('area', `area${k}`)).join('\n')}\n`;
    const result = refused(
      run(text, edit('  const resutl = width * height;\n  return result;', '  return width * height;')),
    );
    assert.equal(result.kind, 'ambiguous');
    assert.equal(result.problems?.[0].candidates?.length, 5);
    assert.match(
      result.message,
      /matches 6 places \(lines 2-3, lines 6-7, lines 10-11, lines 14-15, lines 18-19, …; fuzzy match\)/,
    );
  });

  it('refused as a typo too far names its one candidate', () => {
    const text = 'function area(width, height) {\n  const result = width * height;\n  return result;\n}\n';
    const result = refused(run(text, edit('function area(width, height) {\n  const rQQQlt = width * height;', 'x')));
    assert.deepEqual(result.problems?.[0].candidates, [
      {
        line: 1,
        endLine: 2,
        similarity: 0.9,
        worst: { line: 2, expected: 'const rQQQlt = width * height;', found: 'const result = width * height;' },
      },
    ]);
  });
});
