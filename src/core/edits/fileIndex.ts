/** Per-call lookup tables over a file's lines, built lazily: most edits never need them. */
import { inferIndentUnit, type IndentUnit } from './indent';
import { lineKey, looseKeys, type KeyLevel } from './normalize';
import type { TextModel } from './text';

const SCANS_BEFORE_INDEX = 2;

/**
 * Lines chained by a cheap hash of a key, in typed arrays: one pass and no per-line
 * allocation to build, and a look-up walks only the lines that share its slot. (A `Map`
 * of 10,000 fresh strings costs several times more to build; buckets by key length cost a
 * walk over hundreds of lines per look-up.)
 */
interface KeyTable {
  readonly hashes: Int32Array;
  /** First line of each slot, or -1; `next` chains the lines of a slot in ascending order. */
  readonly head: Int32Array;
  readonly next: Int32Array;
  readonly mask: number;
}

/**
 * Lines equal at `exact`, `trailing` or `indentation` are equal once trimmed, so one table
 * keyed by the trimmed line serves those three levels; `loose` folds characters and needs
 * its own.
 */
type TableName = 'trimmed' | 'loose';
const tableOf = (level: KeyLevel): TableName => (level === 'loose' ? 'loose' : 'trimmed');

export class FileIndex {
  private trimmedKeys: string[] | undefined;
  private looseKeyList: string[] | undefined;
  private readonly tables = new Map<TableName, KeyTable>();
  private readonly scans = new Map<TableName, number>();
  private unit: IndentUnit | undefined;

  constructor(readonly model: TextModel) {}

  get lineCount(): number {
    return this.model.lineCount;
  }

  line(index: number): string {
    return this.model.lines[index];
  }

  /** Every line's key at `level` (`exact` and `trailing` keys are compared in place, see `keyIs`). */
  keys(level: 'indentation' | 'loose'): readonly string[] {
    this.trimmedKeys ??= this.model.lines.slice(0, this.lineCount).map((line) => line.trim());
    if (level === 'indentation') return this.trimmedKeys;
    this.looseKeyList ??= looseKeys(this.model.lines, this.trimmedKeys);
    return this.looseKeyList;
  }

  /** Whether line `index` has `key` at `level`; compares without building the level's keys where it can. */
  private keyIs(level: KeyLevel, index: number, key: string): boolean {
    const line = this.model.lines[index];
    switch (level) {
      case 'exact':
        return line === key;
      case 'trailing':
        return line.startsWith(key) && lineKey(line, level) === key;
      default:
        return this.keys(level)[index] === key;
    }
  }

  /**
   * Lines whose key at `level` is `key`, ascending. The first look-ups scan the keys; after
   * that the lines are hashed into a table, so a hundred edits do not scan a hundred times.
   */
  positions(level: KeyLevel, key: string): readonly number[] {
    const found: number[] = [];
    const table = this.table(tableOf(level));
    if (!table) {
      for (let i = 0; i < this.lineCount; i++) if (this.keyIs(level, i, key)) found.push(i);
      return found;
    }
    const hash = keyHash(level === 'loose' ? key : key.trim());
    const { hashes, head, next } = table;
    for (let i = head[hash & table.mask]; i >= 0; i = next[i])
      if (hashes[i] === hash && this.keyIs(level, i, key)) found.push(i);
    return found;
  }

  /** The table, once enough look-ups asked for it to pay for building it. */
  private table(name: TableName): KeyTable | undefined {
    let table = this.tables.get(name);
    if (table) return table;
    const scans = (this.scans.get(name) ?? 0) + 1;
    this.scans.set(name, scans);
    if (scans <= SCANS_BEFORE_INDEX) return undefined;
    // Most loose keys are the trimmed lines themselves, whose hashes may be known already.
    const trimmed = name === 'loose' ? this.tables.get('trimmed') : undefined;
    table = buildTable(
      this.keys(name === 'loose' ? 'loose' : 'indentation'),
      trimmed && { keys: this.keys('indentation'), hashes: trimmed.hashes },
    );
    this.tables.set(name, table);
    return table;
  }

  get indentUnit(): IndentUnit {
    this.unit ??= inferIndentUnit(this.model.lines);
    return this.unit;
  }

  /**
   * Starts of every run of lines whose keys equal `keys` at `level`. Looks up the rarest key
   * first, so a block with one unusual line is found without scanning the file.
   */
  findBlock(level: KeyLevel, keys: readonly string[]): number[] {
    let anchor = -1;
    let anchorPositions: readonly number[] = [];
    // Without a table, one scan for the longest line (the likeliest to be rare) is cheapest.
    const candidates = this.tables.has(tableOf(level))
      ? keys.map((_, j) => j)
      : [keys.reduce((best, key, j) => (key.length > keys[best].length ? j : best), 0)];
    for (const j of candidates) {
      if (keys[j] === '') continue;
      const positions = this.positions(level, keys[j]);
      if (positions.length === 0) return [];
      if (anchor < 0 || positions.length < anchorPositions.length) {
        anchor = j;
        anchorPositions = positions;
      }
    }
    if (anchor < 0) return [];
    const starts: number[] = [];
    for (const position of anchorPositions) {
      const start = position - anchor;
      if (start < 0 || start + keys.length > this.lineCount) continue;
      let ok = true;
      for (let j = 0; j < keys.length && ok; j++) ok = this.keyIs(level, start + j, keys[j]);
      if (ok) starts.push(start);
    }
    return starts;
  }
}

function buildTable(
  keys: readonly string[],
  known?: { readonly keys: readonly string[]; readonly hashes: Int32Array },
): KeyTable {
  let size = 1024;
  while (size < keys.length * 2) size *= 2;
  const hashes = new Int32Array(keys.length);
  const head = new Int32Array(size).fill(-1);
  const next = new Int32Array(keys.length);
  const mask = size - 1;
  // Backwards, so that each chain comes out in ascending line order.
  for (let i = keys.length - 1; i >= 0; i--) {
    const hash = known && known.keys[i] === keys[i] ? known.hashes[i] : keyHash(keys[i]);
    const slot = hash & mask;
    hashes[i] = hash;
    next[i] = head[slot];
    head[slot] = i;
  }
  return { hashes, head, next, mask };
}

/**
 * The length and four characters (first, last, and two between): a few operations per line,
 * yet lines that differ mostly differ there too. Lines that share a hash only cost a string
 * comparison each on look-up.
 */
function keyHash(key: string): number {
  const length = key.length;
  let hash = Math.imul(length ^ 0x5bd1e995, 0x9e3779b1);
  if (length === 0) return hash;
  hash = Math.imul(hash ^ key.charCodeAt(0), 0x01000193);
  hash = Math.imul(hash ^ key.charCodeAt((length / 3) | 0), 0x01000193);
  hash = Math.imul(hash ^ key.charCodeAt(((2 * length) / 3) | 0), 0x01000193);
  hash = Math.imul(hash ^ key.charCodeAt(length - 1), 0x01000193);
  return hash ^ (hash >>> 15);
}
