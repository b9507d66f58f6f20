/**
 * The line look-ups behind the tolerant matchers, against the plain definitions they stand in
 * for: the hashed tables, the shortcut for loose keys and the character scan of the indent
 * unit must find exactly what comparing every line would.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FileIndex } from '../../src/core/edits/fileIndex';
import { inferIndentUnit, type IndentUnit } from '../../src/core/edits/indent';
import {
  isBlank,
  leadingWhitespace,
  lineKey,
  looseKey,
  looseKeys,
  type KeyLevel,
} from '../../src/core/edits/normalize';
import { toTextModel } from '../../src/core/edits/text';

const LEVELS: readonly KeyLevel[] = ['exact', 'trailing', 'indentation', 'loose'];

/** Lines made of few characters, blanks of every kind and typography, so that many are equal at some level. */
const pieces = [
  'a',
  'b',
  'x(1);',
  '}',
  ' ',
  '  ',
  '\t',
  '\v',
  '\f',
  '\r',
  '\u00A0',
  '\u2003',
  '\u3000',
  '\u200B',
  '\u2019',
  "'",
  '\u2014',
  '-',
  '\u2026',
  '...',
  '\uFEFF',
];
const line = fc.array(fc.constantFrom(...pieces), { maxLength: 6 }).map((parts) => parts.join(''));
const lines = fc.array(line, { minLength: 1, maxLength: 40 });

const scan = (keys: readonly string[], key: string): number[] =>
  keys.flatMap((candidate, i) => (candidate === key ? [i] : []));

describe('FileIndex', () => {
  it('finds the same lines and blocks with and without its tables, at every level', () => {
    fc.assert(
      fc.property(lines, fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), (rows, picks) => {
        const model = toTextModel(`${rows.join('\n')}\n`);
        const lineCount = model.lineCount;
        const fresh = new FileIndex(model);
        const warmed = new FileIndex(model);
        for (const level of LEVELS) for (let k = 0; k < 3; k++) warmed.positions(level, '');
        for (const level of LEVELS) {
          const keys = model.lines.slice(0, lineCount).map((row) => lineKey(row, level));
          const block = picks.map((pick) => keys[pick % lineCount]);
          for (const key of [...block, lineKey('a', level), 'absent']) {
            assert.deepEqual(warmed.positions(level, key), scan(keys, key), `${level} ${JSON.stringify(key)}`);
            assert.deepEqual(fresh.positions(level, key), scan(keys, key), `${level} ${JSON.stringify(key)}`);
          }
          const starts = keys.flatMap((_, start) =>
            start + block.length <= lineCount && block.every((key, j) => keys[start + j] === key) ? [start] : [],
          );
          if (block.some((key) => key !== ''))
            assert.deepEqual(warmed.findBlock(level, block), starts, `${level} block`);
        }
      }),
      { numRuns: 300, seed: 3 },
    );
  });

  it('tells apart lines that share a hash slot', () => {
    // Long lines equal in length, first, last and sampled characters: only a full comparison separates them.
    const rows = Array.from(
      { length: 300 },
      (_, i) => `${'q'.repeat(40)}${String(i).padStart(3, '0')}${'z'.repeat(40)}`,
    );
    const index = new FileIndex(toTextModel(`${rows.join('\n')}\n`));
    for (let k = 0; k < 3; k++) index.positions('exact', 'none');
    rows.forEach((row, i) => assert.deepEqual(index.positions('exact', row), [i]));
  });
});

describe('looseKeys', () => {
  it('is looseKey of every line', () => {
    fc.assert(
      fc.property(lines, (rows) => {
        assert.deepEqual(
          looseKeys(
            rows,
            rows.map((row) => row.trim()),
          ),
          rows.map(looseKey),
        );
      }),
      { numRuns: 500, seed: 5 },
    );
  });
});

describe('inferIndentUnit', () => {
  /** The definition, one regular expression per line. */
  function reference(rows: readonly string[], fallback?: IndentUnit): IndentUnit {
    let tabLines = 0;
    let spaceLines = 0;
    const steps = new Map<number, number>();
    let previous = -1;
    for (const row of rows) {
      if (isBlank(row)) continue;
      const indent = leadingWhitespace(row);
      if (indent.startsWith('\t')) tabLines++;
      else if (indent.length > 0) spaceLines++;
      if (!indent.includes('\t')) {
        if (previous >= 0 && indent.length !== previous) {
          const step = Math.abs(indent.length - previous);
          if (step <= 8) steps.set(step, (steps.get(step) ?? 0) + 1);
        }
        previous = indent.length;
      } else {
        previous = -1;
      }
    }
    if (tabLines > spaceLines) return { tabs: true, width: 4 };
    let best = 0;
    let bestCount = 0;
    for (const [step, count] of steps) {
      if (count > bestCount || (count === bestCount && step < best)) {
        best = step;
        bestCount = count;
      }
    }
    if (best >= 2) return { tabs: false, width: best };
    if (best === 1 && bestCount > 0) return { tabs: false, width: fallback && !fallback.tabs ? fallback.width : 2 };
    return fallback ?? { tabs: false, width: 4 };
  }

  it('agrees with its definition, blank lines of every kind included', () => {
    const indent = fc.array(fc.constantFrom(' ', '  ', '    ', '\t'), { maxLength: 4 }).map((parts) => parts.join(''));
    const row = fc.tuple(indent, line).map(([head, rest]) => head + rest);
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), (rows) => {
        assert.deepEqual(inferIndentUnit(rows), reference(rows));
        assert.deepEqual(inferIndentUnit(rows, { tabs: false, width: 3 }), reference(rows, { tabs: false, width: 3 }));
      }),
      { numRuns: 500, seed: 9 },
    );
  });
});
