import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyHunks, computeProposal } from '../../src/core/edits';
import { FileChange, type FileLocation, stackedProposal } from '../../src/core/review/fileChange';
import { landedHunks } from '../../src/core/review/landed';
import { describeOutcome, failedOutcome } from '../../src/core/review/outcome';
import { comparable, decodeUtf8, equivalent, lineCount } from '../../src/core/review/texts';

const at = (display: string): FileLocation => ({ display, relative: display, absolute: `/ws/${display}` });
const lines = (n: number, prefix = 'line') => Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}\n`).join('');

/** A 60-line file with three separate changes (lines 5, 30-31, 50). */
function threeHunks(eol = '\n', bom = '') {
  const base = bom + lines(60).replace(/\n/g, eol);
  const text = base
    .replace(`line 5${eol}`, `LINE FIVE${eol}`)
    .replace(`line 30${eol}line 31${eol}`, `thirty${eol}`)
    .replace(`line 50${eol}`, `line 50${eol}inserted${eol}`);
  const file = new FileChange(
    'f1',
    { location: at('src/a.ts'), base: { text: base, fromDocument: false } },
    at('src/a.ts'),
    text,
  );
  return { base, text, file };
}

describe('review: which hunks landed', () => {
  it('finds every subset of three hunks from the text alone', () => {
    const { base, file } = threeHunks();
    const hunks = file.proposal!.hunks;
    assert.equal(hunks.length, 3);
    for (let mask = 0; mask < 8; mask++) {
      const chosen = new Set(hunks.filter((_, i) => mask & (1 << i)).map((h) => h.id));
      const after = applyHunks(base, hunks, (h) => chosen.has(h.id));
      assert.deepEqual(landedHunks(base, after, hunks), chosen, `mask ${mask}`);
    }
  });

  it('ignores the BOM and CRLF a document does not show', () => {
    const { base, file } = threeHunks('\r\n', '\uFEFF');
    const hunks = file.proposal!.hunks;
    const after = comparable(applyHunks(base, hunks, (h) => h.id !== hunks[1].id));
    assert.deepEqual(landedHunks(base, after, hunks), new Set([hunks[0].id, hunks[2].id]));
  });

  it('says undefined when the text changed in another way', () => {
    const { base, file } = threeHunks();
    const after = applyHunks(base, file.proposal!.hunks).replace('line 20', 'line twenty');
    assert.equal(landedHunks(base, after, file.proposal!.hunks), undefined);
  });
});

describe('review: stacked proposals per file', () => {
  it('stacks a second edit on the first and reviews one change from the original', () => {
    const base = lines(20);
    const first = computeProposal('a.ts', base, undefined, [{ oldText: 'line 3\n', newText: 'three\n' }]);
    assert.ok(first.ok);
    const file = new FileChange(
      'f',
      { location: at('a.ts'), base: { text: base, fromDocument: false } },
      at('a.ts'),
      first.newText,
    );
    const second = computeProposal('a.ts', file.text!, undefined, [{ oldText: 'line 15\n', newText: 'fifteen\n' }]);
    assert.ok(second.ok);
    file.setText(second.newText);
    assert.equal(file.proposal!.hunks.length, 2);
    assert.equal(applyHunks(base, file.proposal!.hunks), second.newText);
    assert.deepEqual(file.counts(), { added: 2, removed: 2 });
    assert.deepEqual(
      file.units().map((u) => u.key),
      ['h0', 'h1'],
    );
  });

  it('stacks edits to a mixed-EOL file hunk by hunk, every untouched line keeping its own ending', () => {
    // Odd lines end in CRLF, even ones in LF: a tie, so new lines take LF.
    const base = lines(30).replace(/(\d)\n/g, (_, digit: string) =>
      Number(digit) % 2 ? `${digit}\r\n` : `${digit}\n`,
    );
    const file = new FileChange(
      'm',
      { location: at('m.txt'), base: { text: base, fromDocument: false } },
      at('m.txt'),
      base,
    );
    for (const edit of [
      { oldText: 'line 3\r\n', newText: 'three\n' },
      { oldText: 'line 20\n', newText: 'twenty\nand more\n' },
      { oldText: 'line 27\r\n', newText: '' },
    ]) {
      const step = computeProposal('m.txt', file.text!, undefined, [edit]);
      assert.ok(step.ok, step.ok ? '' : step.message);
      file.setText(step.newText);
    }
    const hunks = file.proposal!.hunks;
    assert.deepEqual(
      hunks.map((h) => [h.oldStart, h.oldText, h.newText]),
      [
        [2, 'line 3\r\n', 'three\n'],
        [19, 'line 20\n', 'twenty\nand more\n'],
        [26, 'line 27\r\n', ''],
      ],
    );
    assert.equal(applyHunks(base, hunks), file.text);
    const firstAndLast = applyHunks(base, hunks, (h) => h.id !== 1);
    assert.equal(firstAndLast, base.replace('line 3\r\n', 'three\n').replace('line 27\r\n', ''));
    assert.deepEqual(file.counts(), { added: 3, removed: 3 });
  });

  it('stacks a change of the final newline as a hunk of its own', () => {
    const base = lines(20).slice(0, -1);
    const file = new FileChange(
      'n',
      { location: at('n.txt'), base: { text: base, fromDocument: false } },
      at('n.txt'),
      base.replace('line 2\n', 'two\n'),
    );
    file.setText(`${file.text!}\n`);
    assert.deepEqual(
      file.proposal!.hunks.map((h) => [h.oldStart, h.oldText, h.newText]),
      [
        [1, 'line 2\n', 'two\n'],
        [19, 'line 20', 'line 20\n'],
      ],
    );
    assert.equal(
      applyHunks(base, file.proposal!.hunks, (h) => h.id === 1),
      `${base}\n`,
    );
  });

  it('has no proposal while the stacked text is the base again', () => {
    const base = 'a\r\nb\n';
    assert.equal(stackedProposal('m.txt', { text: base, fromDocument: false }, base), undefined);
  });

  it('a rename adds its own unit, a delete and a create are one unit', () => {
    const base = { text: 'x\n', fromDocument: false };
    const renamed = new FileChange('r', { location: at('a.ts'), base }, at('b.ts'), 'x\n');
    assert.equal(renamed.kind, 'rename');
    assert.deepEqual(
      renamed.units().map((u) => u.kind),
      ['rename'],
    );
    assert.deepEqual(
      new FileChange('d', { location: at('a.ts'), base }, undefined, undefined).units().map((u) => u.kind),
      ['delete'],
    );
    assert.deepEqual(
      new FileChange('c', undefined, at('n.ts'), 'y\n').units().map((u) => u.kind),
      ['create'],
    );
  });
});

describe('review: what the model is told', () => {
  it('names the rejected hunk by its lines in the file as it now is', () => {
    const { file } = threeHunks();
    const [h0, , h2] = file.units();
    const outcome = describeOutcome(file, new Set([h0.key, h2.key]));
    assert.equal(outcome.status, 'partial');
    // Hunk 2 replaced old lines 30-31; hunk 1 (line 5) changed no line count, so they are still 30-31.
    assert.match(outcome.message, /^Applied 2 of 3 hunks to src\/a\.ts; rejected hunk 2 \(lines 30-31\)\./);
    assert.equal(outcome.summary, '2 of 3 hunks');
  });

  it('accepted, rejected, created, renamed', () => {
    const { file } = threeHunks();
    assert.deepEqual(describeOutcome(file, new Set(file.units().map((u) => u.key))), {
      status: 'accepted',
      message: 'Applied all 3 hunks to src/a.ts.',
      summary: 'accepted',
    });
    assert.equal(describeOutcome(file, new Set()).status, 'rejected');
    assert.equal(
      describeOutcome(new FileChange('c', undefined, at('n.ts'), 'y\n'), new Set(['create'])).message,
      'Created n.ts.',
    );
    const renamed = new FileChange(
      'r',
      { location: at('a.ts'), base: { text: 'x\n', fromDocument: false } },
      at('b.ts'),
      'x\n',
    );
    assert.equal(
      describeOutcome(renamed, new Set()).message,
      'The user rejected renaming a.ts to b.ts; it keeps its name.',
    );
  });
});

describe('review: what the model is told, file by file', () => {
  const base = { text: 'a\nb\nc\n', fromDocument: false };
  const oneHunk = (target = 'a.ts') => new FileChange('e', { location: at('a.ts'), base }, at(target), 'a\nB\nc\n');

  it('rejected lines are numbered in the file as it is after the accepted hunks', () => {
    const { file } = threeHunks();
    // Hunk 2 (lines 30-31 become one line) landed: the insertion after old line 50 now goes at line 50.
    assert.deepEqual(describeOutcome(file, new Set(['h1'])), {
      status: 'partial',
      message:
        'Applied 1 of 3 hunks to src/a.ts; rejected hunk 1 (line 5), hunk 3 (an insertion at line 50). ' +
        'Rejected lines are as they were; read them again before changing them.',
      summary: '1 of 3 hunks',
    });
    // Hunk 3 landed after them: it shifts nothing before it.
    assert.match(
      describeOutcome(file, new Set(['h2'])).message,
      /rejected hunk 1 \(line 5\), hunk 2 \(lines 30-31\)\./,
    );
  });

  it('one hunk, all hunks, none', () => {
    assert.deepEqual(describeOutcome(oneHunk(), new Set(['h0'])), {
      status: 'accepted',
      message: 'Applied the change to a.ts.',
      summary: 'accepted',
    });
    assert.deepEqual(describeOutcome(oneHunk(), new Set()), {
      status: 'rejected',
      message: 'The user rejected the change to a.ts; its content is unchanged.',
      summary: 'rejected',
    });
    const { file } = threeHunks();
    assert.equal(
      describeOutcome(file, new Set()).message,
      'The user rejected the 3 hunks to src/a.ts; its content is unchanged.',
    );
  });

  it('creating and deleting, accepted and rejected', () => {
    const created = new FileChange('c', undefined, at('n.ts'), 'y\n');
    assert.deepEqual(describeOutcome(created, new Set(['create'])), {
      status: 'accepted',
      message: 'Created n.ts.',
      summary: 'created',
    });
    assert.deepEqual(describeOutcome(created, new Set()), {
      status: 'rejected',
      message: 'The user rejected creating n.ts; it was not created.',
      summary: 'rejected',
    });
    const deleted = new FileChange('d', { location: at('a.ts'), base }, undefined, undefined);
    assert.deepEqual(describeOutcome(deleted, new Set(['delete'])), {
      status: 'accepted',
      message: 'Deleted a.ts.',
      summary: 'deleted',
    });
    assert.deepEqual(describeOutcome(deleted, new Set()), {
      status: 'rejected',
      message: 'The user rejected deleting a.ts; it is still there.',
      summary: 'rejected',
    });
  });

  it('a rename with an edit: the rename and the hunk are decided apart', () => {
    assert.deepEqual(describeOutcome(oneHunk('b.ts'), new Set(['rename', 'h0'])), {
      status: 'accepted',
      message: 'Renamed a.ts to b.ts. Applied the change to b.ts.',
      summary: 'accepted',
    });
    assert.deepEqual(describeOutcome(oneHunk('b.ts'), new Set(['rename'])), {
      status: 'partial',
      message: 'Renamed a.ts to b.ts. The user rejected the change to b.ts; its content is unchanged.',
      summary: '0 of 1 hunks, renamed',
    });
    assert.deepEqual(describeOutcome(oneHunk('b.ts'), new Set(['h0'])), {
      status: 'partial',
      message: 'The user rejected renaming a.ts to b.ts; it keeps its name. Applied the change to a.ts.',
      summary: '1 of 1 hunks, not renamed',
    });
  });

  it('a file that could not be applied', () => {
    assert.deepEqual(failedOutcome('a.ts vanished.'), {
      status: 'failed',
      message: 'a.ts vanished.',
      summary: 'not applied',
    });
  });
});

describe('review: texts', () => {
  it('compares as a document shows text, refuses binary and non-UTF-8 bytes', () => {
    assert.ok(equivalent('\uFEFFa\r\nb', 'a\nb'));
    assert.ok(!equivalent('a\nb', 'a\nc'));
    assert.equal(lineCount(''), 0);
    assert.equal(lineCount('a\nb'), 2);
    assert.equal(lineCount('a\nb\n'), 2);
    assert.deepEqual(decodeUtf8(Buffer.from('héllo', 'utf8')), { ok: true, text: 'héllo' });
    assert.equal(decodeUtf8(Buffer.from([0x68, 0xe9, 0x6c])).ok, false);
    assert.equal(decodeUtf8(Buffer.from([0x61, 0, 0x62])).ok, false);
  });
});
