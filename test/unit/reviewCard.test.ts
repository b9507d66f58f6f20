import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FileChange, type FileLocation, type FileOutcome } from '../../src/core/review/fileChange';
import { reviewEnd } from '../../src/core/review/outcome';
import { fileView, undecided } from '../../src/core/review/view';

const at = (display: string): FileLocation => ({ display, relative: display, absolute: `/ws/${display}` });
const base = (text: string) => ({ text, fromDocument: false });

/** a.ts with two changes far apart (lines 2 and 9): two hunks. */
function twoHunks(): FileChange {
  const text = 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n';
  return new FileChange(
    'f',
    { location: at('a.ts'), base: base(text) },
    at('a.ts'),
    text.replace('b\n', 'B\n').replace('i\n', 'I\nI2\n'),
  );
}

function ended(status: FileOutcome['status'], landed: string[] = []): FileChange {
  const file = twoHunks();
  for (const key of landed) file.landed.add(key);
  file.outcome = { status, message: '', summary: status };
  return file;
}

describe('review card: how the whole review ended', () => {
  it('applied when every file was accepted and something landed', () => {
    assert.deepEqual(reviewEnd([ended('accepted', ['h0', 'h1'])], false), { end: 'applied' });
  });

  it('partial when something landed and some file was not fully accepted', () => {
    assert.deepEqual(reviewEnd([ended('accepted', ['h0', 'h1']), ended('rejected')], false), { end: 'partial' });
    assert.deepEqual(reviewEnd([ended('partial', ['h0'])], false), { end: 'partial' });
  });

  it('rejected or failed when nothing landed', () => {
    assert.deepEqual(reviewEnd([ended('rejected'), ended('rejected')], false), { end: 'rejected' });
    assert.deepEqual(reviewEnd([ended('rejected'), ended('failed')], false), { end: 'failed' });
  });

  it('a stop says what happened to the accepted changes', () => {
    assert.deepEqual(reviewEnd([ended('rejected')], true), {
      end: 'stopped',
      note: 'Stopped: the proposed changes were rejected; nothing was written.',
    });
    assert.deepEqual(reviewEnd([ended('accepted', ['h0', 'h1']), ended('rejected')], true), {
      end: 'partial',
      note: 'Stopped: the changes you had accepted were applied; the rest were rejected.',
    });
  });
});

describe('review card: one file', () => {
  it('pending until every unit is decided, with a count of the decided ones', () => {
    const file = twoHunks();
    assert.deepEqual(fileView(file), {
      path: 'a.ts',
      kind: 'edit',
      added: 3,
      removed: 2,
      units: 2,
      decided: 0,
      state: 'pending',
    });
    file.decide('accepted', (unit) => unit.key === 'h0');
    assert.deepEqual(
      [fileView(file).state, fileView(file).note, fileView(file).decided],
      ['pending', '1 of 2 decided', 1],
    );
  });

  it('no "decided" count once every unit is decided', () => {
    const file = twoHunks();
    file.decide('accepted');
    assert.deepEqual([fileView(file).decided, fileView(file).note], [2, undefined]);
  });

  it('accepted, rejected or partial once decided; the outcome wins once there is one', () => {
    const file = twoHunks();
    file.decide('accepted');
    assert.equal(fileView(file).state, 'accepted');
    file.decide('rejected');
    assert.equal(fileView(file).state, 'rejected');
    file.decide('accepted', (unit) => unit.key === 'h1');
    assert.equal(fileView(file).state, 'partial');
    file.outcome = { status: 'failed', message: 'm', summary: 'changed since proposed' };
    assert.deepEqual([fileView(file).state, fileView(file).note], ['failed', 'changed since proposed']);
  });

  it('a rename names where it came from; a protected file says why it needs approval', () => {
    const file = new FileChange('r', { location: at('old.ts'), base: base('x\n') }, at('new.ts'), 'x\n');
    file.approval = 'package.json scripts run code';
    assert.deepEqual(fileView(file), {
      path: 'new.ts',
      from: 'old.ts',
      kind: 'rename',
      added: 0,
      removed: 0,
      units: 1,
      decided: 0,
      state: 'pending',
      approval: 'package.json scripts run code',
    });
  });

  it('a unit is undecided only while pending in a file without an outcome', () => {
    const file = twoHunks();
    const [first, second] = file.units();
    file.decide('rejected', (unit) => unit.key === first.key);
    assert.deepEqual([undecided(file, first), undecided(file, second)], [false, true]);
    file.outcome = { status: 'failed', message: '', summary: '' };
    assert.equal(undecided(file, second), false);
  });
});
