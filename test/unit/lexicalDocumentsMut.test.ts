/**
 * The lexical index's data (rank/lexicalDocuments.ts): which names a file defines and on which lines,
 * which files count as defining anything, and what a search and a definition lookup return after files
 * are replaced and removed. Expected names and lines are read off the texts by hand.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LexicalDocuments, analyseFile, definitions } from '../../src/core/context/rank/lexicalDocuments';

const names = (text: string) => Object.fromEntries(definitions(text));

describe('definitions a file makes', () => {
  it('declarations with extra spaces, assignments without spaces, a name defined twice', () => {
    assert.deepEqual(names('export  function spaced() {}\ndef  wide():\n    pass\nlet  gap = 1\n'), {
      spaced: [1],
      wide: [2],
      gap: [4],
    });
    assert.deepEqual(names('export  const far = 1\nconst tight=2\nconst plain = 3\nTOP=4\nTOP = 5\n'), {
      far: [1],
      tight: [2],
      plain: [3],
      TOP: [4, 5],
    });
    assert.deepEqual(names('def twice():\n    pass\n\ndef twice():\n    pass\n'), { twice: [1, 4] });
  });

  it('not a keyword in the middle of a line, a loop variable, or a comparison', () => {
    assert.deepEqual(names('print("a class Bar here")\nfor (let i = 0; i < 3; i++) {}\nif x == 1: pass\nx == 2\n'), {});
  });

  it('only in code: not in Markdown, not in files of no known language', () => {
    assert.deepEqual(Object.fromEntries(analyseFile('pkg/a.py', 'LIMIT = 3\n').defined), { LIMIT: [1] });
    assert.deepEqual(Object.fromEntries(analyseFile('README.md', 'LIMIT = 3\nclass Foo\n').defined), {});
    assert.deepEqual(Object.fromEntries(analyseFile('notes.txt', 'LIMIT = 3\n').defined), {});
    assert.deepEqual(Object.fromEntries(analyseFile('notes.txt', 'limit limit\n').content), { limit: 2 });
  });
});

describe('the lexical documents', () => {
  it('definition sites follow files replaced and removed; a name in two cases keeps both lines', () => {
    const documents = new LexicalDocuments();
    documents.set('a.py', analyseFile('a.py', 'class Foo:\n    pass\ndef foo():\n    pass\n'));
    documents.set('b.py', analyseFile('b.py', 'def foo():\n    pass\n'));
    assert.equal(documents.size, 2);
    assert.deepEqual(documents.definitionsOf('FOO'), [
      { path: 'a.py', lines: [1, 3] },
      { path: 'b.py', lines: [1] },
    ]);

    documents.set('c.py', analyseFile('c.py', 'class Foo:\n    pass\ndef foo():\n    pass\nFoo = 1\n'));
    assert.deepEqual(documents.definitionsOf('foo')[2], { path: 'c.py', lines: [1, 3, 5] });
    documents.delete('c.py');

    documents.set('a.py', analyseFile('a.py', 'def other():\n    pass\n'));
    assert.deepEqual(documents.definitionsOf('foo'), [{ path: 'b.py', lines: [1] }]);
    assert.deepEqual(documents.definitionsOf('other'), [{ path: 'a.py', lines: [1] }]);

    documents.set('a.py', analyseFile('a.py', 'class Foo:\n    pass\ndef foo():\n    pass\n'));
    documents.delete('b.py');
    documents.delete('a.py');
    documents.delete('never.py');
    assert.deepEqual(documents.definitionsOf('foo'), []);
    assert.equal(documents.size, 0);
    assert.deepEqual(documents.search(new Map([['foo', 1]])), []);
  });
});
