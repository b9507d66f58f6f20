import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  applyHunks,
  computeProposal,
  computeWriteProposal,
  contentHash,
  diffProposal,
  isCurrent,
  parseFileToolCall,
  rebase,
  type Hunk,
  type Proposal,
  type ProposalResult,
} from '../../src/core/edits';

function applied(result: ProposalResult): Proposal {
  if (!result.ok) assert.fail(`refused: ${result.message}`);
  return result;
}

const lines = (n: number, eol = '\n'): string =>
  Array.from({ length: n }, (_, i) => `line ${i + 1} of the file`).join(eol) + eol;

/** The original with the chosen hunks applied by line numbers, not offsets: an independent oracle. */
function byLines(original: string, hunks: readonly Hunk[]): string {
  const rows = original.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  for (const hunk of [...hunks].sort((a, b) => b.oldStart - a.oldStart)) {
    assert.equal(rows.slice(hunk.oldStart, hunk.oldStart + hunk.oldLineCount).join(''), hunk.oldText);
    rows.splice(hunk.oldStart, hunk.oldLineCount, ...(hunk.newText.match(/[^\n]*\n|[^\n]+$/g) ?? []));
  }
  return rows.join('');
}

let seed = 11;
const random = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;

describe('hunks', () => {
  const original = lines(40);
  const proposal = applied(
    computeProposal('f.txt', original, 1, [
      { oldText: 'line 3 of the file\n', newText: 'line three\nline 3b\n' },
      {
        oldText: 'line 10 of the file\nline 11 of the file\nline 12 of the file\n',
        newText: 'line 10 of the file\nline 12 of the file\n',
      },
      {
        oldText: 'line 20 of the file\nline 21 of the file\nline 22 of the file\nline 23 of the file\n',
        newText: 'line 20 of the file\nnew 21\nline 22 of the file\nnew 23\n',
      },
      { oldText: 'line 40 of the file\n', newText: 'line 40 of the file\nline 41\n' },
    ]),
  );

  it('are one per change, with exact bytes and line numbers', () => {
    assert.deepEqual(
      proposal.hunks.map((h) => [h.oldStart, h.oldLineCount, h.newStart, h.newLineCount, h.oldText, h.newText]),
      [
        [2, 1, 2, 2, 'line 3 of the file\n', 'line three\nline 3b\n'],
        [10, 1, 11, 0, 'line 11 of the file\n', ''],
        [20, 1, 20, 1, 'line 21 of the file\n', 'new 21\n'],
        [22, 1, 22, 1, 'line 23 of the file\n', 'new 23\n'],
        [40, 0, 40, 1, '', 'line 41\n'],
      ],
    );
    assert.equal(proposal.hunks[0].before, 'line 1 of the file\nline 2 of the file\n');
    assert.equal(proposal.hunks[0].after, 'line 4 of the file\nline 5 of the file\nline 6 of the file\n');
  });

  it('none gives the original, all give the new text, any subset gives the lines it says', () => {
    assert.equal(
      applyHunks(original, proposal.hunks, () => false),
      original,
    );
    assert.equal(applyHunks(original, proposal.hunks), proposal.newText);
    for (let mask = 0; mask < 1 << proposal.hunks.length; mask++) {
      const chosen = proposal.hunks.filter((h) => (mask >> h.id) & 1);
      assert.equal(
        applyHunks(original, proposal.hunks, (h) => chosen.includes(h)),
        byLines(original, chosen),
        `subset ${mask}`,
      );
    }
  });

  it('any subset of every corpus proposal is consistent with its line numbers', () => {
    const dir = join(__dirname, '../fixtures/edits/cases');
    let checked = 0;
    for (const name of readdirSync(dir).sort()) {
      const files = readdirSync(join(dir, name));
      const read = (prefix: string): string =>
        readFileSync(
          join(
            dir,
            name,
            files.find((f) => f.startsWith(`${prefix}.`))!,
          ),
          'utf8',
        );
      const call = parseFileToolCall('edit_file', read('edits'));
      if ('ok' in call || call.tool !== 'edit_file') assert.fail(name);
      const original = read('original');
      const result = computeProposal(call.path, original, 1, call.edits);
      if (!result.ok) continue;
      const body = original.replace(/^\uFEFF/, '');
      const bom = original.length - body.length;
      for (let k = 0; k < 4; k++) {
        const chosen: Hunk[] = result.hunks.filter(() => random() < 0.5);
        const shifted: Hunk[] = chosen.map((h) => ({ ...h, start: h.start - bom, end: h.end - bom }));
        assert.equal(
          applyHunks(original, result.hunks, (h) => chosen.includes(h)),
          original.slice(0, bom) + byLines(body, shifted),
          name,
        );
      }
      checked++;
    }
    assert.ok(checked > 150, `${checked} proposals checked`);
  });

  it('refuse to apply to a text they do not belong to', () => {
    assert.throws(
      () => applyHunks(original.replace('line 3 of', 'LINE 3 of'), proposal.hunks),
      /hunk 0 does not apply/,
    );
  });
});

describe('staleness and rebase', () => {
  const original = lines(30, '\r\n');
  const proposal = applied(
    computeProposal('f.txt', original, 4, [
      { oldText: 'line 5 of the file', newText: 'line five' },
      { oldText: 'line 25 of the file', newText: 'line twenty-five' },
    ]),
  );

  it('records the base it was computed on', () => {
    assert.equal(proposal.baseHash, contentHash(original));
    assert.equal(proposal.baseVersion, 4);
  });

  it('is current by content: an equal version proves nothing, a different one is a quick no', () => {
    assert.ok(isCurrent(proposal, original));
    assert.ok(isCurrent(proposal, original, 4));
    assert.ok(!isCurrent(proposal, `${original}x`));
    // Closed and reopened, a document starts counting again: version 4 can be another text.
    assert.ok(!isCurrent(proposal, `${original}x`, 4));
    assert.ok(!isCurrent(proposal, original, 5), 'edited since (even if undone): rebase decides');
    assert.equal(applied(rebase(proposal, original, 5)).hunks, proposal.hunks);
  });

  it('moves the hunks when lines were added elsewhere', () => {
    const edited = original.replace('line 15 of the file\r\n', 'line 15 of the file\r\ninserted\r\ninserted too\r\n');
    const moved = applied(rebase(proposal, edited, 5));
    assert.equal(
      moved.newText,
      edited.replace('line 5 of the file', 'line five').replace('line 25 of the file', 'line twenty-five'),
    );
    assert.deepEqual(
      moved.hunks.map((h) => [h.oldStart, h.newStart]),
      [
        [4, 4],
        [26, 26],
      ],
    );
    assert.equal(moved.baseHash, contentHash(edited));
    assert.equal(moved.baseVersion, 5);
  });

  it('refuses when the lines around a hunk changed', () => {
    const edited = original.replace('line 24 of the file', 'line 24 was rewritten');
    const result = rebase(proposal, edited);
    assert.ok(!result.ok);
    assert.equal(result.kind, 'stale');
    assert.match(result.message, /change 2 \(old line 25\)/);
  });

  it('is the same proposal when nothing changed', () => {
    assert.equal(rebase(proposal, original), proposal);
  });

  it('does not keep the old version for a text it has no version of', () => {
    const edited = original.replace('line 15 of the file', 'line fifteen');
    assert.equal(applied(rebase(proposal, edited)).baseVersion, undefined);
  });
});

describe('computeWriteProposal', () => {
  it("keeps an existing file's CRLF, BOM and final newline", () => {
    const current = '\uFEFFa\r\nb\r\n';
    const result = applied(computeWriteProposal('f.txt', current, 'a\nB\nc'));
    assert.equal(result.newText, '\uFEFFa\r\nB\r\nc\r\n');
    assert.equal(result.created, false);
    assert.equal(applyHunks(current, result.hunks), result.newText);
    assert.deepEqual(
      result.hunks.map((h) => [h.start, h.oldText, h.newText]),
      [[4, 'b\r\n', 'B\r\nc\r\n']],
    );
  });

  it('writes a new file as given', () => {
    const result = applied(computeWriteProposal('new.txt', undefined, 'x\ny'));
    assert.equal(result.newText, 'x\ny');
    assert.equal(result.created, true);
    assert.equal(applyHunks('', result.hunks), 'x\ny');
  });

  it('refuses a write that changes nothing', () => {
    assert.equal((computeWriteProposal('f', 'a\r\n', 'a\n') as { kind: string }).kind, 'no_change');
  });
});

describe('diffProposal', () => {
  /** Every subset of the hunks, applied to the base, against the same subset applied line by line. */
  function checkSubsets(base: string, proposal: Proposal): void {
    assert.equal(applyHunks(base, proposal.hunks), proposal.newText);
    const bom = base.startsWith('\uFEFF') ? 1 : 0;
    for (let mask = 0; mask < 1 << proposal.hunks.length; mask++) {
      const chosen = proposal.hunks.filter((h) => (mask >> h.id) & 1);
      const shifted = chosen.map((h) => ({ ...h, start: h.start - bom, end: h.end - bom }));
      assert.equal(
        applyHunks(base, proposal.hunks, (h) => chosen.includes(h)),
        base.slice(0, bom) + byLines(base.slice(bom), shifted),
        `subset ${mask}`,
      );
    }
  }

  it("splits a mixed-EOL file into hunks and keeps every untouched line's own ending", () => {
    const base = 'one\r\ntwo\nthree\r\nfour\nfive\r\nsix\nseven\r\neight\nnine\r\nten\n';
    const text = base.replace('two\n', 'TWO\n').replace('nine\r\n', 'nine\r\nnine and a half\r\n');
    const proposal = applied(diffProposal('m.txt', base, text, 3));
    assert.equal(proposal.newText, text);
    assert.equal(proposal.kind, 'edit');
    assert.equal(proposal.baseVersion, 3);
    assert.equal(proposal.baseHash, contentHash(base));
    assert.deepEqual(
      proposal.hunks.map((h) => [h.start, h.oldStart, h.oldText, h.newText]),
      [
        [5, 1, 'two\n', 'TWO\n'],
        [50, 9, '', 'nine and a half\r\n'],
      ],
    );
    assert.equal(proposal.hunks[0].before, 'one\r\n');
    assert.equal(proposal.hunks[0].after, 'three\r\nfour\nfive\r\n');
    checkSubsets(base, proposal);
  });

  it('makes a line whose ending alone changed a hunk of its own, exact bytes', () => {
    const base = 'a\r\nb\nc\r\n';
    const proposal = applied(diffProposal('m.txt', base, 'a\r\nb\r\nc\r\n'));
    assert.deepEqual(
      proposal.hunks.map((h) => [h.start, h.oldText, h.newText]),
      [[3, 'b\n', 'b\r\n']],
    );
  });

  it('keeps the BOM and offsets past it', () => {
    const base = `\uFEFF${lines(12, '\r\n')}`;
    const text = base.replace('line 2 of the file', 'line two').replace('line 11 of the file\r\n', '');
    const proposal = applied(diffProposal('b.txt', base, text));
    assert.equal(proposal.newText, text);
    assert.deepEqual(
      proposal.hunks.map((h) => [h.start, h.oldLineCount, h.newLineCount]),
      [
        [21, 1, 1],
        [202, 1, 0],
      ],
    );
    assert.equal(base.slice(proposal.hunks[0].start, proposal.hunks[0].end), 'line 2 of the file\r\n');
    checkSubsets(base, proposal);
    // A document has no BOM: the text without one is the same change, and the BOM stays.
    assert.equal(applied(diffProposal('b.txt', base, text.slice(1))).newText, text);
  });

  it("adds or removes the final newline in the last line's hunk, apart from the others", () => {
    const base = 'a\nb\nc\nd\ne\nf\ng\nh';
    const added = applied(diffProposal('f.txt', base, 'A\nb\nc\nd\ne\nf\ng\nh\n'));
    assert.deepEqual(
      added.hunks.map((h) => [h.oldStart, h.oldText, h.newText]),
      [
        [0, 'a\n', 'A\n'],
        [7, 'h', 'h\n'],
      ],
    );
    checkSubsets(base, added);
    const removed = applied(diffProposal('f.txt', `${base}\r\n`, 'a\nb\nc\nd\ne\nf\ng\nh'));
    assert.deepEqual(
      removed.hunks.map((h) => [h.oldStart, h.oldText, h.newText]),
      [[7, 'h\r\n', 'h']],
    );
    checkSubsets(`${base}\r\n`, removed);
  });

  it('diffs from and to an empty text', () => {
    assert.deepEqual(
      applied(diffProposal('e.txt', '', 'x\ny\n')).hunks.map((h) => [h.start, h.oldText, h.newText]),
      [[0, '', 'x\ny\n']],
    );
    assert.deepEqual(
      applied(diffProposal('e.txt', '\uFEFFx\r\n', '')).hunks.map((h) => [h.start, h.oldText, h.newText]),
      [[1, 'x\r\n', '']],
    );
  });

  it(
    'for any two texts of lines with mixed endings: all hunks give the new text, any ' +
      'subset what its line numbers say',
    () => {
      const line = fc.tuple(fc.constantFrom('a', 'b', 'c', 'd', ''), fc.constantFrom('\n', '\r\n'));
      const text = fc.tuple(fc.array(line, { maxLength: 14 }), fc.boolean()).map(([rows, last]) => {
        const joined = rows.map(([content, eol]) => content + eol).join('');
        return last || joined === '' ? joined : joined.replace(/\r?\n$/, '');
      });
      fc.assert(
        fc.property(text, text, fc.boolean(), (base, next, bom) => {
          const original = (bom ? '\uFEFF' : '') + base;
          const result = diffProposal('p.txt', original, next);
          if (!result.ok) return assert.equal(base, next);
          assert.equal(result.newText, (bom ? '\uFEFF' : '') + next);
          for (const hunk of result.hunks) assert.equal(original.slice(hunk.start, hunk.end), hunk.oldText);
          const chosen = result.hunks.filter((h) => h.id % 2 === 0);
          const shifted = chosen.map((h) => ({ ...h, start: h.start - (bom ? 1 : 0), end: h.end - (bom ? 1 : 0) }));
          assert.equal(
            applyHunks(original, result.hunks, (h) => chosen.includes(h)),
            (bom ? '\uFEFF' : '') + byLines(base, shifted),
          );
          assert.equal(applyHunks(original, result.hunks), result.newText);
        }),
        { numRuns: 500, seed: 7 },
      );
    },
  );

  it('says no_change for the same text, or one that differs only by a BOM', () => {
    assert.equal((diffProposal('f', 'a\r\nb\n', 'a\r\nb\n') as { kind: string }).kind, 'no_change');
    assert.equal((diffProposal('f', '\uFEFFa\n', 'a\n') as { kind: string }).kind, 'no_change');
  });

  it("gives back every corpus proposal's new text, hunk by hunk, from the two texts alone", () => {
    const dir = join(__dirname, '../fixtures/edits/cases');
    let checked = 0;
    for (const name of readdirSync(dir).sort()) {
      const files = readdirSync(join(dir, name));
      const read = (prefix: string): string =>
        readFileSync(
          join(
            dir,
            name,
            files.find((f) => f.startsWith(`${prefix}.`))!,
          ),
          'utf8',
        );
      const call = parseFileToolCall('edit_file', read('edits'));
      if ('ok' in call || call.tool !== 'edit_file') assert.fail(name);
      const original = read('original');
      const result = computeProposal(call.path, original, 1, call.edits);
      if (!result.ok) continue;
      const diffed = applied(diffProposal(call.path, original, result.newText));
      assert.equal(diffed.newText, result.newText, name);
      assert.equal(applyHunks(original, diffed.hunks), result.newText, name);
      for (const hunk of diffed.hunks) assert.equal(original.slice(hunk.start, hunk.end), hunk.oldText, name);
      checked++;
    }
    assert.ok(checked > 150, `${checked} proposals checked`);
  });
});
