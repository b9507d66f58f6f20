/**
 * Where `locate` puts a block and what it refuses, case by case: each test names a rule of
 * the ladder and checks the text that would be written or the refusal the model would read.
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

describe('locate: arguments', () => {
  it('refuses an old_text of blanks only, pointing to write_file', () => {
    const result = refused(run('a\n', edit('  \n', 'b')));
    assert.equal(result.kind, 'invalid_arguments');
    assert.match(result.message, /old_text is empty; to create a file or replace all of it use write_file/);
  });

  it('quotes the placeholder of a lazy new_text, and accepts one old_text also has', () => {
    const lazy = refused(run('a\nb\nc\n', edit('a\nb\n', 'a\n   // ... existing code ...   \n')));
    assert.equal(lazy.kind, 'elision_mismatch');
    assert.match(lazy.message, /new_text contains `\/\/ \.\.\. existing code \.\.\.`, which would be written/);
    const text = 'function f() {\n  one();\n  two();\n  three();\n}\n';
    const kept = applied(
      run(
        text,
        edit(
          'function f() {\n  // ... existing code ...\n  three();\n}',
          'function f() {\n  // ... existing code ...\n  three();\n  four();\n}',
        ),
      ),
    );
    assert.equal(kept.newText, 'function f() {\n  one();\n  two();\n  three();\n  four();\n}\n');
    assert.equal(kept.matches[0].strategy, 'elided');
  });
});

describe('locate: exact', () => {
  it('deletes whole lines without leaving a blank one, and replaces a part of a line as given', () => {
    assert.equal(applied(run('a\nb\nc\n', edit('b\n', ''))).newText, 'a\nc\n');
    assert.equal(applied(run('a\nbb\nc\n', edit('b\nc', 'X'))).newText, 'a\nbX\n');
  });
});

describe('locate: blank lines the model put around the block', () => {
  const text = 'top\nA\nB\nbottom\n';

  it('are dropped from old_text and as many from new_text', () => {
    const result = applied(run(text, edit('\n\nA\nB\n\n', '\n\nA2\nB\n\n')));
    assert.equal(result.newText, 'top\nA2\nB\nbottom\n');
    assert.equal(result.matches[0].strategy, 'whitespace');
  });

  it('beyond those, a blank line new_text adds is kept', () => {
    assert.equal(applied(run(text, edit('\nA\nB', '\n\nA2\nB'))).newText, 'top\n\nA2\nB\nbottom\n');
    assert.equal(applied(run(text, edit('A\nB\n\n', 'A\nB2\n\n\n'))).newText, 'top\nA\nB2\n\nbottom\n');
  });
});

describe('locate: line stages', () => {
  it('with replace_all, replace every run that does not overlap the one before', () => {
    const result = applied(run('x\nx\nx\nx\nx\n', edit('x \nx ', 'y', true)));
    assert.equal(result.newText, 'y\ny\nx\n');
    assert.equal(result.matches[0].strategy, 'whitespace');
    assert.deepEqual(result.matches[0].ranges, [
      { startLine: 1, endLine: 2 },
      { startLine: 3, endLine: 4 },
    ]);
  });

  it('refuse an ambiguous loose block, naming the places and the stage', () => {
    const result = refused(run('a\n  x\nb\n  x\n', edit('x \n', 'y\n')));
    assert.equal(result.kind, 'ambiguous');
    assert.match(result.message, /matches 2 places \(line 2, line 4; indentation match\)/);
  });

  it('end a file without a final newline as it was', () => {
    assert.equal(applied(run('a\nb', edit('a \nb', 'a\nc'))).newText, 'a\nc');
    assert.equal(applied(run('a\n  b', edit('b ', 'c\nd'))).newText, 'a\n  c\n  d');
  });

  it('fold typographic quotes the file does not use, and keep those it does', () => {
    const curly = 'const a = “x”;\nconst b = 1;\n';
    assert.equal(
      applied(run(curly, edit('const a = “x”; \nconst b = 1;', 'const a = “y”;\nconst b = 1;'))).newText,
      'const a = “y”;\nconst b = 1;\n',
    );
    const ascii = 'const a = "x";\nconst b = 1;\n';
    assert.equal(
      applied(run(ascii, edit('const a = “x”;\nconst b = 1;', 'const a = “y”;\nconst b = 1;'))).newText,
      'const a = "y";\nconst b = 1;\n',
    );
  });
});

describe('locate: fuzzy', () => {
  const text = 'function area(width, height) {\n  const result = width * height;\n  return result;\n}\n';

  it('is not tried for replace_all', () => {
    const block = 'function area(width, height) {\n  const resutl = width * height;';
    assert.equal(
      applied(run(text, edit(block, 'function area(width, height) {\n  const resutl = 0;'))).newText.includes('= 0;'),
      true,
    );
    assert.equal(refused(run(text, edit(block, 'x', true))).kind, 'not_found');
  });
});
