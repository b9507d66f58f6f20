/**
 * The index worker's state and its store file, in process: which files a sync reads again, what the
 * ranking then finds, and the bytes of the store on disk after an update. Expected tokens are written
 * out by hand from the file texts.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { after, before, describe, it } from 'node:test';
import { IndexState } from '../../src/core/context/indexWorker/indexState';
import type { FileRef } from '../../src/core/context/indexWorker/protocol';
import { readStore, tokenFingerprint, writeStore } from '../../src/core/context/indexWorker/store';
import type { LexicalQuestions } from '../../src/core/context/rank/lexicalSource';
import { type TempWorkspace, makeWorkspace } from '../fixtures/context/workspace';

const ask = (...terms: string[]): LexicalQuestions => ({
  query: new Map(terms.map((term) => [term, 1])),
  limit: 10,
  names: [],
  mentions: [],
  mentionLimit: 10,
});
const found = (state: IndexState, ...terms: string[]) =>
  state
    .answer(ask(...terms))
    .hits.map((hit) => hit.id)
    .sort();
const counts = ({ read, reused, removed, size }: { read: number; reused: number; removed: number; size: number }) => ({
  read,
  reused,
  removed,
  size,
});

describe('the index worker state', () => {
  let ws: TempWorkspace;
  let refs: FileRef[];
  before(() => {
    ws = makeWorkspace({
      'fast.py': 'def go_fast():\n    return speed\n',
      'notes.txt': 'alpha beta\nalpha\n',
      'big.txt': `${'alpha '.repeat(40)}\n`,
      'blob.bin': new Uint8Array([97, 108, 112, 104, 97, 0, 1, 2]),
      'folder/x.txt': 'alpha\n',
    });
    refs = ['fast.py', 'notes.txt', 'big.txt', 'blob.bin'].map((path) => ({ path, abs: join(ws.root, path) }));
  });
  after(() => ws.dispose());

  it('indexes text files within the size limit, reads each once, and re-reads only what changed on disk', async () => {
    const state = new IndexState(100);
    const dir: FileRef = { path: 'folder', abs: join(ws.root, 'folder') };
    assert.deepEqual(counts(await state.sync([...refs, dir])), { read: 4, reused: 0, removed: 0, size: 2 });
    // big.txt is over 100 bytes and blob.bin is binary: known, not searchable; a folder is not a file.
    assert.deepEqual(found(state, 'alpha'), ['notes.txt']);
    assert.deepEqual(found(state, 'speed'), ['fast.py']);
    assert.deepEqual([...state.stored()].map((file) => [file.path, file.analysed !== undefined]).sort(), [
      ['big.txt', false],
      ['blob.bin', false],
      ['fast.py', true],
      ['notes.txt', true],
    ]);
    assert.deepEqual(counts(await state.sync(refs)), { read: 0, reused: 4, removed: 0, size: 2 });

    writeFileSync(join(ws.root, 'notes.txt'), 'gamma\n');
    assert.deepEqual(counts(await state.sync(refs)), { read: 1, reused: 3, removed: 0, size: 2 });
    assert.deepEqual(found(state, 'alpha'), []);
    assert.deepEqual(found(state, 'gamma'), ['notes.txt']);

    // Same size, another time: read again.
    writeFileSync(join(ws.root, 'notes.txt'), 'delta\n');
    utimesSync(join(ws.root, 'notes.txt'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    assert.deepEqual(counts(await state.sync(refs)), { read: 1, reused: 3, removed: 0, size: 2 });
    assert.deepEqual(found(state, 'delta'), ['notes.txt']);

    // The same display path now read from elsewhere.
    const moved = refs.map((ref) => (ref.path === 'fast.py' ? { ...ref, abs: join(ws.root, 'folder/x.txt') } : ref));
    assert.deepEqual(counts(await state.sync(moved)), { read: 1, reused: 3, removed: 0, size: 2 });
    assert.deepEqual(found(state, 'alpha'), ['fast.py']);
  });

  it('drops files that leave the list or the disk, and the watcher forces a read', async () => {
    const scratch = makeWorkspace({ 'a.txt': 'alpha\n', 'b.txt': 'alpha beta\n', 'c.txt': 'beta\n' });
    try {
      const all = ['a.txt', 'b.txt', 'c.txt'].map((path) => ({ path, abs: join(scratch.root, path) }));
      const state = new IndexState();
      await state.sync(all);
      assert.deepEqual(counts(await state.sync(all.slice(1))), { read: 0, reused: 2, removed: 1, size: 2 });
      assert.deepEqual(found(state, 'alpha'), ['b.txt']);

      rmSync(join(scratch.root, 'c.txt'));
      assert.deepEqual(counts(await state.sync(all.slice(1))), { read: 0, reused: 1, removed: 0, size: 1 });
      assert.deepEqual(found(state, 'beta'), ['b.txt']);
      assert.deepEqual(
        [...state.stored()].map((file) => file.path),
        ['b.txt'],
      );

      // Rewritten with the same size and time: only the watcher's word makes it read again.
      const stamp = new Date(2002, 2, 2);
      writeFileSync(join(scratch.root, 'b.txt'), 'gamma beta\n');
      utimesSync(join(scratch.root, 'b.txt'), stamp, stamp);
      await state.sync(all.slice(1, 2));
      writeFileSync(join(scratch.root, 'b.txt'), 'delta beta\n');
      utimesSync(join(scratch.root, 'b.txt'), stamp, stamp);
      assert.deepEqual(counts(await state.sync(all.slice(1, 2))), { read: 0, reused: 1, removed: 0, size: 1 });
      assert.deepEqual(found(state, 'delta'), []);
      assert.deepEqual(counts(await state.update(all.slice(1, 2), ['a.txt'])), {
        read: 1,
        reused: 0,
        removed: 0,
        size: 1,
      });
      assert.deepEqual(found(state, 'delta'), ['b.txt']);
      assert.deepEqual(counts(await state.update([], ['b.txt'])), { read: 0, reused: 0, removed: 1, size: 0 });
      assert.deepEqual(found(state, 'beta'), []);
    } finally {
      scratch.dispose();
    }
  });
});

describe('what makes the index worker read a file again', () => {
  it(
    'a file at exactly the size limit is indexed; ' + 'another size or another place at the same time is read again',
    async () => {
      const stamp = new Date(2003, 3, 3);
      const scratch = makeWorkspace({ 'a.txt': 'alpha\n', 'b.txt': 'gamma\n' });
      try {
        const a = { path: 'a.txt', abs: join(scratch.root, 'a.txt') };
        for (const name of ['a.txt', 'b.txt']) utimesSync(join(scratch.root, name), stamp, stamp);
        const state = new IndexState(6);
        const started = performance.now();
        const first = await state.sync([a]);
        assert.ok(first.ms >= 0 && first.ms <= performance.now() - started, `${first.ms} ms`);
        assert.deepEqual(found(state, 'alpha'), ['a.txt']);
        // The same display path, read from another file of the same size and time.
        assert.deepEqual(counts(await state.sync([{ path: 'a.txt', abs: join(scratch.root, 'b.txt') }])), {
          read: 1,
          reused: 0,
          removed: 0,
          size: 1,
        });
        assert.deepEqual(found(state, 'gamma'), ['a.txt']);
        // Shorter, with the old time put back.
        writeFileSync(join(scratch.root, 'b.txt'), 'beta\n');
        utimesSync(join(scratch.root, 'b.txt'), stamp, stamp);
        const before = performance.now();
        const report = await state.update([], []);
        assert.ok(report.ms >= 0 && report.ms <= performance.now() - before, `${report.ms} ms`);
        assert.deepEqual(counts(await state.sync([{ path: 'a.txt', abs: join(scratch.root, 'b.txt') }])), {
          read: 1,
          reused: 0,
          removed: 0,
          size: 1,
        });
        assert.deepEqual(found(state, 'beta'), ['a.txt']);
      } finally {
        scratch.dispose();
      }
    },
  );
});

describe('the index store file', () => {
  let ws: TempWorkspace;
  before(() => {
    ws = makeWorkspace({
      'fast.py': 'from .slow import speed\ndef go_fast():\n    return speed\n',
      'notes.txt': 'alpha beta\nalpha\n',
    });
  });
  after(() => ws.dispose());

  it('holds each file with its size, time, tokens, definitions and imports; a reopened state reuses them', async () => {
    const refs = ['fast.py', 'notes.txt'].map((path) => ({ path, abs: join(ws.root, path) }));
    const state = new IndexState();
    await state.sync(refs);
    const file = join(ws.root, 'store/deep/index.bin');
    await writeStore(file, state.stored());
    const stored = deserialize(readFileSync(file)) as { version: number; tokens: string; rows: unknown[][] };
    assert.equal(stored.version, 2);
    const rows = stored.rows
      .map(([path, abs, size, , content, defined, imports]) => [path, abs, size, content, defined, imports])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    assert.deepEqual(rows, [
      [
        'fast.py',
        join(ws.root, 'fast.py'),
        56,
        new Map([
          ['from', 1],
          ['slow', 1],
          ['import', 1],
          ['speed', 2],
          ['def', 1],
          ['go_fast', 1],
          ['go', 1],
          ['fast', 1],
          ['return', 1],
        ]),
        new Map([['go_fast', [2]]]),
        [['slow']],
      ],
      [
        'notes.txt',
        join(ws.root, 'notes.txt'),
        17,
        new Map([
          ['alpha', 2],
          ['beta', 1],
        ]),
        new Map(),
        [],
      ],
    ]);

    const loaded = await readStore(file);
    assert.ok('files' in loaded);
    const reopened = new IndexState();
    reopened.restore(loaded.files);
    assert.equal(reopened.size, 2);
    assert.deepEqual(found(reopened, 'speed'), ['fast.py']);
    assert.deepEqual(counts(await reopened.sync(refs)), { read: 0, reused: 2, removed: 0, size: 2 });
  });

  it('a file read but not indexed is stored without tokens and comes back that way', async () => {
    const file = join(ws.root, 'store/plain.bin');
    const entry = { path: 'big.txt', abs: join(ws.root, 'big.txt'), size: 5, mtimeMs: 7 };
    await writeStore(file, [entry]);
    assert.deepEqual((deserialize(readFileSync(file)) as { rows: unknown[] }).rows, [
      ['big.txt', entry.abs, 5, 7, null, null, null],
    ]);
    assert.deepEqual(await readStore(file), { files: [entry] });
  });

  it('says why a store cannot be used', async () => {
    const at = (name: string, value: unknown) => {
      const file = join(ws.root, 'bad', name);
      mkdirSync(join(ws.root, 'bad'), { recursive: true });
      writeFileSync(file, value instanceof Uint8Array ? value : serialize(value));
      return file;
    };
    const tokens = tokenFingerprint();
    const row = ['a', '/a', 1, 2, null, null, null];
    const cases: [string, unknown, string][] = [
      ['garbage', Buffer.from('not a store'), 'the store is damaged'],
      ['null', null, 'the store is from another version'],
      ['v1', { version: 1, tokens, rows: [] }, 'the store is from another version'],
      ['v3', { version: 3, tokens, rows: [] }, 'the store is from another version'],
      ['tokens', { version: 2, tokens: '[]', rows: [] }, 'the store was written under other tokenization rules'],
      ['rows', { version: 2, tokens, rows: {} }, 'the store is damaged'],
      ['short', { version: 2, tokens, rows: [row.slice(0, 6)] }, 'the store is damaged'],
      ['path', { version: 2, tokens, rows: [[1, ...row.slice(1)]] }, 'the store is damaged'],
      ['abs', { version: 2, tokens, rows: [['a', 1, ...row.slice(2)]] }, 'the store is damaged'],
      ['size', { version: 2, tokens, rows: [['a', '/a', '1', 2, null, null, null]] }, 'the store is damaged'],
      ['mtime', { version: 2, tokens, rows: [['a', '/a', 1, '2', null, null, null]] }, 'the store is damaged'],
      ['content', { version: 2, tokens, rows: [['a', '/a', 1, 2, {}, null, null]] }, 'the store is damaged'],
      ['defined', { version: 2, tokens, rows: [['a', '/a', 1, 2, null, [], null]] }, 'the store is damaged'],
      ['imports', { version: 2, tokens, rows: [['a', '/a', 1, 2, null, null, {}]] }, 'the store is damaged'],
      ['places', { version: 2, tokens, rows: [['a', '/a', 1, 2, null, null, ['x']]] }, 'the store is damaged'],
      ['place', { version: 2, tokens, rows: [['a', '/a', 1, 2, null, null, [['x', 1]]]] }, 'the store is damaged'],
      ['long', { version: 2, tokens, rows: [[...row, 'extra']] }, 'the store is damaged'],
      ['object', { version: 2, tokens, rows: [{}] }, 'the store is damaged'],
      ['one bad', { version: 2, tokens, rows: [row, row.slice(1)] }, 'the store is damaged'],
    ];
    for (const [name, value, reason] of cases)
      assert.deepEqual(await readStore(at(name, value)), { ignored: reason }, name);
    assert.deepEqual(await readStore(at('ok', { version: 2, tokens, rows: [row] })), {
      files: [{ path: 'a', abs: '/a', size: 1, mtimeMs: 2 }],
    });
    const analysed = { content: new Map([['x', 1]]), defined: new Map([['x', [1]]]), imports: [['pkg/y', '/y']] };
    assert.deepEqual(
      await readStore(
        at('whole', {
          version: 2,
          tokens,
          rows: [['a', '/a', 1, 2, analysed.content, analysed.defined, analysed.imports]],
        }),
      ),
      { files: [{ path: 'a', abs: '/a', size: 1, mtimeMs: 2, analysed }] },
    );
    // Tokens without definitions or imports are not a file's analysis: the file is read again.
    for (const half of [
      ['a', '/a', 1, 2, analysed.content, null, analysed.imports],
      ['a', '/a', 1, 2, analysed.content, analysed.defined, null],
    ])
      assert.deepEqual(await readStore(at('half', { version: 2, tokens, rows: [half] })), {
        files: [{ path: 'a', abs: '/a', size: 1, mtimeMs: 2 }],
      });
    assert.deepEqual(await readStore(join(ws.root, 'missing.bin')), { ignored: 'no store yet' });
    assert.deepEqual(await readStore(join(ws.root, 'bad')), { ignored: 'the store could not be read (EISDIR)' });
  });
});
