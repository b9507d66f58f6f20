/**
 * Exact token counts for byte-level BPE tokenizers (Qwen2/2.5/3 and friends) from a
 * Hugging Face `tokenizer.json`. It does what `@huggingface/tokenizers` does on the
 * encode path (added-token split, NFC, the Split regex, byte-level mapping, rank-ordered
 * merges), but only counts: no token strings, ids or attention masks are built, and
 * every pre-token's count is cached. The unit tests hold it to the reference
 * tokenizer's ids on real files and on random text.
 */

/** The parts of a `tokenizer.json` this reads. */
export interface TokenizerJson {
  readonly added_tokens?: readonly { readonly content: string }[];
  readonly normalizer?: { readonly type: string } | null;
  readonly pre_tokenizer?: PreTokenizerJson | null;
  readonly model: {
    readonly type: string;
    /** Absent in QCoder's slim build: then it is the byte symbols plus one token per merge. */
    readonly vocab?: Record<string, number>;
    readonly merges: readonly (string | readonly [string, string])[];
    readonly ignore_merges?: boolean;
    readonly byte_fallback?: boolean;
  };
}

interface PreTokenizerJson {
  readonly type: string;
  readonly pretokenizers?: readonly PreTokenizerJson[];
  readonly pattern?: { readonly Regex?: string };
  readonly behavior?: string;
  readonly invert?: boolean;
  readonly use_regex?: boolean;
  readonly add_prefix_space?: boolean;
}

const CACHE_LIMIT = 200_000;

export class ByteLevelBpe {
  private readonly ranks: Map<string, number>;
  /** Undefined when every piece BPE can produce is in the vocabulary by construction. */
  private readonly vocab: ReadonlySet<string> | undefined;
  private readonly split: RegExp;
  private readonly added: RegExp | undefined;
  private readonly ignoreMerges: boolean;
  private readonly normalize: boolean;
  private readonly byteChars = byteToUnicode();
  private readonly encoder = new TextEncoder();
  private cache = new Map<string, number>();

  private constructor(json: TokenizerJson) {
    if (json.model.type !== 'BPE') throw new Error(`unsupported tokenizer model "${json.model.type}"`);
    if (json.model.byte_fallback) throw new Error('byte-fallback BPE is not supported');
    this.ranks = new Map();
    json.model.merges.forEach((merge, rank) => {
      const [left, right] = typeof merge === 'string' ? splitMerge(merge) : merge;
      this.ranks.set(`${left} ${right}`, rank);
    });
    this.ignoreMerges = json.model.ignore_merges ?? false;
    this.vocab = json.model.vocab
      ? new Set(Object.keys(json.model.vocab))
      : this.ignoreMerges
        ? new Set([...this.byteChars, ...[...this.ranks.keys()].map((pair) => pair.replace(' ', ''))])
        : undefined;
    this.normalize = json.normalizer?.type === 'NFC';
    if (json.normalizer && !this.normalize) throw new Error(`unsupported normalizer "${json.normalizer.type}"`);
    this.split = splitRegex(json.pre_tokenizer);
    const added = (json.added_tokens ?? []).map((token) => token.content).sort((a, b) => b.length - a.length);
    this.added = added.length ? new RegExp(added.map(escapeRegex).join('|'), 'g') : undefined;
  }

  static fromJson(json: TokenizerJson): ByteLevelBpe {
    return new ByteLevelBpe(json);
  }

  /** Tokens the model sees for `text`, without any special tokens added around it. */
  count(text: string): number {
    if (!text) return 0;
    if (!this.added || !text.includes('<')) return this.countPlain(text);
    let total = 0;
    let last = 0;
    for (const match of text.matchAll(this.added)) {
      total += this.countPlain(text.slice(last, match.index)) + 1;
      last = match.index + match[0].length;
    }
    return total + this.countPlain(text.slice(last));
  }

  /** The byte-level BPE pieces of `text` (tests compare them with the reference). */
  pieces(text: string): string[] {
    const out: string[] = [];
    for (const word of this.preTokens(text)) out.push(...this.merge(this.toBytes(word)));
    return out;
  }

  private countPlain(text: string): number {
    if (!text) return 0;
    let total = 0;
    for (const word of this.preTokens(text)) {
      let count = this.cache.get(word);
      if (count === undefined) {
        count = this.countWord(word);
        if (this.cache.size >= CACHE_LIMIT) this.cache = new Map();
        this.cache.set(word, count);
      }
      total += count;
    }
    return total;
  }

  private *preTokens(text: string): Generator<string> {
    const normalized = this.normalize ? text.normalize('NFC') : text;
    let last = 0;
    for (const match of normalized.matchAll(this.split)) {
      if (last < match.index) yield normalized.slice(last, match.index);
      if (match[0]) yield match[0];
      last = match.index + match[0].length;
    }
    if (last < normalized.length) yield normalized.slice(last);
  }

  private countWord(word: string): number {
    const bytes = this.toBytes(word);
    if (bytes.length === 1 || (this.ignoreMerges && this.vocab?.has(bytes))) return 1;
    if (bytes.length <= LONG_WORD) return this.merge(bytes).length;
    // Merging costs the square of the word's length: a 5 MB one-line literal would hold the editor for
    // seconds. A word this long (a blob, a minified run) is counted in pieces; no token is this long.
    let count = 0;
    for (let start = 0; start < bytes.length; start += LONG_WORD)
      count += this.merge(bytes.slice(start, start + LONG_WORD)).length;
    return count;
  }

  private toBytes(word: string): string {
    let out = '';
    for (let i = 0; i < word.length; i++) {
      const code = word.charCodeAt(i);
      if (code >= 0x80) return this.toBytesSlow(word);
      out += this.byteChars[code];
    }
    return out;
  }

  private toBytesSlow(word: string): string {
    let out = '';
    for (const byte of this.encoder.encode(word)) out += this.byteChars[byte];
    return out;
  }

  /** Merges adjacent symbols lowest rank first, leftmost first among equals (as the reference does). */
  private merge(bytes: string): string[] {
    const symbols = Array.from(bytes);
    const ranks = new Array<number>(symbols.length);
    for (let i = 0; i < symbols.length - 1; i++) ranks[i] = this.rank(symbols[i], symbols[i + 1]);
    for (;;) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i < symbols.length - 1; i++) {
        if (ranks[i] < bestRank) {
          bestRank = ranks[i];
          best = i;
        }
      }
      if (best < 0) break;
      symbols[best] += symbols[best + 1];
      symbols.splice(best + 1, 1);
      ranks.splice(best + 1, 1);
      if (best > 0) ranks[best - 1] = this.rank(symbols[best - 1], symbols[best]);
      ranks[best] = best < symbols.length - 1 ? this.rank(symbols[best], symbols[best + 1]) : Infinity;
    }
    // The reference drops a piece that is not in the vocabulary (no unk token, no byte fallback).
    const vocab = this.vocab;
    return vocab ? symbols.filter((symbol) => vocab.has(symbol)) : symbols;
  }

  private rank(left: string, right: string): number {
    return this.ranks.get(`${left} ${right}`) ?? Infinity;
  }
}

/**
 * Bytes of a word merged whole; a longer one is merged in pieces of this size (its count may be a token or two high).
 */
const LONG_WORD = 256;

function splitMerge(merge: string): [string, string] {
  const space = merge.indexOf(' ');
  return [merge.slice(0, space), merge.slice(space + 1)];
}

/** GPT-2's byte → printable character table. */
function byteToUnicode(): string[] {
  const table = new Array<string>(256);
  let next = 256;
  for (let byte = 0; byte < 256; byte++) {
    const printable = (byte >= 33 && byte <= 126) || (byte >= 161 && byte <= 172) || (byte >= 174 && byte <= 255);
    table[byte] = String.fromCharCode(printable ? byte : next++);
  }
  return table;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The JS form of the one Split regex; refuses shapes it does not know rather than guess. */
function splitRegex(pre: PreTokenizerJson | null | undefined): RegExp {
  const parts = pre?.type === 'Sequence' ? (pre.pretokenizers ?? []) : pre ? [pre] : [];
  const split = parts.find((part) => part.type === 'Split');
  const byteLevel = parts.find((part) => part.type === 'ByteLevel');
  if (!split?.pattern?.Regex || split.invert || (split.behavior && split.behavior !== 'Isolated')) {
    throw new Error('unsupported pre-tokenizer: expected an isolating Split regex');
  }
  if (!byteLevel || byteLevel.use_regex || byteLevel.add_prefix_space) {
    throw new Error('unsupported pre-tokenizer: expected ByteLevel without its own regex');
  }
  return new RegExp(toJsRegex(split.pattern.Regex), 'gu');
}

/**
 * Oniguruma → JS for the constructs tokenizer regexes use: inline case-insensitive
 * groups of literals, and `\s`/`\S` as Unicode White_Space (JS's `\s` also matches
 * U+FEFF, which Oniguruma's does not).
 */
export function toJsRegex(source: string): string {
  const caseInsensitive = source.replace(
    /\(\?i:([^()\\[]*)\)/g,
    (_all, body: string) => `(?:${body.replace(/[A-Za-z]/g, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`)})`,
  );
  if (caseInsensitive.includes('(?i')) throw new Error('unsupported inline flag in tokenizer regex');
  return caseInsensitive.replace(/\\\\|\\s|\\S/g, (escape) =>
    escape === '\\s' ? '\\p{White_Space}' : escape === '\\S' ? '\\P{White_Space}' : escape,
  );
}
