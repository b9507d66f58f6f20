/** Per-call lookup tables over a file's lines, built lazily: most edits never need them. */
import { inferIndentUnit, type IndentUnit } from './indent';
import { hasFoldable, lineKey, looseKey, type KeyLevel } from './normalize';
import type { TextModel } from './text';

const SCANS_BEFORE_INDEX = 2;

export class FileIndex {
  private readonly keysByLevel = new Map<KeyLevel, string[]>();
  private readonly positionsByLevel = new Map<KeyLevel, Map<number, number[]>>();
  private readonly scans = new Map<KeyLevel, number>();
  private unit: IndentUnit | undefined;

  constructor(readonly model: TextModel) {}

  get lineCount(): number {
    return this.model.lineCount;
  }

  line(index: number): string {
    return this.model.lines[index];
  }

  keys(level: KeyLevel): readonly string[] {
    let keys = this.keysByLevel.get(level);
    if (!keys) {
      keys = new Array<string>(this.lineCount);
      const lines = this.model.lines;
      if (level === 'exact') {
        keys = lines.slice(0, this.lineCount);
      } else if (level === 'loose') {
        const mayFold = hasFoldable(this.model.normalized);
        for (let i = 0; i < this.lineCount; i++) keys[i] = looseKey(lines[i], mayFold);
      } else {
        for (let i = 0; i < this.lineCount; i++) keys[i] = lineKey(lines[i], level);
      }
      this.keysByLevel.set(level, keys);
    }
    return keys;
  }

  /**
   * Lines whose key at `level` is `key`, ascending. The first look-ups scan the keys; after
   * that the lines are bucketed by key length (integer keys: far cheaper to build than a map
   * of 10,000 strings), so a hundred edits do not scan a hundred times.
   */
  positions(level: KeyLevel, key: string): readonly number[] {
    const keys = this.keys(level);
    let buckets = this.positionsByLevel.get(level);
    if (!buckets) {
      const scans = (this.scans.get(level) ?? 0) + 1;
      this.scans.set(level, scans);
      if (scans <= SCANS_BEFORE_INDEX) {
        const found: number[] = [];
        for (let i = 0; i < keys.length; i++) if (keys[i] === key) found.push(i);
        return found;
      }
      buckets = new Map();
      for (let i = 0; i < keys.length; i++) {
        const list = buckets.get(keys[i].length);
        if (list) list.push(i);
        else buckets.set(keys[i].length, [i]);
      }
      this.positionsByLevel.set(level, buckets);
    }
    return (buckets.get(key.length) ?? []).filter((i) => keys[i] === key);
  }

  private hasMap(level: KeyLevel): boolean {
    return this.positionsByLevel.has(level);
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
    // Without a map, one scan for the longest line (the likeliest to be rare) is cheapest.
    const candidates = this.hasMap(level) ? keys.map((_, j) => j) : [keys.reduce((best, key, j) => (key.length > keys[best].length ? j : best), 0)];
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
    const fileKeys = this.keys(level);
    const starts: number[] = [];
    for (const position of anchorPositions) {
      const start = position - anchor;
      if (start < 0 || start + keys.length > this.lineCount) continue;
      let ok = true;
      for (let j = 0; j < keys.length && ok; j++) ok = fileKeys[start + j] === keys[j];
      if (ok) starts.push(start);
    }
    return starts;
  }
}
