import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type BatchWorkspace, ChangeBatch, type CurrentText } from '../../src/core/review/batch';

/** An in-memory workspace: `files` by relative path; `denied` paths are refused; reads are counted. */
function memoryWorkspace(files: Record<string, string | CurrentText>, denied: readonly string[] = []) {
  const reads: string[] = [];
  const workspace: BatchWorkspace = {
    async locate(path) {
      if (denied.includes(path)) return { ok: false, message: `${path} is off limits to QCoder: a secret.` };
      if (path === 'boom') throw new Error('the disk is on fire');
      const location = { display: path, relative: path, absolute: `/ws/${path}` };
      return {
        ok: true,
        location,
        read: async (): Promise<CurrentText> => {
          reads.push(path);
          const held = files[path];
          if (held === undefined) return { exists: false };
          return typeof held === 'string' ? { exists: true, ok: true, text: held, fromDocument: false } : held;
        },
      };
    },
  };
  return { workspace, reads };
}

const live = new AbortController().signal;
const edit = (path: string, oldText: string, newText: string) => ({
  path,
  edits: [{ old_text: oldText, new_text: newText }],
});

async function ok(batch: ChangeBatch, tool: string, args: Record<string, unknown>) {
  const result = await batch.propose(tool, args, live);
  assert.ok(result.ok, result.ok ? '' : result.message);
  return result.change;
}

async function refused(batch: ChangeBatch, tool: string, args: Record<string, unknown>): Promise<string> {
  const result = await batch.propose(tool, args, live);
  assert.ok(!result.ok, `${tool} ${JSON.stringify(args)} was not refused`);
  return result.message;
}

describe('change batch: a file on disk', () => {
  it('an edit becomes one file with its proposal; nothing else changes', async () => {
    const batch = new ChangeBatch(memoryWorkspace({ 'a.ts': 'one\ntwo\nthree\n' }).workspace);
    const change = await ok(batch, 'edit_file', edit('a.ts', 'two\n', 'TWO\n2\n'));
    assert.equal(change.path, 'a.ts');
    assert.equal(change.description, '+2 −1 in 1 hunk');
    assert.equal(batch.files.length, 1);
    const [file] = batch.files;
    assert.deepEqual(file.changeIds, [change.id]);
    assert.equal(file.kind, 'edit');
    assert.equal(file.origin!.base.text, 'one\ntwo\nthree\n');
    assert.equal(file.text, 'one\nTWO\n2\nthree\n');
  });

  it('a second call on the same file stacks on the first and is read from the batch, not the disk', async () => {
    const { workspace, reads } = memoryWorkspace({ 'a.ts': 'one\ntwo\nthree\n' });
    const batch = new ChangeBatch(workspace);
    const first = await ok(batch, 'edit_file', edit('a.ts', 'one\n', '1\n'));
    const second = await ok(batch, 'edit_file', edit('a.ts', 'three\n', '3\n'));
    assert.equal(batch.files.length, 1);
    assert.deepEqual(batch.files[0].changeIds, [first.id, second.id]);
    assert.equal(batch.files[0].text, '1\ntwo\n3\n');
    assert.equal(batch.files[0].origin!.base.text, 'one\ntwo\nthree\n');
    assert.deepEqual(reads, ['a.ts']);
  });

  it('write_file on an existing file is a rewrite of it; on a missing one, a new file', async () => {
    const batch = new ChangeBatch(memoryWorkspace({ 'a.ts': 'old\n' }).workspace);
    assert.equal(
      (await ok(batch, 'write_file', { path: 'a.ts', content: 'new\nlines\n' })).description,
      'rewrite, 2 lines',
    );
    assert.equal(
      (await ok(batch, 'write_file', { path: 'n.ts', content: 'x\ny\nz\n' })).description,
      'new file, 3 lines',
    );
    assert.deepEqual(
      batch.files.map((file) => [file.display, file.kind, file.text]),
      [
        ['a.ts', 'edit', 'new\nlines\n'],
        ['n.ts', 'create', 'x\ny\nz\n'],
      ],
    );
  });

  it('keeps the editor version of an unsaved buffer as the base', async () => {
    const buffer: CurrentText = { exists: true, ok: true, text: 'a\nb\n', version: 7, fromDocument: true };
    const batch = new ChangeBatch(memoryWorkspace({ 'a.ts': buffer }).workspace);
    await ok(batch, 'edit_file', edit('a.ts', 'b\n', 'B\n'));
    assert.deepEqual(batch.files[0].origin!.base, { text: 'a\nb\n', version: 7, fromDocument: true });
  });
});

describe('change batch: several calls in one turn', () => {
  it('counts hunks in the description, and gives each change and file its own id', async () => {
    const batch = new ChangeBatch(memoryWorkspace({ 'a.ts': 'one\ntwo\nthree\nfour\nfive\nsix\nseven\n' }).workspace);
    const change = await ok(batch, 'edit_file', {
      path: 'a.ts',
      edits: [
        { old_text: 'one\n', new_text: '1\n' },
        { old_text: 'seven\n', new_text: '7\n' },
      ],
    });
    assert.equal(change.description, '+2 −2 in 2 hunks');
    assert.match(change.id, /^c-/);
    assert.match(batch.files[0].id, /^f-/);
    // A file read from disk has no editor version.
    assert.deepEqual(batch.files[0].origin!.base, {
      text: 'one\ntwo\nthree\nfour\nfive\nsix\nseven\n',
      fromDocument: false,
    });
  });

  it('write_file stacks on an earlier edit: writing what the batch already holds is no change', async () => {
    const batch = new ChangeBatch(memoryWorkspace({ 'a.ts': 'one\ntwo\n' }).workspace);
    await ok(batch, 'edit_file', edit('a.ts', 'two\n', '2\n'));
    assert.match(
      await refused(batch, 'write_file', { path: 'a.ts', content: 'one\n2\n' }),
      /^No change was made to a\.ts/,
    );
    await ok(batch, 'write_file', { path: 'a.ts', content: 'ONE\n2\n' });
    assert.deepEqual(
      batch.files.map((file) => [file.origin!.base.text, file.text, file.changeIds.length]),
      [['one\ntwo\n', 'ONE\n2\n', 2]],
    );
  });

  it('a new file in the batch does not hide the files on disk', async () => {
    const batch = new ChangeBatch(memoryWorkspace({ 'a.ts': 'x\n' }).workspace);
    await ok(batch, 'write_file', { path: 'n.ts', content: 'new\n' });
    await ok(batch, 'edit_file', edit('a.ts', 'x\n', 'y\n'));
    assert.deepEqual(
      batch.files.map((file) => [file.display, file.kind]),
      [
        ['n.ts', 'create'],
        ['a.ts', 'edit'],
      ],
    );
  });
});

describe('change batch: refusals the model can act on', () => {
  it('editing or deleting a missing file', async () => {
    const batch = new ChangeBatch(memoryWorkspace({}).workspace);
    assert.equal(
      await refused(batch, 'edit_file', edit('gone.ts', 'a', 'b')),
      'gone.ts does not exist. Use write_file to create a new file.',
    );
    assert.equal(
      await refused(batch, 'delete_file', { path: 'gone.ts' }),
      'gone.ts does not exist; there is nothing to delete.',
    );
    assert.equal(
      await refused(batch, 'rename_file', { from: 'gone.ts', to: 'b.ts' }),
      'gone.ts does not exist; there is nothing to rename.',
    );
    assert.equal(batch.files.length, 0);
  });

  it('a file deleted earlier in the turn is vacated: no edit, no write, no second delete, no rename', async () => {
    const batch = new ChangeBatch(memoryWorkspace({ 'a.ts': 'x\n', 'b.ts': 'y\n' }).workspace);
    assert.equal((await ok(batch, 'delete_file', { path: 'a.ts' })).description, 'delete, 1 lines');
    assert.match(await refused(batch, 'edit_file', edit('a.ts', 'x', 'z')), /a\.ts was deleted or renamed earlier/);
    assert.match(
      await refused(batch, 'write_file', { path: 'a.ts', content: 'z' }),
      /write the file under another name, or in a later turn/,
    );
    assert.equal(
      await refused(batch, 'delete_file', { path: 'a.ts' }),
      'a.ts does not exist any more in this turn; there is nothing to delete.',
    );
    assert.equal(
      await refused(batch, 'rename_file', { from: 'b.ts', to: 'a.ts' }),
      "a.ts already exists (until this turn's changes land); rename_file does not overwrite.",
    );
    assert.deepEqual(
      batch.files.map((file) => [file.kind, file.text]),
      [['delete', undefined]],
    );
  });

  it('a file created in this turn is left out, not deleted', async () => {
    const batch = new ChangeBatch(memoryWorkspace({}).workspace);
    await ok(batch, 'write_file', { path: 'n.ts', content: 'x\n' });
    assert.match(await refused(batch, 'delete_file', { path: 'n.ts' }), /only proposed in this turn/);
  });

  it('rename never overwrites', async () => {
    const batch = new ChangeBatch(memoryWorkspace({ 'a.ts': 'x\n', 'b.ts': 'y\n' }).workspace);
    assert.equal(
      await refused(batch, 'rename_file', { from: 'a.ts', to: 'b.ts' }),
      'b.ts already exists; rename_file does not overwrite.',
    );
  });

  it('refuses CR-only line endings, unreadable files and denied paths, with the reason', async () => {
    const unreadable: CurrentText = { exists: true, ok: false, reason: 'big.bin is a binary file' };
    const batch = new ChangeBatch(
      memoryWorkspace({ 'mac.txt': 'a\rb\r', 'big.bin': unreadable, '.env': 'KEY=1\n' }, ['.env']).workspace,
    );
    assert.equal(
      await refused(batch, 'edit_file', edit('mac.txt', 'a', 'b')),
      'mac.txt has old Mac (CR-only) line endings, which QCoder cannot edit safely.',
    );
    assert.equal(await refused(batch, 'write_file', { path: 'big.bin', content: '' }), 'big.bin is a binary file.');
    assert.equal(await refused(batch, 'delete_file', { path: '.env' }), '.env is off limits to QCoder: a secret.');
    assert.equal(batch.files.length, 0);
  });

  it('bad arguments, a stopped request and a failing workspace', async () => {
    const batch = new ChangeBatch(memoryWorkspace({ 'a.ts': 'x\n' }).workspace);
    assert.equal(
      await refused(batch, 'edit_file', { path: 'a.ts' }),
      'edit_file: edits must be a non-empty array of {old_text, new_text}',
    );
    const stopped = new AbortController();
    stopped.abort();
    const result = await batch.propose('write_file', { path: 'a.ts', content: 'y' }, stopped.signal);
    assert.deepEqual(result, { ok: false, message: 'Not proposed: the user stopped the request.' });
    assert.equal(await refused(batch, 'delete_file', { path: 'boom' }), 'delete_file failed: the disk is on fire');
    assert.equal(batch.files.length, 0);
  });

  it("passes the edit engine's refusal on when a block is not found", async () => {
    const batch = new ChangeBatch(memoryWorkspace({ 'a.ts': 'one\n' }).workspace);
    const message = await refused(batch, 'edit_file', edit('a.ts', 'nowhere to be found\n', 'x\n'));
    assert.match(message, /a\.ts/);
    assert.equal(batch.files.length, 0);
  });
});

describe('change batch: renames', () => {
  it('both ends go through the access rules; a vacated source cannot be renamed', async () => {
    const batch = new ChangeBatch(memoryWorkspace({ 'a.ts': 'x\n', 'b.ts': 'y\n' }, ['.env']).workspace);
    assert.equal(
      await refused(batch, 'rename_file', { from: '.env', to: 'c.ts' }),
      '.env is off limits to QCoder: a secret.',
    );
    assert.equal(
      await refused(batch, 'rename_file', { from: 'a.ts', to: '.env' }),
      '.env is off limits to QCoder: a secret.',
    );
    await ok(batch, 'delete_file', { path: 'a.ts' });
    assert.equal(
      await refused(batch, 'rename_file', { from: 'a.ts', to: 'c.ts' }),
      'a.ts does not exist any more in this turn; there is nothing to rename.',
    );
    assert.equal(batch.files.length, 1);
  });

  it('renaming a file edited earlier in the turn moves that change', async () => {
    const batch = new ChangeBatch(memoryWorkspace({ 'a.ts': 'one\n' }).workspace);
    await ok(batch, 'edit_file', edit('a.ts', 'one\n', '1\n'));
    await ok(batch, 'rename_file', { from: 'a.ts', to: 'b.ts' });
    assert.deepEqual(
      batch.files.map((file) => [file.kind, file.display, file.text, file.changeIds.length]),
      [['rename', 'b.ts', '1\n', 2]],
    );
  });

  it('after a rename the new path holds the file and the old one is vacated', async () => {
    const batch = new ChangeBatch(memoryWorkspace({ 'a.ts': 'one\ntwo\n' }).workspace);
    assert.equal((await ok(batch, 'rename_file', { from: 'a.ts', to: 'b.ts' })).description, 'rename to b.ts');
    await ok(batch, 'edit_file', edit('b.ts', 'two\n', '2\n'));
    assert.match(await refused(batch, 'edit_file', edit('a.ts', 'one\n', '1\n')), /deleted or renamed earlier/);
    assert.equal(batch.files.length, 1);
    const [file] = batch.files;
    assert.deepEqual(
      [file.kind, file.origin!.location.display, file.display, file.text],
      ['rename', 'a.ts', 'b.ts', 'one\n2\n'],
    );
    assert.deepEqual(
      file.units().map((unit) => unit.kind),
      ['hunk', 'rename'],
    );
  });

  it('an edited file that is then deleted is one delete of the original', async () => {
    const batch = new ChangeBatch(memoryWorkspace({ 'a.ts': 'one\n' }).workspace);
    await ok(batch, 'edit_file', edit('a.ts', 'one\n', '1\n'));
    await ok(batch, 'delete_file', { path: 'a.ts' });
    const [file] = batch.files;
    assert.deepEqual(
      [file.kind, file.changeIds.length, file.proposal, file.units().length],
      ['delete', 2, undefined, 1],
    );
  });
});
