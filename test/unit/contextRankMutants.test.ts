/**
 * Edge cases of the ranker's small rules, each one a case a user can meet: which paths
 * count as documentation, which requests are about the documentation, which words a
 * pasted name gives the search and which pasted noise it loses.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countTokens, identifierParts, withoutNoise } from '../../src/core/context/rank/codeTokens';
import { asksAboutDocs, isProse } from '../../src/core/context/rank/prose';

const tokens = (text: string) => Object.fromEntries(countTokens(text));

describe('prose or code', () => {
  it('judges a file by its last extension: a code file with a prose word inside its name is code', () => {
    assert.equal(isProse('src/render.md.ts'), false);
    assert.equal(isProse('lib/notes.txt.py'), false);
    assert.equal(isProse('docs/intro.MD'), true);
    assert.equal(isProse('paper/main.tex'), true);
  });

  it('takes a bare upper-case name as prose only when it is the whole file name', () => {
    assert.equal(isProse('README'), true);
    assert.equal(isProse('pkg/LICENSE'), true);
    assert.equal(isProse('src/NEWSFeed.ts'), false);
    assert.equal(isProse('tools/README_helpers'), false);
    assert.equal(isProse('src/readme'), false);
  });

  it('hears a request about the documentation in the singular as in the plural', () => {
    assert.equal(asksAboutDocs('the doc of parse_args is out of date'), true);
    assert.equal(asksAboutDocs('update the docs for parse_args'), true);
    assert.equal(asksAboutDocs('the docstring of parse_args is wrong'), true);
    assert.equal(asksAboutDocs('fix the docstrings in the parser'), true);
    assert.equal(asksAboutDocs('add a release note for the fix'), true);
    assert.equal(asksAboutDocs('the release notes miss the fix'), true);
  });

  it('does not take a documentation file named in a reproduction for a request about the documentation', () => {
    assert.equal(asksAboutDocs('add `.. autoclass:: a.A` to index.rst and run make html'), false);
    assert.equal(asksAboutDocs('see intro.rst for the example'), false);
    assert.equal(asksAboutDocs('see the README.md for the example'), true);
  });

  it('does not hear it in code words that merely start the same way', () => {
    assert.equal(asksAboutDocs('the doctor module crashes on import'), false);
    assert.equal(asksAboutDocs('parse_args drops the last flag'), false);
    assert.equal(asksAboutDocs('guidelines say the cache must expire'), false);
  });
});

describe('the words of a name', () => {
  it('keeps a part that starts with digits and goes on in letters', () => {
    assert.deepEqual(identifierParts('sha256sum'), ['sha', '256sum']);
  });

  it('splits a name with a leading underscore or in upper snake case, not only camel case', () => {
    assert.deepEqual(tokens('_private'), { _private: 1, private: 1 });
    assert.deepEqual(tokens('MAX_SIZE MAX_SIZE'), { max_size: 2, max: 2, size: 2 });
    assert.deepEqual(tokens('HTTP Cart'), { http: 1, cart: 1 });
  });
});

describe('pasted noise', () => {
  it('drops a short commit hash whatever its first two characters are', () => {
    assert.equal(withoutNoise('since a1b2c3d4e5 the cart is wrong'), 'since   the cart is wrong');
    assert.equal(withoutNoise('since 1f2e3d4 the cart is wrong'), 'since   the cart is wrong');
    assert.equal(withoutNoise('since deadbeef the cart is wrong'), 'since deadbeef the cart is wrong');
  });

  it('drops a base64 blob with or without its padding, the padding too', () => {
    const blob = 'QUJD'.repeat(16);
    assert.equal(withoutNoise(`data ${blob} end`), 'data   end');
    assert.equal(withoutNoise(`data ${blob}== end`), 'data   end');
  });
});
