/**
 * Exact values for the lexical ranker, against formulas written out here (not taken
 * from the code under test): BM25F scores, IDF, tie order, and each rule of the
 * code-aware tokenizer and the noise filter.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Bm25fIndex } from '../../src/core/context/rank/bm25f';
import {
  STOP_WORDS,
  countTokens,
  identifierParts,
  isCodeShaped,
  pathTokens,
  withoutNoise,
} from '../../src/core/context/rank/codeTokens';

const map = (entries: Record<string, number>) => new Map(Object.entries(entries));

describe('BM25F scores', () => {
  // Two documents; field weights and b chosen so every factor shows in the result.
  const weights = { weight: [3, 2, 1] as const, b: [0.5, 0.25, 0.75] as const, k1: 1.5 };
  const build = () => {
    const index = new Bm25fIndex(weights);
    index.set('x', { path: map({ cart: 1 }), symbols: map({ total: 2 }), content: map({ total: 3, cart: 1, tax: 4 }) });
    index.set('y', { path: map({ util: 1 }), symbols: map({}), content: map({ total: 1, misc: 7 }) });
    return index;
  };

  /** BM25F by the book: per-field normalised tf, weighted and summed, then saturated once. */
  function reference(query: Record<string, number>): Map<string, number> {
    const docs = {
      x: [{ cart: 1 }, { total: 2 }, { total: 3, cart: 1, tax: 4 }] as Record<string, number>[],
      y: [{ util: 1 }, {}, { total: 1, misc: 7 }] as Record<string, number>[],
    };
    const length = (fields: Record<string, number>) => Object.values(fields).reduce((a, b) => a + b, 0);
    const average = [0, 1, 2].map((f) => (length(docs.x[f]) + length(docs.y[f])) / 2);
    const scores = new Map<string, number>();
    for (const [id, fields] of Object.entries(docs)) {
      let score = 0;
      for (const [term, queryWeight] of Object.entries(query)) {
        const df = Object.values(docs).filter((d) => d.some((f) => f[term])).length;
        if (!df) continue;
        const idf = Math.log(1 + (2 - df + 0.5) / (df + 0.5));
        let tf = 0;
        for (let f = 0; f < 3; f++) {
          const count = fields[f][term] ?? 0;
          if (!count) continue;
          const norm = 1 - weights.b[f] + (weights.b[f] * length(fields[f])) / Math.max(1, average[f]);
          tf += (weights.weight[f] * count) / norm;
        }
        if (tf) score += queryWeight * idf * (tf / (weights.k1 + tf));
      }
      if (score) scores.set(id, score);
    }
    return scores;
  }

  it('match the textbook formula, term weights included', () => {
    const query = { total: 2, cart: 1, tax: 0.5, absent: 3 };
    const expected = reference(query);
    const hits = build().search(map(query));
    assert.deepEqual(
      hits.map((hit) => hit.id),
      ['x', 'y'],
    );
    for (const hit of hits)
      assert.ok(Math.abs(hit.score - (expected.get(hit.id) ?? 0)) < 1e-9, `${hit.id}: ${hit.score}`);
  });

  it('give IDF from the workspace: ln(1 + (N − df + 0.5) / (df + 0.5))', () => {
    const index = build();
    assert.ok(Math.abs(index.idf('tax') - Math.log(1 + 1.5 / 1.5)) < 1e-12);
    assert.ok(Math.abs(index.idf('total') - Math.log(1 + 0.5 / 2.5)) < 1e-12);
    assert.ok(Math.abs(index.idf('nowhere') - Math.log(1 + 2.5 / 0.5)) < 1e-12);
    assert.equal(index.documentFrequency('total'), 2);
    assert.equal(index.documentFrequency('cart'), 1);
  });

  it('keep the scores exact after documents are replaced and deleted', () => {
    const index = build();
    index.set('z', { path: map({ big: 1 }), symbols: map({ total: 5 }), content: map({ total: 40, filler: 500 }) });
    index.set('y', { path: map({ util: 1 }), symbols: map({}), content: map({ other: 3 }) });
    index.set('y', { path: map({ util: 1 }), symbols: map({}), content: map({ total: 1, misc: 7 }) });
    assert.ok(index.delete('z'));
    const expected = reference({ total: 1 });
    for (const hit of index.search(map({ total: 1 })))
      assert.ok(Math.abs(hit.score - (expected.get(hit.id) ?? 0)) < 1e-9, `${hit.id}`);
    assert.equal(index.size, 2);
    assert.ok(index.has('x'));
    assert.ok(!index.has('z'));
    assert.deepEqual([...index.ids()].sort(), ['x', 'y']);
    assert.equal(index.documentFrequency('filler'), 0);
  });

  it('order equal scores by id, and list a document’s terms by what they gained it', () => {
    const index = new Bm25fIndex();
    for (const id of ['c', 'a', 'b'])
      index.set(id, {
        path: map({}),
        symbols: map({}),
        content: map(id === 'b' ? { same: 1, rare: 1 } : { same: 1, pad: 1 }),
      });
    index.set('d', { path: map({}), symbols: map({}), content: map({ other: 1 }) });
    assert.deepEqual(
      index.search(map({ same: 1 })).map((hit) => hit.id),
      ['a', 'b', 'c'],
    );
    const b = index.search(map({ same: 1, rare: 1 }))[0];
    assert.equal(b.id, 'b');
    assert.deepEqual(b.terms, ['rare', 'same']);
    assert.equal(index.search(map({ same: 1 }), 3).length, 3);
    assert.equal(index.search(map({ same: 1 }), 2).length, 2);
    assert.deepEqual(
      index.search(map({ same: 1 }), 1).map((hit) => hit.id),
      ['a'],
    );
  });

  it('take no posting for a term counted zero times', () => {
    const index = new Bm25fIndex();
    index.set('a', { path: map({}), symbols: map({}), content: map({ ghost: 0, real: 1 }) });
    assert.equal(index.documentFrequency('ghost'), 0);
    assert.deepEqual(index.search(map({ ghost: 1 })), []);
  });

  it('score nothing for an empty index', () => {
    assert.deepEqual(new Bm25fIndex().search(map({ a: 1 })), []);
  });
});

describe('the tokenizer, rule by rule', () => {
  it('splits acronyms from words, letters from digits, and drops parts of one letter or digits only', () => {
    assert.deepEqual(identifierParts('HTTPServerError'), ['http', 'server', 'error']);
    assert.deepEqual(identifierParts('XMLHttpRequest'), ['xml', 'http', 'request']);
    assert.deepEqual(identifierParts('get__item'), ['get', 'item']);
    assert.deepEqual(identifierParts('base64_encode'), ['base', 'encode']);
    assert.deepEqual(identifierParts('aB'), []);
    assert.deepEqual(identifierParts('ab12'), ['ab']);
  });

  it('counts words of two to sixty-four characters, and the parts of compound ones only', () => {
    const long = 'a'.repeat(64);
    const tooLong = 'b'.repeat(65);
    assert.deepEqual(Object.fromEntries(countTokens(`x ab ${long} ${tooLong}`)), { ab: 1, [long]: 1 });
    assert.deepEqual(Object.fromEntries(countTokens('Cart cart CART')), { cart: 3 });
    assert.deepEqual(Object.fromEntries(countTokens('getItem getItem')), { getitem: 2, get: 2, item: 2 });
    assert.deepEqual(Object.fromEntries(countTokens('max_x')), { max_x: 1, max: 1 });
  });

  it('reads a path without its extension only at the end', () => {
    assert.deepEqual(Object.fromEntries(pathTokens('lib.v2/x_io.py')), { lib: 1, v2: 1, x_io: 1, io: 1 });
  });

  it('takes out each kind of noise and leaves the words around it', () => {
    const cases: [string, RegExp][] = [
      ['a ![shot](x/y.png) b', /shot|png/],
      ['a <img src="x.png" width=3> b', /img|png/],
      ['a https://example.com/path/file_name b', /example|file_name/],
      ['a ftp://host/x_y b', /host|x_y/],
      ['a http://plain.org/old_page b', /plain|old_page/],
      ['a www.example.org/some_page b', /example|some_page/],
      ['a 3f2c9e1a7b b', /3f2c9e1a7b/],
      [`a ${'QUJD'.repeat(20)}== b`, /QUJD/],
    ];
    for (const [text, gone] of cases) {
      const clean = withoutNoise(text);
      assert.doesNotMatch(clean, gone, text);
      assert.match(clean, /^a .* b$/, text);
      assert.doesNotMatch(clean, /a {2}b|ab/, `${text}: replaced by a space`);
    }
    // Not hashes: words of hex letters only, numbers, runs under seven.
    assert.equal(withoutNoise('deadbeefcafe 12345678 abc123'), 'deadbeefcafe 12345678 abc123');
    assert.equal(withoutNoise('see (www) or https:'), 'see (www) or https:');
  });

  it('knows English filler from every part of its list, and no code words', () => {
    for (const word of ['the', 'does', 'there', 'about', 'is', 'please', 'don', 're'])
      assert.ok(STOP_WORDS.has(word), word);
    for (const word of ['self', 'request', 'session', 'error']) assert.ok(!STOP_WORDS.has(word), word);
  });

  it('tells code-shaped words from prose', () => {
    for (const word of ['computeTotal', 'HTTPServer', 'read_file', '$el', 'utf8']) assert.ok(isCodeShaped(word), word);
    for (const word of ['Cart', 'total', 'HTTP', 'Request']) assert.ok(!isCodeShaped(word), word);
  });
});
