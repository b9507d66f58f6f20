import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { applyHunks, computeProposal, computeWriteProposal, contentHash, isCurrent, parseFileToolCall, rebase, type Hunk, type Proposal, type ProposalResult } from '../../src/core/edits';

function applied(result: ProposalResult): Proposal {
  if (!result.ok) assert.fail(`refused: ${result.message}`);
  return result;
}

const lines = (n: number, eol = '\n'): string => Array.from({ length: n }, (_, i) => `line ${i + 1} of the file`).join(eol) + eol;

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
const random = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);

describe('hunks', () => {
  const original = lines(40);
  const proposal = applied(computeProposal('f.txt', original, 1, [
    { oldText: 'line 3 of the file\n', newText: 'line three\nline 3b\n' },
    { oldText: 'line 10 of the file\nline 11 of the file\nline 12 of the file\n', newText: 'line 10 of the file\nline 12 of the file\n' },
    { oldText: 'line 20 of the file\nline 21 of the file\nline 22 of the file\nline 23 of the file\n', newText: 'line 20 of the file\nnew 21\nline 22 of the file\nnew 23\n' },
    { oldText: 'line 40 of the file\n', newText: 'line 40 of the file\nline 41\n' },
  ]));

  it('are one per change, with exact bytes and line numbers', () => {
    assert.deepEqual(proposal.hunks.map((h) => [h.oldStart, h.oldLineCount, h.newStart, h.newLineCount, h.oldText, h.newText]), [
      [2, 1, 2, 2, 'line 3 of the file\n', 'line three\nline 3b\n'],
      [10, 1, 11, 0, 'line 11 of the file\n', ''],
      [20, 1, 20, 1, 'line 21 of the file\n', 'new 21\n'],
      [22, 1, 22, 1, 'line 23 of the file\n', 'new 23\n'],
      [40, 0, 40, 1, '', 'line 41\n'],
    ]);
    assert.equal(proposal.hunks[0].before, 'line 1 of the file\nline 2 of the file\n');
    assert.equal(proposal.hunks[0].after, 'line 4 of the file\nline 5 of the file\nline 6 of the file\n');
  });

  it('none gives the original, all give the new text, any subset gives the lines it says', () => {
    assert.equal(applyHunks(original, proposal.hunks, () => false), original);
    assert.equal(applyHunks(original, proposal.hunks), proposal.newText);
    for (let mask = 0; mask < 1 << proposal.hunks.length; mask++) {
      const chosen = proposal.hunks.filter((h) => (mask >> h.id) & 1);
      assert.equal(applyHunks(original, proposal.hunks, (h) => chosen.includes(h)), byLines(original, chosen), `subset ${mask}`);
    }
  });

  it('any subset of every corpus proposal is consistent with its line numbers', () => {
    const dir = join(__dirname, '../fixtures/edits/cases');
    let checked = 0;
    for (const name of readdirSync(dir).sort()) {
      const files = readdirSync(join(dir, name));
      const read = (prefix: string): string => readFileSync(join(dir, name, files.find((f) => f.startsWith(`${prefix}.`))!), 'utf8');
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
        assert.equal(applyHunks(original, result.hunks, (h) => chosen.includes(h)), original.slice(0, bom) + byLines(body, shifted), name);
      }
      checked++;
    }
    assert.ok(checked > 150, `${checked} proposals checked`);
  });

  it('refuse to apply to a text they do not belong to', () => {
    assert.throws(() => applyHunks(original.replace('line 3 of', 'LINE 3 of'), proposal.hunks), /hunk 0 does not apply/);
  });
});

describe('staleness and rebase', () => {
  const original = lines(30, '\r\n');
  const proposal = applied(computeProposal('f.txt', original, 4, [
    { oldText: 'line 5 of the file', newText: 'line five' },
    { oldText: 'line 25 of the file', newText: 'line twenty-five' },
  ]));

  it('records the base it was computed on', () => {
    assert.equal(proposal.baseHash, contentHash(original));
    assert.ok(isCurrent(proposal, original));
    assert.ok(isCurrent(proposal, 'anything', 4));
    assert.ok(!isCurrent(proposal, `${original}x`));
  });

  it('moves the hunks when lines were added elsewhere', () => {
    const edited = original.replace('line 15 of the file\r\n', 'line 15 of the file\r\ninserted\r\ninserted too\r\n');
    const moved = applied(rebase(proposal, edited, 5));
    assert.equal(moved.newText, edited.replace('line 5 of the file', 'line five').replace('line 25 of the file', 'line twenty-five'));
    assert.deepEqual(moved.hunks.map((h) => [h.oldStart, h.newStart]), [[4, 4], [26, 26]]);
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
});

describe('computeWriteProposal', () => {
  it('keeps an existing file\'s CRLF, BOM and final newline', () => {
    const current = '\uFEFFa\r\nb\r\n';
    const result = applied(computeWriteProposal('f.txt', current, 'a\nB\nc'));
    assert.equal(result.newText, '\uFEFFa\r\nB\r\nc\r\n');
    assert.equal(result.created, false);
    assert.equal(applyHunks(current, result.hunks), result.newText);
    assert.deepEqual(result.hunks.map((h) => [h.start, h.oldText, h.newText]), [[4, 'b\r\n', 'B\r\nc\r\n']]);
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
